"""Employer: an establishment of a sector in a municipality, with jobs by occupation."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ecosim.agents._columns import Column
from ecosim.state import Status

if TYPE_CHECKING:
    from ecosim.agents.worker import Worker
    from ecosim.model import RegionModel


class Employer(mesa.Agent):
    """An employer agent; its numbers are row ``row`` of ``model.employers``.

    Employers separate workers and open vacancies toward their target employment
    (:mod:`ecosim.phases.labour_demand`), train incumbents (:mod:`ecosim.phases.training`) and
    hire through the matching kernel (:mod:`ecosim.phases.matching`); all of it runs vectorised
    over all employers.
    """

    wage_premium = Column("employers", "wage_premium", cast=float)

    def __init__(self, model: RegionModel, row: int):
        super().__init__(model)
        self.row = int(row)

    @property
    def sector(self) -> str:
        """Sector name."""
        return self.model.world.sector_names[int(self.model.employers.sector[self.row])]

    @property
    def municipality(self) -> str:
        """Municipality where its jobs are."""
        return self.model.world.municipality_names[int(self.model.employers.municipality[self.row])]

    @property
    def headcount(self) -> int:
        """Number of employed worker agents."""
        return int(self.model.employers.headcount[self.row].sum())

    @property
    def vacancies(self) -> int:
        """Number of open vacancies (openings)."""
        return int(self.model.employers.openings[self.row].sum())

    @property
    def target(self) -> float:
        """Target employment (worker agents) this month."""
        return float(self.model.employers.target[self.row].sum())

    def headcount_by_occupation(self) -> dict[str, int]:
        """Employed workers per occupation (occupations with none are left out)."""
        row = self.model.employers.headcount[self.row]
        return {self.model.world.occupation_names[o]: int(row[o]) for o in np.flatnonzero(row)}

    def vacancies_by_occupation(self) -> dict[str, int]:
        """Open vacancies per occupation (occupations with none are left out)."""
        row = self.model.employers.openings[self.row]
        return {self.model.world.occupation_names[o]: int(row[o]) for o in np.flatnonzero(row)}

    def wage_for(self, occupation: str) -> float:
        """Monthly wage this employer offers for an occupation."""
        o = self.model.world.occupation_names.index(occupation)
        return float(
            self.model.world.base_wage[o] * self.model.state.wage_index[o] * self.wage_premium
        )

    def workers(self) -> list[Worker]:
        """The worker agents it employs."""
        w = self.model.workers
        rows = np.flatnonzero(
            (w.view("employer") == self.row) & (w.view("status") == Status.EMPLOYED)
        )
        return [self.model.worker_agents[r] for r in rows]

    def __repr__(self) -> str:
        return (
            f"Employer(id={self.unique_id}, {self.sector}, {self.municipality}, "
            f"headcount={self.headcount}, vacancies={self.vacancies})"
        )
