"""Who may see and do what with appeals.

Staff see an appeal when it concerns their subtree: it is held there, was received there,
or was ever dispatched there (including co-handling). Doing something to it needs the
role's permission (403) and, for the holder's duties (sign, return, reply, extension,
dispatching it on), that the actor's unit holds it — otherwise it is not found (404).
Citizens reach their own appeal only with its code and their phone number (portal).
"""

from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet
from django.http import Http404

from shishi.appeals.models import Appeal, AppealEvent, Dispatch, Reply, Review, Status
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role, Unit


class Perm:
    VIEW = "appeals.view"
    HANDLE = "appeals.handle"  # sign, return, reply, ask for extension, dispatch on
    INTAKE = "appeals.intake"  # register hotline calls, resolve directly
    CALLBACK = "appeals.callback"  # call back and record the citizen's verdict
    MERGE = "appeals.merge"
    REVIEW = "appeals.review"  # decide extensions and invalid marks
    # The unit leader: approve the unit's replies before the citizen sees them; decide the
    # subtree's extension requests up to APPEAL_LEADER_EXTENSION_DAYS (may_decide).
    APPROVE = "appeals.approve"
    RANKING = "appeals.ranking"
    EXPORT = "appeals.export"
    # 督查: the subtree's late appeals, manual 催办/督办, 批示 and 约谈 of the holding unit
    SUPERVISE = "appeals.supervise"


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.RANKING, Perm.EXPORT, Perm.REVIEW},
        Role.UNIT_LEADER: {
            Perm.VIEW,
            Perm.HANDLE,
            Perm.MERGE,
            Perm.RANKING,
            Perm.EXPORT,
            Perm.APPROVE,
        },
        Role.UNIT_CLERK: {Perm.VIEW, Perm.HANDLE},
        Role.OPERATOR: {
            Perm.VIEW,
            Perm.HANDLE,
            Perm.INTAKE,
            Perm.CALLBACK,
            Perm.MERGE,
            Perm.EXPORT,
        },
        Role.SUPERVISOR: {Perm.VIEW, Perm.REVIEW, Perm.RANKING, Perm.EXPORT, Perm.SUPERVISE},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def visible_appeals(actor: Actor) -> QuerySet[Appeal]:
    """Appeals that concern the actor's subtree."""
    require(actor, Perm.VIEW)
    if actor.unit.parent_id is None:
        return Appeal.objects.all()
    scope = actor.scope_path
    sent_here = Dispatch.objects.filter(appeal=OuterRef("pk"), to_unit__path__startswith=scope)
    return Appeal.objects.filter(
        Q(holder__path__startswith=scope)
        | Q(first_receiver__path__startswith=scope)
        | Exists(sent_here)
    )


def access_appeal(
    actor: Actor, code: str, *, perm: str | None = None, must_hold: bool = False
) -> Appeal:
    """One appeal by code. 404 when it does not concern the actor (or, with `must_hold`,
    when their unit does not hold it); 403 when their role lacks `perm`."""
    appeal = (
        visible_appeals(actor)
        .select_related("category", "holder", "first_receiver", "county", "town", "merged_into")
        .filter(code=code)
        .first()
    )
    if appeal is None or (must_hold and appeal.holder_id != actor.unit.pk):
        raise Http404("没有找到该诉求")
    if perm is not None:
        require(actor, perm)
    return appeal


def open_co_dispatch(appeal: Appeal, *, unit: Unit) -> Dispatch | None:
    """The unit's co-handling dispatch of the appeal still waiting to be signed, if any: what
    lets a co-handling unit act on an appeal it does not hold."""
    return Dispatch.objects.filter(
        appeal=appeal, to_unit=unit, co_handler=True, active=True, signed_at__isnull=True
    ).first()


def access_co_dispatch(actor: Actor, appeal: Appeal) -> Dispatch:
    """The actor's unit's open co-handling dispatch of this appeal, for signing it."""
    dispatch = open_co_dispatch(appeal, unit=actor.unit)
    if dispatch is None:
        raise Http404("没有找到该诉求")
    require(actor, Perm.HANDLE)
    return dispatch


def visible_reviews(actor: Actor) -> QuerySet[Review]:
    """Extension and invalid requests about appeals in the actor's subtree (reviewers); for
    a unit leader, the extension requests of units in their subtree (403 for others)."""
    if not actor.can(Perm.REVIEW):
        require(actor, Perm.APPROVE)
        return Review.objects.filter(
            type=Review.Type.EXTENSION, unit__path__startswith=actor.scope_path
        )
    return Review.objects.filter(appeal__in=visible_appeals(actor).values("pk"))


def access_review(actor: Actor, pk: int) -> Review:
    """One review request the actor sees, for deciding it (403 without REVIEW or APPROVE);
    whether they may decide it is `may_decide`, checked by the action."""
    review = visible_reviews(actor).select_related("appeal", "unit").filter(pk=pk).first()
    if review is None:
        raise Http404("没有找到该申请")
    return review


def replies_to_approve(actor: Actor) -> QuerySet[Reply]:
    """Draft replies waiting for the actor, the leader of the unit that holds the appeal and
    wrote them (403 for everyone else)."""
    require(actor, Perm.APPROVE)
    return Reply.objects.filter(
        approval=Reply.Approval.PENDING,
        unit=actor.unit,
        appeal__holder=actor.unit,
        appeal__status__in=(Status.ACCEPTED, Status.REOPENED),
    )


def may_decide(actor: Actor, review: Review) -> bool:
    """Reviewers (the city office, supervisors) decide every request they see; a unit leader
    an extension request of their own subtree of at most APPEAL_LEADER_EXTENSION_DAYS."""
    if actor.can(Perm.REVIEW):
        return True
    return (
        actor.can(Perm.APPROVE)
        and review.type == Review.Type.EXTENSION
        and (review.days or 0) <= settings.APPEAL_LEADER_EXTENSION_DAYS
        and review.unit.path.startswith(actor.scope_path)
    )


# --- The caller's phone --------------------------------------------------------------------------


def may_reveal_phone(actor: Actor, appeal: Appeal) -> bool:
    """Hotline staff (CALLBACK) may see a caller's full number; so may the clerks and leaders
    of the unit holding the appeal when the city allows it (APPEAL_CLERK_MAY_REVEAL_PHONE)."""
    if actor.can(Perm.CALLBACK):
        return True
    return (
        settings.APPEAL_CLERK_MAY_REVEAL_PHONE
        and actor.can(Perm.HANDLE)
        and appeal.holder_id == actor.unit.pk
    )


def access_phone(actor: Actor, code: str) -> Appeal:
    """An appeal whose caller's number the actor may see (404 outside their subtree, 403
    without the right: `may_reveal_phone`)."""
    appeal = access_appeal(actor, code)
    if not may_reveal_phone(actor, appeal):
        raise PermissionDenied("您的角色无权查看群众号码")
    return appeal


@dataclass(frozen=True)
class CallerAppeal:
    """One of a caller's appeals in 同号码历史诉求; `visible`: the viewer may open it."""

    appeal: Appeal
    visible: bool


def caller_appeals(
    actor: Actor, *, phone_hash: str, exclude: int | None = None, limit: int = 10
) -> list[CallerAppeal]:
    """The same number's appeals (by `Appeal.phone_hash`), newest first. Hotline staff
    (INTAKE or CALLBACK) see every one, linked only where they may open it; others see only
    the ones they may open. Two queries."""
    require(actor, Perm.VIEW)
    if not phone_hash:
        return []
    rows = Appeal.objects.filter(phone_hash=phone_hash).select_related("category")
    if exclude is not None:
        rows = rows.exclude(pk=exclude)
    rows = list(rows.order_by("-received_at", "-pk")[:limit])
    ids = [row.pk for row in rows]
    visible = set(visible_appeals(actor).filter(pk__in=ids).values_list("pk", flat=True))
    desk = actor.can(Perm.INTAKE) or actor.can(Perm.CALLBACK)
    return [CallerAppeal(row, row.pk in visible) for row in rows if desk or row.pk in visible]


# --- Citizens ------------------------------------------------------------------------------------

TRACK_SESSION_KEY = "shishi_tracked"


def appeal_by_code(code: str) -> Appeal | None:
    """The appeal a citizen names by its code (to check their proof against, never to show)."""
    return Appeal.objects.filter(code=code.strip().upper()).first()


def proves_reporter(appeal: Appeal, last4: str) -> bool:
    """The fallback proof: the last four digits of the reporter's phone."""
    return len(last4) == 4 and last4.isdecimal() and appeal.reporter_phone.endswith(last4)


def find_by_tracking_key(key: str) -> Appeal:
    """The appeal whose SMS link (/t/<key>) this is: the key alone proves it (128 random
    bits); an unknown key is not found (404)."""
    appeal = Appeal.objects.filter(tracking_key=key).first() if key else None
    if appeal is None:
        raise Http404("查询链接无效")
    return appeal


def remember_citizen(session, appeal: Appeal) -> None:
    codes = session.get(TRACK_SESSION_KEY, [])
    if appeal.code not in codes:
        session[TRACK_SESSION_KEY] = [*codes, appeal.code][-20:]


def access_citizen_appeal(session, code: str) -> Appeal:
    """An appeal this browser has already proven to be its own (by code and phone)."""
    if code not in session.get(TRACK_SESSION_KEY, []):
        raise Http404("请先输入受理编号和手机号后四位")
    appeal = (
        Appeal.objects.select_related("category", "holder", "merged_into").filter(code=code).first()
    )
    if appeal is None:
        raise Http404("没有找到该诉求")
    return appeal


def audit_events(actor: Actor) -> QuerySet[AppealEvent]:
    """Appeal events for the audit log (auditors read them; they cannot open appeals)."""
    events = AppealEvent.objects.annotate(target_text=F("appeal__code"))
    return events_in_scope(actor, events, owner_path="appeal__holder__path")
