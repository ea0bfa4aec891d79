"""Government: budget and instruments; every euro is booked per instrument per month."""

from __future__ import annotations

from collections import defaultdict
from typing import TYPE_CHECKING

import mesa
import numpy as np
import pandas as pd

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

    A budgeted instrument (:data:`BUDGETED`) has a total budget spread over its active months as
    an *envelope*: with ``spread: uniform`` (the default) the money available up to a month is
    the budget times the share of the active period elapsed, unspent money carrying forward;
    with ``spread: none`` the whole budget is available from the first month. Applications are
    granted through :meth:`request`, first come first served in the order given (the model
    passes them in a seeded random order), while the running total fits within the envelope
    left. An instrument is *open* — offered, and planned on by those who may apply — only while
    what is left of this month's envelope covers at least its smallest grant; once what is left
    of the whole budget is less than that, it is *exhausted* for good and the month is recorded.

    Args:
        model: The model.
        config: The scenario's government block.
        months: The run's length (the end of an instrument without an ``end``).
        min_grant: The smallest grant of each budgeted instrument, in euros (persons).

    Attributes:
        config: The scenario's government block.
        ledger: ``ledger[instrument][month]`` = euros spent (in persons, i.e. scaled).
        applications, granted, refused: ``[instrument][month]`` = counts (agents).
        exhausted: ``{instrument: month}`` the month each exhausted instrument ran out.
    """

    def __init__(
        self,
        model: RegionModel,
        config: GovernmentConfig,
        months: int,
        min_grant: dict[str, float],
    ):
        super().__init__(model)
        self.config = config
        self.months = months
        self.min_grant = dict(min_grant)
        self.ledger: dict[str, dict[int, float]] = defaultdict(dict)
        self.applications: dict[str, dict[int, int]] = defaultdict(dict)
        self.granted: dict[str, dict[int, int]] = defaultdict(dict)
        self.refused: dict[str, dict[int, int]] = defaultdict(dict)
        self.exhausted: dict[str, int] = {}

    def clear(self) -> None:
        """Forget all spending and counts (after the burn-in, which is not booked)."""
        for table in (self.ledger, self.applications, self.granted, self.refused):
            table.clear()
        self.exhausted.clear()

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

    def envelope(self, instrument: str, month: int) -> float:
        """Euros the instrument may have spent up to and including ``month`` (cumulative)."""
        cfg = getattr(self.config, instrument)
        budget = self.budget(instrument)
        if cfg.spread == "none":
            return budget
        first = max(cfg.start, 1)
        last = self.months if cfg.end is None else min(cfg.end - 1, self.months)
        if month < first:
            return 0.0
        return budget * min((month - first + 1) / max(last - first + 1, 1), 1.0)

    def available(self, instrument: str, month: int) -> float:
        """Euros the instrument can still grant this month: its envelope left (never negative)."""
        return max(self.envelope(instrument, month) - self.spent(instrument), 0.0)

    def active(self, instrument: str, month: int) -> bool:
        """Whether a budgeted instrument is enabled and within its start/end window."""
        return bool(getattr(self.config, instrument).active(month))

    def open(self, instrument: str, month: int) -> bool:
        """Active, not exhausted, with at least one grant left in this month's envelope.

        Only an open instrument is offered (and planned on).
        """
        return (
            self.active(instrument, month)
            and instrument not in self.exhausted
            and self.available(instrument, month) >= self.min_grant.get(instrument, 0.0)
            and self.available(instrument, month) > 0
        )

    def assess(self, instrument: str, month: int, euros: np.ndarray) -> np.ndarray:
        """Which applications, in the order given, the envelope would grant (nothing booked).

        Returns:
            Boolean mask: active, not exhausted, and ``cumsum(euros) <= available``.
        """
        euros = np.asarray(euros, dtype=np.float64)
        if not self.active(instrument, month) or instrument in self.exhausted:
            return np.zeros(euros.size, dtype=bool)
        return np.cumsum(euros) <= self.available(instrument, month)

    def refuse(self, instrument: str, month: int, n: int) -> None:
        """Count ``n`` applications refused for want of budget (assessed, not granted)."""
        for table in (self.applications, self.refused):
            table[instrument][month] = table[instrument].get(month, 0) + int(n)

    def request(self, instrument: str, month: int, euros: np.ndarray) -> np.ndarray:
        """Grant applications in the order given while the envelope lasts; book and count them.

        Args:
            instrument: A name of :data:`BUDGETED`.
            month: The current month.
            euros: Amount asked by each application (euros, already scaled to persons).

        Returns:
            Boolean mask of the granted applications: ``cumsum(euros) <= available``.
        """
        euros = np.asarray(euros, dtype=np.float64)
        granted = self.assess(instrument, month, euros)
        self.book(instrument, month, float(euros[granted].sum()))
        n_granted = int(np.count_nonzero(granted))
        for table, value in (
            (self.applications, euros.size),
            (self.granted, n_granted),
            (self.refused, euros.size - n_granted),
        ):
            table[instrument][month] = table[instrument].get(month, 0) + value
        left = self.budget_left(instrument)
        if instrument not in self.exhausted and left < max(self.min_grant.get(instrument, 0), 1e-9):
            self.exhausted[instrument] = month
        return granted

    def count(self, table: str, instrument: str, month: int | None = None) -> int:
        """Applications, grants or refusals (``table``) of an instrument in a month or in all."""
        book = getattr(self, table).get(instrument, {})
        return int(book.get(month, 0) if month is not None else sum(book.values()))

    def table(self, months: int) -> pd.DataFrame:
        """Per enabled budgeted instrument and month: its envelope, spending and applications.

        Columns: ``budget`` (total), ``envelope`` (cumulative: what could have been spent up to
        the month), ``spent`` (the month's euros), ``applications``, ``granted``, ``refused``
        (agents) and ``exhausted`` (the budget had run out by the month's end).
        """
        rows = []
        for name in BUDGETED:
            if not getattr(self.config, name).enabled:
                continue
            ran_out = self.exhausted.get(name)
            for month in range(1, months + 1):
                rows.append(
                    {
                        "month": month,
                        "instrument": name,
                        "budget": self.budget(name),
                        "envelope": self.envelope(name, month),
                        "spent": self.spent(name, month),
                        "applications": self.count("applications", name, month),
                        "granted": self.count("granted", name, month),
                        "refused": self.count("refused", name, month),
                        "exhausted": ran_out is not None and month >= ran_out,
                    }
                )
        columns = [
            "month", "instrument", "budget", "envelope", "spent", "applications", "granted",
            "refused", "exhausted",
        ]  # fmt: skip
        frame = pd.DataFrame(rows, columns=columns)
        frame["instrument"] = pd.Categorical(frame["instrument"], categories=list(BUDGETED))
        return frame

    def __repr__(self) -> str:
        total = sum(sum(b.values()) for b in self.ledger.values())
        return f"Government(instruments={sorted(self.ledger)}, spent={total:,.0f} EUR)"
