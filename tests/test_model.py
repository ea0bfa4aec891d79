"""RegionModel: agents, invariants every step, determinism, agent views onto columnar state."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from ecosim import RegionModel
from ecosim.agents import Educator, Employer, Government, Worker
from ecosim.state import Status

ROOT = Path(__file__).resolve().parents[1]
TINY = ROOT / "tests" / "data" / "tiny.yaml"
REQUIRED_COLUMNS = [
    "employed",
    "unemployed",
    "vacancies",
    "unemployment_rate",
    "vacancy_rate",
    "hires",
    "separations",
    "job_to_job",
    "long_term_unemployed_share",
    "mean_skill_shortfall_of_hires",
]


def active_count(model: RegionModel) -> int:
    return int(np.count_nonzero(model.workers.present()))


@pytest.fixture(scope="module")
def tiny_run() -> RegionModel:
    model = RegionModel(TINY)
    model.run(24)
    return model


def test_agents_of_all_four_kinds_are_registered() -> None:
    model = RegionModel(TINY)
    sc = model.config
    workers = model.agents_by_type[Worker]
    assert len(workers) == active_count(model)
    assert len(model.agents_by_type[Employer]) == sum(sc.employer_agents(s) for s in sc.sectors)
    assert len(model.agents_by_type[Government]) == 1
    assert len(model.agents_by_type[Educator]) == 3  # none listed: one per level and region
    assert {w.row for w in workers} == set(np.flatnonzero(model.workers.present()))


def test_timeseries_columns_and_index(tiny_run: RegionModel) -> None:
    ts = tiny_run.timeseries()
    assert list(ts.index) == list(range(25))
    assert ts.index.name == "month"
    for col in REQUIRED_COLUMNS:
        assert col in ts.columns
    assert ((ts["unemployment_rate"] > 0) & (ts["unemployment_rate"] < 0.5)).all()
    assert ts["employed"].iloc[0] == tiny_run.datacollector.model_vars["employed"][0]
    # counts are persons: agents x resolution
    emp_agents = np.count_nonzero(tiny_run.workers.view("status") == Status.EMPLOYED)
    assert ts["employed"].iloc[-1] == emp_agents * tiny_run.config.resolution


def test_recording_a_selection_gives_the_same_values_and_skips_the_rest(
    tiny_run: RegionModel,
) -> None:
    full = tiny_run.timeseries()
    # One cheap, one costly (the incumbents' shortfall) and one learning indicator; repeated.
    names = ["training_participation", "unemployment_rate", "mean_skill_shortfall_of_incumbents"]
    model = RegionModel(TINY, record=[*names, "unemployment_rate"])
    assert model.recorded == tuple(names)
    part = model.run(24)
    assert part.columns.tolist() == names
    pd.testing.assert_frame_equal(part, full[names], check_exact=True)
    assert model.tables() == {} and tiny_run.tables()
    # Indicators nobody asked for are not computed.
    cheap = RegionModel(TINY, record="unemployment_rate")
    assert cheap.recorded == ("unemployment_rate",)
    assert "mean_skill_shortfall_of_incumbents" not in cheap.indicators
    assert "training_participation" not in cheap.indicators
    assert cheap.run(24)["unemployment_rate"].equals(full["unemployment_rate"])


def test_recording_nothing_still_counts_the_months() -> None:
    model = RegionModel(TINY, record=[])
    frame = model.run(5)
    assert frame.shape == (6, 0)
    assert frame.index.tolist() == list(range(6)) and frame.index.name == "month"


def test_an_unknown_indicator_to_record_is_named_with_the_allowed_ones() -> None:
    with pytest.raises(ValueError, match=r"unknown indicator\(s\) 'unemploymnet_rate'") as err:
        RegionModel(TINY, record=["unemployment_rate", "unemploymnet_rate"])
    assert "allowed: labour_force, employed" in str(err.value)


def test_same_seed_same_run_different_seed_different_run(tiny_run: RegionModel) -> None:
    again = RegionModel(TINY)
    again.run(24)
    pd.testing.assert_frame_equal(tiny_run.timeseries(), again.timeseries(), check_exact=True)
    np.testing.assert_array_equal(tiny_run.workers.view("skills"), again.workers.view("skills"))
    other = RegionModel(TINY, seed=8)
    other.run(24)
    assert not tiny_run.timeseries().equals(other.timeseries())


DIGEST = (
    "import hashlib, sys; from ecosim import RegionModel;"
    "m = RegionModel(sys.argv[1]); ts = m.run(12);"
    "print(hashlib.sha256(ts.to_numpy().tobytes()).hexdigest())"
)


@pytest.mark.parametrize(
    ("threads", "parallel_min_work"),
    [("1", "100000"), ("2", "100000"), ("2", "0")],  # "0": every kernel call parallel
)
def test_bit_identical_across_processes_and_thread_counts(
    threads: str, parallel_min_work: str
) -> None:
    env = {
        **os.environ,
        "NUMBA_NUM_THREADS": threads,
        "ECOSIM_PARALLEL_MIN_WORK": parallel_min_work,
    }
    out = subprocess.run(
        [sys.executable, "-c", DIGEST, str(TINY)],
        capture_output=True,
        text=True,
        env=env,
        check=True,
    )
    import hashlib

    here = RegionModel(TINY).run(12)
    assert out.stdout.strip() == hashlib.sha256(here.to_numpy().tobytes()).hexdigest()


def test_worker_agent_reads_and_writes_its_row(tiny_run: RegionModel) -> None:
    model = tiny_run
    worker = next(iter(model.agents_by_type[Worker]))
    w = model.workers
    assert worker.age == w.age[worker.row]
    worker.age = 30.5
    assert w.age[worker.row] == 30.5
    worker.skills = np.array([0.2, 1.7, -0.1])
    np.testing.assert_array_equal(w.skills[worker.row], [0.2, 1.0, 0.0])
    worker.skills[0] = 0.4  # the property is a view onto the row
    assert w.skills[worker.row, 0] == 0.4
    assert worker.status == Status(int(w.status[worker.row]))
    assert worker.education in ("mbo", "hbo", "wo")
    assert worker.municipality in model.world.municipality_names
    with pytest.raises(AttributeError, match="changed only by the model"):
        worker.unemployment_months = 3


def test_employer_agent_views(tiny_run: RegionModel) -> None:
    model = tiny_run
    for employer in model.agents_by_type[Employer]:
        staff = employer.workers()
        assert employer.headcount == len(staff)
        assert all(w.employer is employer for w in staff)
        assert sum(employer.headcount_by_occupation().values()) == employer.headcount
        assert employer.sector in model.world.sector_names
    employed = [w for w in model.agents_by_type[Worker] if w.status == Status.EMPLOYED]
    assert employed and all(w.employer is not None for w in employed)


def test_overrides_and_seed_as_keyword_arguments() -> None:
    model = RegionModel(str(TINY), rng=11, **{"behaviour.separation_rate": 0.03})
    assert model.config.seed == 11
    assert model.config.behaviour.separation_rate == 0.03
    with pytest.raises(ValueError, match="either seed or rng"):
        RegionModel(TINY, seed=1, rng=2)


@pytest.mark.parametrize("mode", ["stable", "optimal"])
def test_other_matching_modes_run_in_the_model(mode: str) -> None:
    model = RegionModel(TINY, **{"matching.mode": mode, "resolution": 15})
    for _ in range(6):
        model.step()
        assert model.check_invariants() == []
    assert model.timeseries()["hires"].iloc[1:].sum() > 0


@pytest.mark.parametrize(
    ("seed", "error", "match"),
    [
        (-1, ValueError, "greater than or equal to 0"),
        (2**70, ValueError, "less than or equal to 9223372036854775807"),
        (1.5, TypeError, "valid integer"),
        (True, TypeError, "valid integer"),
    ],
)
def test_seed_argument_is_checked_like_the_scenario_s(seed, error: type, match: str) -> None:
    with pytest.raises(error, match=f"seed: .*{match}"):
        RegionModel(TINY, seed=seed)
    with pytest.raises(error, match=f"seed: .*{match}"):
        RegionModel(TINY, rng=seed)


def test_numpy_integer_seed_is_a_seed() -> None:
    assert RegionModel(TINY, seed=np.int64(3), burn_in=0).config.seed == 3


@pytest.mark.parametrize(
    ("months", "error"), [(-1, ValueError), (1.5, TypeError), (True, TypeError)]
)
def test_run_refuses_months_that_are_not_a_count(months, error: type) -> None:
    model = RegionModel(TINY, burn_in=0)
    with pytest.raises(error, match="months must be"):
        model.run(months=months)
    assert model.month == 0


def test_status_is_exported_and_reads_as_a_word() -> None:
    import ecosim

    model = RegionModel(TINY)
    worker = next(iter(model.agents_by_type[Worker]))
    assert ecosim.Status is type(worker.status)
    assert str(ecosim.Status.EMPLOYED) == "employed" and f"{ecosim.Status.RETIRED}" == "retired"
    assert ecosim.Status.UNEMPLOYED == 2  # the stored code is unchanged


def test_agent_reporters_follow_a_sample_of_workers_without_changing_the_run() -> None:
    plain = RegionModel(TINY).run(3)
    model = RegionModel(TINY, agent_reporters={"status": "status", "age": "age"}, agent_sample=7)
    followed = model.run(3)
    pd.testing.assert_frame_equal(plain, followed, check_exact=True)
    agents = model.datacollector.get_agent_vars_dataframe()
    assert len(agents) == 7 * 4  # months 0..3
    ids = agents.index.get_level_values("AgentID")
    assert set(ids) == {w.unique_id for w in model.sample}
    assert all(isinstance(w, Worker) for w in model.sample)
    assert RegionModel(TINY, agent_reporters={"age": "age"}, agent_sample=7).sample[0].row == (
        model.sample[0].row
    )  # the same sample from the same seed
    assert len(RegionModel(TINY, agent_reporters={"age": "age"}).sample) == 100
    assert RegionModel(TINY).sample == []
    with pytest.raises(ValueError, match="agent_sample"):
        RegionModel(TINY, agent_reporters={"age": "age"}, agent_sample=0)


def test_a_seed_of_none_passed_through_means_the_scenarios_own_silently() -> None:
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        model = RegionModel(TINY, seed=None)  # only mesa.batch_run's missing seed warns
    assert model.config.seed == 7


def test_spells_grow_by_one_month_from_month_0_to_month_1() -> None:
    """Month 0 is the end of the burn-in's last month; month 1 follows it without a gap."""
    model = RegionModel(TINY)
    w = model.workers
    unemployed = np.flatnonzero(w.view("status") == Status.UNEMPLOYED)
    before = w.unemployment_months[unemployed].copy()
    vacancy_age = model.state.month - model.state.vacancies.opened[: model.state.vacancies.n]
    model.step()
    still = w.status[unemployed] == Status.UNEMPLOYED
    assert still.any()
    assert np.array_equal(w.unemployment_months[unemployed][still], before[still] + 1)
    assert vacancy_age.min() >= 0
