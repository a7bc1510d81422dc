"""Behaviour added after a new-user walk-through of the demo."""

import pytest

from shishi.appeals import actions
from shishi.appeals.models import AppealEvent, Status
from shishi.appeals.tests.helpers import at, fresh, state_of
from shishi.core.errors import Refused
from shishi.testing import latest_code, track_code

pytestmark = pytest.mark.django_db
MONDAY = at(2024, 3, 4)


def test_dispatching_to_a_unit_without_handlers_is_refused(desk, tree):
    # given 芝山社区, which has nobody to sign for it
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)
    # when the county passes it on there, then it is refused and nothing changes
    with pytest.raises(Refused, match="尚无经办人员"):
        actions.dispatch_appeal(
            appeal=fresh(appeal), actor=desk.county, to_unit=tree["village"], now=at(2024, 3, 4, 11)
        )
    assert state_of(appeal) == before


def test_the_dispatch_note_is_kept_for_staff_but_not_shown_to_the_public(desk):
    appeal = desk.submit(now=MONDAY)
    actions.dispatch_appeal(
        appeal=appeal,
        actor=desk.operator,
        to_unit=desk.tree["xiangcheng"],
        note="请核实路灯产权单位",
        now=MONDAY,
    )
    note = AppealEvent.objects.get(appeal=appeal, verb=AppealEvent.Verb.DISPATCH_NOTE)
    assert note.note == "请核实路灯产权单位" and note.public is False


def test_an_unsatisfied_verdict_needs_a_reason(desk, client):
    # given a replied appeal the citizen has proven to be theirs
    appeal = desk.replied(now=MONDAY)
    client.post("/track/", {"code": appeal.code, "last4": appeal.reporter_phone[-4:]})
    # when they choose 不满意 without saying why, then nothing is recorded
    client.post(
        f"/track/{appeal.code}/evaluate/",
        {"verdict": "unsatisfied", "solved": "0", "note": "", "otp": track_code(client, appeal)},
    )
    assert fresh(appeal).status == Status.REPLIED
    # and with a reason the appeal is reopened
    client.post(
        f"/track/{appeal.code}/evaluate/",
        {
            "verdict": "unsatisfied",
            "solved": "0",
            "note": "路灯修好两天又坏了",
            "otp": latest_code(appeal.reporter_phone),
        },
    )
    assert fresh(appeal).status == Status.REOPENED


def test_a_code_is_found_whatever_tab_is_open(desk, login, town_clerk):
    # given an appeal 芝山街道 has signed (so it is not in 待签收)
    appeal = desk.in_town(now=MONDAY)
    # when the clerk searches its code from the default tab
    response = login(town_clerk).get("/staff/appeals/", {"q": appeal.code})
    # then it is found
    assert [a.code for a in response.context["page"].rows] == [appeal.code]


def test_a_callback_verdict_needs_the_citizens_answer_on_solved(desk, login, operator):
    # given an answered appeal and the operator on the phone with the citizen
    appeal = desk.replied(now=MONDAY)
    client = login(operator)
    url = f"/staff/appeals/{appeal.code}/callback/"

    # when they record 满意 without asking whether the problem was solved, nothing is recorded
    client.post(url, {"verdict": "satisfied"})
    assert fresh(appeal).status == Status.REPLIED
    # and 未联系上 needs no answer
    client.post(url, {"verdict": "unreached"})
    assert appeal.replies.get().callback_attempts == 1
    # and with the answer the verdict is recorded
    client.post(url, {"verdict": "satisfied", "solved": "1"})
    assert fresh(appeal).status == Status.CLOSED
    assert appeal.replies.get().solved_by_citizen is True


def test_the_citizens_evaluation_asks_whether_the_problem_was_solved(desk, client):
    # given a replied appeal the citizen has proven to be theirs
    appeal = desk.replied(now=MONDAY)
    client.post("/track/", {"code": appeal.code, "last4": appeal.reporter_phone[-4:]})
    # then the evaluation form asks the question beside 满意/基本满意/不满意
    page = client.get(f"/track/{appeal.code}/").content.decode()
    assert "您反映的问题是否已解决" in page
    # and a verdict without the answer records nothing
    client.post(
        f"/track/{appeal.code}/evaluate/",
        {"verdict": "satisfied", "otp": track_code(client, appeal)},
    )
    assert fresh(appeal).status == Status.REPLIED
