"""Structural mismatch indices across segments (occupations, sectors, regions).

Pure functions of per-segment unemployed and vacancy counts (conventions as in
:mod:`ecosim.metrics.formulas`).

References:
    Jackman, R. & Roper, S. (1987). Structural unemployment. *Oxford Bulletin of Economics
        and Statistics* 49(1), 9-36.
    Şahin, A., Song, J., Topa, G. & Violante, G. L. (2014). Mismatch unemployment.
        *American Economic Review* 104(11), 3529-3564.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

from ecosim.metrics._checks import FloatArray, as_1d, as_counts, same_shape


def _segment_shares(u_i: npt.ArrayLike, v_i: npt.ArrayLike) -> tuple[FloatArray, FloatArray] | None:
    """Validate per-segment counts and return their shares, or None if a total is zero."""
    u = as_1d(as_counts(u_i, "u_i"), "u_i")
    v = as_1d(as_counts(v_i, "v_i"), "v_i")
    same_shape(u, v, "u_i", "v_i")
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
