"""The four actors of a regional LLO ecosystem, as Mesa agents.

Workers and employers are handles onto rows of the columnar state (``ecosim.state``): reading an
attribute reads the row, setting a numeric attribute writes it. Their monthly behaviour runs
vectorised in the phases of the month (:mod:`ecosim.phases`), never as a Python loop over
agents. Worker agents are made on first access (:mod:`ecosim.agents.lazy`), so a model of a
million workers holds arrays, not a million agent objects.
"""

from ecosim.agents.educator import Educator
from ecosim.agents.employer import Employer
from ecosim.agents.government import Government
from ecosim.agents.worker import Worker

__all__ = ["Educator", "Employer", "Government", "Worker"]
