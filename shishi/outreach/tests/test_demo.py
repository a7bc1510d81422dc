"""The outreach demo: real Zhangzhou teams walked through the actions, nothing in the future
but announced lectures, idempotent; the 党史上的今天 starter set covers at least 30 dates with
a source for every entry."""

import pytest

from shishi.orgs.demo import load_demo
from shishi.outreach import demo
from shishi.outreach.models import (
    Lecture,
    LectureTeam,
    OutreachEvent,
    PioneerPost,
    ServiceRecord,
    TodayEntry,
    VolunteerActivity,
)
from shishi.outreach.tests.conftest import NOW

pytestmark = pytest.mark.django_db


def test_the_demo_loads_once_and_dates_nothing_but_announcements_ahead(clock):
    load_demo()

    first = demo.demo_summary()
    counts = (
        Lecture.objects.count(),
        VolunteerActivity.objects.count(),
        TodayEntry.objects.count(),
    )
    again = demo.demo_summary()

    assert "宣讲队伍" in first and "未重复载入" in again
    assert counts == (
        Lecture.objects.count(),
        VolunteerActivity.objects.count(),
        TodayEntry.objects.count(),
    )
    names = set(LectureTeam.objects.values_list("name", flat=True))
    assert {"市委讲师团", "漳州110宣讲队", "土楼红妹子宣讲队", "老兵宣讲团"} <= names
    upcoming = Lecture.objects.filter(starts_at__gt=NOW)
    assert upcoming.exists() and not upcoming.exclude(audience=0).exists()
    assert not VolunteerActivity.objects.filter(ends_at__gt=NOW).exists()
    assert not ServiceRecord.objects.filter(served_on__gt=NOW.date()).exists()
    assert not OutreachEvent.objects.filter(at__gt=NOW).exists()
    assert PioneerPost.objects.filter(kind="area").exists()


def test_the_starter_set_covers_thirty_dates_with_sources(clock):
    load_demo()
    demo.load_today_entries()

    dates = set(TodayEntry.objects.values_list("month", "day"))
    assert len(dates) >= 30
    assert {(7, 1), (10, 1), (8, 1), (4, 20)} <= dates
    assert not TodayEntry.objects.filter(source="").exists()
    assert len(demo.starter_rows()) == TodayEntry.objects.count()
