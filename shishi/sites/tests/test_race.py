"""Many groups racing for the last seats: never more seats given than the slot has. Each
thread has its own connection and transaction: on PostgreSQL the slot row lock (SELECT …
FOR UPDATE) keeps the count right, on SQLite the IMMEDIATE transactions let one writer in at
a time (settings.py); the constraint test in test_bookings.py covers the backstop."""

import pytest

from shishi.core.errors import Refused
from shishi.sites import actions
from shishi.sites.models import Booking, Slot
from shishi.sites.tests.conftest import JULY_1, NINE, NOW, TUESDAY, book, make_site, visitor
from shishi.testing import run_at_once

pytestmark = [pytest.mark.django_db(transaction=True)]


def test_twelve_groups_racing_for_fifty_seats_get_five_bookings(tree):
    # given a slot of 50 seats nobody has booked yet (its row does not exist either)
    site = make_site(tree["zhishan"], tree["xiangcheng"])
    # when twelve groups of ten book it at the same moment
    results = run_at_once(lambda: book(site, headcount=10, confirm=False), threads=12)
    # then five got in, seven were told it is full, and 50 seats are held — not one more
    booked = [r for r in results if isinstance(r, Booking)]
    refused = [r for r in results if isinstance(r, Refused)]
    assert len(booked) == 5 and len(refused) == 7, results
    slot = Slot.objects.get(site=site, day=JULY_1, start=NINE)
    assert slot.booked == 50
    assert sum(Booking.objects.filter(slot=slot).values_list("headcount", flat=True)) == 50
    assert len({b.code for b in booked}) == 5


def test_route_bookings_racing_for_shared_stops_never_overbook_or_deadlock(tree):
    # given two sites of 30 seats and a route through both on one day
    from shishi.sites.models import Route, RouteStop

    first = make_site(tree["zhishan"], tree["xiangcheng"], name="甲馆", capacity=30)
    second = make_site(tree["xiqiao"], tree["xiangcheng"], name="乙馆", capacity=30)
    route = Route.objects.create(name="甲乙线")
    RouteStop.objects.create(route=route, site=first, day=1, order=1)
    RouteStop.objects.create(route=route, site=second, day=1, order=2)

    def route_or_single(index: int):
        if index % 2:
            return actions.book_route(
                route=route, first_day=TUESDAY, visitor=visitor(10), actor=None, now=NOW
            )
        return book(second, day=TUESDAY, start=NINE, headcount=10, confirm=False)

    counter = iter(range(100))
    results = run_at_once(lambda: route_or_single(next(counter)), threads=10)
    # then no slot holds more than it has and the counts equal the bookings
    errors = [r for r in results if isinstance(r, Exception) and not isinstance(r, Refused)]
    assert errors == []
    for slot in Slot.objects.all():
        held = Booking.objects.filter(slot=slot).exclude(
            status__in=(Booking.Status.CANCELLED, Booking.Status.REJECTED)
        )
        assert slot.booked <= slot.capacity
        assert slot.booked == sum(held.values_list("headcount", flat=True))
