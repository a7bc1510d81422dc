"""Every SMS text about visit bookings, and who gets it: the booker's contact phone at each
step (booked or submitted, confirmed, rejected, cancelled, moved, checked in); the site's
staff when a booking arrives (and whether it waits for them) or is cancelled. Each text is
a registered SMS kind (core.sms)."""

from shishi.core import sms
from shishi.orgs.notify import tell_phone, tell_unit_staff
from shishi.sites.models import Booking

SUBMITTED = sms.kind(
    "sites.submitted",
    "参访预约已提交（待确认）",
    "【红色教育参访】{organisation}的预约已提交：{what}。名额已为您保留，"
    "待参访点确认后短信通知，确认后电子票二维码生效。",
)
BOOKED = sms.kind(
    "sites.booked",
    "参访预约成功",
    "【红色教育参访】{organisation}已预约{what}。请按时到达，凭电子票二维码或预约号签到。",
)
SITE_BOOKED = sms.kind(
    "sites.site_booked",
    "参访点收到预约",
    "【参访预约】{organisation}预约{site}{visit}，{headcount}人（{code}）。",
)
SITE_BOOKED_PENDING = sms.kind(
    "sites.site_booked_pending",
    "参访点收到预约（待确认）",
    "【参访预约】{organisation}预约{site}{visit}，{headcount}人（{code}），"
    "待确认，请在工作台确认或退回。",
)
CONFIRMED = sms.kind(
    "sites.confirmed",
    "参访预约已确认",
    "【红色教育参访】您预约的{what}已经参访点确认。请按时到达，凭电子票二维码或预约号签到。",
)
REJECTED = sms.kind(
    "sites.rejected",
    "参访预约被退回",
    "【红色教育参访】很抱歉，您预约的{what}未能安排，已被参访点退回，原因：{reason}。"
    "名额已释放，欢迎另选日期预约。",
)
CANCELLED = sms.kind(
    "sites.cancelled",
    "参访预约已取消",
    "【红色教育参访】您预约的{site}（{visit}，预约号{code}）已取消{reason}。",
)
SITE_CANCELLED = sms.kind(
    "sites.site_cancelled",
    "参访点预约取消",
    "【参访预约】{organisation}预约的{site}{visit}（{code}）已取消，释放{headcount}个名额。",
)
RESCHEDULED = sms.kind(
    "sites.rescheduled",
    "参访预约改期",
    "【红色教育参访】您预约的{site}（预约号{code}）已改期至{visit}，{headcount}人。"
    "原电子票作废，请打开新的电子票。",
)
RESCHEDULED_PENDING = sms.kind(
    "sites.rescheduled_pending",
    "参访预约改期（待确认）",
    "【红色教育参访】您预约的{site}（预约号{code}）已改期至{visit}，{headcount}人。"
    "原电子票作废，新的时段待参访点确认，确认后短信通知。",
)
SITE_RESCHEDULED = sms.kind(
    "sites.site_rescheduled",
    "参访点预约改期",
    "【参访预约】{organisation}（{code}）由{before}改期至{when}。",
)
CHECKED_IN = sms.kind(
    "sites.checked_in",
    "参访签到",
    "【红色教育参访】{organisation}已在{site}签到，实到{arrived}人。欢迎参观。",
)


def _visit(booking: Booking) -> str:
    return f"{booking.day.month}月{booking.day.day}日{booking.slot.start:%H:%M}"


def _what(bookings: list[Booking]) -> str:
    first = bookings[0]
    if len(bookings) == 1 and not first.group_code:
        return f"{first.site.name}（{_visit(first)}，{first.headcount}人），预约号{first.code}"
    stops = "、".join(f"{b.site.name}{_visit(b)}" for b in bookings)
    return f"线路“{first.route.name}”：{stops}，{first.headcount}人，预约号{first.group_code}"


def booked(bookings: list[Booking]) -> None:
    """One text to the booker for the whole booking (a route books several sites): booked,
    or submitted and waiting for the site; each site's staff are told what waits for them."""
    first = bookings[0]
    pending = first.status == Booking.Status.PENDING
    to_booker = SUBMITTED if pending else BOOKED
    tell_phone(
        first.contact_phone,
        to_booker(organisation=first.organisation, what=_what(bookings)),
        unit_id=first.site.unit_id,
    )
    to_site = SITE_BOOKED_PENDING if pending else SITE_BOOKED
    for booking in bookings:
        tell_unit_staff(
            booking.site.unit,
            to_site(
                organisation=booking.organisation,
                site=booking.site.name,
                visit=_visit(booking),
                headcount=booking.headcount,
                code=booking.code,
            ),
        )


def confirmed(bookings: list[Booking]) -> None:
    first = bookings[0]
    tell_phone(first.contact_phone, CONFIRMED(what=_what(bookings)), unit_id=first.site.unit_id)


def rejected(bookings: list[Booking]) -> None:
    first = bookings[0]
    tell_phone(
        first.contact_phone,
        REJECTED(what=_what(bookings), reason=first.reject_reason),
        unit_id=first.site.unit_id,
    )


def cancelled(booking: Booking) -> None:
    reason = f"，原因：{booking.cancel_reason}" if booking.cancel_reason else ""
    tell_phone(
        booking.contact_phone,
        CANCELLED(site=booking.site.name, visit=_visit(booking), code=booking.code, reason=reason),
        unit_id=booking.site.unit_id,
    )
    tell_unit_staff(
        booking.site.unit,
        SITE_CANCELLED(
            organisation=booking.organisation,
            site=booking.site.name,
            visit=_visit(booking),
            code=booking.code,
            headcount=booking.headcount,
        ),
    )


def rescheduled(booking: Booking, *, before: str) -> None:
    kind = RESCHEDULED_PENDING if booking.status == Booking.Status.PENDING else RESCHEDULED
    tell_phone(
        booking.contact_phone,
        kind(
            site=booking.site.name,
            code=booking.code,
            visit=_visit(booking),
            headcount=booking.headcount,
        ),
        unit_id=booking.site.unit_id,
    )
    tell_unit_staff(
        booking.site.unit,
        SITE_RESCHEDULED(
            organisation=booking.organisation,
            code=booking.code,
            before=before,
            when=f"{booking.day:%Y-%m-%d} {booking.slot.start:%H:%M}",
        ),
    )


def checked_in(booking: Booking) -> None:
    tell_phone(
        booking.contact_phone,
        CHECKED_IN(
            organisation=booking.organisation, site=booking.site.name, arrived=booking.arrived
        ),
        unit_id=booking.site.unit_id,
    )
