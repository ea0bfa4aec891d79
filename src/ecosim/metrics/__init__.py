"""Labour-market indicators: the formulas, the monthly recorders and the end-of-run tables.

* :mod:`ecosim.metrics.formulas` — rates and flows, the Beveridge curve, unemployment
  durations, skill gaps and shortfalls, group breakdowns, time to fill;
  :mod:`ecosim.metrics.mismatch` — the Jackman–Roper and Şahin–Song–Topa–Violante indices;
  :mod:`ecosim.metrics.matching_function` — the Cobb–Douglas matching-function fit. Pure
  functions of arrays and pandas objects.
* :mod:`ecosim.metrics.recorders` — the recorders the model hands a
  :class:`ecosim.state.Snapshot` at the end of every month, and the tables they build.
* :mod:`ecosim.metrics.tables` — tables derived from a finished run (mismatch over time, the
  matching function, time to fill, the Beveridge curve) and their descriptions.

Everything public is importable from ``ecosim.metrics`` itself.
"""

from ecosim.metrics.formulas import (
    DEFAULT_AGE_EDGES,
    DEFAULT_DURATION_BINS,
    AgeBands,
    GroupRates,
    Shortfall,
    TimeToFill,
    age_band,
    band_labels,
    beveridge_curve,
    duration_distribution,
    group_rates,
    hazard_from_probability,
    job_finding_rate,
    labour_market_tightness,
    long_term_unemployment_share,
    mean_shortfall,
    participation_by_age,
    separation_rate,
    skill_gap,
    stock_flow_time_to_fill,
    time_to_fill,
    unemployment_rate,
    vacancy_rate,
    weighted_mean_rows,
)
from ecosim.metrics.matching_function import MatchingFunctionFit, estimate_matching_function
from ecosim.metrics.mismatch import jackman_roper, sstv_mismatch
from ecosim.metrics.recorders import (
    AGENT_COLUMNS,
    AgentSnapshotRecorder,
    BreakdownRecorder,
    ChannelsRecorder,
    ClosureRecorder,
    DurationRecorder,
    InclusivenessRecorder,
    SkillGapRecorder,
    default_recorders,
)
from ecosim.metrics.tables import (
    SEGMENTATIONS,
    TABLE_DESCRIPTIONS,
    beveridge_table,
    derived_tables,
    matching_function_table,
    mismatch_over_time,
    time_to_fill_table,
)

__all__ = [
    "AGENT_COLUMNS",
    "DEFAULT_AGE_EDGES",
    "DEFAULT_DURATION_BINS",
    "SEGMENTATIONS",
    "TABLE_DESCRIPTIONS",
    "AgeBands",
    "AgentSnapshotRecorder",
    "BreakdownRecorder",
    "ChannelsRecorder",
    "ClosureRecorder",
    "DurationRecorder",
    "GroupRates",
    "InclusivenessRecorder",
    "MatchingFunctionFit",
    "Shortfall",
    "SkillGapRecorder",
    "TimeToFill",
    "age_band",
    "band_labels",
    "beveridge_curve",
    "beveridge_table",
    "default_recorders",
    "derived_tables",
    "duration_distribution",
    "estimate_matching_function",
    "group_rates",
    "hazard_from_probability",
    "jackman_roper",
    "job_finding_rate",
    "labour_market_tightness",
    "long_term_unemployment_share",
    "matching_function_table",
    "mean_shortfall",
    "mismatch_over_time",
    "participation_by_age",
    "separation_rate",
    "skill_gap",
    "sstv_mismatch",
    "stock_flow_time_to_fill",
    "time_to_fill",
    "time_to_fill_table",
    "unemployment_rate",
    "vacancy_rate",
    "weighted_mean_rows",
]
