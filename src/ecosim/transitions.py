"""Energy and circular-economy transitions: demand paths, content drift, events, uncertainty.

A scenario lists transitions (``ecosim.config.Transition``). Before a run, every number given as
a distribution is drawn once from the run's seed (:func:`draw_uncertain`); the drawn values are
kept for provenance. :class:`Transitions` then answers, for any month, the demand multiplier of
every (sector, region, occupation), the occupations' current requirement profiles, and which
events happen.

Path formulas (``t`` month, ``s`` start, ``d`` duration, ``f`` final), as *progress* ``p(t)``:

* logistic: ``p(t) = 1 / (1 + exp(-k (t - s - d/2)))`` with ``k = 2 ln(19) / d``, so that
  ``p(s) = 0.05`` and ``p(s + d) = 0.95``;
* linear: ``p(t) = clip((t - s) / d, 0, 1)``;
* step: ``p(t) = 1 if t >= s else 0``.

A demand path multiplies target employment by ``1 + (f - 1) p(t)``; a drift path moves a
requirement profile the share ``f p(t)`` of the way toward its new levels. A ``table`` path is
the linear interpolation through its points (the multiplier itself, or the share itself). A
``sine`` path (demand only) is a business cycle: the multiplier ``1 + a sin(2 pi (t - s) / T)``
from ``s`` on, with amplitude ``a`` and period ``T``.
Several demand paths on the same group multiply; several drifts on the same occupation add
their moves.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from typing import Any

import numpy as np
from pydantic import BaseModel

from ecosim.config import (
    MIN_DURATION,
    Bounds,
    Normal,
    Scenario,
    TimePath,
    Transition,
    Triangular,
    Uniform,
)

LOGISTIC_K = 2.0 * math.log(19.0)


def logistic_progress(t: Any, start: float, duration: float) -> np.ndarray:
    """Logistic adoption: 5% at ``start``, 95% at ``start + duration``.

    Long before the start of a short path the exponential overflows to infinity, which gives
    the right progress, 0; NumPy's overflow warning is silenced for it.
    """
    t = np.asarray(t, dtype=np.float64)
    with np.errstate(over="ignore"):
        return 1.0 / (1.0 + np.exp(-LOGISTIC_K / duration * (t - start - duration / 2.0)))


def linear_progress(t: Any, start: float, duration: float) -> np.ndarray:
    """Linear change from ``start`` over ``duration`` months."""
    t = np.asarray(t, dtype=np.float64)
    return np.clip((t - start) / duration, 0.0, 1.0)


def step_progress(t: Any, start: float) -> np.ndarray:
    """All at once at ``start``."""
    return (np.asarray(t, dtype=np.float64) >= start).astype(np.float64)


def table_value(t: Any, points: list[tuple[float, float]]) -> np.ndarray:
    """Linear interpolation through ``(month, value)`` points, constant beyond the ends."""
    pts = sorted(points)
    months = np.array([p[0] for p in pts], dtype=np.float64)
    values = np.array([p[1] for p in pts], dtype=np.float64)
    return np.interp(np.asarray(t, dtype=np.float64), months, values)


def sine_multiplier(t: Any, start: float, period: float, amplitude: float) -> np.ndarray:
    """A business cycle: 1 before ``start``, then ``1 + amplitude sin(2 pi (t - start) / period)``.

    The sine cycle of target demand with which del Rio-Chanona et al. (2021, J. R. Soc.
    Interface 18: 20200898) trace the Beveridge curve.
    """
    t = np.asarray(t, dtype=np.float64)
    cycle = 1.0 + amplitude * np.sin(2.0 * np.pi * (t - start) / period)
    return np.where(t >= start, cycle, 1.0)


def progress(path: TimePath, t: Any) -> np.ndarray:
    """Progress ``p(t)`` of a (resolved) path; for tables, the table's value (not for sines)."""
    if path.kind == "logistic":
        return logistic_progress(t, path.start, path.duration)
    if path.kind == "linear":
        return linear_progress(t, path.start, path.duration)
    if path.kind == "step":
        return step_progress(t, path.start)
    return table_value(t, path.points)


def demand_multiplier(path: TimePath, t: Any) -> np.ndarray:
    """Multiplier on target employment: ``1 + (final - 1) p(t)``, the table's value or the sine."""
    if path.kind == "table":
        return table_value(t, path.points)
    if path.kind == "sine":
        return sine_multiplier(t, path.start, path.period, path.amplitude)
    return 1.0 + (path.final - 1.0) * progress(path, t)


def drift_share(path: TimePath, t: Any) -> np.ndarray:
    """Share of a content drift done: ``final * p(t)``, or the table's value."""
    if path.kind == "table":
        return table_value(t, path.points)
    return path.final * progress(path, t)


# Fields that must stay non-negative after a draw (months, durations, sizes), of which some
# positive; a cycle's amplitude stays within [-1, 1] (so that demand stays >= 0).
_NON_NEGATIVE = {"start", "duration", "final", "month", "jobs", "period"}


def draw_uncertain(
    transitions: list[Transition], rng: np.random.Generator
) -> tuple[list[Transition], dict[str, float]]:
    """Replace every distribution by one draw; return resolved transitions and the draws.

    Draws are made in the order the values appear in the scenario, so the same seed gives the
    same values. Values of fields that cannot be negative (months, durations, sizes) are
    clipped at 0, durations at ``MIN_DURATION``, periods at a small positive minimum,
    amplitudes to [-1, 1], and every draw at the top of its field's
    :class:`~ecosim.config.Bounds` (only a normal draw can get there).

    Returns:
        The transitions with plain numbers, and ``{dotted path: drawn value}``.
    """
    drawn: dict[str, float] = {}

    def resolve(node: Any, path: tuple[Any, ...], bounds: Bounds | None = None) -> Any:
        if isinstance(node, Uniform | Normal | Triangular):
            value = _draw(node, rng)
            field = path[-1]
            if field in _NON_NEGATIVE:
                floor = MIN_DURATION if field == "duration" else 1e-6 if field == "period" else 0.0
                value = max(value, floor)
            if field == "amplitude":
                value = min(max(value, -1.0), 1.0)
            if bounds is not None:
                value = min(value, bounds.high)
            drawn[".".join(map(str, path))] = value
            return value
        if isinstance(node, list):
            return [resolve(x, (*path, i)) for i, x in enumerate(node)]
        if isinstance(node, BaseModel):
            fields = type(node).model_fields
            updates = {
                name: resolve(getattr(node, name), (*path, name), _bounds(info.metadata))
                for name, info in fields.items()
            }
            return node.model_copy(update=updates)
        return node

    resolved = [resolve(tr, ("transitions", tr.name)) for tr in transitions]
    return resolved, drawn


def _bounds(metadata: list[Any]) -> Bounds | None:
    return next((m for m in metadata if isinstance(m, Bounds)), None)


def _draw(dist: Uniform | Normal | Triangular, rng: np.random.Generator) -> float:
    if isinstance(dist, Uniform):
        return float(rng.uniform(dist.low, dist.high))
    if isinstance(dist, Normal):
        return float(rng.normal(dist.mean, dist.sd))
    if dist.low == dist.high:
        return float(dist.low)
    return float(rng.triangular(dist.low, dist.mode, dist.high))


@dataclass(frozen=True)
class ResolvedEvent:
    """An event with its month drawn and its names resolved to indices."""

    transition: str
    kind: str
    month: int
    sector: int
    region: int
    municipality: int
    rank: int
    jobs: float
    mix: np.ndarray
    employer: int = -1
    name: str = ""


class Transitions:
    """The scenario's transitions, resolved for one run.

    Args:
        scenario: The validated scenario.
        rng: The run's transition stream; used once, to draw uncertain values.

    Attributes:
        transitions: Resolved transitions (plain numbers).
        drawn: ``{dotted path: value}`` of every value drawn from a distribution.
        events: Events sorted by month.
    """

    def __init__(self, scenario: Scenario, rng: np.random.Generator):
        self.transitions, self.drawn = draw_uncertain(list(scenario.transitions), rng)
        sectors = {s.name: i for i, s in enumerate(scenario.sectors)}
        occupations = {o.name: i for i, o in enumerate(scenario.occupations)}
        regions = {r.name: i for i, r in enumerate(scenario.regions)}
        munis = {m: i for i, m in enumerate(scenario.municipality_names)}
        skills = {s: i for i, s in enumerate(scenario.skills)}
        self.n_sectors, self.n_regions = len(sectors), len(regions)
        self.n_occupations = len(occupations)
        self.base_requirements = scenario.requirement_matrix()
        self._demand: list[tuple[int, int, int, TimePath]] = []
        self._drift: list[tuple[np.ndarray, np.ndarray, TimePath]] = []
        events: list[ResolvedEvent] = []
        for tr in self.transitions:
            for d in tr.demand:
                self._demand.append(
                    (
                        sectors[d.sector] if d.sector else -1,
                        regions[d.region] if d.region else -1,
                        occupations[d.occupation] if d.occupation else -1,
                        d.path,
                    )
                )
            for d in tr.drift:
                occ = np.array([occupations[o] for o in d.occupations])
                delta = np.zeros_like(self.base_requirements)
                for skill, level in d.toward.items():
                    j = skills[skill]
                    delta[occ, j] = level - self.base_requirements[occ, j]
                self._drift.append((occ, delta, d.path))
            for ev in tr.events:
                sector = sectors[ev.sector]
                mix = np.zeros(len(occupations))
                source = ev.occupations or scenario.sectors[sector].occupations
                for name, share in source.items():
                    mix[occupations[name]] = share
                events.append(
                    ResolvedEvent(
                        transition=tr.name,
                        kind=ev.kind,
                        month=round(ev.month),
                        sector=sector,
                        region=regions[ev.region] if ev.region else -1,
                        municipality=munis[ev.municipality] if ev.municipality else -1,
                        rank=ev.rank,
                        jobs=float(ev.jobs),
                        mix=mix / mix.sum(),
                        name=ev.name or f"{tr.name}-{ev.kind}-{ev.sector}",
                    )
                )
        self.events = sorted(events, key=lambda e: e.month)

    def assign_employers(self, rows: dict[int, int]) -> None:
        """Give events their own employer: ``{index in events: employer row}`` (openings' dormant
        ones, and those of closures sized in jobs)."""
        self.events = [
            replace(e, employer=rows[i]) if i in rows else e for i, e in enumerate(self.events)
        ]

    @property
    def has_drift(self) -> bool:
        """Whether any occupation's content changes over time."""
        return bool(self._drift)

    def demand_factor(self, month: int) -> np.ndarray:
        """Multiplier on target employment, shaped (sectors, regions, occupations)."""
        factor = np.ones((self.n_sectors, self.n_regions, self.n_occupations))
        for sector, region, occupation, path in self._demand:
            idx = (
                slice(None) if sector < 0 else sector,
                slice(None) if region < 0 else region,
                slice(None) if occupation < 0 else occupation,
            )
            factor[idx] *= float(demand_multiplier(path, month))
        return factor

    def requirements(self, month: int) -> np.ndarray:
        """Requirement profiles (occupations x skills) at a month, within [0, 1]."""
        req = self.base_requirements.copy()
        for _, delta, path in self._drift:
            req += float(drift_share(path, month)) * delta
        return np.clip(req, 0.0, 1.0)

    def events_at(self, month: int) -> list[ResolvedEvent]:
        """Events happening in a month."""
        return [e for e in self.events if e.month == month]
