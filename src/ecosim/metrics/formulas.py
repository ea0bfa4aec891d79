"""Labour-market indicator formulas: rates, flows, durations, skills, groups, vacancies.

Every function here is pure: it takes NumPy arrays (or array-likes) and pandas objects, returns
new objects, and imports nothing from the rest of ``ecosim`` but :mod:`ecosim.skills` (the one
definition of the skill shortfall). Counts may be integer or real (e.g. ensemble averages) but
must be finite and non-negative; shapes that should match must match exactly. Bad input raises
:class:`ValueError` with a message naming the argument.

Ratios whose denominator is zero (no unemployed, no vacancies, empty groups, empty samples)
are returned as ``nan`` explicitly, without emitting NumPy ``RuntimeWarning``\\ s.

References:
    Beveridge, W. H. (1944). *Full Employment in a Free Society*. Allen & Unwin.
    Elsby, M. W. L., Michaels, R. & Ratner, D. (2015). The Beveridge curve: a survey.
        *Journal of Economic Literature* 53(3), 571-630.
    Petrongolo, B. & Pissarides, C. A. (2001). Looking into the black box: a survey of the
        matching function. *Journal of Economic Literature* 39(2), 390-431.
    Shimer, R. (2012). Reassessing the ins and outs of unemployment. *Review of Economic
        Dynamics* 15(2), 127-148.
    U.S. Bureau of Labor Statistics, Job Openings and Labor Turnover Survey (JOLTS),
        definition of the job openings rate.
"""

from __future__ import annotations

from collections.abc import Sequence
from itertools import pairwise
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt
import pandas as pd

from ecosim.metrics._checks import (
    FloatArray,
    IntArray,
    as_1d,
    as_counts,
    as_float,
    as_matrix,
    format_edge,
    ratio,
    same_shape,
    scalar_ratio,
)
from ecosim.skills import missing_mass, required_mass

DEFAULT_DURATION_BINS: tuple[float, ...] = (0.0, 1.0, 3.0, 6.0, 12.0, 24.0, np.inf)
DEFAULT_AGE_EDGES: tuple[float, ...] = (15, 25, 35, 45, 55, 65, 75)

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
    u = as_counts(unemployed, "unemployed")
    e = as_counts(employed, "employed")
    same_shape(u, e, "unemployed", "employed")
    return ratio(u, u + e)


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
    v = as_counts(vacancies, "vacancies")
    e = as_counts(employed, "employed")
    same_shape(v, e, "vacancies", "employed")
    return ratio(v, v + e)


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
    v = as_counts(vacancies, "vacancies")
    u = as_counts(unemployed, "unemployed")
    same_shape(v, u, "vacancies", "unemployed")
    return ratio(v, u)


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
    h = as_counts(hires_from_unemployment, "hires_from_unemployment")
    u = as_counts(unemployed_prev, "unemployed_prev")
    same_shape(h, u, "hires_from_unemployment", "unemployed_prev")
    return ratio(h, u)


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
    s = as_counts(separations_to_unemployment, "separations_to_unemployment")
    e = as_counts(employed_prev, "employed_prev")
    same_shape(s, e, "separations_to_unemployment", "employed_prev")
    return ratio(s, e)


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
# Beveridge curve
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
    d = as_1d(as_counts(durations_months, "durations_months"), "durations_months")
    if not np.isfinite(threshold) or threshold < 0:
        raise ValueError(f"threshold must be a non-negative finite number; got {threshold}")
    return scalar_ratio(np.count_nonzero(d >= threshold), d.size)


def duration_distribution(
    durations_months: npt.ArrayLike,
    bins: Sequence[float] = DEFAULT_DURATION_BINS,
) -> pd.Series:
    """Distribution of unemployment spell durations across duration bins.

    Bins are left-closed, right-open: ``[b_k, b_{k+1})``, so with the default edges
    ``(0, 1, 3, 6, 12, 24, inf)`` a spell of exactly 12 months falls in ``"12-23"``, consistent
    with :func:`long_term_unemployment_share`. Share of bin ``k`` is
    ``#{i : b_k <= d_i < b_{k+1}} / #{i}``. Labels are those of :func:`band_labels`: with whole
    edges they name the completed months a bin holds (``"0"``: under one month, ``"1-2"``, ...),
    so that ``"12-24"`` is never read as holding 24.

    Args:
        durations_months: Current spell durations (months) of the unemployed.
        bins: Strictly increasing bin edges (at least two); the last may be ``inf``.

    Returns:
        Series of shares (summing to 1) indexed by labels such as ``"0"``, ``"1-2"``, ...,
        ``"24+"`` (a bin with an infinite upper edge is labelled ``"<lower>+"``). All ``nan``
        if there are no unemployed.

    Raises:
        ValueError: If durations are negative, non-finite or fall outside the bins, or the
            bins are not strictly increasing.
    """
    d = as_1d(as_counts(durations_months, "durations_months"), "durations_months")
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
    labels = band_labels(edges)
    index = np.searchsorted(edges, d, side="right") - 1
    counts = np.bincount(index, minlength=n_bins).astype(np.float64)
    shares = counts / d.size if d.size else np.full(n_bins, np.nan)
    return pd.Series(
        shares, index=pd.Index(labels, name="duration_months"), name="share", dtype=np.float64
    )


# ---------------------------------------------------------------------------------------------
# Skills
# ---------------------------------------------------------------------------------------------


def weighted_mean_rows(weights: npt.ArrayLike, matrix: npt.ArrayLike) -> FloatArray:
    """``Σ_j w_j m_j / Σ_j w_j``: the weighted mean of a matrix's rows; nan where ``Σ w = 0``.

    The sum runs over the rows in order in NumPy itself, not in a BLAS product, whose
    summation order depends on the BLAS build and version: the same run gives the same bits
    on every machine.
    """
    w = np.asarray(weights, dtype=np.float64)
    m = np.asarray(matrix, dtype=np.float64)
    total = float(w.sum())
    if total <= 0:
        return np.full(m.shape[1], np.nan)
    return np.sum(w[:, None] * m, axis=0) / total


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
    r = as_matrix(demanded, "demanded")
    x = as_matrix(held, "held")
    if r.shape[1] != x.shape[1]:
        raise ValueError(
            f"demanded and held must have the same number of skills; got {r.shape[1]} "
            f"and {x.shape[1]}"
        )
    n_skills = r.shape[1]
    if weights is None:
        w = np.ones(r.shape[0])
    else:
        w = as_1d(as_counts(weights, "weights"), "weights")
        if w.size != r.shape[0]:
            raise ValueError(
                f"weights must have one entry per row of demanded ({r.shape[0]}); got {w.size}"
            )
    if x.shape[0] == 0:
        return np.full(n_skills, np.nan)
    return weighted_mean_rows(w, r) - x.mean(axis=0)


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

    The sums are :func:`ecosim.skills.missing_mass` and :func:`ecosim.skills.required_mass`
    (over ``s`` in order). Also returns the unweighted mean across pairs.

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
    x = as_matrix(skills, "skills")
    r = as_matrix(requirements, "requirements")
    same_shape(x, r, "skills", "requirements")
    a = as_counts(skill_weights, "skill_weights")
    if a.ndim == 1:
        if a.size != x.shape[1]:
            raise ValueError(f"skill_weights must have length n_skills={x.shape[1]}; got {a.size}")
    elif a.shape != x.shape:
        raise ValueError(
            f"skill_weights must have shape ({x.shape[1]},) or {x.shape}; got {a.shape}"
        )
    if relative_to not in ("weights", "requirement"):
        raise ValueError(f"relative_to must be 'weights' or 'requirement'; got {relative_to!r}")
    # Σ_s a_s is the required mass of a job that requires a level of 1 of every skill.
    profile = r if relative_to == "requirement" else np.ones_like(r)
    per_pair = np.asarray(ratio(missing_mass(x, r, a), required_mass(profile, a)))
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
    same_shape(status, grp, "status_codes", "groups")
    grp = grp.astype(np.intp, copy=False)
    if grp.size and (grp.min() < 0 or grp.max() >= n_groups):
        raise ValueError(f"groups must lie in [0, {n_groups}); got [{grp.min()}, {grp.max()}]")
    employed = np.bincount(grp[status == employed_code], minlength=n_groups).astype(np.int64)
    unemployed = np.bincount(grp[status == unemployed_code], minlength=n_groups).astype(np.int64)
    rate = np.asarray(
        ratio(unemployed.astype(np.float64), (unemployed + employed).astype(np.float64))
    )
    return GroupRates(employed=employed, unemployed=unemployed, unemployment_rate=rate)


def band_labels(edges: Sequence[float]) -> list[str]:
    """Labels of the left-closed bands ``[e_k, e_{k+1})`` between strictly increasing edges.

    With whole-number edges a band is named by the whole units it holds, ``"15-24"`` for
    ``[15, 25)`` and ``"0"`` for ``[0, 1)``, as ages and completed months are spoken of (and
    as CBS tabulates them); otherwise by its edges, ``"1-2.5"``. An infinite last edge gives
    ``"<lower>+"``. Labels are plain ASCII, so they can be typed in a pandas filter.
    """
    e = np.asarray(edges, dtype=np.float64)
    finite = e[np.isfinite(e)]
    whole = bool(np.all(finite == np.round(finite)))
    labels = []
    for lo, hi in pairwise(e):
        if np.isinf(hi):
            labels.append(f"{format_edge(lo)}+")
        elif not whole:
            labels.append(f"{format_edge(lo)}-{format_edge(hi)}")
        elif hi - lo == 1:
            labels.append(f"{int(lo)}")
        else:
            labels.append(f"{int(lo)}-{int(hi) - 1}")
    return labels


class AgeBands(NamedTuple):
    """Result of :func:`age_band`: band index per person and one label per band."""

    index: IntArray
    labels: list[str]


def age_band(age_years: npt.ArrayLike, edges: Sequence[float] = DEFAULT_AGE_EDGES) -> AgeBands:
    """Assign ages to left-closed bands ``[e_k, e_{k+1})``.

    With the default edges ``(15, 25, ..., 75)`` the bands are the conventional ten-year groups
    labelled ``"15-24"``, ``"25-34"``, ..., ``"65-74"`` (:func:`band_labels`: for integer edges
    the label shows the last whole year, ``e_{k+1} - 1``; otherwise the edges themselves). An
    infinite last edge gives an open band labelled ``"<lower>+"``.

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
    ages = as_float(age_years, "age_years")
    try:
        e = np.asarray(edges, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"edges must be numeric: {exc}") from exc
    if e.ndim != 1 or e.size < 2:
        raise ValueError("edges must be a sequence of at least two values")
    if np.any(np.isnan(e)) or np.isinf(e[0]) or np.any(np.diff(e) <= 0):
        raise ValueError(f"edges must be finite-started and strictly increasing; got {edges}")
    labels = band_labels(e)
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
    d = as_1d(
        as_counts(vacancy_durations_at_fill, "vacancy_durations_at_fill"),
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
    v = as_counts(vacancies, "vacancies")
    h = as_counts(hires, "hires")
    same_shape(v, h, "vacancies", "hires")
    return ratio(v, h)


PARTICIPATION_BANDS: tuple[tuple[float, float], ...] = ((25, 35), (35, 45), (45, 55), (55, 65))
"""Age bands [lo, hi) of course participation, as CBS reports it (25-34, ..., 55-64)."""


def participation_by_age(
    age: np.ndarray,
    in_course: np.ndarray,
    bands: tuple[tuple[float, float], ...] = PARTICIPATION_BANDS,
) -> dict[str, float]:
    """Share of workers in a course by age band (``"25-34"`` for ages [25, 35), ...).

    The model's counterpart of the CBS labour-force survey's participation in education and
    training by age (there: in the last four weeks; here: in a course this month).
    """
    # One pass: count workers and participants between consecutive band edges, then add up
    # each band's intervals (exact integer counts, whatever the bands).
    edges = band_edges(bands)
    interval = np.searchsorted(edges, age, side="right")  # k: edges[k-1] <= age < edges[k]
    workers = np.bincount(interval, minlength=edges.size + 1)
    learning = np.bincount(interval[np.asarray(in_course, dtype=bool)], minlength=edges.size + 1)
    return participation_from_counts(workers, learning, bands)


def band_edges(bands: tuple[tuple[float, float], ...] = PARTICIPATION_BANDS) -> np.ndarray:
    """The sorted distinct edges of ``bands``; interval ``k``: ``edges[k-1] <= age < edges[k]``."""
    return np.unique(np.asarray(bands, dtype=np.float64))


def participation_from_counts(
    workers: np.ndarray,
    learning: np.ndarray,
    bands: tuple[tuple[float, float], ...] = PARTICIPATION_BANDS,
) -> dict[str, float]:
    """:func:`participation_by_age` from counts per interval of :func:`band_edges` ``(bands)``.

    Args:
        workers: Workers per interval (``len(edges) + 1`` of them).
        learning: Of whom in a course.
        bands: The age bands.
    """
    edges = band_edges(bands)
    out = {}
    for lo, hi in bands:
        k = slice(np.searchsorted(edges, lo) + 1, np.searchsorted(edges, hi) + 1)
        n = int(workers[k].sum())
        out[f"{lo:g}-{hi - 1:g}"] = int(learning[k].sum()) / n if n else float("nan")
    return out
