"""The worker's side of bookings: at the end of a visit day, bookings nobody checked in are
closed as 未到场 (no-shows), in batches claimed with a conditional UPDATE."""

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
