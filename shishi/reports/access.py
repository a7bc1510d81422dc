"""Who may read the figures and the documents made of them.

Dashboards show the viewer's subtree (a unit below it on request, never above: 404);
bulletins and overviews are the city office's documents, read by the leaders and supervisors
they are addressed to, and generated on demand by the office."""

from django.db.models import Q, QuerySet
from django.http import Http404

from shishi.orgs.access import Actor, access_unit, register_permissions, require
from shishi.orgs.models import Role, Unit
from shishi.reports.models import Issued


class Perm:
    DASHBOARD = "reports.dashboard"
    DOCUMENTS = "reports.documents"  # read the archived bulletins and overviews
    GENERATE = "reports.generate"  # generate one on demand


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.DASHBOARD, Perm.DOCUMENTS, Perm.GENERATE},
        Role.UNIT_LEADER: {Perm.DASHBOARD, Perm.DOCUMENTS},
        Role.SUPERVISOR: {Perm.DASHBOARD, Perm.DOCUMENTS},
        Role.OPERATOR: {Perm.DASHBOARD},
        Role.UNIT_CLERK: {Perm.DASHBOARD},
        Role.GUIDANCE_MEMBER: {Perm.DASHBOARD},
    }
)


def dashboard_unit(actor: Actor, pk: int | None) -> Unit:
    """The unit whose subtree the dashboard shows: the actor's own, or one below it."""
    require(actor, Perm.DASHBOARD)
    return access_unit(actor, pk) if pk else actor.unit


def issued_documents(actor: Actor) -> QuerySet[Issued]:
    """The archive as the actor may read it: documents about their unit or a unit above it
    (a city bulletin is addressed to every unit), or about a unit in their subtree."""
    require(actor, Perm.DOCUMENTS)
    step = Unit.PATH_SEGMENT + 1
    above = [actor.scope_path[:end] for end in range(step, len(actor.scope_path) + 1, step)]
    return Issued.objects.filter(
        Q(unit__path__in=above) | Q(unit__path__startswith=actor.scope_path)
    ).select_related("created_by")


def access_issued(actor: Actor, pk: int) -> Issued:
    issued = issued_documents(actor).filter(pk=pk).first()
    if issued is None:
        raise Http404("没有找到该文件")
    return issued
