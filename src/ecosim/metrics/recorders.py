"""Recorders: monthly tables built from state snapshots (:class:`ecosim.state.Snapshot`).

A recorder has ``record(snapshot)``, called by the model at the end of every month (and for
the initial state, month 0), and ``tables() -> dict[str, DataFrame]``. Recording is a few
``np.bincount`` / matrix-vector products and compiled passes on the snapshot arrays per month;
no Python loop over workers. Counts in the tables are persons (agents x ``snapshot.scale``).
"""

from __future__ import annotations

import weakref
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ecosim.flows import OCCUPATION_FLOWS
from ecosim.kernels.recording import WorkerSums, cell_sums, group_sums, worker_sums
from ecosim.metrics.formulas import (
    DEFAULT_AGE_EDGES,
    DEFAULT_DURATION_BINS,
    age_band,
    duration_distribution,
    weighted_mean_rows,
)
from ecosim.state import Status

_EMPLOYED, _UNEMPLOYED, _RETIRED = int(Status.EMPLOYED), int(Status.UNEMPLOYED), int(Status.RETIRED)
"""Status codes as plain ints: the kernels take them, and NumPy takes an ``IntEnum`` member for
an int64 rather than a Python int, so comparing one with the int8 status column casts the whole
column (about ten times slower)."""


_incumbents_cache: list = [None, None]


def _incumbents(snap) -> WorkerSums:
    """Employed rows, their shortfall and per-skill sums (computed once per snapshot).

    ``shortfall_i = Σ_s a_s·max(0, r_s − x_is) / Σ_s a_s·r_s`` (0 where the job requires
    nothing; the :mod:`ecosim.skills` shortfall), with ``r`` the requirement profile of the
    worker's occupation; also the per-skill sums of the deficits ``max(0, r_s − x_is)`` and of
    the skills of the employed and of the unemployed. One compiled parallel pass over the workers
    (:func:`ecosim.kernels.recording.worker_sums`), reused by every recorder of the month.
    """
    ref, value = _incumbents_cache
    if ref is not None and ref() is snap:
        return value
    value = worker_sums(
        snap.status,
        snap.occupation,
        snap.employer,
        snap.region,
        snap.skills,
        snap.requirements,
        snap.skill_weights,
        snap.headcount.shape[0],
        max(len(snap.region_names), int(snap.region.max(initial=-1)) + 1),
        _EMPLOYED,
        _UNEMPLOYED,
    )
    _incumbents_cache[:] = [weakref.ref(snap), value]
    return value


def _long_table(
    months: list[int],
    label_name: str,
    labels: Sequence[str],
    blocks: list[np.ndarray],
    columns: Sequence[str],
) -> pd.DataFrame:
    """Long table (month, label, columns...) from one ``(columns x labels)`` block per month."""
    if not blocks:
        frame = pd.DataFrame({c: pd.Series(dtype=np.float64) for c in columns})
        frame.insert(0, label_name, pd.Categorical([], categories=list(labels)))
        frame.insert(0, "month", pd.Series(dtype=np.int64))
        return frame
    data = np.concatenate([b.T for b in blocks])
    frame = pd.DataFrame(data, columns=list(columns))
    codes = np.tile(np.arange(len(labels)), len(months))
    frame.insert(0, label_name, pd.Categorical.from_codes(codes, categories=list(labels)))
    frame.insert(0, "month", np.repeat(np.asarray(months, dtype=np.int64), len(labels)))
    return frame


class BreakdownRecorder:
    """Monthly tables by sector, occupation and region, recorded from state snapshots.

    Each month, :meth:`record` reads a :class:`ecosim.state.Snapshot` (array views) and keeps a
    few aggregated arrays; :meth:`tables` builds long-format DataFrames (one row per month and
    group). Counts are persons (agents x scale). Columns:

    * ``employment``: workers employed there (sector/occupation of the job; region of the
      workplace); ``target``: employers' target employment; ``vacancies``: open vacancies;
      ``hires``: hires this month;
    * ``unemployed``: unemployed whose last job was there (sector), whose last or aimed
      occupation it is (occupation), or who live there (region); ``unemployment_rate`` =
      unemployed / (unemployed + employment) by that definition (region: residents'
      employment, column ``resident_employment``);
    * ``mean_shortfall_incumbents``: mean skill shortfall of incumbents against their jobs'
      current requirement profiles, ``Σ_s a_s·max(0, r_s − x_s) / Σ_s a_s·r_s``.
    """

    GROUPS = ("sector", "occupation", "region")

    def __init__(self) -> None:
        self._months: list[int] = []
        self._rows: dict[str, list[np.ndarray]] = {g: [] for g in self.GROUPS}
        self._labels: dict[str, tuple[str, ...]] = {}

    def record(self, snap) -> None:
        """Aggregate one month's snapshot."""
        inc = _incumbents(snap)
        unemployed = np.flatnonzero(snap.status == _UNEMPLOYED)
        n_occ = snap.headcount.shape[1]
        n_sec, n_reg = len(snap.sector_names), len(snap.region_names)
        by_sec, by_occ, by_reg = cell_sums(
            snap.headcount,
            snap.target,
            snap.openings,
            snap.hires_by_cell,
            snap.employer_sector,
            snap.employer_region,
            n_sec,
            n_reg,
        )
        # The employed's shortfall per group, from the per-employer sums of the worker pass.
        short_emp, count_emp = inc.shortfall_by_employer, inc.employed_by_employer
        short_occ, count_occ = inc.shortfall_by_occupation, inc.employed_by_occupation

        def mean(total: np.ndarray, count: np.ndarray) -> np.ndarray:
            return np.divide(total, count, out=np.full(total.size, np.nan), where=count > 0)

        def by_employer(groups: np.ndarray, size: int) -> np.ndarray:
            return mean(np.bincount(groups, short_emp, size), np.bincount(groups, count_emp, size))

        last = snap.last_employer[unemployed]
        known = last >= 0
        u_sector = np.bincount(snap.employer_sector[last[known]], minlength=n_sec)
        u_occ = np.bincount(snap.occupation[unemployed], minlength=n_occ)
        u_region = np.bincount(snap.region[unemployed], minlength=n_reg)
        s = snap.scale
        self._rows["sector"].append(
            np.vstack(
                [
                    by_sec * s,
                    u_sector * s,
                    np.full(n_sec, np.nan),
                    by_employer(snap.employer_sector, n_sec),
                ]
            )
        )
        self._rows["occupation"].append(
            np.vstack([by_occ * s, u_occ * s, np.full(n_occ, np.nan), mean(short_occ, count_occ)])
        )
        self._rows["region"].append(
            np.vstack(
                [
                    by_reg * s,
                    u_region * s,
                    inc.employed_by_residence[:n_reg] * s,
                    by_employer(snap.employer_region, n_reg),
                ]
            )
        )
        self._months.append(snap.month)
        self._labels = {
            "sector": snap.sector_names,
            "occupation": snap.occupation_names,
            "region": snap.region_names,
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"by_sector": ..., "by_occupation": ..., "by_region": ...}`` long-format tables."""
        out = {}
        names = (
            "employment",
            "target",
            "vacancies",
            "hires",
            "unemployed",
            "resident_employment",
            "mean_shortfall_incumbents",
        )
        for group in self.GROUPS:
            labels = self._labels.get(group, ())
            df = _long_table(self._months, group, labels, self._rows[group], names)
            emp = df["resident_employment"] if group == "region" else df["employment"]
            denom = (df["unemployed"] + emp).to_numpy()
            df["unemployment_rate"] = np.divide(
                df["unemployed"].to_numpy(), denom, out=np.full(len(df), np.nan), where=denom > 0
            )
            if group != "region":
                df = df.drop(columns="resident_employment")
            out[f"by_{group}"] = df
        return out


class SkillGapRecorder:
    """Skills demanded against skills held, per skill and month (table ``skill_gaps``).

    With ``r_o`` the current requirement profile of occupation ``o`` and ``x_i`` worker ``i``'s
    skills, per skill ``s``:

    * ``demand_vacancies = Σ_o V_o r_os / Σ_o V_o`` — openings-weighted mean requirement;
    * ``demand_jobs = Σ_o E_o r_os / Σ_o E_o`` — headcount-weighted mean requirement of filled
      jobs;
    * ``held_seekers`` — mean skill of the unemployed; ``held_incumbents`` — of the employed;
    * ``gap_vacancies = demand_vacancies − held_seekers`` and ``gap_jobs = demand_jobs −
      held_incumbents`` (:func:`skill_gap`; positive = in short supply);
    * ``shortfall_incumbents = (1/E) Σ_i max(0, r_{o(i)s} − x_is)`` — the mean missing level
      of skill ``s`` among incumbents against their own jobs (surpluses elsewhere do not
      offset it; the skill-``s`` term of the model's skill shortfall before weighting).

    Means are ``nan`` when the group (vacancies, jobs, unemployed, employed) is empty.
    """

    COLUMNS = (
        "demand_vacancies",
        "demand_jobs",
        "held_seekers",
        "held_incumbents",
        "gap_vacancies",
        "gap_jobs",
        "shortfall_incumbents",
    )

    def __init__(self) -> None:
        self._months: list[int] = []
        self._blocks: list[np.ndarray] = []
        self._skills: tuple[str, ...] = ()

    def record(self, snap) -> None:
        """Aggregate one month's snapshot."""
        nan = np.full(snap.requirements.shape[1], np.nan)
        demand_v = weighted_mean_rows(snap.openings.sum(axis=0), snap.requirements)
        demand_j = weighted_mean_rows(snap.headcount.sum(axis=0), snap.requirements)
        inc = _incumbents(snap)
        n_e = inc.rows.size
        held_u = inc.held_unemployed_sum / inc.n_unemployed if inc.n_unemployed else nan
        held_e = inc.held_employed_sum / n_e if n_e else nan
        short = inc.deficit_sum / n_e if n_e else nan
        self._blocks.append(
            np.vstack(
                [demand_v, demand_j, held_u, held_e, demand_v - held_u, demand_j - held_e, short]
            )
        )
        self._months.append(snap.month)
        self._skills = snap.skill_names

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"skill_gaps": ...}``: one row per month and skill."""
        return {
            "skill_gaps": _long_table(
                self._months, "skill", self._skills, self._blocks, self.COLUMNS
            )
        }


class InclusivenessRecorder:
    """Labour-market outcomes by education level, age band and region (``inclusiveness``).

    One row per month, dimension (``education``, ``age_band``, ``region`` of residence) and
    group. Columns (counts in persons):

    * ``employed``, ``unemployed``, ``unemployment_rate = U_g / (U_g + E_g)``;
    * ``long_term_unemployed`` (spell ≥ ``long_term_months``) and
      ``long_term_unemployed_share = LTU_g / U_g`` (OECD/Eurostat);
    * ``mean_unemployment_duration``: mean ongoing spell of the unemployed, months;
    * ``job_finding_rate = #(U at t−1 and E at t) / #(U at t−1)`` and
      ``separation_rate = #(E at t−1 and U at t) / #(E at t−1)``: monthly gross-flow
      transition probabilities from month-end statuses (Shimer 2012), grouped by the current
      group (``nan`` at month 0 and for empty groups; a worker separated and rehired within the
      same month is not counted);
    * ``mean_shortfall_incumbents``: the employed's mean skill shortfall
      ``Σ_s a_s·max(0, r_s − x_s) / Σ_s a_s·r_s``.

    Args:
        age_edges: Age band edges (see :func:`age_band`); ages outside are left out of the
            age bands but counted in the other dimensions.
        long_term_months: Spell length (months, inclusive) that counts as long-term.
    """

    DIMENSIONS = ("education", "age_band", "region")
    COLUMNS = (
        "employed",
        "unemployed",
        "long_term_unemployed",
        "mean_unemployment_duration",
        "job_finding_rate",
        "separation_rate",
        "mean_shortfall_incumbents",
    )

    def __init__(
        self, age_edges: Sequence[float] = DEFAULT_AGE_EDGES, long_term_months: int = 12
    ) -> None:
        self.age_edges = np.asarray(age_edges, dtype=np.float64)
        self.age_labels = age_band(np.zeros(0), age_edges).labels
        self.long_term_months = long_term_months
        self._months: list[int] = []
        self._blocks: list[np.ndarray] = []
        self._labels: dict[str, tuple[str, ...]] = {}
        self._prev_status: np.ndarray | None = None

    def record(self, snap) -> None:
        """Aggregate one month's snapshot."""
        inc = _incumbents(snap)
        prev = self._prev_status
        acc = group_sums(
            snap.status,
            prev if prev is not None else np.zeros(0, np.int8),
            snap.education,
            snap.age,
            self.age_edges,
            snap.region,
            snap.unemployment_months,
            inc.shortfall,
            self.long_term_months,
            len(snap.education_names),
            len(snap.region_names),
            _EMPLOYED,
            _UNEMPLOYED,
        )
        e, u, ltu, dur, short, prev_u, u_to_e, prev_e, e_to_u = acc.T
        g = acc.shape[0]

        def ratio(num: np.ndarray, den: np.ndarray) -> np.ndarray:
            return np.divide(num, den, out=np.full(g, np.nan), where=den > 0)

        no_flow = np.full(g, np.nan)
        blocks = [
            np.vstack(
                [
                    e * snap.scale,
                    u * snap.scale,
                    ltu * snap.scale,
                    ratio(dur, u),
                    no_flow if prev is None else ratio(u_to_e, prev_u),
                    no_flow if prev is None else ratio(e_to_u, prev_e),
                    ratio(short, e),
                ]
            )
        ]
        self._blocks.append(np.hstack(blocks))
        self._months.append(snap.month)
        self._prev_status = snap.status.copy()
        self._labels = {
            "education": tuple(snap.education_names),
            "age_band": tuple(self.age_labels),
            "region": tuple(snap.region_names),
        }

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"inclusiveness": ...}``: one row per month, dimension and group."""
        dims = [d for d in self.DIMENSIONS for _ in self._labels.get(d, ())]
        groups = [g for d in self.DIMENSIONS for g in self._labels.get(d, ())]
        df = _long_table(self._months, "group", groups, self._blocks, self.COLUMNS)
        categories = list(dict.fromkeys(groups))
        df["group"] = pd.Categorical(
            np.tile(np.asarray(groups, dtype=object), len(self._months)), categories=categories
        )
        df.insert(
            1,
            "dimension",
            pd.Categorical(
                np.tile(np.asarray(dims, dtype=object), len(self._months)),
                categories=list(self.DIMENSIONS),
            ),
        )
        lf = (df["unemployed"] + df["employed"]).to_numpy()
        nan = np.full(len(df), np.nan)
        df.insert(
            5,
            "unemployment_rate",
            np.divide(df["unemployed"].to_numpy(), lf, out=nan.copy(), where=lf > 0),
        )
        u = df["unemployed"].to_numpy()
        df.insert(
            7,
            "long_term_unemployed_share",
            np.divide(df["long_term_unemployed"].to_numpy(), u, out=nan.copy(), where=u > 0),
        )
        return {"inclusiveness": df}


class DurationRecorder:
    """Distribution of ongoing unemployment spells per month (``unemployment_duration``).

    Bins are left-closed ``[b_k, b_{k+1})`` as in :func:`duration_distribution`, labelled by
    the completed months they hold (default ``0, 1-2, 3-5, 6-11, 12-23, 24+``); a spell of
    exactly 12 months is long-term. Columns: ``unemployed`` (persons in the bin) and ``share``
    (of all unemployed; ``nan`` when nobody is unemployed). A spell's length is the full months
    since it began (``month - spell_start``, counted at month end), so the spells begun this
    month are the ``0`` bin.

    Args:
        bins: Strictly increasing bin edges starting at 0, the last one ``inf``.
    """

    def __init__(self, bins: Sequence[float] = DEFAULT_DURATION_BINS) -> None:
        self.labels = list(duration_distribution(np.zeros(0), bins).index)
        self.edges = np.asarray(bins, dtype=np.float64)
        if self.edges[0] != 0 or not np.isinf(self.edges[-1]):
            raise ValueError("bins must start at 0 and end with inf")
        self._months: list[int] = []
        self._blocks: list[np.ndarray] = []

    def record(self, snap) -> None:
        """Aggregate one month's snapshot."""
        spells = snap.unemployment_months[snap.status == _UNEMPLOYED]
        index = np.searchsorted(self.edges, spells, side="right") - 1
        counts = np.bincount(index, minlength=len(self.labels)).astype(np.float64)
        share = counts / spells.size if spells.size else np.full(counts.size, np.nan)
        self._blocks.append(np.vstack([counts * snap.scale, share]))
        self._months.append(snap.month)

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"unemployment_duration": ...}``: one row per month and duration bin."""
        return {
            "unemployment_duration": _long_table(
                self._months, "duration", self.labels, self._blocks, ("unemployed", "share")
            )
        }


AGENT_COLUMNS: tuple[str, ...] = (
    "status",
    "age",
    "education",
    "region",
    "municipality",
    "occupation",
    "employer",
    "sector",
    "last_employer",
    "unemployment_months",
    "skills",
)
"""Columns an :class:`AgentSnapshotRecorder` can copy (``skills`` gives one column per skill)."""

_STATUS_NAMES = tuple(status.name.lower() for status in Status)
"""The agent table's status labels: the :class:`~ecosim.state.Status` members, lower-cased."""
_STATUS_CATEGORY = np.full(max(Status) + 1, -1, dtype=np.int64)
_STATUS_CATEGORY[[int(status) for status in Status]] = np.arange(len(Status))
"""Status code -> position of its label in :data:`_STATUS_NAMES`."""


class AgentSnapshotRecorder:
    """Copies chosen worker columns at chosen months into one columnar table (``agents``).

    Rows are workers in the labour force (or all rows with ``include_retired``), one block per
    chosen month; columns are copied straight from the state arrays (no per-agent objects), so
    100k workers cost a few milliseconds per snapshot. ``Results`` saves the table as
    ``agents.parquet``. Columns: ``month``, ``worker`` (the worker's row, stable over the run),
    then the chosen ones; ``status``, ``education``, ``region``, ``occupation`` and ``sector``
    (of the current employer) are categoricals with the scenario's labels; ``skills`` becomes
    ``skill_<name>`` columns.

    Args:
        months: Months to copy (0 is the initial state: the model records it on construction,
            so a recorder appended later must be given ``model.snapshot()`` by hand).
        columns: Subset of :data:`AGENT_COLUMNS` (default: all).
        include_retired: Also copy retired rows.

    Raises:
        ValueError: If a column is unknown or a month is negative.
    """

    def __init__(
        self,
        months: Sequence[int],
        columns: Sequence[str] | None = None,
        include_retired: bool = False,
    ) -> None:
        self.months = frozenset(int(m) for m in months)
        if any(m < 0 for m in self.months):
            raise ValueError(f"months must be non-negative; got {sorted(self.months)}")
        self.columns = tuple(AGENT_COLUMNS if columns is None else columns)
        unknown = [c for c in self.columns if c not in AGENT_COLUMNS]
        if unknown:
            raise ValueError(f"unknown agent column(s) {unknown}; choose from {AGENT_COLUMNS}")
        self.include_retired = include_retired
        self._chunks: list[dict[str, np.ndarray]] = []
        self._recorded: set[int] = set()
        self._labels: dict[str, list[str]] = {"status": list(_STATUS_NAMES)}

    def record(self, snap) -> None:
        """Copy the chosen columns if this is one of the chosen months."""
        if snap.month not in self.months or snap.month in self._recorded:
            return
        self._recorded.add(snap.month)
        if self.include_retired:
            rows = np.arange(snap.status.size)
        else:
            rows = np.flatnonzero(snap.status != _RETIRED)
        chunk: dict[str, np.ndarray] = {
            "month": np.full(rows.size, snap.month, dtype=np.int64),
            "worker": rows.astype(np.int64),
        }
        for col in self.columns:
            if col == "skills":
                for j, name in enumerate(snap.skill_names):
                    chunk[f"skill_{name}"] = snap.skills[rows, j]
            elif col == "status":
                chunk["status"] = _STATUS_CATEGORY[snap.status[rows]]
            elif col == "sector":
                emp = snap.employer[rows]
                chunk["sector"] = np.where(emp >= 0, snap.employer_sector[np.maximum(emp, 0)], -1)
            else:
                chunk[col] = getattr(snap, col)[rows]
        self._chunks.append(chunk)
        self._labels.update(
            education=list(snap.education_names),
            region=list(snap.region_names),
            occupation=list(snap.occupation_names),
            sector=list(snap.sector_names),
        )

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"agents": ...}`` (empty dict if no chosen month has been recorded)."""
        if not self._chunks:
            return {}
        data: dict[str, object] = {}
        for name in self._chunks[0]:
            values = np.concatenate([c[name] for c in self._chunks])
            if name in self._labels:
                data[name] = pd.Categorical.from_codes(
                    values.astype(np.int64), categories=self._labels[name]
                )
            else:
                data[name] = values
        return {"agents": pd.DataFrame(data)}


class ChannelsRecorder:
    """How each occupation's jobs are filled, month by month (table ``channels``).

    Per month and occupation (persons): ``employment``, ``target``, ``vacancies`` and the
    ``vacancy_rate`` V / (V + E); hires from unemployment, job to job, of entrants, of the
    unemployed who retrained into the occupation, and of hires trained on the job (the last
    three overlap the first two); vacancies withdrawn; the ``wage_index``. A growing
    occupation's gap closes through these channels: the table says which carried it.
    """

    def __init__(self) -> None:
        self._months: list[int] = []
        self._blocks: list[np.ndarray] = []
        self._labels: tuple[str, ...] = ()

    def record(self, snap) -> None:
        """Aggregate one month's snapshot."""
        s = snap.scale
        employment = snap.headcount.sum(axis=0).astype(np.float64)
        vacancies = snap.openings.sum(axis=0).astype(np.float64)
        rate = np.divide(vacancies, vacancies + employment, out=np.full(vacancies.size, np.nan),
                         where=vacancies + employment > 0)  # fmt: skip
        flows = snap.occupation_flows
        if flows.shape[1] != employment.size:  # month 0: no flows yet
            flows = np.zeros((len(OCCUPATION_FLOWS), employment.size))
        self._blocks.append(
            np.vstack(
                [
                    employment * s,
                    snap.target.sum(axis=0) * s,
                    vacancies * s,
                    rate,
                    flows * s,
                    snap.wage_index,
                ]
            )
        )
        self._months.append(snap.month)
        self._labels = snap.occupation_names

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"channels": ...}``."""
        names = ("employment", "target", "vacancies", "vacancy_rate", *OCCUPATION_FLOWS,
                 "wage_index")  # fmt: skip
        return {
            "channels": _long_table(self._months, "occupation", self._labels, self._blocks, names)
        }


class ClosureRecorder:
    """What became of the workers of each closed employer (table ``closures``).

    Per closure (numbered in order) and month from the closure on: the displaced workers
    (persons), how many are employed, unemployed, inactive, retired, and the share employed,
    in all and in another occupation than the one they lost.
    """

    def __init__(self) -> None:
        self._rows: list[dict[str, float]] = []
        self._start: dict[int, int] = {}
        self._occupation: dict[int, np.ndarray] = {}

    def record(self, snap) -> None:
        """Count each closure cohort's statuses this month."""
        rows = np.flatnonzero(snap.closure >= 0)
        if rows.size == 0:
            return
        for k in np.unique(snap.closure[rows]):
            mine = rows[snap.closure[rows] == k]
            if k not in self._start:
                self._start[int(k)] = snap.month
                self._occupation[int(k)] = snap.occupation[mine].copy()
            status = snap.status[mine]
            employed = status == _EMPLOYED
            moved = employed & (snap.occupation[mine] != self._occupation[int(k)])
            n = mine.size
            self._rows.append(
                {
                    "month": snap.month,
                    "closure": int(k),
                    "months_since": snap.month - self._start[int(k)],
                    "displaced": n * snap.scale,
                    "employed": int(employed.sum()) * snap.scale,
                    "unemployed": int(np.count_nonzero(status == _UNEMPLOYED)) * snap.scale,
                    "inactive": int(np.count_nonzero(status == int(Status.INACTIVE))) * snap.scale,
                    "retired": int(np.count_nonzero(status == _RETIRED)) * snap.scale,
                    "employed_share": float(employed.mean()),
                    "employed_other_occupation_share": float(moved.mean()),
                }
            )

    def tables(self) -> dict[str, pd.DataFrame]:
        """``{"closures": ...}`` (empty when nothing closed)."""
        columns = [
            "month", "closure", "months_since", "displaced", "employed", "unemployed",
            "inactive", "retired", "employed_share", "employed_other_occupation_share",
        ]  # fmt: skip
        return {"closures": pd.DataFrame(self._rows, columns=columns)}


def default_recorders() -> list:
    """The recorders every model starts with (each has ``record(snapshot)`` and ``tables()``).

    :class:`BreakdownRecorder`, :class:`SkillGapRecorder`, :class:`InclusivenessRecorder`,
    :class:`DurationRecorder`, :class:`ChannelsRecorder` and :class:`ClosureRecorder`.
    """
    return [
        BreakdownRecorder(),
        SkillGapRecorder(),
        InclusivenessRecorder(),
        DurationRecorder(),
        ChannelsRecorder(),
        ClosureRecorder(),
    ]
