"""确认 / 退回: an online booking waits 待确认 holding its seats; the site's staff confirm it
(its ticket then checks in) or reject it with a reason (the seats are free again at once); a
route's share is decided as a whole, by staff who run every stop; the booker is texted at
each step; a pending booking whose day ends expires (never a no-show)."""

from datetime import date, time

import pytest
from django.urls import reverse

from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.sites import actions, tickets
from shishi.sites.figures import collect
from shishi.sites.models import Booking, BookingEvent, Slot
from shishi.sites.tests.conftest import JULY_1, NINE, NOW, TUESDAY, book, visitor
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db

ON_THE_DAY = at(2026, 7, 1, 8, 55)
Verb = BookingEvent.Verb
Status = Booking.Status


def _held(site, day=JULY_1, start=NINE) -> int:
    slot = Slot.objects.filter(site=site, day=day, start=start).first()
    return slot.booked if slot else 0


def _texts_to(phone="13900001111") -> list[str]:
    return list(
        OutboxMessage.objects.filter(recipient=phone).order_by("pk").values_list("body", flat=True)
    )


def _route(route):
    return actions.book_route(
        route=route, first_day=TUESDAY, visitor=visitor(20), actor=None, now=NOW
    )


# --- Confirming --------------------------------------------------------------------------------


def test_the_site_confirms_a_pending_booking_and_its_ticket_then_checks_in(site, town_clerk):
    # given an online booking: pending, its 20 seats already held
    booking = book(site, confirm=False)
    assert booking.status == Status.PENDING and _held(site) == 20
    # when the site's clerk confirms it
    (done,) = actions.confirm_booking(booking=booking, actor=actor_of(town_clerk), now=NOW)
    assert done.pk == booking.pk
    # then it is 已预约, the seats stay held (not taken twice), the booker is texted
    booking.refresh_from_db()
    assert booking.status == Status.BOOKED and booking.decided_at == NOW
    assert _held(site) == 20
    assert "已经参访点确认" in _texts_to()[-1]
    event = BookingEvent.objects.get(verb=Verb.CONFIRMED)
    assert event.booking == booking and event.from_state == Status.PENDING
    # and its ticket checks in on the day
    checked = actions.check_in(
        presented=tickets.token_for(booking), arrived=20, actor=actor_of(town_clerk), now=ON_THE_DAY
    )
    assert checked.status == Status.CHECKED_IN


def test_a_booking_is_decided_once(site, town_clerk):
    booking = book(site, confirm=False)
    actions.confirm_booking(booking=booking, actor=actor_of(town_clerk), now=NOW)

    with pytest.raises(Refused, match="已预约，不是待确认的预约"):
        actions.reject_booking(booking=booking, actor=actor_of(town_clerk), reason="满了", now=NOW)
    assert _held(site) == 20


def test_a_stale_copy_cannot_decide_what_was_decided_meanwhile(site, town_clerk):
    booking = book(site, confirm=False)
    stale = Booking.objects.get(pk=booking.pk)
    actions.reject_booking(booking=booking, actor=actor_of(town_clerk), reason="闭馆布展", now=NOW)

    with pytest.raises(Refused, match="刚刚已被处理"):
        actions.confirm_booking(booking=stale, actor=actor_of(town_clerk), now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == Status.REJECTED


def test_the_site_s_own_staff_booking_is_confirmed_as_it_is_made(site, town_clerk, outsider):
    # the site's clerk registers a visit agreed by phone: confirmed at once
    own = book(site, person=town_clerk, confirm=False)
    assert own.status == Status.BOOKED
    # another unit's clerk books at a site it does not run: the site confirms it
    other = book(site, person=outsider, confirm=False)
    assert other.status == Status.PENDING
    assert "待参访点确认" in BookingEvent.objects.get(booking=other, verb=Verb.BOOKED).note


# --- Rejecting ---------------------------------------------------------------------------------


def test_rejecting_needs_a_reason_then_frees_the_seats_for_another_group(site, town_clerk):
    # given a pending booking that took all 50 seats of 七一 at nine
    booking = book(site, headcount=50, confirm=False)
    with pytest.raises(Refused, match="已约满"):
        book(site, headcount=10, confirm=False)
    # a reason is required
    with pytest.raises(Refused, match="请填写退回原因"):
        actions.reject_booking(booking=booking, actor=actor_of(town_clerk), reason="  ", now=NOW)
    assert _held(site) == 50
    # when the site rejects it, saying why
    actions.reject_booking(
        booking=booking, actor=actor_of(town_clerk), reason="当日安排上级调研接待", now=NOW
    )
    # then it is 已退回 with the reason, the seats are free, the booker is told why
    booking.refresh_from_db()
    assert booking.status == Status.REJECTED and booking.reject_reason == "当日安排上级调研接待"
    assert _held(site) == 0
    assert "当日安排上级调研接待" in _texts_to()[-1] and "退回" in _texts_to()[-1]
    assert BookingEvent.objects.get(verb=Verb.REJECTED).note == "当日安排上级调研接待"
    # and another group books the freed seats
    assert book(site, headcount=50, confirm=False).status == Status.PENDING
    assert _held(site) == 50


def test_a_visit_under_way_or_a_past_day_cannot_be_rejected(site, town_clerk):
    booking = book(site, confirm=False)

    with pytest.raises(Refused, match="已经开始，不能退回"):
        actions.reject_booking(
            booking=booking, actor=actor_of(town_clerk), reason="x", now=at(2026, 7, 1, 9, 5)
        )
    with pytest.raises(Refused, match="参观日期已过"):
        actions.confirm_booking(booking=booking, actor=actor_of(town_clerk), now=at(2026, 7, 2, 9))
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING


# --- Who decides ------------------------------------------------------------------------------


def test_only_the_site_s_staff_decide(site, town_clerk, outsider, tree):
    # the booking unit's own staff (西桥, booking at 芝山's site) cannot confirm it
    booking = book(site, person=outsider, confirm=False)

    with pytest.raises(Refused, match="只有参访点的管理单位"):
        actions.confirm_booking(booking=booking, actor=actor_of(outsider), now=NOW)
    with pytest.raises(Refused, match="只有参访点的管理单位"):
        actions.reject_booking(booking=booking, actor=actor_of(outsider), reason="x", now=NOW)
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING


def test_other_units_find_nothing_and_the_booking_unit_is_not_allowed(
    site, town_clerk, outsider, lantian_clerk, login, clock
):
    booking = book(site, person=outsider, confirm=False)
    confirm = reverse("sites:confirm", args=[booking.pk])
    reject = reverse("sites:reject", args=[booking.pk])

    # a unit that neither runs the site nor booked: not even told it exists
    stranger = login(lantian_clerk)
    assert stranger.post(confirm).status_code == 404
    assert stranger.post(reject, {"reason": "x"}).status_code == 404
    # the booking unit sees its booking but may not decide it
    booker = login(outsider)
    page = booker.get(reverse("sites:booking", args=[booking.pk])).content.decode()
    assert "待参访点确认" in page and 'data-testid="decide"' not in page
    assert booker.post(confirm).status_code == 403
    assert Booking.objects.get(pk=booking.pk).status == Status.PENDING
    # the site's clerk has both forms, each asking before it sends
    page = login(town_clerk).get(reverse("sites:booking", args=[booking.pk])).content.decode()
    assert 'data-testid="decide"' in page and page.count("data-confirm=") >= 3
    assert 'name="reason"' in page


# --- Routes: the share as a whole --------------------------------------------------------------


def test_a_route_is_confirmed_as_a_whole_by_staff_who_run_every_stop(
    route, site, sibling_site, town_clerk, county_clerk
):
    bookings = _route(route)
    assert {b.status for b in bookings} == {Status.PENDING}

    # 芝山 runs two stops but not 西桥's: it cannot confirm the route alone
    with pytest.raises(Refused, match="全部参访点的单位一并确认"):
        actions.confirm_booking(booking=bookings[0], actor=actor_of(town_clerk), now=NOW)
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.PENDING}
    # the county, which runs them all, confirms every stop at once, with one text
    before = len(_texts_to())
    done = actions.confirm_booking(booking=bookings[1], actor=actor_of(county_clerk), now=NOW)
    assert len(done) == 3
    assert set(Booking.objects.values_list("status", flat=True)) == {Status.BOOKED}
    assert len(_texts_to()) == before + 1 and bookings[0].group_code in _texts_to()[-1]


def test_rejecting_a_route_releases_every_stop_s_seats(route, site, sibling_site, county_clerk):
    bookings = _route(route)
    assert _held(site, TUESDAY) == 20 and _held(sibling_site, TUESDAY, time(10)) == 20

    actions.reject_booking(
        booking=bookings[2], actor=actor_of(county_clerk), reason="线路讲解员不足", now=NOW
    )

    assert set(Booking.objects.values_list("status", flat=True)) == {Status.REJECTED}
    assert Slot.objects.filter(booked__gt=0).count() == 0
    assert BookingEvent.objects.filter(verb=Verb.REJECTED).count() == 3


def test_the_review_panel_lists_what_the_actor_may_decide(
    route, site, town_clerk, county_clerk, login, clock
):
    single = book(site, day=date(2026, 7, 2), confirm=False, organisation="芝山小学")
    _route(route)

    town = login(town_clerk).get(reverse("staff:home")).content.decode()
    county = login(county_clerk).get(reverse("staff:home")).content.decode()

    # 芝山 decides its own single booking; the route (a stop at 西桥) is the county's
    assert "待我审核" in town and "芝山小学" in town and "芗城红色一日游" not in town
    assert reverse("sites:booking", args=[single.pk]) in town
    assert "芝山小学" in county and "芗城红色一日游" in county
    assert county.count("芗城红色一日游") == 1  # the route once, not per stop


# --- Check-in, the end of the day ---------------------------------------------------------------


def test_check_in_refuses_a_pending_or_rejected_booking_and_logs_it(site, town_clerk):
    waiting = book(site, confirm=False)
    turned_away = book(site, headcount=5, confirm=False)
    actions.reject_booking(
        booking=turned_away, actor=actor_of(town_clerk), reason="人数超出讲解能力", now=NOW
    )

    with pytest.raises(Refused, match="尚待参访点确认，不能签到"):
        actions.check_in(
            presented=waiting.code, arrived=20, actor=actor_of(town_clerk), now=ON_THE_DAY
        )
    with pytest.raises(Refused, match="已被参访点退回（人数超出讲解能力）"):
        actions.check_in(
            presented=tickets.token_for(turned_away),
            arrived=5,
            actor=actor_of(town_clerk),
            now=ON_THE_DAY,
        )
    refused = BookingEvent.objects.filter(verb=Verb.CHECK_IN_REFUSED)
    assert sorted(refused.values_list("booking_id", flat=True)) == sorted(
        [waiting.pk, turned_away.pk]
    )
    assert not Booking.objects.filter(status=Status.CHECKED_IN).exists()


def test_a_pending_booking_whose_day_ends_expires_and_is_never_a_no_show(site, town_clerk):
    confirmed = book(site)
    waiting = book(site, headcount=10, confirm=False)
    ahead = book(site, day=date(2026, 7, 2), headcount=5, confirm=False)

    # during the visit day nothing closes
    assert actions.expire_unconfirmed(now=at(2026, 7, 1, 23, 59)) == 0
    # the next morning: the confirmed one is a no-show, the pending one expired, once
    assert actions.close_no_shows(now=at(2026, 7, 2, 0, 30)) == 1
    assert actions.expire_unconfirmed(now=at(2026, 7, 2, 0, 30)) == 1
    assert actions.expire_unconfirmed(now=at(2026, 7, 2, 1, 30)) == 0

    statuses = dict(Booking.objects.values_list("pk", "status"))
    assert statuses == {
        confirmed.pk: Status.NO_SHOW,
        waiting.pk: Status.EXPIRED,
        ahead.pk: Status.PENDING,
    }
    assert BookingEvent.objects.get(verb=Verb.EXPIRED).booking_id == waiting.pk


# --- Cancelling and moving a pending booking ---------------------------------------------------


def test_a_pending_booking_can_be_cancelled_and_its_seats_freed(site):
    booking = book(site, confirm=False)

    actions.cancel_bookings(bookings=[booking], actor=None, reason="行程有变", now=NOW)

    booking.refresh_from_db()
    assert booking.status == Status.CANCELLED and _held(site) == 0
    event = BookingEvent.objects.get(verb=Verb.CANCELLED)
    assert event.from_state == Status.PENDING
    assert "已取消" in _texts_to()[-1]


def test_moving_a_booking_online_keeps_or_makes_it_pending(site, town_clerk):
    # a pending booking moved by the booker stays pending
    waiting = book(site, confirm=False)
    actions.reschedule_booking(
        booking=waiting, day=date(2026, 7, 2), start=NINE, actor=None, now=NOW
    )
    assert Booking.objects.get(pk=waiting.pk).status == Status.PENDING
    assert "待参访点确认" in _texts_to()[-1]
    # a confirmed one moved by the booker waits again: the site agreed to the old time
    confirmed = book(site, start=time(10), headcount=5)
    actions.reschedule_booking(
        booking=confirmed, day=date(2026, 7, 3), start=NINE, actor=None, now=NOW
    )
    assert Booking.objects.get(pk=confirmed.pk).status == Status.PENDING
    # moved by the site's own clerk, it is confirmed as it moves
    actions.reschedule_booking(
        booking=confirmed, day=date(2026, 7, 4), start=NINE, actor=actor_of(town_clerk), now=NOW
    )
    assert Booking.objects.get(pk=confirmed.pk).status == Status.BOOKED
    assert _held(site, date(2026, 7, 2)) == 20 and _held(site, date(2026, 7, 4)) == 5
    assert _held(site, date(2026, 7, 3)) == 0 and _held(site) == 0


# --- Pages and figures -------------------------------------------------------------------------


def test_the_booking_list_has_a_pending_tab_with_its_count(site, town_clerk, login, clock):
    book(site, confirm=False, organisation="待确认的学校")
    book(site, start=time(10), organisation="已确认的支部")
    client = login(town_clerk)

    page = client.get(reverse("sites:bookings")).content.decode()
    assert 'data-testid="pending-tab"' in page and "待确认 <span" in page
    assert ">1</span></a>" in page
    pending = client.get(reverse("sites:bookings"), {"status": "pending"}).content.decode()
    assert "待确认的学校" in pending and "已确认的支部" not in pending


def test_the_staff_confirm_and_reject_through_the_pages(site, town_clerk, login, clock):
    first = book(site, confirm=False)
    second = book(site, start=time(10), confirm=False, contact_phone="13900002222")
    client = login(town_clerk)

    done = client.post(reverse("sites:confirm", args=[first.pk]), follow=True).content.decode()
    assert "预约已确认" in done and "<svg" in done  # the ticket is live
    empty = client.post(reverse("sites:reject", args=[second.pk]), {"reason": ""}, follow=True)
    assert "退回原因" in empty.content.decode()
    assert Booking.objects.get(pk=second.pk).status == Status.PENDING
    client.post(reverse("sites:reject", args=[second.pk]), {"reason": "讲解员外出培训"})
    assert Booking.objects.get(pk=second.pk).status == Status.REJECTED


def test_the_visitor_reads_why_a_booking_was_rejected(site, town_clerk, client, clock):
    booking = book(site, confirm=False)
    actions.reject_booking(
        booking=booking, actor=actor_of(town_clerk), reason="展厅布展调整", now=NOW
    )
    client.post("/sites/tickets/", {"code": booking.code, "phone_tail": "1111"})

    ticket = client.get(f"/sites/tickets/{booking.code}/").content.decode()
    mine = client.get("/sites/tickets/").content.decode()

    assert "已退回" in ticket and "展厅布展调整" in ticket and "<svg" not in ticket
    assert 'data-testid="cancel"' not in ticket
    assert "退回原因：展厅布展调整" in mine


def test_pending_and_rejected_bookings_are_not_counted_as_visits(site, town_clerk, tree):
    came = book(site, headcount=30)
    book(site, start=time(10), headcount=10, confirm=False)  # expires
    refused = book(site, start=time(11), headcount=5, confirm=False)
    actions.reject_booking(booking=refused, actor=actor_of(town_clerk), reason="满", now=NOW)
    actions.check_in(presented=came.code, arrived=28, actor=actor_of(town_clerk), now=ON_THE_DAY)
    actions.expire_unconfirmed(now=at(2026, 7, 2, 1))

    counts = collect(date(2026, 7, 1), date(2026, 8, 1), date(2026, 7, 20))[tree["zhishan"].pk]

    assert counts["booked"] == 1 and counts["seats_booked"] == 30
    assert counts["batches"] == 1 and counts["visits"] == 28
    assert counts.get("no_show", 0) == 0


def test_the_move_form_starts_at_the_booking_s_day(site, town_clerk, login, clock):
    booking = book(site, confirm=False)

    page = login(town_clerk).get(reverse("sites:booking", args=[booking.pk])).content.decode()

    # ISO, or the browser's date field shows empty
    assert 'type="date" name="day" value="2026-07-01"' in page


def test_a_pending_group_due_today_is_listed_for_confirming_first(site, town_clerk, login, clock):
    waiting = book(site, confirm=False, organisation="待确认的学校")
    book(site, start=time(10), organisation="已确认的支部")
    clock(at(2026, 7, 1, 8, 50))

    page = login(town_clerk).get(reverse("sites:checkin")).content.decode()

    assert "待确认的学校" in page and "已确认的支部" in page
    assert reverse("sites:booking", args=[waiting.pk]) in page  # 待确认: open it to confirm
    assert page.count('name="ticket" value="ZZCF') == 1  # only the confirmed one checks in
