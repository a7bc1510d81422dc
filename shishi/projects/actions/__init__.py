"""Every write to projects: one transaction each, refusals in Chinese, an event per change
(`projects.events`), notifications through `projects.notifications`. Modules by sub-domain;
all re-exported here."""

from shishi.projects.actions.entry import (
    BUDGET_LIMIT,
    CODE_PREFIX,
    SCALAR_FIELDS,
    ProjectData,
    create_project,
    link_appeals,
    update_project,
)
from shishi.projects.actions.lifecycle import (
    accept_project,
    complete_project,
    decide_status,
    disclose_project,
    request_status,
    review_project,
    start_project,
    submit_project,
)
from shishi.projects.actions.milestones import (
    add_milestone,
    complete_milestone,
    remove_milestone,
)
from shishi.projects.actions.public import (
    answer_objection,
    file_objection,
    moderate_rating,
    rate_project,
)
from shishi.projects.actions.reports import ensure_slot, file_report, period_of, review_report
from shishi.projects.actions.worker import close_evaluations, open_slots, sweep_supervision
from shishi.projects.allowed import STATUS_CHANGES

__all__ = [
    "BUDGET_LIMIT",
    "CODE_PREFIX",
    "SCALAR_FIELDS",
    "STATUS_CHANGES",
    "ProjectData",
    "accept_project",
    "add_milestone",
    "answer_objection",
    "close_evaluations",
    "complete_milestone",
    "complete_project",
    "create_project",
    "decide_status",
    "disclose_project",
    "ensure_slot",
    "file_objection",
    "file_report",
    "link_appeals",
    "moderate_rating",
    "open_slots",
    "period_of",
    "rate_project",
    "remove_milestone",
    "request_status",
    "review_project",
    "review_report",
    "start_project",
    "submit_project",
    "sweep_supervision",
    "update_project",
]
