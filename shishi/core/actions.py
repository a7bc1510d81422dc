"""Writes owned by the core: the holiday calendar."""

from datetime import date

from django.db import transaction

from shishi.core.errors import Refused
from shishi.core.events import audit
from shishi.core.models import AuditEntry, CalendarYear, HolidayOverride

V = AuditEntry.Verb


@transaction.atomic
def set_holiday_override(*, by, day: date, is_workday: bool, note: str) -> HolidayOverride:
    """Declare one date a working day or a day off, overriding the calendar package."""
    override, created = HolidayOverride.objects.update_or_create(
        date=day, defaults={"is_workday": is_workday, "note": note}
    )
    audit(
        actor=by,
        verb=V.HOLIDAY_SET,
        target=override,
        data={"date": day.isoformat(), "is_workday": is_workday, "note": note, "created": created},
    )
    return override


@transaction.atomic
def delete_holiday_override(*, by, override: HolidayOverride) -> None:
    """Remove an override; the date follows the calendar package (or weekdays) again."""
    if override.pk is None:
        raise Refused("该调整不存在")
    audit(
        actor=by,
        verb=V.HOLIDAY_DELETED,
        target=override,
        data={"date": override.date.isoformat(), "is_workday": override.is_workday},
    )
    override.delete()


@transaction.atomic
def confirm_calendar_year(*, by, year: int, confirmed: bool) -> None:
    """Declare a year's holiday schedule fully entered (or take that back): its deadlines stop
    (or start) being marked 估算."""
    if confirmed:
        _, created = CalendarYear.objects.get_or_create(year=year, defaults={"confirmed_by": by})
        if not created:
            raise Refused(f"{year}年的放假安排已确认过")
    elif not CalendarYear.objects.filter(year=year).delete()[0]:
        raise Refused(f"{year}年的放假安排尚未确认")
    audit(
        actor=by,
        verb=V.YEAR_CONFIRMED if confirmed else V.YEAR_UNCONFIRMED,
        data={"year": year},
    )
