"""Extensions, invalid marks, replies and verdicts (actions.reviews, actions.replies); every
refusal changes nothing."""

from datetime import date

import pytest

from shishi.appeals import actions
from shishi.appeals.models import (
    Appeal,
    AppealEvent,
    ReplyKind,
    Review,
    Status,
    Verdict,
)
from shishi.appeals.tests.conftest import REPORTER_PHONE
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core.errors import Refused
from shishi.core.supervision import Level

pytestmark = pytest.mark.django_db

# March 2024 has no holiday: an appeal dispatched on Monday 03-04 with 求助 (5 working days)
# must be signed by Tuesday 03-05 and answered by Monday 03-11.
MONDAY = at(2024, 3, 4, 9)


def _refused(match: str, action, /, *args, **kwargs) -> None:
    with pytest.raises(Refused, match=match):
        action(*args, **kwargs)


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


def test_the_citizens_answer_on_solved_is_kept_whatever_the_reply_claimed(desk):
    # given an appeal 芝山街道 answered as 已解决
    appeal = desk.replied(now=MONDAY)

    # when the operator's callback hears "basically satisfied, but not solved"
    actions.record_verdict(
        appeal=appeal, verdict=Verdict.BASIC, solved=False, actor=desk.operator, now=at(2024, 3, 5)
    )

    # then the reply keeps the unit's claim and the citizen's answer side by side, and the
    # citizen's timeline says what they answered
    reply = appeal.replies.get()
    assert (reply.kind, reply.verdict, reply.solved_by_citizen) == ("solved", Verdict.BASIC, False)
    event = AppealEvent.objects.filter(appeal=appeal, public=True).latest("at", "pk")
    assert event.note == "评价：基本满意（问题未解决）。诉求办结"


def test_an_unreached_callback_records_no_answer_on_solved(desk):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)

    # when the operator does not reach the citizen (and the form still carried a "yes")
    actions.record_verdict(
        appeal=appeal, verdict=Verdict.UNREACHED, solved=True, actor=desk.operator, now=MONDAY
    )

    # then nothing is recorded as the citizen's answer
    reply = appeal.replies.get()
    assert (reply.verdict, reply.solved_by_citizen, reply.callback_attempts) == ("", None, 1)
