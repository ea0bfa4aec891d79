"""Worker: a person in the regional labour force."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa
import numpy as np

from ecosim.agents._columns import Column
from ecosim.config import EDUCATION_LEVELS
from ecosim.state import NO_EMPLOYER, Status

if TYPE_CHECKING:
    from ecosim.agents.employer import Employer
    from ecosim.model import RegionModel


class Worker(mesa.Agent):
    """A worker agent; its numbers are row ``row`` of ``model.workers``.

    Worker behaviour (ageing and retirement, learning by doing and skill depreciation, training
    decisions, search) runs vectorised over all workers in the phases of the month
    (:mod:`ecosim.phases`), never per agent.

    The worker rows are the agents (:mod:`ecosim.agents.lazy`): a ``Worker`` is a handle the
    model makes the first time a worker is touched through ``model.agents``,
    ``model.agents_by_type[Worker]`` or ``model.worker_agents``, already registered under the
    id its row was given when it entered; it is not created or registered by hand.

    Args:
        model: The model.
        row: The worker's row of ``model.workers``.
        unique_id: The id the model gave the row.
    """

    age = Column("workers", "age", cast=float)
    wage = Column("workers", "wage", cast=float)
    last_wage = Column("workers", "last_wage", cast=float)
    reservation_wage = Column("workers", "reservation_wage", cast=float)
    unemployment_months = Column("workers", "unemployment_months", writable=False, cast=int)
    benefit_months_left = Column("workers", "benefit_months_left", writable=False, cast=int)

    def __init__(self, model: RegionModel, row: int, unique_id: int):
        # Not mesa.Agent.__init__, which would register one more agent: the row is registered.
        self.model = model
        self.unique_id = unique_id
        self.pos = None
        self.row = int(row)

    @property
    def status(self) -> Status:
        """Labour-market status (read-only: changed by hiring, separation and retirement)."""
        return Status(int(self.model.workers.status[self.row]))

    @property
    def education(self) -> str:
        """Highest education level: ``mbo``, ``hbo`` or ``wo``."""
        return EDUCATION_LEVELS[int(self.model.workers.education[self.row])]

    @property
    def municipality(self) -> str:
        """Municipality of residence."""
        return self.model.world.municipality_names[int(self.model.workers.municipality[self.row])]

    @property
    def occupation(self) -> str | None:
        """Current occupation if employed, else the last (or aimed-for) one."""
        occ = int(self.model.workers.occupation[self.row])
        return self.model.world.occupation_names[occ] if occ >= 0 else None

    @property
    def employer(self) -> Employer | None:
        """The employer agent, or ``None`` when not employed."""
        e = int(self.model.workers.employer[self.row])
        return None if e == NO_EMPLOYER else self.model.employer_agents[e]

    @property
    def skills(self) -> np.ndarray:
        """Skill vector in [0, 1], in scenario skill order (a view: writes go through)."""
        return self.model.workers.skills[self.row]

    @skills.setter
    def skills(self, value: np.ndarray) -> None:
        self.model.workers.skills[self.row] = np.clip(value, 0.0, 1.0)

    def skill_profile(self) -> dict[str, float]:
        """Skills by name."""
        return dict(zip(self.model.config.skills, map(float, self.skills), strict=True))

    def __repr__(self) -> str:
        return (
            f"Worker(id={self.unique_id}, age={self.age:.1f}, {self.education}, "
            f"{self.status.name.lower()}, occupation={self.occupation})"
        )
