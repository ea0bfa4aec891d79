"""report.html: self-contained, with the summary, figures, spending, guide and provenance."""

from __future__ import annotations

import base64
import re
from html.parser import HTMLParser
from pathlib import Path

import pytest

from ecosim import RegionModel
from ecosim.report import instrument_spending, key_figures, number
from ecosim.results import Results

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
VOUCHERS = {"government.vouchers.enabled": True, "government.vouchers.budget": 200_000.0}


class _Page(HTMLParser):
    """Collects the page's ids, image sources, links and table cells."""

    def __init__(self) -> None:
        super().__init__()
        self.ids: list[str] = []
        self.images: list[str] = []
        self.links: list[str] = []
        self.cells: list[str] = []
        self._cell = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        a = dict(attrs)
        if "id" in a:
            self.ids.append(str(a["id"]))
        if tag == "img":
            self.images.append(str(a["src"]))
        if tag in ("link", "script", "a") and (a.get("href") or a.get("src")):
            self.links.append(str(a.get("href") or a.get("src")))
        self._cell = tag in ("td", "th")

    def handle_data(self, data: str) -> None:
        if self._cell:
            self.cells.append(data)
            self._cell = False


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    model = RegionModel(ROOT / "tests" / "data" / "tiny_transitions.yaml", **VOUCHERS)
    model.run(months=6)
    out = tmp_path_factory.mktemp("report") / "res"
    return Results.from_model(model, wall_time=1.0).save(out)


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


def test_the_report_is_self_contained_with_every_figure_embedded(folder: Path) -> None:
    page = parse(folder / "report.html")
    assert {"summary", "figures", "instruments", "tables", "provenance"} <= set(page.ids)
    figures = sorted((folder / "figures").glob("*.png"))
    assert len(page.images) == len(figures) == 8
    embedded = {base64.b64decode(src.split(",", 1)[1]) for src in page.images}
    assert embedded == {p.read_bytes() for p in figures}
    assert all(src.startswith("data:image/png;base64,") for src in page.images)
    assert all(link.startswith("#") for link in page.links)  # nothing fetched from outside


def test_the_report_gives_spending_per_instrument_and_the_provenance(folder: Path) -> None:
    results = Results.load(folder)
    page = parse(folder / "report.html")
    spent = results.tables["instruments"].query("instrument == 'vouchers'")["spent"].sum()
    assert spent > 0
    assert number(spent, "EUR") in page.cells
    assert "vouchers" in page.cells
    for parameter in results.provenance["drawn"]:
        assert parameter in page.cells
    assert "shift-closure-care" in page.cells  # the event log
    text = (folder / "report.html").read_text()
    assert "month 0 = the end of a 2-month burn-in" in text.lower()
    assert "tables/instruments.parquet" in page.cells


def test_key_figures_start_at_month_1_where_flows_are_counted(folder: Path) -> None:
    ts = Results.load(folder).timeseries
    figures = key_figures(ts)
    assert list(figures.columns[2:4]) == ["month 1", "month 6"]
    hires = figures.set_index("indicator").loc["Hires"]
    assert hires["unit"] == "persons/month"
    assert hires["month 1"] == number(ts["hires"].iloc[1], bare=True)


def test_numbers_read_with_their_units() -> None:
    assert number(0.04567, "%") == "4.57%"
    assert number(1234567.8, "EUR") == "€ 1,234,568"
    assert number(0.0, "EUR") == "€ 0"
    assert number(float("nan"), "EUR") == "n/a"
    assert number(3111.4, "persons/month") == "3,111 persons/month"
    assert number(0.01234) == "0.0123"


def test_entitlements_are_listed_without_a_budget(folder: Path) -> None:
    results = Results.load(folder)
    table = instrument_spending(results.tables["instruments"], results.timeseries, {})
    assert table["instrument"].tolist() == [
        "vouchers",
        "unemployment benefits (entitlement)",
        "social assistance (entitlement)",
    ]
    assert table.loc[1, "budget"] == "no budget"
    assert re.fullmatch(r"€ [\d,]+", table.loc[1, "spent"])
