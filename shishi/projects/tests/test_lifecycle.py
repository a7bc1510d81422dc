"""The life of a project: draft -> submitted -> approved -> disclosed -> in progress ->
completed -> accepted -> evaluated, suspension and cancellation; every step leaves an event,
every refusal leaves everything as it was."""

from contextlib import suppress
from datetime import date

import pytest

from shishi.core.errors import Refused
from shishi.projects import actions
from shishi.projects.models import Attachment, Milestone, ProjectEvent, Status
from shishi.projects.tests.conftest import CREATED, DISCLOSED_UNTIL, STARTED, png
from shishi.projects.tests.helpers import at, fresh, state_of, verbs

V = ProjectEvent.Verb


def test_a_full_walk_records_one_event_per_transition(office):
    # given a project walked through every state on the fixed clock
    project = office.new(to=Status.EVALUATED)

    # when we read its state changes
    transitions = list(
        ProjectEvent.objects.filter(project=project)
        .exclude(from_state="")
        .order_by("at", "pk")
        .values_list("verb", "from_state", "to_state")
    )

    # then every transition left an event with where it came from and where it went
    assert transitions == [
        (V.SUBMITTED, "draft", "submitted"),
        (V.APPROVED, "submitted", "approved"),
        (V.DISCLOSED, "approved", "disclosed"),
        (V.STARTED, "disclosed", "in_progress"),
        (V.COMPLETED, "in_progress", "completed"),
        (V.ACCEPTED, "completed", "accepted"),
        (V.RATING_CLOSED, "accepted", "evaluated"),
    ]
    assert verbs(project)[:2] == [V.CREATED, V.MILESTONE_ADDED]


def test_submitting_needs_a_milestone(office):
    # given a draft without milestones
    project = office.new(weights=())
    before = state_of(project)

    # when the clerk submits it
    with pytest.raises(Refused, match="至少一个实施节点"):
        actions.submit_project(actor=office.clerk, project=project, now=CREATED)

    # then nothing changed
    assert state_of(project) == before


def test_submitting_a_draft_with_a_milestone_moves_it_to_submitted(office):
    project = office.new()

    actions.submit_project(actor=office.clerk, project=project, now=CREATED)

    assert fresh(project).status == Status.SUBMITTED
    assert verbs(project)[-1] == V.SUBMITTED


def test_the_lead_unit_cannot_approve_its_own_project(office, town_leader, login):
    # given a submitted 芝山 project and 芝山's leader, who may approve other units' projects
    project = office.new(to=Status.SUBMITTED)
    before = state_of(project)

    # when the leader of the lead unit itself approves it
    response = login(town_leader).post(
        f"/staff/projects/{project.code}/decide/review/", {"approve": "1", "note": ""}
    )

    # then it is forbidden and nothing changed
    assert response.status_code == 403
    assert state_of(project) == before


def test_a_clerk_of_the_supervising_unit_cannot_approve(office, county_clerk, login):
    project = office.new(to=Status.SUBMITTED)
    before = state_of(project)

    response = login(county_clerk).post(
        f"/staff/projects/{project.code}/decide/review/", {"approve": "1", "note": ""}
    )

    assert response.status_code == 403
    assert state_of(project) == before


def test_the_supervising_unit_approves_through_the_review_page(office, county_leader, login):
    # given a submitted 芝山 project
    project = office.new(to=Status.SUBMITTED)

    # when 芗城区's leader approves it
    response = login(county_leader).post(
        f"/staff/projects/{project.code}/decide/review/", {"approve": "1", "note": "同意"}
    )

    # then it is approved, the event names the county, and the lead unit hears of it by SMS
    assert response.status_code == 302
    assert fresh(project).status == Status.APPROVED
    event = ProjectEvent.objects.filter(project=project).latest("pk")
    assert (event.verb, event.unit_id) == (V.APPROVED, office.tree["xiangcheng"].pk)


def test_sending_back_needs_a_note_and_returns_the_project_to_draft(office):
    project = office.new(to=Status.SUBMITTED)
    before = state_of(project)

    with pytest.raises(Refused, match="退回时请填写意见"):
        actions.review_project(
            actor=office.county, project=project, approve=False, note=" ", now=CREATED
        )
    assert state_of(project) == before

    actions.review_project(
        actor=office.county, project=project, approve=False, note="预算依据不足", now=CREATED
    )
    assert fresh(project).status == Status.DRAFT
    assert verbs(project)[-1] == V.SENT_BACK


def test_a_draft_cannot_be_approved_or_disclosed(office):
    project = office.new()
    before = state_of(project)

    with pytest.raises(Refused, match="不能审核"):
        actions.review_project(
            actor=office.county, project=project, approve=True, note="", now=CREATED
        )
    with pytest.raises(Refused, match="不能公示"):
        actions.disclose_project(actor=office.clerk, project=project, now=CREATED)

    assert state_of(project) == before


def test_disclosure_lasts_the_configured_working_days(office, settings):
    # given an approved project and a 5-working-day disclosure period
    settings.PROJECT_DISCLOSURE_DAYS = 5
    project = office.new(to=Status.APPROVED)

    # when it is disclosed on Monday 2 March 2026
    actions.disclose_project(actor=office.clerk, project=project, now=CREATED)

    # then the period ends five working days later, on Monday 9 March
    project = fresh(project)
    assert (project.status, project.disclosure_until) == (Status.DISCLOSED, DISCLOSED_UNTIL)
    assert ProjectEvent.objects.filter(project=project, verb=V.DISCLOSED, public=True).exists()


def test_disclosure_skips_the_national_day_holiday(office, settings):
    # given a project approved just before National Day 2026 (1–7 October off,
    # Saturday 10 October a make-up working day)
    settings.PROJECT_DISCLOSURE_DAYS = 5
    project = office.new(to=Status.APPROVED)

    # when it is disclosed on Monday 28 September
    actions.disclose_project(actor=office.clerk, project=project, now=at(2026, 9, 28))

    # then 29, 30 September, 8, 9 and 10 October are the five working days
    assert fresh(project).disclosure_until == date(2026, 10, 10)


def test_a_longer_disclosure_setting_moves_the_end(office, settings):
    settings.PROJECT_DISCLOSURE_DAYS = 7
    project = office.new(to=Status.APPROVED)

    actions.disclose_project(actor=office.clerk, project=project, now=CREATED)

    assert fresh(project).disclosure_until == date(2026, 3, 11)


def test_work_cannot_start_during_the_disclosure_period(office):
    # given a project disclosed until 9 March
    project = office.new(to=Status.DISCLOSED)
    before = state_of(project)

    # when the clerk starts it on the last day of the period
    with pytest.raises(Refused, match="公示期满后才能开工"):
        actions.start_project(actor=office.clerk, project=project, now=at(2026, 3, 9, 17))

    # then nothing changed
    assert state_of(project) == before


def test_work_cannot_start_while_an_objection_is_unanswered(office):
    # given a disclosed project that received an objection during its period
    project = office.new(to=Status.DISCLOSED)
    objection = actions.file_objection(
        project=project,
        phone="13900001111",
        content="路灯位置离居民楼太近，晚上影响休息，请重新选址。",
        now=at(2026, 3, 4),
    )
    before = state_of(project)

    # when the period is over but the objection has no answer
    with pytest.raises(Refused, match="未答复的公示异议"):
        actions.start_project(actor=office.clerk, project=project, now=at(2026, 3, 10))
    assert state_of(project) == before

    # then answering it lets the work start
    actions.answer_objection(
        actor=office.clerk,
        objection=objection,
        answer="已调整为背向居民楼的灯型，并加装遮光罩。",
        now=at(2026, 3, 10),
    )
    actions.start_project(actor=office.clerk, project=project, now=at(2026, 3, 10, 11))
    project = fresh(project)
    assert project.status == Status.IN_PROGRESS
    assert project.started_at == at(2026, 3, 10, 11)


def test_starting_after_disclosure_opens_the_first_report_slot(office):
    project = office.new(to=Status.DISCLOSED)

    actions.start_project(actor=office.clerk, project=project, now=STARTED)

    assert fresh(project).status == Status.IN_PROGRESS
    assert list(project.slots.values_list("period_start", "due")) == [
        (date(2026, 3, 1), date(2026, 3, 25))
    ]


def test_completion_is_refused_while_a_milestone_is_undone(office):
    # given a project in progress with one of two milestones done
    project = office.new(to=Status.IN_PROGRESS, weights=(1, 1))
    first = project.milestones.order_by("due").first()
    actions.complete_milestone(actor=office.clerk, milestone=first, now=STARTED)
    before = state_of(project)

    # when the clerk declares it complete with a photo
    with pytest.raises(Refused, match="未完成的节点"):
        actions.complete_project(
            actor=office.clerk,
            project=project,
            note="",
            now=STARTED,
            evidence=[(Attachment.Kind.AFTER, png())],
        )

    # then nothing changed, not even an attachment
    assert state_of(project) == before


def test_completion_is_refused_without_evidence(office):
    project = office.new(to=Status.IN_PROGRESS)
    milestone = project.milestones.get()
    actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)
    before = state_of(project)

    with pytest.raises(Refused, match="照片或佐证材料"):
        actions.complete_project(
            actor=office.clerk, project=project, note="", now=STARTED, evidence=[]
        )

    assert state_of(project) == before


def test_completion_through_the_page_with_a_photo(office, town_clerk, login):
    # given a project in progress whose only milestone is done
    project = office.new(to=Status.IN_PROGRESS)
    actions.complete_milestone(actor=office.clerk, milestone=project.milestones.get(), now=STARTED)

    # when the clerk uploads an after photo on the completion form
    response = login(town_clerk).post(
        f"/staff/projects/{project.code}/complete/", {"after": png(), "note": "已全部安装"}
    )

    # then the project is completed with full progress and the photo kept
    assert response.status_code == 302
    project = fresh(project)
    assert (project.status, project.progress) == (Status.COMPLETED, 100)
    assert project.completed_at is not None
    assert list(project.attachments.values_list("kind", flat=True)) == ["after"]


def test_acceptance_sends_back_with_a_note_only(office):
    # given a completed project
    project = office.new(to=Status.COMPLETED)
    before = state_of(project)

    # when the supervisor rejects it without a note
    with pytest.raises(Refused, match="整改意见"):
        actions.accept_project(
            actor=office.county, project=project, approve=False, note="", now=STARTED
        )
    assert state_of(project) == before

    # then with a note it goes back to work, no longer completed
    actions.accept_project(
        actor=office.county,
        project=project,
        approve=False,
        note="部分路段照度不达标",
        now=at(2026, 3, 20),
    )
    project = fresh(project)
    assert (project.status, project.completed_at) == (Status.IN_PROGRESS, None)
    assert verbs(project)[-1] == V.NOT_ACCEPTED


def test_acceptance_by_the_lead_unit_is_forbidden(office, town_leader, login):
    project = office.new(to=Status.COMPLETED)
    before = state_of(project)

    response = login(town_leader).post(
        f"/staff/projects/{project.code}/decide/accept/", {"approve": "1", "note": ""}
    )

    assert response.status_code == 403
    assert state_of(project) == before


def test_acceptance_by_the_county_records_the_time(office, county_leader, login):
    project = office.new(to=Status.COMPLETED)

    response = login(county_leader).post(
        f"/staff/projects/{project.code}/decide/accept/", {"approve": "1", "note": "验收合格"}
    )

    assert response.status_code == 302
    project = fresh(project)
    assert project.status == Status.ACCEPTED
    assert project.accepted_at is not None


def test_evaluation_closes_after_the_rating_window(office, settings):
    # given a project accepted on Monday 1 June 2026 and 15 working days to rate it
    # (19 June is the Dragon Boat Festival): the window ends on Tuesday 23 June
    settings.PROJECT_RATING_DAYS = 15
    project = office.new(to=Status.COMPLETED)
    actions.accept_project(
        actor=office.county, project=project, approve=True, note="", now=at(2026, 6, 1)
    )

    # when the worker runs on the last day of the window, then the day after
    on_last_day = actions.close_evaluations(now=at(2026, 6, 23, 23, 50))
    status_on_last_day = fresh(project).status
    after = actions.close_evaluations(now=at(2026, 6, 24, 0, 10))

    # then the project is evaluated only after the window
    assert (on_last_day, status_on_last_day) == (0, Status.ACCEPTED)
    assert (after, fresh(project).status) == (1, Status.EVALUATED)
    event = ProjectEvent.objects.filter(project=project).latest("pk")
    assert (event.verb, event.from_state, event.public) == (
        V.RATING_CLOSED,
        "accepted",
        True,
    )


def test_closing_evaluations_twice_closes_once(office):
    project = office.new(to=Status.ACCEPTED)
    later = at(2026, 12, 1)

    first = actions.close_evaluations(now=later)
    events = ProjectEvent.objects.filter(project=project).count()
    second = actions.close_evaluations(now=later)

    assert (first, second) == (1, 0)
    assert ProjectEvent.objects.filter(project=project).count() == events


# --- Suspension and cancellation --------------------------------------------------------------


def test_a_suspension_request_needs_a_reason(office):
    project = office.new(to=Status.IN_PROGRESS)
    before = state_of(project)

    with pytest.raises(Refused, match="请填写理由"):
        actions.request_status(
            actor=office.clerk, project=project, to=Status.SUSPENDED, reason="  ", now=STARTED
        )

    assert state_of(project) == before


def test_a_suspension_waits_for_the_supervisors_approval(office):
    # given a project in progress
    project = office.new(to=Status.IN_PROGRESS)

    # when the clerk asks to suspend it
    actions.request_status(
        actor=office.clerk,
        project=project,
        to=Status.SUSPENDED,
        reason="施工路段与燃气管道改造冲突",
        now=STARTED,
    )

    # then it keeps running until the county approves
    project = fresh(project)
    assert (project.status, project.pending_status) == (Status.IN_PROGRESS, Status.SUSPENDED)
    actions.decide_status(actor=office.county, project=project, approve=True, note="", now=STARTED)
    project = fresh(project)
    assert (project.status, project.pending_status, project.pending_reason) == (
        Status.SUSPENDED,
        "",
        "",
    )
    event = ProjectEvent.objects.filter(project=project).latest("pk")
    assert (event.verb, event.from_state, event.to_state) == (
        V.SUSPEND_APPROVED,
        "in_progress",
        "suspended",
    )
    assert "燃气管道" in event.note


def test_a_second_request_is_refused_while_one_is_pending(office):
    project = office.new(to=Status.IN_PROGRESS)
    actions.request_status(
        actor=office.clerk, project=project, to=Status.SUSPENDED, reason="资金未到位", now=STARTED
    )
    before = state_of(project)

    with pytest.raises(Refused, match="待审批"):
        actions.request_status(
            actor=office.clerk,
            project=project,
            to=Status.CANCELLED,
            reason="上级取消",
            now=STARTED,
        )

    assert state_of(project) == before


def test_suspending_a_draft_is_refused(office):
    project = office.new()
    before = state_of(project)

    with pytest.raises(Refused, match="不能申请该变更"):
        actions.request_status(
            actor=office.clerk, project=project, to=Status.SUSPENDED, reason="暂缓", now=CREATED
        )

    assert state_of(project) == before


def test_a_refused_cancellation_keeps_the_project_and_clears_the_request(office):
    # given a draft with a cancellation request
    project = office.new()
    actions.request_status(
        actor=office.clerk,
        project=project,
        to=Status.CANCELLED,
        reason="与区级项目重复",
        now=CREATED,
    )

    # when the county refuses it
    actions.decide_status(
        actor=office.county, project=project, approve=False, note="请继续推进", now=CREATED
    )

    # then the draft stays a draft and the refusal is on record
    project = fresh(project)
    assert (project.status, project.pending_status) == (Status.DRAFT, "")
    assert verbs(project)[-2:] == [
        V.CANCEL_REQUESTED,
        V.CANCEL_DENIED,
    ]


def test_deciding_without_a_request_is_refused(office):
    project = office.new(to=Status.IN_PROGRESS)
    before = state_of(project)

    with pytest.raises(Refused, match="没有待审批"):
        actions.decide_status(
            actor=office.county, project=project, approve=True, note="", now=STARTED
        )

    assert state_of(project) == before


def test_the_lead_unit_cannot_approve_its_own_cancellation(office, town_leader, login):
    # given a cancellation request by 芝山
    project = office.new(to=Status.IN_PROGRESS)
    actions.request_status(
        actor=office.clerk, project=project, to=Status.CANCELLED, reason="选址无法落实", now=STARTED
    )
    before = state_of(project)

    # when 芝山's own leader decides it
    response = login(town_leader).post(
        f"/staff/projects/{project.code}/decide/status/", {"approve": "1", "note": ""}
    )

    # then it is forbidden
    assert response.status_code == 403
    assert state_of(project) == before


def test_a_cancellation_requested_on_the_page_is_approved_by_the_city(
    office, town_clerk, city_admin, login
):
    project = office.new(to=Status.IN_PROGRESS)

    login(town_clerk).post(
        f"/staff/projects/{project.code}/status/",
        {"to": "cancelled", "reason": "选址无法落实"},
    )
    assert fresh(project).pending_status == Status.CANCELLED
    login(city_admin).post(
        f"/staff/projects/{project.code}/decide/status/", {"approve": "1", "note": ""}
    )

    assert fresh(project).status == Status.CANCELLED


def test_a_suspended_project_resumes_with_approval(office):
    project = office.new(to=Status.SUSPENDED)

    actions.request_status(
        actor=office.clerk, project=project, to=Status.IN_PROGRESS, reason="资金已到位", now=STARTED
    )
    actions.decide_status(actor=office.county, project=project, approve=True, note="", now=STARTED)

    assert fresh(project).status == Status.IN_PROGRESS
    assert verbs(project)[-1] == V.RESUME_APPROVED


def test_milestones_cannot_be_completed_outside_work(office):
    project = office.new(to=Status.SUSPENDED)
    milestone = Milestone.objects.filter(project=project).first()
    before = state_of(project)

    with pytest.raises(Refused, match="实施中才能完成节点"):
        actions.complete_milestone(actor=office.clerk, milestone=milestone, now=STARTED)

    assert state_of(project) == before


def test_a_refused_step_on_the_page_shows_the_reason_and_changes_nothing(office, town_clerk, login):
    # given a draft without milestones
    project = office.new(weights=())
    before = state_of(project)

    # when the clerk presses 提交审核
    client = login(town_clerk)
    response = client.post(f"/staff/projects/{project.code}/step/submit/", follow=True)

    # then the page says why and nothing changed
    assert "请先设置至少一个实施节点" in response.content.decode()
    assert state_of(project) == before


def test_the_detail_page_shows_the_timeline(office, town_clerk, login):
    project = office.new(to=Status.IN_PROGRESS)

    response = login(town_clerk).get(f"/staff/projects/{project.code}/")

    assert response.status_code == 200
    assert "开工实施" in response.content.decode()


def test_an_unknown_step_is_not_found(office, town_clerk, login):
    project = office.new()

    response = login(town_clerk).post(f"/staff/projects/{project.code}/step/finish/")

    assert response.status_code == 404


def test_a_project_planned_to_end_before_it_starts_is_refused(office):
    with pytest.raises(Refused, match="不能早于"):
        actions.create_project(
            actor=office.clerk,
            data=office.data(planned_end=date(2026, 2, 1)),
            now=CREATED,
        )

    assert not ProjectEvent.objects.exists()


def test_a_clerk_cannot_enter_a_project_for_a_unit_outside_their_subtree(office):
    with pytest.raises(Refused, match="管辖范围"):
        actions.create_project(actor=office.clerk, data=office.data(lead="xiqiao"), now=CREATED)

    assert not ProjectEvent.objects.exists()


def test_the_started_slot_uses_the_start_day(office):
    # given a weekly project started on Thursday 12 March 2026
    project = office.new(to=Status.DISCLOSED, cadence="weekly")

    actions.start_project(actor=office.clerk, project=project, now=STARTED)

    # then it owes the report of the week of Monday 9 March, due Friday 13 March
    assert list(project.slots.values_list("period_start", "due")) == [
        (date(2026, 3, 9), date(2026, 3, 13))
    ]


def test_a_stale_cancellation_request_cannot_cancel_an_accepted_project(office):
    # given a cancellation asked for during the work, never decided, and the project then
    # completed and accepted
    project = office.new(to=Status.IN_PROGRESS)
    actions.request_status(
        actor=office.clerk, project=project, to=Status.CANCELLED, reason="选址存疑", now=STARTED
    )
    office.walk(project, to=Status.ACCEPTED, now=at(2026, 3, 13))

    # when the county approves the old request
    with suppress(Refused):
        actions.decide_status(
            actor=office.county, project=project, approve=True, note="", now=at(2026, 4, 1)
        )

    # then the accepted project stays accepted
    assert fresh(project).status == Status.ACCEPTED


def test_a_disclosed_project_cannot_be_suspended_so_resuming_never_skips_disclosure(office):
    # given a disclosed project with an unanswered objection
    project = office.new(to=Status.DISCLOSED)
    actions.file_objection(
        project=project,
        phone="13900001111",
        content="路灯位置离居民楼太近，晚上影响休息，请重新选址。",
        now=at(2026, 3, 3),
    )
    before = state_of(project)
    # when the unit asks to suspend it during disclosure, then it is refused (suspension is
    # for work under way; resuming always returns to 实施中) and nothing changes
    with pytest.raises(Refused):
        actions.request_status(
            actor=office.clerk,
            project=project,
            to=Status.SUSPENDED,
            reason="重新选址",
            now=at(2026, 3, 4),
        )
    assert state_of(project) == before
