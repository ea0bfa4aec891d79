"""Sensitivity indices against known answers, the analyze command, PRIM peeling, EMA adapter."""

from __future__ import annotations

import sys
import types
import warnings
from pathlib import Path
from typing import Any

import _sweep_runners as runners
import numpy as np
import pandas as pd
import pytest
from typer.testing import CliRunner

from ecosim.analysis import AnalysisError, box_limits, choose_box, prim_peel, sensitivity
from ecosim.cli import app
from ecosim.sweep import run_sweep, sweep_from_dict

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
SEP = "behaviour.separation_rate"
THR = "matching.acceptance_threshold"
OTJ = "behaviour.on_the_job_search_share"


def linear_sweep(tmp_path: Path, kind: str, samples: int) -> Path:
    """A sweep of y = 2a + b (+ 0 c) with a, b, c uniform on [0, 1]: S1 = ST = (0.8, 0.2, 0)."""
    sweep = sweep_from_dict(
        {
            "name": kind,
            "base": str(TINY),
            "set": {"months": 2},
            "parameters": {
                SEP: {"range": [0, 0.2]},
                THR: {"range": [0, 1]},
                OTJ: {"range": [0, 1]},
            },
            "design": {"kind": kind, "samples": samples, "seed": 3},
            "outputs": {"window": 1, "summaries": ["unemployment_rate", "vacancy_rate"]},
        }
    )
    out = tmp_path / kind
    run_sweep(sweep, out, backend="serial", progress=False, runner=runners.linear_runner)
    return out


def test_sobol_indices_of_a_known_function(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "sobol", 64)
    result = sensitivity(out, "unemployment_rate_mean")
    table = result.table
    assert result.method == "sobol" and result.points == 64 * 5
    assert table.loc[SEP, "S1"] == pytest.approx(0.8, abs=0.1)
    assert table.loc[THR, "S1"] == pytest.approx(0.2, abs=0.1)
    assert table.loc[SEP, "ST"] == pytest.approx(0.8, abs=0.1)
    assert abs(table.loc[OTJ, "S1"]) < 0.02 and abs(table.loc[OTJ, "ST"]) < 0.02
    with pytest.raises(AnalysisError, match="does not vary"):
        sensitivity(out, "vacancy_rate_mean")
    with pytest.raises(AnalysisError, match="morris design"):
        sensitivity(out, method="morris")


def test_morris_ranks_parameters_by_effect(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "morris", 8)
    table = sensitivity(out).table
    assert table["mu_star"].idxmax() == SEP
    assert table.loc[SEP, "mu_star"] == pytest.approx(2 * table.loc[THR, "mu_star"], rel=1e-6)
    assert table.loc[OTJ, "mu_star"] == pytest.approx(0.0, abs=1e-12)


def test_analyze_command_writes_table_and_figure(tmp_path: Path) -> None:
    out = linear_sweep(tmp_path, "sobol", 16)
    result = CliRunner().invoke(app, ["analyze", str(out), "--output", "unemployment_rate_mean"])
    assert result.exit_code == 0, result.output
    assert "S1" in result.stdout and SEP in result.stdout
    assert (out / "analysis" / "unemployment_rate_mean-sobol.csv").is_file()
    assert (out / "analysis" / "unemployment_rate_mean-sobol.png").stat().st_size > 1000
    bad = CliRunner().invoke(app, ["analyze", str(out), "--output", "nothing"])
    assert bad.exit_code == 2 and "no output 'nothing'" in bad.stderr


def test_analyze_on_a_grid_sweep_says_why_there_are_no_indices(tmp_path: Path) -> None:
    sweep = sweep_from_dict(
        {
            "name": "grid",
            "base": str(TINY),
            "set": {"months": 2},
            "parameters": {SEP: {"values": [0.01, 0.02]}},
            "outputs": {"window": 1, "summaries": ["unemployment_rate"]},
        }
    )
    run_sweep(sweep, tmp_path / "g", backend="serial", progress=False, runner=runners.linear_runner)
    result = CliRunner().invoke(app, ["analyze", str(tmp_path / "g")])
    assert result.exit_code == 2
    assert "unknown method" not in result.stderr
    assert result.stderr.startswith("error: this sweep used a grid design, which gives no ")
    chosen = CliRunner().invoke(app, ["analyze", str(tmp_path / "g"), "--method", "morris"])
    assert chosen.exit_code == 2 and "morris indices need a morris design" in chosen.stderr
    typo = CliRunner().invoke(app, ["analyze", str(tmp_path / "g"), "--method", "sobolx"])
    words = " ".join(typo.output.replace("│", " ").split())
    assert typo.exit_code == 2 and "'sobolx' is not one of 'sobol', 'morris'" in words


def test_prim_peeling_finds_the_box() -> None:
    rng = np.random.default_rng(0)
    x = pd.DataFrame({"a": rng.random(2000), "b": rng.random(2000), "c": ["k"] * 2000})
    y = (x["a"] > 0.7) & (x["b"] < 0.5)
    trajectory = prim_peel(x, y, alpha=0.05)
    assert trajectory["density"].iloc[0] == pytest.approx(y.mean())
    assert trajectory["mass"].is_monotonic_decreasing
    box = choose_box(trajectory, min_coverage=0.8)
    assert box["density"] > 0.9 and box["coverage"] >= 0.8
    limits = box_limits(box, trajectory.iloc[0])
    assert limits.loc["a", "low"] == pytest.approx(0.7, abs=0.05)
    assert limits.loc["b", "high"] == pytest.approx(0.5, abs=0.05)
    assert limits["restricted"].all()


# --------------------------------------------------------------------------- EMA adapter


def test_ema_adapter_says_how_to_install_the_extra(monkeypatch) -> None:
    from ecosim.ema import make_ema_model

    monkeypatch.setitem(sys.modules, "ema_workbench", None)
    with pytest.raises(ImportError, match=r"pip install 'ecosim\[ema\]'"):
        make_ema_model(TINY, {SEP: (0.005, 0.02)})


def _fake_workbench() -> types.ModuleType:
    """Just enough of ema_workbench's modelling API to check what the adapter builds."""
    wb = types.ModuleType("ema_workbench")

    class Named:
        def __init__(self, name: str, *args: Any, **kwargs: Any) -> None:
            self.name, self.args, self.kwargs = name, args, kwargs

    class Model(Named):
        pass

    for cls in (
        "RealParameter",
        "IntegerParameter",
        "CategoricalParameter",
        "ScalarOutcome",
        "ArrayOutcome",
    ):
        setattr(wb, cls, type(cls, (Named,), {}))
    wb.Constant = type("Constant", (Named,), {})
    wb.Model = Model
    wb.ReplicatorModel = type("ReplicatorModel", (Model,), {})
    return wb


def test_ema_model_runs_ecosim(monkeypatch) -> None:
    from ecosim.config import ScenarioError
    from ecosim.ema import make_ema_model

    monkeypatch.setitem(sys.modules, "ema_workbench", _fake_workbench())
    model = make_ema_model(
        TINY,
        uncertainties={SEP: (0.005, 0.02), "matching.mode": ["search", "stable"]},
        levers={"matching.sample_size": (5, 30)},
        outcomes=["unemployment_rate", "long_term_unemployed_share"],
        set={"months": 3},
        replications=2,
    )
    assert type(model).__name__ == "ReplicatorModel"
    assert [type(u).__name__ for u in model.uncertainties] == [
        "RealParameter",
        "CategoricalParameter",
    ]
    assert [type(lv).__name__ for lv in model.levers] == ["IntegerParameter"]
    assert model.ecosim_names["behaviour__separation_rate"] == SEP
    assert model.replications == [{"seed": 7}, {"seed": 8}]
    # One value per replication (a workbench ScalarOutcome rejects the list of them).
    assert [type(o).__name__ for o in model.outcomes] == ["ArrayOutcome", "ArrayOutcome"]
    function = model.kwargs["function"]
    outcome = function(
        behaviour__separation_rate=0.01, matching__mode="stable", matching__sample_size=10, seed=8
    )
    assert set(outcome) == {"unemployment_rate_mean", "long_term_unemployed_share_mean"}
    assert 0.0 <= outcome["unemployment_rate_mean"] <= 1.0
    averaged = make_ema_model(TINY, {SEP: (0.005, 0.02)}, replications=3, aggregate=np.mean)
    assert [type(o).__name__ for o in averaged.outcomes] == ["ScalarOutcome", "ScalarOutcome"]
    assert all(o.kwargs["function"] is np.mean for o in averaged.outcomes)
    single = make_ema_model(TINY, {SEP: (0.005, 0.02)}, seed=3)
    assert type(single).__name__ == "Model"
    assert [(c.name, c.args) for c in single.constants] == [("seed", (3,))]
    with pytest.raises(ScenarioError):
        make_ema_model(TINY, {SEP: (0.005, 0.5)})


# --------------------------------------------------------------------------- real EMA workbench


def _perform(wb: Any, model: Any, scenarios: int, policies: int = 0) -> tuple[pd.DataFrame, dict]:
    """The workbench's own perform_experiments, sequentially, with seeded LHS samples."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the workbench's optional-backend notices
        return wb.perform_experiments(
            model,
            scenarios=scenarios,
            policies=policies,
            evaluator=wb.SequentialEvaluator(model),
            uncertainty_sampling_kwargs={"rng": 3},
            lever_sampling_kwargs={"rng": 4},
        )


def _ema_workbench() -> Any:
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "ipyparallel not installed"
        return pytest.importorskip("ema_workbench")


def test_ema_workbench_experiments_and_prim_on_ecosim() -> None:
    wb = _ema_workbench()
    from ema_workbench.analysis import prim

    from ecosim.ema import make_ema_model

    model = make_ema_model(
        TINY,
        uncertainties={SEP: (0.002, 0.05), "matching.mode": ["search", "stable"]},
        levers={"matching.sample_size": (5, 30)},
        outcomes=["unemployment_rate", "long_term_unemployed_share"],
        set={"months": 3},
        window=2,
        seed=11,
    )
    experiments, outcomes = _perform(wb, model, scenarios=8, policies=2)
    names = ["behaviour__separation_rate", "matching__mode", "matching__sample_size"]
    assert list(model.ecosim_names) == names
    assert set(names) | {"scenario", "policy", "model"} <= set(experiments.columns)
    assert len(experiments) == 16  # 8 scenarios x 2 policies
    assert experiments[names[0]].between(0.002, 0.05).all()
    assert set(experiments[names[1]]) <= {"search", "stable"}
    assert experiments[names[2]].between(5, 30).all()
    assert set(outcomes) == {"unemployment_rate_mean", "long_term_unemployed_share_mean"}
    for values in outcomes.values():
        assert values.shape == (16,) and np.isfinite(values).all()
    # Each experiment is the adapter's run with the model's seed (a workbench Constant).
    row = experiments.iloc[5]
    again = model.function(**{n: row[n] for n in names}, seed=11)
    assert again["unemployment_rate_mean"] == outcomes["unemployment_rate_mean"][5]

    # Scenario discovery: high unemployment is explained by a high separation rate.
    unemployment = outcomes["unemployment_rate_mean"]
    high = unemployment > np.median(unemployment)
    assert np.corrcoef(experiments[names[0]], unemployment)[0, 1] > 0.8
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # pandas deprecations inside the workbench
        # The workbench's PRIM writes float box limits into the frame it is given, which pandas
        # refuses for an integer column (the sample size), so it gets floats.
        x = experiments[names].astype({names[2]: float})
        box = prim.Prim(x, high).find_box()
    assert box.density > high.mean() and box.coverage >= 0.5
    assert box.box_lim.loc[0, names[0]] > experiments[names[0]].min()


def test_ema_workbench_replications_per_seed_or_aggregated() -> None:
    wb = _ema_workbench()
    from ecosim.ema import make_ema_model
    from ecosim.sweep import Summary

    def build(name: str, **kwargs: Any) -> Any:
        return make_ema_model(
            TINY,
            uncertainties={SEP: (0.002, 0.05)},
            outcomes=[Summary(column="unemployment_rate", name=name)],
            set={"months": 3},
            window=2,
            replications=2,
            seed=11,
            **kwargs,
        )

    # The workbench registers outcome names with their class for the whole process: an
    # ArrayOutcome and a ScalarOutcome of replications need different names.
    per_seed = build("u_by_replication")
    experiments, outcomes = _perform(wb, per_seed, scenarios=3)
    values = outcomes["u_by_replication"]
    assert values.shape == (3, 2)  # experiments x replications (seeds 11 and 12)
    rate = experiments["behaviour__separation_rate"].iloc[0]
    for replication, seed in enumerate((11, 12)):
        run = per_seed.function(behaviour__separation_rate=rate, seed=seed)
        assert run["u_by_replication"] == values[0, replication]
    assert wb.process_replications(outcomes)["u_by_replication"] == pytest.approx(
        values.mean(axis=1)
    )

    averaged = build("u_mean_of_replications", aggregate=np.mean)
    experiments_avg, outcomes_avg = _perform(wb, averaged, scenarios=3)
    rates = experiments_avg["behaviour__separation_rate"]
    assert rates.tolist() == experiments["behaviour__separation_rate"].tolist()  # same samples
    assert outcomes_avg["u_mean_of_replications"].shape == (3,)
    assert outcomes_avg["u_mean_of_replications"] == pytest.approx(values.mean(axis=1))
