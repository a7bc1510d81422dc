"""Progress reports: the slots a project owes on a fixed clock, the supervision ladder for
missing reports and late milestones, filing and the leader's review."""

from datetime import date

import pytest

from shishi.core.errors import Refused
from shishi.core.models import OutboxMessage
from shishi.core.supervision import Level
from shishi.projects import actions
from shishi.projects.models import Milestone, ProgressReport, ProjectEvent, ReportSlot, Status
from shishi.projects.tests.conftest import STARTED
from shishi.projects.tests.helpers import at, fresh, state_of

REPORT_TEXT = "本月完成芝山路、北京路段路灯基础开挖和线缆敷设，安装路灯40盏。"


def _file(office, project, slot, *, now, text: str = REPORT_TEXT) -> ProgressReport:
    return actions.file_report(
        actor=office.clerk,
        project=project,
        slot=slot,
        text=text,
        percent=35,
        problems="",
        next_steps="",
        now=now,
    )


# --- Which period, due when ----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cadence", "today", "period_start", "due"),
    [
        # an ordinary week: due on its Friday
        ("weekly", date(2026, 11, 25), date(2026, 11, 23), date(2026, 11, 27)),
        # Sunday 4 February 2024 was a make-up working day of the week before: still Friday
        ("weekly", date(2024, 2, 7), date(2024, 2, 5), date(2024, 2, 9)),
        # an ordinary month: 24 October 2026 is a Saturday, due Monday 26th
        ("monthly", date(2026, 10, 10), date(2026, 10, 1), date(2026, 10, 26)),
        # Mid-Autumn Festival, Friday 25 September 2026: due Monday 28th
        ("monthly", date(2026, 9, 10), date(2026, 9, 1), date(2026, 9, 28)),
        # Spring Festival 2023 (21–27 January): due on the make-up Saturday 28th
        ("monthly", date(2023, 1, 5), date(2023, 1, 1), date(2023, 1, 28)),
        # Spring Festival 2025 starts on the 28th: due on the make-up Sunday 26 January
        ("monthly", date(2025, 1, 20), date(2025, 1, 1), date(2025, 1, 26)),
    ],
)
def test_open_slots_creates_the_periods_slot_with_its_due_date(
    office, cadence, today, period_start, due
):
    # given a project in progress reporting on `cadence`
    project = office.new(to=Status.IN_PROGRESS, cadence=cadence)

    # when the worker opens the slots of `today`
    created = actions.open_slots(today=today)

    # then the period's slot exists with its due date
    assert created == 1
    assert project.slots.filter(period_start=period_start, due=due).exists()


@pytest.mark.parametrize(
    ("today", "period_start", "due"),
    [
        # 28–30 September 2026 are the week's only working days (National Day from 1 October)
        (date(2026, 9, 30), date(2026, 9, 28), date(2026, 9, 30)),
        # Friday 25 September 2026 is the Mid-Autumn Festival: due Thursday 24th
        (date(2026, 9, 23), date(2026, 9, 21), date(2026, 9, 24)),
    ],
)
def test_a_weekly_report_of_a_holiday_week_is_due_on_its_last_working_day(
    office, today, period_start, due
):
    project = office.new(to=Status.IN_PROGRESS, cadence="weekly")

    actions.open_slots(today=today)

    assert project.slots.get(period_start=period_start).due == due


def test_opening_slots_twice_creates_them_once(office):
    project = office.new(to=Status.IN_PROGRESS, cadence="weekly")

    first = actions.open_slots(today=date(2026, 11, 25))
    second = actions.open_slots(today=date(2026, 11, 26))

    assert (first, second) == (1, 0)
    assert project.slots.filter(period_start=date(2026, 11, 23)).count() == 1


def test_only_projects_in_progress_owe_reports(office):
    # given a draft, a suspended and a completed project
    for state in (Status.DRAFT, Status.SUSPENDED, Status.COMPLETED):
        office.new(to=state)
    slots = ReportSlot.objects.count()

    # when the worker opens next month's slots
    created = actions.open_slots(today=date(2026, 11, 2))

    # then nobody owes one
    assert created == 0
    assert ReportSlot.objects.count() == slots


# --- The ladder -----------------------------------------------------------------------------------


def _march_slot(project) -> ReportSlot:
    """Started 12 March: the March slot is due on Wednesday 25 March 2026."""
    slot = project.slots.get()
    assert (slot.period_start, slot.due) == (date(2026, 3, 1), date(2026, 3, 25))
    return slot


def test_a_missing_report_climbs_the_ladder_day_by_day(office, town_clerk):
    # given a project in progress whose March report is due on Wednesday 25 March
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)

    # when the worker sweeps every day from Monday 23 to Monday 30 March
    levels = {}
    for day in (23, 24, 25, 26, 27, 30):
        actions.sweep_supervision(now=at(2026, 3, day, 9))
        slot.refresh_from_db()
        levels[day] = slot.supervision

    # then 提醒 the day before, 催办 on the day, 督办 after, 通报 after 3 working days
    assert levels == {
        23: Level.NONE,
        24: Level.REMIND,
        25: Level.URGE,
        26: Level.SUPERVISE,
        27: Level.SUPERVISE,
        30: Level.NOTIFY,
    }
    ladder = ProjectEvent.objects.filter(project=project, data__duty="reports").order_by("pk")
    assert list(ladder.values_list("verb", flat=True)) == [
        ProjectEvent.Verb.REMIND,
        ProjectEvent.Verb.URGE,
        ProjectEvent.Verb.SUPERVISE,
        ProjectEvent.Verb.NOTIFY,
    ]
    assert "超期3个工作日" in ladder.last().note
    sms = OutboxMessage.objects.filter(recipient=town_clerk.phone, body__startswith="【通报】")
    assert sms.count() == 1


def test_sweeping_twice_at_the_same_moment_changes_nothing(office):
    # given a swept missing report
    project = office.new(to=Status.IN_PROGRESS)
    first = actions.sweep_supervision(now=at(2026, 3, 26, 9))
    before = state_of(project)

    # when the worker sweeps again
    second = actions.sweep_supervision(now=at(2026, 3, 26, 9))

    # then nothing moved and nothing was written
    assert first == {"milestones": 0, "reports": 1}
    assert second == {"milestones": 0, "reports": 0}
    assert state_of(project) == before


def test_filing_the_report_stops_the_ladder(office):
    # given a reminded report
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)
    actions.sweep_supervision(now=at(2026, 3, 24, 9))

    # when the clerk files it on time and the worker sweeps after the due date
    report = _file(office, project, slot, now=at(2026, 3, 24, 15))
    moved = actions.sweep_supervision(now=at(2026, 3, 30, 9))

    # then the report is not late and the slot climbs no more
    assert report.late is False
    slot.refresh_from_db()
    assert slot.supervision == Level.NONE
    assert moved["reports"] == 0


def test_a_report_filed_after_its_due_date_is_flagged_late(office):
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)

    report = _file(office, project, slot, now=at(2026, 3, 26, 9))

    assert report.late is True
    event = ProjectEvent.objects.filter(project=project, verb=ProjectEvent.Verb.MONTHLY_FILED).get()
    assert event.note.endswith("（迟报）")


def test_a_report_filed_late_on_the_due_date_evening_is_on_time(office):
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)

    report = _file(office, project, slot, now=at(2026, 3, 25, 23, 30))

    assert report.late is False


def test_a_late_milestone_climbs_the_ladder(office):
    # given a project in progress whose first milestone is due Wednesday 15 April
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    _file(office, project, _march_slot(project), now=at(2026, 3, 20))
    milestone = Milestone.objects.filter(project=project).order_by("due").first()

    # when the worker sweeps the day after and three working days after
    after_one = actions.sweep_supervision(now=at(2026, 4, 16, 9))
    level_after_one = Milestone.objects.get(pk=milestone.pk).supervision
    actions.sweep_supervision(now=at(2026, 4, 20, 9))

    # then it is 督办 first and 通报 later, each with an event naming the milestone
    assert after_one == {"milestones": 1, "reports": 0}
    assert level_after_one == Level.SUPERVISE
    assert Milestone.objects.get(pk=milestone.pk).supervision == Level.NOTIFY
    notes = ProjectEvent.objects.filter(project=project, data__duty="milestones").order_by("pk")
    assert [e.verb for e in notes] == [ProjectEvent.Verb.SUPERVISE, ProjectEvent.Verb.NOTIFY]
    assert "第1阶段" in notes[0].note


def test_completing_a_late_milestone_stops_the_ladder(office):
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    _file(office, project, _march_slot(project), now=at(2026, 3, 20))
    milestone = Milestone.objects.filter(project=project).order_by("due").first()
    actions.sweep_supervision(now=at(2026, 4, 16, 9))

    actions.complete_milestone(actor=office.clerk, milestone=milestone, now=at(2026, 4, 17))
    moved = actions.sweep_supervision(now=at(2026, 4, 20, 9))

    assert moved["milestones"] == 0
    assert Milestone.objects.get(pk=milestone.pk).supervision == Level.SUPERVISE


def test_a_suspended_project_is_not_chased(office):
    project = office.new(to=Status.SUSPENDED)
    before = state_of(project)

    moved = actions.sweep_supervision(now=at(2026, 4, 30, 9))

    assert moved == {"milestones": 0, "reports": 0}
    assert state_of(project) == before


# --- Filing and reviewing ------------------------------------------------------------------------


def _post_report(client, project, slot, text: str = REPORT_TEXT):
    return client.post(
        f"/staff/projects/{project.code}/reports/{slot.pk}/",
        {"text": text, "percent": "35", "problems": "", "next_steps": "继续安装"},
        follow=True,
    )


def test_the_lead_unit_files_a_report_on_the_page(office, town_clerk, login):
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)

    response = _post_report(login(town_clerk), project, slot)

    assert "进度已报送" in response.content.decode()
    report = ProgressReport.objects.get(slot=slot)
    assert (report.percent, report.review, report.filed_by) == (35, "pending", town_clerk)


def test_a_report_cannot_be_filed_twice(office, town_clerk, login):
    # given a filed report
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)
    client = login(town_clerk)
    _post_report(client, project, slot)
    before = state_of(project)

    # when the clerk files the same period again
    response = _post_report(client, project, slot, text="重新填写的本期进展，内容不同于第一次。")

    # then it is refused and the first report stands
    assert "不能重复报送" in response.content.decode()
    assert state_of(project) == before


def test_a_returned_report_can_be_filed_again(office, town_clerk, town_leader, login):
    # given a report the leader sent back
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)
    _post_report(login(town_clerk), project, slot)
    report = ProgressReport.objects.get(slot=slot)
    login(town_leader).post(
        f"/staff/projects/{project.code}/reports/{report.pk}/review/",
        {"approve": "0", "note": "请补充现场照片"},
    )
    assert ProgressReport.objects.get(pk=report.pk).review == "returned"

    # when the clerk files it again
    second = "补充说明：已安装路灯40盏，剩余80盏下月完成。"
    _post_report(login(town_clerk), project, slot, text=second)

    # then the same report is pending review again with the new text
    report = ProgressReport.objects.get(slot=slot)
    assert (report.text, report.review, report.review_note) == (second, "pending", "")


def test_the_leader_approves_a_report_once(office, town_leader, login):
    project = office.new(to=Status.IN_PROGRESS)
    report = _file(office, project, _march_slot(project), now=at(2026, 3, 20))
    client = login(town_leader)

    client.post(
        f"/staff/projects/{project.code}/reports/{report.pk}/review/",
        {"approve": "1", "note": "同意"},
    )
    response = client.post(
        f"/staff/projects/{project.code}/reports/{report.pk}/review/",
        {"approve": "0", "note": "再看看"},
        follow=True,
    )

    report.refresh_from_db()
    assert (report.review, report.reviewed_by_id) == ("approved", town_leader.pk)
    assert "该报告已审核" in response.content.decode()


def test_a_clerk_cannot_review_a_report(office, town_clerk, login):
    project = office.new(to=Status.IN_PROGRESS)
    report = _file(office, project, _march_slot(project), now=at(2026, 3, 20))
    before = state_of(project)

    response = login(town_clerk).post(
        f"/staff/projects/{project.code}/reports/{report.pk}/review/",
        {"approve": "1", "note": ""},
    )

    assert response.status_code == 403
    assert state_of(project) == before


def test_returning_a_report_needs_a_note(office):
    project = office.new(to=Status.IN_PROGRESS)
    report = _file(office, project, _march_slot(project), now=at(2026, 3, 20))
    before = state_of(project)

    with pytest.raises(Refused, match="退回时请填写意见"):
        actions.review_report(
            actor=office.leader, report=report, approve=False, note="", now=at(2026, 3, 21)
        )

    assert state_of(project) == before


@pytest.mark.parametrize("person", ["county_clerk", "county_leader", "outsider"])
def test_only_the_lead_unit_files_reports(office, login, request, person):
    # given a 芝山 project; 芗城区 sees it, 西桥街道 does not
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)
    before = state_of(project)

    # when someone of another unit files its report
    response = login(request.getfixturevalue(person)).post(
        f"/staff/projects/{project.code}/reports/{slot.pk}/",
        {"text": REPORT_TEXT, "percent": "35"},
    )

    # then the page does not exist for them
    assert response.status_code == 404
    assert state_of(project) == before


def test_reports_are_only_filed_for_projects_in_progress(office):
    project = office.new(to=Status.IN_PROGRESS)
    slot = _march_slot(project)
    office.walk(project, to=Status.COMPLETED, now=STARTED)
    before = state_of(project)

    with pytest.raises(Refused, match="实施中才需要报送"):
        _file(office, fresh(project), slot, now=at(2026, 3, 20))

    assert state_of(project) == before


def test_a_slot_of_another_project_is_refused(office):
    mine = office.new(to=Status.IN_PROGRESS)
    other = office.new(to=Status.IN_PROGRESS, title="芝山街道公共厕所改造")
    before = state_of(mine)

    with pytest.raises(Refused, match="不属于该项目"):
        _file(office, mine, other.slots.get(), now=at(2026, 3, 20))

    assert state_of(mine) == before
