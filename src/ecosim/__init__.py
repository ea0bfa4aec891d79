"""ecosim: an agent-based simulator of a regional labour ecosystem.

Workers, employers, educators and government are Mesa agents whose numbers live in columnar
NumPy arrays; a numba-compiled kernel matches talents to tasks every simulated month.
"""

import os
from importlib.metadata import PackageNotFoundError, version
from typing import TYPE_CHECKING, Any

# Idle OpenMP threads must not spin: on a shared machine a spinning pool slows every parallel
# numba kernel by orders of magnitude (see benchmarks/bench_model.py). Set before numba loads.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

from ecosim.config import Scenario, ScenarioError, load_scenario

if TYPE_CHECKING:
    from ecosim.model import RegionModel
    from ecosim.state import Status

try:
    __version__ = version("ecosim")
except PackageNotFoundError:  # running from a source tree without installation
    __version__ = "0.0.0+unknown"

__all__ = ["RegionModel", "Scenario", "ScenarioError", "Status", "__version__", "load_scenario"]


def __getattr__(name: str) -> Any:
    # The model pulls in Mesa and numba; load it (and the state module with it) only when asked
    # for, so that scenario validation (and ``ecosim validate``) stays fast.
    if name == "RegionModel":
        from ecosim.model import RegionModel

        return RegionModel
    if name == "Status":
        from ecosim.state import Status

        return Status
    raise AttributeError(f"module 'ecosim' has no attribute {name!r}")
