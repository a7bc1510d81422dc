"""Every transition of the appeal loop and every refusal (actions.py); a refusal changes nothing."""

from datetime import date

import pytest
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import (
    Appeal,
    AppealEvent,
    Dispatch,
    ReplyKind,
    Review,
    Status,
    Verdict,
)
from shishi.appeals.tests.conftest import HOUSING, REPLY_TEXT, REPORTER_PHONE
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.core.supervision import Level

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


# --- Extension -----------------------------------------------------------------------------------


def _extension(desk, appeal, *, days: int = 3) -> Review:
    return actions.request_extension(
        appeal=appeal, actor=desk.town, days=days, reason="需协调供电部门", now=at(2024, 3, 6)
    )


def test_approved_extension_moves_the_deadline_by_working_days(desk, supervisor):
    # given an appeal due on Monday 03-11 that the sweep already reminded about
    appeal = desk.in_town(now=MONDAY)
    Appeal.objects.filter(pk=appeal.pk).update(supervision=Level.REMIND)

    # when the town asks for 3 more working days and the supervisor agrees
    review = _extension(desk, appeal)
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=True, note="同意", now=at(2024, 3, 7)
    )

    # then the deadline moves from 03-11 to 03-14 (12, 13, 14), the ladder starts over,
    # and the citizen sees the new date
    appeal.refresh_from_db()
    assert appeal.handle_due == date(2024, 3, 14)
    assert (appeal.extension_count, appeal.supervision) == (1, Level.NONE)
    review.refresh_from_db()
    assert (review.decision, review.decided_by) == (Review.Decision.APPROVED, supervisor)
    assert verbs(appeal, public_only=True)[-1] == AppealEvent.Verb.EXTENSION_APPROVED
    assert any("延期申请" in body for body in sms_to(supervisor.phone))


def test_denied_extension_keeps_the_deadline(desk):
    # given an extension request
    appeal = desk.in_town(now=MONDAY)
    review = _extension(desk, appeal)

    # when the supervisor denies it
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=False, note="理由不充分", now=at(2024, 3, 7)
    )

    # then the deadline stays and the refusal is recorded
    appeal.refresh_from_db()
    assert (appeal.handle_due, appeal.extension_count) == (date(2024, 3, 11), 0)
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.DENIED
    assert verbs(appeal)[-1] == AppealEvent.Verb.EXTENSION_DENIED


def test_deciding_a_review_twice_is_refused(desk):
    # given an extension the supervisor approved
    appeal = desk.in_town(now=MONDAY)
    review = _extension(desk, appeal)
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=True, note="", now=at(2024, 3, 7)
    )
    before = state_of(appeal)

    # when it is decided again (denied this time)
    _refused(
        "不能重复审核",
        actions.decide_review,
        review=review,
        actor=desk.supervisor,
        approve=False,
        note="改主意了",
        now=at(2024, 3, 8),
    )

    # then nothing changed: still approved, the deadline moved once
    assert state_of(appeal) == before
    assert fresh(appeal).handle_due == date(2024, 3, 14)


def test_replying_closes_a_pending_extension_so_it_cannot_be_approved_later(desk):
    # given an extension request, after which the town answered anyway
    appeal = desk.in_town(now=MONDAY)
    review = _extension(desk, appeal)
    desk.reply(appeal, now=at(2024, 3, 7))

    # then the request was withdrawn by the reply (it leaves the reviewers' queue)
    review.refresh_from_db()
    assert review.decision == Review.Decision.DENIED
    assert "自动撤销" in review.decision_note
    before = state_of(appeal)

    # and a supervisor approving it afterwards is refused, changing nothing
    _refused(
        "已审核",
        actions.decide_review,
        review=review,
        actor=desk.supervisor,
        approve=True,
        note="",
        now=at(2024, 3, 8),
    )
    assert state_of(appeal) == before


@pytest.mark.parametrize(
    ("days", "reason", "message"),
    [(0, "需协调", "1至30"), (31, "需协调", "1至30"), (3, " ", "请填写延期理由")],
)
def test_extension_request_out_of_bounds_is_refused(desk, days, reason, message):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when it asks for an impossible extension, then it is refused and nothing changes
    _refused(
        message,
        actions.request_extension,
        appeal=appeal,
        actor=desk.town,
        days=days,
        reason=reason,
        now=MONDAY,
    )
    assert state_of(appeal) == before


def test_second_pending_extension_request_is_refused(desk):
    # given a pending extension request
    appeal = desk.in_town(now=MONDAY)
    _extension(desk, appeal)
    before = state_of(appeal)

    # when the town asks again, then it is refused and nothing changes
    _refused("已有待审核的延期申请", _extension, desk, appeal)
    assert state_of(appeal) == before


def test_extension_before_signing_is_refused(desk):
    # given an appeal dispatched to 芝山街道 but not signed
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)
    before = state_of(appeal)

    # when the town asks for an extension, then it is refused and nothing changes
    _refused("不能申请延期", _extension, desk, appeal)
    assert state_of(appeal) == before


# --- Invalid -------------------------------------------------------------------------------------


def test_approved_invalid_request_closes_the_appeal_as_invalid(desk):
    # given a request to mark an appeal invalid
    appeal = desk.in_town(now=MONDAY)
    review = actions.request_invalid(
        appeal=appeal, actor=desk.town, reason="反复骚扰，无实际诉求", now=MONDAY
    )

    # when the supervisor approves it
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=True, note="", now=at(2024, 3, 5)
    )

    # then the appeal is invalid and closed, no dispatch stays active, the citizen sees why
    appeal.refresh_from_db()
    assert (appeal.status, appeal.closed_at) == (Status.INVALID, at(2024, 3, 5))
    assert not appeal.dispatches.filter(active=True).exists()
    assert verbs(appeal, public_only=True)[-1] == AppealEvent.Verb.INVALID_APPROVED


def test_denied_invalid_request_leaves_the_appeal_in_hand(desk):
    # given a request to mark an appeal invalid
    appeal = desk.in_town(now=MONDAY)
    review = actions.request_invalid(
        appeal=appeal, actor=desk.town, reason="无实际诉求", now=MONDAY
    )

    # when the supervisor denies it
    actions.decide_review(
        review=review, actor=desk.supervisor, approve=False, note="诉求明确", now=MONDAY
    )

    # then the appeal is still being handled
    assert fresh(appeal).status == Status.ACCEPTED
    assert verbs(appeal)[-1] == AppealEvent.Verb.INVALID_DENIED


def test_invalid_request_by_a_unit_that_does_not_hold_the_appeal_is_refused(desk):
    # given an appeal 芝山街道 holds
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when 西桥街道 asks to mark it invalid, then it is refused and nothing changes
    _refused(
        "只有当前承办单位",
        actions.request_invalid,
        appeal=appeal,
        actor=desk.sibling,
        reason="无实际诉求",
        now=MONDAY,
    )
    assert state_of(appeal) == before


# --- Reply ---------------------------------------------------------------------------------------


def test_reply_on_time_starts_the_callback_window_and_texts_the_citizen(desk):
    # given an appeal with a co-handler, signed by 芝山街道, due Monday 03-11
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", co=["xiqiao"], now=MONDAY)
    desk.sign(appeal, now=MONDAY)

    # when the town answers on the due date, late in the evening
    reply = desk.reply(appeal, now=at(2024, 3, 11, 23, 50))

    # then it is replied on time, the callback runs 3 working days, the co-handling ends
    appeal.refresh_from_db()
    assert (appeal.status, appeal.reply_kind) == (Status.REPLIED, ReplyKind.SOLVED)
    assert reply.on_time is True
    assert appeal.callback_due == date(2024, 3, 14)
    assert not appeal.dispatches.filter(co_handler=True, active=True).exists()
    assert any("已答复" in body for body in sms_to(REPORTER_PHONE))
    assert verbs(appeal, public_only=True)[-1] == AppealEvent.Verb.REPLIED


def test_reply_after_the_deadline_is_not_on_time(desk):
    # given an appeal due Monday 03-11
    appeal = desk.in_town(now=MONDAY)

    # when the town answers on Tuesday
    reply = desk.reply(appeal, now=at(2024, 3, 12, 0, 5))

    # then the reply is recorded as late
    assert reply.on_time is False
    assert (
        AppealEvent.objects.filter(appeal=appeal, verb=AppealEvent.Verb.REPLIED)
        .get()
        .data["on_time"]
        is False
    )


def test_replying_twice_is_refused(desk):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)
    before = state_of(appeal)

    # when the town answers again, then it is refused and nothing changes
    _refused("不能重复答复", desk.reply, appeal, now=MONDAY)
    assert state_of(appeal) == before


def test_unsolvable_reply_needs_a_reason(desk):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when the town answers "cannot be solved" without a reason
    _refused("请说明原因", desk.reply, appeal, now=MONDAY, kind=ReplyKind.UNSOLVABLE)

    # then nothing changed; with a reason the answer is accepted
    assert state_of(appeal) == before
    reply = desk.reply(appeal, now=MONDAY, kind=ReplyKind.UNSOLVABLE, reason="涉及历史遗留问题")
    assert (reply.kind, reply.reason) == (ReplyKind.UNSOLVABLE, "涉及历史遗留问题")


def test_reply_before_signing_is_refused(desk):
    # given an appeal dispatched to 芝山街道 but not signed
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="zhishan", now=MONDAY)
    before = state_of(appeal)

    # when the town answers, then it is refused and nothing changes
    _refused("请先签收", desk.reply, appeal, now=MONDAY)
    assert state_of(appeal) == before


def test_reply_too_short_is_refused(desk):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when the town answers in three characters, then it is refused and nothing changes
    _refused(
        "不少于10个字",
        actions.reply_appeal,
        appeal=appeal,
        actor=desk.town,
        kind=ReplyKind.SOLVED,
        text="已处理",
        now=MONDAY,
    )
    assert state_of(appeal) == before


# --- Verdict -------------------------------------------------------------------------------------


@pytest.mark.parametrize("verdict", [Verdict.SATISFIED, Verdict.BASIC])
def test_satisfied_or_basically_satisfied_closes_the_appeal(desk, verdict):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)

    # when the citizen gives a good verdict
    actions.record_verdict(appeal=appeal, verdict=verdict, actor=None, now=at(2024, 3, 5))

    # then the appeal is closed with that verdict, which is also on the reply
    appeal.refresh_from_db()
    assert (appeal.status, appeal.verdict, appeal.closed_at) == (
        Status.CLOSED,
        verdict,
        at(2024, 3, 5),
    )
    reply = appeal.replies.get()
    assert (reply.verdict, reply.verdict_by_citizen) == (verdict, True)
    assert verbs(appeal, public_only=True)[-1] == AppealEvent.Verb.EVALUATED


def test_unsatisfied_reopens_the_appeal_with_a_new_deadline(desk, town_clerk):
    # given an appeal answered on Monday 03-04
    appeal = desk.replied(now=MONDAY)

    # when the operator's callback on Wednesday finds the citizen not satisfied
    actions.record_verdict(
        appeal=appeal, verdict=Verdict.UNSATISFIED, actor=desk.operator, now=at(2024, 3, 6)
    )

    # then it is back with 芝山街道, due 5 working days after Wednesday (03-13)
    appeal.refresh_from_db()
    assert (appeal.status, appeal.holder, appeal.reopen_count) == (
        Status.REOPENED,
        desk.tree["zhishan"],
        1,
    )
    assert appeal.handle_due == date(2024, 3, 13)
    assert (appeal.verdict, appeal.escalated) == ("", False)
    assert any("【重办】" in body for body in sms_to(town_clerk.phone))
    # and the town can answer it again
    desk.reply(appeal, now=at(2024, 3, 7))
    assert fresh(appeal).status == Status.REPLIED
    assert appeal.replies.count() == 2


def test_past_the_allowed_reopens_the_appeal_is_escalated(desk, settings, supervisor):
    # given at most 2 reopens before escalation, and an appeal reopened twice already
    settings.APPEAL_MAX_REOPENS = 2
    appeal = desk.replied(now=MONDAY)
    for day in (5, 7):
        actions.record_verdict(
            appeal=appeal, verdict=Verdict.UNSATISFIED, actor=None, now=at(2024, 3, day)
        )
        desk.reply(appeal, now=at(2024, 3, day + 1))
    assert fresh(appeal).escalated is False

    # when the citizen is not satisfied a third time
    actions.record_verdict(
        appeal=appeal, verdict=Verdict.UNSATISFIED, actor=None, now=at(2024, 3, 11)
    )

    # then the appeal is escalated to 督办 and supervisors are texted
    appeal.refresh_from_db()
    assert (appeal.reopen_count, appeal.escalated, appeal.supervision) == (
        3,
        True,
        Level.SUPERVISE,
    )
    assert verbs(appeal)[-1] == AppealEvent.Verb.ESCALATED
    assert any("【提级督办】" in body for body in sms_to(supervisor.phone))


def test_evaluating_a_closed_appeal_again_is_refused(desk):
    # given an appeal the citizen closed as satisfied
    appeal = desk.replied(now=MONDAY)
    actions.record_verdict(appeal=appeal, verdict=Verdict.SATISFIED, actor=None, now=MONDAY)
    before = state_of(appeal)

    # when a verdict is given again, then it is refused and nothing changes
    _refused(
        "不能重复评价",
        actions.record_verdict,
        appeal=appeal,
        verdict=Verdict.UNSATISFIED,
        actor=desk.operator,
        now=MONDAY,
    )
    assert state_of(appeal) == before


def test_evaluating_an_unanswered_appeal_is_refused(desk):
    # given an appeal in hand, not answered yet
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when a verdict is given, then it is refused and nothing changes
    _refused(
        "尚未答复",
        actions.record_verdict,
        appeal=appeal,
        verdict=Verdict.SATISFIED,
        actor=None,
        now=MONDAY,
    )
    assert state_of(appeal) == before


def test_unreached_callbacks_are_counted_and_keep_the_appeal_waiting(desk):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)

    # when the operator twice fails to reach the citizen
    for hour in (10, 15):
        actions.record_verdict(
            appeal=appeal, verdict=Verdict.UNREACHED, actor=desk.operator, now=at(2024, 3, 5, hour)
        )

    # then two attempts are counted and the appeal still waits for a verdict
    assert appeal.replies.get().callback_attempts == 2
    assert fresh(appeal).status == Status.REPLIED
    assert verbs(appeal)[-2:] == [AppealEvent.Verb.UNREACHED, AppealEvent.Verb.UNREACHED]


def test_citizen_cannot_answer_unreached(desk):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)
    before = state_of(appeal)

    # when the citizen's own verdict says "not reached", then it is refused
    _refused(
        "请选择评价结果",
        actions.record_verdict,
        appeal=appeal,
        verdict=Verdict.UNREACHED,
        actor=None,
        now=MONDAY,
    )
    assert state_of(appeal) == before


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

    # then the duplicate is closed as merged and its reporter is texted both codes
    duplicate.refresh_from_db()
    assert (duplicate.status, duplicate.merged_into) == (Status.MERGED, primary)
    assert any(duplicate.code in body and primary.code in body for body in sms_to(DUPLICATE_PHONE))
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
