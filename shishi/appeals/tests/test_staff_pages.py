"""The staff pages drive the same actions: hotline entry, dispatch with co-handlers, the
co-handler's queue, refusals shown as messages."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from shishi.appeals import actions
from shishi.appeals.models import Appeal, AppealEvent, Dispatch, ReplyKind, Status
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
    assert verbs(appeal) == [AppealEvent.Verb.RECEIVED, AppealEvent.Verb.DIRECT_REPLY]


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


# What every staff page costs around its own reads: the session, the person, their
# memberships (read once for the actor and the unit switcher); then saving the session
# (savepoint, update, release: sessions are saved on every request for the idle timeout).
SHELL_QUERIES = 3 + 3
# The appeal page's own reads: the appeal (with its category, units and merge target), the
# open co-handling dispatch (for 签收协办, by allowed_actions), then one query per list:
# merged duplicates, photos, replies, the timeline, dispatches, review requests (the last
# two also tell allowed_actions about pending requests and the answer to call back about).
APPEAL_PAGE_QUERIES = 1 + 1 + 6


def test_detail_page_shows_the_holder_its_actions_with_pinned_queries(
    desk, login, town_clerk, django_assert_num_queries
):
    # given an appeal 芝山街道 signed, and two more open appeals about lifts
    appeal = desk.in_town(now=MONDAY)
    for hour in (10, 11):
        desk.submit(now=at(2024, 3, 4, hour))
    client = login(town_clerk)

    # when the town opens it: 15 = the shell's 6 + the page's 8 + the units it may dispatch
    # to (one query for both lists of the form); DESIGN §8 allows 15
    with django_assert_num_queries(SHELL_QUERIES + APPEAL_PAGE_QUERIES + 1):
        response = client.get(reverse("appeals:detail", args=[appeal.code]))

    # then the page offers the holder's forms and the full timeline
    assert response.status_code == 200
    assert {"sign", "reply", "dispatch"} & response.context["allowed"] == {"reply", "dispatch"}
    assert [e.verb for e in response.context["events"]] == [
        AppealEvent.Verb.RECEIVED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.SIGNED,
    ]


def test_detail_page_costs_the_same_for_intake_staff_and_a_long_history(
    desk, login, operator, django_assert_num_queries
):
    # given an appeal at the city that went down, came back twice and was answered and
    # reopened, and two more open appeals about lifts
    appeal = desk.submit(now=MONDAY)
    for hour in (10, 11):
        desk.submit(now=at(2024, 3, 4, hour))
    client = login(operator)
    url = reverse("appeals:detail", args=[appeal.code])
    # 15 = the shell's 6 + the page's 8 + the units to dispatch to; the similar appeals for
    # the merge form are not searched here (they load when the form is opened)
    with django_assert_num_queries(SHELL_QUERIES + APPEAL_PAGE_QUERIES + 1):
        short = client.get(url)

    # when it goes down and comes back twice
    for day in (5, 6):
        desk.dispatch(appeal, to="xiangcheng", now=at(2024, 3, day, 9))
        actions.return_appeal(
            appeal=appeal, actor=desk.county, reason="不属于本级职责", now=at(2024, 3, day, 10)
        )

    # then the page costs the same
    with django_assert_num_queries(SHELL_QUERIES + APPEAL_PAGE_QUERIES + 1):
        long = client.get(url)
    assert len(long.context["events"]) > len(short.context["events"])


def test_merge_form_offers_similar_open_appeals_when_opened(desk, login, operator, county_clerk):
    # given three open appeals about the same lift, the first sent to 芗城区
    appeal = desk.submit(now=MONDAY)
    others = [desk.submit(now=at(2024, 3, 4, hour)) for hour in (10, 11)]
    desk.dispatch(appeal, to="xiangcheng", now=at(2024, 3, 4, 12))
    url = reverse("appeals:similar_to", args=[appeal.code])

    # when the operator opens the merge form of the first
    response = login(operator).get(url)

    # then the other two are offered; a clerk, who may not merge, is refused
    assert response.status_code == 200
    assert {a.code for a in response.context["similar"]} == {a.code for a in others}
    assert login(county_clerk).get(url).status_code == 403
