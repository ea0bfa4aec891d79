"""Educator: an mbo/hbo/wo institution or course provider."""

from __future__ import annotations

from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from ecosim.config import Educator as EducatorConfig
    from ecosim.model import RegionModel


class Educator(mesa.Agent):
    """An education institution of the region.

    Educators supply the yearly inflow of graduates of their level (spread over the month
    steps); their curricula follow the requirements (``phases/learning.py``) and course places
    come from the catalogue (``courses.py``).
    """

    def __init__(self, model: RegionModel, config: EducatorConfig):
        super().__init__(model)
        self.name = config.name
        self.level = config.level
        self.municipality = config.municipality
        self.graduates = 0

    def __repr__(self) -> str:
        return (
            f"Educator({self.name}, {self.level}, {self.municipality}, graduates={self.graduates})"
        )
