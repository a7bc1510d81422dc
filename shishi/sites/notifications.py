"""Every SMS text about visit bookings, and who gets it: the booker's contact phone at each
step (booked or submitted, confirmed, rejected, cancelled, moved, checked in); the site's
staff when a booking arrives (and whether it waits for them) or is cancelled."""

from shishi.orgs.notify import tell_phone, tell_unit_staff
from shishi.sites.models import Booking


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
    if pending:
        body = (
            f"【红色教育参访】{first.organisation}的预约已提交：{_what(bookings)}。名额已为您保留，"
            f"待参访点确认后短信通知，确认后电子票二维码生效。"
        )
    else:
        body = (
            f"【红色教育参访】{first.organisation}已预约{_what(bookings)}。请按时到达，"
            f"凭电子票二维码或预约号签到。"
        )
    tell_phone(first.contact_phone, body)
    for booking in bookings:
        tell_unit_staff(
            booking.site.unit,
            f"【参访预约】{booking.organisation}预约{booking.site.name}{_visit(booking)}，"
            f"{booking.headcount}人（{booking.code}）"
            + ("，待确认，请在工作台确认或退回。" if pending else "。"),
        )


def confirmed(bookings: list[Booking]) -> None:
    first = bookings[0]
    tell_phone(
        first.contact_phone,
        f"【红色教育参访】您预约的{_what(bookings)}已经参访点确认。请按时到达，"
        f"凭电子票二维码或预约号签到。",
    )


def rejected(bookings: list[Booking]) -> None:
    first = bookings[0]
    tell_phone(
        first.contact_phone,
        f"【红色教育参访】很抱歉，您预约的{_what(bookings)}未能安排，已被参访点退回，"
        f"原因：{first.reject_reason}。名额已释放，欢迎另选日期预约。",
    )


def cancelled(booking: Booking) -> None:
    reason = f"，原因：{booking.cancel_reason}" if booking.cancel_reason else ""
    tell_phone(
        booking.contact_phone,
        f"【红色教育参访】您预约的{booking.site.name}（{_visit(booking)}，预约号{booking.code}）"
        f"已取消{reason}。",
    )
    tell_unit_staff(
        booking.site.unit,
        f"【参访预约】{booking.organisation}预约的{booking.site.name}{_visit(booking)}"
        f"（{booking.code}）已取消，释放{booking.headcount}个名额。",
    )


def rescheduled(booking: Booking, *, before: str) -> None:
    tell_phone(
        booking.contact_phone,
        f"【红色教育参访】您预约的{booking.site.name}（预约号{booking.code}）已改期至"
        f"{_visit(booking)}，{booking.headcount}人。原电子票作废，"
        + (
            "新的时段待参访点确认，确认后短信通知。"
            if booking.status == Booking.Status.PENDING
            else "请打开新的电子票。"
        ),
    )
    tell_unit_staff(
        booking.site.unit,
        f"【参访预约】{booking.organisation}（{booking.code}）由{before}改期至"
        f"{booking.day:%Y-%m-%d} {booking.slot.start:%H:%M}。",
    )


def checked_in(booking: Booking) -> None:
    tell_phone(
        booking.contact_phone,
        f"【红色教育参访】{booking.organisation}已在{booking.site.name}签到，实到{booking.arrived}人。"
        f"欢迎参观。",
    )
