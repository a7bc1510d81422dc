"""What may be done now: in every state, for every role, the project page offers exactly the
steps `allowed_actions` lists, each offered step is accepted when posted, and each step not
offered is refused and changes nothing."""

import re
from collections.abc import Callable
from datetime import timedelta

import pytest

from shishi.projects import actions
from shishi.projects.allowed import Step, allowed_actions
from shishi.projects.models import Milestone, Project, ProjectEvent, ReportSlot, Status
from shishi.projects.tests.conftest import CREATED, STARTED, Office, png
from shishi.projects.tests.helpers import actor_of
from shishi.testing import posted_and_rolled_back


def _milestones_done(office: Office) -> Project:
    project = office.new(to=Status.IN_PROGRESS)
    for milestone in Milestone.objects.filter(project=project):
        actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)
    return project


def _objection_open(office: Office) -> Project:
    project = office.new(to=Status.DISCLOSED)
    actions.file_objection(
        project=project,
        phone="13900000009",
        content="路灯位置离住户窗户太近，影响休息",
        now=CREATED + timedelta(days=1),
    )
    return project


def _suspension_asked(office: Office) -> Project:
    project = office.new(to=Status.IN_PROGRESS)
    actions.request_status(
        actor=office.clerk, project=project, to=Status.SUSPENDED, reason="资金未到位", now=STARTED
    )
    return project


STATES: dict[str, Callable[[Office], Project]] = {
    "draft without milestones": lambda office: office.new(weights=()),
    "draft": lambda office: office.new(),
    "submitted": lambda office: office.new(to=Status.SUBMITTED),
    "approved": lambda office: office.new(to=Status.APPROVED),
    "disclosed, period over": lambda office: office.new(to=Status.DISCLOSED),
    "disclosed, objection open": _objection_open,
    "in progress": lambda office: office.new(to=Status.IN_PROGRESS),
    "in progress, milestones done": _milestones_done,
    "in progress, suspension asked": _suspension_asked,
    "suspended": lambda office: office.new(to=Status.SUSPENDED),
    "completed": lambda office: office.new(to=Status.COMPLETED),
    "accepted": lambda office: office.new(to=Status.ACCEPTED),
    "evaluated": lambda office: office.new(to=Status.EVALUATED),
    "cancelled": lambda office: office.new(to=Status.CANCELLED),
}

# The forms (and the edit link) of the project page, by the step they take.
PAGE_STEPS = [
    (re.compile(r'href="/staff/projects/[^/"]+/edit/"'), Step.EDIT),
    (re.compile(r'action="/staff/projects/[^/"]+/step/submit/"'), Step.SUBMIT),
    (re.compile(r'action="/staff/projects/[^/"]+/step/disclose/"'), Step.DISCLOSE),
    (re.compile(r'action="/staff/projects/[^/"]+/step/start/"'), Step.START),
    (re.compile(r'action="/staff/projects/[^/"]+/milestones/"'), Step.ADD_MILESTONE),
    (re.compile(r'action="/staff/projects/[^/"]+/milestones/\d+/remove/"'), Step.REMOVE_MILESTONE),
    (re.compile(r'action="/staff/projects/[^/"]+/milestones/\d+/done/"'), Step.COMPLETE_MILESTONE),
    (re.compile(r'action="/staff/projects/[^/"]+/reports/\d+/"'), Step.FILE_REPORT),
    (re.compile(r'action="/staff/projects/[^/"]+/complete/"'), Step.COMPLETE),
    (re.compile(r'action="/staff/projects/[^/"]+/status/"'), Step.REQUEST_STATUS),
    (re.compile(r'action="/staff/projects/[^/"]+/decide/review/"'), Step.REVIEW),
    (re.compile(r'action="/staff/projects/[^/"]+/decide/accept/"'), Step.ACCEPT),
    (re.compile(r'action="/staff/projects/[^/"]+/decide/status/"'), Step.DECIDE_STATUS),
]


def _posts(project: Project) -> dict[Step, tuple[str, dict]]:
    """A valid form for every step, at its URL."""
    milestone = Milestone.objects.filter(project=project).order_by("done_at", "pk").first()
    slot = ReportSlot.objects.filter(project=project).first()
    edited = {
        "title": project.title + "（调整）",
        "area": project.area,
        "level": project.level,
        "source": project.source,
        "lead_unit": project.lead_unit_id,
        "leader": project.leader,
        "planned_start": project.planned_start.isoformat(),
        "planned_end": project.planned_end.isoformat(),
        "targets": project.targets,
        "budget": str(project.budget),
        "beneficiaries": project.beneficiaries,
        "place": project.place,
        "cadence": project.cadence,
        "description": project.description,
    }
    decision = {"approve": "1", "note": "同意"}
    return {
        Step.EDIT: ("edit/", edited),
        Step.SUBMIT: ("step/submit/", {}),
        Step.DISCLOSE: ("step/disclose/", {}),
        Step.START: ("step/start/", {}),
        Step.ADD_MILESTONE: (
            "milestones/",
            {"title": "补充节点", "weight": 1, "due": "2026-12-20"},
        ),
        Step.REMOVE_MILESTONE: (f"milestones/{milestone.pk if milestone else 0}/remove/", {}),
        Step.COMPLETE_MILESTONE: (f"milestones/{milestone.pk if milestone else 0}/done/", {}),
        Step.FILE_REPORT: (
            f"reports/{slot.pk if slot else 0}/",
            {"text": "本月完成路灯安装六十盏", "percent": 50, "problems": "", "next_steps": ""},
        ),
        Step.COMPLETE: ("complete/", {"after": png(), "note": ""}),
        Step.REQUEST_STATUS: ("status/", {"to": Status.CANCELLED, "reason": "规划调整"}),
        Step.REVIEW: ("decide/review/", decision),
        Step.ACCEPT: ("decide/accept/", decision),
        Step.DECIDE_STATUS: ("decide/status/", decision),
    }


@pytest.mark.django_db
@pytest.mark.parametrize("state", list(STATES))
def test_the_page_offers_exactly_the_steps_that_are_accepted(
    state, office, login, town_clerk, town_leader, county_leader, city_admin, outsider
):
    # given a project of 芝山街道 in this state
    project = STATES[state](office)

    for person in (town_clerk, town_leader, county_leader, city_admin, outsider):
        project.refresh_from_db()
        allowed = allowed_actions(actor_of(person), project)
        client = login(person)

        # when the person opens the project, then its page offers exactly the allowed steps
        page = client.get(f"/staff/projects/{project.code}/")
        if page.status_code == 200:
            html = page.content.decode()
            shown = {step for pattern, step in PAGE_STEPS if pattern.search(html)}
            assert shown == allowed, (state, person.username)
        else:
            assert (page.status_code, allowed) == (404, frozenset()), person.username

        # and every step they post is accepted exactly when it is allowed
        for step, (url, data) in _posts(project).items():
            events = ProjectEvent.objects.filter(project=project)
            path = f"/staff/projects/{project.code}/{url}"
            accepted = posted_and_rolled_back(client, path, data, events=events)
            assert accepted == (step in allowed), (state, person.username, step)


@pytest.mark.django_db
def test_the_lead_unit_is_told_why_it_cannot_start_or_complete_yet(office, login, town_clerk):
    # given a disclosed project with an unanswered objection, and one in progress with a
    # milestone still open
    waiting = _objection_open(office)
    running = office.new(to=Status.IN_PROGRESS)
    client = login(town_clerk)

    # when its clerk opens them
    waiting_page = client.get(f"/staff/projects/{waiting.code}/").content.decode()
    running_page = client.get(f"/staff/projects/{running.code}/").content.decode()

    # then each page says what is missing instead of offering a step that would be refused
    assert 'data-testid="start-hint"' in waiting_page and "step/start/" not in waiting_page
    assert 'data-testid="complete-hint"' in running_page and "/complete/" not in running_page
    assert 'data-testid="start-hint"' not in running_page
