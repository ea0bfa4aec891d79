"""Counter-based random numbers: a draw is a hash of its coordinates, not a position in a stream.

``u(key, purpose, month, id, j)`` chains SplitMix64 finalisers (the generator of
:mod:`ecosim.kernels.matching`)::

    h = mix(key); h = mix(h ^ purpose); h = mix(h ^ month); h = mix(h ^ id); h = mix(h ^ j)
    u = (h >> 11) * 2**-53                         in [0, 1)

so the number a worker draws for a decision depends on who decides, what, and when — not on how
many numbers were drawn before. Two runs that differ in a few agents' fates (a policy variant
over common random numbers) keep every other agent's draws. Normals are Box–Muller pairs of two
such uniforms. All arithmetic is uint64 (wrapping); ``month`` may be negative (burn-in) and is
taken modulo 2**64. Results do not depend on the number of threads.
"""

from __future__ import annotations

import numba
import numpy as np

from ecosim.kernels._arrays import read_only
from ecosim.kernels._threads import threads_for

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX2 = np.uint64(0x94D049BB133111EB)
_SH27 = np.uint64(27)
_SH30 = np.uint64(30)
_SH31 = np.uint64(31)
_SH11 = np.uint64(11)
_TO_UNIT = 2.0**-53
_TWO_PI = 2.0 * np.pi


@numba.njit(cache=True, inline="always")
def _mix(z):
    z = z + _GOLDEN
    z = (z ^ (z >> _SH30)) * _MIX1
    z = (z ^ (z >> _SH27)) * _MIX2
    return z ^ (z >> _SH31)


@numba.njit(cache=True, inline="always")
def _unit(h):
    return np.float64(h >> _SH11) * _TO_UNIT


@numba.njit(cache=True, parallel=True)
def _uniform(key, purpose, month, ids, columns, out):
    base = _mix(_mix(_mix(key) ^ purpose) ^ month)
    for i in numba.prange(ids.shape[0]):
        h = _mix(base ^ np.uint64(ids[i]))
        for j in range(columns):
            out[i, j] = _unit(_mix(h ^ np.uint64(j)))


@numba.njit(cache=True, parallel=True)
def _normal(key, purpose, month, ids, columns, out):
    base = _mix(_mix(_mix(key) ^ purpose) ^ month)
    for i in numba.prange(ids.shape[0]):
        h = _mix(base ^ np.uint64(ids[i]))
        for j in range(columns):
            u1 = 1.0 - _unit(_mix(h ^ np.uint64(2 * j)))  # in (0, 1]: the log is finite
            u2 = _unit(_mix(h ^ np.uint64(2 * j + 1)))
            out[i, j] = np.sqrt(-2.0 * np.log(u1)) * np.cos(_TWO_PI * u2)


@numba.njit(cache=True, parallel=True)
def _round(key, purpose, month, x, out):
    base = _mix(_mix(_mix(key) ^ purpose) ^ month)
    for k in numba.prange(x.shape[0]):
        floor = np.floor(x[k])
        frac = x[k] - floor
        up = frac > 0.0 and _unit(_mix(_mix(base ^ np.uint64(k)) ^ np.uint64(0))) < frac
        out[k] = np.int64(floor) + (1 if up else 0)


def _coordinates(key: int, purpose: int, month: int) -> tuple[np.uint64, np.uint64, np.uint64]:
    mask = (1 << 64) - 1
    return np.uint64(key & mask), np.uint64(purpose & mask), np.uint64(month & mask)


def uniform(key: int, purpose: int, month: int, ids: np.ndarray, columns: int = 1) -> np.ndarray:
    """Uniforms in [0, 1) for every id (and column): shaped ``(len(ids), columns)``.

    Args:
        key: The stream's key.
        purpose: What the numbers are for (distinct decisions use distinct purposes).
        month: The month.
        ids: Who draws (e.g. worker rows); int64, taken modulo 2**64.
        columns: Numbers per id.
    """
    ids = read_only(np.ascontiguousarray(ids, dtype=np.int64))
    out = np.empty((ids.size, columns))
    with threads_for(ids.size * columns * 8):
        _uniform(*_coordinates(key, purpose, month), ids, columns, out)
    return out


def normal(key: int, purpose: int, month: int, ids: np.ndarray, columns: int = 1) -> np.ndarray:
    """Standard normals for every id (and column), shaped ``(len(ids), columns)`` (Box–Muller)."""
    ids = read_only(np.ascontiguousarray(ids, dtype=np.int64))
    out = np.empty((ids.size, columns))
    with threads_for(ids.size * columns * 16):
        _normal(*_coordinates(key, purpose, month), ids, columns, out)
    return out


def stochastic_round(key: int, purpose: int, month: int, x: np.ndarray) -> np.ndarray:
    """Each element of ``x`` rounded down or up, up with probability ``x − floor(x)``.

    Element ``k`` of the flattened ``x`` rounds up iff its fractional part exceeds
    ``u(key, purpose, month, k, 0)``; an integer never draws. One pass over ``x``, the same
    numbers as :func:`uniform` with the flat indices as ids. Returns int64 shaped like ``x``.
    """
    flat = np.ascontiguousarray(x, dtype=np.float64).reshape(-1)
    out = np.empty(flat.size, dtype=np.int64)
    with threads_for(flat.size * 4):
        _round(*_coordinates(key, purpose, month), flat, out)
    return out.reshape(np.shape(x))
