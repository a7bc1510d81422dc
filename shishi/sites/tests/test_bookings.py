"""Booking a site's slot or a whole route: the seats are held in the booking's transaction,
never more than the slot takes; every bad request is refused with a Chinese message and
nothing held; cancelling frees the seats."""

from datetime import date, time, timedelta

import pytest
from django.db import IntegrityError, transaction

from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.sites import actions
from shishi.sites.models import Booking, BookingEvent, Closure, Slot
from shishi.sites.tests.conftest import JULY_1, NINE, NOW, TUESDAY, book, make_site, visitor
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def _held(site, day=JULY_1, start=NINE) -> int:
    slot = Slot.objects.filter(site=site, day=day, start=start).first()
    return slot.booked if slot else 0


def test_a_booking_holds_its_seats_and_texts_the_booker_and_the_site(site, town_clerk):
    # given a site run by 芝山街道 whose clerk has a phone
    town_clerk.phone = "13800000009"
    town_clerk.save()
    # when a school books 20 seats on 七一 at nine online
    booking = book(site, headcount=20, confirm=False)
    # then the slot holds 20 of its 50, the booking waits for the site, and both are told
    assert _held(site) == 20
    assert booking.status == Booking.Status.PENDING
    assert booking.code.startswith("ZZCF20260629-")
    texts = dict(OutboxMessage.objects.values_list("recipient", "body"))
    assert "预约号" in texts["13900001111"] and "7月1日09:00" in texts["13900001111"]
    assert "待参访点确认" in texts["13900001111"]
    assert "漳州第一中学" in texts["13800000009"] and "待确认" in texts["13800000009"]
    assert BookingEvent.objects.get(booking=booking).verb == BookingEvent.Verb.BOOKED


def test_the_last_seats_go_and_then_the_slot_is_full(site):
    book(site, headcount=45)
    book(site, headcount=5)

    with pytest.raises(Refused, match="已约满"):
        book(site, headcount=1)
    assert _held(site) == 50


def test_a_group_larger_than_the_seats_left_is_told_how_many_are_left(site):
    book(site, headcount=40)

    with pytest.raises(Refused, match="只剩10个名额"):
        book(site, headcount=11)
    assert _held(site) == 40
    assert Booking.objects.count() == 1


@pytest.mark.parametrize(
    ("day", "start", "headcount", "now", "message"),
    [
        (date(2026, 7, 6), NINE, 10, NOW, "周一）闭馆"),  # a Monday
        (JULY_1, time(17), 10, NOW, "不在.*开放时间内"),  # the last slot ends at 17:00
        (JULY_1, time(9, 30), 10, NOW, "不在.*开放时间内"),  # not a slot's start
        (JULY_1, NINE, 0, NOW, "至少为1人"),
        (JULY_1, NINE, 51, NOW, "每个时段最多接待50人"),
        (date(2026, 6, 28), NINE, 10, NOW, "已经过去的日期"),
        (TUESDAY, NINE, 10, at(2026, 6, 30, 9, 30), "已经开始"),
        (date(2026, 7, 30), NINE, 10, NOW, "最多可提前30天"),
    ],
)
def test_bad_requests_are_refused_and_nothing_is_held(site, day, start, headcount, now, message):
    with pytest.raises(Refused, match=message):
        book(site, day=day, start=start, headcount=headcount, now=now)
    assert Booking.objects.count() == 0
    assert Slot.objects.filter(booked__gt=0).count() == 0
    assert OutboxMessage.objects.count() == 0


def test_a_closed_day_is_refused_with_the_reason(site, town_clerk):
    actions.add_closure(
        site=site, start=JULY_1, end=JULY_1, reason="展陈改造", actor=actor_of(town_clerk), now=NOW
    )

    with pytest.raises(Refused, match="闭馆（展陈改造）"):
        book(site)
    assert Booking.objects.count() == 0


def test_the_days_ahead_setting_moves_the_horizon(site, settings):
    settings.SITES_BOOKING_DAYS_AHEAD = 3

    with pytest.raises(Refused, match="最多可提前3天"):
        book(site, day=date(2026, 7, 3))
    assert book(site, day=date(2026, 7, 2)).status == Booking.Status.BOOKED


def test_a_bad_phone_or_a_missing_name_is_refused(site):
    with pytest.raises(Refused, match="11位手机号码"):
        book(site, contact_phone="12345")
    with pytest.raises(Refused, match="单位（团体）名称"):
        book(site, organisation="  ")
    assert Booking.objects.count() == 0


def test_staff_book_only_for_units_of_their_subtree(site, tree, town_clerk):
    with pytest.raises(Refused, match="本单位及下级单位"):
        book(site, person=town_clerk, unit=tree["xiqiao"])

    booking = book(site, person=town_clerk, unit=tree["village"])
    assert booking.channel == Booking.Channel.STAFF
    assert booking.unit == tree["village"]


def test_the_database_refuses_more_seats_than_the_slot_has(site):
    # given a slot with 50 seats, 45 taken
    book(site, headcount=45)
    slot = Slot.objects.get(site=site)
    # when code that skipped the check wrote past the capacity, the database says no
    with pytest.raises(IntegrityError), transaction.atomic():
        Slot.objects.filter(pk=slot.pk).update(booked=51)
    slot.refresh_from_db()
    assert slot.booked == 45


def test_a_slot_keeps_the_capacity_it_was_opened_with(site):
    book(site, headcount=30)
    site.capacity = 20
    site.save()
    # the seats already held stay held; the slot still takes its 50
    assert book(site, headcount=20).slot.capacity == 50


# --- Routes -----------------------------------------------------------------------------------


def test_a_route_books_every_stop_in_order_on_its_days(route, site, sibling_site):
    bookings = actions.book_route(
        route=route, first_day=TUESDAY, visitor=visitor(20), actor=None, now=NOW
    )

    plan = [(b.site, b.day, b.slot.start) for b in bookings]
    assert plan == [
        (site, TUESDAY, time(9)),
        (sibling_site, TUESDAY, time(10)),  # after the 纪念馆's slot has ended
        (site, JULY_1, time(9)),
    ]
    assert len({b.group_code for b in bookings}) == 1
    assert OutboxMessage.objects.filter(recipient="13900001111").count() == 1


def test_a_route_with_one_stop_full_books_nothing(route, site, sibling_site):
    # given the 纪念碑 (30 a slot) is full all day on Tuesday
    for start in sibling_site.slot_starts():
        book(sibling_site, day=TUESDAY, start=start, headcount=30)
    held = {slot.pk: slot.booked for slot in Slot.objects.all()}
    # when a group books the route from Tuesday, it is refused, naming the stop
    with pytest.raises(Refused, match="西桥革命烈士纪念碑2026-06-30没有能容纳"):
        actions.book_route(route=route, first_day=TUESDAY, visitor=visitor(20), actor=None, now=NOW)
    # and not one seat more is held anywhere
    assert {slot.pk: slot.booked for slot in Slot.objects.all()} == held
    assert Booking.objects.filter(route=route).count() == 0


def test_a_route_whose_second_day_is_closed_books_nothing(route, site, town_clerk):
    actions.add_closure(
        site=site, start=JULY_1, end=JULY_1, reason="七一活动", actor=actor_of(town_clerk), now=NOW
    )

    with pytest.raises(Refused, match="七一活动"):
        actions.book_route(route=route, first_day=TUESDAY, visitor=visitor(), actor=None, now=NOW)
    assert Booking.objects.count() == 0
    assert Slot.objects.filter(booked__gt=0).count() == 0


# --- Cancelling -------------------------------------------------------------------------------


def test_cancelling_frees_the_seats_and_tells_the_booker(site, town_clerk):
    booking = book(site, headcount=50)

    actions.cancel_bookings(
        bookings=[booking], actor=actor_of(town_clerk), reason="馆内临时检修", now=NOW
    )

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert _held(site) == 0
    assert "馆内临时检修" in OutboxMessage.objects.filter(recipient="13900001111").latest("pk").body
    assert book(site, headcount=50).status == Booking.Status.BOOKED


def test_staff_must_say_why_they_cancel(site, town_clerk):
    booking = book(site)

    with pytest.raises(Refused, match="取消原因"):
        actions.cancel_bookings(bookings=[booking], actor=actor_of(town_clerk), reason="", now=NOW)
    assert _held(site) == 20


def test_an_outsider_cannot_cancel_and_a_visit_under_way_cannot_be_cancelled(site, outsider):
    booking = book(site)

    with pytest.raises(Refused, match="无权取消"):
        actions.cancel_bookings(bookings=[booking], actor=actor_of(outsider), reason="x", now=NOW)
    with pytest.raises(Refused, match="已经开始"):
        actions.cancel_bookings(bookings=[booking], actor=None, reason="", now=at(2026, 7, 1, 9, 5))
    assert _held(site) == 20


def test_a_cancelled_booking_cannot_be_cancelled_again(site):
    booking = book(site)
    actions.cancel_bookings(bookings=[booking], actor=None, reason="", now=NOW)

    with pytest.raises(Refused, match="已取消，不能取消"):
        actions.cancel_bookings(bookings=[booking], actor=None, reason="", now=NOW)
    assert _held(site) == 0


# --- Closures ---------------------------------------------------------------------------------


def test_a_closure_over_booked_days_is_refused(site, town_clerk):
    book(site)

    with pytest.raises(Refused, match="已有1个预约"):
        actions.add_closure(
            site=site,
            start=TUESDAY,
            end=JULY_1 + timedelta(days=2),
            reason="修缮",
            actor=actor_of(town_clerk),
            now=NOW,
        )
    assert Closure.objects.count() == 0


def test_only_the_site_s_unit_sets_closures(site, outsider):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        actions.add_closure(
            site=site, start=JULY_1, end=JULY_1, reason="x", actor=actor_of(outsider), now=NOW
        )


def test_generated_slots_follow_opening_hours(tree):
    site = make_site(
        tree["zhishan"], tree["xiangcheng"], name="某馆", opens_at=time(8, 30),
        closes_at=time(16, 30), slot_minutes=90,
    )  # fmt: skip
    assert site.slot_starts() == [time(8, 30), time(10), time(11, 30), time(13), time(14, 30)]
    assert site.open_days_text == "每周二至周日"


# --- Rescheduling -----------------------------------------------------------------------------


def test_rescheduling_moves_the_seats_and_voids_the_old_ticket(site, town_clerk):
    from shishi.sites import tickets

    booking = book(site, headcount=20)
    old_token = tickets.token_for(booking)

    actions.reschedule_booking(
        booking=booking, day=date(2026, 7, 2), start=time(10), actor=None, now=NOW
    )

    assert _held(site) == 0
    assert _held(site, date(2026, 7, 2), time(10)) == 20
    booking.refresh_from_db()
    assert booking.day == date(2026, 7, 2) and booking.slot.start == time(10)
    assert any(
        "已改期至7月2日10:00" in body
        for body in OutboxMessage.objects.values_list("body", flat=True)
    )
    with pytest.raises(Refused, match="预约已改期"):
        actions.check_in(
            presented=old_token,
            arrived=20,
            actor=actor_of(town_clerk),
            now=at(2026, 7, 1, 9),
        )


def test_rescheduling_into_a_full_slot_keeps_the_booking_where_it_was(site):
    booking = book(site, headcount=20)
    book(site, day=date(2026, 7, 2), headcount=40)

    with pytest.raises(Refused, match="只剩10个名额"):
        actions.reschedule_booking(
            booking=booking, day=date(2026, 7, 2), start=NINE, actor=None, now=NOW
        )

    booking.refresh_from_db()
    assert booking.day == JULY_1
    assert _held(site) == 20 and _held(site, date(2026, 7, 2)) == 40


def test_a_route_booking_is_not_rescheduled_stop_by_stop(route):
    bookings = actions.book_route(
        route=route, first_day=TUESDAY, visitor=visitor(), actor=None, now=NOW
    )

    with pytest.raises(Refused, match="线路预约不能单独改期"):
        actions.reschedule_booking(
            booking=bookings[0], day=date(2026, 7, 3), start=NINE, actor=None, now=NOW
        )


def test_rescheduling_to_a_closed_day_is_refused(site):
    booking = book(site)

    with pytest.raises(Refused, match="闭馆"):
        actions.reschedule_booking(
            booking=booking, day=date(2026, 7, 6), start=NINE, actor=None, now=NOW
        )
    assert _held(site) == 20
