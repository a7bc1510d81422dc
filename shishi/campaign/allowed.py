"""Which steps an assignment offers now: the state table the actions refuse by, and what
a page shows (`allowed_actions`)."""

from enum import StrEnum

from shishi.campaign import access
from shishi.campaign.models import Assignment, Directive
from shishi.orgs.access import Actor

Status = Assignment.Status


class Step(StrEnum):
    SUBMIT = "submit"
    APPROVE = "approve"
    RETURN = "return"


FROM = {
    Step.SUBMIT: (Status.PENDING, Status.RETURNED),
    Step.APPROVE: (Status.SUBMITTED,),
    Step.RETURN: (Status.SUBMITTED,),
}


def allowed_actions(actor: Actor, assignment: Assignment) -> set[Step]:
    if assignment.directive.status != Directive.Status.OPEN:
        return set()
    steps = set()
    if access.may_report(actor, assignment) and assignment.status in FROM[Step.SUBMIT]:
        steps.add(Step.SUBMIT)
    if access.may_review(actor, assignment) and assignment.status in FROM[Step.APPROVE]:
        steps |= {Step.APPROVE, Step.RETURN}
    return steps


def may_close(actor: Actor, directive: Directive) -> bool:
    """结束任务 is offered to the issuing unit's staff who may deploy, while it is open (the
    same checks `actions.close_directive` refuses by)."""
    return (
        directive.status == Directive.Status.OPEN
        and actor.can(access.Perm.ISSUE)
        and actor.unit.pk == directive.issuer_id
    )
