"""Golden digests: a fingerprint of every shipped scenario's outputs at a reduced size.

A refactor that must not change results is proven by these digests staying identical; a change
of behaviour updates them deliberately, in the commit that changes the behaviour, with::

    .venv/bin/python tests/golden.py --update

Each scenario in ``scenarios/`` and ``scenarios/policies/``, and ``tests/data/tiny.yaml``, runs
at ``SIZE`` worker agents (the resolution that gives them; employers sampled alike) for
``MONTHS`` months with its own seed. The digest covers the time series,
every table (recorded and derived), the event log and the values drawn for uncertain
parameters. Frames are hashed by their values (column names, dtypes and the raw bytes of each
column), not by their Parquet bytes, so a new pyarrow version that writes different metadata
does not change a digest. The matching-function table is a least-squares fit by LAPACK, whose
last bits change with the SciPy/OpenBLAS build: its floats are hashed at ``FIT_DIGITS``
significant digits, far finer than any change of the model would leave them.

The digests are of the code, not of the CPU: NumPy picks its exp, log and power by the CPU it
runs on, and its AVX-512 versions differ from the others in the last bit, which moves the float
outputs (wages, skill gaps) in their last bits while every count stays the same. So the digests
are always computed with NumPy's AVX-512 paths and OpenBLAS's CPU-specific kernels switched off
(``PORTABLE_ENV``): :func:`main` re-runs itself with them, and ``tests/test_golden.py`` computes
the digests in a child process that has them.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd

ROOT = Path(__file__).resolve().parents[1]
DIGESTS = ROOT / "tests" / "data" / "golden.json"
SIZE = 1500
MONTHS = 72
FIT_DIGITS = 10
LIBRARY_FITS = ("matching_function",)
PORTABLE_ENV = {
    "NPY_DISABLE_CPU_FEATURES": "X86_V4 AVX512_ICL AVX512_SPR",
    "OPENBLAS_CORETYPE": "Haswell",
}
"""The environment the digests are computed in: the same NumPy and OpenBLAS code paths on any
x86-64 CPU with AVX2 (set before NumPy is imported, so in a fresh process)."""


def scenario_paths() -> list[Path]:
    """Every scenario the project ships, and the tests' tiny one."""
    paths = sorted((ROOT / "scenarios").glob("*.yaml"))
    paths += sorted((ROOT / "scenarios" / "policies").glob("*.yaml"))
    paths.append(ROOT / "tests" / "data" / "tiny.yaml")
    return paths


def _hash_array(h: Any, values: np.ndarray) -> None:
    if values.dtype == object or isinstance(values.dtype, pd.CategoricalDtype):
        h.update("\x1f".join(map(str, values)).encode())
    else:
        h.update(str(values.dtype).encode())
        h.update(np.ascontiguousarray(values).tobytes())


def frame_digest(frame: pd.DataFrame, digits: int | None = None) -> str:
    """SHA-256 of a frame's index, column names, dtypes and values.

    With ``digits``, float columns are rounded to that many significant digits first.
    """
    if digits is not None:
        frame = frame.copy()
        for column in frame.select_dtypes("float").columns:
            values = frame[column].to_numpy()
            frame[column] = [float(f"{x:.{digits}g}") for x in values]
    h = hashlib.sha256()
    for name in frame.index.names:
        h.update(str(name).encode())
    for level in range(frame.index.nlevels):
        _hash_array(h, np.asarray(frame.index.get_level_values(level)))
    for column in frame.columns:
        h.update(f"|{column}|".encode())
        _hash_array(h, np.asarray(frame[column]))
    return h.hexdigest()


def scenario_digests(path: Path) -> dict[str, str]:
    """Digests of one scenario's outputs: time series, tables, events, drawn values."""
    from ecosim import RegionModel, load_scenario
    from ecosim.results import Results

    persons = load_scenario(path).workforce.persons
    scenario = load_scenario(path, {"resolution": persons / SIZE, "months": MONTHS})
    model = RegionModel(scenario)
    model.run()
    results = Results.from_model(model)
    out = {"timeseries": frame_digest(results.timeseries)}
    for name in sorted(results.tables):
        digits = FIT_DIGITS if name in LIBRARY_FITS else None
        out[f"tables/{name}"] = frame_digest(results.tables[name], digits)
    extra = {"events": model.event_log, "drawn": model.transitions.drawn}
    out["events_and_drawn"] = hashlib.sha256(
        json.dumps(extra, sort_keys=True, default=str).encode()
    ).hexdigest()
    return out


def key(path: Path) -> str:
    """A scenario's key in the digest file: its path relative to the repository."""
    return path.relative_to(ROOT).as_posix()


def all_digests() -> dict[str, dict[str, str]]:
    return {key(p): scenario_digests(p) for p in scenario_paths()}


def portable() -> bool:
    """Whether this process runs in :data:`PORTABLE_ENV`."""
    return all(os.environ.get(k) == v for k, v in PORTABLE_ENV.items())


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--update", action="store_true", help="rewrite tests/data/golden.json")
    parser.add_argument("--json", action="store_true", help="print the digests as JSON")
    args = parser.parse_args(argv)
    if not portable():
        env = os.environ | PORTABLE_ENV
        os.execve(sys.executable, [sys.executable, __file__, *argv], env)
    digests = all_digests()
    if args.json:
        print(json.dumps(digests))
        return 0
    if args.update:
        DIGESTS.write_text(json.dumps(digests, indent=1, sort_keys=True) + "\n")
        print(f"wrote {DIGESTS.relative_to(ROOT)} ({len(digests)} scenarios)")
        return 0
    stored = json.loads(DIGESTS.read_text())
    changed = {
        f"{s}:{part}"
        for s in set(stored) | set(digests)
        for part in set(stored.get(s, {})) | set(digests.get(s, {}))
        if stored.get(s, {}).get(part) != digests.get(s, {}).get(part)
    }
    for item in sorted(changed):
        print("changed:", item)
    print("identical" if not changed else f"{len(changed)} digests differ")
    return 1 if changed else 0


if __name__ == "__main__":
    sys.exit(main())
