"""Every write of the campaign module (re-exported: `actions.issue_directive`)."""

from shishi.campaign.actions.assignments import (
    Report,
    approve_assignment,
    return_assignment,
    submit_assignment,
)
from shishi.campaign.actions.directives import (
    DirectiveData,
    close_directive,
    issue_directive,
    join_new_units,
    targets,
)
from shishi.campaign.actions.study import SessionData, record_session, remove_session
from shishi.campaign.actions.worker import sweep_assignments

__all__ = [
    "DirectiveData",
    "Report",
    "SessionData",
    "approve_assignment",
    "close_directive",
    "issue_directive",
    "join_new_units",
    "record_session",
    "remove_session",
    "return_assignment",
    "submit_assignment",
    "sweep_assignments",
    "targets",
]
