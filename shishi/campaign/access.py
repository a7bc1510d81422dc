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
    GroupUnit,
    GuidanceGroup,
    Rectification,
    RectificationEvent,
    StudyEvent,
    StudySession,
    Visit,
    VisitEvent,
)
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role, Unit


class Perm:
    VIEW = "campaign.view"
    ISSUE = "campaign.issue"  # deploy a directive to the own unit's subtree
    REPORT = "campaign.report"  # report an assignment of the own unit
    REVIEW = "campaign.review"  # approve or return the reports of the own unit's directives
    STUDY = "campaign.study"  # record (and remove) study sessions of the own subtree
    # The city office's hand on 巡回指导: groups and rounds; raising and closing 整改 anywhere
    # in its subtree. Group members act by being in a group (`groups_of`), not by a
    # permission, so a unit leader who appoints one grants no right they lack.
    GUIDANCE = "campaign.guidance"


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.ISSUE, Perm.REVIEW, Perm.STUDY, Perm.GUIDANCE},
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


# --- 巡回指导 and 整改 --------------------------------------------------------------------------
#
# A guidance member sees the units of their own groups (and below them) only; everyone else
# with VIEW sees their subtree's visits and items, as with every other duty.


def groups_of(actor: Actor) -> QuerySet[GuidanceGroup]:
    """The groups the actor serves in (leader or member), acting with the guidance role."""
    if actor.role != Role.GUIDANCE_MEMBER:
        return GuidanceGroup.objects.none()
    person = actor.person
    return GuidanceGroup.objects.filter(Q(members=person) | Q(leader=person)).distinct()


def guided_paths(actor: Actor) -> list[str]:
    """The paths of the units assigned to the actor's groups."""
    return list(
        GroupUnit.objects.filter(group__in=groups_of(actor)).values_list("unit__path", flat=True)
    )


def _within(paths: list[str], field: str) -> Q:
    """`field` (a unit relation) lies under one of `paths` (no path: nothing)."""
    found = Q(pk__in=[])
    for path in paths:
        found |= Q(**{f"{field}__path__startswith": path})
    return found


def guidance_scope(actor: Actor, field: str = "unit") -> Q:
    """The filter for guidance rows whose unit relation is `field`, as the actor may see them."""
    require(actor, Perm.VIEW)
    if actor.role == Role.GUIDANCE_MEMBER:
        return _within(guided_paths(actor), field)
    return Q(**{f"{field}__path__startswith": actor.scope_path})


def visible_group_units(actor: Actor) -> QuerySet[GroupUnit]:
    """The assigned units (rows of the coverage matrix) the actor may see."""
    return GroupUnit.objects.filter(guidance_scope(actor))


def visible_groups(actor: Actor) -> QuerySet[GuidanceGroup]:
    """A member sees their own groups; the city office all of them (also those it is still
    setting up); everyone else the groups guiding a unit of their subtree."""
    if actor.role == Role.GUIDANCE_MEMBER:
        return groups_of(actor)
    require(actor, Perm.VIEW)
    if actor.can(Perm.GUIDANCE) and actor.unit.parent_id is None:
        return GuidanceGroup.objects.all()
    return GuidanceGroup.objects.filter(pk__in=visible_group_units(actor).values("group_id"))


def access_group(actor: Actor, pk: int) -> GuidanceGroup:
    group = visible_groups(actor).filter(pk=pk).select_related("leader").first()
    if group is None:
        raise Http404("没有找到该指导组")
    return group


def require_guidance_office(actor: Actor) -> None:
    """Groups and rounds are set up by the city office."""
    require(actor, Perm.GUIDANCE)


def visible_visits(actor: Actor) -> QuerySet[Visit]:
    return Visit.objects.filter(guidance_scope(actor))


def access_visit(actor: Actor, pk: int) -> Visit:
    visit = (
        visible_visits(actor)
        .filter(pk=pk)
        .select_related("group", "unit", "round", "recorded_by")
        .first()
    )
    if visit is None:
        raise Http404("没有找到该指导记录")
    return visit


def may_record_visit(actor: Actor, group: GuidanceGroup) -> bool:
    """A member of the group records its visits; the city office may record for any group."""
    if actor.can(Perm.GUIDANCE):
        return True
    return groups_of(actor).filter(pk=group.pk).exists()


def in_group_scope(group: GuidanceGroup, unit: Unit) -> bool:
    """Is `unit` one of the group's units or below one?"""
    return any(unit.path.startswith(row.unit.path) for row in group.assigned.select_related("unit"))


def raiser_for(actor: Actor, unit: Unit) -> GuidanceGroup | None:
    """Who raises a 整改 item for `unit` when the actor does: the actor's group whose units
    include it (returned), else the city office or a unit above it (None) — never the unit
    itself. PermissionDenied otherwise."""
    for group in groups_of(actor).prefetch_related("assigned__unit"):
        if any(unit.path.startswith(row.unit.path) for row in group.assigned.all()):
            return group
    if actor.role == Role.GUIDANCE_MEMBER:
        raise PermissionDenied("只能对本指导组负责指导的单位提出整改")
    if not actor.sees(unit) or actor.unit.pk == unit.pk:
        raise PermissionDenied("只能对下级单位提出整改")
    if actor.can(Perm.GUIDANCE) or actor.can(Perm.REVIEW):
        return None
    raise PermissionDenied("您的角色无权提出整改")


def may_raise(actor: Actor, unit: Unit) -> bool:
    try:
        raiser_for(actor, unit)
    except PermissionDenied:
        return False
    return True


def visible_rectifications(actor: Actor) -> QuerySet[Rectification]:
    return Rectification.objects.filter(guidance_scope(actor))


def access_rectification(actor: Actor, pk: int) -> Rectification:
    item = (
        visible_rectifications(actor)
        .filter(pk=pk)
        .select_related("unit", "group", "raised_unit", "raised_by", "visit", "session")
        .first()
    )
    if item is None:
        raise Http404("没有找到该整改事项")
    return item


def may_report_rectification(actor: Actor, item: Rectification) -> bool:
    """The responsible unit's clerks and leaders report progress."""
    return actor.can(Perm.REPORT) and actor.unit.pk == item.unit_id


def may_close_rectification(actor: Actor, item: Rectification) -> bool:
    """销号 or 退回: the raising group, else the raising unit; the city office always — and
    never the responsible unit itself (a unit cannot grade itself)."""
    if actor.unit.pk == item.unit_id:
        return False
    if actor.can(Perm.GUIDANCE) and actor.sees(item.unit):
        return True
    if item.group_id is not None:
        return groups_of(actor).filter(pk=item.group_id).exists()
    return actor.can(Perm.REVIEW) and actor.unit.pk == item.raised_unit_id


def require_report_rectification(actor: Actor, item: Rectification) -> None:
    if not may_report_rectification(actor, item):
        raise PermissionDenied("只有责任单位的经办人或负责人可以报告整改进展")


def require_close_rectification(actor: Actor, item: Rectification) -> None:
    if not may_close_rectification(actor, item):
        raise PermissionDenied("只有提出整改的指导组或市委办可以销号或退回")


def rectification_audit_events(actor: Actor) -> QuerySet[RectificationEvent]:
    return events_in_scope(actor, RectificationEvent.objects.all(), owner_path="item__unit__path")


def visit_audit_events(actor: Actor) -> QuerySet[VisitEvent]:
    return events_in_scope(actor, VisitEvent.objects.all(), owner_path="visit__unit__path")


def may_raise_any(actor: Actor) -> bool:
    """Is the 提出整改 form for the actor at all (a group member, the city office, a unit that
    reviews its subtree)?"""
    if actor.role == Role.GUIDANCE_MEMBER:
        return groups_of(actor).exists()
    return actor.can(Perm.GUIDANCE) or actor.can(Perm.REVIEW)


def require_raise_any(actor: Actor) -> None:
    if not may_raise_any(actor):
        raise PermissionDenied("您的角色无权提出整改")


def recording_groups(actor: Actor) -> QuerySet[GuidanceGroup]:
    """The groups the actor may record visits for: their own, or all for the city office."""
    if actor.can(Perm.GUIDANCE):
        return GuidanceGroup.objects.all()
    return groups_of(actor)
