"""Which steps a submission offers now: what a page shows (the actions refuse by the same
states and `access` checks)."""

from enum import StrEnum

from django.utils import timezone

from shishi.contest import access
from shishi.contest.models import Contest, Submission
from shishi.orgs.access import Actor

Status = Submission.Status


class Step(StrEnum):
    SUBMIT = "submit"
    EXTEND = "extend"  # ask for a later due date
    ACCEPT = "accept"
    RETURN = "return"
    DECIDE = "decide"  # approve or refuse an extension


OPEN = (Status.DRAFT, Status.RETURNED)


def allowed_actions(actor: Actor, submission: Submission, *, pending: bool) -> set[Step]:
    """`pending`: an extension request waits for a decision."""
    if submission.round.contest.status != Contest.Status.OPEN:
        return set()
    steps = set()
    today = timezone.localdate()
    if access.may_submit(actor, submission) and submission.status in OPEN:
        if today <= submission.due:
            steps.add(Step.SUBMIT)
        if not pending:
            steps.add(Step.EXTEND)
    if access.may_review(actor, submission):
        if submission.status == Status.SUBMITTED:
            steps |= {Step.ACCEPT, Step.RETURN}
        if pending:
            steps.add(Step.DECIDE)
    return steps
