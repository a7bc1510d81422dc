"""Who reaches which appeal: units their subtree's, reviewers the reviews, citizens their own
(code + the phone's last four digits). Outsiders get "not found", never a hint."""

import pytest
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import AppealEvent, Review, Status, Verdict
from shishi.appeals.tests.conftest import REPLY_TEXT
from shishi.appeals.tests.helpers import at, fresh, state_of
from shishi.testing import track_code

pytestmark = pytest.mark.django_db

MONDAY = at(2024, 3, 4, 9)


def _listed(client) -> set[str]:
    response = client.get(reverse("appeals:queue") + "?queue=all")
    assert response.status_code == 200
    return {appeal.code for appeal in response.context["page"].rows}


@pytest.fixture
def in_xiqiao(desk):
    """An appeal the city sent to 芗城区, which sent it to 西桥街道."""
    appeal = desk.submit(now=MONDAY, content="西桥街道某路段井盖缺失，夜间行人容易摔倒。")
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    return desk.dispatch(appeal, to="xiqiao", now=MONDAY)


# --- Staff ---------------------------------------------------------------------------------------


def test_town_cannot_open_or_list_the_sibling_towns_appeal(
    in_xiqiao, desk, login, town_clerk, outsider, county_clerk
):
    # given an appeal held by 西桥街道 and one held by 芝山街道
    own = desk.in_town(now=MONDAY)

    # when the clerk of 芝山街道 opens the sibling's appeal and lists everything
    client = login(town_clerk)
    response = client.get(reverse("appeals:detail", args=[in_xiqiao.code]))

    # then it does not exist for them, while their own appeal is listed
    assert response.status_code == 404
    assert _listed(client) == {own.code}
    # and 西桥街道 and their county 芗城区 do see it
    assert login(outsider).get(reverse("appeals:detail", args=[in_xiqiao.code])).status_code == 200
    assert _listed(login(county_clerk)) == {own.code, in_xiqiao.code}


def test_unit_keeps_seeing_an_appeal_it_returned(desk, login, town_clerk):
    # given an appeal 芝山街道 returned and 芗城区 sent on to 西桥街道
    appeal = desk.in_town(now=MONDAY)
    actions.return_appeal(appeal=appeal, actor=desk.town, reason="非本辖区", now=MONDAY)
    desk.dispatch(appeal, to="xiqiao", now=at(2024, 3, 5))

    # when 芝山街道 opens it
    response = login(town_clerk).get(reverse("appeals:detail", args=[appeal.code]))

    # then it is still visible to the unit it was once dispatched to
    assert response.status_code == 200


def test_auditor_has_no_appeal_queue(desk, login, auditor):
    # when the auditor, who only reads the audit log, opens the appeal queue
    response = login(auditor).get(reverse("appeals:queue") + "?queue=all")

    # then it is forbidden
    assert response.status_code == 403


def test_clerk_cannot_decide_reviews(desk, login, town_clerk, supervisor):
    # given an extension request of 芝山街道
    appeal = desk.in_town(now=MONDAY)
    review = actions.request_extension(
        appeal=appeal, actor=desk.town, days=2, reason="需协调", now=MONDAY
    )
    before = state_of(appeal)

    # when its own clerk tries to approve it, or even to list reviews
    client = login(town_clerk)
    decide = client.post(reverse("appeals:decide", args=[review.pk]), {"approve": "1"})
    listing = client.get(reverse("appeals:reviews"))

    # then both are forbidden and nothing changed
    assert (decide.status_code, listing.status_code) == (403, 403)
    assert state_of(appeal) == before
    # while the supervisor may approve it
    done = login(supervisor).post(reverse("appeals:decide", args=[review.pk]), {"approve": "1"})
    assert done.status_code == 302
    assert Review.objects.get(pk=review.pk).decision == Review.Decision.APPROVED


def test_clerk_cannot_record_a_callback(desk, login, town_clerk, operator):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)
    before = state_of(appeal)

    # when the town clerk posts a callback verdict
    response = login(town_clerk).post(
        reverse("appeals:callback", args=[appeal.code]), {"verdict": Verdict.SATISFIED}
    )

    # then it is forbidden and nothing changed; the operator may record it
    assert response.status_code == 403
    assert state_of(appeal) == before
    login(operator).post(
        reverse("appeals:callback", args=[appeal.code]),
        {"verdict": Verdict.SATISFIED, "solved": "1"},
    )
    assert fresh(appeal).status == Status.CLOSED


def test_unit_cannot_act_on_the_sibling_towns_appeal(in_xiqiao, login, town_clerk):
    # given an appeal held by 西桥街道
    before = state_of(in_xiqiao)

    # when the clerk of 芝山街道 posts sign and return forms for it
    client = login(town_clerk)
    sign = client.post(reverse("appeals:sign", args=[in_xiqiao.code]))
    give_back = client.post(reverse("appeals:return", args=[in_xiqiao.code]), {"reason": "x"})

    # then it does not exist for them and nothing changed
    assert (sign.status_code, give_back.status_code) == (404, 404)
    assert state_of(in_xiqiao) == before


# --- Citizens ------------------------------------------------------------------------------------


def _prove(client, code: str, last4: str):
    return client.post(reverse("portal:track"), {"code": code, "last4": last4})


def test_wrong_last_four_digits_find_nothing(desk, client):
    # given an appeal in hand
    appeal = desk.in_town(now=MONDAY)

    # when someone asks for it with the wrong last four digits
    response = _prove(client, appeal.code, "0000")

    # then it is not found and no timeline is shown, now or on the tracking page
    assert response.status_code == 404
    assert "events" not in response.context
    assert appeal.title not in response.content.decode()
    follow = client.get(reverse("portal:track_appeal", args=[appeal.code]))
    assert "events" not in follow.context
    assert appeal.title not in follow.content.decode()


def test_right_last_four_digits_show_the_public_timeline_only(desk, client):
    # given an appeal with an internal extension request and a return on its record
    appeal = desk.in_town(now=MONDAY)
    actions.request_extension(
        appeal=appeal, actor=desk.town, days=2, reason="需协调供电部门", now=at(2024, 3, 5)
    )
    actions.return_appeal(appeal=appeal, actor=desk.town, reason="辖区划分有误", now=at(2024, 3, 6))

    # when the citizen proves the code with the last four digits of their phone
    response = _prove(client, appeal.code.lower(), "5678")
    page = client.get(response["Location"])

    # then they see the public steps only
    assert response.status_code == 302
    assert [e.verb for e in page.context["events"]] == [
        AppealEvent.Verb.RECEIVED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.SIGNED,
    ]
    text = page.content.decode()
    assert "需协调供电部门" not in text and "辖区划分有误" not in text


def test_evaluating_without_proving_the_code_is_not_found(desk, client):
    # given an answered appeal
    appeal = desk.replied(now=MONDAY)
    before = state_of(appeal)

    # when a browser that never proved the code posts a verdict
    response = client.post(
        reverse("portal:evaluate", args=[appeal.code]), {"verdict": Verdict.UNSATISFIED}
    )

    # then it is not found and nothing changed
    assert response.status_code == 404
    assert state_of(appeal) == before


def test_citizen_who_proved_the_code_can_evaluate(desk, client):
    # given an answered appeal whose reporter proved the code
    appeal = desk.replied(now=MONDAY)
    _prove(client, appeal.code, "5678")

    # when they post their verdict
    response = client.post(
        reverse("portal:evaluate", args=[appeal.code]),
        {
            "verdict": Verdict.BASIC,
            "solved": "0",
            "note": "还行",
            "otp": track_code(client, appeal),
        },
    )

    # then the appeal closes with their verdict and their "not solved", marked as their own
    assert response.status_code == 302
    appeal.refresh_from_db()
    assert (appeal.status, appeal.verdict) == (Status.CLOSED, Verdict.BASIC)
    reply = appeal.replies.get()
    assert (reply.verdict_by_citizen, reply.solved_by_citizen) == (True, False)
    assert REPLY_TEXT in client.get(response["Location"]).content.decode()


def test_withdrawing_without_proving_the_code_is_not_found(desk, client):
    # given an appeal in hand
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when a browser that never proved the code asks to withdraw it
    response = client.post(reverse("portal:withdraw", args=[appeal.code]))

    # then it is not found and nothing changed
    assert response.status_code == 404
    assert state_of(appeal) == before


def test_the_last_four_digits_alone_cannot_record_a_verdict(desk, client):
    # given someone who knows the code and the last four digits (staff see both, masked)
    appeal = desk.replied(now=MONDAY)
    _prove(client, appeal.code, "5678")
    before = state_of(appeal)
    # when they post a verdict without the code texted to the reporter's phone
    client.post(
        reverse("portal:evaluate", args=[appeal.code]),
        {"verdict": Verdict.SATISFIED, "otp": "000000"},
    )
    # then nothing is recorded
    assert state_of(appeal) == before
