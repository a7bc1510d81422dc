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
from shishi.campaign.actions.guidance import (
    GroupData,
    VisitData,
    add_round,
    record_visit,
    save_group,
)
from shishi.campaign.actions.rectification import (
    Progress,
    RectificationData,
    close_rectification,
    raise_rectification,
    report_rectification,
    return_rectification,
)
from shishi.campaign.actions.study import SessionData, record_session, remove_session
from shishi.campaign.actions.worker import sweep_assignments, sweep_rectifications

__all__ = [
    "DirectiveData",
    "GroupData",
    "Progress",
    "RectificationData",
    "Report",
    "SessionData",
    "VisitData",
    "add_round",
    "approve_assignment",
    "close_directive",
    "close_rectification",
    "issue_directive",
    "join_new_units",
    "raise_rectification",
    "record_session",
    "record_visit",
    "remove_session",
    "report_rectification",
    "return_assignment",
    "return_rectification",
    "save_group",
    "submit_assignment",
    "sweep_assignments",
    "sweep_rectifications",
    "targets",
]
