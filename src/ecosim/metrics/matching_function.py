"""The matching function: a Cobb–Douglas fit of hires on unemployment and vacancies.

References:
    Petrongolo, B. & Pissarides, C. A. (2001). Looking into the black box: a survey of the
        matching function. *Journal of Economic Literature* 39(2), 390-431.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
from scipy import linalg

from ecosim.metrics._checks import FloatArray, as_counts

_EXACT_FIT_RTOL = 1e-10


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
        return np.concatenate([as_counts(r, name).ravel() for r in x])
    return as_counts(x, name).ravel()


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
