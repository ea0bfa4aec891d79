"""Small sampling helpers shared by the world builder and the phases of the month."""

from __future__ import annotations

from typing import Any

import numpy as np


def stochastic_round(x: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """Round non-negative reals to integers, up with probability equal to the fraction.

    The expectation is preserved (``E[round(x)] = x``), so expected flows such as "2.3 layoffs"
    are realised without bias however small the population.
    """
    base = np.floor(x)
    return (base + (rng.random(x.shape) < (x - base))).astype(np.int64)


def normalised(x: Any) -> np.ndarray:
    """``x / sum(x)`` as float64: weights turned into probabilities."""
    arr = np.asarray(x, dtype=np.float64)
    return arr / arr.sum()
