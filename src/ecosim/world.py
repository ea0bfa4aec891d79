"""Building the initial state of a region from a scenario.

The synthetic region at month 0: the fixed facts (:class:`~ecosim.state.World`: names,
geography, occupations, the course catalogue, learning communities), the employers with their
jobs and open vacancies, and a workforce that fills those jobs plus the initially unemployed.
All draws come from the run's ``init`` stream.
"""

from __future__ import annotations

import numpy as np

from ecosim.config import EDUCATION_LEVELS, Scenario
from ecosim.config import Educator as EducatorConfig
from ecosim.courses import Catalogue
from ecosim.draws import Purpose
from ecosim.kernels.matching import MatchParams
from ecosim.phases import wages
from ecosim.phases.bookkeeping import update_reservation_wages
from ecosim.sampling import normalised, stochastic_round
from ecosim.state import (
    NO_EMPLOYER,
    EmployerState,
    RegionState,
    Status,
    VacancyState,
    WorkerState,
    World,
)
from ecosim.streams import Streams
from ecosim.transitions import Transitions

PEAK_OVER_STATE = 1.6
"""Peak memory of a run over the bytes of its worker state arrays, beyond :data:`PROCESS_BYTES`.

Measured on ``rijnmond.yaml`` at 1:1, 12 months, peak RSS: 527, 772 and 1,583 MiB at 300,000,
1 and 3 million workers (state 81, 269 and 806 MiB), i.e. 1.5 MiB per MiB of state on top of
about 370 MiB; the Netherlands at 9.8 million took 4.4 GiB (this estimate: 4.5). The arrays
grow by doubling and a month's temporaries come on top; Mesa agents are made only when touched.
An earlier 5.0, fitted at 300,000 workers alone, overstated a large world threefold."""

PROCESS_BYTES = 384 * 2**20
"""Memory of the process besides the worker state (Python, NumPy, numba and its kernels, the
employers, vacancies and recorders)."""

LARGE_WORLD_BYTES = 2**30
"""Worlds estimated to need at least this much memory are announced before they are built."""


def memory_estimate(config: Scenario) -> int:
    """Bytes a run of the scenario needs at its peak, roughly, before anything is built.

    The worker rows (the labour force at the resolution and the inactive at their steady state)
    times the bytes of one row of :class:`~ecosim.state.WorkerState`, times
    :data:`PEAK_OVER_STATE`, plus :data:`PROCESS_BYTES`.
    """
    probe = WorkerState(len(config.skills), capacity=16)
    row = (probe.skills.nbytes + sum(getattr(probe, c).nbytes for c in probe.columns)) / 16
    u0 = config.workforce.initial_unemployment
    n = config.worker_agents
    rows = n + _inactive(config, n * (1.0 - u0), n * u0)
    return int(rows * row * PEAK_OVER_STATE) + PROCESS_BYTES


def check_memory(config: Scenario) -> int:
    """The :func:`memory_estimate` of a scenario, after checking that it fits.

    Raises:
        MemoryError: The estimate exceeds the memory available now (``MemAvailable`` of
            ``/proc/meminfo``; not checked where that cannot be read), with what to change.
    """
    need = memory_estimate(config)
    available = _available_memory()
    if available is not None and need > available:
        raise MemoryError(
            f"a world of {config.worker_agents:,} worker agents "
            f"(workforce.persons {config.workforce.persons:,} at resolution "
            f"{config.resolution:g}) needs about {need / 2**30:.1f} GiB, but only "
            f"{available / 2**30:.1f} GiB is available; raise the resolution (persons per agent)"
        )
    return need


def _available_memory() -> int | None:
    """Bytes of memory available to a new process (Linux), or ``None`` if unknown."""
    try:
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemAvailable:"):
                    return int(line.split()[1]) * 1024
    except OSError:
        return None
    return None


def build(
    config: Scenario,
    streams: Streams,
    transitions: Transitions,
    educators: list[EducatorConfig],
) -> RegionState:
    """The state of the region at month 0.

    Args:
        config: The validated scenario.
        streams: The run's random streams (``init`` and ``learning`` are used, and ``step``
            for the employers' thresholds of opening a job).
        transitions: The run's resolved transitions; employers that open during the run are
            created dormant here and assigned to their opening events.
        educators: The region's education institutions (their levels set course capacity).

    Raises:
        MemoryError: The world would not fit in the memory available (:func:`check_memory`).
    """
    check_memory(config)
    geography = _Geography(config)
    employers = _employers(config, geography, transitions, streams.init)
    cells = np.arange(employers.target.size)
    employers.cell_threshold = streams.step.uniform(0, Purpose.CELL_THRESHOLD, cells).reshape(
        employers.target.shape
    )
    world = _world(config, geography, employers, educators, streams.init)
    jobs, unemployed = _workforce(config, employers)
    n = int(jobs.sum() + unemployed.sum())
    requirements = config.requirement_matrix()
    state = RegionState(
        world=world,
        workers=WorkerState(len(config.skills), capacity=int(n * 1.3) + 16),
        employers=employers,
        vacancies=_vacancies(employers),
        requirements=requirements,
        curricula=requirements.copy(),
        outlook=requirements,
        wage_index=np.ones(len(config.occupations)),
    )
    for ri in range(len(config.regions)):
        _populate_region(state, config, ri, int(jobs[ri]), int(unemployed[ri]), streams.init)
    w = state.workers
    update_reservation_wages(
        w, config.behaviour, config.government.unemployment_benefits, state.wage_index
    )
    employed = w.rows_with(Status.EMPLOYED)
    w.reservation_wage[employed] = w.wage[employed]
    if config.labour_demand.initial_target == "labour_force":
        _target_the_labour_force(state)
    state.baseline = (float(employers.target.sum()), float(w.present_rows().size))
    state.tightness = wages.log_tightness(state)
    state.tightness_start = state.tightness.copy()
    return state


def _target_the_labour_force(state: RegionState) -> None:
    """Target employment of each occupation at its labour force (employed plus unemployed).

    As del Rio-Chanona et al. (2021) set the initial target demand of an occupation,
    ``d†₀ = e₀ + u₀``; an occupation's target is shared over its employers in proportion to
    their filled plus open jobs.
    """
    w, emp = state.workers, state.employers
    status = w.view("status")
    active = (status == Status.EMPLOYED) | (status == Status.UNEMPLOYED)
    force = np.bincount(w.view("occupation")[active], minlength=emp.n_occupations)
    jobs = emp.base_target.sum(axis=0)
    factor = np.divide(force, jobs, out=np.zeros(jobs.size), where=jobs > 0)
    emp.base_target *= factor[None, :]
    emp.target[:] = emp.base_target


class _Geography:
    """Municipalities: their regions, distances and shares of residents and jobs."""

    def __init__(self, c: Scenario):
        self.municipality_region = np.array(
            [ri for ri, r in enumerate(c.regions) for _ in r.municipalities]
        )
        # Commuting across regions costs extra: effective distance = road km + a surcharge.
        mr = self.municipality_region
        cross = mr[:, None] != mr[None, :]
        self.distance = c.distance_matrix() + c.cross_region_extra_km * cross
        self.resident_share = np.array(
            [r.share * m.residents for r in c.regions for m in r.municipalities]
        )
        self.job_share = np.array([r.share * m.jobs for r in c.regions for m in r.municipalities])

    def place(self, region: int, k: int, rng: np.random.Generator) -> np.ndarray:
        """Municipalities for ``k`` employers in a region, by the municipalities' job shares."""
        munis = np.flatnonzero(self.municipality_region == region)
        return munis[rng.choice(munis.size, size=k, p=normalised(self.job_share[munis]))]


def _world(
    c: Scenario,
    geo: _Geography,
    employers: EmployerState,
    educators: list[EducatorConfig],
    rng: np.random.Generator,
) -> World:
    """Names, geography, occupations, matching parameters, courses and learning communities."""
    skill_weights = c.skill_weight_vector()
    m = c.matching
    catalogue = Catalogue.from_courses(c.learning.catalogue(c.skills), list(c.skills))
    providers = np.bincount(
        [EDUCATION_LEVELS.index(e.level) for e in educators], minlength=len(EDUCATION_LEVELS)
    )
    member, programme = _communities(c, employers, rng)
    return World(
        skill_names=tuple(c.skills),
        occupation_names=tuple(o.name for o in c.occupations),
        sector_names=tuple(s.name for s in c.sectors),
        municipality_names=tuple(c.municipality_names),
        region_names=tuple(r.name for r in c.regions),
        base_wage=np.array([o.base_wage for o in c.occupations]),
        occupation_education=np.array([EDUCATION_LEVELS.index(o.education) for o in c.occupations]),
        skill_weights=skill_weights,
        municipality_region=geo.municipality_region,
        distance=geo.distance,
        resident_share=geo.resident_share,
        job_share=geo.job_share,
        match_params=MatchParams(
            skill_weights=skill_weights,
            distance=geo.distance,
            commute_cost=m.commute_cost_per_km,
            wage_weight=m.wage_weight,
            fit_weight=m.fit_weight,
            acceptance_threshold=m.acceptance_threshold,
            sample_size=m.sample_size,
            applications=m.applications,
            rounds=m.rounds,
            own_occupation_share=m.own_occupation_share,
            local_share=m.local_share,
        ),
        catalogue=catalogue,
        # Concurrent places in agents: places per provider x providers of the level / resolution.
        course_capacity=np.floor(
            catalogue.places_per_provider * providers[catalogue.provider_level] / c.resolution
        ),
        community_member=member,
        community_programme=programme,
    )


def _communities(
    c: Scenario, emp: EmployerState, rng: np.random.Generator
) -> tuple[np.ndarray, np.ndarray]:
    """Learning communities: member employers (a random share of the sector's) and programmes.

    Membership is drawn per employer of the community's sector (and region, if given) with
    probability ``member_share``; a community's programmes are its sector's occupations.
    """
    sector_index = {s.name: i for i, s in enumerate(c.sectors)}
    occ_index = {o.name: i for i, o in enumerate(c.occupations)}
    region_names = [r.name for r in c.regions]
    n_lc = len(c.learning_communities)
    member = np.zeros((n_lc, emp.n), dtype=bool)
    programme = np.zeros((n_lc, len(c.occupations)), dtype=bool)
    for k, lc in enumerate(c.learning_communities):
        si = sector_index[lc.sector]
        pool = emp.sector == si
        if lc.region is not None:
            pool &= emp.region == region_names.index(lc.region)
        member[k] = pool & (rng.random(emp.n) < lc.member_share)
        for name in c.sectors[si].occupations:
            programme[k, occ_index[name]] = True
    return member, programme


def _employers(
    c: Scenario, geo: _Geography, transitions: Transitions, rng: np.random.Generator
) -> EmployerState:
    """Employers per sector and region, sized by the sector's size distribution.

    The world is a 1-in-``resolution`` sample of the region: ``workforce.persons / resolution``
    worker agents and ``employers.count / resolution`` employers per sector (at least one), so
    the distribution of agents per employer is that of persons per employer at 1:1 whatever the
    resolution. A sector's employer count is split over regions in proportion to its jobs
    there; each employer is placed in a municipality of its region by the municipalities' job
    shares. Employers that open during a run (transition events) exist from the start, dormant, and
    are assigned to their events; so are the employers of closures sized in ``jobs``, which
    exist at every resolution with that many persons' jobs, taken from the other employers of
    their sector and region. Initial vacancies are drawn so that the vacancy rate is the
    scenario's ``initial_vacancy_rate``; target employment starts at filled plus open jobs.
    """
    n_occ, n_sec = len(c.occupations), len(c.sectors)
    occ_index = {o.name: i for i, o in enumerate(c.occupations)}
    mixes = np.zeros((n_sec, n_occ))
    for si, sector in enumerate(c.sectors):
        for name, share in sector.occupations.items():
            mixes[si, occ_index[name]] = share
    mixes /= mixes.sum(axis=1, keepdims=True)
    jobs = np.zeros((len(c.regions), n_sec))
    for ri, region in enumerate(c.regions):
        u0 = _region_value(region.initial_unemployment, c.workforce.initial_unemployment)
        shares = np.array(
            [
                region.sector_shares.get(x.name, 0.0) if region.sector_shares else x.share
                for x in c.sectors
            ]
        )
        jobs[ri] = c.worker_agents * region.share * (1.0 - u0) * normalised(shares)
    blocks = []  # (sector, region, count)
    for si, sector in enumerate(c.sectors):
        counts = _allocate(c.employer_agents(sector), jobs[:, si])
        blocks += [(si, ri, k) for ri, k in enumerate(counts) if k > 0]
    openings = [i for i, e in enumerate(transitions.events) if e.kind == "opening"]
    sized = [i for i, e in enumerate(transitions.events) if e.kind == "closure" and e.jobs > 0]
    n_emp = sum(k for _, _, k in blocks) + len(openings) + len(sized)
    emp = EmployerState(n_emp, n_occ)
    start = 0
    for si, ri, k in blocks:
        rows = slice(start, start + k)
        sector = c.sectors[si]
        if sector.employers.distribution == "lognormal":
            size = rng.lognormal(0.0, sector.employers.sigma, k)
        else:
            size = np.ones(k)
        emp.sector[rows] = si
        emp.region[rows] = ri
        emp.municipality[rows] = geo.place(ri, k, rng)
        emp.base_target[rows] = (jobs[ri, si] * normalised(size))[:, None] * mixes[si][None, :]
        emp.wage_premium[rows] = rng.lognormal(0.0, sector.wage_premium_sigma, k)
        start += k
    placed = {}
    for index in openings + sized:
        event = transitions.events[index]
        ri = event.region if event.region >= 0 else 0
        if event.municipality >= 0:
            ri = int(geo.municipality_region[event.municipality])
            emp.municipality[start] = event.municipality
        else:
            emp.municipality[start] = geo.place(ri, 1, rng)[0]
        emp.sector[start], emp.region[start] = event.sector, ri
        if event.kind == "closure":
            _carve(emp, start, event.jobs / c.resolution * event.mix)
        placed[index] = start
        start += 1
    transitions.assign_employers(placed)
    emp.headcount[:] = stochastic_round(emp.base_target, rng)
    vr = c.workforce.initial_vacancy_rate
    emp.openings[:] = rng.poisson(emp.headcount * vr / max(1.0 - vr, 1e-9))
    emp.base_target[:] = emp.headcount + emp.openings
    emp.target[:] = emp.base_target
    return emp


def _carve(emp: EmployerState, row: int, jobs: np.ndarray) -> None:
    """Give employer ``row`` these jobs per occupation, taken from the other employers of its
    sector and region in proportion to theirs (their total stays the same)."""
    others = (emp.sector == emp.sector[row]) & (emp.region == emp.region[row])
    others[row] = False
    total = emp.base_target[others].sum()
    emp.base_target[others] *= max(1.0 - jobs.sum() / total, 0.0) if total > 0 else 0.0
    emp.base_target[row] = jobs


def _vacancies(emp: EmployerState) -> VacancyState:
    """The initial open vacancies (``emp.openings``), as if posted in month 0."""
    vac = VacancyState(capacity=max(int(emp.openings.sum()) * 2, 1024))
    cells = np.repeat(np.arange(emp.openings.size), emp.openings.ravel())
    employer, occupation = np.divmod(cells, emp.n_occupations)
    vac.add(employer, occupation, 0)
    return vac


def _workforce(c: Scenario, emp: EmployerState) -> tuple[np.ndarray, np.ndarray]:
    """Per region: the filled jobs, and the people without one.

    Those without a job are the unemployed that give the region its initial unemployment
    rate, plus the inactive at the steady state of the flows in and out of the labour force
    (``I = (exit_rate_unemployed U + exit_rate_employed E) / reentry_rate``), so that the
    labour force does not shrink while the inactive pool fills.
    """
    jobs = np.bincount(
        emp.region, weights=emp.headcount.sum(axis=1), minlength=len(c.regions)
    ).astype(np.int64)
    jobless = np.zeros(len(c.regions), dtype=np.int64)
    for ri, region in enumerate(c.regions):
        u0 = _region_value(region.initial_unemployment, c.workforce.initial_unemployment)
        unemployed = round(jobs[ri] * u0 / (1.0 - u0))
        jobless[ri] = unemployed + round(_inactive(c, jobs[ri], unemployed))
    return jobs, jobless


def _inactive(c: Scenario, employed: float, unemployed: float) -> float:
    """The inactive pool at which as many return to the labour force as leave it."""
    s = c.labour_supply
    if s.reentry_rate == 0:
        return 0.0
    return (s.exit_rate_unemployed * unemployed + s.exit_rate_employed * employed) / s.reentry_rate


def _populate_region(
    state: RegionState, c: Scenario, ri: int, n_jobs: int, n_unemp: int, rng: np.random.Generator
) -> None:
    """Workers of one region: ages, education, jobs by education, places, skills, wages.

    Jobs go to workers sorted by education, so job levels and worker levels line up as far as
    the two mixes allow (the rest is over- or under-education at the margins). Skills are the
    occupation's profile plus noise, for incumbents narrowed by their tenure's learning; the
    initially unemployed have spells of varied length.
    """
    emp, w, world = state.employers, state.workers, state.world
    region = c.regions[ri]
    n = n_jobs + n_unemp
    rows = w.add(n)
    bands = region.age_bands or c.workforce.age_bands
    band = rng.choice(len(bands), size=n, p=normalised([b.share for b in bands]))
    lo = np.array([b.min_age for b in bands], dtype=float)[band]
    hi = np.array([b.max_age for b in bands], dtype=float)[band]
    hi = np.minimum(hi, c.behaviour.retirement_age)
    w.age[rows] = lo + rng.random(n) * (hi - lo)
    mix = region.education or c.workforce.education
    ed_share = np.array([mix.get(e, 0.0) for e in EDUCATION_LEVELS])
    education = rng.choice(len(EDUCATION_LEVELS), size=n, p=normalised(ed_share))
    in_region = (emp.region == ri)[:, None]
    counts = np.where(in_region, emp.headcount, 0).ravel()
    cells = np.repeat(np.arange(counts.size), counts)
    cell_occ = cells % emp.n_occupations
    job_order = _lexsort2(rng.random(n_jobs), world.occupation_education[cell_occ])
    worker_order = _lexsort2(rng.random(n), education)
    holders = np.sort(rng.choice(n, size=n_jobs, replace=False))
    employed_rows = rows[worker_order[holders]]
    cells = cells[job_order]
    w.education[rows] = education
    w.set_status(rows, Status.UNEMPLOYED)
    w.set_status(employed_rows, Status.EMPLOYED)
    w.employer[employed_rows] = cells // emp.n_occupations
    w.occupation[employed_rows] = cells % emp.n_occupations
    unemployed_rows = rows[w.status[rows] == Status.UNEMPLOYED]
    w.occupation[unemployed_rows] = _aimed_occupation(state, w.education[unemployed_rows], rng)
    w.last_employer[unemployed_rows] = _employer_for(emp, w.occupation[unemployed_rows], rng)
    munis = np.flatnonzero(world.municipality_region == ri)
    w.municipality[rows] = munis[
        rng.choice(munis.size, size=n, p=normalised(world.resident_share[munis]))
    ]
    w.region[rows] = ri
    occ = w.occupation[rows]
    _skills_around_profiles(
        w.skills[w.n - n : w.n], occ, state.requirements, c.workforce.skill_noise, rng
    )
    e = w.employer[employed_rows]
    o = w.occupation[employed_rows]
    w.wage[employed_rows] = world.base_wage[o] * emp.wage_premium[e]
    w.last_wage[rows] = world.base_wage[occ]
    w.last_wage[employed_rows] = w.wage[employed_rows]
    w.job_start[employed_rows] = -rng.integers(0, 120, size=employed_rows.size)
    # Incumbents have been learning on the job (and losing unused skill) since they were hired
    # with these skills, trained on the job at first: apply their tenure's worth of it, so the
    # run starts near the skills' steady state rather than years away from it.
    b, ht = c.behaviour, c.hiring.hire_and_train
    incumbents = np.sort(employed_rows)  # in row order, in blocks: small temporaries
    for start in range(0, incumbents.size, _BLOCK):
        e = incumbents[start : start + _BLOCK]
        tenure = -w.job_start[e][:, None].astype(np.float64)
        r = state.requirements[w.occupation[e]]
        gap = w.skills[e] - r
        trained = np.minimum(tenure, ht.months) if ht.enabled else 0.0
        learnt = (1 - ht.rate) ** trained * (1 - b.learning_by_doing_rate) ** (tenure - trained)
        kept = np.where(gap < 0, learnt, (1 - b.skill_depreciation_rate) ** tenure)
        w.skills[e] = r + gap * kept
    # The initially unemployed have spells of varied length (geometric, mean 6 months).
    spells = rng.geometric(1 / 6, size=unemployed_rows.size)
    w.unemployment_months[unemployed_rows] = spells
    w.spell_start[unemployed_rows] = -spells
    duration = c.government.unemployment_benefits.duration_months
    w.benefit_months_left[unemployed_rows] = np.maximum(duration - spells, 0)
    # Of those without a job, the share at the inactive pool's steady state is out of the
    # labour force.
    u0 = _region_value(region.initial_unemployment, c.workforce.initial_unemployment)
    inactive = _inactive(c, n_jobs, n_jobs * u0 / (1.0 - u0))
    share = inactive / max(n_unemp, 1)
    out = unemployed_rows[rng.random(unemployed_rows.size) < share]
    w.set_status(out, Status.INACTIVE)


_BLOCK = 1 << 16
"""Workers per block where the build works on (workers x skills) arrays: a block's temporaries
are a few MB, where the whole workforce's were 100 MB each at a million workers (the build's
peak memory, and much of its time in page faults)."""


def _skills_around_profiles(
    skills: np.ndarray,
    occupation: np.ndarray,
    requirements: np.ndarray,
    noise: float,
    rng: np.random.Generator,
) -> None:
    """``skills[:] = clip(requirements[occupation] + normal(0, noise), 0, 1)``, block by block.

    The blocks draw, in order, the one stream of normal draws a single ``(workers, skills)``
    draw gives, so the skills are the same bit for bit.
    """
    n, k = skills.shape
    for start in range(0, n, _BLOCK):
        stop = min(start + _BLOCK, n)
        block = rng.normal(0.0, noise, (stop - start, k))
        block += requirements[occupation[start:stop]]
        np.clip(block, 0.0, 1.0, out=skills[start:stop])


def _lexsort2(tiebreak: np.ndarray, key: np.ndarray) -> np.ndarray:
    """``np.lexsort((tiebreak, key))`` for a ``key`` of 0..3 and random ``tiebreak`` in [0, 1).

    Such floats' bits sort as their values in the low 62 bits of an unsigned integer, the key
    goes in the top two: one sort of distinct integers, whose order is unique, so a fast
    unstable sort gives lexsort's order (twice as fast at a million workers); with a repeated
    value (one chance in ~10^4 at a million draws) or other keys, lexsort itself.
    """
    if key.size and (key.min() < 0 or key.max() > 3 or tiebreak.min() < 0):
        return np.lexsort((tiebreak, key))
    combined = (key.astype(np.uint64) << np.uint64(62)) | tiebreak.view(np.uint64)
    order = np.argsort(combined)
    ranked = combined[order]
    if not (ranked[1:] > ranked[:-1]).all():
        return np.lexsort((tiebreak, key))
    return order


def _aimed_occupation(
    state: RegionState, education: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """An occupation for job seekers without a job history: one of their level's, by demand."""
    demand = state.employers.target.sum(axis=0)
    levels = state.world.occupation_education
    out = np.empty(education.size, dtype=np.int64)
    for level in range(len(EDUCATION_LEVELS)):
        idx = np.flatnonzero(education == level)
        weights = np.where(levels == level, demand, 0.0)
        if weights.sum() <= 0:
            weights = demand
        out[idx] = rng.choice(len(weights), size=idx.size, p=normalised(weights))
    return out


def _employer_for(
    emp: EmployerState, occupation: np.ndarray, rng: np.random.Generator
) -> np.ndarray:
    """A random employer for each occupation, weighted by its headcount in it."""
    out = np.full(occupation.size, NO_EMPLOYER, dtype=np.int64)
    for o in np.unique(occupation):
        idx = np.flatnonzero(occupation == o)
        weights = emp.headcount[:, o].astype(np.float64)
        if weights.sum() > 0:
            out[idx] = rng.choice(weights.size, size=idx.size, p=normalised(weights))
    return out


def _region_value(value: float | None, default: float) -> float:
    return default if value is None else value


def _allocate(total: int, weights: np.ndarray) -> np.ndarray:
    """Split an integer total in proportion to weights (largest remainders), >= 1 where > 0."""
    weights = np.asarray(weights, dtype=np.float64)
    positive = weights > 0
    if not positive.any():
        return np.zeros(weights.size, dtype=np.int64)
    exact = total * weights / weights.sum()
    out = np.floor(exact).astype(np.int64)
    order = np.argsort(-(exact - out), kind="stable")
    out[order[: total - out.sum()]] += 1
    out[positive & (out == 0)] = 1
    return out
