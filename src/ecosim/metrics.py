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

from collections.abc import Sequence
from dataclasses import dataclass
from itertools import pairwise
from typing import NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy import linalg, stats

__all__ = [
    "AgeBands",
    "GroupRates",
    "MatchingFunctionFit",
    "Shortfall",
    "TimeToFill",
    "age_band",
    "beveridge_curve",
    "duration_distribution",
    "estimate_matching_function",
    "group_rates",
    "hazard_from_probability",
    "jackman_roper",
    "job_finding_rate",
    "labour_market_tightness",
    "long_term_unemployment_share",
    "mean_shortfall",
    "separation_rate",
    "skill_gap",
    "sstv_mismatch",
    "time_to_fill",
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
    skills: npt.ArrayLike, requirements: npt.ArrayLike, skill_weights: npt.ArrayLike
) -> Shortfall:
    """Weighted mean skill shortfall of workers against jobs, row by row.

    For each paired row ``p`` (worker skills ``x_p``, job requirements ``r_p``):
    ``shortfall_p = Σ_s a_s · max(0, r_ps − x_ps) / Σ_s a_s`` — the ecosim definition of a
    worker's skill shortfall against a job's requirements (only deficits count; surplus skills
    do not offset them). Also returns the unweighted mean across pairs.

    Args:
        skills: Worker skill matrix, shape ``(n_pairs, n_skills)``.
        requirements: Job requirement matrix, same shape; row ``p`` pairs with row ``p`` of
            ``skills``.
        skill_weights: Non-negative importance weights ``a_s``: either shape ``(n_skills,)``
            (common to all pairs) or ``(n_pairs, n_skills)`` (job-specific).

    Returns:
        ``Shortfall(per_pair, mean)``. ``per_pair[p]`` is ``nan`` when that row's weights sum
        to zero; ``mean`` is the mean over the non-nan pairs, ``nan`` if there are none.

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
    deficit = np.maximum(r - x, 0.0)
    per_pair = _ratio(np.sum(a * deficit, axis=1), np.sum(a, axis=1))
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
# Monthly breakdown tables recorded from the model's state


class BreakdownRecorder:
    """Monthly tables by sector, occupation and region, recorded from state snapshots.

    Each month, :meth:`record` reads a :class:`ecosim.state.Snapshot` (array views) and keeps a
    few aggregated arrays; :meth:`tables` builds long-format DataFrames (one row per month and
    group). Counts are persons (agents x scale). Columns:

    * ``employment``: workers employed there (sector/occupation of the job; region of the
      workplace); ``target``: employers' target employment; ``vacancies``: open vacancies;
      ``hires``: hires this month;
    * ``unemployed``: unemployed whose last job was there (sector, occupation), or who live there
      (region); ``unemployment_rate`` = unemployed / (unemployed + employment) by that definition
      (region: residents' employment);
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
        from ecosim.state import Status

        status = snap.status
        employed = np.flatnonzero(status == Status.EMPLOYED)
        unemployed = np.flatnonzero(status == Status.UNEMPLOYED)
        emp_of = snap.employer[employed]
        occ_of = snap.occupation[employed]
        req = snap.requirements[occ_of]
        weights = snap.skill_weights
        need = req @ weights
        short = np.maximum(req - snap.skills[employed], 0.0) @ weights
        short = np.divide(short, need, out=np.zeros_like(short), where=need > 0)
        n_sec, n_occ = len(snap.sector_names), len(snap.occupation_names)
        n_reg = len(snap.region_names)
        sector_of_cell = np.repeat(snap.employer_sector, n_occ)
        region_of_cell = np.repeat(snap.employer_region, n_occ)

        def by_cells(groups: np.ndarray, size: int) -> np.ndarray:
            cols = [snap.headcount, snap.target, snap.openings, snap.hires_by_cell]
            return np.stack([np.bincount(groups, c.ravel(), size) for c in cols])

        last = snap.last_employer[unemployed]
        known = last >= 0
        u_sector = np.bincount(snap.employer_sector[last[known]], minlength=n_sec)
        u_occ = np.bincount(snap.occupation[unemployed], minlength=n_occ)
        u_region = np.bincount(snap.region[unemployed], minlength=n_reg)
        e_region_res = np.bincount(snap.region[employed], minlength=n_reg)
        sec_of_w = snap.employer_sector[emp_of]
        reg_of_w = snap.employer_region[emp_of]
        occ_cells = np.tile(np.arange(n_occ), snap.headcount.shape[0])

        def shortfall_mean(groups: np.ndarray, size: int) -> np.ndarray:
            total = np.bincount(groups, short, size)
            count = np.bincount(groups, minlength=size)
            return np.divide(total, count, out=np.full(size, np.nan), where=count > 0)

        s = snap.scale
        self._rows["sector"].append(
            np.vstack(
                [
                    by_cells(sector_of_cell, n_sec) * s,
                    u_sector * s,
                    np.full(n_sec, np.nan),
                    shortfall_mean(sec_of_w, n_sec),
                ]
            )
        )
        self._rows["occupation"].append(
            np.vstack(
                [
                    by_cells(occ_cells, n_occ) * s,
                    u_occ * s,
                    np.full(n_occ, np.nan),
                    shortfall_mean(occ_of, n_occ),
                ]
            )
        )
        self._rows["region"].append(
            np.vstack(
                [
                    by_cells(region_of_cell, n_reg) * s,
                    u_region * s,
                    e_region_res * s,
                    shortfall_mean(reg_of_w, n_reg),
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
            if not self._rows[group]:
                out[f"by_{group}"] = pd.DataFrame(columns=["month", group, *names])
                continue
            data = np.concatenate([a.T for a in self._rows[group]])
            df = pd.DataFrame(data, columns=list(names))
            df.insert(
                0,
                group,
                pd.Categorical(np.tile(labels, len(self._months)), categories=list(labels)),
            )
            df.insert(0, "month", np.repeat(self._months, len(labels)))
            emp = df["resident_employment"] if group == "region" else df["employment"]
            denom = (df["unemployed"] + emp).to_numpy()
            df["unemployment_rate"] = np.divide(
                df["unemployed"].to_numpy(), denom, out=np.full(len(df), np.nan), where=denom > 0
            )
            if group != "region":
                df = df.drop(columns="resident_employment")
            out[f"by_{group}"] = df
        return out


def default_recorders() -> list:
    """The recorders every model starts with (each has ``record(snapshot)`` and ``tables()``)."""
    return [BreakdownRecorder()]
