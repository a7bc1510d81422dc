"""Every write of the sites module (re-exported: `actions.book_visit`)."""

from shishi.sites.actions.bookings import (
    Visitor,
    book_route,
    book_visit,
    cancel_bookings,
    reschedule_booking,
    route_plan,
)
from shishi.sites.actions.checkin import check_in, find_ticket
from shishi.sites.actions.closures import add_closure, remove_closure
from shishi.sites.actions.decisions import confirm_booking, reject_booking
from shishi.sites.actions.sites import SiteData, add_photos, remove_photo, save_site
from shishi.sites.actions.worker import close_no_shows, expire_unconfirmed

__all__ = [
    "SiteData",
    "Visitor",
    "add_closure",
    "add_photos",
    "book_route",
    "book_visit",
    "cancel_bookings",
    "check_in",
    "close_no_shows",
    "confirm_booking",
    "expire_unconfirmed",
    "find_ticket",
    "reject_booking",
    "remove_closure",
    "remove_photo",
    "reschedule_booking",
    "route_plan",
    "save_site",
]
