"""``ecosim dashboard``: explore a scenario in the browser, on Mesa's SolaraViz.

The page is Mesa's own :class:`~mesa.visualization.SolaraViz`: its sidebar holds the
play/step/reset controls and the levers (``model_params``), its main area the plots. The levers
are keyword arguments of :class:`DashboardModel`, which turns them into the dotted overrides of
:class:`~ecosim.model.RegionModel` (:func:`lever_overrides`); as in every SolaraViz app, a moved
lever takes effect when the model is reset. A lever left at the scenario's value adds no
override, so the dashboard's model at its defaults is the scenario's own (at the dashboard's
size). The model starts after the scenario's burn-in (``RegionModel``), so no plot marks a
spin-up; only courses are not offered in the burn-in, so training participation climbs from 0
over the first months.

Run it with ``ecosim dashboard SCENARIO`` (:func:`serve`: ``solara run ecosim.dashboard`` with
the scenario's path in :data:`SCENARIO_ENV`). Each browser tab builds its own model. Needs the
``dashboard`` extra (``pip install 'ecosim[dashboard]'``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Callable
from pathlib import Path
from typing import Any, ClassVar

import numpy as np
import solara
from matplotlib.colors import PowerNorm
from matplotlib.figure import Figure
from matplotlib.ticker import MaxNLocator, PercentFormatter
from mesa.visualization import SolaraViz

from ecosim import skills
from ecosim.config import Normal, Scenario, TimePath, Triangular, Uniform, load_scenario
from ecosim.model import RegionModel
from ecosim.state import Status

SCENARIO_ENV = "ECOSIM_DASHBOARD_SCENARIO"
"""Environment variable holding the scenario file the dashboard's page explores."""

DEFAULT_SIZE = 10_000
"""Worker agents at the start (capped at the scenario's size). On one core of the development
machine a month of ``rijnmond_combined`` takes about 25 ms at this size (60 ms with its 30,000
agents), a reset (build and burn-in) about 1 s (3 s), and redrawing the six plots about 0.4 s,
which is most of what a step costs in the browser."""

UNFUNDED_BUDGETS: dict[str, float] = {
    "vouchers": 150_000_000.0,
    "employer_subsidy": 10_000_000.0,
    "retraining": 15_000_000.0,
    "hc_agenda": 10_000_000.0,
}
"""Euros over the run for an instrument a lever switches on while the scenario gives it no
budget (an instrument without budget is never offered, so the lever would do nothing): the
budgets of ``scenarios/policies/``."""

MAX_DELAY = 48
"""Latest shift of the transitions' timing, in months."""

MAX_DEMAND_SCALE = 2.0
"""Largest scale of the demand paths' size (1 = the scenario's)."""


# --------------------------------------------------------------------------- levers


def lever_overrides(
    config: Scenario,
    *,
    workforce_size: int | None = None,
    vouchers: bool | None = None,
    voucher_amount: float | None = None,
    employer_subsidy_share: float | None = None,
    retraining: bool | None = None,
    hc_agenda: bool | None = None,
    noise_reduction: float | None = None,
    learning_communities: bool | None = None,
    transition_delay: float = 0.0,
    demand_scale: float = 1.0,
) -> dict[str, Any]:
    """The dotted overrides that set the dashboard's levers on a scenario.

    A lever given as ``None`` or at the scenario's own value adds nothing, so that the defaults
    reproduce the scenario.

    Args:
        config: The scenario the levers act on.
        workforce_size: Worker agents of the labour force: sets ``resolution`` to
            ``workforce.persons / workforce_size``, so the region stays the same and only its
            sample changes (employers with it); budgets, course places and event sizes are in
            persons and keep their meaning.
        vouchers: Training vouchers on or off.
        voucher_amount: Euros per person per year of a voucher.
        employer_subsidy_share: Share of employer training costs subsidised; 0 switches the
            subsidy off, more switches it on.
        retraining: Retraining of displaced workers on or off.
        hc_agenda: The human-capital agenda on or off.
        noise_reduction: Share of forecast noise the agenda removes.
        learning_communities: Learning communities on (the scenario's, or else one in every
            sector its transitions' demand paths name, or in every sector if they name none,
            with the schema's defaults) or off (none).
        transition_delay: Months added to every transition's timing: demand and drift paths'
            starts (and table points) and events' months (:func:`delay_limits` gives the range).
        demand_scale: Factor on the size of every demand path: a final multiplier ``f`` becomes
            ``1 + k (f - 1)``, likewise table values, and a cycle's amplitude ``a`` becomes
            ``k a`` (:func:`demand_scale_limit` gives the largest meaningful ``k``).

    Returns:
        ``{dotted key: value}`` for ``RegionModel(path, **overrides)``.
    """
    gov = config.government
    out: dict[str, Any] = {}
    if workforce_size is not None and workforce_size != config.worker_agents:
        out["resolution"] = config.workforce.persons / workforce_size
    _switch(out, config, "vouchers", vouchers)
    if voucher_amount is not None and voucher_amount != gov.vouchers.amount_per_person_per_year:
        out["government.vouchers.amount_per_person_per_year"] = float(voucher_amount)
    if employer_subsidy_share is not None:
        on = employer_subsidy_share > 0
        _switch(out, config, "employer_subsidy", on)
        if on and employer_subsidy_share != gov.employer_subsidy.share:
            out["government.employer_subsidy.share"] = float(employer_subsidy_share)
    _switch(out, config, "retraining", retraining)
    _switch(out, config, "hc_agenda", hc_agenda)
    if noise_reduction is not None and noise_reduction != gov.hc_agenda.noise_reduction:
        out["government.hc_agenda.noise_reduction"] = float(noise_reduction)
    if learning_communities is not None and learning_communities != bool(
        config.learning_communities
    ):
        out["learning_communities"] = (
            [{"name": f"{s}-community", "sector": s} for s in _transition_sectors(config)]
            if learning_communities
            else []
        )
    if transition_delay or demand_scale != 1.0:
        out.update(_transition_overrides(config, float(transition_delay), float(demand_scale)))
    return out


def _switch(out: dict[str, Any], config: Scenario, name: str, on: bool | None) -> None:
    """Switch instrument ``name`` on or off, funding it if the scenario left it unfunded."""
    instrument = getattr(config.government, name)
    if on is None or on == instrument.enabled:
        return
    out[f"government.{name}.enabled"] = on
    if on and instrument.budget == 0:
        out[f"government.{name}.budget"] = UNFUNDED_BUDGETS[name]


def _transition_sectors(config: Scenario) -> list[str]:
    """Sectors the transitions' demand paths name, in scenario order (all if none is named)."""
    named = {d.sector for t in config.transitions for d in t.demand if d.sector}
    return [s.name for s in config.sectors if s.name in named or not named]


def _transition_overrides(config: Scenario, delay: float, scale: float) -> dict[str, Any]:
    """Overrides of every path's start, size and every event's month (see lever_overrides)."""
    out: dict[str, Any] = {}
    for ti, tr in enumerate(config.transitions):
        for kind, items in (("demand", tr.demand), ("drift", tr.drift)):
            for di, item in enumerate(items):
                key = f"transitions.{ti}.{kind}.{di}.path"
                size = scale if kind == "demand" else 1.0
                out.update({f"{key}.{k}": v for k, v in _path_overrides(item.path, delay, size)})
        for ei, event in enumerate(tr.events if delay else ()):
            out[f"transitions.{ti}.events.{ei}.month"] = _affine(event.month, 1.0, delay)
    return out


def _path_overrides(path: TimePath, delay: float, scale: float) -> list[tuple[str, Any]]:
    """``(field, value)`` of a path moved ``delay`` months and its size scaled by ``scale``.

    A table path is its points (its ``start`` is unused): their months move and, for demand,
    their values scale around 1.
    """
    if path.kind == "table":
        sized = (lambda v: v) if scale == 1.0 else (lambda v: 1.0 + scale * (v - 1.0))
        return [("points", [[t + delay, sized(v)] for t, v in path.points])]
    out: list[tuple[str, Any]] = [("start", _affine(path.start, 1.0, delay))] if delay else []
    if path.kind == "sine":
        out.append(("amplitude", _affine(path.amplitude, scale, 0.0)))
    elif scale != 1.0:  # the final multiplier f -> 1 + k (f - 1)
        out.append(("final", _affine(path.final, scale, 1.0 - scale)))
    return out


def _affine(value: Any, factor: float, offset: float) -> Any:
    """``factor * value + offset`` of a number or of a distribution (as scenario data).

    An affine map keeps a distribution's kind: with the same seed, the draw moves the same way.
    """
    if isinstance(value, Uniform):
        low, high = sorted((factor * value.low + offset, factor * value.high + offset))
        return {"dist": "uniform", "low": low, "high": high}
    if isinstance(value, Normal):
        return {"dist": "normal", "mean": factor * value.mean + offset, "sd": factor * value.sd}
    if isinstance(value, Triangular):
        points = sorted(factor * v + offset for v in (value.low, value.mode, value.high))
        return {"dist": "triangular", "low": points[0], "mode": points[1], "high": points[2]}
    return factor * float(value) + offset


def _lowest(value: Any) -> float:
    """The lowest value a number or distribution is meant to take (a normal's mean)."""
    if isinstance(value, Uniform | Triangular):
        return value.low
    if isinstance(value, Normal):
        return value.mean
    return float(value)


def delay_limits(config: Scenario) -> tuple[int, int]:
    """The range of the timing lever: no path may start before month 0 nor event fall before 1.

    Transitions cannot act in the burn-in, and a drawn start is clipped at 0, so moving a
    transition earlier than that would not move it.
    """
    paths = [item.path for t in config.transitions for item in (*t.demand, *t.drift)]
    earliest = [_table_start(p.points) if p.kind == "table" else _lowest(p.start) for p in paths]
    earliest += [_lowest(e.month) - 1.0 for t in config.transitions for e in t.events]
    return -int(max(0.0, min(earliest, default=0.0))), MAX_DELAY


def _table_start(points: list[tuple[float, float]]) -> float:
    """The month a table path starts to change: its last point before the value first moves."""
    ordered = sorted(points)
    for (t, _), (_, v) in itertools.pairwise(ordered):
        if v != ordered[0][1]:
            return t
    return ordered[-1][0]


def demand_scale_limit(config: Scenario) -> float:
    """The largest demand scale keeping every multiplier non-negative (at most 2, 0.1 steps).

    A shrinking path's final ``f < 1`` becomes ``1 + k (f - 1)``, negative beyond
    ``k = 1 / (1 - f)``; a cycle's amplitude must stay within [-1, 1].
    """
    limit = MAX_DEMAND_SCALE
    for t in config.transitions:
        for d in t.demand:
            p = d.path
            if p.kind == "sine":
                amplitude = abs(_lowest(p.amplitude))
                if amplitude > 0:
                    limit = min(limit, 1.0 / amplitude)
            else:
                finals = [v for _, v in p.points] if p.kind == "table" else [_lowest(p.final)]
                for f in finals:
                    if f < 1.0:
                        limit = min(limit, 1.0 / (1.0 - f))
    return float(np.floor(limit * 10.0 + 1e-9) / 10.0)


class DashboardModel(RegionModel):
    """A :class:`~ecosim.model.RegionModel` built from a scenario file and the levers.

    Mesa's reset rebuilds the model as ``type(model)(**model_params)``, so the levers must be
    this class's keyword arguments. The scenario is ``scenario_file``, not ``scenario``: SolaraViz
    passes its own Mesa scenario object as ``scenario`` to models whose ``__init__`` takes one
    (or takes ``**kwargs``), which this one therefore does not.

    Args:
        scenario_file: The scenario YAML file.
        replicate: The run's seed is the scenario's seed plus this (as ``ecosim compare``'s
            seeds are), so replicates are distinct and each reproducible.
        **levers: See :func:`lever_overrides`; ``None`` keeps the scenario's value, except
            ``workforce_size``, which defaults to :data:`DEFAULT_SIZE` (at most the
            scenario's).

    Attributes:
        overrides: The dotted overrides the levers made (:func:`lever_overrides`).
        moved: The levers given a value other than the scenario's, by name.

    Raises:
        ScenarioError: If the file or the levers make an invalid scenario.
    """

    def __init__(
        self,
        scenario_file: str | Path,
        *,
        replicate: int = 0,
        workforce_size: int | None = None,
        vouchers: bool | None = None,
        voucher_amount: float | None = None,
        employer_subsidy_share: float | None = None,
        retraining: bool | None = None,
        hc_agenda: bool | None = None,
        noise_reduction: float | None = None,
        learning_communities: bool | None = None,
        transition_delay: float = 0.0,
        demand_scale: float = 1.0,
    ):
        base = load_scenario(scenario_file)
        levers = {
            "vouchers": vouchers,
            "voucher_amount": voucher_amount,
            "employer_subsidy_share": employer_subsidy_share,
            "retraining": retraining,
            "hc_agenda": hc_agenda,
            "noise_reduction": noise_reduction,
            "learning_communities": learning_communities,
            "transition_delay": transition_delay,
            "demand_scale": demand_scale,
        }
        levers = {k: v for k, v in levers.items() if v is not None}
        size = default_size(base) if workforce_size is None else workforce_size
        overrides = lever_overrides(base, workforce_size=size, **levers)
        super().__init__(scenario_file, seed=base.seed + int(replicate), **overrides)
        self.overrides = overrides
        self.moved = {k: v for k, v in levers.items() if lever_overrides(base, **{k: v})}


def run_summary(model: DashboardModel) -> str:
    """One line saying what the plots show: size, seed and the levers moved off the scenario."""
    c = model.config
    moved = ", ".join(f"{k.replace('_', ' ')} {_shown(v)}" for k, v in model.moved.items())
    return (
        f"This run: {c.worker_agents:,} agents × {c.resolution:,.4g} persons, seed {c.seed}; "
        + (f"levers moved: {moved}." if moved else "every lever at the scenario's value.")
    )


def _shown(value: Any) -> str:
    if isinstance(value, bool):
        return "on" if value else "off"
    return f"{value:,g}"


def default_size(config: Scenario) -> int:
    """The dashboard's default number of worker agents: :data:`DEFAULT_SIZE` at most."""
    return min(config.worker_agents, DEFAULT_SIZE)


def model_params(scenario_file: str | Path) -> dict[str, Any]:
    """SolaraViz's ``model_params``: the levers as inputs, at the scenario's values.

    Labels are short, to leave the sidebar's sliders room, and carry each slider's range, as
    the slider shows no number. The timing and size levers appear only for a scenario with
    transitions, each within the range where it means what it says (:func:`delay_limits`,
    :func:`demand_scale_limit`).
    """
    config = load_scenario(scenario_file)
    gov = config.government
    size = default_size(config)
    params: dict[str, Any] = {
        "scenario_file": str(scenario_file),
        "workforce_size": _slider("Agents", size, 1_000, max(config.worker_agents, size), 1_000),
        "replicate": _slider("Replicate", 0, 0, 20, 1),
        "vouchers": _checkbox("Training vouchers", gov.vouchers.enabled),
        "voucher_amount": _slider(
            "Voucher €/yr",
            gov.vouchers.amount_per_person_per_year,
            0.0,
            max(5_000.0, gov.vouchers.amount_per_person_per_year),
            250.0,
        ),
        "employer_subsidy_share": _slider(
            "Employer subsidy",
            gov.employer_subsidy.share if gov.employer_subsidy.enabled else 0.0,
            0.0,
            1.0,
            0.05,
        ),
        "retraining": _checkbox("Retraining of displaced workers", gov.retraining.enabled),
        "hc_agenda": _checkbox("Human-capital agenda", gov.hc_agenda.enabled),
        "noise_reduction": _slider("Noise cut", gov.hc_agenda.noise_reduction, 0.0, 1.0, 0.05),
        "learning_communities": _checkbox(
            "Learning communities", bool(config.learning_communities)
        ),
    }
    if config.transitions:
        low, high = delay_limits(config)
        params["transition_delay"] = _slider("Delay, months", 0, low, high, 1)
        params["demand_scale"] = _slider("Demand size", 1.0, 0.0, demand_scale_limit(config), 0.1)
    return params


def _slider(label: str, value: float, low: float, high: float, step: float) -> dict[str, Any]:
    """A slider whose label gives its range (``Agents 1,000 to 30,000``)."""
    kind = "SliderFloat" if isinstance(step, float) else "SliderInt"
    return {
        "type": kind,
        "label": f"{label} {low:,g} to {high:,g}",
        "value": value,
        "min": low,
        "max": high,
        "step": step,
    }


def _checkbox(label: str, value: bool) -> dict[str, Any]:
    return {"type": "Checkbox", "label": label, "value": value}


# --------------------------------------------------------------------------- what the plots show


def shortfall_by_skill(model: RegionModel) -> np.ndarray:
    """(occupations, skills): each skill's part of the incumbents' mean skill shortfall.

    For an employed worker ``i`` in occupation ``o``, skill ``s``'s part is
    ``a_s max(0, r_os - x_is) / sum_s a_s r_os``: the parts sum to the worker's shortfall
    (:func:`ecosim.skills.shortfall`), so a row sums to the occupation's mean shortfall. The
    terms come from :func:`ecosim.skills.missing_mass` with one weight per skill in turn (a
    diagonal weight matrix), the one definition. Rows of occupations nobody holds are ``nan``.
    """
    snap = model.snapshot()
    rows = np.flatnonzero(snap.status == int(Status.EMPLOYED))
    occupation = snap.occupation[rows]
    required = snap.requirements[occupation]
    weights = np.diag(snap.skill_weights)
    parts = skills.missing_mass(snap.skills[rows][:, None, :], required[:, None, :], weights)
    need = skills.required_mass(required, snap.skill_weights)
    parts = np.divide(parts, need[:, None], out=np.zeros_like(parts), where=need[:, None] > 0)
    n_occ = len(snap.occupation_names)
    counts = np.bincount(occupation, minlength=n_occ).astype(np.float64)
    sums = np.stack(
        [np.bincount(occupation, parts[:, s], minlength=n_occ) for s in range(parts.shape[1])],
        axis=1,
    )
    out = np.full_like(sums, np.nan)
    return np.divide(sums, counts[:, None], out=out, where=counts[:, None] > 0)


# --------------------------------------------------------------------------- the page

INDICATOR_PLOTS: tuple[tuple[str, str, bool], ...] = (
    ("unemployment_rate", "Unemployment rate U/(U+E)", True),
    ("vacancies_per_100_jobs", "Vacancies per 100 jobs", False),
    ("long_term_unemployed_share", "Long-term unemployed, share of the unemployed", True),
    ("training_participation", "In a course, share of the labour force", True),
)
"""The model-level time series plotted: (indicator, title, is a share)."""

SHORTFALL_MAX = 0.15
"""Top of the heat map's colour scale; fixed, so that a colour means the same at every step."""

FIGSIZE = (6.4, 4.1)
"""Inches of every plot: SolaraViz's grid cells are about 1.5 times as wide as high, and a
taller figure would lose its bottom (the time axis) to the cell's edge."""

DPI = 90
"""Pixels per inch: a cell of the grid is about 575 pixels wide, so the image is not scaled."""


class Panel:
    """One plot of the page, drawn into a figure built once per model; :meth:`update` shows a step.

    Drawing a new figure every step (as Mesa's plot component does, with a tight bounding box)
    costs about twice as much as updating one: axes, ticks and layout are rebuilt each time.
    Margins are fixed (:attr:`margins`) for the same reason: a layout engine lays out every
    frame.
    """

    margins: ClassVar[dict[str, float]] = {"left": 0.12, "right": 0.97, "top": 0.9, "bottom": 0.14}

    def __init__(self, model: RegionModel) -> None:
        self.figure = Figure(figsize=FIGSIZE, dpi=DPI)
        self.figure.subplots_adjust(**self.margins)
        self.ax = self.figure.subplots()
        self.ax.grid(alpha=0.3)
        self.build(model)

    def build(self, model: RegionModel) -> None:
        """Draw the artists :meth:`update` moves."""
        raise NotImplementedError

    def update(self, model: RegionModel) -> None:
        """Show the model's current state."""
        raise NotImplementedError


class IndicatorPanel(Panel):
    """A model-level indicator over the months so far (``model.timeseries()``)."""

    def __init__(self, model: RegionModel, name: str, title: str, share: bool) -> None:
        self.name, self.title, self.share = name, title, share
        super().__init__(model)

    def build(self, model: RegionModel) -> None:
        (self.line,) = self.ax.plot([], [], color="C0")
        self.ax.set_title(self.title)
        self.ax.set_xlabel("Step")
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        if self.share:
            self.ax.yaxis.set_major_formatter(PercentFormatter(1.0))
        else:
            self.ax.set_ylabel("per 100 jobs")

    def update(self, model: RegionModel) -> None:
        values = model.timeseries()[self.name]
        self.line.set_data(values.index, values)
        self.line.set_marker("o" if len(values) == 1 else "")  # one month: a point, no line
        self.ax.relim()
        self.ax.autoscale_view()


class SectorPanel(Panel):
    """Employment (solid) and target employment (dashed) per sector, in % of month 0's target.

    One scale for every sector, so that a sector's decline reads against the others', and the
    gap between a sector's two lines is its unfilled jobs (``model.tables()["by_sector"]``).
    """

    margins: ClassVar[dict[str, float]] = {"left": 0.1, "right": 0.97, "top": 0.9, "bottom": 0.3}

    def build(self, model: RegionModel) -> None:
        self.lines = {}
        for i, sector in enumerate(model.world.sector_names):
            colour = f"C{i % 10}"
            employment = self.ax.plot([], [], color=colour, label=_label(sector))[0]
            target = self.ax.plot([], [], color=colour, ls="--", lw=0.9)[0]
            self.lines[sector] = (employment, target)
        self.ax.set_title("Employment (solid) vs target (dashed) by sector")
        self.ax.set_xlabel("Step")
        self.ax.xaxis.set_major_locator(MaxNLocator(integer=True))
        self.ax.set_ylabel("% of target at step 0")
        self.figure.legend(loc="lower center", ncol=4, fontsize="x-small", frameon=False)

    def update(self, model: RegionModel) -> None:
        table = model.tables()["by_sector"]
        for sector, rows in table.groupby("sector", observed=True):
            base = rows["target"].iloc[0]
            for line, column in zip(self.lines[sector], ("employment", "target"), strict=True):
                line.set_data(rows["month"], 100 * rows[column] / base)
                line.set_marker("o" if len(rows) == 1 else "")
        self.ax.relim()
        self.ax.autoscale_view()


class SkillGapPanel(Panel):
    """Heat map of :func:`shortfall_by_skill`: occupations x skills, this step.

    The colour scale is fixed (0 to :data:`SHORTFALL_MAX`) and a square root, so that small
    gaps stay visible and a colour means the same at every step.
    """

    margins: ClassVar[dict[str, float]] = {"left": 0.2, "right": 0.9, "top": 0.92, "bottom": 0.28}

    def build(self, model: RegionModel) -> None:
        world = model.world
        norm = PowerNorm(0.5, vmin=0.0, vmax=SHORTFALL_MAX)
        shape = (len(world.occupation_names), len(world.skill_names))
        self.image = self.ax.imshow(np.zeros(shape), cmap="Reds", norm=norm, aspect="auto")
        self.ax.grid(False)
        skills = [_label(s) for s in world.skill_names]
        self.ax.set_xticks(range(len(skills)), skills, rotation=40, ha="right")
        self.ax.set_yticks(range(shape[0]), [_label(o) for o in world.occupation_names])
        self.ax.tick_params(labelsize=5.5)
        bar = self.figure.colorbar(
            self.image, ax=self.ax, extend="max", format=PercentFormatter(1.0, decimals=0)
        )
        bar.set_ticks([0.0, 0.01, 0.03, 0.06, 0.1, SHORTFALL_MAX])
        bar.ax.tick_params(labelsize="small")
        bar.set_label("share of the job's required skill", fontsize="small")

    def update(self, model: RegionModel) -> None:
        self.image.set_data(np.ma.masked_invalid(shortfall_by_skill(model)))
        self.ax.set_title(f"Incumbents' skill shortfall by skill, step {model.month}")


def _label(name: str) -> str:
    return name.replace("_", " ")


def _panel_component(make: Callable[[RegionModel], Panel]) -> Callable[[RegionModel], Any]:
    """A SolaraViz component: the panel of the model shown, updated when its month changes.

    SolaraViz calls it with the current model at every step and after every reset; the panel is
    kept per model, and the image is redrawn only for a new model or month.
    """

    def component(model: RegionModel) -> Any:
        panel = solara.use_memo(lambda: make(model), [model])
        solara.use_memo(lambda: panel.update(model), [model, model.month])
        return solara.FigureMatplotlib(
            panel.figure, dependencies=[model, model.month], format="png"
        )

    return component


def components() -> list[Any]:
    """SolaraViz's components: the indicators, then employment by sector and the skill gaps."""
    indicators = [
        _panel_component(lambda m, i=indicator: IndicatorPanel(m, *i))
        for indicator in INDICATOR_PLOTS
    ]
    return [*indicators, _panel_component(SectorPanel), _panel_component(SkillGapPanel)]


@solara.component
def Page() -> Any:
    """The page solara serves: :data:`SCENARIO_ENV`'s dashboard, one model per browser tab.

    The model is a reactive shared with SolaraViz, so the line saying what the plots show is
    redrawn when Reset rebuilds it.
    """
    scenario_file = os.environ.get(SCENARIO_ENV, "")
    first = solara.use_memo(lambda: DashboardModel(scenario_file) if scenario_file else None, [])
    params = solara.use_memo(lambda: model_params(scenario_file) if scenario_file else {}, [])
    model = solara.use_reactive(first)
    if model.value is None:
        return solara.Error(
            f"{SCENARIO_ENV} is not set: start the page with `ecosim dashboard SCENARIO`"
        )
    config = model.value.config
    with solara.Column() as main:
        solara.Text(f"{config.name}: {config.description}")
        solara.Text(
            "Move the levers on the left, then Reset to rebuild the region with them; "
            "Step advances one month. " + run_summary(model.value)
        )
        SolaraViz(model, components=components(), model_params=params, name="ecosim dashboard")
    return main


def serve(scenario_file: str | Path, host: str, port: int) -> None:
    """Serve the dashboard of ``scenario_file`` with ``solara run`` in this process until stopped.

    Solara's usage telemetry and its check for a newer release are switched off: the page needs
    no connection beyond the browser's to this server. Production mode: no file watching.
    """
    from solara.__main__ import run
    from solara.server import settings

    os.environ[SCENARIO_ENV] = str(Path(scenario_file).resolve())
    settings.telemetry.mixpanel_enable = False
    args = ["ecosim.dashboard", "--production", "--host", host, "--port", str(port)]
    run.main(args=[*args, "--no-open", "--no-check-version"], standalone_mode=False)
