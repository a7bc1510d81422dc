"""Who is told about a unit's duties: the duty kit's SMS recipients, for every domain.

The people who work a unit's queue are its clerks and leaders with a phone; a role (the
supervisors) is told about escalations. Messages go through the outbox, so they are sent
only if the write that caused them commits. Each is a registered SMS kind (core.sms),
declared in the domain's `notifications.py`; `ref` names the subject whose timeline shows
the delivery ("appeal:12"), and the unit told (or `unit_id` for a citizen's SMS) is the one
the message is counted against in the SMS costs.
"""

from collections.abc import Iterable

from django.db import models

from shishi.core import outbox
from shishi.core.sms import Sms
from shishi.orgs.models import Membership, Role, Unit

# The roles that work a unit's duties and are told when one arrives or falls behind.
DUTY_ROLES = (Role.UNIT_CLERK, Role.UNIT_LEADER)
# Who works a unit's intake (受理、派单): at the hotline office that is the operators.
INTAKE_ROLES = (*DUTY_ROLES, Role.OPERATOR)


def ref(subject: models.Model) -> str:
    """The outbox `ref` of an appeal, a project …: "appeal:12"."""
    return f"{subject._meta.model_name}:{subject.pk}"


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


def tell_unit_staff(
    unit: Unit, sms: Sms, *, roles: Iterable[str] = DUTY_ROLES, about: models.Model | None = None
) -> None:
    """SMS to the people who work `unit`'s queue (or only its `roles`: the leader who
    approves a reply, the clerks who revise it)."""
    for phone in staff_phones([unit.pk], roles=roles).get(unit.pk, []):
        _enqueue(phone, sms, unit_id=unit.pk, about=about)


def tell_role(role: str, sms: Sms, *, about: models.Model | None = None) -> None:
    """SMS to every active person holding `role` anywhere (e.g. the supervisors), each
    counted against the unit they hold it in."""
    rows = (
        Membership.objects.filter(role=role, person__is_active=True)
        .exclude(person__phone="")
        .values_list("person__phone", "unit_id")
        .order_by("person__phone", "unit_id")
    )
    told: set[str] = set()
    for phone, unit_id in rows:
        if phone not in told:
            told.add(phone)
            _enqueue(phone, sms, unit_id=unit_id, about=about)


def tell_phone(
    phone: str, sms: Sms, *, unit_id: int | None = None, about: models.Model | None = None
) -> None:
    """SMS to one citizen's (or one cadre's) phone, counted against `unit_id` if given."""
    _enqueue(phone, sms, unit_id=unit_id, about=about)


def enqueue_many(messages: Iterable[tuple[str, Sms, int | None]], *, about=None) -> int:
    """Queue many `(phone, sms, unit_id)` in one insert (a batch to many units)."""
    subject = ref(about) if about is not None else ""
    return outbox.enqueue_sms_many([(to, sms, unit, subject) for to, sms, unit in messages])


def _enqueue(phone: str, sms: Sms, *, unit_id: int | None, about: models.Model | None) -> None:
    subject = ref(about) if about is not None else ""
    outbox.enqueue(channel="sms", recipient=phone, sms=sms, ref=subject, unit_id=unit_id)
