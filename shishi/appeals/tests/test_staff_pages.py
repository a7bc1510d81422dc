"""The staff pages drive the same actions: hotline entry, dispatch with co-handlers, the
co-handler's queue, refusals shown as messages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shishi.appeals.models import Appeal, Dispatch, ReplyKind, Status
from shishi.appeals.tests.conftest import CONTENT, HOUSING
from shishi.appeals.tests.helpers import at, fresh, state_of, verbs

pytestmark = pytest.mark.django_db

MONDAY = at(2024, 3, 4, 9)


def _messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


def _queue(client, key: str) -> list[str]:
    response = client.get(reverse("appeals:queue") + f"?queue={key}")
    return [a.code for a in response.context["page"].rows]


def test_operator_registers_a_call_and_resolves_it_directly(desk, login, operator):
    # when the operator enters a call they answered on the phone
    response = login(operator).post(
        reverse("appeals:new"),
        {
            "kind": "consult",
            "category": desk.categories[HOUSING].pk,
            "content": CONTENT,
            "reporter_phone": "13912345678",
            "direct_reply": "已告知物业维修电话，群众表示认可。",
        },
    )

    # then the appeal is registered from the hotline and answered at once
    appeal = Appeal.objects.get()
    assert response["Location"] == reverse("appeals:detail", args=[appeal.code])
    assert (appeal.channel, appeal.status, appeal.created_by) == ("operator", "replied", operator)
    assert verbs(appeal) == ["受理", "直办答复"]


def test_clerk_cannot_open_hotline_entry(desk, login, town_clerk):
    # when a town clerk opens the hotline entry form, then it is forbidden
    assert login(town_clerk).get(reverse("appeals:new")).status_code == 403


def test_dispatch_page_sends_the_appeal_down_with_a_co_handler(
    desk, login, operator, county_clerk, outsider
):
    # given an appeal at the city
    appeal = desk.submit(now=MONDAY)

    # when the city sends it to 芗城区, which sends it to 芝山街道 with 西桥街道 co-handling
    login(operator).post(
        reverse("appeals:dispatch", args=[appeal.code]), {"to_unit": desk.tree["xiangcheng"].pk}
    )
    login(county_clerk).post(
        reverse("appeals:dispatch", args=[appeal.code]),
        {"to_unit": desk.tree["zhishan"].pk, "co_units": [desk.tree["xiqiao"].pk]},
    )

    # then 芝山街道 holds it and 西桥街道 finds it in its queue to sign, until it signs
    assert fresh(appeal).holder == desk.tree["zhishan"]
    sibling = login(outsider)
    assert _queue(sibling, "to_sign") == [appeal.code]
    signed = sibling.post(reverse("appeals:co_sign", args=[appeal.code]))
    assert _messages(signed) == ["已签收协办"]
    assert _queue(sibling, "to_sign") == []
    assert Dispatch.objects.get(appeal=appeal, co_handler=True).signed_at is not None


def test_dispatch_page_refuses_a_unit_outside_the_subtree(desk, login, county_clerk):
    # given an appeal 芗城区 holds
    appeal = desk.submit(now=MONDAY)
    desk.dispatch(appeal, to="xiangcheng", now=MONDAY)
    before = state_of(appeal)

    # when 芗城区 posts 蓝田街道 (龙文区) as the target
    response = login(county_clerk).post(
        reverse("appeals:dispatch", args=[appeal.code]), {"to_unit": desk.tree["lantian"].pk}
    )

    # then the form says the choice is not available, and nothing changed
    assert response.status_code == 302
    assert any("选择一个有效的选项" in m for m in _messages(response))
    assert state_of(appeal) == before


def test_refused_reply_comes_back_as_a_message_and_changes_nothing(desk, login, town_clerk):
    # given an appeal 芝山街道 signed
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when the town answers "cannot be solved" without a reason through the page
    response = login(town_clerk).post(
        reverse("appeals:reply", args=[appeal.code]),
        {"kind": ReplyKind.UNSOLVABLE, "text": "经核查暂不具备解决条件，已做好解释。"},
    )

    # then it goes back to the appeal with the refusal, and nothing changed
    assert response["Location"] == reverse("appeals:detail", args=[appeal.code])
    assert _messages(response) == ["无法解决的，请说明原因"]
    assert state_of(appeal) == before
    assert fresh(appeal).status == Status.ACCEPTED


def test_detail_page_shows_the_holder_its_actions_with_bounded_queries(
    desk, login, town_clerk, django_assert_max_num_queries
):
    # given an appeal 芝山街道 signed, and two more open appeals about lifts
    appeal = desk.in_town(now=MONDAY)
    for hour in (10, 11):
        desk.submit(now=at(2024, 3, 4, hour))
    client = login(town_clerk)

    # when the town opens it (a fixed number of queries: one per list on the page, up to
    # four word searches for similar appeals)
    with django_assert_max_num_queries(21):
        response = client.get(reverse("appeals:detail", args=[appeal.code]))

    # then the page offers the holder's forms and the full timeline
    assert response.status_code == 200
    assert response.context["holds"] is True
    assert [e.verb for e in response.context["events"]] == ["受理", "派单", "派单", "签收"]
