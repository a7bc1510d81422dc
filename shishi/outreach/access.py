"""Who may see and change lecture teams, lectures, volunteer teams, pioneer posts and the
党史上的今天 entries.

A team or post is seen by the staff of its unit's subtree and of the units above it; it is
changed by the clerks and leaders of those units (a unit edits its own; the units above may
help). A lecture or activity is also seen — read only — by the staff of the place it was held.
Everything else does not exist for them (404). 党史上的今天 is the city office's (it edits;
the screen itself is public)."""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role
from shishi.outreach.models import (
    Lecture,
    LectureTeam,
    OutreachEvent,
    PioneerPost,
    ServiceRecord,
    TodayEntry,
    VolunteerActivity,
    VolunteerTeam,
)


class Perm:
    VIEW = "outreach.view"
    EDIT = "outreach.edit"  # teams, lectures, activities, posts and records of the subtree
    TODAY = "outreach.today"  # 党史上的今天 (the city office)


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.EDIT, Perm.TODAY},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.EDIT},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.EDIT},
        Role.SUPERVISOR: {Perm.VIEW},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def may_edit(actor: Actor, owner) -> bool:
    """Whether the actor may change what `owner` (a unit) keeps: its subtree's staff."""
    return actor.can(Perm.EDIT) and actor.sees(owner)


def require_edit(actor: Actor, owner) -> None:
    """403 unless the actor may change what `owner` keeps (`may_edit`)."""
    if not may_edit(actor, owner):
        raise PermissionDenied("只有所属单位及其上级单位的经办人、负责人可以修改")


# --- 宣讲 ----------------------------------------------------------------------------------------


def visible_teams(actor: Actor) -> QuerySet[LectureTeam]:
    """Lecture teams of units in the actor's subtree."""
    require(actor, Perm.VIEW)
    return LectureTeam.objects.filter(unit__path__startswith=actor.scope_path)


def access_team(actor: Actor, pk: int, *, write: bool = False) -> LectureTeam:
    """One lecture team of the subtree; 404 outside it, 403 for a change without the right."""
    team = visible_teams(actor).filter(pk=pk).select_related("unit").first()
    if team is None:
        raise Http404("没有找到该宣讲队伍")
    if write:
        require_edit(actor, team.unit)
    return team


def visible_lectures(actor: Actor) -> QuerySet[Lecture]:
    """Lectures of the subtree's teams, and lectures held in the subtree by other teams."""
    require(actor, Perm.VIEW)
    scope = actor.scope_path
    return Lecture.objects.filter(
        Q(team__unit__path__startswith=scope) | Q(place__path__startswith=scope)
    )


def access_lecture(actor: Actor, pk: int, *, write: bool = False) -> Lecture:
    """One lecture the actor sees; changed only by the team's side (the place reads)."""
    lecture = (
        visible_lectures(actor)
        .filter(pk=pk)
        .select_related("team", "team__unit", "place", "recorded_by")
        .first()
    )
    if lecture is None:
        raise Http404("没有找到该宣讲活动")
    if write:
        require_edit(actor, lecture.team.unit)
    return lecture


# --- 志愿服务 ------------------------------------------------------------------------------------


def visible_volunteer_teams(actor: Actor) -> QuerySet[VolunteerTeam]:
    """Volunteer teams of units in the actor's subtree."""
    require(actor, Perm.VIEW)
    return VolunteerTeam.objects.filter(unit__path__startswith=actor.scope_path)


def access_volunteer_team(actor: Actor, pk: int, *, write: bool = False) -> VolunteerTeam:
    """One volunteer team of the subtree; 404 outside it, 403 for a change without the right."""
    team = visible_volunteer_teams(actor).filter(pk=pk).select_related("unit").first()
    if team is None:
        raise Http404("没有找到该志愿服务队")
    if write:
        require_edit(actor, team.unit)
    return team


def visible_activities(actor: Actor) -> QuerySet[VolunteerActivity]:
    """Activities of the subtree's teams, and those held in the subtree by other teams."""
    require(actor, Perm.VIEW)
    scope = actor.scope_path
    return VolunteerActivity.objects.filter(
        Q(team__unit__path__startswith=scope) | Q(place__path__startswith=scope)
    )


def access_activity(actor: Actor, pk: int, *, write: bool = False) -> VolunteerActivity:
    """One activity the actor sees; changed only by its team's side (the place reads)."""
    activity = visible_activities(actor).filter(pk=pk).select_related("team", "team__unit").first()
    if activity is None:
        raise Http404("没有找到该志愿服务活动")
    if write:
        require_edit(actor, activity.team.unit)
    return activity


# --- 先锋岗 --------------------------------------------------------------------------------------


def visible_posts(actor: Actor) -> QuerySet[PioneerPost]:
    """Pioneer posts and responsibility areas of units in the actor's subtree."""
    require(actor, Perm.VIEW)
    return PioneerPost.objects.filter(unit__path__startswith=actor.scope_path)


def access_post(actor: Actor, pk: int, *, write: bool = False) -> PioneerPost:
    """One pioneer post of the subtree; 404 outside it, 403 for a change without the right."""
    post = visible_posts(actor).filter(pk=pk).select_related("unit").first()
    if post is None:
        raise Http404("没有找到该先锋岗或责任区")
    if write:
        require_edit(actor, post.unit)
    return post


def access_record(actor: Actor, pk: int, *, write: bool = False) -> ServiceRecord:
    """One service record of a post of the subtree; 404 outside it."""
    require(actor, Perm.VIEW)
    record = (
        ServiceRecord.objects.filter(pk=pk, post__unit__path__startswith=actor.scope_path)
        .select_related("post", "post__unit")
        .first()
    )
    if record is None:
        raise Http404("没有找到该服务记录")
    if write:
        require_edit(actor, record.post.unit)
    return record


# --- 党史上的今天 --------------------------------------------------------------------------------


def editable_entries(actor: Actor) -> QuerySet[TodayEntry]:
    """The entries, for the city office (403 for everyone else)."""
    require(actor, Perm.TODAY)
    if actor.unit.parent_id is not None:
        raise PermissionDenied("党史上的今天由市级办公室维护")
    return TodayEntry.objects.all()


def access_entry(actor: Actor, pk: int) -> TodayEntry:
    """One 党史上的今天 entry, for the city office (403 for others, 404 if there is none)."""
    entry = editable_entries(actor).filter(pk=pk).first()
    if entry is None:
        raise Http404("没有找到该条目")
    return entry


def audit_events(actor: Actor) -> QuerySet[OutreachEvent]:
    """The outreach rows of the auditor's subtree, each naming its team, post or entry."""
    events = OutreachEvent.objects.annotate(target_text=F("target"))
    return events_in_scope(actor, events, owner_path="owner__path")
