"""Recording booking events (the booking's timeline and the audit trail)."""

from datetime import datetime

from shishi.orgs.access import Actor
from shishi.sites.models import Booking, BookingEvent

Verb = BookingEvent.Verb


def record(
    booking: Booking,
    *,
    verb: str,
    now: datetime,
    actor: Actor | None = None,
    label: str = "",
    from_state: str = "",
    note: str = "",
) -> BookingEvent:
    """One event on `booking`, filed under the site's unit (its staff read the audit log)."""
    return BookingEvent.record(
        booking,
        verb=verb,
        now=now,
        actor=actor,
        unit=booking.site.unit,
        label=label,
        from_state=from_state,
        note=note,
    )


def no_show(booking: Booking, *, now: datetime) -> BookingEvent:
    """Unsaved: the end-of-day job writes them in one insert."""
    return BookingEvent.build(
        booking,
        verb=Verb.NO_SHOW,
        now=now,
        unit=booking.site.unit,
        from_state=Booking.Status.BOOKED,
        note=f"{booking.day:%Y-%m-%d} 未到场签到",
    )


def expired(booking: Booking, *, now: datetime) -> BookingEvent:
    """Unsaved: the end-of-day job writes them in one insert."""
    return BookingEvent.build(
        booking,
        verb=Verb.EXPIRED,
        now=now,
        unit=booking.site.unit,
        from_state=Booking.Status.PENDING,
        note=f"{booking.day:%Y-%m-%d} 参观日结束时仍未经参访点确认",
    )


def check_in_refused(
    *, booking: Booking | None, actor: Actor, now: datetime, reason: str, presented: str
) -> BookingEvent:
    """A refused ticket: with its booking when the token named one, else on its own."""
    note = f"{reason}（出示：{presented[:60]}）"
    if booking is not None:
        return BookingEvent.record(
            booking,
            verb=Verb.CHECK_IN_REFUSED,
            now=now,
            actor=actor,
            unit=booking.site.unit,
            note=note,
        )
    return BookingEvent.objects.create(
        at=now,
        actor=actor.person,
        actor_label=actor.label(),
        verb=Verb.CHECK_IN_REFUSED,
        unit=actor.unit,
        note=note,
    )
