"""Execution backends: where a sweep's chunks run (:class:`Backend`).

``serial`` runs them in this process (an executor that runs each call as it is submitted),
``processes`` on a pool of spawned local processes, ``dask`` on a new ``LocalCluster`` or an
existing scheduler. A backend also says how many chunks may be in flight and which exceptions
mean that a worker process died.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from concurrent.futures import Executor, Future
from contextlib import contextmanager
from typing import Any

from ecosim.sweep.errors import SweepError
from ecosim.sweep.worker import WORKER_ENV, init_worker

BACKENDS: tuple[str, ...] = ("serial", "processes", "dask")
"""The kinds of :class:`Backend`, by name."""


@contextmanager
def _worker_environment() -> Iterator[None]:
    """Set :data:`WORKER_ENV` in this process while it spawns workers (they inherit it)."""
    saved = {k: os.environ.get(k) for k in WORKER_ENV}
    os.environ.update(WORKER_ENV)
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


class _InlineExecutor(Executor):
    """Runs each call at submission, in this process (the ``serial`` backend)."""

    def submit(self, fn: Callable[..., Any], /, *args: Any, **kwargs: Any) -> Future:
        future: Future = Future()
        try:
            future.set_result(fn(*args, **kwargs))
        except Exception as exc:
            future.set_exception(exc)
        return future


class Backend:
    """Where chunks run: an executor, how many workers, and what a dead worker looks like.

    Args:
        kind: ``serial``, ``processes`` or ``dask``.
        workers: Worker processes (``processes``, ``dask`` LocalCluster); default: CPU count.
        scheduler: Address of an existing Dask scheduler (``tcp://host:8786``).
    """

    def __init__(self, kind: str = "processes", workers: int | None = None, scheduler: str = ""):
        if kind not in BACKENDS:
            raise SweepError(f"unknown backend {kind!r}; choose one of {', '.join(BACKENDS)}")
        if scheduler and kind != "dask":
            raise SweepError("--scheduler needs the dask backend")
        self.kind = kind
        self.workers = 1 if kind == "serial" else max(1, workers or os.cpu_count() or 1)
        self.scheduler = scheduler
        self.warmup: Mapping[str, Any] | None = None
        self._executor: Executor | None = None
        self._client: Any = None
        self._cluster: Any = None
        self._numba_threads: int | None = None

    def start(self, warmup: Mapping[str, Any] | None = None) -> None:
        """Start the workers now, so that they start up while the caller prepares the runs.

        Args:
            warmup: Scenario data each ``processes`` worker warms up with when it starts
                (:func:`warm_up`), also after a replacement of the pool; ``None``: no warm-up.
        """
        self.warmup = warmup
        self.executor()

    @property
    def window(self) -> int:
        """How many chunks may be in flight at once."""
        return 1 if self.kind == "serial" else 2 * self.workers

    def executor(self) -> Executor:
        """The executor, created on first use."""
        if self._executor is None:
            self._executor = self._start()
        return self._executor

    def _start(self) -> Executor:
        if self.kind == "serial":
            import numba

            self._numba_threads = numba.get_num_threads()
            numba.set_num_threads(1)
            return _InlineExecutor()
        if self.kind == "processes":
            import multiprocessing
            from concurrent.futures import ProcessPoolExecutor

            # Spawned workers inherit WORKER_ENV, so NumPy's BLAS and numba start with one
            # thread. The pool spawns a worker per submission while none is idle: submitting
            # one trivial call per worker starts all of them at once, each warming up.
            with _worker_environment():
                pool = ProcessPoolExecutor(
                    self.workers,
                    mp_context=multiprocessing.get_context("spawn"),
                    initializer=init_worker,
                    initargs=(self.warmup,),
                )
                for _ in range(self.workers):
                    pool.submit(os.getpid)
            return pool
        import dask
        from distributed import Client, LocalCluster

        if self.scheduler:
            self._client = Client(self.scheduler)
            info = self._client.scheduler_info()
            threads = sum(w.get("nthreads", 1) for w in info.get("workers", {}).values())
            self.workers = max(threads, 1)
        else:
            with dask.config.set({"distributed.scheduler.allowed-failures": 0}):
                self._cluster = LocalCluster(
                    n_workers=self.workers,
                    threads_per_worker=1,
                    processes=True,
                    dashboard_address=None,
                    env=dict(WORKER_ENV),
                )
            self._client = Client(self._cluster)
        return self._client.get_executor(pure=False)

    def is_worker_death(self, exc: BaseException) -> bool:
        """Whether an exception means the worker process running the chunk died."""
        if self.kind == "processes":
            from concurrent.futures.process import BrokenProcessPool

            return isinstance(exc, BrokenProcessPool)
        if self.kind == "dask":
            from distributed import KilledWorker

            return isinstance(exc, KilledWorker)
        return False

    def reset(self) -> None:
        """Replace a broken executor (after a worker process died)."""
        if self.kind == "processes" and self._executor is not None:
            self._executor.shutdown(wait=False, cancel_futures=True)
            self._executor = None

    def close(self) -> None:
        """Stop workers and clusters this backend started."""
        if self._executor is not None:
            if self.kind == "dask":
                self._executor.shutdown(wait=False)
            else:
                self._executor.shutdown(wait=self.kind != "processes", cancel_futures=True)
            self._executor = None
        if self._client is not None:
            self._client.close()
            self._client = None
        if self._cluster is not None:
            self._cluster.close()
            self._cluster = None
        if self._numba_threads is not None:
            import numba

            numba.set_num_threads(self._numba_threads)
            self._numba_threads = None
