"""Tests for ecosim.metrics.recorders: every recorder on a tiny constructed state."""

import numpy as np
import pytest
from _tiny_state import E, R, U, tiny_snapshot

from ecosim import metrics as m
from ecosim.flows import OCCUPATION_FLOWS
from ecosim.state import Status


@pytest.mark.usefixtures("no_warnings")
def test_skill_gap_recorder_hand_computed():
    rec = m.SkillGapRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["skill_gaps"].set_index("skill")
    assert list(t.index) == ["a", "b"]
    # openings by occupation [2, 1]: (2*[1, 0] + [0.5, 0.5]) / 3
    np.testing.assert_allclose(t["demand_vacancies"], [2.5 / 3, 0.5 / 3])
    # headcount by occupation [1, 1]: ([1, 0] + [0.5, 0.5]) / 2
    np.testing.assert_allclose(t["demand_jobs"], [0.75, 0.25])
    # unemployed w2, w3, w5: ([0.2, 0.4] + [0.4, 0.8] + [0, 0]) / 3 ; employed w0, w1
    np.testing.assert_allclose(t["held_seekers"], [0.2, 0.4])
    np.testing.assert_allclose(t["held_incumbents"], [0.45, 0.15])
    np.testing.assert_allclose(t["gap_vacancies"], [2.5 / 3 - 0.2, 0.5 / 3 - 0.4])
    np.testing.assert_allclose(t["gap_jobs"], [0.3, 0.1])
    # deficits: w0 vs [1, 0] -> [0.4, 0]; w1 vs [0.5, 0.5] -> [0.2, 0.4]; mean per skill
    np.testing.assert_allclose(t["shortfall_incumbents"], [0.3, 0.2])
    assert (t["month"] == 0).all()


@pytest.mark.usefixtures("no_warnings")
def test_breakdown_recorder_hand_computed():
    rec = m.BreakdownRecorder()
    rec.record(tiny_snapshot())
    tables = rec.tables()
    occ = tables["by_occupation"].set_index("occupation")
    np.testing.assert_allclose(occ["unemployed"], [20.0, 10.0])  # w2, w5 aim o1; w3 o2
    np.testing.assert_allclose(occ["vacancies"], [20.0, 10.0])
    np.testing.assert_allclose(occ["unemployment_rate"], [2 / 3, 0.5])
    # shortfall = Σ a·max(0, r − x) / Σ a·r: w0 0.4 / 1 ; w1 (0.2 + 0.4) / 1
    np.testing.assert_allclose(occ["mean_shortfall_incumbents"], [0.4, 0.6])
    sec = tables["by_sector"].set_index("sector")
    np.testing.assert_allclose(sec["unemployed"], [10.0, 10.0])  # by last employer's sector
    reg = tables["by_region"].set_index("region")
    np.testing.assert_allclose(reg["unemployed"], [10.0, 20.0])  # by residence
    np.testing.assert_allclose(reg["resident_employment"], [10.0, 10.0])


@pytest.mark.usefixtures("no_warnings")
def test_inclusiveness_recorder_stocks_hand_computed():
    rec = m.InclusivenessRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["inclusiveness"]
    ed = t[t["dimension"] == "education"].set_index("group")
    assert list(ed.index) == ["mbo", "hbo", "wo"]
    np.testing.assert_allclose(ed["employed"], [10.0, 10.0, 0.0])  # w0 ; w1 ; -
    np.testing.assert_allclose(ed["unemployed"], [20.0, 10.0, 0.0])  # w2, w5 ; w3 ; -
    np.testing.assert_allclose(ed["unemployment_rate"][:2], [2 / 3, 0.5])
    np.testing.assert_allclose(ed["long_term_unemployed_share"][:2], [0.5, 1.0])  # w5 ; w3
    np.testing.assert_allclose(ed["mean_unemployment_duration"][:2], [13.5, 13.0])
    np.testing.assert_allclose(ed["mean_shortfall_incumbents"][:2], [0.4, 0.6])
    assert ed.loc["wo", ["unemployment_rate", "job_finding_rate"]].isna().all()
    assert ed["job_finding_rate"].isna().all()  # no previous month yet
    age = t[t["dimension"] == "age_band"].set_index("group")
    # w2 20 (U), w0 30 (E), w3 40 (U), w1 50 (E), w5 60 (U); retired w4 (70) left out
    np.testing.assert_allclose(age["unemployed"], [10.0, 0.0, 10.0, 0.0, 10.0, 0.0])
    np.testing.assert_allclose(age["employed"], [0.0, 10.0, 0.0, 10.0, 0.0, 0.0])
    reg = t[t["dimension"] == "region"].set_index("group")
    np.testing.assert_allclose(reg["unemployment_rate"], [0.5, 2 / 3])


@pytest.mark.usefixtures("no_warnings")
def test_inclusiveness_recorder_flows_across_months_and_new_rows():
    rec = m.InclusivenessRecorder()
    first = tiny_snapshot(0)
    rec.record(first)
    # Month 1: w2 is hired, w0 separates, and an entrant w6 (wo, unemployed) is appended.
    status = np.array([U, E, E, U, R, U, U], dtype=np.int8)
    grow = {
        name: np.append(getattr(first, name), value)
        for name, value in (
            ("age", 22.0),
            ("education", 2),
            ("region", 0),
            ("municipality", 0),
            ("occupation", 1),
            ("employer", -1),
            ("last_employer", -1),
            ("unemployment_months", 1),
        )
    }
    grow["employer"][[0, 2]] = [-1, 0]
    grow["education"] = grow["education"].astype(np.int8)
    skills = np.vstack([first.skills, [[0.1, 0.1]]])
    rec.record(tiny_snapshot(1, status=status, skills=skills, **grow))
    t = rec.tables()["inclusiveness"]
    ed = t[(t["month"] == 1) & (t["dimension"] == "education")].set_index("group")
    # previously unemployed: mbo {w2, w5} -> w2 hired: 1/2 ; hbo {w3}: 0/1 ; wo: none -> nan
    np.testing.assert_allclose(ed["job_finding_rate"][:2], [0.5, 0.0])
    assert np.isnan(ed.loc["wo", "job_finding_rate"])
    # previously employed: mbo {w0} -> separated: 1/1 ; hbo {w1}: 0/1
    np.testing.assert_allclose(ed["separation_rate"][:2], [1.0, 0.0])
    np.testing.assert_allclose(ed["unemployed"], [20.0, 10.0, 10.0])


@pytest.mark.usefixtures("no_warnings")
def test_duration_recorder_hand_computed():
    rec = m.DurationRecorder()
    rec.record(tiny_snapshot())
    t = rec.tables()["unemployment_duration"].set_index("duration")
    # spells of the unemployed: 3, 13, 24 months (the retired w4 is not counted)
    np.testing.assert_allclose(t["unemployed"], [0, 0, 10, 0, 10, 10])
    np.testing.assert_allclose(t["share"], [0, 0, 1 / 3, 0, 1 / 3, 1 / 3])
    assert list(t.index) == ["0", "1-2", "3-5", "6-11", "12-23", "24+"]


def test_agent_snapshot_recorder_copies_chosen_months_and_columns():
    rec = m.AgentSnapshotRecorder([1], columns=["status", "occupation", "sector", "skills"])
    rec.record(tiny_snapshot(0))
    assert rec.tables() == {}
    snap = tiny_snapshot(1)
    rec.record(snap)
    rec.record(snap)  # the same month twice is kept once
    agents = rec.tables()["agents"]
    assert list(agents.columns) == [
        "month",
        "worker",
        "status",
        "occupation",
        "sector",
        "skill_a",
        "skill_b",
    ]
    assert agents["worker"].tolist() == [0, 1, 2, 3, 5]  # the retired w4 is left out
    assert agents["status"].tolist() == [
        "employed",
        "employed",
        "unemployed",
        "unemployed",
        "unemployed",
    ]
    # the labels are the Status members, lower-cased (whatever codes they have)
    assert agents["status"].cat.categories.tolist() == [s.name.lower() for s in Status]
    assert agents["sector"].tolist()[:2] == ["s0", "s1"]
    assert agents["sector"].isna().tolist() == [False, False, True, True, True]
    np.testing.assert_allclose(agents["skill_b"], [0.2, 0.1, 0.4, 0.8, 0.0])
    snap.skills[0, 1] = 0.9  # a copy, not a view of the live state
    assert agents["skill_b"].iloc[0] == 0.2
    with pytest.raises(ValueError, match="unknown agent column"):
        m.AgentSnapshotRecorder([1], columns=["wage"])


def test_default_recorders_record_the_constructed_state():
    snap = tiny_snapshot()
    tables = {}
    for rec in m.default_recorders():
        rec.record(snap)
        tables.update(rec.tables())
    assert set(tables) == {
        "by_sector",
        "by_occupation",
        "by_region",
        "skill_gaps",
        "inclusiveness",
        "unemployment_duration",
        "channels",
        "closures",
    }


def test_channels_recorder_hand_computed():
    rec = m.ChannelsRecorder()
    flows = np.zeros((len(OCCUPATION_FLOWS), 2), dtype=np.int64)
    flows[OCCUPATION_FLOWS.index("hires_job_to_job"), 1] = 2
    rec.record(tiny_snapshot(month=1, occupation_flows=flows))
    table = rec.tables()["channels"].set_index("occupation")
    # o1: 1 employed, target 3, 2 open (rate 2/3); o2: 1 employed, target 2, 1 open (1/2).
    assert table["employment"].tolist() == [10.0, 10.0]
    assert table["target"].tolist() == [30.0, 20.0]
    assert table["vacancies"].tolist() == [20.0, 10.0]
    np.testing.assert_allclose(table["vacancy_rate"], [2 / 3, 1 / 2])
    assert table["hires_job_to_job"].tolist() == [0.0, 20.0]
    assert table["wage_index"].tolist() == [1.0, 1.1]


def test_closure_recorder_follows_each_cohort_from_its_closure():
    rec = m.ClosureRecorder()
    rec.record(tiny_snapshot(month=5))  # w2 and w5 (unemployed) were displaced by closure 0
    status = np.array([E, E, E, U, R, U], dtype=np.int8)  # w2 found a job in month 7
    occupation = np.array([0, 1, 1, 1, 0, 0])  # in o2, not o1 where w2 worked before
    rec.record(tiny_snapshot(month=7, status=status, occupation=occupation))
    table = rec.tables()["closures"]
    assert table["months_since"].tolist() == [0, 2]
    assert table["displaced"].tolist() == [20.0, 20.0]
    assert table["employed_share"].tolist() == [0.0, 0.5]
    assert table["employed_other_occupation_share"].tolist() == [0.0, 0.5]
    assert table["unemployed"].tolist() == [20.0, 10.0]


def test_a_run_fills_the_first_duration_bin_and_labels_are_ascii():
    """Spells begun this month are the "0" bin (the band was once reported always empty);
    every group label of the run's tables can be typed in a pandas filter."""
    from pathlib import Path

    from ecosim import RegionModel

    model = RegionModel(Path(__file__).parents[1] / "data" / "tiny.yaml")
    model.run(months=4)
    tables = model.tables()
    durations = tables["unemployment_duration"]
    newly = durations[(durations["duration"] == "0") & (durations["month"] > 0)]
    assert newly["unemployed"].sum() > 0
    ages = tables["inclusiveness"].query("dimension == 'age_band'")["group"].astype(str)
    assert "25-34" in set(ages)
    for table in tables.values():
        for column in table.select_dtypes(["category", "object"]).columns:
            assert all(str(v).isascii() for v in table[column].unique()), column
