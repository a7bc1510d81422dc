"""签到 — a site's staff check a group in from its ticket (the QR code's token, or the
booking code typed), once, on the visit day, with the number who actually came; only a
booking the site has confirmed. A ticket refused (changed, expired, reused, another site's,
another day's, still pending or rejected) is logged."""

import re
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.sites import events, notifications
from shishi.sites.access import Perm, runs_site
from shishi.sites.models import Booking
from shishi.sites.tickets import read_token

Verb = events.Verb
CODE_RE = re.compile(r"^[A-Z]{2,8}\d{8}-\d{3,7}$")


def _booking(presented: str) -> tuple[Booking | None, str]:
    """The booking a ticket names, and a refusal (empty when none so far)."""
    text = presented.strip()
    if CODE_RE.match(text.upper()):
        booking = (
            Booking.objects.select_related("site", "site__unit", "slot")
            .filter(code=text.upper())
            .first()
        )
        return booking, "" if booking else "没有找到该预约号，请核对"
    try:
        ticket = read_token(text.split("t=")[-1])
    except Refused as refusal:
        return None, refusal.message
    booking = (
        Booking.objects.select_related("site", "site__unit", "slot")
        .filter(pk=ticket.booking_id)
        .first()
    )
    if booking is None:
        return None, "票据对应的预约不存在"
    if booking.day != ticket.day:
        return booking, "票据与预约的参观日期不符（预约已改期），请让预约人重新打开电子票"
    return booking, ""


def find_ticket(*, presented: str, actor: Actor, now: datetime) -> Booking:
    """The booking behind a scanned or typed ticket, if the actor's site may check it in
    today; a refusal is logged (its own transaction, so it stays) and raised."""
    require(actor, Perm.MANAGE)
    if not presented.strip():
        raise Refused("请扫描二维码或输入预约号")
    booking, refusal = _booking(presented)
    if not refusal and booking is not None:
        refusal = _refusal(booking, actor=actor, now=now)
    if refusal:
        with transaction.atomic():
            shown = booking if booking is not None and runs_site(actor, booking.site) else None
            events.check_in_refused(
                booking=shown, actor=actor, now=now, reason=refusal, presented=presented.strip()
            )
        if booking is not None and not runs_site(actor, booking.site):
            refusal = "该票据不属于您管理的参访点"
        raise Refused(refusal)
    return booking


def _refusal(booking: Booking, *, actor: Actor, now: datetime) -> str:
    if not runs_site(actor, booking.site):
        return f"该票据属于{booking.site.name}，不属于您管理的参访点"
    if booking.status == Booking.Status.CHECKED_IN:
        at = timezone.localtime(booking.checked_in_at)
        return f"该预约已于{at:%m-%d %H:%M}签到，票据不能重复使用"
    if booking.status == Booking.Status.PENDING:
        return "该预约尚待参访点确认，不能签到；请先在预约页面确认，再签到"
    if booking.status == Booking.Status.REJECTED:
        return f"该预约已被参访点退回（{booking.reject_reason}），不能签到"
    if booking.status == Booking.Status.EXPIRED:
        return "该预约未经参访点确认，已逾期关闭，不能签到"
    if booking.status == Booking.Status.CANCELLED:
        return "该预约已取消，不能签到"
    if booking.status == Booking.Status.NO_SHOW:
        return "该预约已按未到场关闭"
    today = timezone.localdate(now)
    if booking.day != today:
        when = "已过期" if booking.day < today else "还未到参观日期"
        return f"该票据仅限{booking.day:%Y-%m-%d}当天使用，{when}"
    return ""


def check_in(*, presented: str, arrived: int, actor: Actor, now: datetime) -> Booking:
    """签到: the ticket's group arrives; `arrived` people came (at most those booked)."""
    booking = find_ticket(presented=presented, actor=actor, now=now)
    if arrived < 1:
        raise Refused("请填写实到人数（至少1人）")
    if arrived > booking.headcount:
        raise Refused(f"实到人数不能超过预约人数（{booking.headcount}人）；超出的人员请另行预约")
    return _admit(booking, arrived=arrived, actor=actor, now=now, presented=presented)


def _admit(
    booking: Booking, *, arrived: int, actor: Actor, now: datetime, presented: str
) -> Booking:
    with transaction.atomic():
        claimed = Booking.objects.filter(pk=booking.pk, status=Booking.Status.BOOKED).update(
            status=Booking.Status.CHECKED_IN, checked_in_at=now, arrived=arrived
        )
        if claimed:
            booking.status, booking.checked_in_at, booking.arrived = (
                Booking.Status.CHECKED_IN,
                now,
                arrived,
            )
            events.record(
                booking,
                verb=Verb.CHECKED_IN,
                now=now,
                actor=actor,
                from_state=Booking.Status.BOOKED,
                note=f"实到{arrived}人（预约{booking.headcount}人）",
            )
            notifications.checked_in(booking)
            return booking
    # Scanned twice at once: the other scan checked it in first.
    refusal = "该预约刚刚已签到，票据不能重复使用"
    with transaction.atomic():
        events.check_in_refused(
            booking=booking, actor=actor, now=now, reason=refusal, presented=presented
        )
    raise Refused(refusal)
