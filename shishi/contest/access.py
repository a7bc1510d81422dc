"""Who may see and do what in the unit competition.

The office side — staff of the organising unit (the city office) or above it — sees the
whole contest; with `Perm.MANAGE` it sets it up, opens months, reviews and returns
submissions, decides extensions, writes quarterly notes and records interviews. A
participant's side — staff of the participant unit or below it (of the nearest one: a
zone's staff belong to the zone, not to the district holding it) — sees the contest, its
rankings (the 通报 is published to all participants) and *its own* submissions, notes and
interviews only; the participant unit's clerks and leaders submit and ask for extensions.
Nobody reviews their own unit's submission. Everyone else gets 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shishi.contest.models import (
    Contest,
    ContestEvent,
    Interview,
    Participant,
    ReviewNote,
    Submission,
)
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role, Unit


class Perm:
    VIEW = "contest.view"
    MANAGE = "contest.manage"  # the city office: setup, months, review, notes, interviews
    SUBMIT = "contest.submit"  # a participant unit's monthly values and extension requests


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.MANAGE},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.SUBMIT},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.SUBMIT},
        Role.SUPERVISOR: {Perm.VIEW},
    }
)


def above_paths(actor: Actor) -> list[str]:
    """The paths of the actor's unit and every unit above it."""
    step = Unit.PATH_SEGMENT + 1
    return [actor.scope_path[:end] for end in range(step, len(actor.scope_path) + 1, step)]


def office_side(actor: Actor, contest: Contest) -> bool:
    """At or above the organising unit: sees every participant's rows."""
    return contest.organiser.path.startswith(actor.scope_path)


def visible_contests(actor: Actor) -> QuerySet[Contest]:
    """Contests organised in the actor's subtree, and those the actor's unit (or a unit
    above it) takes part in."""
    require(actor, Perm.VIEW)
    return Contest.objects.filter(
        Q(organiser__path__startswith=actor.scope_path)
        | Q(participants__unit__path__in=above_paths(actor))
    ).distinct()


def access_contest(actor: Actor, pk: int, *, manage: bool = False) -> Contest:
    """One contest the actor sees (404 otherwise); `manage`: the office side with
    `Perm.MANAGE` (403 otherwise)."""
    contest = visible_contests(actor).filter(pk=pk).select_related("organiser").first()
    if contest is None:
        raise Http404("没有找到该竞赛")
    if manage:
        require_manage(actor, contest)
    return contest


def may_manage(actor: Actor, contest: Contest) -> bool:
    return actor.can(Perm.MANAGE) and office_side(actor, contest)


def require_manage(actor: Actor, contest: Contest) -> None:
    if not may_manage(actor, contest):
        raise PermissionDenied("只有竞赛组织单位可以进行此操作")


def _own(actor: Actor, contest: Contest) -> QuerySet[Participant]:
    """The participant the actor belongs to: the nearest participant unit at or above the
    actor's unit (a development zone's staff belong to the zone, not to the district that
    holds it, even when both take part). A subquery of one row, or none."""
    return (
        Participant.objects.filter(contest=contest, unit__path__in=above_paths(actor))
        .order_by("-unit__depth")
        .values("pk")[:1]
    )


def visible_participants(actor: Actor, contest: Contest) -> QuerySet[Participant]:
    """All participants for the office side; the own one for a participant."""
    rows = Participant.objects.filter(contest=contest)
    if office_side(actor, contest):
        return rows
    return rows.filter(pk__in=_own(actor, contest))


def visible_submissions(actor: Actor, contest: Contest) -> QuerySet[Submission]:
    require(actor, Perm.VIEW)
    rows = Submission.objects.filter(round__contest=contest)
    if office_side(actor, contest):
        return rows
    return rows.filter(participant__in=_own(actor, contest))


def access_submission(actor: Actor, pk: int) -> Submission:
    """One submission: the office side's, or the actor's own participant's; 404 otherwise."""
    require(actor, Perm.VIEW)
    submission = (
        Submission.objects.filter(pk=pk)
        .select_related("round", "round__contest", "round__contest__organiser", "participant__unit")
        .first()
    )
    if submission is None:
        raise Http404("没有找到该报送")
    contest = submission.round.contest
    if not office_side(actor, contest):
        mine = Participant.objects.filter(pk__in=_own(actor, contest)).values_list("pk", flat=True)
        if submission.participant_id not in mine:
            raise Http404("没有找到该报送")
    return submission


def may_submit(actor: Actor, submission: Submission) -> bool:
    """The participant unit's own clerks and leaders (not a unit below it)."""
    return actor.can(Perm.SUBMIT) and actor.unit.pk == submission.participant.unit_id


def may_review(actor: Actor, submission: Submission) -> bool:
    """The office side, never the participant itself (a unit cannot grade itself)."""
    return (
        may_manage(actor, submission.round.contest)
        and actor.unit.pk != submission.participant.unit_id
        and not actor.scope_path.startswith(submission.participant.unit.path)
    )


def require_submit(actor: Actor, submission: Submission) -> None:
    if not may_submit(actor, submission):
        raise PermissionDenied("只有参赛单位的经办人或负责人可以报送")


def require_review(actor: Actor, submission: Submission) -> None:
    if not may_review(actor, submission):
        raise PermissionDenied("只有竞赛组织单位可以审核，参赛单位不能审核本单位的报送")


def visible_notes(actor: Actor, contest: Contest) -> QuerySet[ReviewNote]:
    return ReviewNote.objects.filter(participant__in=visible_participants(actor, contest))


def visible_interviews(actor: Actor, contest: Contest) -> QuerySet[Interview]:
    return Interview.objects.filter(participant__in=visible_participants(actor, contest))


def access_interview(actor: Actor, contest: Contest, pk: int) -> Interview:
    interview = (
        visible_interviews(actor, contest).filter(pk=pk).select_related("participant__unit").first()
    )
    if interview is None:
        raise Http404("没有找到该约谈")
    return interview


def audit_events(actor: Actor) -> QuerySet[ContestEvent]:
    return events_in_scope(actor, ContestEvent.objects.all(), owner_path="contest__organiser__path")
