"""Who may read the figures and the documents made of them.

Dashboards show the viewer's subtree (a unit below it on request, never above: 404);
bulletins and overviews are the city office's documents, read by the leaders and supervisors
they are addressed to, and generated on demand by the office."""

from shishi.orgs.access import Actor, access_unit, register_permissions, require
from shishi.orgs.models import Role, Unit


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
