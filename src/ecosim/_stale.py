"""Temporary files and folders that name their process, and whether that process is gone.

Results folders (:mod:`ecosim.results`) and sweep folders (:mod:`ecosim.sweep.storage`) are
written through temporary names holding the writer's process id (``<prefix><pid>`` or
``<prefix><pid>-<random>``). A process killed while writing leaves them behind; the next writer
removes those whose process no longer exists, and leaves alone those of a process still writing.
"""

from __future__ import annotations

import os
import re
from pathlib import Path


def stale(path: Path, prefix: str) -> bool:
    """Whether ``path`` is a temporary ``<prefix><pid>[-<random>]`` of a process that is gone."""
    owner = re.fullmatch(r"(\d+)(-[^-]+)?", path.name.removeprefix(prefix))
    return path.name.startswith(prefix) and owner is not None and not _alive(int(owner[1]))


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
