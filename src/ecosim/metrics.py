"""Labour-market indicators computed from the simulator's arrays and time series.

Every function here is pure: it takes NumPy arrays (or array-likes) and pandas objects, returns
new objects, and imports nothing from the rest of ``ecosim``. Counts may be integer or real
(e.g. ensemble averages) but must be finite and non-negative; shapes that should match must
match exactly. Bad input raises :class:`ValueError` with a message naming the argument.

Ratios whose denominator is zero (no unemployed, no vacancies, empty groups, empty samples)
are returned as ``nan`` explicitly, without emitting NumPy ``RuntimeWarning``\\ s.

References:
    Beveridge, W. H. (1944). *Full Employment in a Free Society*. Allen & Unwin.
    Elsby, M. W. L., Michaels, R. & Ratner, D. (2015). The Beveridge curve: a survey.
        *Journal of Economic Literature* 53(3), 571-630.
    Jackman, R. & Roper, S. (1987). Structural unemployment. *Oxford Bulletin of Economics
        and Statistics* 49(1), 9-36.
    Petrongolo, B. & Pissarides, C. A. (2001). Looking into the black box: a survey of the
        matching function. *Journal of Economic Literature* 39(2), 390-431.
    Şahin, A., Song, J., Topa, G. & Violante, G. L. (2014). Mismatch unemployment.
        *American Economic Review* 104(11), 3529-3564.
    Shimer, R. (2012). Reassessing the ins and outs of unemployment. *Review of Economic
        Dynamics* 15(2), 127-148.
    U.S. Bureau of Labor Statistics, Job Openings and Labor Turnover Survey (JOLTS),
        definition of the job openings rate.
"""

import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import Literal, NamedTuple

import numba
import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg

__all__ = [
    "AGENT_COLUMNS",
    "TABLE_DESCRIPTIONS",
    "AgeBands",
    "AgentSnapshotRecorder",
    "BreakdownRecorder",
    "DurationRecorder",
    "GroupRates",
    "InclusivenessRecorder",
    "MatchingFunctionFit",
    "Shortfall",
    "SkillGapRecorder",
    "TimeToFill",
    "age_band",
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
    "separation_rate",
    "skill_gap",
    "sstv_mismatch",
    "stock_flow_time_to_fill",
    "time_to_fill",
    "time_to_fill_table",
    "unemployment_rate",
    "vacancy_rate",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

DEFAULT_DURATION_BINS: tuple[float, ...] = (0.0, 1.0, 3.0, 6.0, 12.0, 24.0, np.inf)
DEFAULT_AGE_EDGES: tuple[float, ...] = (15, 25, 35, 45, 55, 65, 75)

_EXACT_FIT_RTOL = 1e-10


# ---------------------------------------------------------------------------------------------
# Input validation helpers
# ---------------------------------------------------------------------------------------------


def _as_float(x: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a float64 array, raising ValueError for non-numeric or non-finite input."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric; could not convert: {exc}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    return arr


def _as_counts(x: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a finite, non-negative float64 array."""
    arr = _as_float(x, name)
    if arr.size and np.min(arr) < 0:
        raise ValueError(f"{name} must be non-negative; minimum is {np.min(arr)}")
    return arr


def _as_1d(arr: FloatArray, name: str) -> FloatArray:
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    return arr


def _same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}"
        )


def _ratio(num: FloatArray, den: FloatArray) -> float | FloatArray:
    """Element-wise num/den with nan where den == 0; a Python float for 0-d input."""
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    if out.ndim == 0:
        return float(out)
    return out


def _scalar_ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def _format_edge(x: float) -> str:
    return f"{x:g}"


# ---------------------------------------------------------------------------------------------
# Stocks and flows
# ---------------------------------------------------------------------------------------------


def unemployment_rate(unemployed: npt.ArrayLike, employed: npt.ArrayLike) -> float | FloatArray:
    """Unemployment rate ``u = U / (U + E)``.

    Standard ILO/BLS definition: unemployed as a share of the labour force (employed plus
    unemployed).

    Args:
        unemployed: Count(s) of unemployed, U. Scalar or array.
        employed: Count(s) of employed, E. Same shape as ``unemployed``.

    Returns:
        A float for scalar input, otherwise an array of the same shape. ``nan`` where the labour
        force ``U + E`` is zero.

    Raises:
        ValueError: If shapes differ or any count is negative or non-finite.
    """
    u = _as_counts(unemployed, "unemployed")
    e = _as_counts(employed, "employed")
    _same_shape(u, e, "unemployed", "employed")
    return _ratio(u, u + e)


def vacancy_rate(vacancies: npt.ArrayLike, employed: npt.ArrayLike) -> float | FloatArray:
    """Vacancy (job openings) rate ``v = V / (V + E)``.

    This is the JOLTS definition (BLS): openings as a share of all jobs, filled plus unfilled.
    Note that it differs from the ``V / L`` normalisation by the labour force used in some of
    the Beveridge-curve literature (Elsby, Michaels & Ratner 2015).

    Args:
        vacancies: Count(s) of open vacancies, V. Scalar or array.
        employed: Count(s) of employed (filled jobs), E. Same shape as ``vacancies``.

    Returns:
        A float for scalar input, otherwise an array of the same shape. ``nan`` where
        ``V + E`` is zero.

    Raises:
        ValueError: If shapes differ or any count is negative or non-finite.
    """
    v = _as_counts(vacancies, "vacancies")
    e = _as_counts(employed, "employed")
    _same_shape(v, e, "vacancies", "employed")
    return _ratio(v, v + e)


def labour_market_tightness(
    vacancies: npt.ArrayLike, unemployed: npt.ArrayLike
) -> float | FloatArray:
    """Labour-market tightness ``theta = V / U`` (Petrongolo & Pissarides 2001).

    Args:
        vacancies: Count(s) of open vacancies, V.
        unemployed: Count(s) of unemployed, U. Same shape as ``vacancies``.

    Returns:
        A float for scalar input, otherwise an array. ``nan`` where ``U`` is zero.

    Raises:
        ValueError: If shapes differ or any count is negative or non-finite.
    """
    v = _as_counts(vacancies, "vacancies")
    u = _as_counts(unemployed, "unemployed")
    _same_shape(v, u, "vacancies", "unemployed")
    return _ratio(v, u)


def job_finding_rate(
    hires_from_unemployment: npt.ArrayLike, unemployed_prev: npt.ArrayLike
) -> float | FloatArray:
    """Monthly job-finding probability ``F_t = H^u_t / U_{t-1}``.

    The share of those unemployed at the end of month ``t-1`` who are hired during month ``t``
    (the discrete-time U-to-E transition probability of Shimer 2012). The caller aligns the
    arrays: element ``t`` of ``unemployed_prev`` must be the stock at ``t-1``. Use
    :func:`hazard_from_probability` for Shimer's continuous-time hazard ``-ln(1 - F)``.

    Args:
        hires_from_unemployment: Hires out of unemployment in each period, ``H^u_t``.
        unemployed_prev: Unemployed stock at the end of the previous period, ``U_{t-1}``.

    Returns:
        Array (float for scalar input) of the same shape; ``nan`` where ``U_{t-1} = 0``.

    Raises:
        ValueError: If shapes differ or any count is negative or non-finite.
    """
    h = _as_counts(hires_from_unemployment, "hires_from_unemployment")
    u = _as_counts(unemployed_prev, "unemployed_prev")
    _same_shape(h, u, "hires_from_unemployment", "unemployed_prev")
    return _ratio(h, u)


def separation_rate(
    separations_to_unemployment: npt.ArrayLike, employed_prev: npt.ArrayLike
) -> float | FloatArray:
    """Monthly separation probability ``S_t = X^u_t / E_{t-1}``.

    The share of those employed at the end of month ``t-1`` who flow into unemployment during
    month ``t`` (the E-to-U transition probability of Shimer 2012). The caller aligns the
    arrays as in :func:`job_finding_rate`.

    Args:
        separations_to_unemployment: Separations into unemployment in each period, ``X^u_t``.
        employed_prev: Employed stock at the end of the previous period, ``E_{t-1}``.

    Returns:
        Array (float for scalar input) of the same shape; ``nan`` where ``E_{t-1} = 0``.

    Raises:
        ValueError: If shapes differ or any count is negative or non-finite.
    """
    s = _as_counts(separations_to_unemployment, "separations_to_unemployment")
    e = _as_counts(employed_prev, "employed_prev")
    _same_shape(s, e, "separations_to_unemployment", "employed_prev")
    return _ratio(s, e)


def hazard_from_probability(probability: npt.ArrayLike) -> float | FloatArray:
    """Continuous-time hazard ``f = -ln(1 - F)`` from a per-period transition probability.

    Shimer (2012) time-aggregation correction: if events arrive at Poisson rate ``f``, the
    probability of at least one event within the period is ``F = 1 - exp(-f)``.

    Args:
        probability: Per-period probability ``F`` in ``[0, 1]``; ``nan`` is passed through
            (so the output of :func:`job_finding_rate` can be fed in directly).

    Returns:
        Hazard of the same shape (float for scalar input); ``inf`` where ``F = 1``.

    Raises:
        ValueError: If any non-nan value lies outside ``[0, 1]``.
    """
    try:
        p = np.asarray(probability, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"probability must be numeric: {exc}") from exc
    finite = ~np.isnan(p)
    if np.any((p[finite] < 0) | (p[finite] > 1)):
        raise ValueError("probability must lie in [0, 1]")
    out = np.full(p.shape, np.nan)
    interior = finite & (p < 1)
    out[finite & (p == 1)] = np.inf
    out[interior] = -np.log1p(-p[interior])
    if out.ndim == 0:
        return float(out)
    return out


# ---------------------------------------------------------------------------------------------
# Unemployment duration
# ---------------------------------------------------------------------------------------------


def long_term_unemployment_share(durations_months: npt.ArrayLike, threshold: float = 12) -> float:
    """Share of the unemployed whose ongoing spell has lasted at least ``threshold`` months.

    ``LTU = #{i : d_i >= threshold} / #{i}`` over the currently unemployed; with the default
    threshold of 12 months this is the OECD/Eurostat long-term unemployment share.

    Args:
        durations_months: Current spell durations (months) of the unemployed, one per person.
        threshold: Duration threshold in months (inclusive), must be non-negative.

    Returns:
        Share in ``[0, 1]``; ``nan`` if there are no unemployed.

    Raises:
        ValueError: If durations are negative, non-finite or not one-dimensional, or the
            threshold is negative or non-finite.
    """
    d = _as_1d(_as_counts(durations_months, "durations_months"), "durations_months")
    if not np.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold must be a non-negative finite number; got {threshold}")
    return _scalar_ratio(np.count_nonzero(d >= threshold), d.size)


def duration_distribution(
    durations_months: npt.ArrayLike,
    bins: Sequence[float] = DEFAULT_DURATION_BINS,
) -> pd.Series:
    """Distribution of unemployment spell durations across duration bins.

    Bins are left-closed, right-open: ``[b_k, b_{k+1})``, so with the default edges
    ``(0, 1, 3, 6, 12, 24, inf)`` a spell of exactly 12 months falls in ``"12–24"``, consistent
    with :func:`long_term_unemployment_share`. Share of bin ``k`` is
    ``#{i : b_k <= d_i < b_{k+1}} / #{i}``.

    Args:
        durations_months: Current spell durations (months) of the unemployed.
        bins: Strictly increasing bin edges (at least two); the last may be ``inf``.

    Returns:
        Series of shares (summing to 1) indexed by labels such as ``"0–1"``, ``"1–3"``, ...,
        ``"24+"`` (a bin with an infinite upper edge is labelled ``"<lower>+"``). All ``nan``
        if there are no unemployed.

    Raises:
        ValueError: If durations are negative, non-finite or fall outside the bins, or the
            bins are not strictly increasing.
    """
    d = _as_1d(_as_counts(durations_months, "durations_months"), "durations_months")
    try:
        edges = np.asarray(bins, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"bins must be numeric: {exc}") from exc
    if edges.ndim != 1 or edges.size < 2:
        raise ValueError("bins must be a sequence of at least two edges")
    if np.any(np.isnan(edges)) or np.any(np.diff(edges) <= 0) or np.isinf(edges[0]):
        raise ValueError(f"bins must be finite-started and strictly increasing; got {bins}")
    if d.size and (np.min(d) < edges[0] or np.max(d) >= edges[-1]):
        raise ValueError(f"durations must lie in [{edges[0]:g}, {edges[-1]:g})")
    n_bins = edges.size - 1
    labels = [
        f"{_format_edge(lo)}+" if np.isinf(hi) else f"{_format_edge(lo)}–{_format_edge(hi)}"
        for lo, hi in pairwise(edges)
    ]
    index = np.searchsorted(edges, d, side="right") - 1
    counts = np.bincount(index, minlength=n_bins).astype(np.float64)
    shares = counts / d.size if d.size else np.full(n_bins, np.nan)
    return pd.Series(
        shares, index=pd.Index(labels, name="duration_months"), name="share", dtype=np.float64
    )


# ---------------------------------------------------------------------------------------------
# Mismatch indices
# ---------------------------------------------------------------------------------------------


def _segment_shares(u_i: npt.ArrayLike, v_i: npt.ArrayLike) -> tuple[FloatArray, FloatArray] | None:
    """Validate per-segment counts and return their shares, or None if a total is zero."""
    u = _as_1d(_as_counts(u_i, "u_i"), "u_i")
    v = _as_1d(_as_counts(v_i, "v_i"), "v_i")
    _same_shape(u, v, "u_i", "v_i")
    u_tot, v_tot = u.sum(), v.sum()
    if u_tot <= 0 or v_tot <= 0:
        return None
    return u / u_tot, v / v_tot


def jackman_roper(u_i: npt.ArrayLike, v_i: npt.ArrayLike) -> float:
    """Jackman–Roper (1987) structural mismatch index.

    ``JR = ½ · Σ_i |u_i/u − v_i/v|`` with ``u = Σ u_i`` and ``v = Σ v_i``: the share of the
    unemployed who would have to change segment (occupation, region, ...) for the distribution
    of unemployment to match that of vacancies. It is 0 when the shares coincide and 1 under
    complete segregation.

    Args:
        u_i: Unemployed per segment.
        v_i: Vacancies per segment, same length.

    Returns:
        Index in ``[0, 1]``; ``nan`` when total unemployment or total vacancies is zero.

    Raises:
        ValueError: If lengths differ, input is not 1-D, or any count is negative/non-finite.
    """
    shares = _segment_shares(u_i, v_i)
    if shares is None:
        return float("nan")
    us, vs = shares
    return float(min(0.5 * np.abs(us - vs).sum(), 1.0))


def sstv_mismatch(u_i: npt.ArrayLike, v_i: npt.ArrayLike, alpha: float = 0.5) -> float:
    """Şahin–Song–Topa–Violante (2014) mismatch index with equal matching efficiency.

    ``M = 1 − Σ_i (v_i/v)^α · (u_i/u)^(1−α)``, where ``α`` is the vacancy elasticity of a
    Cobb–Douglas matching function ``m_i = φ v_i^α u_i^(1−α)`` common to all segments. ``M``
    is the fraction of hires lost because unemployed are not allocated across segments as a
    planner would (proportionally to vacancies). By Hölder's inequality ``M`` lies in
    ``[0, 1]``; it is 0 when the shares coincide and 1 under complete segregation. The result
    is clipped to ``[0, 1]`` to remove floating-point rounding of order 1e-16.

    Args:
        u_i: Unemployed per segment.
        v_i: Vacancies per segment, same length.
        alpha: Vacancy elasticity of matching, in ``[0, 1]``.

    Returns:
        Index in ``[0, 1]``; ``nan`` when total unemployment or total vacancies is zero.

    Raises:
        ValueError: If lengths differ, input is not 1-D, any count is negative/non-finite, or
            ``alpha`` lies outside ``[0, 1]``.
    """
    if not np.isfinite(alpha) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1]; got {alpha}")
    shares = _segment_shares(u_i, v_i)
    if shares is None:
        return float("nan")
    us, vs = shares
    m = 1.0 - float(np.sum(np.power(vs, alpha) * np.power(us, 1.0 - alpha)))
    return min(max(m, 0.0), 1.0)


# ---------------------------------------------------------------------------------------------
# Beveridge curve and matching function
# ---------------------------------------------------------------------------------------------


def beveridge_curve(timeseries: pd.DataFrame) -> pd.DataFrame:
    """Points of the Beveridge curve (Beveridge 1944; Elsby, Michaels & Ratner 2015).

    Pairs the unemployment rate ``u_t`` with the vacancy rate ``v_t`` month by month and adds
    the tightness ``theta_t = v_t / u_t``. With the JOLTS vacancy rate ``V/(V+E)`` and
    ``u = U/(U+E)`` this ratio approximates, but is not identical to, ``V/U`` (see
    :func:`labour_market_tightness`).

    Args:
        timeseries: DataFrame indexed by month with columns ``unemployment_rate`` and
            ``vacancy_rate`` (rates in ``[0, 1]``; ``nan`` allowed and propagated).

    Returns:
        DataFrame with a fresh ``RangeIndex`` and columns ``month`` (the input index, order
        preserved), ``u``, ``v`` and ``theta``; ``theta`` is ``nan`` where ``u`` is zero or
        either rate is ``nan``.

    Raises:
        ValueError: If a required column is missing, or a rate lies outside ``[0, 1]``.
    """
    if not isinstance(timeseries, pd.DataFrame):
        raise ValueError(f"timeseries must be a pandas DataFrame; got {type(timeseries)!r}")
    missing = [c for c in ("unemployment_rate", "vacancy_rate") if c not in timeseries.columns]
    if missing:
        raise ValueError(f"timeseries is missing required column(s): {missing}")
    rates = {}
    for col in ("unemployment_rate", "vacancy_rate"):
        try:
            x = timeseries[col].to_numpy(dtype=np.float64, na_value=np.nan)
        except (TypeError, ValueError) as exc:
            raise ValueError(f"column {col!r} must be numeric: {exc}") from exc
        present = x[~np.isnan(x)]
        if np.any((present < 0) | (present > 1)):
            raise ValueError(f"column {col!r} must contain rates in [0, 1]")
        rates[col] = x
    u, v = rates["unemployment_rate"], rates["vacancy_rate"]
    theta = np.full(u.shape, np.nan)
    np.divide(v, u, out=theta, where=u > 0)
    return pd.DataFrame(
        {"month": timeseries.index.to_numpy(), "u": u, "v": v, "theta": theta},
    )


@dataclass(frozen=True)
class MatchingFunctionFit:
    """Result of :func:`estimate_matching_function`.

    Attributes:
        alpha: Elasticity of hires with respect to unemployment, ``α``.
        beta: Elasticity of hires with respect to vacancies, ``β``.
        log_A: Log matching efficiency, ``ln A``.
        se_alpha: Standard error of ``alpha``.
        se_beta: Standard error of ``beta``.
        se_log_A: Standard error of ``log_A``.
        r2: Coefficient of determination of the log regression (``nan`` if ``ln H`` is
            constant).
        n_obs: Number of observations used.
        n_dropped: Number of observations dropped because H, U or V was zero.
        constant_returns_pvalue: Two-sided p-value of the t (Wald) test of ``α + β = 1``;
            ``nan`` for a numerically exact fit.
        residual_std: Residual standard error ``sqrt(RSS / (n − 3))``.
    """

    alpha: float
    beta: float
    log_A: float
    se_alpha: float
    se_beta: float
    se_log_A: float
    r2: float
    n_obs: int
    n_dropped: int
    constant_returns_pvalue: float
    residual_std: float

    @property
    def A(self) -> float:
        """Matching efficiency ``A = exp(log_A)``."""
        return float(np.exp(self.log_A))

    @property
    def returns_to_scale(self) -> float:
        """Sum of elasticities ``α + β`` (1 under constant returns)."""
        return self.alpha + self.beta


def _pool(x: npt.ArrayLike | Sequence[npt.ArrayLike], name: str) -> FloatArray:
    """Flatten one run (any shape) or a sequence of runs of possibly different lengths."""
    if isinstance(x, list | tuple) and len(x) > 0 and all(np.ndim(r) >= 1 for r in x):
        return np.concatenate([_as_counts(r, name).ravel() for r in x])
    return _as_counts(x, name).ravel()


def estimate_matching_function(
    hires: npt.ArrayLike | Sequence[npt.ArrayLike],
    unemployed: npt.ArrayLike | Sequence[npt.ArrayLike],
    vacancies: npt.ArrayLike | Sequence[npt.ArrayLike],
) -> MatchingFunctionFit:
    """Estimate a Cobb–Douglas matching function by log-linear OLS.

    Fits ``ln H_t = ln A + α ln U_t + β ln V_t + ε_t`` (Petrongolo & Pissarides 2001)
    with classical (homoskedastic) standard errors ``se = sqrt(diag(s² (XᵀX)⁻¹))``,
    ``s² = RSS/(n − 3)``. Constant returns to scale are tested with
    ``t = (α̂ + β̂ − 1) / se(α̂ + β̂)``, ``Var(α̂+β̂) = Var α̂ + Var β̂ + 2 Cov(α̂, β̂)``, against
    Student's t with ``n − 3`` degrees of freedom (equivalent to the one-restriction Wald
    test ``F = t²``).

    Observations in which H, U or V is zero cannot be logged and are dropped (counted in
    ``n_dropped``). An ensemble is pooled with a common ``ln A`` (no run fixed effects): pass
    2-D arrays (runs × periods, flattened in C order) or lists of per-run 1-D arrays (which
    may differ in length) and they are concatenated.

    If the residual standard error is below ``1e-10 · max(1, max|ln H|)`` the fit is treated
    as exact: ``s²`` is set to 0, so the standard errors are 0 and the constant-returns
    p-value is ``nan``.

    Args:
        hires: Hires per period, H.
        unemployed: Unemployed per period (typically at the start of the period), U.
        vacancies: Vacancies per period (typically at the start of the period), V.

    Returns:
        A :class:`MatchingFunctionFit`.

    Raises:
        ValueError: If the pooled lengths differ, any count is negative or non-finite, fewer
            than four positive observations remain, or ``ln U``, ``ln V`` and the constant are
            collinear.
    """
    h = _pool(hires, "hires")
    u = _pool(unemployed, "unemployed")
    v = _pool(vacancies, "vacancies")
    if not h.shape == u.shape == v.shape:
        raise ValueError(
            "hires, unemployed and vacancies must have the same pooled length; "
            f"got {h.size}, {u.size}, {v.size}"
        )
    keep = (h > 0) & (u > 0) & (v > 0)
    n_dropped = int(h.size - np.count_nonzero(keep))
    n = int(np.count_nonzero(keep))
    k = 3
    if n <= k:
        raise ValueError(f"need at least {k + 1} observations with H, U, V > 0; got {n}")
    y = np.log(h[keep])
    x = np.column_stack([np.ones(n), np.log(u[keep]), np.log(v[keep])])
    q, r = linalg.qr(x, mode="economic")
    diag = np.abs(np.diag(r))
    if diag.min() <= max(diag.max(), 1.0) * n * np.finfo(np.float64).eps:
        raise ValueError("ln U, ln V and the constant are collinear; elasticities not identified")
    coef = linalg.solve_triangular(r, q.T @ y)
    resid = y - x @ coef
    rss = float(resid @ resid)
    df = n - k
    sigma2 = rss / df
    exact = np.sqrt(sigma2) <= _EXACT_FIT_RTOL * max(1.0, float(np.max(np.abs(y))))
    if exact:
        sigma2 = 0.0
    r_inv = linalg.solve_triangular(r, np.eye(k))
    cov = sigma2 * (r_inv @ r_inv.T)
    se = np.sqrt(np.clip(np.diag(cov), 0.0, None))
    tss = float(np.sum((y - y.mean()) ** 2))
    r2 = 1.0 - rss / tss if tss > 0 else float("nan")
    var_sum = float(cov[1, 1] + cov[2, 2] + 2.0 * cov[1, 2])
    if exact or var_sum <= 0:
        pvalue = float("nan")
    else:
        from scipy import stats  # imported here: ~0.4 s that every model and sweep worker saves

        t_stat = (coef[1] + coef[2] - 1.0) / np.sqrt(var_sum)
        pvalue = float(2.0 * stats.t.sf(abs(t_stat), df))
    return MatchingFunctionFit(
        alpha=float(coef[1]),
        beta=float(coef[2]),
        log_A=float(coef[0]),
        se_alpha=float(se[1]),
        se_beta=float(se[2]),
        se_log_A=float(se[0]),
        r2=float(r2),
        n_obs=n,
        n_dropped=n_dropped,
        constant_returns_pvalue=pvalue,
        residual_std=float(np.sqrt(sigma2)),
    )


# ---------------------------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------------------------


def _as_matrix(x: npt.ArrayLike, name: str) -> FloatArray:
    arr = _as_float(x, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D (rows × skills) array; got shape {arr.shape}")
    return arr


def skill_gap(
    demanded: npt.ArrayLike, held: npt.ArrayLike, weights: npt.ArrayLike | None = None
) -> FloatArray:
    """Per-skill gap between mean demanded requirement and mean held skill.

    ``gap_s = Σ_j w_j r_js / Σ_j w_j − (1/N) Σ_i x_is``, where ``r_js`` is row ``j`` of the
    requirement matrix (e.g. one row per vacancy or job type, weighted by ``w_j`` such as the
    number of vacancies) and ``x_is`` is row ``i`` of the skill matrix (e.g. one row per
    job-seeker). Positive entries are skills in short supply.

    Args:
        demanded: Requirement matrix, shape ``(n_jobs, n_skills)``.
        held: Skill matrix, shape ``(n_workers, n_skills)``.
        weights: Optional non-negative weights per row of ``demanded`` (length ``n_jobs``);
            unweighted mean if None.

    Returns:
        Array of length ``n_skills``; all ``nan`` if either side has no rows or the weights
        sum to zero.

    Raises:
        ValueError: If inputs are not 2-D, skill dimensions or weight length disagree, values
            are non-finite, or weights are negative.
    """
    r = _as_matrix(demanded, "demanded")
    x = _as_matrix(held, "held")
    if r.shape[1] != x.shape[1]:
        raise ValueError(
            f"demanded and held must have the same number of skills; got {r.shape[1]} "
            f"and {x.shape[1]}"
        )
    n_skills = r.shape[1]
    if weights is None:
        w = np.ones(r.shape[0])
    else:
        w = _as_1d(_as_counts(weights, "weights"), "weights")
        if w.size != r.shape[0]:
            raise ValueError(
                f"weights must have one entry per row of demanded ({r.shape[0]}); got {w.size}"
            )
    w_tot = w.sum()
    if w_tot <= 0 or x.shape[0] == 0:
        return np.full(n_skills, np.nan)
    return (w @ r) / w_tot - x.mean(axis=0)


class Shortfall(NamedTuple):
    """Result of :func:`mean_shortfall`: per-pair shortfalls and their mean."""

    per_pair: FloatArray
    mean: float


def mean_shortfall(
    skills: npt.ArrayLike,
    requirements: npt.ArrayLike,
    skill_weights: npt.ArrayLike,
    relative_to: Literal["weights", "requirement"] = "weights",
) -> Shortfall:
    """Weighted mean skill shortfall of workers against jobs, row by row.

    For each paired row ``p`` (worker skills ``x_p``, job requirements ``r_p``) only deficits
    count (surplus skills do not offset them):

    * ``relative_to="weights"``: ``shortfall_p = Σ_s a_s · max(0, r_ps − x_ps) / Σ_s a_s``;
    * ``relative_to="requirement"``: ``shortfall_p = Σ_s a_s · max(0, r_ps − x_ps) /
      Σ_s a_s · r_ps``, the share of the required (weighted) skill mass that is missing — the
      definition the model's recorders use (in ``[0, 1]``).

    Also returns the unweighted mean across pairs.

    Args:
        skills: Worker skill matrix, shape ``(n_pairs, n_skills)``.
        requirements: Job requirement matrix, same shape; row ``p`` pairs with row ``p`` of
            ``skills``.
        skill_weights: Non-negative importance weights ``a_s``: either shape ``(n_skills,)``
            (common to all pairs) or ``(n_pairs, n_skills)`` (job-specific).
        relative_to: The denominator: the weights ``Σ_s a_s`` or the weighted requirement
            ``Σ_s a_s r_ps``.

    Returns:
        ``Shortfall(per_pair, mean)``. ``per_pair[p]`` is ``nan`` when that row's denominator
        is zero; ``mean`` is the mean over the non-nan pairs, ``nan`` if there are none.

    Raises:
        ValueError: If shapes disagree, values are non-finite, or weights are negative.
    """
    x = _as_matrix(skills, "skills")
    r = _as_matrix(requirements, "requirements")
    _same_shape(x, r, "skills", "requirements")
    a = _as_counts(skill_weights, "skill_weights")
    if a.ndim == 1:
        if a.size != x.shape[1]:
            raise ValueError(f"skill_weights must have length n_skills={x.shape[1]}; got {a.size}")
        a = np.broadcast_to(a, x.shape)
    elif a.shape != x.shape:
        raise ValueError(
            f"skill_weights must have shape ({x.shape[1]},) or {x.shape}; got {a.shape}"
        )
    if relative_to not in ("weights", "requirement"):
        raise ValueError(f"relative_to must be 'weights' or 'requirement'; got {relative_to!r}")
    deficit = np.maximum(r - x, 0.0)
    norm = np.sum(a * r, axis=1) if relative_to == "requirement" else np.sum(a, axis=1)
    per_pair = _ratio(np.sum(a * deficit, axis=1), norm)
    per_pair = np.asarray(per_pair, dtype=np.float64)
    valid = per_pair[~np.isnan(per_pair)]
    mean = float(valid.mean()) if valid.size else float("nan")
    return Shortfall(per_pair=per_pair, mean=mean)


# ---------------------------------------------------------------------------------------------
# Group breakdowns
# ---------------------------------------------------------------------------------------------


class GroupRates(NamedTuple):
    """Per-group labour-force counts and unemployment rates from :func:`group_rates`."""

    employed: IntArray
    unemployed: IntArray
    unemployment_rate: FloatArray

    def to_frame(self, labels: Sequence[str] | None = None) -> pd.DataFrame:
        """Return the rates as a DataFrame indexed by group (or by ``labels`` if given)."""
        n = self.employed.size
        if labels is not None and len(labels) != n:
            raise ValueError(f"labels must have {n} entries; got {len(labels)}")
        index = pd.Index(list(labels) if labels is not None else np.arange(n), name="group")
        return pd.DataFrame(
            {
                "employed": self.employed,
                "unemployed": self.unemployed,
                "unemployment_rate": self.unemployment_rate,
            },
            index=index,
        )


def group_rates(
    status_codes: npt.ArrayLike,
    groups: npt.ArrayLike,
    n_groups: int,
    employed_code: int,
    unemployed_code: int,
) -> GroupRates:
    """Employed, unemployed and unemployment rate ``U_g / (U_g + E_g)`` per group.

    Counts are computed with ``np.bincount`` (no Python loop over individuals). Individuals
    whose status is neither ``employed_code`` nor ``unemployed_code`` (inactive, retired, ...)
    are ignored.

    Args:
        status_codes: Integer labour-market status per individual.
        groups: Integer group label per individual in ``[0, n_groups)`` (education level, age
            band from :func:`age_band`, region, ...). Same length as ``status_codes``.
        n_groups: Number of groups (output length), at least 1.
        employed_code: Status code meaning employed.
        unemployed_code: Status code meaning unemployed (must differ from ``employed_code``).

    Returns:
        ``GroupRates(employed, unemployed, unemployment_rate)``, arrays of length
        ``n_groups``; the rate is ``nan`` for groups with an empty labour force. Use
        ``.to_frame(labels)`` for a DataFrame.

    Raises:
        ValueError: If lengths differ, inputs are not 1-D integer arrays, a group label is out
            of range, ``n_groups < 1``, or the two codes coincide.
    """
    if int(n_groups) != n_groups or n_groups < 1:
        raise ValueError(f"n_groups must be a positive integer; got {n_groups}")
    n_groups = int(n_groups)
    if employed_code == unemployed_code:
        raise ValueError("employed_code and unemployed_code must differ")
    status = np.asarray(status_codes)
    grp = np.asarray(groups)
    for name, arr in (("status_codes", status), ("groups", grp)):
        if arr.ndim != 1:
            raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
        if arr.size and not np.issubdtype(arr.dtype, np.integer):
            raise ValueError(f"{name} must have an integer dtype; got {arr.dtype}")
    _same_shape(status, grp, "status_codes", "groups")
    grp = grp.astype(np.intp, copy=False)
    if grp.size and (grp.min() < 0 or grp.max() >= n_groups):
        raise ValueError(f"groups must lie in [0, {n_groups}); got [{grp.min()}, {grp.max()}]")
    employed = np.bincount(grp[status == employed_code], minlength=n_groups).astype(np.int64)
    unemployed = np.bincount(grp[status == unemployed_code], minlength=n_groups).astype(np.int64)
    rate = np.asarray(
        _ratio(unemployed.astype(np.float64), (unemployed + employed).astype(np.float64))
    )
    return GroupRates(employed=employed, unemployed=unemployed, unemployment_rate=rate)


class AgeBands(NamedTuple):
    """Result of :func:`age_band`: band index per person and one label per band."""

    index: IntArray
    labels: list[str]


def age_band(age_years: npt.ArrayLike, edges: Sequence[float] = DEFAULT_AGE_EDGES) -> AgeBands:
    """Assign ages to left-closed bands ``[e_k, e_{k+1})``.

    With the default edges ``(15, 25, ..., 75)`` the bands are the conventional ten-year groups
    labelled ``"15–24"``, ``"25–34"``, ..., ``"65–74"`` (for integer edges the label shows the
    last whole year, ``e_{k+1} − 1``; otherwise the edges themselves). An infinite last edge
    gives an open band labelled ``"<lower>+"``.

    Args:
        age_years: Ages in years (integer or fractional).
        edges: Strictly increasing band edges, at least two; the last may be ``inf``.

    Returns:
        ``AgeBands(index, labels)``: ``index`` is an int64 array with the band of each person
        (``-1`` for ages below the first or at/above the last edge) usable as ``groups`` in
        :func:`group_rates` after filtering; ``labels`` has one entry per band.

    Raises:
        ValueError: If ages are non-finite or edges are not strictly increasing.
    """
    ages = _as_float(age_years, "age_years")
    try:
        e = np.asarray(edges, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"edges must be numeric: {exc}") from exc
    if e.ndim != 1 or e.size < 2:
        raise ValueError("edges must be a sequence of at least two values")
    if np.any(np.isnan(e)) or np.isinf(e[0]) or np.any(np.diff(e) <= 0):
        raise ValueError(f"edges must be finite-started and strictly increasing; got {edges}")
    finite = e[np.isfinite(e)]
    integral = bool(np.all(finite == np.round(finite)))
    labels = []
    for lo, hi in pairwise(e):
        if np.isinf(hi):
            labels.append(f"{_format_edge(lo)}+")
        elif integral:
            labels.append(f"{int(lo)}–{int(hi) - 1}")
        else:
            labels.append(f"{_format_edge(lo)}–{_format_edge(hi)}")
    index = np.searchsorted(e, ages, side="right").astype(np.int64) - 1
    index[(ages < e[0]) | (ages >= e[-1])] = -1
    return AgeBands(index=index, labels=labels)


# ---------------------------------------------------------------------------------------------
# Vacancies
# ---------------------------------------------------------------------------------------------


class TimeToFill(NamedTuple):
    """Mean and median vacancy duration at fill, in months."""

    mean: float
    median: float


def time_to_fill(vacancy_durations_at_fill: npt.ArrayLike) -> TimeToFill:
    """Mean and median time to fill of filled vacancies.

    ``mean = (1/N) Σ_j d_j`` and ``median`` of the durations ``d_j`` (months from posting to
    fill) of the vacancies filled in the period. This is the completed-duration counterpart of
    the vacancy-filling rate ``q = H/V`` (Petrongolo & Pissarides 2001).

    Args:
        vacancy_durations_at_fill: Durations in months, one per filled vacancy.

    Returns:
        ``TimeToFill(mean, median)``; both ``nan`` if no vacancy was filled.

    Raises:
        ValueError: If durations are negative, non-finite or not one-dimensional.
    """
    d = _as_1d(
        _as_counts(vacancy_durations_at_fill, "vacancy_durations_at_fill"),
        "vacancy_durations_at_fill",
    )
    if d.size == 0:
        return TimeToFill(mean=float("nan"), median=float("nan"))
    return TimeToFill(mean=float(d.mean()), median=float(np.median(d)))


# ---------------------------------------------------------------------------------------------
# Stock-flow time to fill
# ---------------------------------------------------------------------------------------------


def stock_flow_time_to_fill(vacancies: npt.ArrayLike, hires: npt.ArrayLike) -> float | FloatArray:
    """Stock-flow estimate of the mean time to fill a vacancy, ``D = V / H`` months.

    By Little's law, in a steady state the stock of open vacancies equals the inflow times the
    mean completed duration; with the outflow through hires ``H`` (per month) equal to the
    inflow, the mean duration is ``V / H`` — the inverse of the vacancy-filling rate
    ``q = H / V`` (Petrongolo & Pissarides 2001; the "vacancy duration" of JOLTS-based work,
    e.g. Davis, Faberman & Haltiwanger 2013, *QJE* 128(2)). It is an estimate: the model does
    not age individual vacancies, and cancelled vacancies are ignored (they shorten actual
    durations). Use it when completed durations are not observed; :func:`time_to_fill` takes
    observed durations.

    Args:
        vacancies: Open vacancies (stock), V.
        hires: Hires per month (flow), H. Same shape as ``vacancies``.

    Returns:
        Months (float for scalar input, otherwise an array); ``nan`` where ``H`` is zero.

    Raises:
        ValueError: If shapes differ or any value is negative or non-finite.
    """
    v = _as_counts(vacancies, "vacancies")
    h = _as_counts(hires, "hires")
    _same_shape(v, h, "vacancies", "hires")
    return _ratio(v, h)


# ---------------------------------------------------------------------------------------------
# Recorders: monthly tables built from state snapshots (``ecosim.state.Snapshot``)
# ---------------------------------------------------------------------------------------------
#
# A recorder has ``record(snapshot)``, called by the model at the end of every month (and for
# the initial state, month 0), and ``tables() -> dict[str, DataFrame]``. Recording is a few
# ``np.bincount`` / matrix-vector products on the snapshot arrays per month; no Python loop
# over workers. Counts in the tables are persons (agents x ``snapshot.scale``).

_EMPLOYED = 1
_UNEMPLOYED = 2
_RETIRED = 4
"""Status codes of ``ecosim.state.Status`` (kept literal so this module imports no model code)."""


class _Incumbents(NamedTuple):
    """One pass over the workers, shared by the recorders (see :func:`_incumbents`)."""

    rows: IntArray
    shortfall: FloatArray
    deficit_sum: FloatArray
    held_employed_sum: FloatArray
    held_unemployed_sum: FloatArray
    n_unemployed: int
    shortfall_by_employer: FloatArray
    employed_by_employer: FloatArray
    shortfall_by_occupation: FloatArray
    employed_by_occupation: FloatArray
    employed_by_residence: FloatArray


@numba.njit(cache=True, nogil=True)
def _worker_pass(
    status, occupation, employer, region, skills, requirements, weights, need, n_emp, n_reg
):  # pragma: no cover
    """Shortfall of each employed worker and per-skill sums, without n x S temporaries.

    NumPy reference: ``deficit = max(0, R[o] − X)``; ``shortfall = deficit @ a / need[o]``
    (0 where ``need`` is 0); sums of ``deficit`` and of ``X`` over the employed and of ``X``
    over the unemployed; the employed's shortfall sums and counts per employer, per
    occupation, and the employed per region of residence.
    """
    n, n_skills = skills.shape
    n_occ = requirements.shape[0]
    short_emp = np.zeros(n_emp)
    count_emp = np.zeros(n_emp)
    short_occ = np.zeros(n_occ)
    count_occ = np.zeros(n_occ)
    resident = np.zeros(n_reg)
    n_e = 0
    for i in range(n):
        if status[i] == _EMPLOYED:
            n_e += 1
    rows = np.empty(n_e, np.int64)
    short = np.zeros(n_e)
    deficit_sum = np.zeros(n_skills)
    held_e = np.zeros(n_skills)
    held_u = np.zeros(n_skills)
    n_u = 0
    k = 0
    for i in range(n):
        st = status[i]
        if st == _EMPLOYED:
            o = occupation[i]
            total = 0.0
            for j in range(n_skills):
                x = skills[i, j]
                held_e[j] += x
                d = requirements[o, j] - x
                if d > 0.0:
                    deficit_sum[j] += d
                    total += weights[j] * d
            rows[k] = i
            value = total / need[o] if need[o] > 0 else 0.0
            short[k] = value
            short_emp[employer[i]] += value
            count_emp[employer[i]] += 1.0
            short_occ[o] += value
            count_occ[o] += 1.0
            resident[region[i]] += 1.0
            k += 1
        elif st == _UNEMPLOYED:
            n_u += 1
            for j in range(n_skills):
                held_u[j] += skills[i, j]
    return (
        rows,
        short,
        deficit_sum,
        held_e,
        held_u,
        n_u,
        short_emp,
        count_emp,
        short_occ,
        count_occ,
        resident,
    )


_incumbents_cache: list = [None, None]


def _incumbents(snap) -> _Incumbents:
    """Employed rows, their shortfall and per-skill sums (computed once per snapshot).

    ``shortfall_i = Σ_s a_s·max(0, r_s − x_is) / Σ_s a_s·r_s`` (0 where the job requires
    nothing), with ``r`` the requirement profile of the worker's occupation; also the per-skill
    sums of the deficits ``max(0, r_s − x_is)`` and of the skills of the employed and of the
    unemployed. One compiled pass over the workers, reused by every recorder of the month.
    """
    ref, value = _incumbents_cache
    if ref is not None and ref() is snap:
        return value
    req = np.ascontiguousarray(snap.requirements, dtype=np.float64)
    weights = np.ascontiguousarray(snap.skill_weights, dtype=np.float64)
    out = _worker_pass(
        snap.status,
        snap.occupation,
        snap.employer,
        snap.region,
        np.ascontiguousarray(snap.skills),
        req,
        weights,
        (req * weights).sum(axis=1),
        snap.headcount.shape[0],
        max(len(snap.region_names), int(snap.region.max(initial=-1)) + 1),
    )
    value = _Incumbents(*out[:5], int(out[5]), *out[6:])
    _incumbents_cache[:] = [weakref.ref(snap), value]
    return value


def _mean_by(groups: np.ndarray, values: np.ndarray, size: int) -> FloatArray:
    total = np.bincount(groups, values, size)
    count = np.bincount(groups, minlength=size)
    return np.divide(total, count, out=np.full(size, np.nan), where=count > 0)


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


@numba.njit(cache=True, nogil=True)
def _cell_pass(
    headcount, target, openings, hires, sector, region, n_sec, n_reg
):  # pragma: no cover
    """Headcount, target, openings and hires summed by sector, occupation and region."""
    n_emp, n_occ = headcount.shape
    by_sec = np.zeros((4, n_sec))
    by_occ = np.zeros((4, n_occ))
    by_reg = np.zeros((4, n_reg))
    for e in range(n_emp):
        s, r = sector[e], region[e]
        for o in range(n_occ):
            values = (
                float(headcount[e, o]),
                float(target[e, o]),
                float(openings[e, o]),
                float(hires[e, o]),
            )
            for c in range(4):
                by_sec[c, s] += values[c]
                by_occ[c, o] += values[c]
                by_reg[c, r] += values[c]
    return by_sec, by_occ, by_reg


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
        by_sec, by_occ, by_reg = _cell_pass(
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
        n_skills = snap.requirements.shape[1]
        nan = np.full(n_skills, np.nan)

        def weighted_mean(weights: np.ndarray, matrix: np.ndarray) -> np.ndarray:
            total = float(weights.sum())
            return weights @ matrix / total if total > 0 else nan

        demand_v = weighted_mean(snap.openings.sum(axis=0).astype(np.float64), snap.requirements)
        demand_j = weighted_mean(snap.headcount.sum(axis=0).astype(np.float64), snap.requirements)
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


@numba.njit(cache=True, nogil=True)
def _group_pass(
    status,
    prev_status,
    education,
    age,
    age_edges,
    region,
    spells,
    shortfall,
    long_term,
    n_ed,
    n_age,
    n_reg,
):  # pragma: no cover
    """Per group (education, then age band, then region), in one pass over the workers.

    Columns: employed, unemployed, long-term unemployed, sum of spells, sum of the employed's
    shortfall (``shortfall`` lists the employed in row order), previously unemployed, of whom
    now employed, previously employed, of whom now unemployed.
    """
    acc = np.zeros((n_ed + n_age + n_reg, 9))
    n_prev = prev_status.size
    k = 0
    for i in range(status.size):
        st = status[i]
        band = -1
        a = age[i]
        if a >= age_edges[0]:
            for b in range(n_age):
                if a < age_edges[b + 1]:
                    band = b
                    break
        for d in range(3):
            if d == 0:
                grp = np.int64(education[i])
            elif d == 1:
                if band < 0:
                    continue
                grp = np.int64(n_ed + band)
            else:
                grp = np.int64(n_ed + n_age + region[i])
            if st == _EMPLOYED:
                acc[grp, 0] += 1.0
                acc[grp, 4] += shortfall[k]
            elif st == _UNEMPLOYED:
                acc[grp, 1] += 1.0
                acc[grp, 3] += spells[i]
                if spells[i] >= long_term:
                    acc[grp, 2] += 1.0
            if i < n_prev:
                p = prev_status[i]
                if p == _UNEMPLOYED:
                    acc[grp, 5] += 1.0
                    if st == _EMPLOYED:
                        acc[grp, 6] += 1.0
                elif p == _EMPLOYED:
                    acc[grp, 7] += 1.0
                    if st == _UNEMPLOYED:
                        acc[grp, 8] += 1.0
        if st == _EMPLOYED:
            k += 1
    return acc


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
        n_ed, n_age, n_reg = (
            len(snap.education_names),
            len(self.age_labels),
            len(snap.region_names),
        )
        prev = self._prev_status
        acc = _group_pass(
            snap.status,
            prev if prev is not None else np.zeros(0, np.int8),
            snap.education,
            snap.age,
            self.age_edges,
            snap.region,
            snap.unemployment_months,
            inc.shortfall,
            self.long_term_months,
            n_ed,
            n_age,
            n_reg,
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

    Bins are left-closed ``[b_k, b_{k+1})`` as in :func:`duration_distribution` (default
    ``0–1, 1–3, 3–6, 6–12, 12–24, 24+`` months); a spell of exactly 12 months is long-term.
    Columns: ``unemployed`` (persons in the bin) and ``share`` (of all unemployed; ``nan`` when
    nobody is unemployed). The model counts a spell at the end of each month it lasted, so at a
    month's end every spell is at least 1 month long and the first bin stays empty.

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

_STATUS_NAMES = ("student", "employed", "unemployed", "training", "retired")


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


def default_recorders() -> list:
    """The recorders every model starts with (each has ``record(snapshot)`` and ``tables()``).

    :class:`BreakdownRecorder`, :class:`SkillGapRecorder`, :class:`InclusivenessRecorder` and
    :class:`DurationRecorder`.
    """
    return [BreakdownRecorder(), SkillGapRecorder(), InclusivenessRecorder(), DurationRecorder()]


# ---------------------------------------------------------------------------------------------
# Derived tables: indicators computed from the recorded tables at the end of a run
# ---------------------------------------------------------------------------------------------

SEGMENTATIONS: tuple[str, ...] = ("occupation", "sector", "region")


def mismatch_over_time(tables: dict[str, pd.DataFrame], alpha: float = 0.5) -> pd.DataFrame:
    """Jackman–Roper and Şahin–Song–Topa–Violante mismatch indices per month and segmentation.

    For each segmentation ``i`` ∈ {occupation, sector, region} and month, applies
    :func:`jackman_roper` ``½·Σ_i |u_i/u − v_i/v|`` and :func:`sstv_mismatch`
    ``1 − Σ_i (v_i/v)^α (u_i/u)^(1−α)`` to the unemployed ``u_i`` and vacancies ``v_i`` of the
    ``by_<segmentation>`` table (unemployed by last or aimed occupation, by last employer's
    sector, by region of residence; vacancies by the job's occupation, sector and region).

    Args:
        tables: Recorded tables containing some of ``by_occupation``, ``by_sector``,
            ``by_region`` (missing ones are skipped).
        alpha: Vacancy elasticity ``α`` of the SSTV index, in ``[0, 1]``.

    Returns:
        Columns ``month``, ``segmentation`` (categorical), ``jackman_roper``, ``sstv``,
        ``alpha`` and ``segments`` (their number; with one segment both indices are 0);
        ``nan`` in months without unemployed or without vacancies.
    """
    if not np.isfinite(alpha) or not 0.0 <= alpha <= 1.0:
        raise ValueError(f"alpha must lie in [0, 1]; got {alpha}")
    parts = []
    for seg in SEGMENTATIONS:
        df = tables.get(f"by_{seg}")
        if df is None or df.empty:
            continue
        u = df.pivot(index="month", columns=seg, values="unemployed")
        v = df.pivot(index="month", columns=seg, values="vacancies")
        u_arr, v_arr = u.to_numpy(), v.to_numpy()
        parts.append(
            pd.DataFrame(
                {
                    "month": u.index.to_numpy(dtype=np.int64),
                    "segmentation": seg,
                    "jackman_roper": [
                        jackman_roper(a, b) for a, b in zip(u_arr, v_arr, strict=True)
                    ],
                    "sstv": [sstv_mismatch(a, b, alpha) for a, b in zip(u_arr, v_arr, strict=True)],
                    "alpha": float(alpha),
                    "segments": np.int64(u_arr.shape[1]),
                }
            )
        )
    if not parts:
        parts = [
            pd.DataFrame(
                {
                    "month": np.zeros(0, np.int64),
                    "segmentation": [],
                    "jackman_roper": [],
                    "sstv": [],
                    "alpha": [],
                    "segments": np.zeros(0, np.int64),
                }
            )
        ]
    out = pd.concat(parts, ignore_index=True)
    out["segmentation"] = pd.Categorical(out["segmentation"], categories=list(SEGMENTATIONS))
    return out.astype({"jackman_roper": np.float64, "sstv": np.float64, "alpha": np.float64})


_FIT_COLUMNS = (
    "elasticity_unemployed",
    "elasticity_vacancies",
    "log_efficiency",
    "se_elasticity_unemployed",
    "se_elasticity_vacancies",
    "se_log_efficiency",
    "returns_to_scale",
    "constant_returns_pvalue",
    "r2",
    "residual_std",
    "n_obs",
    "n_dropped",
)


def _fit_row(specification: str, hires, unemployed, vacancies) -> dict[str, object]:
    row: dict[str, object] = {"specification": specification}
    try:
        fit = estimate_matching_function(hires, unemployed, vacancies)
    except ValueError as exc:
        row.update(dict.fromkeys(_FIT_COLUMNS, np.nan))
        row.update(n_obs=0, n_dropped=0, note=str(exc))
        return row
    row.update(
        elasticity_unemployed=fit.alpha,
        elasticity_vacancies=fit.beta,
        log_efficiency=fit.log_A,
        se_elasticity_unemployed=fit.se_alpha,
        se_elasticity_vacancies=fit.se_beta,
        se_log_efficiency=fit.se_log_A,
        returns_to_scale=fit.returns_to_scale,
        constant_returns_pvalue=fit.constant_returns_pvalue,
        r2=fit.r2,
        residual_std=fit.residual_std,
        n_obs=fit.n_obs,
        n_dropped=fit.n_dropped,
        note="",
    )
    return row


def matching_function_table(
    timeseries: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None
) -> pd.DataFrame:
    """Matching-function estimates of a run, one row per specification.

    Each row is :func:`estimate_matching_function`, ``ln H_t = ln A + α ln U_{t−1} +
    β ln V_{t−1}``, with the stocks at the start of the month (end of the previous one) and
    months ``t ≥ 1``:

    * ``aggregate, hires from unemployment``: H = hires out of unemployment;
    * ``aggregate, all hires``: H = all hires, including job-to-job moves;
    * ``occupations pooled, all hires``: occupation-month panel from ``by_occupation`` (hires,
      unemployed by last or aimed occupation, vacancies), common ``ln A``, no fixed effects.

    A steady-state run may not identify the elasticities (U and V barely move); such rows have
    ``nan`` estimates and the reason in ``note``.

    Args:
        timeseries: Model-level time series (``hires``, ``hires_from_unemployment``,
            ``unemployed``, ``vacancies``), indexed by month.
        tables: Recorded tables (for ``by_occupation``), optional.

    Returns:
        Columns ``specification``, ``elasticity_unemployed`` (α), ``elasticity_vacancies``
        (β), ``log_efficiency`` (ln A), their standard errors ``se_*``, ``returns_to_scale``
        (α + β), ``constant_returns_pvalue``, ``r2``, ``residual_std``, ``n_obs``,
        ``n_dropped`` and ``note``.
    """
    ts = timeseries
    u_prev = ts["unemployed"].to_numpy(np.float64)[:-1]
    v_prev = ts["vacancies"].to_numpy(np.float64)[:-1]
    rows = [
        _fit_row(
            "aggregate, hires from unemployment",
            ts["hires_from_unemployment"].to_numpy(np.float64)[1:],
            u_prev,
            v_prev,
        ),
        _fit_row("aggregate, all hires", ts["hires"].to_numpy(np.float64)[1:], u_prev, v_prev),
    ]
    occ = (tables or {}).get("by_occupation")
    if occ is not None and not occ.empty:
        wide = {
            c: occ.pivot(index="month", columns="occupation", values=c).to_numpy(np.float64)
            for c in ("hires", "unemployed", "vacancies")
        }
        rows.append(
            _fit_row(
                "occupations pooled, all hires",
                wide["hires"][1:],
                wide["unemployed"][:-1],
                wide["vacancies"][:-1],
            )
        )
    out = pd.DataFrame(rows, columns=["specification", *_FIT_COLUMNS, "note"])
    return out.astype(
        {c: np.float64 for c in _FIT_COLUMNS[:-2]}
        | {"n_obs": np.int64, "n_dropped": np.int64, "note": str}
    )


def time_to_fill_table(
    timeseries: pd.DataFrame, tables: dict[str, pd.DataFrame] | None = None, window: int = 12
) -> pd.DataFrame:
    """Stock-flow time to fill (months) per month, overall and per occupation.

    ``time_to_fill_months = V_t / H_t`` (:func:`stock_flow_time_to_fill`) with ``V_t`` the
    open vacancies at the end of month ``t`` and ``H_t`` the month's hires; the smoother
    ``time_to_fill_months_rolling = Σ_{k<w} V_{t−k} / Σ_{k<w} H_{t−k}`` over the trailing
    ``window`` months from month 1 on (fewer at the start). Month 0, the initial state, has no
    hires and gives ``nan``.

    Args:
        timeseries: Model-level time series with ``vacancies`` and ``hires``.
        tables: Recorded tables (for ``by_occupation``), optional.
        window: Rolling window in months, at least 1.

    Returns:
        Columns ``month``, ``occupation`` (categorical; ``"all"`` is the whole region),
        ``vacancies``, ``hires``, ``time_to_fill_months``, ``time_to_fill_months_rolling``.
    """
    if window < 1:
        raise ValueError(f"window must be at least 1; got {window}")
    months = timeseries.index.to_numpy(np.int64)
    frames = [
        pd.DataFrame(
            {
                "month": months,
                "occupation": "all",
                "vacancies": timeseries["vacancies"].to_numpy(np.float64),
                "hires": timeseries["hires"].to_numpy(np.float64),
            }
        )
    ]
    labels = ["all"]
    occ = (tables or {}).get("by_occupation")
    if occ is not None and not occ.empty:
        frames.append(
            occ[["month", "occupation", "vacancies", "hires"]].astype({"occupation": str})
        )
        labels += [c for c in occ["occupation"].cat.categories if c != "all"]
    df = pd.concat(frames, ignore_index=True)
    df["occupation"] = pd.Categorical(df["occupation"], categories=labels)
    df = df.sort_values(["occupation", "month"], kind="stable").reset_index(drop=True)
    after_start = df["month"] > 0
    grouped = df[after_start].groupby("occupation", observed=True, sort=False)
    v_roll = np.full(len(df), np.nan)
    h_roll = np.full(len(df), np.nan)
    v_roll[after_start.to_numpy()] = grouped["vacancies"].transform(
        lambda s: s.rolling(window, min_periods=1).sum()
    )
    h_roll[after_start.to_numpy()] = grouped["hires"].transform(
        lambda s: s.rolling(window, min_periods=1).sum()
    )
    df["time_to_fill_months"] = _ratio(df["vacancies"].to_numpy(), df["hires"].to_numpy())
    valid = ~np.isnan(h_roll)
    rolling = np.full(len(df), np.nan)
    rolling[valid] = _ratio(v_roll[valid], h_roll[valid])
    df["time_to_fill_months_rolling"] = rolling
    return df


def beveridge_table(timeseries: pd.DataFrame) -> pd.DataFrame:
    """:func:`beveridge_curve` of a run plus the tightness in counts, ``V/U`` (``v_over_u``)."""
    out = beveridge_curve(timeseries)
    out["v_over_u"] = _ratio(
        timeseries["vacancies"].to_numpy(np.float64), timeseries["unemployed"].to_numpy(np.float64)
    )
    return out


def derived_tables(
    timeseries: pd.DataFrame,
    tables: dict[str, pd.DataFrame],
    alpha: float = 0.5,
    window: int = 12,
) -> dict[str, pd.DataFrame]:
    """Indicators computed from a run's time series and recorded tables.

    Args:
        timeseries: Model-level time series, indexed by month.
        tables: The recorded tables (``model.tables()``).
        alpha: Vacancy elasticity of the SSTV mismatch index.
        window: Rolling window (months) of the time-to-fill estimate.

    Returns:
        ``mismatch`` (:func:`mismatch_over_time`), ``beveridge_curve``
        (:func:`beveridge_table`), ``matching_function`` (:func:`matching_function_table`) and
        ``time_to_fill`` (:func:`time_to_fill_table`).
    """
    return {
        "mismatch": mismatch_over_time(tables, alpha),
        "beveridge_curve": beveridge_table(timeseries),
        "matching_function": matching_function_table(timeseries, tables),
        "time_to_fill": time_to_fill_table(timeseries, tables, window),
    }


TABLE_DESCRIPTIONS: dict[str, str] = {
    "by_sector": "per month and sector: employment, target, vacancies, hires, unemployed "
    "(by last employer's sector), unemployment rate, incumbents' skill shortfall",
    "by_occupation": "per month and occupation: employment, target, vacancies, hires, "
    "unemployed (by last or aimed occupation), unemployment rate, incumbents' skill shortfall",
    "by_region": "per month and region: employment at workplaces, target, vacancies, hires, "
    "unemployed and employed residents, unemployment rate of residents, skill shortfall",
    "skill_gaps": "per month and skill: demanded by vacancies and by jobs, held by seekers and "
    "by incumbents, the two gaps, incumbents' mean missing level",
    "inclusiveness": "per month, dimension (education, age band, region) and group: "
    "employed, unemployed, unemployment rate, long-term unemployed (>= 12 months) and share, "
    "mean spell, job-finding and separation rates, skill shortfall",
    "unemployment_duration": "per month and duration bin: unemployed persons and share",
    "mismatch": "per month and segmentation (occupation, sector, region): Jackman-Roper and "
    "Sahin-Song-Topa-Violante mismatch indices",
    "beveridge_curve": "per month: unemployment rate u, vacancy rate v, v/u and V/U",
    "matching_function": "log-linear matching-function estimates: elasticities with respect "
    "to unemployment and vacancies, standard errors, fit",
    "time_to_fill": "per month, overall and per occupation: stock-flow time to fill V/H "
    "(months), monthly and over a trailing 12-month window",
}
"""One line per table a results folder holds (written to its README)."""
