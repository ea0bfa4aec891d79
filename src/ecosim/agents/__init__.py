"""The four actors of a regional LLO ecosystem, as Mesa agents.

Workers and employers are handles onto rows of the columnar state (``ecosim.state``): reading an
attribute reads the row, setting a numeric attribute writes it. Their monthly behaviour runs
vectorised in the phases of the month (:mod:`ecosim.phases`), never as a Python loop over
agents.
"""

from ecosim.agents.educator import Educator
from ecosim.agents.employer import Employer
from ecosim.agents.government import Government
from ecosim.agents.worker import Worker

__all__ = ["Educator", "Employer", "Government", "Worker"]
