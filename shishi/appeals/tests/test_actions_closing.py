"""Merging, withdrawing and closing unevaluated appeals (actions.closing, actions.worker);
every refusal changes nothing."""

import pytest
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import (
    AppealEvent,
    Dispatch,
    Status,
    Verdict,
)
from shishi.appeals.tests.conftest import REPLY_TEXT
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core.errors import Refused

pytestmark = pytest.mark.django_db

# March 2024 has no holiday: an appeal dispatched on Monday 03-04 with 求助 (5 working days)
# must be signed by Tuesday 03-05 and answered by Monday 03-11.
MONDAY = at(2024, 3, 4, 9)


def _refused(match: str, action, /, *args, **kwargs) -> None:
    with pytest.raises(Refused, match=match):
        action(*args, **kwargs)


# --- Merge ---------------------------------------------------------------------------------------

DUPLICATE_PHONE = "13600000001"


def test_merging_closes_the_duplicate_and_keeps_its_reporter_informed(desk):
    # given an appeal in hand at 芝山街道 and a second report of the same problem
    primary = desk.in_town(now=MONDAY)
    duplicate = desk.submit(now=at(2024, 3, 4, 11), phone=DUPLICATE_PHONE)

    # when the operator merges the second into the first
    actions.merge_appeal(
        duplicate=duplicate, primary=primary, actor=desk.operator, now=at(2024, 3, 4, 12)
    )

    # then the duplicate is closed as merged and its reporter is texted their own code only
    # (the other's code is half of the other citizen's tracking secret)
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.MERGED, primary)
    texts = sms_to(DUPLICATE_PHONE)
    assert any(duplicate.code in body and "合并办理" in body for body in texts)
    assert not any(primary.code in body for body in texts)
    assert verbs(primary)[-1] == AppealEvent.Verb.ABSORBED
    # and the primary's answer reaches the duplicate's reporter too
    desk.reply(primary, now=at(2024, 3, 6))
    assert any("已答复" in body for body in sms_to(DUPLICATE_PHONE))


def test_merged_duplicate_shows_the_primarys_later_progress_to_its_reporter(desk, client):
    # given a duplicate merged into an appeal that was answered afterwards
    primary = desk.in_town(now=MONDAY)
    duplicate = desk.submit(now=at(2024, 3, 4, 11), phone=DUPLICATE_PHONE)
    actions.merge_appeal(
        duplicate=duplicate, primary=primary, actor=desk.operator, now=at(2024, 3, 4, 12)
    )
    desk.reply(primary, now=at(2024, 3, 6))

    # when the duplicate's reporter follows their own code
    client.post(reverse("portal:track"), {"code": duplicate.code, "last4": "0001"})
    response = client.get(reverse("portal:track_appeal", args=[duplicate.code]))

    # then they see their own intake and merge, then the primary's answer — not the
    # primary's events from before the merge
    assert response.status_code == 200
    assert [e.verb for e in response.context["events"]] == [
        AppealEvent.Verb.RECEIVED,
        AppealEvent.Verb.MERGED,
        AppealEvent.Verb.REPLIED,
    ]
    assert REPLY_TEXT in response.content.decode()


def test_a_merged_reporter_never_sees_the_other_citizens_words_or_code(desk, client):
    # given a duplicate merged into an appeal whose own reporter then judged the answer
    # 不满意 with a note holding their name and ID number
    primary = desk.in_town(now=MONDAY)
    duplicate = desk.submit(now=at(2024, 3, 4, 11), phone=DUPLICATE_PHONE)
    actions.merge_appeal(
        duplicate=duplicate, primary=primary, actor=desk.operator, now=at(2024, 3, 4, 12)
    )
    desk.reply(primary, now=at(2024, 3, 6))
    words = "我是张三，身份证350602199001011234，问题根本没解决"
    actions.record_verdict(
        appeal=primary, verdict=Verdict.UNSATISFIED, actor=None, now=at(2024, 3, 7), note=words
    )

    # when the duplicate's reporter opens their tracking page
    client.post(reverse("portal:track"), {"code": duplicate.code, "last4": "0001"})
    page = client.get(reverse("portal:track_appeal", args=[duplicate.code])).content.decode()

    # then they see that the problem is being handled again, but not the other's note or code
    assert "相同诉求重新交办办理" in page
    assert "张三" not in page and "350602199001011234" not in page
    assert primary.code not in page


def test_merging_an_appeal_into_itself_is_refused(desk):
    # given an appeal
    appeal = desk.submit(now=MONDAY)
    before = state_of(appeal)

    # when it is merged into itself, then it is refused and nothing changes
    _refused(
        "不能与自身合并",
        actions.merge_appeal,
        duplicate=appeal,
        primary=appeal,
        actor=desk.operator,
        now=MONDAY,
    )
    assert state_of(appeal) == before


def test_merging_into_an_appeal_that_was_itself_merged_is_refused(desk):
    # given A merged into B, and a third appeal C
    a, b, c = (desk.submit(now=at(2024, 3, 4, h)) for h in (9, 10, 11))
    actions.merge_appeal(duplicate=a, primary=b, actor=desk.operator, now=MONDAY)
    before = state_of(c)

    # when C is merged into A, then it is refused and nothing changes
    _refused(
        "不能合并到该诉求",
        actions.merge_appeal,
        duplicate=c,
        primary=a,
        actor=desk.operator,
        now=MONDAY,
    )
    assert state_of(c) == before


def test_merging_a_closed_appeal_is_refused(desk):
    # given an appeal closed as satisfied and an open one
    closed = desk.replied(now=MONDAY)
    actions.record_verdict(appeal=closed, verdict=Verdict.SATISFIED, actor=None, now=MONDAY)
    other = desk.submit(now=MONDAY)
    before = state_of(closed)

    # when the closed one is merged into the open one, then it is refused
    _refused(
        "不能合并",
        actions.merge_appeal,
        duplicate=closed,
        primary=other,
        actor=desk.operator,
        now=MONDAY,
    )
    assert state_of(closed) == before


# --- Withdraw and close --------------------------------------------------------------------------


def test_citizen_withdraws_an_appeal_in_hand_and_the_holder_is_told(desk, town_clerk):
    # given an appeal 芝山街道 is handling
    appeal = desk.in_town(now=MONDAY)

    # when the citizen withdraws it
    actions.withdraw_appeal(appeal=appeal, note="问题已自行解决", now=at(2024, 3, 5))

    # then it is withdrawn, no dispatch stays active and the town is texted
    appeal.refresh_from_db()
    assert (appeal.status, appeal.closed_at) == (Status.WITHDRAWN, at(2024, 3, 5))
    assert not appeal.dispatches.filter(active=True).exists()
    assert any("【诉求撤回】" in body for body in sms_to(town_clerk.phone))
    assert verbs(appeal, public_only=True)[-1] == AppealEvent.Verb.WITHDRAWN


def test_withdrawing_twice_is_refused(desk):
    # given a withdrawn appeal
    appeal = desk.submit(now=MONDAY)
    actions.withdraw_appeal(appeal=appeal, note="", now=MONDAY)
    before = state_of(appeal)

    # when it is withdrawn again, then it is refused and nothing changes
    _refused("不能撤回", actions.withdraw_appeal, appeal=appeal, note="", now=MONDAY)
    assert state_of(appeal) == before


def test_replies_not_evaluated_within_the_window_close_as_not_evaluated(desk):
    # given one appeal answered Monday 03-04 (call back by 03-07) and one answered 03-06
    old = desk.replied(now=MONDAY)
    recent = desk.replied(now=at(2024, 3, 6))

    # when the worker runs on 03-07 and again on 03-08
    on_the_last_day = actions.close_unevaluated(now=at(2024, 3, 7, 23))
    next_day = actions.close_unevaluated(now=at(2024, 3, 8, 1))
    again = actions.close_unevaluated(now=at(2024, 3, 8, 2))

    # then the old one closes only once its window has ended, the recent one waits
    assert (on_the_last_day, next_day, again) == (0, 1, 0)
    old.refresh_from_db()
    assert (old.status, old.verdict) == (Status.CLOSED, Verdict.NONE)
    assert fresh(recent).status == Status.REPLIED
    assert verbs(old).count(AppealEvent.Verb.CLOSED_UNEVALUATED) == 1


def test_co_handler_signing_twice_at_once_records_one_signature(desk):
    # given a co-handling dispatch that two requests of 西桥街道 loaded at the same time
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", co=["xiqiao"], now=MONDAY)
    first, second = (Dispatch.objects.get(appeal=appeal, co_handler=True) for _ in range(2))

    # when both sign it
    actions.sign_as_co_handler(dispatch=first, actor=desk.sibling, now=at(2024, 3, 4, 10))
    with pytest.raises(Refused, match="已签收"):
        actions.sign_as_co_handler(dispatch=second, actor=desk.sibling, now=at(2024, 3, 6, 10))

    # then the first signature stands, recorded once
    assert Dispatch.objects.get(pk=first.pk).signed_on_time is True
    assert verbs(appeal).count(AppealEvent.Verb.CO_SIGNED) == 1
