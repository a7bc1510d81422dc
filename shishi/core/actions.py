"""Writes owned by the core: the holiday calendar, the SMS templates and resending SMS."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from shishi.core import outbox, sms
from shishi.core.errors import Refused
from shishi.core.events import audit
from shishi.core.models import (
    AuditEntry,
    CalendarYear,
    HolidayOverride,
    OutboxMessage,
    SmsTemplate,
)

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


@transaction.atomic
def set_sms_template(*, by, kind: str, template_id: str) -> None:
    """Map a registered SMS kind to the provider's approved template ID (empty: unmap it)."""
    if kind not in sms.kinds():
        raise Refused("没有这种短信类型")
    template_id = template_id.strip()
    if template_id:
        SmsTemplate.objects.update_or_create(
            kind=kind, defaults={"template_id": template_id, "updated_at": timezone.now()}
        )
    else:
        SmsTemplate.objects.filter(kind=kind).delete()
    audit(actor=by, verb=V.SMS_TEMPLATE_SET, data={"kind": kind, "template_id": template_id})


@transaction.atomic
def resend_sms(*, by, message: OutboxMessage, now: datetime) -> None:
    """Queue an SMS that was not delivered once more (after its template was mapped, or the
    number fixed at the provider). A one-time code is not resent: it has expired."""
    if message.status not in outbox.RESENDABLE:
        raise Refused("该短信不是失败状态，无需重发")
    if message.sensitive:
        raise Refused("验证码短信已过期，不重发；请群众重新获取验证码")
    outbox.retry_dead(message=message, now=now)
    # The number is not written to the audit log; the message id leads to it.
    audit(
        actor=by,
        verb=V.SMS_RESENT,
        data={"message": message.pk, "kind": message.kind, "status": message.status},
    )
