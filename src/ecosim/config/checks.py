"""Semantic checks of a validated scenario: what the schema's single-field rules cannot see.

Unique names, references by name (skills, occupations, sectors, regions, municipalities,
educators), shares summing to 1, age and month windows, coordinates or distances for every
municipality. They run after schema validation (so every field has its type and range) and
return every problem found as ``(location, message, value)``; the loader locates them in the
file.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence
from typing import Any

from pydantic import ValidationError

from ecosim.config.schema import (
    MIN_DURATION,
    DelRioChanona,
    Normal,
    Scenario,
    TimePath,
    Triangular,
    Uniform,
)

SHARE_TOLERANCE = 1e-3
"""How far from 1 a list of shares may sum."""

Check = tuple[tuple[Any, ...], str, Any]
"""A problem found by a check: the location (keys and indices), the message and the value."""


def _shares(values: Iterable[float], loc: tuple[Any, ...], what: str) -> list[Check]:
    total = float(sum(values))
    if math.isclose(total, 1.0, abs_tol=SHARE_TOLERANCE):
        return []
    return [(loc, f"{what} must sum to 1 (±{SHARE_TOLERANCE})", round(total, 6))]


def _names(items: Sequence[Any], loc: tuple[Any, ...], what: str) -> list[Check]:
    seen: set[str] = set()
    out: list[Check] = []
    for i, item in enumerate(items):
        name = item if isinstance(item, str) else item.name
        if name in seen:
            out.append(((*loc, i), f"duplicate {what} name", name))
        seen.add(name)
    return out


def _refs(
    keys: Iterable[str], known: set[str], loc: tuple[Any, ...], what: str, keyed: bool = True
) -> list[Check]:
    """Names that refer to nothing defined; ``keyed`` adds the name itself to the path."""
    allowed = ", ".join(sorted(known))
    plural = what[:-1] + "ies" if what.endswith("y") else what + "s"
    return [
        ((*loc, k) if keyed else loc, f"unknown {what}; defined {plural} are: {allowed}", k)
        for k in keys
        if k not in known
    ]


def semantic_checks(sc: Scenario) -> list[Check]:
    """Checks that span fields: unique names, references, shares summing to 1."""
    out: list[Check] = []
    skills = set(sc.skills)
    occupations = {o.name for o in sc.occupations}
    munis = set(sc.municipality_names)
    out += _names(sc.skills, ("skills",), "skill")
    out += _names(sc.occupations, ("occupations",), "occupation")
    out += _names(sc.sectors, ("sectors",), "sector")
    out += _names(sc.regions, ("regions",), "region")
    out += _names([m for r in sc.regions for m in r.municipalities], ("regions",), "municipality")
    for i, occ in enumerate(sc.occupations):
        out += _refs(occ.requirements, skills, ("occupations", i, "requirements"), "skill")
    out += _refs(sc.matching.skill_weights, skills, ("matching", "skill_weights"), "skill")
    if sc.matching.skill_weights and not any(sc.skill_weight_vector() > 0):
        out.append((("matching", "skill_weights"), "at least one weight must be positive", 0))
    out += _resolution(sc)
    out += _shares((s.share for s in sc.sectors), ("sectors",), "sector shares")
    for i, sector in enumerate(sc.sectors):
        loc = ("sectors", i, "occupations")
        out += _refs(sector.occupations, occupations, loc, "occupation")
        out += _shares(sector.occupations.values(), loc, "occupation shares")
    out += _shares((r.share for r in sc.regions), ("regions",), "region shares")
    for i, region in enumerate(sc.regions):
        loc = ("regions", i, "municipalities")
        out += _shares((m.residents for m in region.municipalities), loc, "residents shares")
        out += _shares((m.jobs for m in region.municipalities), loc, "jobs shares")
    out += _coordinates(sc)
    for i, d in enumerate(sc.distances):
        out += _refs(d.between, munis, ("distances", i, "between"), "municipality", keyed=False)
    for i, e in enumerate(sc.educators):
        loc = ("educators", i, "municipality")
        out += _refs([e.municipality], munis, loc, "municipality", keyed=False)
    wf = sc.workforce
    out += _shares((b.share for b in wf.age_bands), ("workforce", "age_bands"), "age-band shares")
    for i, band in enumerate(wf.age_bands):
        if band.max_age <= band.min_age:
            loc = ("workforce", "age_bands", i, "max_age")
            out.append((loc, "max_age must exceed min_age", band.max_age))
        if band.min_age >= sc.behaviour.retirement_age:
            loc = ("workforce", "age_bands", i, "min_age")
            out.append((loc, "band starts at or after the retirement age", band.min_age))
    out += _shares(wf.education.values(), ("workforce", "education"), "education shares")
    sectors = {x.name for x in sc.sectors}
    regions = {r.name for r in sc.regions}
    for i, region in enumerate(sc.regions):
        loc = ("regions", i, "sector_shares")
        if region.sector_shares:
            out += _refs(region.sector_shares, sectors, loc, "sector")
            out += _shares(region.sector_shares.values(), loc, "sector shares")
        if region.education is not None:
            loc = ("regions", i, "education")
            out += _shares(region.education.values(), loc, "education shares")
        if region.age_bands is not None:
            loc = ("regions", i, "age_bands")
            out += _shares((b.share for b in region.age_bands), loc, "age-band shares")
    out += _names(sc.transitions, ("transitions",), "transition")
    for ti, tr in enumerate(sc.transitions):
        base = ("transitions", ti)
        for di, d in enumerate(tr.demand):
            loc = (*base, "demand", di)
            out += _opt_ref(d.sector, sectors, (*loc, "sector"), "sector")
            out += _opt_ref(d.occupation, occupations, (*loc, "occupation"), "occupation")
            out += _opt_ref(d.region, regions, (*loc, "region"), "region")
            out += _path_checks(d.path, (*loc, "path"))
        for di, d in enumerate(tr.drift):
            loc = (*base, "drift", di)
            out += _refs(d.occupations, occupations, (*loc, "occupations"), "occupation", False)
            out += _refs(d.toward, skills, (*loc, "toward"), "skill")
            out += _path_checks(d.path, (*loc, "path"))
            if d.path.kind == "sine":
                msg = "a sine path is a demand cycle; content drift needs a path from 0 to final"
                out.append(((*loc, "path", "kind"), msg, d.path.kind))
        for ei, ev in enumerate(tr.events):
            loc = (*base, "events", ei)
            out += _opt_ref(ev.sector, sectors, (*loc, "sector"), "sector")
            out += _opt_ref(ev.region, regions, (*loc, "region"), "region")
            out += _opt_ref(ev.municipality, munis, (*loc, "municipality"), "municipality")
            out += _uncertain_checks(ev.month, (*loc, "month"))
            out += _uncertain_checks(ev.jobs, (*loc, "jobs"))
            if ev.kind == "opening":
                if isinstance(ev.jobs, float) and ev.jobs <= 0:
                    out.append(((*loc, "jobs"), "an opening needs jobs > 0", ev.jobs))
                out += _opening_size(sc, ev.jobs, (*loc, "jobs"))
                if ev.occupations:
                    out += _refs(ev.occupations, occupations, (*loc, "occupations"), "occupation")
                    out += _shares(
                        ev.occupations.values(), (*loc, "occupations"), "occupation shares"
                    )
    out += _learning_checks(sc, skills, sectors, regions)
    demand = sc.labour_demand
    if demand.rule != "del_rio_chanona" and demand.del_rio_chanona != DelRioChanona():
        loc = ("labour_demand", "del_rio_chanona")
        msg = "has no effect unless labour_demand.rule is del_rio_chanona"
        out.append((loc, msg, demand.rule))
    return out


def _learning_checks(
    sc: Scenario, skills: set[str], sectors: set[str], regions: set[str]
) -> list[Check]:
    """Courses, propensity bands, instruments' windows and learning communities."""
    out: list[Check] = []
    out += _names(sc.learning.courses, ("learning", "courses"), "course")
    for i, course in enumerate(sc.learning.courses):
        out += _refs(course.skills, skills, ("learning", "courses", i, "skills"), "skill")
    for i, band in enumerate(sc.learning.propensity.by_age_band):
        if band.max_age <= band.min_age:
            loc = ("learning", "propensity", "by_age_band", i, "max_age")
            out.append((loc, "max_age must exceed min_age", band.max_age))
    for name in ("vouchers", "employer_subsidy", "retraining", "learning_community_funding"):
        out += _window(getattr(sc.government, name), ("government", name))
    out += _window(sc.government.hc_agenda, ("government", "hc_agenda"))
    elig = sc.government.vouchers.eligibility
    if elig.max_age <= elig.min_age:
        loc = ("government", "vouchers", "eligibility", "max_age")
        out.append((loc, "max_age must exceed min_age", elig.max_age))
    educators, unnamed = _educator_names(sc)
    out += unnamed
    out += _names(sc.learning_communities, ("learning_communities",), "learning community")
    for i, lc in enumerate(sc.learning_communities):
        loc = ("learning_communities", i)
        out += _opt_ref(lc.sector, sectors, (*loc, "sector"), "sector")
        out += _opt_ref(lc.region, regions, (*loc, "region"), "region")
        if not unnamed:
            out += _refs(lc.educators, educators, (*loc, "educators"), "educator", keyed=False)
        out += _window(lc, loc)
    return out


def _educator_names(sc: Scenario) -> tuple[set[str], list[Check]]:
    """Names of the scenario's educators (:meth:`Scenario.educator_list`), or the problems.

    Without listed educators every region names its default ones after itself; a region whose
    name is too long for that is reported, and then no names are returned.
    """
    out: list[Check] = []
    for i, region in enumerate([] if sc.educators else sc.regions):
        try:
            region.default_educators()
        except ValidationError as exc:
            why = exc.errors()[0]["msg"]
            msg = f"names its default educators REGION-LEVEL: {why}; shorten it or list educators"
            out.append((("regions", i, "name"), msg, region.name))
    return (set() if out else {e.name for e in sc.educator_list()}), out


def _window(item: Any, loc: tuple[Any, ...]) -> list[Check]:
    if item.end is not None and item.end <= item.start:
        return [((*loc, "end"), "end must be after start", item.end)]
    return []


def _opt_ref(name: str | None, known: set[str], loc: tuple[Any, ...], what: str) -> list[Check]:
    return [] if name is None else _refs([name], known, loc, what, keyed=False)


def _uncertain_checks(value: Any, loc: tuple[Any, ...]) -> list[Check]:
    if isinstance(value, Uniform) and value.low > value.high:
        return [(loc, "uniform needs low <= high", (value.low, value.high))]
    if isinstance(value, Triangular) and not value.low <= value.mode <= value.high:
        return [(loc, "triangular needs low <= mode <= high", (value.low, value.mode, value.high))]
    return []


def _opening_size(sc: Scenario, jobs: float | Any, loc: tuple[Any, ...]) -> list[Check]:
    """An opening employs at most the region's labour force (the most a draw can give, too)."""
    most = sc.workforce.persons
    top = jobs if isinstance(jobs, float) else jobs.mean if isinstance(jobs, Normal) else jobs.high
    if top <= most:
        return []
    msg = f"an opening employs at most the labour force (workforce.persons = {most:,})"
    return [(loc, msg, top)]


MAX_WORKER_AGENTS = 50_000_000
"""Most worker agents of a labour force (the Netherlands at 1:1 is about 9.8 million)."""


def _resolution(sc: Scenario) -> list[Check]:
    """The labour force at the resolution is at least 10 and at most ``MAX_WORKER_AGENTS``."""
    n = sc.worker_agents
    if 10 <= n <= MAX_WORKER_AGENTS:
        return []
    msg = (
        f"workforce.persons / resolution = {sc.workforce.persons:,} / {sc.resolution:g} = {n:,} "
        f"worker agents; allowed: 10 to {MAX_WORKER_AGENTS:,}"
    )
    return [(("resolution",), msg, sc.resolution)]


def _path_checks(path: TimePath, loc: tuple[Any, ...]) -> list[Check]:
    out: list[Check] = []
    for field in ("start", "duration", "final", "amplitude", "period"):
        out += _uncertain_checks(getattr(path, field), (*loc, field))
    if path.kind == "table" and len(path.points) < 1:
        out.append(((*loc, "points"), "a table path needs at least one [month, value] point", []))
    if path.kind in ("logistic", "linear") and isinstance(path.duration, float):
        if path.duration < MIN_DURATION:
            msg = f"must be at least {MIN_DURATION:g} months"
            out.append(((*loc, "duration"), msg, path.duration))
    if path.kind == "sine":
        if isinstance(path.period, float) and path.period <= 0:
            out.append(((*loc, "period"), "must be > 0", path.period))
        if isinstance(path.amplitude, float) and abs(path.amplitude) > 1:
            msg = "must be between -1 and 1 (the multiplier 1 + amplitude sin(...) is >= 0)"
            out.append(((*loc, "amplitude"), msg, path.amplitude))
    return out


def _coordinates(sc: Scenario) -> list[Check]:
    munis = [m for r in sc.regions for m in r.municipalities]
    if len(munis) == 1:
        return []
    given = {frozenset(d.between) for d in sc.distances}
    out: list[Check] = []
    for ri, region in enumerate(sc.regions):
        for mi, m in enumerate(region.municipalities):
            if (m.x_km is None) != (m.y_km is None):
                loc = ("regions", ri, "municipalities", mi)
                out.append((loc, "give both x_km and y_km, or neither", m.name))
            elif m.x_km is None and not all(
                frozenset((m.name, o.name)) in given for o in munis if o.name != m.name
            ):
                loc = ("regions", ri, "municipalities", mi)
                msg = "no coordinates (x_km, y_km) and not every distance to it is listed"
                out.append((loc, msg, m.name))
    return out
