"""The worker's side of bookings: at the end of a visit day, confirmed bookings nobody
checked in are closed as 未到场 (no-shows), and bookings the site never confirmed as 逾期未确认
(expired: not the group's fault, so never counted as a no-show), in batches claimed with a
conditional UPDATE. Neither texts anyone (the day is over) nor releases the seats (the slot
is past; they were held that day)."""

from datetime import datetime

from django.utils import timezone

from shishi.core import supervision
from shishi.core.indexes import literal_in
from shishi.sites import events
from shishi.sites.models import Booking


def close_no_shows(*, now: datetime) -> int:
    """未到场: every booking still open whose visit day has ended. Idempotent."""
    rows = Booking.objects.filter(
        literal_in(Booking, "status", [Booking.Status.BOOKED])
    ).select_related("site", "site__unit")
    return supervision.close_due(
        rows,
        due_field="day",
        today=timezone.localdate(now),
        changes={"status": Booking.Status.NO_SHOW},
        record=lambda booking: events.no_show(booking, now=now),
    )


def expire_unconfirmed(*, now: datetime) -> int:
    """逾期未确认: every booking still pending whose visit day has ended. Idempotent."""
    rows = Booking.objects.filter(
        literal_in(Booking, "status", [Booking.Status.PENDING])
    ).select_related("site", "site__unit")
    return supervision.close_due(
        rows,
        due_field="day",
        today=timezone.localdate(now),
        changes={"status": Booking.Status.EXPIRED},
        record=lambda booking: events.expired(booking, now=now),
    )
