"""Who is told about a unit's duties: the duty kit's SMS recipients, for every domain.

The people who work a unit's queue are its clerks and leaders with a phone; a role (the
supervisors) is told about escalations. Messages go through the outbox, so they are sent
only if the write that caused them commits.
"""

from collections.abc import Iterable

from shishi.core import outbox
from shishi.orgs.models import Membership, Role, Unit

# The roles that work a unit's duties and are told when one arrives or falls behind.
DUTY_ROLES = (Role.UNIT_CLERK, Role.UNIT_LEADER)
# Who works a unit's intake (受理、派单): at the hotline office that is the operators.
INTAKE_ROLES = (*DUTY_ROLES, Role.OPERATOR)


def staff_phones(
    unit_ids: Iterable[int], *, roles: Iterable[str] = DUTY_ROLES
) -> dict[int, list[str]]:
    """The phones of each unit's active clerks and leaders (or `roles`), in one query."""
    phones: dict[int, list[str]] = {}
    rows = (
        Membership.objects.filter(
            unit_id__in=list(unit_ids), role__in=list(roles), person__is_active=True
        )
        .exclude(person__phone="")
        .values_list("unit_id", "person__phone")
        .order_by("unit_id", "person__phone")
        .distinct()
    )
    for unit_id, phone in rows:
        phones.setdefault(unit_id, []).append(phone)
    return phones


def tell_unit_staff(unit: Unit, body: str, *, roles: Iterable[str] = DUTY_ROLES) -> None:
    """SMS `body` to the people who work `unit`'s queue (or only its `roles`: the leader who
    approves a reply, the clerks who revise it)."""
    for phone in staff_phones([unit.pk], roles=roles).get(unit.pk, []):
        outbox.enqueue(channel="sms", recipient=phone, body=body)


def tell_role(role: str, body: str) -> None:
    """SMS `body` to every active person holding `role` anywhere (e.g. the supervisors)."""
    phones = (
        Membership.objects.filter(role=role, person__is_active=True)
        .exclude(person__phone="")
        .values_list("person__phone", flat=True)
        .distinct()
    )
    for phone in phones:
        outbox.enqueue(channel="sms", recipient=phone, body=body)


def tell_phone(phone: str, body: str) -> None:
    """SMS `body` to one citizen's phone."""
    outbox.enqueue(channel="sms", recipient=phone, body=body)
