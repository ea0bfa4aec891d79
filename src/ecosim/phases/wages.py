"""Wages: occupations whose vacancies become harder to fill pay more, those in surplus less.

Each occupation has a wage index (1 at the start) that multiplies the wage its vacancies offer
(``base_wage x index x employer premium``); incumbents keep the wage they were hired at. The
scenario's base wages are observed (equilibrium) wages, so the index responds to *changes* in
an occupation's tightness relative to the region's, from their levels at the start of the run
(the end of the burn-in), smoothed over a few months so that only persistent shortages and
surpluses count::

    theta_o = (V_o + 1) / (U_o + 1)        (open vacancies per unemployed worker of o)
    L_o <- L_o + (ln theta_o - L_o) / smoothing_months       (and L for the whole region)
    g_o = (L_o - L_o,start) - (L - L_start)
    ln index_o <- ln index_o + (elasticity x g_o - ln index_o) / adjustment_months

bounded to ``[1 - max_fall, 1 + max_rise]``. The wage level follows tightness — the wage curve
relates pay to local labour-market slack in levels (Blanchflower & Oswald 1994), and pay rises
in occupations with many vacancies per job seeker (Abraham, Haltiwanger & Rendell 2020) —
with a lag; ``max_fall < max_rise`` reflects downward nominal rigidity. When tightness returns
to its start, so does the index: in a stationary baseline it stays near 1.
"""

from __future__ import annotations

import numpy as np

from ecosim.config import Wages
from ecosim.state import RegionState, Status


def log_tightness(state: RegionState) -> np.ndarray:
    """``ln((V_o + 1) / (U_o + 1))`` per occupation, and the region's as the last element."""
    w, emp = state.workers, state.employers
    unemployed = w.occupation[w.rows_with(Status.UNEMPLOYED)]
    u = np.bincount(unemployed, minlength=emp.n_occupations).astype(np.float64)
    v = emp.openings.sum(axis=0).astype(np.float64)
    return np.log(np.r_[v, v.sum()] + 1.0) - np.log(np.r_[u, u.sum()] + 1.0)


def update(state: RegionState, wages: Wages) -> None:
    """Smooth the tightness; after the burn-in, move every occupation's wage index (month end).

    During the burn-in (months before 1) the smoothed tightness becomes the reference.
    """
    state.tightness += (log_tightness(state) - state.tightness) / wages.smoothing_months
    if state.month < 1:
        state.tightness_start = state.tightness.copy()
        return
    change = state.tightness - state.tightness_start
    gap = change[:-1] - change[-1]
    log_index = np.log(state.wage_index)
    log_index += (wages.elasticity * gap - log_index) / wages.adjustment_months
    state.wage_index = np.clip(np.exp(log_index), 1.0 - wages.max_fall, 1.0 + wages.max_rise)
