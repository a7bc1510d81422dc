"""Tickets and check-in: the QR code carries a signed token (booking id and day, nothing
personal); a site's staff check a group in once, on the visit day; a changed, stale, reused
or another site's ticket is refused and logged. At the end of the day the worker closes the
bookings nobody checked in as no-shows."""

import time as clock_time
from datetime import date

import pytest
from django.core import signing

from shishi.core.errors import Refused
from shishi.sites import actions, tickets
from shishi.sites.models import Booking, BookingEvent
from shishi.sites.tests.conftest import NOW, book
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

ON_THE_DAY = at(2026, 7, 1, 8, 55)
Verb = BookingEvent.Verb


def _refusals() -> list[str]:
    return list(
        BookingEvent.objects.filter(verb=Verb.CHECK_IN_REFUSED).values_list("note", flat=True)
    )


def test_the_ticket_carries_nothing_personal(site):
    booking = book(site)

    token = tickets.token_for(booking)

    payload = signing.loads(token, salt=tickets.SALT)
    assert payload == {"b": booking.pk, "d": "2026-07-01"}
    assert "13900001111" not in token and "陈老师" not in token
    assert "<svg" in tickets.qr_svg(booking)


def test_the_site_checks_a_group_in_once_with_the_people_who_came(site, town_clerk):
    booking = book(site, headcount=20)
    token = tickets.token_for(booking)

    done = actions.check_in(presented=token, arrived=18, actor=actor_of(town_clerk), now=ON_THE_DAY)

    assert done.status == Booking.Status.CHECKED_IN and done.arrived == 18
    with pytest.raises(Refused, match="已于07-01 08:55签到，票据不能重复使用"):
        actions.check_in(presented=token, arrived=18, actor=actor_of(town_clerk), now=ON_THE_DAY)
    assert len(_refusals()) == 1
    booking.refresh_from_db()
    assert booking.arrived == 18


def test_the_booking_code_can_be_typed_instead(site, town_clerk):
    booking = book(site)

    actions.check_in(
        presented=f" {booking.code.lower()} ",
        arrived=20,
        actor=actor_of(town_clerk),
        now=ON_THE_DAY,
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN


def test_a_changed_token_is_refused_and_logged(site, town_clerk):
    booking = book(site)
    token = tickets.token_for(booking)
    other = book(site, headcount=5)
    # the payload swapped for another booking's, the signature kept
    forged = tickets.token_for(other).split(":")[0] + ":" + token.split(":", 1)[1]

    with pytest.raises(Refused, match="无效"):
        actions.check_in(presented=forged, arrived=5, actor=actor_of(town_clerk), now=ON_THE_DAY)
    with pytest.raises(Refused, match="无效"):
        actions.check_in(
            presented=token[:-2] + "xx", arrived=5, actor=actor_of(town_clerk), now=ON_THE_DAY
        )
    assert Booking.objects.filter(status=Booking.Status.CHECKED_IN).count() == 0
    assert len(_refusals()) == 2


def test_a_ticket_works_on_its_day_only(site, town_clerk):
    booking = book(site)
    token = tickets.token_for(booking)

    with pytest.raises(Refused, match="仅限2026-07-01当天使用，还未到参观日期"):
        actions.check_in(presented=token, arrived=5, actor=actor_of(town_clerk), now=NOW)
    with pytest.raises(Refused, match="已过期"):
        actions.check_in(
            presented=token, arrived=5, actor=actor_of(town_clerk), now=at(2026, 7, 2, 9)
        )
    assert len(_refusals()) == 2


def test_a_stale_token_is_refused(site, town_clerk, monkeypatch):
    booking = book(site)
    token = tickets.token_for(booking)
    # the signature's clock, 33 days on (a ticket is never shown more than 30 days ahead)
    later = clock_time.time() + 33 * 86400
    monkeypatch.setattr(signing.time, "time", lambda: later)

    with pytest.raises(Refused, match="票据已过期"):
        actions.check_in(presented=token, arrived=5, actor=actor_of(town_clerk), now=ON_THE_DAY)
    assert len(_refusals()) == 1


def test_another_site_s_staff_cannot_check_in_its_ticket(site, outsider):
    booking = book(site)

    with pytest.raises(Refused, match="不属于您管理的参访点"):
        actions.check_in(
            presented=tickets.token_for(booking),
            arrived=5,
            actor=actor_of(outsider),
            now=ON_THE_DAY,
        )
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED
    # logged on the outsider's side, not on the booking's timeline
    refusal = BookingEvent.objects.get(verb=Verb.CHECK_IN_REFUSED)
    assert refusal.booking is None and refusal.unit.name == "西桥街道"


def test_more_people_than_booked_are_refused_and_the_ticket_stays_valid(site, town_clerk):
    booking = book(site, headcount=20)
    token = tickets.token_for(booking)

    with pytest.raises(Refused, match="不能超过预约人数（20人）"):
        actions.check_in(presented=token, arrived=25, actor=actor_of(town_clerk), now=ON_THE_DAY)

    assert (
        actions.check_in(
            presented=token, arrived=20, actor=actor_of(town_clerk), now=ON_THE_DAY
        ).arrived
        == 20
    )


def test_a_cancelled_booking_cannot_check_in(site, town_clerk):
    booking = book(site)
    actions.cancel_bookings(bookings=[booking], actor=None, reason="", now=NOW)

    with pytest.raises(Refused, match="已取消"):
        actions.check_in(
            presented=booking.code, arrived=5, actor=actor_of(town_clerk), now=ON_THE_DAY
        )


# --- No-shows ---------------------------------------------------------------------------------


def test_the_worker_closes_bookings_nobody_checked_in_once_their_day_is_over(site, town_clerk):
    came = book(site)
    missed = book(site, headcount=10)
    later = book(site, day=date(2026, 7, 2))
    actions.check_in(presented=came.code, arrived=20, actor=actor_of(town_clerk), now=ON_THE_DAY)

    # during the visit day nothing is closed
    assert actions.close_no_shows(now=at(2026, 7, 1, 23, 59)) == 0
    # the next morning the one that never came is a no-show, once
    assert actions.close_no_shows(now=at(2026, 7, 2, 0, 30)) == 1
    assert actions.close_no_shows(now=at(2026, 7, 2, 1, 30)) == 0

    statuses = {b.pk: b.status for b in Booking.objects.all()}
    assert statuses == {
        came.pk: Booking.Status.CHECKED_IN,
        missed.pk: Booking.Status.NO_SHOW,
        later.pk: Booking.Status.BOOKED,
    }
    assert BookingEvent.objects.get(verb=Verb.NO_SHOW).booking_id == missed.pk


def test_the_auditor_reads_bookings_check_ins_and_refused_tickets(site, town_clerk, auditor, login):
    booking = book(site)
    actions.check_in(presented=booking.code, arrived=20, actor=actor_of(town_clerk), now=ON_THE_DAY)
    with pytest.raises(Refused):
        actions.check_in(
            presented="forged:token", arrived=1, actor=actor_of(town_clerk), now=ON_THE_DAY
        )

    response = login(auditor).get("/staff/audit/", {"source": "bookings"})

    rows = list(response.context["page"].object_list)
    assert {e.verb for e in rows} == {
        Verb.BOOKED,
        Verb.CONFIRMED,
        Verb.CHECKED_IN,
        Verb.CHECK_IN_REFUSED,
    }
    assert {e.target_text for e in rows} == {booking.code, "票据（未识别）"}
    page = response.content.decode()
    assert "签到被拒" in page
