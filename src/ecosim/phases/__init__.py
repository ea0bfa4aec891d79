"""The phases of a month, in the order :meth:`ecosim.model.RegionModel.step` runs them.

Each phase is a module of plain functions of the state (:class:`ecosim.state.RegionState`), its
scenario section, its named random stream (:class:`ecosim.streams.Streams`) and the month's
flows (:class:`ecosim.flows.Flows`):

1. :mod:`~ecosim.phases.labour_demand` — transition events, target employment and requirement
   profiles, separations and layoffs, vacancies;
2. :mod:`~ecosim.phases.demography` — ageing and retirement, graduates entering;
3. :mod:`~ecosim.phases.learning` — curricula following demand, learning by doing and skill
   depreciation;
4. :mod:`~ecosim.phases.training` — courses: progress, employers' and workers' training
   decisions, their funding;
5. :mod:`~ecosim.phases.matching` — job seekers meet vacancies in the matching kernel;
6. :mod:`~ecosim.phases.bookkeeping` — unemployment spells, benefits, reservation wages.
"""
