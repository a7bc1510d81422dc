"""Who sees which project on the staff pages, projects made from appeals, and the staff
list's query count."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shishi.appeals import actions as appeal_actions
from shishi.appeals.models import AppealEvent, Category, Channel, Kind
from shishi.projects import actions
from shishi.projects.models import ProjectEvent, Status
from shishi.projects.tests.conftest import CREATED
from shishi.projects.tests.helpers import at


def _codes(response) -> set[str]:
    return {p.code for p in response.context["page"].object_list}


def test_a_town_clerk_cannot_open_a_sibling_towns_project(office, town_clerk, login):
    # given a project led by the sibling town 西桥街道
    project = office.new(lead="xiqiao", title="西桥街道饮水安全提升")

    # when 芝山's clerk opens it
    response = login(town_clerk).get(f"/staff/projects/{project.code}/")

    # then it does not exist for them
    assert response.status_code == 404


def test_a_town_clerk_does_not_find_a_sibling_towns_project_in_the_list(office, town_clerk, login):
    # given a project of each town
    mine = office.new(title="芝山街道路灯补亮")
    sibling = office.new(lead="xiqiao", title="西桥街道饮水安全提升")
    client = login(town_clerk)

    # when 芝山's clerk lists projects and searches for the sibling's code
    listed = client.get("/staff/projects/")
    searched = client.get("/staff/projects/", {"q": sibling.code})

    # then only their own town's project is there
    assert _codes(listed) == {mine.code}
    assert _codes(searched) == set()
    assert "西桥街道饮水安全提升" not in listed.content.decode()


def test_the_county_sees_both_towns_projects(office, county_clerk, login):
    mine = office.new()
    sibling = office.new(lead="xiqiao")
    office.new(lead="lantian")

    response = login(county_clerk).get("/staff/projects/")

    assert _codes(response) == {mine.code, sibling.code}


def test_the_status_buttons_count_each_project_once(office, county_clerk, login):
    # given one draft with two co-units inside 芗城区
    office.new(co_units=[office.tree["village"], office.tree["xiqiao"]])

    # when 芗城区's clerk opens the list
    response = login(county_clerk).get("/staff/projects/")

    # then it is one project, once
    assert len(_codes(response)) == 1
    assert response.context["counts"] == {"draft": 1}


def test_a_co_unit_sees_the_project_but_does_not_run_it(office, town_clerk, login):
    # given a 龙文区 project with 芝山街道 as a co-unit
    project = office.new(lead="lantian", co_units=[office.tree["zhishan"]])
    client = login(town_clerk)

    # when 芝山's clerk opens it and tries to submit it
    page = client.get(f"/staff/projects/{project.code}/")
    submit = client.post(f"/staff/projects/{project.code}/step/submit/")

    # then they see it, but running it is not theirs
    assert page.status_code == 200
    assert submit.status_code == 404
    project.refresh_from_db()
    assert project.status == Status.DRAFT


def test_a_supervising_unit_cannot_edit_the_lead_units_project(office, county_clerk, login):
    project = office.new()

    response = login(county_clerk).get(f"/staff/projects/{project.code}/edit/")

    assert response.status_code == 404


def test_an_auditor_may_not_open_the_project_ledger(auditor, login):
    response = login(auditor).get("/staff/projects/")

    assert response.status_code == 403


def test_an_auditor_may_not_open_a_project(office, auditor, login):
    project = office.new()

    assert login(auditor).get(f"/staff/projects/{project.code}/").status_code == 403


def test_an_anonymous_visitor_is_sent_to_sign_in(office, client):
    response = client.get("/staff/projects/")

    assert response.status_code == 302
    assert "login" in response["Location"]


def test_the_lead_unit_edits_its_draft_on_the_form(office, town_clerk, login):
    project = office.new()
    client = login(town_clerk)

    response = client.post(
        f"/staff/projects/{project.code}/edit/",
        {
            "title": "芝山街道背街小巷路灯补亮（二期）",
            "area": "living",
            "level": "town",
            "source": "public",
            "lead_unit": office.tree["zhishan"].pk,
            "leader": "街道办主任 张某某",
            "planned_start": "2026-03-01",
            "planned_end": "2026-12-31",
            "targets": "补装路灯120盏，消除照明盲区",
            "budget": "85.50",
            "beneficiaries": "3000",
            "cadence": "monthly",
        },
    )

    assert response.status_code == 302
    project.refresh_from_db()
    assert project.title == "芝山街道背街小巷路灯补亮（二期）"
    event = ProjectEvent.objects.filter(project=project).latest("pk")
    assert event.verb == ProjectEvent.Verb.EDITED
    assert event.data["changes"]["title"][1] == "芝山街道背街小巷路灯补亮（二期）"


# --- Projects made from appeals --------------------------------------------------------------


@pytest.fixture
def appeal(tree):
    appeal_actions.import_categories(rows=[("城乡建设", "市政设施")])
    appeal, _ = appeal_actions.submit_appeal(
        submission=appeal_actions.Submission(
            channel=Channel.WEB,
            kind=Kind.SUGGESTION,
            category=Category.objects.get(name="市政设施"),
            content="芝山路背街小巷没有路灯，晚上出行很不安全，希望增设路灯。",
            reporter_phone="13912345678",
        ),
        receiver=tree["city"],
        by=None,
        now=at(2026, 2, 20),
    )
    return appeal


def test_appeals_taken_up_by_a_project_show_it_on_their_public_timeline(office, appeal):
    # given a citizen's appeal about missing street lamps
    # when the town enters a project made from it
    project = actions.create_project(
        actor=office.clerk, data=office.data(source="hotspot"), now=CREATED, appeals=[appeal]
    )

    # then the citizen's timeline says so publicly, naming the project
    event = AppealEvent.objects.filter(appeal=appeal, verb=AppealEvent.Verb.IN_PROJECT).get()
    assert event.public
    assert project.code in event.note and project.title in event.note
    assert list(project.appeals.all()) == [appeal]
    assert ProjectEvent.objects.filter(
        project=project, verb=ProjectEvent.Verb.APPEALS_LINKED, note=appeal.code
    ).exists()


def test_the_appeal_hears_when_its_project_is_completed(office, appeal):
    project = actions.create_project(
        actor=office.clerk, data=office.data(), now=CREATED, appeals=[appeal]
    )
    actions.add_milestone(
        actor=office.clerk,
        project=project,
        title="安装",
        weight=1,
        due=project.planned_end,
        now=CREATED,
    )

    office.walk(project, to=Status.COMPLETED)

    event = AppealEvent.objects.filter(appeal=appeal, verb=AppealEvent.Verb.PROJECT_DONE).get()
    assert event.public


def test_a_project_without_appeals_touches_no_appeal(office, appeal):
    events = AppealEvent.objects.count()

    office.new()

    assert AppealEvent.objects.count() == events


# --- The staff list's queries ----------------------------------------------------------------


def test_the_staff_list_takes_the_same_queries_for_few_or_many_projects(
    office, county_clerk, login, django_assert_max_num_queries
):
    # given two projects, listed once to count the queries
    for number in range(2):
        office.new(title=f"项目{number}", co_units=[office.tree["village"]])
    client = login(county_clerk)
    with CaptureQueriesContext(connection) as few:
        first = client.get("/staff/projects/")
    assert len(_codes(first)) == 2

    # when there are 30 in several states and the list is shown again
    for number in range(2, 30):
        state = [Status.DRAFT, Status.IN_PROGRESS, Status.COMPLETED][number % 3]
        office.new(to=state, title=f"项目{number}", lead=["zhishan", "xiqiao"][number % 2])
    with django_assert_max_num_queries(len(few)):
        response = client.get("/staff/projects/")

    # then the page of 30 needed no more queries than the page of 2, and few in all
    assert len(_codes(response)) == 30
    assert len(few) <= 12
