"""Government: budget and instruments; every euro is booked per instrument per month."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import mesa

if TYPE_CHECKING:
    from ecosim.config import Government as GovernmentConfig
    from ecosim.model import RegionModel


class Government(mesa.Agent):
    """The government of the scenario (national instruments applied to the region).

    Attributes:
        config: The scenario's government block.
        ledger: ``ledger[instrument][month]`` = euros spent (in persons, i.e. scaled).
    """

    def __init__(self, model: RegionModel, config: GovernmentConfig):
        super().__init__(model)
        self.config = config
        self.ledger: dict[str, dict[int, float]] = defaultdict(dict)

    def book(self, instrument: str, month: int, euros: float) -> None:
        """Add spending on an instrument in a month."""
        book = self.ledger[instrument]
        book[month] = book.get(month, 0.0) + float(euros)

    def spent(self, instrument: str, month: int | None = None) -> float:
        """Euros spent on an instrument in one month, or over the whole run."""
        book = self.ledger.get(instrument, {})
        return float(book.get(month, 0.0) if month is not None else sum(book.values()))

    def __repr__(self) -> str:
        total = sum(sum(b.values()) for b in self.ledger.values())
        return f"Government(instruments={sorted(self.ledger)}, spent={total:,.0f} EUR)"
