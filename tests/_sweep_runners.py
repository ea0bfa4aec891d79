"""Runners for the sweep tests, importable by spawned worker processes.

A runner takes a validated scenario and a seed and returns a monthly time series. These fake
ones compute a known function of the parameters (fast, and with known sensitivity indices),
fail, interrupt, or kill their worker process on purpose.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import numpy as np
import pandas as pd

from ecosim.config import Scenario

CALLS: list[tuple[float, float, int]] = []
"""Runs completed in this process (separation rate, acceptance threshold, seed)."""
INTERRUPT_AT: int | None = None
"""Raise KeyboardInterrupt when this many runs have started (in this process)."""
_STARTED: list[int] = []
MARKER_DIR_ENV = "ECOSIM_TEST_MARKER_DIR"


def linear_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """unemployment_rate = 2 a + b (a, b: separation rate and threshold scaled to [0, 1])."""
    a = scenario.behaviour.separation_rate / 0.2
    b = scenario.matching.acceptance_threshold
    months = np.arange(scenario.months + 1)
    value = 2.0 * a + b + 0.0 * months
    frame = pd.DataFrame(
        {
            "unemployment_rate": value,
            "vacancy_rate": np.full(months.size, seed % 7 / 100.0),
            "long_term_unemployed_share": value / 3.0,
            "mean_skill_shortfall_of_hires": np.zeros(months.size),
            "hires": months.astype(float),
        },
        index=pd.RangeIndex(months.size, name="month"),
    )
    CALLS.append((scenario.behaviour.separation_rate, b, seed))
    return frame


def failing_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Raises for a separation rate of 0.02."""
    if scenario.behaviour.separation_rate == 0.02:
        raise ValueError("boom: separation rate 0.02 is cursed")
    return linear_runner(scenario, seed)


def interrupting_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Raises KeyboardInterrupt at the INTERRUPT_AT-th run started (like Ctrl-C or a kill)."""
    _STARTED.append(seed)
    if INTERRUPT_AT is not None and len(_STARTED) >= INTERRUPT_AT:
        raise KeyboardInterrupt
    return linear_runner(scenario, seed)


def reset() -> None:
    """Forget calls and interruptions."""
    global INTERRUPT_AT
    CALLS.clear()
    _STARTED.clear()
    INTERRUPT_AT = None


def dying_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Kills its worker process for a separation rate of 0.02, always; and for 0.01, once.

    "Once" is remembered with a marker file in the folder named by ECOSIM_TEST_MARKER_DIR. The
    run of 0.01 first waits a second, so that a sweep running both at once usually sees 0.02's
    worker die first and the pool stop 0.01 before it has died itself.
    """
    rate = scenario.behaviour.separation_rate
    if rate == 0.02:
        os._exit(1)
    if rate == 0.01:
        marker = Path(os.environ[MARKER_DIR_ENV]) / "died-once"
        if not marker.exists():
            time.sleep(1.0)
            marker.write_text("x")
            os._exit(1)
    return linear_runner(scenario, seed)


def worker_state() -> dict[str, object]:
    """What a sweep worker process looks like: modules loaded, threads, environment."""
    import sys

    state: dict[str, object] = {
        "pid": os.getpid(),
        "model_loaded": "ecosim.model" in sys.modules,
        "env": {k: os.environ.get(k) for k in ("NUMBA_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
    }
    if "numba" in sys.modules:
        import numba

        state["numba_threads"] = numba.get_num_threads()
    return state


def sleeping_runner(scenario: Scenario, seed: int) -> pd.DataFrame:
    """Marks that it started (a file named after its process in ECOSIM_TEST_MARKER_DIR), then
    sleeps for ten minutes: a worker busy with a long run."""
    (Path(os.environ[MARKER_DIR_ENV]) / f"started-{os.getpid()}").write_text("x")
    time.sleep(600)
    return linear_runner(scenario, seed)
