"""A tiny constructed month-end state for the recorder and derived-table tests."""

import numpy as np

from ecosim.flows import OCCUPATION_FLOWS
from ecosim.state import Snapshot, Status

E, U, R = Status.EMPLOYED, Status.UNEMPLOYED, Status.RETIRED


def tiny_snapshot(month: int = 0, **changes):
    """Two skills, two occupations, two employers, six workers (one retired); scale 10.

    Workers (skills; status; occupation; employer; education; age; region; spell):
      w0 [0.6, 0.2] employed  o1 e0 mbo 30 r0  0
      w1 [0.3, 0.1] employed  o2 e1 hbo 50 r1  0
      w2 [0.2, 0.4] unemployed (last e0, aims o1) mbo 20 r0  3
      w3 [0.4, 0.8] unemployed (no last employer, aims o2) hbo 40 r1 13
      w4 retired, age 70
      w5 [0.0, 0.0] unemployed (last e1, aims o1) mbo 60 r1 24
    Occupation requirements o1 = [1, 0], o2 = [0.5, 0.5]; skill weights [1, 1].
    Employer e0 (sector s0, region r0): 1 o1 job, 2 o1 openings; e1 (s1, r1): 1 o2 job,
    1 o2 opening. Wage index [1, 1.1]; w2 and w5 were displaced by closure 0.
    """
    data = dict(
        month=month,
        scale=10.0,
        status=np.array([E, E, U, U, R, U], dtype=np.int8),
        age=np.array([30.0, 50.0, 20.0, 40.0, 70.0, 60.0]),
        education=np.array([0, 1, 0, 1, 0, 0], dtype=np.int8),
        region=np.array([0, 1, 0, 1, 0, 1]),
        municipality=np.array([0, 1, 0, 1, 0, 1]),
        occupation=np.array([0, 1, 0, 1, 0, 0]),
        employer=np.array([0, 1, -1, -1, -1, -1]),
        last_employer=np.array([-1, -1, 0, -1, 0, 1]),
        unemployment_months=np.array([0, 0, 3, 13, 0, 24]),
        skills=np.array([[0.6, 0.2], [0.3, 0.1], [0.2, 0.4], [0.4, 0.8], [0.5, 0.5], [0.0, 0.0]]),
        employer_sector=np.array([0, 1]),
        employer_region=np.array([0, 1]),
        employer_municipality=np.array([0, 1]),
        headcount=np.array([[1, 0], [0, 1]]),
        openings=np.array([[2, 0], [0, 1]]),
        target=np.array([[3.0, 0.0], [0.0, 2.0]]),
        requirements=np.array([[1.0, 0.0], [0.5, 0.5]]),
        skill_weights=np.array([1.0, 1.0]),
        skill_names=("a", "b"),
        occupation_names=("o1", "o2"),
        sector_names=("s0", "s1"),
        region_names=("r0", "r1"),
        education_names=("mbo", "hbo", "wo"),
        hires_by_cell=np.array([[1, 0], [0, 0]]),
        shortfall_of_hires=np.array([0.1]),
        wage_index=np.array([1.0, 1.1]),
        occupation_flows=np.zeros((len(OCCUPATION_FLOWS), 2), dtype=np.int64),
        closure=np.array([-1, -1, 0, -1, -1, 0]),
    )
    data.update(changes)
    return Snapshot(**data)
