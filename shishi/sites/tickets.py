"""电子票 — the QR code of a booking: a signed token with the booking's id and visit day
(nothing personal), valid on the visit day only. The code is the address of the check-in
page with the token, so a site's staff can scan it with any phone camera; the booking code
printed beside it can be typed instead."""

from dataclasses import dataclass
from datetime import date, timedelta

import segno
from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.safestring import SafeString, mark_safe

from shishi.core.errors import Refused
from shishi.sites.models import Booking

SALT = "shishi.sites.ticket"


def days_ahead() -> int:
    """How many days ahead a visit may be booked (`SITES_BOOKING_DAYS_AHEAD`, default 30)."""
    return getattr(settings, "SITES_BOOKING_DAYS_AHEAD", 30)


def token_for(booking: Booking) -> str:
    return signing.dumps({"b": booking.pk, "d": booking.day.isoformat()}, salt=SALT, compress=True)


@dataclass(frozen=True)
class Ticket:
    booking_id: int
    day: date


def read_token(token: str) -> Ticket:
    """The booking a token names, if we signed it and it is not older than any booking
    could be; a changed or stale token is refused (the caller logs it)."""
    # A ticket is shown from the moment of booking, at most days_ahead() before the visit.
    max_age = timedelta(days=days_ahead() + 2)
    try:
        data = signing.loads(token.strip(), salt=SALT, max_age=max_age)
        return Ticket(int(data["b"]), date.fromisoformat(data["d"]))
    except signing.SignatureExpired as error:
        raise Refused("票据已过期，请让预约人重新打开电子票") from error
    except (signing.BadSignature, KeyError, TypeError, ValueError) as error:
        raise Refused("票据无效（二维码不完整或被篡改），请核对预约号") from error


def check_in_url(booking: Booking) -> str:
    return f"{settings.PUBLIC_URL}{reverse('sites:checkin')}?t={token_for(booking)}"


def qr_svg(booking: Booking) -> SafeString:
    """The ticket's QR code as inline SVG (no script, no inline style: CSP-clean)."""
    code = segno.make(check_in_url(booking), error="m")
    return mark_safe(code.svg_inline(scale=4, dark="#000", light="#fff", border=2))
