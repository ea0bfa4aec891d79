"""The error of a sweep that cannot run: :class:`SweepError`.

An invalid sweep file is reported like a scenario, as a :class:`ecosim.config.ScenarioError`
listing every problem; :class:`SweepError` is for the rest (an output folder holding another
sweep, an unknown backend, a runner that is not written ``module:function``).
"""

from __future__ import annotations


class SweepError(RuntimeError):
    """A sweep cannot run (for reasons other than an invalid sweep file)."""
