"""督查: the supervisor's queues of the subtree's late work (in the sidebar), a manual 催办 or
督办 with a note, a leader's 批示 and a 约谈 of the holding unit that shows on its page."""

from datetime import timedelta

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone

from shishi.appeals import actions
from shishi.appeals.allowed import Step, allowed_actions
from shishi.appeals.models import Appeal, AppealEvent, Interview
from shishi.appeals.tests.helpers import at, fresh, sms_to, state_of, verbs
from shishi.core import workdays
from shishi.core.supervision import Level

pytestmark = pytest.mark.django_db

MONDAY = at(2024, 3, 4, 9)
V = AppealEvent.Verb


def _post(client, appeal, step: str, data: dict):
    return client.post(reverse(f"appeals:{step}", args=[appeal.code]), data)


def _messages(response) -> list[str]:
    return [m.message for m in get_messages(response.wsgi_request)]


def test_supervisor_urges_the_holding_unit_with_a_note(desk, login, supervisor, town_clerk):
    # given an appeal 芝山街道 is working on, not yet late
    appeal = desk.in_town(now=MONDAY)

    # when the supervisor issues a 督办 with a note
    response = _post(
        login(supervisor),
        appeal,
        "urge",
        {"urge-rung": "3", "urge-note": "群众反映强烈，请今日办结"},
    )

    # then the timeline has a 督办 by the supervisor, the town's staff are texted, and the
    # automatic ladder is left where the deadline puts it
    assert _messages(response) == ["已督办，并短信通知芝山街道"]
    event = AppealEvent.objects.get(appeal=appeal, verb=V.SUPERVISE)
    assert (event.actor, event.note, event.public) == (
        supervisor,
        "群众反映强烈，请今日办结",
        False,
    )
    assert event.data == {"manual": True, "to": Level.SUPERVISE}
    assert any(
        body.startswith("【督办】漳州市对") and "群众反映强烈" in body
        for body in sms_to(town_clerk.phone)
    )
    assert fresh(appeal).supervision == Level.NONE


def test_a_urge_needs_a_note_and_another_unit(desk, login, supervisor):
    # given an appeal still at the city office (the supervisor's own unit) and one in town
    at_city = desk.submit(now=MONDAY)
    in_town = desk.in_town(now=MONDAY)
    before = state_of(at_city), state_of(in_town)
    client = login(supervisor)

    # when the supervisor urges the first, and the second without a note
    own = _post(client, at_city, "urge", {"urge-rung": "2", "urge-note": "请尽快派单"})
    blank = _post(client, in_town, "urge", {"urge-rung": "2", "urge-note": ""})

    # then both are refused and nothing changed
    assert "无需催办" in _messages(own)[-1]
    assert "督查意见" in _messages(blank)[-1] or "必填" in _messages(blank)[-1]
    assert (state_of(at_city), state_of(in_town)) == before
    assert Step.URGE not in allowed_actions(desk.supervisor, at_city)


def test_supervisor_records_a_leaders_instruction_staff_read_on_the_timeline(
    desk, login, supervisor, town_clerk, client
):
    # given an appeal in 芝山街道
    appeal = desk.in_town(now=MONDAY)

    # when the supervisor enters the 批示 of a city leader
    _post(
        login(supervisor),
        appeal,
        "instruct",
        {"instruct-leader": "市委副书记 陈明", "instruct-text": "请芝山街道三日内解决并回复群众"},
    )

    # then the clerk reads it on the appeal's timeline, and is texted; the citizen does not
    page = login(town_clerk).get(reverse("appeals:detail", args=[appeal.code]))
    assert "市委副书记 陈明批示：请芝山街道三日内解决并回复群众" in page.content.decode()
    assert V.INSTRUCTED in verbs(appeal) and V.INSTRUCTED not in verbs(appeal, public_only=True)
    assert any(body.startswith("【领导批示】") for body in sms_to(town_clerk.phone))


def test_an_interview_of_the_holding_unit_shows_on_its_page(
    desk, login, supervisor, county_leader, outsider
):
    # given a late appeal in 芝山街道
    appeal = desk.in_town(now=MONDAY)

    # when the supervisor records a 约谈 of the town about it
    response = _post(
        login(supervisor),
        appeal,
        "interview",
        {
            "interview-held_on": "2024-03-12",
            "interview-interviewees": "芝山街道办事处主任 王立新",
            "interview-points": "电梯维修拖延，限一周内整改到位",
        },
    )

    # then it is kept against the unit, noted on the timeline, and listed on the unit page
    # that the county's leader opens (not on a sibling's)
    interview = Interview.objects.get()
    assert (interview.unit, interview.appeal) == (desk.tree["zhishan"], appeal)
    assert _messages(response) == ["已记录对芝山街道的约谈，可在该单位页面查看"]
    assert V.INTERVIEWED in verbs(appeal)
    page = login(county_leader).get(reverse("staff:unit", args=[desk.tree["zhishan"].pk]))
    assert "芝山街道办事处主任 王立新" in page.content.decode()
    sibling = login(outsider).get(reverse("staff:unit", args=[desk.tree["xiqiao"].pk]))
    assert "王立新" not in sibling.content.decode()


@pytest.mark.parametrize("step", ["urge", "instruct", "interview"])
def test_only_supervisors_may_take_these_steps(desk, login, operator, town_clerk, step):
    # given an appeal in 芝山街道
    appeal = desk.in_town(now=MONDAY)
    before = state_of(appeal)

    # when the operator and the holding clerk try
    answers = [
        _post(login(person), appeal, step, {}).status_code for person in (operator, town_clerk)
    ]

    # then both are refused and nothing changed
    assert answers == [403, 403]
    assert state_of(appeal) == before


def test_supervisor_queues_list_the_subtrees_late_work(desk, login, supervisor):
    # given, today, an appeal two weeks overdue (so 通报), one due tomorrow, one due next month
    today = timezone.localdate()
    late, soon, fine = (desk.in_town(now=timezone.now()) for _ in range(3))
    for appeal, due in (
        (late, today - timedelta(days=14)),
        (soon, workdays.add_workdays(today, 1)),
        (fine, today + timedelta(days=30)),
    ):
        Appeal.objects.filter(pk=appeal.pk).update(handle_due=due)
    actions.sweep_supervision(now=timezone.now())
    client = login(supervisor)

    def tab(key: str) -> list[str]:
        page = client.get(reverse("appeals:queue"), {"queue": key}).context["page"]
        return [a.code for a in page.rows]

    # when the supervisor opens the queue page
    response = client.get(reverse("appeals:queue"))

    # then it opens on 已超期, its tabs count and hold the subtree's late work
    assert response.context["current"] == "all_overdue"
    assert [q.key for q in response.context["queues"]] == [
        "all_overdue",
        "all_due_soon",
        "notified",
        "all",
    ]
    assert response.context["counts"] == {"all_overdue": 1, "all_due_soon": 1, "notified": 1}
    assert (tab("all_overdue"), tab("all_due_soon"), tab("notified")) == (
        [late.code],
        [soon.code],
        [late.code],
    )


def test_supervisor_reaches_the_queues_from_the_sidebar(desk, login, supervisor, town_clerk):
    # when the supervisor opens the 通报 tab
    page = login(supervisor).get(reverse("appeals:queue") + "?queue=notified")

    # then the sidebar has the three entries and marks 通报
    nav = {item["label"]: item for s in page.context["staff_nav"] for item in s["items"]}
    assert nav["已超期"]["url"] == "/staff/appeals/?queue=all_overdue"
    assert nav["即将到期"]["url"] == "/staff/appeals/?queue=all_due_soon"
    assert [label for label, item in nav.items() if item["active"]] == ["通报"]
    # and a clerk has none of them
    clerk = login(town_clerk).get(reverse("staff:home"))
    labels = {item["label"] for s in clerk.context["staff_nav"] for item in s["items"]}
    assert not labels & {"已超期", "通报"}
