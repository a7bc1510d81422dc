"""Who may see and do what in 典型案例评选.

Every staff member with VIEW sees the selections (a city-wide campaign). The selection's
office (its unit's leaders, or the city office) runs it: accepts or rejects nominations,
names judges, voids votes, publishes the results. A unit nominates its own subtree's
completed projects and sees its subtree's nominations; the office sees all. Judges are
named per selection and score accepted nominations — never their own unit's — and see
only their own scores until the review closes. Outsiders get 404."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shishi.cases.models import Judge, Nomination, Selection, SelectionEvent
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Membership, Role


class Perm:
    VIEW = "cases.view"
    RUN = "cases.run"  # run the selections its unit organises (and start one)
    NOMINATE = "cases.nominate"  # nominate the own subtree's projects


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.RUN, Perm.NOMINATE},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.RUN, Perm.NOMINATE},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.NOMINATE},
        Role.SUPERVISOR: {Perm.VIEW},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def visible_selections(actor: Actor) -> QuerySet[Selection]:
    require(actor, Perm.VIEW)
    return Selection.objects.all()


def access_selection(actor: Actor, pk: int) -> Selection:
    selection = visible_selections(actor).filter(pk=pk).select_related("office").first()
    if selection is None:
        raise Http404("没有找到该评选")
    return selection


def runs(actor: Actor, selection: Selection) -> bool:
    """The selection's office: staff with RUN of the organising unit."""
    return actor.can(Perm.RUN) and actor.unit.pk == selection.office_id


def require_run(actor: Actor, selection: Selection) -> None:
    if not runs(actor, selection):
        raise PermissionDenied("只有主办单位可以进行此操作")


def judge_of(actor: Actor, selection: Selection) -> Judge | None:
    return Judge.objects.filter(selection=selection, person=actor.person).first()


def visible_nominations(actor: Actor, selection: Selection) -> QuerySet[Nomination]:
    """The office and the judges see every nomination of the selection (judges: those in the
    running); a unit its own subtree's."""
    require(actor, Perm.VIEW)
    rows = Nomination.objects.filter(selection=selection)
    if runs(actor, selection):
        return rows
    mine = Q(unit__path__startswith=actor.scope_path)
    if judge_of(actor, selection) is not None:
        return rows.filter(mine | Q(status=Nomination.Status.ACCEPTED))
    return rows.filter(mine)


def access_nomination(actor: Actor, selection: Selection, pk: int) -> Nomination:
    nomination = (
        visible_nominations(actor, selection)
        .filter(pk=pk)
        .select_related("unit", "project", "submitted_by")
        .first()
    )
    if nomination is None:
        raise Http404("没有找到该推荐案例")
    return nomination


def conflicted(judge: Judge, nomination: Nomination) -> bool:
    """A judge may not score a nomination of a unit they belong to, or of a unit below one
    they belong to (a county's staff judge no town of the county) — the city's own root unit
    aside, which is above everyone."""
    paths = Membership.objects.filter(
        person_id=judge.person_id, unit__parent__isnull=False
    ).values_list("unit__path", flat=True)
    return any(nomination.unit.path.startswith(path) for path in paths)


def audit_events(actor: Actor) -> QuerySet[SelectionEvent]:
    return events_in_scope(
        actor, SelectionEvent.objects.all(), owner_path="selection__office__path"
    )
