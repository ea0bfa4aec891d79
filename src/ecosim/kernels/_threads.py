"""How many threads a parallel kernel call gets: all of them for large work, one for small.

Starting a numba parallel region costs tens of microseconds (waking the worker threads and
joining them: about 45 µs with OpenMP on a 2-core machine), so for a small model with a few
hundred workers the threads made every kernel call several times slower, and a whole run
about 1.4x slower, than one thread. Calls whose work is below :data:`PARALLEL_MIN_WORK`
therefore run on the calling thread alone. Results never depend on the number of threads
(every kernel is written so; the tests compare 1 and 2 threads), so this changes speed only.

Only the Python wrappers use this; the compiled kernels are untouched.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from contextlib import contextmanager

import numba

PARALLEL_MIN_WORK = int(os.environ.get("ECOSIM_PARALLEL_MIN_WORK", "100000"))
"""Work (rows x skills; x draws per seeker for the search) below which a call runs on one thread.

Set ``ECOSIM_PARALLEL_MIN_WORK`` (before importing ecosim) to tune it for a machine; ``0``
makes every call parallel.

Measured with ``benchmarks/bench_threads.py`` on 2 cores: the per-row kernels gain from the
second thread from about 5,000-7,000 workers at 14 skills, the search from a few hundred seekers
drawing 20 vacancies each.
"""


@contextmanager
def threads_for(work: int) -> Iterator[None]:
    """Run the enclosed kernel calls on one thread if ``work`` is small, else on all threads.

    ``numba.set_num_threads`` applies to the calling thread only, so concurrent callers (a
    sweep's threads, a Dask worker's) do not affect each other; the previous number is restored.
    """
    if work >= PARALLEL_MIN_WORK:
        yield
        return
    previous = numba.get_num_threads()
    if previous == 1:
        yield
        return
    numba.set_num_threads(1)
    try:
        yield
    finally:
        numba.set_num_threads(previous)
