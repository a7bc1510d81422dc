"""Intake, dispatch, signing and returning an appeal (actions.intake, actions.dispatch); every
refusal changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import (
    Appeal,
    AppealEvent,
    Dispatch,
    ReplyKind,
    Status,
    Verdict,
)
from shishi.appeals.tests.conftest import HOUSING, REPORTER_PHONE
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage

pytestmark = pytest.mark.django_db

# March 2024 has no holiday: an appeal dispatched on Monday 03-04 with 求助 (5 working days)
# must be signed by Tuesday 03-05 and answered by Monday 03-11.
MONDAY = at(2024, 3, 4, 9)


def _refused(match: str, action, /, *args, **kwargs) -> None:
    with pytest.raises(Refused, match=match):
        action(*args, **kwargs)


# --- Intake --------------------------------------------------------------------------------------


def test_operator_submission_is_received_at_the_city_and_texts_the_reporter(desk):
    # when the operator registers a hotline call
    appeal = desk.submit(now=MONDAY)

    # then it waits at the city, which also stays its first receiver, and the reporter is told
    assert (appeal.status, appeal.holder, appeal.first_receiver) == (
        Status.RECEIVED,
        desk.tree["city"],
        desk.tree["city"],
    )
    assert appeal.code == "ZZ20240304-00001"
    assert appeal.handle_due is None  # the deadline starts running when it is dispatched
    assert verbs(appeal) == [AppealEvent.Verb.RECEIVED]
    assert any(appeal.code in body for body in sms_to(REPORTER_PHONE))


def test_direct_reply_goes_straight_to_replied(desk):
    # when the operator solves the call on the phone (直办)
    appeal = desk.submit(now=MONDAY, direct_reply="已在电话中告知物业维修电话，群众表示认可。")

    # then the appeal is replied without any dispatch, on time, by the city itself
    appeal.refresh_from_db()
    assert appeal.status == Status.REPLIED
    assert appeal.reply_kind == ReplyKind.SOLVED
    assert appeal.handle_due == date(2024, 3, 4)
    assert appeal.callback_due == date(2024, 3, 7)  # 3 working days to call back
    assert not appeal.dispatches.exists()
    reply = appeal.replies.get()
    assert (reply.direct, reply.on_time, reply.unit) == (True, True, desk.tree["city"])
    assert verbs(appeal) == [AppealEvent.Verb.RECEIVED, AppealEvent.Verb.DIRECT_REPLY]


def test_citizen_submission_cannot_be_resolved_directly(desk):
    # when a submission without an operator asks for 直办
    with pytest.raises(Refused, match="只有受理员可以直接办结"):
        desk.submit(now=MONDAY, public=True, direct_reply="自己答复自己，理应不被接受。")

    # then nothing was registered
    assert not Appeal.objects.exists()
    assert not OutboxMessage.objects.exists()


def test_submission_in_an_inactive_category_is_refused(desk):
    # given a category that was switched off
    housing = desk.categories[HOUSING]
    housing.active = False
    housing.save()

    # when an appeal is filed under it, then it is refused and nothing is saved
    with pytest.raises(Refused, match="该分类已停用"):
        desk.submit(now=MONDAY)
    assert not Appeal.objects.exists()


def test_submission_with_a_town_outside_its_county_is_refused(desk):
    # when the town 蓝田街道 is given with the county 芗城区
    with pytest.raises(Refused, match="不属于所选县"):
        desk.submit(now=MONDAY, county=desk.tree["xiangcheng"], town=desk.tree["lantian"])

    # then nothing is saved
    assert not Appeal.objects.exists()


# --- Dispatch ------------------------------------------------------------------------------------


def test_dispatch_passes_the_appeal_down_city_county_town(desk, town_clerk):
    # given an appeal at the city
    appeal = desk.submit(now=MONDAY)

    # when the city sends it to 芗城区 and 芗城区 on to 芝山街道
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=at(2024, 3, 4, 11))

    # then 芝山街道 holds it, the city stays the first receiver (首接负责), only the last
    # dispatch is active, the deadline runs from the first dispatch and the town is texted
    appeal.refresh_from_db()
    assert appeal.status == Status.DISPATCHED
    assert appeal.holder == desk.tree["zhishan"]
    assert appeal.first_receiver == desk.tree["city"]
    assert appeal.handle_due == date(2024, 3, 11)
    hops = list(appeal.dispatches.values_list("from_unit__name", "to_unit__name", "active"))
    assert hops == [("漳州市", "芗城区", False), ("芗城区", "芝山街道", True)]
    assert verbs(appeal) == [
        AppealEvent.Verb.RECEIVED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.DISPATCHED,
    ]
    assert any("待签收" in body and appeal.code in body for body in sms_to(town_clerk.phone))


def test_dispatch_with_a_co_handler_lets_it_sign_its_part_once(desk, outsider):
    # given an appeal at 芗城区
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)

    # when 芗城区 sends it to 芝山街道 with 西桥街道 as co-handler
    desk.dispatch(appeal, to="zhishan", co=["xiqiao"], now=MONDAY)

    # then 西桥街道 gets a co-handling dispatch and a text, and may sign it exactly once
    co = Dispatch.objects.get(appeal=appeal, co_handler=True)
    assert (co.to_unit, co.active, co.signed_at) == (desk.tree["xiqiao"], True, None)
    assert any("协办" in body for body in sms_to(outsider.phone))
    actions.sign_as_co_handler(dispatch=co, actor=desk.sibling, now=at(2024, 3, 5))
    co.refresh_from_db()
    assert co.signed_on_time is True
    before = state_of(appeal)
    _refused("已签收", actions.sign_as_co_handler, dispatch=co, actor=desk.sibling, now=MONDAY)
    assert state_of(appeal) == before
    assert fresh(appeal).holder == desk.tree["zhishan"]


def test_forwarding_in_time_counts_as_signing_the_dispatch(desk):
    # given an appeal 芗城区 received on Monday (to sign by Tuesday)
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)

    # when 芗城区 passes it on on Tuesday without signing it first
    desk.dispatch(appeal, to="zhishan", now=at(2024, 3, 5, 16))

    # then its own dispatch counts as answered in time
    first = appeal.dispatches.get(to_unit=desk.tree["xiangcheng"])
    assert first.signed_at == at(2024, 3, 5, 16)
    assert first.signed_on_time is True


def test_forwarding_late_counts_as_signing_late(desk):
    # given an appeal 芗城区 received on Monday (to sign by Tuesday)
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)

    # when 芗城区 passes it on only on Wednesday
    desk.dispatch(appeal, to="zhishan", now=at(2024, 3, 6, 9))

    # then its dispatch is recorded as answered late
    assert appeal.dispatches.get(to_unit=desk.tree["xiangcheng"]).signed_on_time is False


def test_only_the_holder_may_dispatch(desk):
    # given an appeal the city holds
    appeal = desk.submit(now=MONDAY)
    before = state_of(appeal)

    # when 芗城区, which does not hold it, tries to dispatch it
    _refused(
        "只有当前承办单位可以派单",
        actions.dispatch_appeal,
        appeal=appeal,
        actor=desk.county,
        to_unit=desk.tree["zhishan"],
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_dispatch_outside_the_holders_subtree_is_refused(desk):
    # given an appeal 芗城区 holds
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)

    # when 芗城区 tries to send it to 蓝田街道 of 龙文区
    _refused(
        "管辖范围内",
        actions.dispatch_appeal,
        appeal=appeal,
        actor=desk.county,
        to_unit=desk.tree["lantian"],
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_dispatch_to_the_holder_itself_is_refused(desk):
    # given an appeal 芗城区 holds
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)

    # when 芗城区 dispatches it to itself
    _refused(
        "不能派给本单位",
        actions.dispatch_appeal,
        appeal=appeal,
        actor=desk.county,
        to_unit=desk.tree["xiangcheng"],
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_dispatch_with_the_main_unit_also_as_co_handler_is_refused(desk):
    # given an appeal 芗城区 holds
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)

    # when 芝山街道 is named both main and co-handling unit
    _refused(
        "不能重复",
        actions.dispatch_appeal,
        appeal=appeal,
        actor=desk.county,
        to_unit=desk.tree["zhishan"],
        co_units=[desk.tree["zhishan"]],
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_dispatching_a_closed_appeal_is_refused(desk):
    # given an appeal the city answered directly and the citizen closed as satisfied
    appeal = desk.submit(now=MONDAY, direct_reply="已电话答复群众，问题当场解决。")
    actions.record_verdict(appeal=appeal, verdict=Verdict.SATISFIED, actor=None, now=MONDAY)
    before = state_of(appeal)

    # when the city tries to dispatch it
    _refused(
        "不能派单",
        actions.dispatch_appeal,
        appeal=appeal,
        actor=desk.operator,
        to_unit=desk.tree["xiangcheng"],
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before
    assert fresh(appeal).status == Status.CLOSED


# --- Sign ----------------------------------------------------------------------------------------


def test_signing_by_the_signing_deadline_is_on_time(desk):
    # given an appeal dispatched to 芝山街道 on Monday (to sign by Tuesday)
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)

    # when the town signs late on Tuesday evening
    desk.sign(appeal, now=at(2024, 3, 5, 23, 30))

    # then the appeal is accepted and the dispatch counts as signed on time
    assert fresh(appeal).status == Status.ACCEPTED
    dispatch = appeal.dispatches.get(active=True)
    assert dispatch.sign_due == date(2024, 3, 5)
    assert dispatch.signed_on_time is True
    assert verbs(appeal)[-1] == AppealEvent.Verb.SIGNED


def test_signing_after_the_signing_deadline_is_flagged_late(desk):
    # given an appeal dispatched to 芝山街道 on Monday (to sign by Tuesday)
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)

    # when the town signs on Wednesday morning
    desk.sign(appeal, now=at(2024, 3, 6, 8))

    # then the dispatch is flagged late
    assert appeal.dispatches.get(active=True).signed_on_time is False


def test_only_the_holder_may_sign(desk):
    # given an appeal dispatched to 芝山街道
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)
    before = state_of(appeal)

    # when 芗城区 tries to sign it
    _refused(
        "只有承办单位可以签收", actions.sign_appeal, appeal=appeal, actor=desk.county, now=MONDAY
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_signing_twice_is_refused(desk):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when it signs again, then it is refused and nothing changes
    _refused("不能签收", actions.sign_appeal, appeal=appeal, actor=desk.town, now=MONDAY)
    assert state_of(appeal) == before


def test_signing_through_the_page_an_appeal_another_unit_holds_is_not_found(
    desk, login, county_clerk, town_clerk
):
    # given an appeal 芗城区 passed on to 芝山街道 (芗城区 still sees it)
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)
    before = state_of(appeal)

    # when 芗城区 posts the sign form
    response = login(county_clerk).post(reverse("appeals:sign", args=[appeal.code]))

    # then it does not exist for that purpose and nothing changed; 芝山街道 can sign it
    assert response.status_code == 404
    assert state_of(appeal) == before
    own = login(town_clerk).post(reverse("appeals:sign", args=[appeal.code]))
    assert own.status_code == 302
    assert fresh(appeal).status == Status.ACCEPTED


# --- Return --------------------------------------------------------------------------------------


def test_return_sends_the_appeal_back_to_whoever_dispatched_it(desk, county_clerk):
    # given an appeal 芗城区 passed to 芝山街道, which signed it
    appeal = desk.in_town(now=MONDAY)

    # when 芝山街道 returns it with a reason
    actions.return_appeal(
        appeal=appeal, actor=desk.town, reason="不属于本街道辖区", now=at(2024, 3, 5)
    )

    # then 芗城区 holds it again, marked returned, and is texted the reason
    appeal.refresh_from_db()
    assert (appeal.status, appeal.holder, appeal.return_count) == (
        Status.RETURNED,
        desk.tree["xiangcheng"],
        1,
    )
    returned = appeal.dispatches.get(to_unit=desk.tree["zhishan"])
    assert (returned.active, returned.return_reason) == (False, "不属于本街道辖区")
    assert any("不属于本街道辖区" in body for body in sms_to(county_clerk.phone))
    assert verbs(appeal)[-1] == AppealEvent.Verb.RETURNED
    assert AppealEvent.Verb.RETURNED not in verbs(appeal, public_only=True)
    # and 芗城区 can send it on again, keeping the deadline computed the first time
    desk.dispatch(appeal, to="xiqiao", now=at(2024, 3, 6))
    appeal.refresh_from_db()
    assert (appeal.holder, appeal.handle_due) == (desk.tree["xiqiao"], date(2024, 3, 11))


def test_return_without_a_reason_is_refused(desk):
    # given an appeal 芝山街道 holds
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when it returns it with a blank reason, then it is refused and nothing changes
    _refused(
        "请填写退单理由",
        actions.return_appeal,
        appeal=appeal,
        actor=desk.town,
        reason="  ",
        now=MONDAY,
    )
    assert state_of(appeal) == before


def test_return_by_a_unit_that_does_not_hold_the_appeal_is_refused(desk):
    # given an appeal 芝山街道 holds
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when 西桥街道 tries to return it
    _refused(
        "只有承办单位可以退单",
        actions.return_appeal,
        appeal=appeal,
        actor=desk.sibling,
        reason="不归我们管",
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before


def test_return_of_an_appeal_nobody_dispatched_is_refused(desk):
    # given an appeal still at the city that received it
    appeal = desk.submit(now=MONDAY)
    before = state_of(appeal)

    # when the city tries to return it
    _refused(
        "不能退单",
        actions.return_appeal,
        appeal=appeal,
        actor=desk.operator,
        reason="无处可退",
        now=MONDAY,
    )

    # then nothing changed
    assert state_of(appeal) == before
