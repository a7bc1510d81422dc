"""Checks the outreach actions share."""

import re
from datetime import datetime

from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person, Unit

# Places a lecture or activity is held at: divisions, not departments or party bodies.
PLACE_KINDS = (
    Unit.Kind.CITY,
    Unit.Kind.COUNTY,
    Unit.Kind.DISTRICT,
    Unit.Kind.ZONE,
    Unit.Kind.TOWN,
    Unit.Kind.STREET,
    Unit.Kind.VILLAGE,
)
PHONE = re.compile(r"[0-9][0-9\-]{6,19}")


def check_owner(actor: Actor, unit: Unit, what: str) -> None:
    if not actor.sees(unit):
        raise Refused(f"只能为本单位及下级单位{what}")
    if not unit.active:
        raise Refused(f"{unit.name}已停用，不能{what}")


def area_of(unit: Unit) -> Unit:
    """The division a unit belongs to: itself if it is one, else the nearest one above it (a
    city department's area is the city, a town's party committee's the town)."""
    if unit.kind in PLACE_KINDS:
        return unit
    step = Unit.PATH_SEGMENT + 1
    above = [unit.path[:end] for end in range(step, len(unit.path), step)]
    found = Unit.objects.filter(path__in=above, kind__in=PLACE_KINDS).order_by("-depth").first()
    return found or unit


def check_place(actor: Actor, owner: Unit, place: Unit) -> None:
    """A lecture or activity is held in the area of the team's unit or of the actor's."""
    if place.kind not in PLACE_KINDS:
        raise Refused("地点请选择县区、乡镇（街道）或村（社区）")
    if not any(place.path.startswith(area_of(unit).path) for unit in (owner, actor.unit)):
        raise Refused("只能选择本单位辖区内的地点")


def check_people(unit: Unit, people: tuple[Person, ...], role: str) -> None:
    """Everyone named must hold a membership in `unit` or below it."""
    wanted = {person.pk: person for person in people}
    members = set(
        Membership.objects.filter(
            unit__path__startswith=unit.path, person_id__in=wanted
        ).values_list("person_id", flat=True)
    )
    strangers = [person.name for pk, person in wanted.items() if pk not in members]
    if strangers:
        raise Refused(f"{'、'.join(strangers)}不是{unit.name}及其下级单位的人员，不能列为{role}")


def clean_phone(phone: str) -> str:
    phone = phone.strip().replace(" ", "")
    if phone and not PHONE.fullmatch(phone):
        raise Refused("联系电话只能填写数字和“-”，7至20位")
    return phone


def not_after_today(day, now: datetime, what: str) -> None:
    if day > timezone.localdate(now):
        raise Refused(f"{what}不能晚于今天，请在活动结束后登记")


def required(text: str, message: str) -> str:
    if not text.strip():
        raise Refused(message)
    return text.strip()
