"""Names of the model-level indicators recorded every month (``RegionModel.timeseries()``).

Kept apart from the model so that tools that only need the names (sweep validation, the CLI)
need not import Mesa and numba.
"""

INDICATORS: tuple[str, ...] = (
    "labour_force",
    "employed",
    "unemployed",
    "vacancies",
    "unemployment_rate",
    "vacancy_rate",
    "hires",
    "hires_from_unemployment",
    "separations",
    "layoffs",
    "job_to_job",
    "retirements",
    "early_retirements",
    "exits_to_inactivity",
    "returns_to_labour_force",
    "inactive",
    "entrants",
    "entrants_experienced",
    "job_finding_rate",
    "separation_rate",
    "long_term_unemployed_share",
    "mean_unemployment_duration",
    "mean_skill_shortfall_of_hires",
    "hires_trained",
    "mean_skill_shortfall_of_incumbents",
    "mean_wage",
    "benefit_spending",
    "social_assistance_spending",
    "in_training",
    "training_participation",
    "training_starts",
    "training_starts_unneeded",
    "employer_training_starts",
    "training_completions",
    "training_dropouts",
    "training_refused_capacity",
    "training_refused_budget",
    "mean_skill_shortfall_of_entrants",
    "mean_curriculum_gap",
    "voucher_spending",
    "employer_subsidy_spending",
    "retraining_spending",
    "learning_community_spending",
    "hc_agenda_spending",
    "policy_spending",
    "employer_training_spending",
    "private_training_spending",
)
"""Model-level indicators collected every month (counts in persons, i.e. agents x scale)."""

LEARNING_INDICATORS: frozenset[str] = frozenset(INDICATORS[INDICATORS.index("in_training") :])
"""The learning ecosystem's indicators (training, curricula, spending per instrument)."""
