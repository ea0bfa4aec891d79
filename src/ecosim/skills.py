"""The skill fit of a worker to a job: the one definition every part of ecosim uses.

A job (an occupation's profile, a vacancy) requires a level ``r_s`` in [0, 1] of each skill ``s``;
a worker holds ``x_s``. Only *missing* skill counts — a worker is not penalised for knowing more
than the job needs — and skills are weighted by ``a_s`` (the scenario's
``matching.skill_weights``, 1 by default)::

    missing = Σ_s a_s · max(0, r_s − x_s)
    need    = Σ_s a_s · r_s
    shortfall = missing / need   (0 when the job requires nothing)
    fit       = 1 − shortfall

The shortfall is the share of the job's required skill mass the worker lacks. Matching scores
pairs by the fit, employers compare it with their hiring standard, training values a course by
how much of the shortfall it closes, and the indicators report it.

The sums run over ``s = 0 .. S−1`` in order. Numba kernels inline this arithmetic for speed
(``ecosim.kernels``); their tests check them against these functions for exact equality, which
the fixed summation order makes possible.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["fit", "missing_mass", "required_mass", "shortfall"]


def missing_mass(
    skills: npt.ArrayLike, requirements: npt.ArrayLike, weights: npt.ArrayLike
) -> np.ndarray:
    """``Σ_s a_s · max(0, r_s − x_s)`` per row (all three broadcast; last axis s)."""
    x, r, a = _arrays(skills, requirements, weights)
    out = np.zeros(np.broadcast_shapes(x.shape, r.shape, a.shape)[:-1])
    for s in range(a.shape[-1]):  # in skill order, as the kernels sum
        out += a[..., s] * np.maximum(r[..., s] - x[..., s], 0.0)
    return out


def required_mass(requirements: npt.ArrayLike, weights: npt.ArrayLike) -> np.ndarray:
    """``Σ_s a_s · r_s`` per row: the job's required skill mass (the shortfall's denominator)."""
    r = np.asarray(requirements, dtype=np.float64)
    a = np.asarray(weights, dtype=np.float64)
    out = np.zeros(np.broadcast_shapes(r.shape, a.shape)[:-1])
    for s in range(a.shape[-1]):
        out += a[..., s] * r[..., s]
    return out


def shortfall(
    skills: npt.ArrayLike, requirements: npt.ArrayLike, weights: npt.ArrayLike
) -> np.ndarray:
    """The share of the job's required skill mass a worker lacks, in [0, 1] (0: needs nothing).

    Args:
        skills: (..., S) skill levels ``x``.
        requirements: (..., S) required levels ``r`` (broadcast against ``skills``).
        weights: (S,) skill weights ``a``, or (..., S) weights per job (broadcast likewise).
    """
    missing = missing_mass(skills, requirements, weights)
    need = np.broadcast_to(required_mass(requirements, weights), missing.shape)
    out = np.zeros(missing.shape)
    np.divide(missing, need, out=out, where=need > 0.0)
    return out


def fit(skills: npt.ArrayLike, requirements: npt.ArrayLike, weights: npt.ArrayLike) -> np.ndarray:
    """``1 − shortfall``: 1 for a worker who has every required skill (or a job needing none)."""
    return 1.0 - shortfall(skills, requirements, weights)


def _arrays(skills, requirements, weights) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    x = np.asarray(skills, dtype=np.float64)
    r = np.asarray(requirements, dtype=np.float64)
    a = np.asarray(weights, dtype=np.float64)
    if a.ndim == 0 or x.shape[-1] != a.shape[-1] or r.shape[-1] != a.shape[-1]:
        raise ValueError(
            f"skills {x.shape}, requirements {r.shape} and weights {a.shape} must share the "
            "skill axis (last)"
        )
    return x, r, a
