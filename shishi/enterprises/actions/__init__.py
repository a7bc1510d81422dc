"""Every write of the enterprise desk (re-exported: `actions.record_visit`)."""

from shishi.enterprises.actions.benefits import BenefitData, amount_problem, record_benefit
from shishi.enterprises.actions.pairing import (
    VisitData,
    end_pairing,
    pair_cadre,
    record_visit,
    visit_days,
)
from shishi.enterprises.actions.problems import (
    ProblemData,
    find_enterprise,
    raise_problem,
    raise_public_problem,
)
from shishi.enterprises.actions.registry import (
    EnterpriseData,
    register_enterprise,
    update_enterprise,
)
from shishi.enterprises.actions.worker import sweep_visits

__all__ = [
    "BenefitData",
    "EnterpriseData",
    "ProblemData",
    "VisitData",
    "amount_problem",
    "end_pairing",
    "find_enterprise",
    "pair_cadre",
    "raise_problem",
    "raise_public_problem",
    "record_benefit",
    "record_visit",
    "register_enterprise",
    "sweep_visits",
    "update_enterprise",
    "visit_days",
]
