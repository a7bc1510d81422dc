"""Who sees which project on the staff pages, projects made from appeals, and the staff
list's query count."""

from datetime import date

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from shishi.appeals import actions as appeal_actions
from shishi.appeals.models import AppealEvent, Category, Channel, Kind
from shishi.projects import actions
from shishi.projects.models import ProjectEvent, Status
from shishi.projects.tests.conftest import CREATED, png
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
    office, county_clerk, login, django_assert_num_queries
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
    # 9 = 3 (session, person, memberships for the actor and the switcher) + 3 (the count, the
    # tallies by status, the page with lead units) + 3 (saving the session)
    with django_assert_num_queries(9):
        response = client.get("/staff/projects/")

    # then the page of 30 needed as many queries as the page of 2
    assert len(_codes(response)) == 30
    assert len(few) == 9


# --- A project's staff page ------------------------------------------------------------------

# 15 = 3 (session, person, memberships for the actor and the switcher)
#    + 9 (the project with its lead unit; co-units; source appeals; milestones; reports with
#      their periods and people; objections; the timeline; periods still owing a report, for
#      the lead unit's form; every photo and document in one query)
#    + 3 (saving the session: savepoint, update, release). DESIGN §8 allows 15.
PROJECT_PAGE_QUERIES = 15


def test_the_project_page_takes_a_pinned_number_of_queries(
    office, town_clerk, login, django_assert_num_queries
):
    # given a project in progress with one milestone
    project = office.new(to=Status.IN_PROGRESS)
    client = login(town_clerk)
    url = f"/staff/projects/{project.code}/"
    with django_assert_num_queries(PROJECT_PAGE_QUERIES):
        before = client.get(url)

    # when the lead unit files a report with photos and adds more milestones
    slot = project.slots.get()
    actions.file_report(
        actor=office.clerk,
        project=project,
        slot=slot,
        text="本月完成芝山路段路灯基础开挖和线缆敷设，安装路灯40盏。",
        percent=35,
        problems="",
        next_steps="",
        files=[png("one.png"), png("two.png")],
        now=at(2026, 3, 20, 9),
    )
    for month in (6, 7):
        actions.add_milestone(
            actor=office.clerk,
            project=project,
            title=f"{month}月节点",
            weight=1,
            due=date(2026, month, 30),
            now=at(2026, 3, 20, 10),
        )

    # then the page costs the same and shows them
    with django_assert_num_queries(PROJECT_PAGE_QUERIES):
        after = client.get(url)
    assert (len(before.context["reports"]), len(after.context["reports"])) == (0, 1)
    assert len(after.context["photos"]) == 2
    assert len(after.context["milestones"]) == len(before.context["milestones"]) + 2
