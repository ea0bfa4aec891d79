"""Input checks shared by the indicator formulas, and the ratio that is ``nan`` over zero."""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


def as_float(x: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a float64 array, raising ValueError for non-numeric or non-finite input."""
    try:
        arr = np.asarray(x, dtype=np.float64)
    except (TypeError, ValueError) as exc:
        raise ValueError(f"{name} must be numeric; could not convert: {exc}") from exc
    if not np.all(np.isfinite(arr)):
        raise ValueError(f"{name} must be finite (found NaN or inf)")
    return arr


def as_counts(x: npt.ArrayLike, name: str) -> FloatArray:
    """Convert to a finite, non-negative float64 array."""
    arr = as_float(x, name)
    if arr.size and np.min(arr) < 0:
        raise ValueError(f"{name} must be non-negative; minimum is {np.min(arr)}")
    return arr


def as_1d(arr: FloatArray, name: str) -> FloatArray:
    if arr.ndim != 1:
        raise ValueError(f"{name} must be one-dimensional; got shape {arr.shape}")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    if a.shape != b.shape:
        raise ValueError(
            f"{name_a} and {name_b} must have the same shape; got {a.shape} and {b.shape}"
        )


def ratio(num: FloatArray, den: FloatArray) -> float | FloatArray:
    """Element-wise num/den with nan where den == 0; a Python float for 0-d input."""
    out = np.full(np.broadcast_shapes(num.shape, den.shape), np.nan)
    np.divide(num, den, out=out, where=den > 0)
    if out.ndim == 0:
        return float(out)
    return out


def scalar_ratio(num: float, den: float) -> float:
    return float(num) / float(den) if den > 0 else float("nan")


def format_edge(x: float) -> str:
    return f"{x:g}"


def as_matrix(x: npt.ArrayLike, name: str) -> FloatArray:
    arr = as_float(x, name)
    if arr.ndim != 2:
        raise ValueError(f"{name} must be a 2-D (rows × skills) array; got shape {arr.shape}")
    return arr
