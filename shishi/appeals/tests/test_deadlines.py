"""Deadlines per category and kind, in working days across holidays and 调休 (DESIGN §4–5).

Computed by hand from the State Council schedules:
- Spring Festival 2024: 02-10..02-17 off; Sundays 02-04 and 02-18 are make-up working days.
- National Day 2021: 10-01..10-07 off; Sunday 09-26 and Saturday 10-09 are make-up working days.
Counting is strictly after the start day.
"""

from datetime import date

import pytest

from shishi.appeals import actions
from shishi.appeals.deadlines import limits_for
from shishi.appeals.models import Category, Kind, Verdict
from shishi.appeals.tests.conftest import ACCIDENT, HOUSING, SAFETY
from shishi.appeals.tests.helpers import at, fresh

pytestmark = pytest.mark.django_db


def _dispatched(desk, *, now, kind=Kind.CONSULT, category=HOUSING):
    appeal = desk.submit(now=now, kind=kind, category=category)
    return desk.dispatch(appeal, to="xiangcheng", now=now)


# --- Spring Festival 2024 ------------------------------------------------------------------------


def test_consultation_dispatched_before_spring_festival_is_due_after_the_make_up_sunday(desk):
    # given a 咨询 (3 working days) dispatched on Thursday 2024-02-08
    appeal = _dispatched(desk, now=at(2024, 2, 8))

    # then 02-09 (1), 02-10..17 off, Sunday 02-18 make-up (2), 02-19 (3)
    assert appeal.handle_due == date(2024, 2, 19)
    assert appeal.due_estimated is False
    assert appeal.dispatches.get().sign_due == date(2024, 2, 9)


def test_help_request_dispatched_before_spring_festival_is_due_on_02_21(desk):
    # given a 求助 (5 working days) dispatched on Thursday 2024-02-08
    appeal = _dispatched(desk, now=at(2024, 2, 8), kind=Kind.HELP)

    # then 02-09, 02-18, 02-19, 02-20, 02-21
    assert appeal.handle_due == date(2024, 2, 21)


def test_dispatch_on_the_last_day_before_the_festival_must_be_signed_on_the_make_up_sunday(desk):
    # given an appeal dispatched to 芝山街道 on Friday 2024-02-09
    appeal = desk.submit(now=at(2024, 2, 9))
    desk.dispatch(appeal, to="zhishan", now=at(2024, 2, 9))

    # when the town signs on the make-up Sunday 02-18
    desk.sign(appeal, now=at(2024, 2, 18, 17))

    # then the signing deadline was that Sunday, and the town made it
    dispatch = appeal.dispatches.get()
    assert dispatch.sign_due == date(2024, 2, 18)
    assert dispatch.signed_on_time is True


def test_signing_on_the_monday_after_the_festival_is_late(desk):
    # given an appeal dispatched to 芝山街道 on Friday 2024-02-09 (sign by Sunday 02-18)
    appeal = desk.submit(now=at(2024, 2, 9))
    desk.dispatch(appeal, to="zhishan", now=at(2024, 2, 9))

    # when the town signs on Monday 02-19
    desk.sign(appeal, now=at(2024, 2, 19, 9))

    # then the signing is late: the make-up Sunday was a working day
    assert appeal.dispatches.get().signed_on_time is False


def test_deadline_counts_from_the_business_date_not_the_utc_date(desk):
    # given a 咨询 dispatched at 00:30 Beijing time on 02-09 (still 02-08 in UTC)
    appeal = _dispatched(desk, now=at(2024, 2, 9, 0, 30))

    # then it counts from 02-09: 02-18, 02-19, 02-20
    assert appeal.handle_due == date(2024, 2, 20)


def test_approved_extension_skips_the_festival(desk):
    # given a 咨询 dispatched to 芝山街道 on Tuesday 02-06, due Friday 02-09, signed
    appeal = desk.submit(now=at(2024, 2, 6), kind=Kind.CONSULT)
    desk.dispatch(appeal, to="zhishan", now=at(2024, 2, 6))
    desk.sign(appeal, now=at(2024, 2, 6))
    assert fresh(appeal).handle_due == date(2024, 2, 9)

    # when 2 more working days are granted
    review = actions.request_extension(
        appeal=appeal, actor=desk.town, days=2, reason="节前无法完成", now=at(2024, 2, 8)
    )
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=True, note="", now=at(2024, 2, 8)
    )

    # then the deadline moves to 02-18 (make-up Sunday), 02-19
    assert fresh(appeal).handle_due == date(2024, 2, 19)


# --- National Day 2021 ---------------------------------------------------------------------------


def test_complaint_dispatched_before_national_day_counts_the_make_up_saturday(desk):
    # given a 投诉 (13 working days) dispatched on Tuesday 2021-09-28
    appeal = _dispatched(desk, now=at(2021, 9, 28), kind=Kind.COMPLAINT)

    # then 09-29, 09-30 (2), 10-08, Saturday 10-09 (4), 10-11..15 (9), 10-18..21 (13)
    assert appeal.handle_due == date(2021, 10, 21)


def test_dispatch_on_the_friday_before_must_be_signed_on_the_make_up_sunday(desk):
    # given an appeal dispatched on Friday 2021-09-24
    appeal = _dispatched(desk, now=at(2021, 9, 24))

    # then it must be signed on Sunday 09-26, a make-up working day
    assert appeal.dispatches.get().sign_due == date(2021, 9, 26)


def test_callback_window_after_a_reply_on_the_eve_of_national_day(desk):
    # given an appeal answered on Thursday 2021-09-30
    appeal = desk.replied(now=at(2021, 9, 30))

    # then the citizen has until 10-08, Saturday 10-09, 10-11 to evaluate it
    assert appeal.callback_due == date(2021, 10, 11)


def test_reopened_appeal_gets_a_new_deadline_across_national_day(desk):
    # given a 求助 answered on 2021-09-29
    appeal = desk.replied(now=at(2021, 9, 29), kind=Kind.HELP)

    # when the citizen is not satisfied on 09-30
    actions.record_verdict(
        appeal=appeal, verdict=Verdict.UNSATISFIED, actor=None, now=at(2021, 9, 30)
    )

    # then it is due 5 working days later: 10-08, 10-09, 10-11, 10-12, 10-13
    assert fresh(appeal).handle_due == date(2021, 10, 13)


# --- Category and kind ---------------------------------------------------------------------------


def test_each_kind_has_its_default_handling_days(desk):
    # given appeals of each kind dispatched on Monday 2024-03-04 in a category without deadlines
    due = {kind: _dispatched(desk, now=at(2024, 3, 4), kind=kind).handle_due for kind in Kind}

    # then 咨询 3, 求助 5, 投诉/建议 13 working days
    assert due == {
        Kind.CONSULT: date(2024, 3, 7),
        Kind.HELP: date(2024, 3, 11),
        Kind.COMPLAINT: date(2024, 3, 21),
        Kind.SUGGESTION: date(2024, 3, 21),
    }


def test_category_handling_days_override_the_kind_and_are_inherited(desk):
    # given 城乡建设/安全生产 with 2 handling days, its child 安全隐患 with none of its own,
    # and its child 事故处理 with 1 of its own; complaints (13 days by kind) in each
    inherited = _dispatched(desk, now=at(2024, 2, 8), kind=Kind.COMPLAINT, category=SAFETY)
    own = _dispatched(desk, now=at(2024, 2, 8), kind=Kind.COMPLAINT, category=ACCIDENT)

    # then 安全隐患 takes its parent's 2 days (02-09, 02-18) and 事故处理 its own 1 (02-09)
    assert inherited.handle_due == date(2024, 2, 18)
    assert own.handle_due == date(2024, 2, 9)


def test_limits_for_takes_the_nearest_setting_of_each_deadline(categories):
    # given a root that sets sign and callback days, a child that sets handling days only
    Category.objects.filter(full_name="城乡建设").update(sign_days=2, callback_days=5)
    leaf = Category.objects.get(full_name=SAFETY)

    # when the limits of the grandchild are read
    limits = limits_for(leaf, Kind.SUGGESTION)

    # then each deadline comes from the nearest node that sets it
    assert (limits.sign_days, limits.handle_days, limits.callback_days) == (2, 2, 5)
    # and a category with nothing on its path falls back to the kind and the defaults
    labour = Category.objects.get(full_name="劳动和社会保障/劳动关系")
    fallback = limits_for(labour, Kind.SUGGESTION)
    assert (fallback.sign_days, fallback.handle_days, fallback.callback_days) == (1, 13, 3)


def test_category_sign_days_set_the_signing_deadline(desk):
    # given 住房保障 must be signed within 3 working days
    Category.objects.filter(full_name=HOUSING).update(sign_days=3)
    desk.categories[HOUSING].refresh_from_db()

    # when an appeal is dispatched on Thursday 2024-02-08
    appeal = _dispatched(desk, now=at(2024, 2, 8))

    # then it must be signed by 02-09, 02-18, 02-19
    assert appeal.dispatches.get().sign_due == date(2024, 2, 19)


def test_deadline_in_a_year_the_calendar_does_not_know_is_marked_estimated(desk):
    # given an appeal dispatched in 2030, a year the holiday package does not know
    appeal = _dispatched(desk, now=at(2030, 12, 20))

    # then the deadline falls back to weekdays (Mon 12-23 .. Wed 12-25) and says so
    assert appeal.handle_due == date(2030, 12, 25)
    assert appeal.due_estimated is True
    # and so do the signing deadline and, once answered, the callback window
    assert appeal.dispatches.get().sign_due_estimated is True
    appeal = desk.sign(appeal, now=at(2030, 12, 20, 11))
    desk.reply(appeal, now=at(2030, 12, 20, 12))
    appeal.refresh_from_db()
    assert (appeal.callback_due, appeal.callback_due_estimated) == (date(2030, 12, 25), True)


def test_estimated_deadlines_are_flagged_on_the_appeal_page(desk, login, county_clerk):
    # given an appeal dispatched and answered in 2030, a year the calendar does not know
    appeal = _dispatched(desk, now=at(2030, 12, 20))

    # when its holder opens it
    page = login(county_clerk).get(f"/staff/appeals/{appeal.code}/").content.decode()

    # then the handling and signing deadlines each carry the 估算 badge
    assert page.count('data-testid="estimated"') == 2
