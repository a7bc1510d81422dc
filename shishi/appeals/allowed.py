"""What may be done to an appeal now, in one place: the appeal page shows a step's form only
when `allowed_actions` lists it, and the actions refuse a step outside the states `FROM`
gives it. A test walks every state and role and proves the two agree.
"""

from collections.abc import Sequence
from enum import StrEnum

from django.conf import settings

from shishi.appeals.access import Perm, may_reveal_phone, open_co_dispatch
from shishi.appeals.models import OPEN_STATUSES, Appeal, Reply, Review, Status
from shishi.orgs.access import Actor


class Step(StrEnum):
    DISPATCH = "dispatch"
    SIGN = "sign"
    CO_SIGN = "co_sign"
    RETURN = "return"
    EXTENSION = "extension"
    INVALID = "invalid"
    REPLY = "reply"
    CALLBACK = "callback"
    MERGE = "merge"
    RECLASSIFY = "reclassify"
    APPROVE_REPLY = "approve_reply"  # the leader approves or returns the clerk's draft reply
    REVEAL_PHONE = "reveal_phone"  # 查看号码 (who may: access.may_reveal_phone)
    URGE = "urge"  # a supervisor's manual 催办 or 督办 of the holding unit
    INSTRUCT = "instruct"  # a leader's 批示, entered by a supervisor
    INTERVIEW = "interview"  # a 约谈 of the holding unit


# The states each step may start from (the actions check these with `refuse_unless`).
# Dispatching on from 已派单 (转派 without signing) also needs the city to allow it:
# `dispatch_states()`.
FROM: dict[Step, tuple[str, ...]] = {
    Step.DISPATCH: OPEN_STATUSES,
    Step.SIGN: (Status.DISPATCHED,),
    Step.RETURN: (Status.DISPATCHED, Status.ACCEPTED, Status.RETURNED),
    Step.EXTENSION: (Status.ACCEPTED, Status.REOPENED),
    Step.INVALID: OPEN_STATUSES,
    Step.REPLY: (Status.ACCEPTED, Status.REOPENED),
    Step.CALLBACK: (Status.REPLIED,),
    Step.MERGE: OPEN_STATUSES,
    Step.RECLASSIFY: OPEN_STATUSES,
    Step.APPROVE_REPLY: (Status.ACCEPTED, Status.REOPENED),
    Step.REVEAL_PHONE: (*OPEN_STATUSES, Status.REPLIED),
    Step.URGE: OPEN_STATUSES,
    Step.INSTRUCT: (*OPEN_STATUSES, Status.REPLIED, Status.CLOSED),
    Step.INTERVIEW: (*OPEN_STATUSES, Status.REPLIED, Status.CLOSED),
}
# While a draft reply awaits the leader, the holder keeps the appeal: it neither answers
# again nor sends the appeal elsewhere (the actions refuse by `draft_awaiting`).
HELD_FOR_APPROVAL = (Step.REPLY, Step.DISPATCH, Step.RETURN)


def draft_awaiting(replies: Sequence[Reply]) -> Reply | None:
    """The draft reply waiting for the leader's approval, if any, among an appeal's replies."""
    return next((r for r in replies if r.approval == Reply.Approval.PENDING), None)


def dispatch_states() -> tuple[str, ...]:
    """The states a holder may dispatch from: with `APPEAL_FORWARD_WITHOUT_SIGNING` off, a
    unit signs an appeal sent to it before passing it on."""
    if settings.APPEAL_FORWARD_WITHOUT_SIGNING:
        return FROM[Step.DISPATCH]
    return tuple(s for s in FROM[Step.DISPATCH] if s != Status.DISPATCHED)


def allowed_actions(
    actor: Actor,
    appeal: Appeal,
    *,
    reviews: Sequence[Review] | None = None,
    replies: Sequence[Reply] | None = None,
) -> frozenset[Step]:
    """The steps `actor` may take on `appeal` now (their role, their unit's part, its state).

    Input is checked by the action itself (a reason, a unit to send it to); everything else
    that would make an action refuse is decided here, so a shown form is accepted and a
    refused step is never shown. A page that has read the appeal's `reviews` and `replies`
    (oldest reply first) passes them, and no query is repeated.
    """
    status = appeal.status
    allowed: set[Step] = set()
    handles = actor.can(Perm.HANDLE)
    if handles and appeal.holder_id == actor.unit.pk:
        allowed |= {step for step in _HOLDER_STEPS if status in FROM[step]}
        if status not in dispatch_states():
            allowed.discard(Step.DISPATCH)
        if appeal.holder_id == appeal.first_receiver_id:
            allowed.discard(Step.RETURN)  # nobody dispatched it here: there is no one to return to
        if allowed & {Step.EXTENSION, Step.INVALID}:
            if reviews is None:
                reviews = list(appeal.reviews.filter(decision=Review.Decision.PENDING))
            pending = {r.type for r in reviews if r.decision == Review.Decision.PENDING}
            if Review.Type.EXTENSION in pending:
                allowed.discard(Step.EXTENSION)
            if Review.Type.INVALID in pending:
                allowed.discard(Step.INVALID)
    approves = actor.can(Perm.APPROVE)
    holds = appeal.holder_id == actor.unit.pk
    if (handles or approves) and holds and status in FROM[Step.APPROVE_REPLY]:
        if replies is None:
            replies = list(Reply.objects.filter(appeal=appeal).order_by("at", "pk"))
        if draft_awaiting(replies) is not None:
            allowed -= set(HELD_FOR_APPROVAL)
            if approves:
                allowed.add(Step.APPROVE_REPLY)
    if handles and open_co_dispatch(appeal, unit=actor.unit) is not None:
        allowed.add(Step.CO_SIGN)
    if actor.can(Perm.CALLBACK) and status in FROM[Step.CALLBACK]:
        if replies is None:
            replies = list(Reply.objects.filter(appeal=appeal).order_by("at", "pk"))
        given = [r for r in replies if r.given]
        reply = given[-1] if given else None
        # A unit does not call back about its own answer (unless the operator answered directly).
        if reply is not None and (reply.unit_id != actor.unit.pk or reply.direct):
            allowed.add(Step.CALLBACK)
    merging_unit = actor.unit.pk in (appeal.holder_id, appeal.first_receiver_id)
    if actor.can(Perm.MERGE) and merging_unit and status in FROM[Step.MERGE]:
        allowed.add(Step.MERGE)
    # 修改分类: the unit that received it (the hotline office) owns its classification.
    first_receiver = appeal.first_receiver_id == actor.unit.pk
    if handles and first_receiver and status in FROM[Step.RECLASSIFY]:
        allowed.add(Step.RECLASSIFY)
    if status in FROM[Step.REVEAL_PHONE] and may_reveal_phone(actor, appeal):
        allowed.add(Step.REVEAL_PHONE)
    if actor.can(Perm.SUPERVISE):
        # 催办 and 约谈 are of another unit: the supervisor's own office needs neither.
        elsewhere = appeal.holder_id != actor.unit.pk
        allowed |= {
            step
            for step in (Step.URGE, Step.INSTRUCT, Step.INTERVIEW)
            if status in FROM[step] and (elsewhere or step == Step.INSTRUCT)
        }
    return frozenset(allowed)


_HOLDER_STEPS = (Step.DISPATCH, Step.SIGN, Step.RETURN, Step.EXTENSION, Step.INVALID, Step.REPLY)
