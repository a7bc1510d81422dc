"""Progress is the weight of done milestones over the weight of all milestones."""

from datetime import date

import pytest

from shishi.core.errors import Refused
from shishi.projects import actions
from shishi.projects.models import Milestone, ProjectEvent, Status
from shishi.projects.tests.conftest import CREATED, STARTED
from shishi.projects.tests.helpers import at, fresh, state_of


def _in_order(project) -> list[Milestone]:
    return list(Milestone.objects.filter(project=project).order_by("due", "pk"))


def test_completing_the_first_two_of_weights_1_2_4_3_gives_30_percent(office):
    # given a project in progress with milestones weighing 1, 2, 4 and 3
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 2, 4, 3))
    first, second, *_ = _in_order(project)

    # when the first two are done
    actions.complete_milestone(actor=office.clerk, milestone=first, now=STARTED)
    progress = actions.complete_milestone(actor=office.clerk, milestone=second, now=STARTED)

    # then (1 + 2) / 10 of the work is done
    assert progress == 30
    assert fresh(project).progress == 30


def test_the_first_milestone_alone_gives_its_share(office):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 2, 4, 3))

    actions.complete_milestone(actor=office.clerk, milestone=_in_order(project)[0], now=STARTED)

    assert fresh(project).progress == 10


def test_adding_a_milestone_recomputes_progress(office):
    # given 30% done of weights 1, 2, 4, 3
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 2, 4, 3))
    for milestone in _in_order(project)[:2]:
        actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)

    # when a milestone of weight 10 is added
    actions.add_milestone(
        actor=office.clerk,
        project=project,
        title="增补照明点位",
        weight=10,
        due=date(2026, 11, 30),
        now=STARTED,
    )

    # then 3 of 20 is done
    assert fresh(project).progress == 15


def test_adding_a_milestone_on_the_page_recomputes_progress(office, town_clerk, login):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    actions.complete_milestone(actor=office.clerk, milestone=_in_order(project)[0], now=STARTED)
    assert fresh(project).progress == 50

    login(town_clerk).post(
        f"/staff/projects/{project.code}/milestones/",
        {"title": "线路改造", "weight": "2", "due": "2026-10-15"},
    )

    assert fresh(project).progress == 25


def test_completing_every_milestone_gives_100_percent(office):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 2, 4, 3))

    for milestone in _in_order(project):
        progress = actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)

    assert progress == 100


def test_removing_a_milestone_of_a_draft_on_the_page_recomputes(office, town_clerk, login):
    # given a draft with two milestones
    project = office.new(weights=(1, 3))
    first = _in_order(project)[0]

    # when the clerk removes the first
    response = login(town_clerk).post(
        f"/staff/projects/{project.code}/milestones/{first.pk}/remove/"
    )

    # then only the second is left, nothing is done, and the removal is recorded
    assert response.status_code == 302
    assert [m.weight for m in _in_order(project)] == [3]
    assert fresh(project).progress == 0
    assert (
        ProjectEvent.objects.filter(
            project=project, verb=ProjectEvent.Verb.MILESTONE_REMOVED
        ).count()
        == 1
    )


def test_removing_a_milestone_after_approval_is_refused(office):
    # given 30% done in progress
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 2, 4, 3))
    first, second, third, _ = _in_order(project)
    for milestone in (first, second):
        actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)
    before = state_of(project)

    # when the clerk tries to remove an undone milestone
    with pytest.raises(Refused, match="审核通过后不能删除节点"):
        actions.remove_milestone(actor=office.clerk, milestone=third, now=STARTED)

    # then nothing changed, the progress included
    assert state_of(project) == before
    assert fresh(project).progress == 30


def test_a_milestone_cannot_be_completed_twice(office):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    first = _in_order(project)[0]
    actions.complete_milestone(actor=office.clerk, milestone=first, now=STARTED)
    before = state_of(project)

    with pytest.raises(Refused, match="已完成"):
        actions.complete_milestone(actor=office.clerk, milestone=first, now=at(2026, 3, 13))

    assert state_of(project) == before


@pytest.mark.parametrize(
    ("weight", "due", "message"),
    [
        (0, date(2026, 5, 1), "权重"),
        (101, date(2026, 5, 1), "权重"),
        (1, date(2027, 1, 1), "之间"),
        (1, date(2026, 2, 28), "之间"),
    ],
)
def test_a_milestone_out_of_range_is_refused(office, weight, due, message):
    project = office.new()
    before = state_of(project)

    with pytest.raises(Refused, match=message):
        actions.add_milestone(
            actor=office.clerk, project=project, title="节点", weight=weight, due=due, now=CREATED
        )

    assert state_of(project) == before


def test_a_late_milestone_says_so_on_the_public_timeline(office):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    first = _in_order(project)[0]  # due 15 April

    actions.complete_milestone(actor=office.clerk, milestone=first, now=at(2026, 4, 20))

    event = ProjectEvent.objects.filter(
        project=project, verb=ProjectEvent.Verb.MILESTONE_DONE
    ).get()
    assert event.public
    assert "（超期）" in event.note
    assert "总体进度50%" in event.note
