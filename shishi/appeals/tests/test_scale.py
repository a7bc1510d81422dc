"""`shishi seed-scale`'s appeals (appeals.scale): clones of real appeals that stay true —
whole timelines, nothing in the future, old ones finished, deadlines on working days, codes
that later appeals do not collide with, found by search, and summaries that equal a recount."""

from datetime import timedelta

import pytest
from django.conf import settings
from django.db.models import Count, Max, Min
from django.utils import timezone

from shishi.appeals import actions, scale, search
from shishi.appeals.models import (
    FINAL_STATUSES,
    Appeal,
    AppealEvent,
    Dispatch,
    Reply,
    Status,
    Verdict,
)
from shishi.core.errors import Refused
from shishi.testing import at

pytestmark = pytest.mark.django_db

MADE = at(2026, 10, 20, 9)
NOW = at(2026, 12, 1, 12)


@pytest.fixture
def templates(desk) -> list[Appeal]:
    """Five appeals walked through the real actions in October: two closed, one answered,
    one in a town's hands, one waiting to be dispatched."""
    where = {"county": desk.tree["xiangcheng"], "town": desk.tree["zhishan"]}
    made = []
    for n in range(2):
        appeal = desk.replied(
            now=MADE - timedelta(days=30 - n), content=f"小区路灯不亮第{n}次", **where
        )
        actions.record_verdict(
            appeal=appeal, verdict=Verdict.SATISFIED, actor=None, now=MADE - timedelta(days=20)
        )
        made.append(appeal)
    made.append(desk.replied(now=MADE - timedelta(days=3), content="楼道噪音扰民", **where))
    made.append(desk.in_town(now=MADE - timedelta(days=2), content="道路坑洼积水", **where))
    made.append(desk.submit(now=MADE, content="咨询公积金提取", **where))
    return [Appeal.objects.get(pk=appeal.pk) for appeal in made]


def _clones(templates):
    return Appeal.objects.exclude(pk__in=[t.pk for t in templates])


def test_clones_are_whole_appeals_spread_over_three_years(templates):
    added = scale.seed_appeals(400, now=NOW, seed=1)

    clones = _clones(templates)
    assert added == 400 == clones.count()
    span = clones.aggregate(first=Min("received_at"), last=Max("received_at"))
    assert NOW - span["first"] > timedelta(days=365 * 3 - 10)
    assert NOW - span["last"] < timedelta(days=10)
    # Older than RECENT_DAYS: only finished ones; younger: a mix like the templates'.
    old = clones.filter(received_at__lt=NOW - timedelta(days=scale.RECENT_DAYS))
    assert set(old.values_list("status", flat=True)) <= set(FINAL_STATUSES)
    assert clones.exclude(status__in=FINAL_STATUSES).exists()
    # Every clone has its template's timeline, in order, beginning with its receipt.
    for clone in clones.order_by("?")[:40]:
        events = list(clone.events.order_by("at", "pk"))
        assert events[0].verb == AppealEvent.Verb.RECEIVED
        assert events[0].at == clone.received_at
    # As many events as the template of the same state (both closed ones walked alike).
    per_status = {t.status: t.events.count() for t in templates}
    for status, events in clones.annotate(n=Count("events")).values_list("status", "n"):
        assert events == per_status[status], status


def test_nothing_ends_in_the_future_and_deadlines_stay_on_working_days(templates):
    scale.seed_appeals(300, now=NOW, seed=2)

    clones = _clones(templates)
    latest = [
        clones.aggregate(m=Max("received_at"))["m"],
        clones.aggregate(m=Max("closed_at"))["m"],
        clones.aggregate(m=Max("replied_at"))["m"],
        AppealEvent.objects.filter(appeal__in=clones).aggregate(m=Max("at"))["m"],
        Dispatch.objects.filter(appeal__in=clones).aggregate(m=Max("at"))["m"],
        Reply.objects.filter(appeal__in=clones).aggregate(m=Max("verdict_at"))["m"],
    ]
    assert all(moment <= NOW for moment in latest if moment)
    weekdays = {t.handle_due.weekday() for t in templates if t.handle_due}
    assert {
        d.weekday() for d in clones.exclude(handle_due=None).values_list("handle_due", flat=True)
    } <= weekdays


def test_clones_move_to_other_towns_with_their_work(templates, desk):
    scale.seed_appeals(200, now=NOW, seed=3)

    clones = _clones(templates)
    towns = set(clones.exclude(town=None).values_list("town__name", flat=True))
    assert towns == {"芝山街道", "西桥街道", "蓝田街道"}  # every town of the tree
    # The town that signed and answered moves with the appeal.
    for clone in clones.filter(status=Status.CLOSED, town__name="蓝田街道")[:10]:
        assert clone.holder_id == clone.town_id
        assert clone.replies.get().unit_id == clone.town_id
        assert clone.dispatches.filter(active=True).get().to_unit_id == clone.town_id


def test_codes_continue_the_days_sequence_and_search_finds_clones(templates, desk):
    scale.seed_appeals(300, now=NOW, seed=4)

    codes = list(Appeal.objects.values_list("code", "received_at"))
    assert len({code for code, _ in codes}) == len(codes)
    for code, received in codes:
        day = code.removeprefix(settings.CITY_CODE_PREFIX)[:8]
        assert day == f"{timezone.localdate(received):%Y%m%d}"
    # An appeal filed now takes the next number of its day, whatever the clones took.
    desk.submit(now=NOW)
    # A word as the index cut it (jieba cuts by context) finds every appeal with that text.
    word = max(templates[0].search_text.split(), key=len)
    with_word = Appeal.objects.filter(search_text__contains=word).count()
    assert with_word > 2
    assert search.matching(Appeal.objects.all(), word).count() == with_word


def test_a_second_run_clones_the_templates_not_the_clones(templates):
    scale.seed_appeals(100, now=NOW, seed=5)
    scale.seed_appeals(100, now=NOW, seed=6)

    assert Appeal.objects.count() == 205
    assert set(_clones(templates).values_list("content", flat=True)) == {
        t.content for t in templates
    }


def test_without_the_demo_there_is_nothing_to_clone(db):
    with pytest.raises(Refused, match="shishi demo"):
        scale.seed_appeals(10, now=NOW)
