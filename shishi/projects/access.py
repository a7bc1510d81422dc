"""Who may see and do what with projects.

Staff see a project when its lead unit or a co-unit lies in their subtree. The lead unit's
staff run it (edit, milestones, reports, completion, answering objections); its leader
reviews reports. Approving, disclosing decisions above the unit — approval, acceptance,
suspension and cancellation — belong to a supervising unit: a unit above the lead unit
(or the city office), never the lead unit itself.
"""

from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role
from shishi.projects.models import Milestone, ProgressReport, Project, ProjectEvent, Rating


class Perm:
    VIEW = "projects.view"
    RUN = "projects.run"  # the lead unit's work
    REVIEW_REPORT = "projects.review_report"
    APPROVE = "projects.approve"  # approve, accept, suspend/cancel — as a supervising unit
    MODERATE = "projects.moderate"
    IMPORT = "projects.import"
    EXPORT = "projects.export"


register_permissions(
    {
        Role.CITY_ADMIN: {
            Perm.VIEW,
            Perm.APPROVE,
            Perm.MODERATE,
            Perm.IMPORT,
            Perm.EXPORT,
            Perm.RUN,
        },
        Role.UNIT_LEADER: {
            Perm.VIEW,
            Perm.RUN,
            Perm.REVIEW_REPORT,
            Perm.APPROVE,
            Perm.IMPORT,
            Perm.EXPORT,
        },
        Role.UNIT_CLERK: {Perm.VIEW, Perm.RUN, Perm.IMPORT, Perm.EXPORT},
        Role.SUPERVISOR: {Perm.VIEW, Perm.APPROVE, Perm.MODERATE, Perm.EXPORT},
        Role.OPERATOR: {Perm.VIEW},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def visible_projects(actor: Actor) -> QuerySet[Project]:
    require(actor, Perm.VIEW)
    if actor.unit.parent_id is None:
        return Project.objects.all()
    scope = actor.scope_path
    # A subquery, not a join: a project with several co-units in scope appears once.
    co_run = Project.co_units.through.objects.filter(unit__path__startswith=scope)
    return Project.objects.filter(
        Q(lead_unit__path__startswith=scope) | Q(pk__in=co_run.values("project_id"))
    )


def leads(actor: Actor, project: Project) -> bool:
    return project.lead_unit_id == actor.unit.pk


def supervises(actor: Actor, project: Project) -> bool:
    """A supervising unit: strictly above the lead unit (the city office above everyone)."""
    lead = project.lead_unit
    return lead.pk != actor.unit.pk and lead.path.startswith(actor.scope_path)


def access_project(
    actor: Actor, code: str, *, perm: str | None = None, lead: bool = False, supervise: bool = False
) -> Project:
    """One project by code: 404 outside the subtree (or, with `lead`, for anyone but the
    lead unit); 403 without `perm` or, with `supervise`, for the lead unit itself."""
    project = visible_projects(actor).select_related("lead_unit").filter(code=code).first()
    if project is None or (lead and not leads(actor, project)):
        raise Http404("没有找到该项目")
    if perm is not None:
        require(actor, perm)
    if supervise and not supervises(actor, project):
        raise PermissionDenied("须由上级主管单位审核，牵头单位不能审核本单位的项目")
    return project


def reports_to_review(actor: Actor) -> QuerySet[ProgressReport]:
    """Progress reports waiting for the actor, the leader of the lead unit (403 for others):
    nothing of them is public until approved."""
    require(actor, Perm.REVIEW_REPORT)
    return ProgressReport.objects.filter(
        review=ProgressReport.Review.PENDING, project__lead_unit=actor.unit
    )


def public_projects() -> QuerySet[Project]:
    """What anyone may read: projects from disclosure on."""
    return Project.objects.public()


def access_public_project(code: str) -> Project:
    project = public_projects().select_related("lead_unit").filter(code=code).first()
    if project is None:
        raise Http404("没有找到该项目")
    return project


def access_milestone(project: Project, pk: int) -> Milestone:
    """One milestone of a project the caller has already accessed; 404 for another's."""
    milestone = Milestone.objects.filter(project=project, pk=pk).first()
    if milestone is None:
        raise Http404("没有找到该节点")
    return milestone


def visible_ratings(actor: Actor) -> QuerySet[Rating]:
    require(actor, Perm.MODERATE)
    return Rating.objects.filter(project__in=visible_projects(actor).values("pk"))


def access_rating(actor: Actor, pk: int) -> Rating:
    """One public rating of a project in the actor's subtree, for moderation (403 without
    MODERATE, 404 elsewhere)."""
    rating = visible_ratings(actor).select_related("project").filter(pk=pk).first()
    if rating is None:
        raise Http404("没有找到该评价")
    return rating


def audit_events(actor: Actor) -> QuerySet[ProjectEvent]:
    """Project events for the audit log."""
    events = ProjectEvent.objects.annotate(target_text=F("project__code"))
    return events_in_scope(actor, events, owner_path="project__lead_unit__path")
