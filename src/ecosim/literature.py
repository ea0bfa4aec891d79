"""Published models ecosim reduces to, as plain NumPy iterations of their equations.

del Rio-Chanona, Mealy, Beguerisse-Díaz, Lafond & Farmer (2021), "Occupational mobility and
automation: a data-driven network model", J. R. Soc. Interface 18: 20200898 — the deterministic
(mean-field) equations of one node of their network, the special case that
``scenarios/literature/del_rio_chanona_2021.yaml`` simulates. Nothing here imports the model:
these are the oracle the simulation is checked against (``tests/literature``) and the reference
line of the validation report (``ecosim.validation``). One step is the paper's 6.75 weeks.
"""

from __future__ import annotations

import numpy as np

LONG_TERM = 3
"""Spell index from which the paper's unemployed are long-term (27 weeks, four steps)."""

PAPER = {"delta_u": 0.016, "delta_v": 0.012, "gamma_u": 0.16, "gamma_v": 0.16}
"""The paper's calibrated parameters per 6.75-week step (``gamma_u = gamma_v = 10 delta_u``)."""


def one_step(
    e: float, u: float, v: float, target: float, p: dict[str, float]
) -> tuple[float, float, float, float, float]:
    """One step of the paper's equations for one node: the new e, u, v, separations, hires.

    Separations ``δu e + (1 − δu) min(e, γu max(0, d − d†))`` and openings
    ``δv e + (1 − δv) min(e, γv max(0, d† − d))`` with ``d = e + v``, and the urn-ball's
    expected hires, all from the stocks at the start of the step. Each of the ``u`` unemployed
    sends one application to one of the ``v`` vacancies, drawn uniformly; a vacancy receives
    ``Binomial(u, 1/v)`` applications, which the paper takes as ``Poisson(u/v)``, and hires one
    applicant if it has any, so the expected hires are ``v (1 − exp(−u/v))`` — their
    success probability of an application ``θ (1 − exp(−1/θ))`` at tightness ``θ = v/u``, times
    ``u``. (The exact finite count ``v (1 − (1 − 1/v)^u)`` moves the stocks of 3,000 agents by
    less than 0.005 percentage points.)
    """
    excess = e + v - target
    separations = p["delta_u"] * e + (1 - p["delta_u"]) * min(e, p["gamma_u"] * max(0.0, excess))
    openings = p["delta_v"] * e + (1 - p["delta_v"]) * min(e, p["gamma_v"] * max(0.0, -excess))
    hires = v * (1.0 - np.exp(-u / v))
    return (
        e + hires - separations,
        u + separations - hires,
        v + openings - hires,
        separations,
        hires,
    )


def steady_state(p: dict[str, float] = PAPER, steps: int = 3000) -> dict[str, float]:
    """The steady state of the paper's equations, iterated from their initial conditions.

    Labour force 1, target demand ``d† = e₀ + u₀ = 1``, ``u₀ = δu e₀``, ``v₀ = δv e₀`` (as the
    authors start). The unemployed are tracked by spell length as the paper's code does: the
    step's separations have spell index 0, and each later step a share ``hires / u`` of every
    spell leaves; the long-term unemployed are those of index ``LONG_TERM`` (3) and more.
    """
    e = 1.0 / (1.0 + p["delta_u"])
    u, v = p["delta_u"] * e, p["delta_v"] * e
    spells = np.zeros(200)
    for _ in range(steps):
        before = (e, u, v)
        e, u, v, separations, hires = one_step(e, u, v, 1.0, p)
        spells[1:] = spells[:-1] * (1.0 - hires / before[1])
        spells[0] = separations
    if not np.allclose((e, u, v), before, rtol=0, atol=1e-13):
        raise RuntimeError(f"the iteration has not converged in {steps} steps")
    return {
        "unemployment_rate": u / (u + e),
        "vacancy_rate": v / (v + e),
        "long_term_share": spells[LONG_TERM:].sum() / u,
        "job_finding": hires / u,
    }


def cycle_path(steps: int, burn_in: int, amplitude: float, period: float) -> np.ndarray:
    """The equations' (u, v) rates over the sine cycle of target demand, steps 1..``steps``.

    ``burn_in`` steps at ``d† = 1`` first, as the scenario's burn-in, then
    ``d†(t) = 1 + amplitude sin(2π t / period)``.
    """
    e = 1.0 / (1.0 + PAPER["delta_u"])
    u, v = PAPER["delta_u"] * e, PAPER["delta_v"] * e
    out = []
    for t in range(-burn_in, steps + 1):
        if t == 0:
            continue  # the scenario's month 0 is its state after the burn-in
        target = 1.0 + amplitude * np.sin(2 * np.pi * t / period) if t > 0 else 1.0
        e, u, v, _, _ = one_step(e, u, v, target, PAPER)
        if t > 0:
            out.append((u / (u + e), v / (v + e)))
    return np.array(out)


def loop_area(u: np.ndarray, v: np.ndarray, period: int) -> float:
    """Mean signed area of the (u, v) path over its whole cycles (positive: counter-clockwise).

    The shoelace formula per cycle of ``period`` points, closing each cycle's path.
    """
    areas = []
    for k in range(u.size // period):
        x, y = u[k * period : (k + 1) * period], v[k * period : (k + 1) * period]
        areas.append(0.5 * np.sum(x * np.roll(y, -1) - np.roll(x, -1) * y))
    return float(np.mean(areas))
