"""Government: budget and instruments; every euro is booked per instrument per month."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import mesa
import numpy as np

if TYPE_CHECKING:
    from ecosim.config import Government as GovernmentConfig
    from ecosim.model import RegionModel

BUDGETED: tuple[str, ...] = (
    "vouchers",
    "employer_subsidy",
    "retraining",
    "learning_community_funding",
    "hc_agenda",
)
"""Instruments with a budget (benefits and social assistance are entitlements, unbudgeted)."""


class Government(mesa.Agent):
    """The government of the scenario (national instruments applied to the region).

    Budgeted instruments (:data:`BUDGETED`) grant applications through :meth:`request`:
    applications are served first come, first served in the order given (the model passes them
    in a seeded random order); an application is granted when the running total of the month's
    granted amounts stays within the budget left, so once one does not fit, it and every later
    one that month is refused. Refusals are counted per instrument and month.

    Attributes:
        config: The scenario's government block.
        ledger: ``ledger[instrument][month]`` = euros spent (in persons, i.e. scaled).
        applications, granted, refused: ``[instrument][month]`` = counts (agents).
    """

    def __init__(self, model: RegionModel, config: GovernmentConfig):
        super().__init__(model)
        self.config = config
        self.ledger: dict[str, dict[int, float]] = defaultdict(dict)
        self.applications: dict[str, dict[int, int]] = defaultdict(dict)
        self.granted: dict[str, dict[int, int]] = defaultdict(dict)
        self.refused: dict[str, dict[int, int]] = defaultdict(dict)

    def clear(self) -> None:
        """Forget all spending and counts (after the burn-in, which is not booked)."""
        for table in (self.ledger, self.applications, self.granted, self.refused):
            table.clear()

    def book(self, instrument: str, month: int, euros: float) -> None:
        """Add spending on an instrument in a month."""
        book = self.ledger[instrument]
        book[month] = book.get(month, 0.0) + float(euros)

    def spent(self, instrument: str, month: int | None = None) -> float:
        """Euros spent on an instrument in one month, or over the whole run."""
        book = self.ledger.get(instrument, {})
        return float(book.get(month, 0.0) if month is not None else sum(book.values()))

    def budget(self, instrument: str) -> float:
        """The instrument's total budget (euros); 0 for a disabled one."""
        cfg = getattr(self.config, instrument)
        return float(cfg.budget) if cfg.enabled else 0.0

    def budget_left(self, instrument: str) -> float:
        """Euros of the instrument's budget not yet spent (never negative)."""
        return max(self.budget(instrument) - self.spent(instrument), 0.0)

    def active(self, instrument: str, month: int) -> bool:
        """Whether a budgeted instrument is enabled and within its start/end window."""
        return bool(getattr(self.config, instrument).active(month))

    def open(self, instrument: str, month: int) -> bool:
        """Active and with budget left: only then is the instrument offered (and planned on)."""
        return self.active(instrument, month) and self.budget_left(instrument) > 0

    def request(self, instrument: str, month: int, euros: np.ndarray) -> np.ndarray:
        """Grant applications in the order given while the budget lasts; book and count them.

        Args:
            instrument: A name of :data:`BUDGETED`.
            month: The current month.
            euros: Amount asked by each application (euros, already scaled to persons).

        Returns:
            Boolean mask of the granted applications: ``cumsum(euros) <= budget_left``.
        """
        euros = np.asarray(euros, dtype=np.float64)
        if not self.active(instrument, month):
            return np.zeros(euros.size, dtype=bool)
        left = self.budget_left(instrument)
        granted = np.cumsum(euros) <= left
        self.book(instrument, month, float(euros[granted].sum()))
        n_granted = int(np.count_nonzero(granted))
        for table, value in (
            (self.applications, euros.size),
            (self.granted, n_granted),
            (self.refused, euros.size - n_granted),
        ):
            table[instrument][month] = table[instrument].get(month, 0) + value
        return granted

    def count(self, table: str, instrument: str, month: int | None = None) -> int:
        """Applications, grants or refusals (``table``) of an instrument in a month or in all."""
        book = getattr(self, table).get(instrument, {})
        return int(book.get(month, 0) if month is not None else sum(book.values()))

    def __repr__(self) -> str:
        total = sum(sum(b.values()) for b in self.ledger.values())
        return f"Government(instruments={sorted(self.ledger)}, spent={total:,.0f} EUR)"
