"""A progress report reaches the public project page only once the lead unit's leader approves
it: its text on the public timeline, its photos in the gallery. A pending or returned report
shows nothing; the leader finds what waits for them on the home page (待我审核)."""

import pytest
from django.test import Client
from django.urls import reverse

from shishi.projects import actions
from shishi.projects.models import Attachment, ProgressReport, ProjectEvent, Status
from shishi.projects.tests.conftest import png
from shishi.projects.tests.helpers import at

pytestmark = pytest.mark.django_db

REPORT_TEXT = "本月完成芝山路段路灯基础开挖和线缆敷设，安装路灯40盏。"
Verb = ProjectEvent.Verb


def _filed(office, *, text: str = REPORT_TEXT) -> tuple:
    project = office.new(to=Status.IN_PROGRESS)
    report = actions.file_report(
        actor=office.clerk,
        project=project,
        slot=project.slots.get(),
        text=text,
        percent=35,
        problems="",
        next_steps="",
        files=[png("site.png")],
        now=at(2026, 3, 20, 9),
    )
    return project, report


def _public(project) -> tuple[str, list[int]]:
    """The public page as anyone reads it, and the photos it shows."""
    response = Client().get(f"/projects/{project.code}/")
    assert response.status_code == 200
    return response.content.decode(), [a.pk for a in response.context["photos"]]


def _photo(report) -> Attachment:
    return Attachment.objects.get(report=report)


def test_a_filed_report_and_its_photo_are_not_public_before_review(office):
    # when the lead unit files a report with a photo
    project, report = _filed(office)

    # then the public page shows neither, the photo's address is not found, and the filing
    # event is internal
    page, photos = _public(project)
    assert REPORT_TEXT[:20] not in page
    assert photos == []
    assert Client().get(f"/projects/{project.code}/files/{_photo(report).pk}/").status_code == 404
    filed = ProjectEvent.objects.get(project=project, verb=Verb.MONTHLY_FILED)
    assert filed.public is False


def test_the_leaders_approval_puts_the_report_and_its_photo_on_the_public_page(office, login):
    # given a filed report
    project, report = _filed(office)

    # when the leader approves it on the project page
    login(office.leader.person).post(
        f"/staff/projects/{project.code}/reports/{report.pk}/review/", {"approve": "1", "note": ""}
    )

    # then the public timeline carries it, and its photo is shown and served
    page, photos = _public(project)
    assert "2026-03-01期：" + REPORT_TEXT in page
    assert photos == [_photo(report).pk]
    served = Client().get(f"/projects/{project.code}/files/{_photo(report).pk}/")
    assert (served.status_code, served["Content-Type"]) == (200, "image/png")
    published = ProjectEvent.objects.get(project=project, verb=Verb.PROGRESS_PUBLISHED)
    assert (published.public, published.data) == (True, {"report": report.pk})


def test_a_returned_report_never_reaches_the_public(office):
    # given a report the leader returned
    project, report = _filed(office, text="本月进展：路灯基础开挖完成，具体数量待统计。")
    actions.review_report(
        actor=office.leader, report=report, approve=False, note="请写明数量", now=at(2026, 3, 21)
    )

    # then neither its text nor its photo is public, and nothing about it is on the timeline
    page, photos = _public(project)
    assert "具体数量待统计" not in page
    assert photos == []
    assert not ProjectEvent.objects.filter(
        project=project,
        public=True,
        verb__in=[Verb.MONTHLY_FILED, Verb.PROGRESS_PUBLISHED, Verb.REPORT_RETURNED],
    ).exists()

    # when the unit files the period again and the leader approves it
    actions.file_report(
        actor=office.clerk,
        project=project,
        slot=report.slot,
        text=REPORT_TEXT,
        percent=35,
        problems="",
        next_steps="",
        now=at(2026, 3, 23, 9),
    )
    actions.review_report(
        actor=office.leader, report=report, approve=True, note="", now=at(2026, 3, 23, 15)
    )

    # then what is public is the approved version
    page, _ = _public(project)
    assert REPORT_TEXT in page and "具体数量待统计" not in page


def test_the_leader_finds_the_report_on_the_home_page(office, login, town_clerk):
    # given a filed report of a project 芝山街道 leads
    project, report = _filed(office)

    # when its leader and its clerk open the home page
    leader_home = login(office.leader.person).get(reverse("staff:home"))
    clerk_home = login(town_clerk).get(reverse("staff:home"))

    # then the leader's 待我审核 lists it with a link to the project; the clerk's lists nothing
    # (a clerk has the panel for the bookings of the sites their unit runs, 参访预约)
    panel = next(p for p in leader_home.context["panels"] if "items" in p)
    assert [(i.kind, i.url) for i in panel["items"]] == [
        ("进度报告", f"/staff/projects/{project.code}/")
    ]
    clerk_panel = next((p for p in clerk_home.context["panels"] if "items" in p), {"items": []})
    assert clerk_panel["items"] == []

    # and once approved, it is no longer waiting
    actions.review_report(
        actor=office.leader, report=report, approve=True, note="", now=at(2026, 3, 21)
    )
    again = login(office.leader.person).get(reverse("staff:home"))
    panel = next(p for p in again.context["panels"] if "items" in p)
    assert panel["items"] == []
    assert ProgressReport.objects.get(pk=report.pk).review == "approved"
