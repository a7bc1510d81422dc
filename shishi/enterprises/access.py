"""Who may see and do what at the enterprise desk.

An enterprise is seen by its county's subtree (the county office and the city above it) and
by the units of its current cadre (the cadre's unit and those above it); a cadre sees the
enterprises they are paired with, whichever membership they act through. Pairings, visits
and problems follow their enterprise, plus those of the viewer's own cadres. Outsiders get
404.

The registry, pairings and the benefits ledger are kept by an office: the city office or a
county-level unit's leaders and clerks (`is_office`), within their subtree. Visits are
recorded by the paired cadre (or the office); problems raised by the cadre after a visit or
by the office."""

from django.core.exceptions import PermissionDenied
from django.db.models import Q, QuerySet
from django.http import Http404

from shishi.enterprises.models import (
    COUNTY_KINDS,
    Benefit,
    BenefitFile,
    Enterprise,
    EnterpriseEvent,
    Pairing,
    Problem,
    Visit,
)
from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role, Unit


class Perm:
    VIEW = "enterprises.view"
    # Keep the registry, pair cadres, record benefits — at an office (`is_office`).
    MANAGE = "enterprises.manage"
    # Record one's own visits and raise problems from them.
    VISIT = "enterprises.visit"


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.MANAGE, Perm.VISIT},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.MANAGE, Perm.VISIT},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.MANAGE, Perm.VISIT},
        Role.SUPERVISOR: {Perm.VIEW},
    }
)


def is_office(actor: Actor) -> bool:
    """The city office or a county-level unit's staff, who keep the desk for their subtree."""
    return actor.can(Perm.MANAGE) and (
        actor.unit.parent_id is None or actor.unit.kind in COUNTY_KINDS
    )


def require_office(actor: Actor) -> None:
    """403 for anyone but the city or a county office."""
    if not is_office(actor):
        raise PermissionDenied("只有市、县（区）挂钩服务企业工作办公室可以进行此操作")


def _enterprise_scope(actor: Actor, prefix: str = "") -> Q:
    """Enterprises of the actor's subtree, or paired now to a cadre of it, or to the actor."""
    scope = actor.scope_path
    current = Pairing.objects.filter(ends_on__isnull=True).filter(
        Q(unit__path__startswith=scope) | Q(cadre=actor.person)
    )
    return Q(**{f"{prefix}county__path__startswith": scope}) | Q(
        **{f"{prefix}pk__in": current.values("enterprise_id")}
    )


def visible_enterprises(actor: Actor) -> QuerySet[Enterprise]:
    require(actor, Perm.VIEW)
    return Enterprise.objects.filter(_enterprise_scope(actor))


def access_enterprise(actor: Actor, pk: int, *, write: bool = False) -> Enterprise:
    """One enterprise the actor sees (404 otherwise); `write`: the office of its county."""
    enterprise = visible_enterprises(actor).filter(pk=pk).select_related("county").first()
    if enterprise is None:
        raise Http404("没有找到该企业")
    if write:
        require_office(actor)
        if not actor.sees(enterprise.county):
            raise PermissionDenied("只有企业所在县（区）或市里可以修改")
    return enterprise


def may_manage(actor: Actor, enterprise: Enterprise) -> bool:
    """The office over the enterprise's county (the county's own, or the city)."""
    return is_office(actor) and actor.sees(enterprise.county)


def office_counties(actor: Actor) -> QuerySet[Unit]:
    """The county-level units an office may register enterprises under."""
    return Unit.objects.filter(
        path__startswith=actor.scope_path, kind__in=COUNTY_KINDS, active=True
    ).order_by("path")


def _pairing_scope(actor: Actor, prefix: str = "") -> Q:
    scope = actor.scope_path
    return (
        Q(**{f"{prefix}unit__path__startswith": scope})
        | Q(**{f"{prefix}enterprise__county__path__startswith": scope})
        | Q(**{f"{prefix}cadre": actor.person})
    )


def visible_pairings(actor: Actor) -> QuerySet[Pairing]:
    """Pairings of the actor's cadres, of their subtree's enterprises, and their own."""
    require(actor, Perm.VIEW)
    return Pairing.objects.filter(_pairing_scope(actor))


def access_pairing(actor: Actor, pk: int) -> Pairing:
    pairing = (
        visible_pairings(actor)
        .filter(pk=pk)
        .select_related("enterprise", "enterprise__county", "cadre", "unit", "office")
        .first()
    )
    if pairing is None:
        raise Http404("没有找到该挂钩关系")
    return pairing


def may_end_pairing(actor: Actor, pairing: Pairing) -> bool:
    """The office that may pair for the enterprise (its county's, or the city) ends it."""
    return pairing.current and may_manage(actor, pairing.enterprise)


def my_pairings(actor: Actor) -> QuerySet[Pairing]:
    """我的挂钩企业: the actor's own current pairings."""
    require(actor, Perm.VIEW)
    return Pairing.objects.filter(cadre=actor.person, ends_on__isnull=True)


def visible_visits(actor: Actor) -> QuerySet[Visit]:
    require(actor, Perm.VIEW)
    scope = actor.scope_path
    return Visit.objects.filter(
        Q(unit__path__startswith=scope)
        | Q(enterprise__county__path__startswith=scope)
        | Q(cadre=actor.person)
    )


def access_visit(actor: Actor, pk: int) -> Visit:
    visit = (
        visible_visits(actor)
        .filter(pk=pk)
        .select_related("enterprise", "enterprise__county", "cadre", "unit", "pairing")
        .first()
    )
    if visit is None:
        raise Http404("没有找到该走访记录")
    return visit


def may_record_visit(actor: Actor, pairing: Pairing) -> bool:
    """The paired cadre records their visits; the office over the enterprise may too."""
    if not pairing.current:
        return False
    if actor.can(Perm.VISIT) and pairing.cadre_id == actor.person.pk:
        return True
    return may_manage(actor, pairing.enterprise)


def require_record_visit(actor: Actor, pairing: Pairing) -> None:
    if not may_record_visit(actor, pairing):
        raise PermissionDenied("只有挂钩干部或挂钩办可以登记走访")


def may_raise_from(actor: Actor, visit: Visit) -> bool:
    """A problem found on a visit is raised by the cadre who made it (or the office)."""
    if actor.can(Perm.VISIT) and visit.cadre_id == actor.person.pk:
        return True
    return may_manage(actor, visit.enterprise)


def may_raise_for(actor: Actor, enterprise: Enterprise) -> bool:
    """Without a visit: the enterprise's current cadre or the office over it."""
    if may_manage(actor, enterprise):
        return True
    return (
        actor.can(Perm.VISIT)
        and Pairing.objects.filter(
            enterprise=enterprise, cadre=actor.person, ends_on__isnull=True
        ).exists()
    )


def visible_problems(actor: Actor) -> QuerySet[Problem]:
    require(actor, Perm.VIEW)
    scope = actor.scope_path
    return Problem.objects.filter(
        Q(enterprise__county__path__startswith=scope)
        | Q(pairing__unit__path__startswith=scope)
        | Q(pairing__cadre=actor.person)
    )


def visible_benefits(actor: Actor) -> QuerySet[Benefit]:
    require(actor, Perm.VIEW)
    return Benefit.objects.filter(_enterprise_scope(actor, prefix="enterprise__"))


def access_benefit(actor: Actor, pk: int) -> Benefit:
    benefit = (
        visible_benefits(actor)
        .filter(pk=pk)
        .select_related("enterprise", "enterprise__county", "recorded_by")
        .first()
    )
    if benefit is None:
        raise Http404("没有找到该兑现记录")
    return benefit


def benefit_file(benefit: Benefit, pk: int) -> BenefitFile | None:
    """One evidence file of a benefit the caller has accessed."""
    return BenefitFile.objects.filter(benefit=benefit, pk=pk).first()


def audit_events(actor: Actor) -> QuerySet[EnterpriseEvent]:
    return events_in_scope(
        actor, EnterpriseEvent.objects.all(), owner_path="enterprise__county__path"
    )
