"""Tables for readers without Python: CSV files or one Excel workbook beside the Parquet files.

A results folder always holds its tables as Parquet, which keeps dtypes (categories, integers)
exactly and is what :meth:`ecosim.results.Results.load`, ``ecosim plot`` and the report read.
``--format csv`` adds a ``.csv`` next to each Parquet file; ``--format xlsx`` adds one workbook,
``tables.xlsx``, whose first sheet (``guide``) says what every other sheet holds. Both are
written into the folder before it is put in place, so they are as complete as the rest.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from pathlib import Path

import pandas as pd

FORMATS: tuple[str, ...] = ("parquet", "csv", "xlsx")
"""Table formats: Parquet (always written), and CSV or Excel besides."""

WORKBOOK = "tables.xlsx"
EXCEL_ROWS = 1_048_576
"""Rows of an Excel sheet, header included: a larger table cannot be a sheet."""


def check_formats(formats: Iterable[str]) -> tuple[str, ...]:
    """The formats asked for, without repeats and with Parquet first.

    Raises:
        ValueError: A format is not one of :data:`FORMATS`.
    """
    chosen = tuple(dict.fromkeys(["parquet", *formats]))
    unknown = [f for f in chosen if f not in FORMATS]
    if unknown:
        raise ValueError(f"unknown table format {unknown[0]!r}; choose from {', '.join(FORMATS)}")
    return chosen


def write_exports(
    folder: Path,
    frames: Mapping[str, pd.DataFrame],
    formats: Iterable[str],
    descriptions: Mapping[str, str],
) -> list[Path]:
    """Write the CSV and/or Excel copies of ``frames`` into ``folder``; the files written.

    Args:
        folder: The (temporary) results folder.
        frames: Tables by their path stem in the folder, e.g. ``"timeseries"`` or
            ``"tables/by_sector"`` (the Parquet file's path without ``.parquet``).
        formats: Formats asked for; ``parquet`` is written by the caller and skipped here.
        descriptions: What each table holds, by the same stems (the workbook's guide sheet).
    """
    written: list[Path] = []
    for kind in check_formats(formats):
        if kind == "csv":
            for stem, frame in frames.items():
                path = folder / f"{stem}.csv"
                path.parent.mkdir(parents=True, exist_ok=True)
                frame.to_csv(path, index=_keeps_index(frame))
                written.append(path)
        elif kind == "xlsx":
            written.append(_workbook(folder / WORKBOOK, frames, descriptions))
    return written


def _keeps_index(frame: pd.DataFrame) -> bool:
    """A named index (``month`` of the time series) is data; a plain row number is not."""
    return any(name is not None for name in frame.index.names)


def _workbook(
    path: Path, frames: Mapping[str, pd.DataFrame], descriptions: Mapping[str, str]
) -> Path:
    """One sheet per table after a ``guide`` sheet; a table too long for a sheet is named
    in the guide instead (agent snapshots of a large run can be)."""
    sheets: dict[str, tuple[str, pd.DataFrame]] = {}
    guide = []
    for stem, frame in frames.items():
        name = _sheet_name(stem.rsplit("/", 1)[-1], sheets)
        fits = len(frame) < EXCEL_ROWS
        where = name if fits else f"(not in the workbook: {len(frame):,} rows; see {stem}.parquet)"
        guide.append(
            {"sheet": where, "file": f"{stem}.parquet", "holds": descriptions.get(stem, "")}
        )
        if fits:
            sheets[name] = (stem, frame)
    with pd.ExcelWriter(path, engine="openpyxl") as writer:
        pd.DataFrame(guide).to_excel(writer, sheet_name="guide", index=False)
        for name, (_, frame) in sheets.items():
            frame.to_excel(writer, sheet_name=name, index=_keeps_index(frame))
    return path


def _sheet_name(name: str, taken: Mapping[str, object]) -> str:
    """Excel's sheet names have at most 31 characters and must differ from each other."""
    base = name[:31]
    candidate, k = base, 2
    while candidate in taken or candidate == "guide":
        suffix = f"-{k}"
        candidate, k = base[: 31 - len(suffix)] + suffix, k + 1
    return candidate
