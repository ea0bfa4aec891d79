"""Courses: the catalogue on offer and the arithmetic of a course, on arrays.

What a course is worth to a worker (:func:`ecosim.kernels.training.course_values`: the part of
the skill shortfall it closes), how likely a worker is to start one
and first-come-first-served places (a completed course adds its gains in
:func:`ecosim.kernels.training.progress_courses`). The training *decisions* that use these are
made in :mod:`ecosim.phases.training`; curricula (conditional learning) follow demand in
:mod:`ecosim.phases.learning`. Nothing here imports the model.

Notation: ``x`` a worker's skills, ``r`` the requirement profile the worker aims at, ``a`` the
skill weights of the shortfall, ``g_c`` the gains of course ``c`` (zero for skills it does not
teach).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ecosim.config import EDUCATION_LEVELS, Course


@dataclass(frozen=True)
class Catalogue:
    """The courses on offer, as arrays.

    Attributes:
        names: Course names.
        gains: (C, S) skill gain on completion.
        months: (C,) duration.
        cost: (C,) euros per participant.
        dropout_hazard: (C,) monthly dropout probability
            ``1 - (1 - dropout) ** (1 / months)`` so a course is dropped with probability
            ``dropout`` over its length.
        provider_level: (C,) education level index of the providers.
        places_per_provider: (C,) concurrent places (persons) per provider.
        available_from: (C,) first month offered.
    """

    names: tuple[str, ...]
    gains: np.ndarray
    months: np.ndarray
    cost: np.ndarray
    dropout_hazard: np.ndarray
    provider_level: np.ndarray
    places_per_provider: np.ndarray
    available_from: np.ndarray

    @classmethod
    def from_courses(cls, courses: list[Course], skills: list[str]) -> Catalogue:
        """Build the arrays from validated course definitions."""
        col = {s: j for j, s in enumerate(skills)}
        gains = np.zeros((len(courses), len(skills)))
        for i, course in enumerate(courses):
            for skill, gain in course.skills.items():
                gains[i, col[skill]] = gain
        months = np.array([c.months for c in courses], dtype=np.int64)
        dropout = np.array([c.dropout for c in courses])
        return cls(
            names=tuple(c.name for c in courses),
            gains=gains,
            months=months,
            cost=np.array([c.cost for c in courses], dtype=np.float64),
            dropout_hazard=1.0 - (1.0 - dropout) ** (1.0 / months),
            provider_level=np.array(
                [EDUCATION_LEVELS.index(c.provider_level) for c in courses], dtype=np.int64
            ),
            places_per_provider=np.array([c.places_per_provider for c in courses], dtype=float),
            available_from=np.array([c.available_from for c in courses], dtype=np.int64),
        )


def start_probability(
    base: np.ndarray,
    value: np.ndarray,
    net_cost: np.ndarray,
    wage: np.ndarray,
    return_weight: float,
    cost_weight: float,
) -> np.ndarray:
    """Monthly probability of starting a course.

    ``p = min(1, base * exp(b_r * v - b_c * k / w))`` with ``base`` the personal propensity
    (age band x education x status), ``v`` the course value, ``k`` the net cost and ``w`` the
    monthly wage.

    The exponent is capped at 700 (``exp`` overflows above 709): a job that requires almost
    nothing makes a course's relative value ``v`` huge, and the probability is 1 (or 0 for a
    ``base`` of 0) either way, without an overflow warning or ``0 * inf``.
    """
    cost_term = np.divide(net_cost, wage, out=np.zeros_like(net_cost), where=wage > 0)
    exponent = np.minimum(return_weight * value - cost_weight * cost_term, _MAX_EXPONENT)
    return np.minimum(base * np.exp(exponent), 1.0)


_MAX_EXPONENT = 700.0


def within_capacity(course: np.ndarray, free: np.ndarray) -> np.ndarray:
    """First come, first served per course: the first ``free[c]`` applicants of course ``c``.

    Args:
        course: Course of each applicant, in the order applications arrive.
        free: Free places per course (agents).

    Returns:
        Boolean mask of the applicants who get a place.
    """
    if course.size == 0:
        return np.zeros(0, dtype=bool)
    order = np.argsort(course, kind="stable")
    sorted_course = course[order]
    first = np.searchsorted(sorted_course, sorted_course, side="left")
    rank = np.empty(course.size, dtype=np.int64)
    rank[order] = np.arange(course.size) - first
    return rank < np.floor(free[course])
