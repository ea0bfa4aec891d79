"""CSV and Excel copies of the tables, for readers without Python."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim.export import EXCEL_ROWS, check_formats, write_exports

FRAMES = {
    "timeseries": pd.DataFrame(
        {"unemployed": [1.0, 2.0, np.nan]}, index=pd.RangeIndex(3, name="month")
    ),
    "tables/by_sector": pd.DataFrame(
        {"month": [0, 1], "sector": pd.Categorical(["care", "care"]), "employment": [5, 6]}
    ),
}
ABOUT = {"timeseries": "per month", "tables/by_sector": "per month and sector"}


def test_formats_always_start_with_parquet_and_unknown_ones_are_refused() -> None:
    assert check_formats(["xlsx", "csv", "xlsx"]) == ("parquet", "xlsx", "csv")
    assert check_formats([]) == ("parquet",)
    with pytest.raises(ValueError, match="unknown table format 'json'"):
        check_formats(["json"])


def test_csv_copies_keep_a_named_index_and_drop_a_row_number(tmp_path: Path) -> None:
    written = write_exports(tmp_path, FRAMES, ["csv"], ABOUT)
    assert sorted(p.relative_to(tmp_path).as_posix() for p in written) == [
        "tables/by_sector.csv",
        "timeseries.csv",
    ]
    ts = pd.read_csv(tmp_path / "timeseries.csv", index_col="month")
    pd.testing.assert_frame_equal(ts, FRAMES["timeseries"], check_index_type=False)
    sectors = pd.read_csv(tmp_path / "tables" / "by_sector.csv")
    assert list(sectors.columns) == ["month", "sector", "employment"]


def test_workbook_has_a_guide_then_one_sheet_per_table(tmp_path: Path) -> None:
    (path,) = write_exports(tmp_path, FRAMES, ["xlsx"], ABOUT)
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["guide", "timeseries", "by_sector"]
    assert sheets["guide"]["holds"].tolist() == ["per month", "per month and sector"]
    assert sheets["by_sector"]["employment"].tolist() == [5, 6]
    assert sheets["timeseries"]["month"].tolist() == [0, 1, 2]


def test_a_table_too_long_for_a_sheet_is_named_in_the_guide(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ecosim.export.EXCEL_ROWS", 3)
    assert EXCEL_ROWS == 1_048_576
    (path,) = write_exports(tmp_path, FRAMES, ["xlsx"], ABOUT)
    sheets = pd.read_excel(path, sheet_name=None)
    assert list(sheets) == ["guide", "by_sector"]
    assert "not in the workbook: 3 rows" in sheets["guide"]["sheet"][0]
