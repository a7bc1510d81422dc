"""Who may see and do what, in one place.

A signed-in person acts through one membership at a time (the unit switcher picks it): the
membership's unit subtree is what they see, its role is what they may do. Everything outside
the subtree does not exist for them (404); inside it, lacking the permission for an action
is 403. Domain apps build their own `access_*` functions on `Actor`.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, QuerySet
from django.http import Http404

from shishi.core.models import AuditEntry
from shishi.orgs.models import Membership, Person, Role, Unit


class Perm:
    VIEW = "view"  # browse units, people and the module lists of the subtree
    MANAGE_UNITS = "manage_units"
    MANAGE_PEOPLE = "manage_people"
    IMPORT_UNITS = "import_units"
    VIEW_AUDIT = "view_audit"
    MANAGE_CALENDAR = "manage_calendar"
    RESET_TOTP = "reset_totp"  # remove someone's authenticator and recovery codes
    MANAGE_SMS = "manage_sms"  # map SMS kinds to the provider's templates, resend failed SMS


ROLE_PERMISSIONS: dict[str, frozenset[str]] = {
    Role.CITY_ADMIN: frozenset(
        {
            Perm.VIEW,
            Perm.MANAGE_UNITS,
            Perm.MANAGE_PEOPLE,
            Perm.IMPORT_UNITS,
            Perm.VIEW_AUDIT,
            Perm.MANAGE_CALENDAR,
            Perm.RESET_TOTP,
            Perm.MANAGE_SMS,
        }
    ),
    Role.UNIT_LEADER: frozenset({Perm.VIEW, Perm.MANAGE_UNITS, Perm.MANAGE_PEOPLE}),
    Role.UNIT_CLERK: frozenset({Perm.VIEW}),
    Role.OPERATOR: frozenset({Perm.VIEW}),
    Role.SUPERVISOR: frozenset({Perm.VIEW}),
    Role.GUIDANCE_MEMBER: frozenset({Perm.VIEW}),
    # "reads the audit log, nothing else" (DESIGN §1)
    Role.AUDITOR: frozenset({Perm.VIEW_AUDIT}),
}


def register_permissions(mapping: dict[str, set[str]]) -> None:
    """Domain apps add their permissions to roles (called when their access module loads)."""
    for role, perms in mapping.items():
        ROLE_PERMISSIONS[role] = ROLE_PERMISSIONS.get(role, frozenset()) | frozenset(perms)


# Which roles a manager may hand out: nobody grants more than they hold.
GRANTABLE_ROLES: dict[str, tuple[str, ...]] = {
    Role.CITY_ADMIN: tuple(Role.values),
    Role.UNIT_LEADER: (Role.UNIT_LEADER, Role.UNIT_CLERK, Role.OPERATOR, Role.GUIDANCE_MEMBER),
}


@dataclass(frozen=True)
class Actor:
    """A person acting through one membership: what they see and may do."""

    person: Person
    membership: Membership

    @property
    def unit(self) -> Unit:
        return self.membership.unit

    @property
    def role(self) -> str:
        return self.membership.role

    @property
    def scope_path(self) -> str:
        return self.membership.unit.path

    def can(self, perm: str) -> bool:
        return perm in ROLE_PERMISSIONS.get(self.role, frozenset())

    def sees(self, unit: Unit) -> bool:
        return unit.path.startswith(self.scope_path)

    def grantable_roles(self) -> tuple[str, ...]:
        """Roles this actor may hand out: listed for their role, and (below the city office)
        carrying no permission the actor lacks — granting must never raise anyone's rights."""
        own = ROLE_PERMISSIONS.get(self.role, frozenset())
        listed = GRANTABLE_ROLES.get(self.role, ())
        if self.role == Role.CITY_ADMIN:
            return listed
        return tuple(r for r in listed if ROLE_PERMISSIONS.get(r, frozenset()) <= own)

    def label(self) -> str:
        return f"{self.person.name}（{self.unit.name}·{self.membership.get_role_display()}）"


def require(actor: Actor, perm: str) -> None:
    """403 unless the actor's role carries `perm`."""
    if not actor.can(perm):
        raise PermissionDenied("您的角色无权进行此操作")


def memberships_of(person: Person) -> QuerySet[Membership]:
    """The memberships a person may act through, for the unit switcher."""
    return (
        Membership.objects.filter(person=person, unit__active=True)
        .select_related("unit")
        .order_by("unit__path", "role")
    )


def actor_for(
    person: Person, membership_id: int | None, *, memberships: list[Membership] | None = None
) -> Actor | None:
    """The actor for a signed-in person: the chosen membership, else their first one.
    `memberships`: the person's `memberships_of()`, when the caller has read them already."""
    if memberships is None:
        memberships = list(memberships_of(person))
    if not memberships:
        return None
    chosen = next((m for m in memberships if m.pk == membership_id), memberships[0])
    return Actor(person=person, membership=chosen)


def must_use_totp(person: Person, memberships: Iterable[Membership]) -> bool:
    """Whether `person` signs in with a second factor (an authenticator app's code): with
    `TOTP_ENFORCE` on, superusers, Django-admin staff and holders of a `TOTP_REQUIRED_ROLES`
    role in a unit in use (`memberships`: their `memberships_of()`)."""
    if not settings.TOTP_ENFORCE:
        return False
    if person.is_superuser or person.is_staff:
        return True
    required = set(settings.TOTP_REQUIRED_ROLES)
    return any(m.role in required for m in memberships)


def visible_units(actor: Actor) -> QuerySet[Unit]:
    """Units in the actor's subtree (their own unit included)."""
    require(actor, Perm.VIEW)
    return Unit.objects.filter(path__startswith=actor.scope_path)


def access_unit(actor: Actor, pk: int, *, write: bool = False) -> Unit:
    """One unit of the actor's subtree; 404 outside it, 403 for a write without the right."""
    unit = Unit.objects.filter(pk=pk, path__startswith=actor.scope_path).first()
    if unit is None:
        raise Http404("没有找到该单位")
    require(actor, Perm.MANAGE_UNITS if write else Perm.VIEW)
    return unit


def visible_people(actor: Actor) -> QuerySet[Person]:
    """People holding at least one membership inside the actor's subtree."""
    require(actor, Perm.VIEW)
    return Person.objects.filter(
        pk__in=Membership.objects.filter(unit__path__startswith=actor.scope_path).values(
            "person_id"
        )
    )


def access_person(actor: Actor, pk: int, *, write: bool = False) -> Person:
    """One person with a membership in the actor's subtree; 404 otherwise."""
    person = Person.objects.filter(
        pk=pk, memberships__unit__path__startswith=actor.scope_path
    ).first()
    if person is None:
        raise Http404("没有找到该人员")
    require(actor, Perm.MANAGE_PEOPLE if write else Perm.VIEW)
    if write and person.pk != actor.person.pk and _outranks(person, actor):
        # Editing someone (their password above all) means being able to act as them: a
        # manager may do it only to people whose every post they could have granted.
        raise PermissionDenied(
            "该人员在您的管辖范围之外还有任职或担任您无权授予的角色，请联系上级管理员"
        )
    return person


def _outranks(person: Person, actor: Actor) -> bool:
    if person.is_superuser and not actor.person.is_superuser:
        return True
    memberships = Membership.objects.filter(person=person)
    return (
        memberships.exclude(unit__path__startswith=actor.scope_path).exists()
        or memberships.exclude(role__in=actor.grantable_roles()).exists()
    )


def access_membership(actor: Actor, pk: int) -> Membership:
    """A membership in the actor's subtree, for removal; managers only."""
    membership = (
        Membership.objects.filter(pk=pk, unit__path__startswith=actor.scope_path)
        .select_related("unit", "person")
        .first()
    )
    if membership is None:
        raise Http404("没有找到该任职")
    require(actor, Perm.MANAGE_PEOPLE)
    if membership.role not in actor.grantable_roles():
        raise PermissionDenied("您无权撤销该角色")
    return membership


def visible_audit_entries(actor: Actor) -> QuerySet[AuditEntry]:
    """Audit entries about the actor's subtree; the city level also reads entries that
    concern no unit (holiday calendar, system settings)."""
    require(actor, Perm.VIEW_AUDIT)
    entries = Q(scope_path__startswith=actor.scope_path)
    if actor.unit.parent_id is None:
        entries |= Q(scope_path="")
    return AuditEntry.objects.filter(entries).annotate(target_text=F("target_label"))


def check_grant(actor: Actor, *, unit: Unit, role: str) -> None:
    """Refuse handing out `role` in `unit` unless the actor may (403 / 404)."""
    if not actor.sees(unit):
        raise Http404("没有找到该单位")
    require(actor, Perm.MANAGE_PEOPLE)
    if role not in actor.grantable_roles():
        raise PermissionDenied("您无权授予该角色")


def events_in_scope(actor: Actor, events: QuerySet, *, owner_path: str) -> QuerySet:
    """A domain's event rows for the audit log: those recorded by a unit of the actor's
    subtree or about an object owned there (`owner_path`: the lookup of the owner's path)."""
    require(actor, Perm.VIEW_AUDIT)
    if actor.unit.parent_id is None:
        return events
    scope = actor.scope_path
    return events.filter(
        Q(unit__path__startswith=scope) | Q(**{f"{owner_path}__startswith": scope})
    )
