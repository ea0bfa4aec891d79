"""The sweep file's schema: parameters, design, outputs (:class:`SweepSpec`).

These pydantic models validate a sweep file's fields one by one; what needs the base scenario
(do the varied values fit it, are the output columns known) is checked when a sweep is loaded
(:mod:`ecosim.sweep.loading`). Distributions are written like a scenario's uncertain numbers
(:mod:`ecosim.config.distributions`).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal

import numpy as np
from pydantic import Field, model_validator

from ecosim.config import DIST_PARAMETERS, REJECT_RENAMED, FileName, StrictModel, SweepDist

if TYPE_CHECKING:
    from scipy.stats import rv_continuous

MAX_RUNS = 100_000
"""Default of a sweep's ``max_runs``: a design with more runs is refused before it is built."""
MAX_RUNS_LIMIT = 10_000_000
"""The most ``max_runs`` may be raised to (a design's table is built in memory)."""

STATS: tuple[str, ...] = ("mean", "median", "min", "max", "sum", "std", "first", "last")
"""The statistics a summary can take (:attr:`Summary.stat`)."""

DEFAULT_SUMMARIES: tuple[str, ...] = (
    "unemployment_rate",
    "vacancy_rate",
    "long_term_unemployed_share",
    "mean_skill_shortfall_of_hires",
)
"""The summaries of a sweep file that names none: means over the default window."""


class Distribution(StrictModel):
    """A continuous distribution of a parameter (sampled through its inverse CDF).

    Written like a scenario's uncertain number (:mod:`ecosim.config.distributions`): ``dist``
    names the kind, which takes the parameters of ``DIST_PARAMETERS[dist]``. ``uniform`` and
    ``loguniform`` use ``low`` and ``high``; ``normal`` uses ``mean`` and ``sd``; ``truncnorm``
    is a normal truncated to [``low``, ``high``]; ``triangular`` uses ``low``, ``mode`` and
    ``high``.
    """

    dist: SweepDist
    low: float | None = None
    high: float | None = None
    mean: float | None = None
    sd: float | None = Field(None, gt=0.0)
    mode: float | None = None

    @model_validator(mode="after")
    def _fields(self) -> Distribution:
        need = DIST_PARAMETERS[self.dist]
        given = {k for k, v in self if k != "dist" and v is not None}
        if missing := [k for k in need if k not in given]:
            raise ValueError(f"{self.dist} needs {', '.join(need)}; missing {', '.join(missing)}")
        if extra := sorted(given - set(need)):
            raise ValueError(f"{self.dist} takes {', '.join(need)}, not {', '.join(extra)}")
        if self.low is not None and self.high is not None and not self.low < self.high:
            raise ValueError("low must be less than high")
        if self.dist == "loguniform" and (self.low or 0.0) <= 0.0:
            raise ValueError("loguniform needs low > 0")
        if self.dist == "triangular" and not (self.low <= self.mode <= self.high):  # type: ignore[operator]
            raise ValueError("mode must lie between low and high")
        return self

    def frozen(self) -> rv_continuous:
        """The matching frozen ``scipy.stats`` distribution."""
        from scipy import stats

        lo, hi, mu, sd = self.low, self.high, self.mean, self.sd
        match self.dist:
            case "uniform":
                return stats.uniform(lo, hi - lo)  # type: ignore[operator]
            case "loguniform":
                return stats.loguniform(lo, hi)
            case "normal":
                return stats.norm(mu, sd)
            case "truncnorm":
                a, b = (lo - mu) / sd, (hi - mu) / sd  # type: ignore[operator]
                return stats.truncnorm(a, b, loc=mu, scale=sd)
            case _:
                return stats.triang((self.mode - lo) / (hi - lo), loc=lo, scale=hi - lo)  # type: ignore[operator]


class Parameter(StrictModel):
    """One varied scenario value: exactly one of ``values``, ``range`` or ``distribution``.

    ``values`` lists the values (numbers, strings, ...); sampling designs pick among them with
    equal probability. ``range: [low, high]`` is uniform. ``levels`` is the number of grid
    levels for a range or a distribution (equally spaced, or at quantiles). ``integer`` rounds
    sampled values to integers.
    """

    values: list[Any] | None = Field(None, min_length=1)
    range: tuple[float, float] | None = None
    distribution: Annotated[Distribution | None, REJECT_RENAMED] = None
    levels: int | None = Field(None, ge=2, le=10_000)
    integer: bool = False

    @model_validator(mode="after")
    def _one_kind(self) -> Parameter:
        kinds = [k for k in ("values", "range", "distribution") if getattr(self, k) is not None]
        if len(kinds) != 1:
            raise ValueError("give exactly one of values, range or distribution")
        if self.range is not None and not self.range[0] < self.range[1]:
            raise ValueError("range must be [low, high] with low < high")
        if self.values is not None and self.levels is not None:
            raise ValueError("levels applies to a range or a distribution, not to values")
        return self

    def probes(self) -> list[tuple[tuple[Any, ...], Any]]:
        """Values to validate against the scenario schema, with where they are written."""
        if self.values is not None:
            return [(("values", i), v) for i, v in enumerate(self.values)]
        if self.range is not None:
            return [(("range", i), self._cast(v)) for i, v in enumerate(self.range)]
        dist = self.distribution.frozen()  # type: ignore[union-attr]
        return [(("distribution",), self._cast(float(dist.ppf(q)))) for q in (0.001, 0.999)]

    def grid(self) -> list[Any]:
        """The grid levels of this parameter."""
        if self.values is not None:
            return list(self.values)
        if self.levels is None:
            raise ValueError("a grid needs levels for a range or a distribution")
        if self.range is not None:
            return [self._cast(float(v)) for v in np.linspace(*self.range, self.levels)]
        u = (np.arange(self.levels) + 0.5) / self.levels
        return [self._cast(float(v)) for v in self.distribution.frozen().ppf(u)]  # type: ignore[union-attr]

    def from_unit(self, u: np.ndarray) -> list[Any]:
        """Map unit-interval samples to parameter values (inverse CDF)."""
        if self.values is not None:
            k = len(self.values)
            return [self.values[min(int(x * k), k - 1)] for x in u]
        if self.range is not None:
            lo, hi = self.range
            return [self._cast(float(lo + x * (hi - lo))) for x in u]
        eps = 1e-12
        dist = self.distribution.frozen()  # type: ignore[union-attr]
        return [self._cast(float(v)) for v in dist.ppf(np.clip(u, eps, 1.0 - eps))]

    def _cast(self, value: float) -> Any:
        return round(value) if self.integer else value


class Design(StrictModel):
    """How the parameter space is sampled.

    ``grid``: every combination of the parameters' levels. ``lhs``: ``samples`` points of a
    Latin hypercube. ``sobol``: Saltelli's scheme for Sobol indices (SALib), ``samples`` base
    points (a power of 2) giving ``samples * (D + 2)`` points, or ``samples * (2D + 2)`` with
    ``second_order``. ``morris``: ``samples`` trajectories of ``D + 1`` points on ``levels``
    levels (SALib). ``seed`` seeds the sampling (not the runs).
    """

    kind: Literal["grid", "lhs", "sobol", "morris"] = "grid"
    samples: int | None = Field(None, ge=1, le=10_000_000)
    seed: int = Field(0, ge=0, le=2**32 - 1, strict=True)
    second_order: bool = False
    levels: int = Field(4, ge=2, le=100)

    @model_validator(mode="after")
    def _samples(self) -> Design:
        if self.kind != "grid" and self.samples is None:
            raise ValueError(f"a {self.kind} design needs samples")
        if self.kind == "grid" and self.samples is not None:
            raise ValueError("a grid design takes no samples; the levels define it")
        if self.kind == "sobol" and self.samples & (self.samples - 1):  # type: ignore[operator]
            raise ValueError("sobol samples must be a power of 2 (Saltelli's scheme)")
        return self


class Summary(StrictModel):
    """A scalar output: a statistic of a time-series column over a window of months."""

    column: str
    stat: Literal["mean", "median", "min", "max", "sum", "std", "first", "last"] = "mean"
    window: int | tuple[int, int] | None = None
    name: str | None = Field(None, pattern=r"^[A-Za-z0-9_.\-]+$")

    @property
    def label(self) -> str:
        """Column name of this summary in the results."""
        return self.name or f"{self.column}_{self.stat}"


Window = int | tuple[int, int]
"""A window of months: the last ``N`` months, or ``(first, last)`` inclusive."""


def window_bounds(window: Window, months: int) -> tuple[int, int]:
    """The first and last month (inclusive) of a window in a run of ``months`` months.

    An integer ``N`` is the last ``N`` months (from month 0 at the most); a pair is
    ``(first, last)`` as given.
    """
    if isinstance(window, int):
        return max(months - window + 1, 0), months
    return int(window[0]), int(window[1])


class Outputs(StrictModel):
    """What is kept of each run.

    ``window`` is the default window of the summaries: an integer ``N`` means the last ``N``
    months, ``[first, last]`` the months ``first`` to ``last`` inclusive (month 0 is the initial
    state). ``timeseries`` keeps monthly values: ``false``, ``true`` (all columns) or a list.
    """

    window: Annotated[int, Field(ge=1)] | tuple[int, int] = 12
    summaries: list[Summary | str] = Field(default_factory=lambda: list(DEFAULT_SUMMARIES))
    timeseries: bool | list[str] = False

    def resolved(self) -> list[Summary]:
        """The summaries, strings expanded to means over the default window."""
        return [Summary(column=s) if isinstance(s, str) else s for s in self.summaries]

    def timeseries_columns(self, known: Sequence[str]) -> list[str]:
        """Columns kept as monthly time series."""
        if self.timeseries is True:
            return list(known)
        return list(self.timeseries or [])


class SweepSpec(StrictModel):
    """A sweep file (see the module documentation)."""

    name: FileName
    description: str = Field("", max_length=5000)
    base: str = Field(min_length=1, description="Base scenario, relative to the sweep file.")
    set: dict[str, Any] = Field(default_factory=dict)
    parameters: dict[str, Parameter] = Field(default_factory=dict)
    design: Design = Field(default_factory=Design)
    replications: int = Field(1, ge=1, le=100_000)
    seed: int | None = Field(None, ge=0, le=2**63 - 1 - 100_000, strict=True)
    seeds: Literal["common", "independent"] = "common"
    outputs: Outputs = Field(default_factory=Outputs)
    chunk_size: int | None = Field(None, ge=1, le=10_000)
    max_runs: int = Field(
        MAX_RUNS,
        ge=1,
        le=MAX_RUNS_LIMIT,
        description="Most runs the design may have; checked before the design is built.",
    )
    out: str | None = None
