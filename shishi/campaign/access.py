"""Who may see and do what with directives and assignments.

A directive is seen by the staff of its issuing unit and of the units above it, and by the
staff of every unit with an assignment under it — who see their own subtree's assignments
only. An assignment is seen by its unit's subtree (the unit and those above it) and by the
issuer. The target unit reports; the issuing unit — never the unit itself — approves or
returns (a unit cannot grade itself). Outsiders get 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shishi.campaign.models import (
    Assignment,
    AssignmentEvent,
    Directive,
    StudyEvent,
    StudySession,
)
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role, Unit


class Perm:
    VIEW = "campaign.view"
    ISSUE = "campaign.issue"  # deploy a directive to the own unit's subtree
    REPORT = "campaign.report"  # report an assignment of the own unit
    REVIEW = "campaign.review"  # approve or return the reports of the own unit's directives
    STUDY = "campaign.study"  # record (and remove) study sessions of the own subtree


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.ISSUE, Perm.REVIEW, Perm.STUDY},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.ISSUE, Perm.REPORT, Perm.REVIEW, Perm.STUDY},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.REPORT, Perm.REVIEW, Perm.STUDY},
        Role.SUPERVISOR: {Perm.VIEW},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def _above(actor: Actor) -> list[str]:
    """The paths of the actor's unit and every unit above it."""
    step = Unit.PATH_SEGMENT + 1
    return [actor.scope_path[:end] for end in range(step, len(actor.scope_path) + 1, step)]


def visible_directives(actor: Actor) -> QuerySet[Directive]:
    """Directives issued in the actor's subtree or above it, that reach the subtree."""
    require(actor, Perm.VIEW)
    issued_here = Q(issuer__path__startswith=actor.scope_path)
    reaching = Q(assignments__unit__path__startswith=actor.scope_path)
    return Directive.objects.filter(
        issued_here | (Q(issuer__path__in=_above(actor)) & reaching)
    ).distinct()


def access_directive(actor: Actor, pk: int) -> Directive:
    directive = visible_directives(actor).filter(pk=pk).select_related("issuer").first()
    if directive is None:
        raise Http404("没有找到该任务")
    return directive


def sees_all_assignments(actor: Actor, directive: Directive) -> bool:
    """The issuer's side sees every assignment; a target unit only its own subtree's."""
    return directive.issuer.path.startswith(actor.scope_path)


def visible_assignments(actor: Actor, directive: Directive | None = None) -> QuerySet[Assignment]:
    require(actor, Perm.VIEW)
    mine = Q(unit__path__startswith=actor.scope_path)
    issued = Q(directive__issuer__path__startswith=actor.scope_path)
    rows = Assignment.objects.filter(mine | issued)
    if directive is not None:
        rows = rows.filter(directive=directive)
    return rows


def access_assignment(actor: Actor, pk: int) -> Assignment:
    assignment = (
        visible_assignments(actor)
        .filter(pk=pk)
        .select_related("directive", "directive__issuer", "unit")
        .first()
    )
    if assignment is None:
        raise Http404("没有找到该任务")
    return assignment


def may_report(actor: Actor, assignment: Assignment) -> bool:
    return actor.can(Perm.REPORT) and actor.unit.pk == assignment.unit_id


def may_review(actor: Actor, assignment: Assignment) -> bool:
    return (
        actor.can(Perm.REVIEW)
        and actor.unit.pk == assignment.directive.issuer_id
        and actor.unit.pk != assignment.unit_id
    )


def require_report(actor: Actor, assignment: Assignment) -> None:
    if not may_report(actor, assignment):
        raise PermissionDenied("只有承担单位的经办人或负责人可以报送")


def require_review(actor: Actor, assignment: Assignment) -> None:
    if not may_review(actor, assignment):
        raise PermissionDenied("只有部署单位可以审核")


def audit_events(actor: Actor) -> QuerySet[AssignmentEvent]:
    return events_in_scope(
        actor, AssignmentEvent.objects.all(), owner_path="assignment__unit__path"
    )


# --- 学习活动 ---------------------------------------------------------------------------------


def visible_sessions(actor: Actor) -> QuerySet[StudySession]:
    """Study sessions of units in the actor's subtree."""
    require(actor, Perm.VIEW)
    return StudySession.objects.filter(unit__path__startswith=actor.scope_path)


def access_session(actor: Actor, pk: int) -> StudySession:
    """One session of the actor's subtree; 404 outside it."""
    session = visible_sessions(actor).filter(pk=pk).select_related("unit", "recorded_by").first()
    if session is None:
        raise Http404("没有找到该学习活动")
    return session


def may_remove_session(actor: Actor, session: StudySession) -> bool:
    """The session's own unit (or whoever recorded it) may remove it; units above only read."""
    return actor.can(Perm.STUDY) and (
        actor.unit.pk == session.unit_id or actor.person.pk == session.recorded_by_id
    )


def require_remove_session(actor: Actor, session: StudySession) -> None:
    if not may_remove_session(actor, session):
        raise PermissionDenied("只有组织该活动的单位可以删除")


def study_audit_events(actor: Actor) -> QuerySet[StudyEvent]:
    return events_in_scope(actor, StudyEvent.objects.all(), owner_path="unit__path")
