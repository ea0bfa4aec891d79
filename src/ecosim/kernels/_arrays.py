"""Read-only inputs: one compiled version of a kernel whatever its caller hands it.

Numba compiles a kernel once per combination of argument types, and a read-only array is a
type of its own. The model hands its status column and its shared index sets over read-only
(:class:`ecosim.state.WorkerState`), other callers (tests, notebooks, fresh temporaries) pass
writable arrays; a wrapper passes such an input through :func:`read_only`, so the kernel is
compiled (and its cache filled) once, not once per kind of caller.
"""

from __future__ import annotations

import numpy as np


def read_only(a: np.ndarray) -> np.ndarray:
    """A read-only view of ``a`` (no copy; ``a`` itself stays as it was)."""
    out = a.view()
    out.flags.writeable = False
    return out
