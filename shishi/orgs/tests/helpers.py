"""Helpers for the orgs tests: actors, tree snapshots and the tree invariant."""

from django.test import Client
from django.urls import reverse

from shishi.core.models import AuditEntry
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person, Unit


def actor_of(person: Person, unit: Unit | None = None) -> Actor:
    """The actor for `person` acting through their (first, or given unit's) membership."""
    memberships = Membership.objects.filter(person=person).select_related("unit")
    if unit is not None:
        memberships = memberships.filter(unit=unit)
    return Actor(person=person, membership=memberships.order_by("unit__path").first())


def tree_snapshot() -> list[tuple]:
    """Every unit's place in the tree, to show that a refused write changed nothing."""
    return list(
        Unit.objects.order_by("pk").values_list(
            "pk", "code", "name", "kind", "parent_id", "path", "depth", "former_code", "active"
        )
    )


def assert_tree_is_consistent() -> None:
    """Every unit's path is its parent's path plus its own segment; depth follows."""
    units = {u.pk: u for u in Unit.objects.all()}
    for unit in units.values():
        segment = f"{unit.pk:0{Unit.PATH_SEGMENT}d}/"
        if unit.parent_id is None:
            assert (unit.path, unit.depth) == (segment, 0), unit.code
        else:
            parent = units[unit.parent_id]
            assert unit.path == parent.path + segment, unit.code
            assert unit.depth == parent.depth + 1, unit.code


def audit_count() -> int:
    return AuditEntry.objects.count()


def signs_in(username: str, password: str) -> bool:
    """Whether the login page accepts these credentials (a fresh client, through axes)."""
    client = Client()
    client.post(reverse("staff:login"), {"username": username, "password": password})
    return "_auth_user_id" in client.session
