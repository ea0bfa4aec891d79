"""Numba-compiled hot loops: pure functions on arrays that import nothing from the model."""
