"""The supervision sweep: 提醒 before due, 催办 on the due date, 督办 once overdue, 通报 when
overdue by 3 working days; idempotent, and exactly once per step under concurrent sweeps.

The appeals here are 咨询 (3 working days) dispatched on Monday 2024-03-04: due Thursday 03-07.
"""

from collections import Counter

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shishi.appeals import actions
from shishi.appeals.actions import sweep_supervision
from shishi.appeals.models import Appeal, AppealEvent, Kind
from shishi.appeals.tests.helpers import at, fresh, run_at_once, sms_to, verbs
from shishi.core.models import OutboxMessage
from shishi.core.supervision import Level
from shishi.orgs.notify import staff_phones

LADDER = ["提醒", "催办", "督办", "通报"]  # the rungs as the SMS name them
V = AppealEvent.Verb
LADDER_CODES = [V.REMIND, V.URGE, V.SUPERVISE, V.NOTIFY]


@pytest.fixture(autouse=True)
def _ladder_settings(settings):
    settings.SUPERVISION_REMIND_BEFORE_DAYS = 1
    settings.SUPERVISION_NOTIFY_AFTER_DAYS = 3


def _in_hand(desk, *, day: int = 4):
    """A 咨询 signed by 芝山街道, dispatched on 2024-03-<day>."""
    return desk.in_town(now=at(2024, 3, day), kind=Kind.CONSULT)


def _ladder_events(appeal) -> list[str]:
    return [verb for verb in verbs(appeal) if verb in LADDER_CODES]


@pytest.mark.django_db
def test_appeal_climbs_the_ladder_one_rung_per_day(desk, town_clerk):
    # given an appeal due Thursday 03-07
    appeal = _in_hand(desk)
    assert appeal.handle_due.isoformat() == "2024-03-07"
    seen = {}

    # when the sweep runs each morning from Tuesday 03-05 to Tuesday 03-12
    for day in (5, 6, 7, 8, 11, 12):
        sweep_supervision(now=at(2024, 3, day, 8))
        seen[day] = fresh(appeal).supervision

    # then it stays normal two working days ahead, is reminded the day before, urged on the
    # day, supervised once overdue, and reported (通报) after 3 working days overdue
    assert seen == {
        5: Level.NONE,
        6: Level.REMIND,
        7: Level.URGE,
        8: Level.SUPERVISE,
        11: Level.SUPERVISE,  # 2 working days overdue (03-08, 03-11)
        12: Level.NOTIFY,  # 3 working days overdue
    }
    assert _ladder_events(appeal) == LADDER_CODES
    texts = sms_to(town_clerk.phone)
    assert [sum(f"【{step}】" in body for body in texts) for step in LADDER] == [1, 1, 1, 1]
    assert fresh(appeal).supervision_at == at(2024, 3, 12, 8)


@pytest.mark.django_db
def test_appeal_first_seen_late_records_every_rung_but_texts_once(desk, town_clerk):
    # given an appeal due 03-07 that no sweep saw before 03-12 (an outage)
    appeal = _in_hand(desk)

    # when the sweep runs on 03-12
    moved = sweep_supervision(now=at(2024, 3, 12, 8))

    # then it goes straight to 通报, and the timeline shows every rung it climbed, in order
    assert moved == {Level.NOTIFY: 1}
    assert fresh(appeal).supervision == Level.NOTIFY
    assert _ladder_events(appeal) == LADDER_CODES
    events = list(AppealEvent.objects.filter(appeal=appeal, verb__in=LADDER_CODES).order_by("pk"))
    assert [e.data for e in events] == [
        {"from": 0, "to": 1, "overdue": 3, "passed": True},
        {"from": 0, "to": 2, "overdue": 3, "passed": True},
        {"from": 0, "to": 3, "overdue": 3, "passed": True},
        {"from": 0, "to": 4, "overdue": 3},
    ]
    assert "逐级补记" in events[0].note and "超期3个工作日" in events[-1].note
    assert not any(e.public for e in events)
    # and the holding unit gets one SMS, for 通报 only
    assert [body[:4] for body in sms_to(town_clerk.phone) if body[1:3] in LADDER] == ["【通报】"]


@pytest.mark.django_db
def test_a_reminded_appeal_found_overdue_records_only_the_rungs_above(desk, town_clerk):
    # given an appeal reminded on 03-06, then no sweep until 03-11 (2 working days overdue)
    appeal = _in_hand(desk)
    sweep_supervision(now=at(2024, 3, 6, 8))

    # when the sweep runs on 03-11
    sweep_supervision(now=at(2024, 3, 11, 8))

    # then 催办 is recorded on the way to 督办; 提醒 is not repeated; two SMS in all
    assert _ladder_events(appeal) == [V.REMIND, V.URGE, V.SUPERVISE]
    assert [body[:4] for body in sms_to(town_clerk.phone) if body[1:3] in LADDER] == [
        "【提醒】",
        "【督办】",
    ]


@pytest.mark.django_db
def test_second_sweep_with_the_same_clock_changes_nothing(desk):
    # given appeals on every rung after one sweep on 03-12
    for day in (4, 6, 7, 8):  # due 03-07, 03-11, 03-12, 03-13
        _in_hand(desk, day=day)
    first = sweep_supervision(now=at(2024, 3, 12, 8))
    events, outbox = AppealEvent.objects.count(), OutboxMessage.objects.count()
    levels = list(Appeal.objects.order_by("pk").values_list("supervision", "supervision_at"))

    # when the sweep runs again at the same moment
    second = sweep_supervision(now=at(2024, 3, 12, 8))

    # then nothing moves and no event or message is added
    assert first == {Level.NOTIFY: 1, Level.SUPERVISE: 1, Level.URGE: 1, Level.REMIND: 1}
    assert second == {}
    assert (AppealEvent.objects.count(), OutboxMessage.objects.count()) == (events, outbox)
    assert list(Appeal.objects.order_by("pk").values_list("supervision", "supervision_at")) == (
        levels
    )


@pytest.mark.django_db
def test_sweep_leaves_appeals_that_are_not_in_hand_alone(desk):
    # given, all due long ago: an appeal still at the city, one answered, one returned
    waiting = desk.submit(now=at(2024, 3, 4))
    answered = desk.replied(now=at(2024, 3, 4), kind=Kind.CONSULT)
    returned = _in_hand(desk)
    actions.return_appeal(appeal=returned, actor=desk.town, reason="非本辖区", now=at(2024, 3, 4))

    # when the sweep runs two weeks later
    moved = sweep_supervision(now=at(2024, 3, 18, 8))

    # then none of them is touched
    assert moved == {}
    assert [fresh(a).supervision for a in (waiting, answered, returned)] == [Level.NONE] * 3


@pytest.mark.django_db(transaction=True)
def test_concurrent_sweeps_take_each_step_exactly_once(desk):
    # given four appeals due 03-07, 03-08, 03-11 and 03-12
    appeals = [_in_hand(desk, day=day) for day in (4, 5, 6, 7)]

    # when two sweeps run at the same moment every morning from 03-06 to 03-15
    for day in (6, 7, 8, 11, 12, 13, 14, 15):
        results = run_at_once(lambda d=day: sweep_supervision(now=at(2024, 3, d, 8)), threads=2)
        assert not [r for r in results if isinstance(r, Exception)]

    # then every appeal took each of the four steps exactly once
    for appeal in appeals:
        steps = Counter(
            AppealEvent.objects.filter(appeal=appeal, verb__in=LADDER_CODES).values_list(
                "verb", flat=True
            )
        )
        assert steps == dict.fromkeys(LADDER_CODES, 1), appeal.handle_due
        assert fresh(appeal).supervision == Level.NOTIFY


def _copies(appeal, count: int) -> None:
    """`count` more appeals in the same state as `appeal` (bulk, for the batch tests)."""
    row = Appeal.objects.filter(pk=appeal.pk).values().get()
    del row["id"], row["tracking_key"]  # each copy draws its own
    first = Appeal.objects.count()
    Appeal.objects.bulk_create(
        Appeal(**{**row, "code": f"{appeal.code}-{first + n}", "idempotency_key": None})
        for n in range(count)
    )


def _sweep_queries(*, chunk: int) -> int:
    """Reset the appeals to 正常 and sweep them on 03-12 (all 通报); returns the queries."""
    Appeal.objects.update(supervision=Level.NONE)
    with CaptureQueriesContext(connection) as queries:
        moved = sweep_supervision(now=at(2024, 3, 12, 8), chunk=chunk)
    assert moved == {Level.NOTIFY: Appeal.objects.count()}
    return len(queries)


@pytest.mark.django_db
def test_sweep_queries_grow_with_batches_not_rows(desk):
    # given 3 overdue appeals of one unit
    appeal = _in_hand(desk)
    _copies(appeal, 2)
    three_in_one_batch = _sweep_queries(chunk=10)

    # when there are 9 of them, swept in one batch of 10 and then in batches of 3
    _copies(appeal, 6)
    nine_in_one_batch = _sweep_queries(chunk=10)
    nine_in_three_batches = _sweep_queries(chunk=3)

    # then three times the rows in one batch cost the same queries; each further batch costs
    # a fixed six (savepoint, read, claim, events, SMS, release), never one per appeal, plus
    # one empty read (savepoint, read, release) after the last full batch
    assert nine_in_one_batch == three_in_one_batch
    assert nine_in_three_batches - nine_in_one_batch == 2 * 6 + 3
    # and each sweep recorded all four rungs per appeal but texted 通报 only, once per clerk
    staff = len(staff_phones([appeal.holder_id])[appeal.holder_id])
    assert OutboxMessage.objects.filter(body__startswith="【通报】").count() == (3 + 9 + 9) * staff
    assert not OutboxMessage.objects.filter(body__startswith="【提醒】").exists()
    assert AppealEvent.objects.filter(verb__in=LADDER_CODES).count() == (3 + 9 + 9) * 4
