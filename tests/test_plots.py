"""Figures: every figure renders from a small run without warnings and is labelled."""

from __future__ import annotations

import io
import warnings
from pathlib import Path

import pytest
from matplotlib.figure import Figure

from ecosim import RegionModel, plots
from ecosim.results import Results

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
EXPECTED = {
    "overview",
    "beveridge_curve",
    "skill_gaps",
    "employment_by_sector",
    "employment_by_occupation",
    "mismatch",
    "inclusiveness",
    "unemployment_duration",
}


@pytest.fixture(scope="module")
def results() -> Results:
    model = RegionModel(TINY)
    model.run(months=6)
    return Results.from_model(model)


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_figure_renders_without_warnings_and_is_labelled(results: Results, name: str) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fig = plots.figures(results)[name]()
        assert isinstance(fig, Figure)
        buffer = io.BytesIO()
        fig.savefig(buffer, format="png", dpi=plots.DPI)
    assert buffer.tell() > 10_000
    assert fig.get_suptitle()
    visible = [ax for ax in fig.axes if ax.get_visible() and ax.has_data()]
    assert visible, "no axes with data"
    for ax in visible:
        assert ax.get_title() or ax.get_ylabel(), f"{name}: an unlabelled panel"
    assert any(ax.get_xlabel() for ax in visible) or name == "inclusiveness"
    assert any(ax.get_ylabel() for ax in fig.axes), f"{name}: no axis says its unit"


def test_save_figures_writes_every_figure(results: Results, tmp_path: Path) -> None:
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        written = plots.save_figures(results, tmp_path)
    assert {p.stem for p in written} == EXPECTED
    assert all(p.stat().st_size > 10_000 for p in written)


def test_beveridge_curve_coloured_by_month_with_colourbar(results: Results) -> None:
    fig = plots.beveridge_curve(results.tables["beveridge_curve"])
    ax, cbar = fig.axes
    assert "unemployment rate" in ax.get_xlabel() and "%" in ax.get_xlabel()
    assert "vacancy rate" in ax.get_ylabel()
    assert cbar.get_ylabel() == "month"
    colours = ax.collections[0].get_array()
    assert list(colours) == list(range(1, 7))  # months 1..6, month 0 left out


def test_skill_gap_heatmap_is_diverging_and_centred(results: Results) -> None:
    fig = plots.skill_gaps(results.tables["skill_gaps"])
    mesh = fig.axes[0].collections[0]
    assert mesh.norm.vcenter == 0.0
    assert mesh.get_cmap().name == "RdBu_r"
    assert [t.get_text() for t in fig.axes[0].get_yticklabels()] == ["tech", "care", "office"]
    assert mesh.get_array().shape == (3, 7)  # skills x months 0..6


def test_mismatch_hides_single_segment_partitions(results: Results) -> None:
    fig = plots.mismatch(results.tables["mismatch"])
    labels = [line.get_label() for line in fig.axes[0].get_lines()]
    assert labels == ["across occupations", "across sectors"]  # tiny has one region


def test_plot_from_a_loaded_folder(results: Results, tmp_path: Path) -> None:
    path = results.save(tmp_path / "res", figures=False)
    loaded = Results.load(path)
    written = plots.save_figures(loaded, path / "figures")
    assert {p.stem for p in written} == EXPECTED


def test_beveridge_curve_shows_the_direction_of_time(results: Results) -> None:
    fig = plots.beveridge_curve(results.tables["beveridge_curve"], window=3)
    ax = fig.axes[0]
    arrows = [a for a in ax.texts if getattr(a, "arrow_patch", None) is not None]
    assert arrows, "no arrows along the path"
    tail, head = arrows[0].xyann, arrows[0].xy
    path = ax.get_lines()[0].get_xydata()
    assert tuple(path[0]) == tuple(tail) and tuple(path[1]) == tuple(head)  # forward in time
    assert "direction of time" in ax.get_legend().get_texts()[0].get_text()


def test_employment_relative_to_target_on_one_scale_says_what_is_shown(results: Results) -> None:
    table = results.tables["by_occupation"]
    fig = plots.employment_vs_target(table, "occupation", top=2)
    shown = [ax for ax in fig.axes if ax.get_visible()]
    assert len(shown) == 2
    assert shown[0].get_shared_y_axes().joined(shown[0], shown[1])
    assert "the 2 largest of 4 occupations" in fig.get_suptitle()
    assert shown[0].get_ylabel() == "% above target"
    last = table[table["occupation"] == shown[0].get_title().split(" (")[0]].iloc[-1]
    line = shown[0].get_lines()[0].get_ydata()
    assert line[-1] == pytest.approx(100 * (last["employment"] / last["target"] - 1))
    every = plots.employment_vs_target(table, "occupation")
    assert "all 4 occupations" in every.get_suptitle()


def test_figures_say_what_month_0_is(results: Results) -> None:
    built = plots.figures(results)
    assert "36-month burn-in" in built["overview"]().get_suptitle()
    assert "burn-in" not in built["inclusiveness"]().get_suptitle()
    no_burn_in = {"scenario": {"burn_in": 0}}
    assert "no burn-in" in plots.burn_in_note(no_burn_in)
    assert plots.burn_in_note({}) == ""


def test_duration_legend_names_the_bands(results: Results) -> None:
    fig = plots.unemployment_duration(results.tables["unemployment_duration"])
    labels = [t.get_text() for t in fig.axes[0].get_legend().get_texts()]
    assert labels[:2] == ["under 1 month", "1-2 months"] and labels[-1] == "24+ months"


def test_figures_show_themselves_in_a_notebook(results: Results) -> None:
    """A cell that ends with a figure shows it, also where pyplot was never imported."""
    fig = plots.overview(results.timeseries)
    assert isinstance(fig, plots.InlineFigure)
    assert fig._repr_png_()[:8] == b"\x89PNG\r\n\x1a\n"
