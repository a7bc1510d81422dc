"""The archive: a request reserves the document and its number, the worker writes it (the page
shows progress), bulletins are issued on the first working day once, and only those they are
addressed to read and download them."""

from datetime import date
from unittest import mock

import pytest
from django.urls import reverse

from shishi.appeals.tests.test_metrics import MARCH
from shishi.core.errors import Refused
from shishi.reports import actions, summary
from shishi.reports.models import Issued, Refresh, Summary
from shishi.testing import at

pytestmark = pytest.mark.django_db


@pytest.fixture
def worker(django_capture_on_commit_callbacks):
    """Run what a request queues for the worker once it commits (huey is immediate in tests)."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_bulletins_are_numbered_in_order_and_written_by_the_worker(march, worker):
    with worker():
        first = actions.request_bulletin(MARCH, now=at(2024, 4, 1, 7))
        # a second one for March is refused unless asked for again: then a new number
        with pytest.raises(Refused, match="已经生成（漳实事办〔2024〕1号）"):
            actions.request_bulletin(MARCH, now=at(2024, 4, 2, 7))
        second = actions.request_bulletin(MARCH, now=at(2024, 4, 2, 7), again=True)
    first.refresh_from_db()
    assert (first.number, second.number) == ("漳实事办〔2024〕1号", "漳实事办〔2024〕2号")
    assert first.state == Issued.State.READY
    assert first.docx.size > 0 and first.xlsx.size > 0
    assert first.title == "关于2024年3月“我为群众办实事”工作情况的通报"


def test_until_the_worker_has_written_it_the_archive_says_so_and_polls(march, login, city_admin):
    issued = actions.request_bulletin(MARCH, now=at(2024, 4, 1, 7))  # not committed: pending
    client = login(city_admin)
    page = client.get(reverse("reports:documents")).content.decode()
    assert "生成中" in page and 'hx-trigger="every 3s"' in page
    assert client.get(reverse("reports:download", args=[issued.pk, "docx"])).status_code == 404
    # the poll answers with the table alone
    partial = client.get(reverse("reports:documents"), headers={"HX-Request": "true"})
    assert 'id="archive"' in partial.content.decode()
    assert "<html" not in partial.content.decode()


def test_a_failure_is_kept_with_its_reason_and_nothing_half_written(march, worker):
    with (
        mock.patch("shishi.core.documents.docx.render", side_effect=RuntimeError("磁盘已满")),
        worker(),
    ):
        issued = actions.request_overview(date(2024, 3, 31), now=at(2024, 4, 1, 7))
    issued.refresh_from_db()
    assert issued.state == Issued.State.FAILED and "磁盘已满" in issued.error
    assert not issued.docx


def test_the_worker_issues_last_months_bulletin_on_the_first_working_day_only(march, worker):
    # 2024-06-01 is a Saturday; the first working day of June is Monday 06-03
    assert actions.first_workday(date(2024, 6, 1)) == date(2024, 6, 3)
    assert actions.issue_due_bulletin(now=at(2024, 6, 1, 7)) is None
    with worker():
        issued = actions.issue_due_bulletin(now=at(2024, 6, 3, 7))
    issued.refresh_from_db()
    assert issued.period == date(2024, 5, 1) and issued.created_by is None
    assert issued.state == Issued.State.READY
    assert actions.issue_due_bulletin(now=at(2024, 6, 3, 8)) is None  # once
    assert Issued.objects.count() == 1


def test_only_a_month_that_has_ended_gets_a_bulletin(march):
    for month in (date(2024, 5, 1), date(2024, 4, 1)):  # not begun; still running
        with pytest.raises(Refused, match="已经结束的月份"):
            actions.request_bulletin(month, now=at(2024, 4, 15, 7))
    assert not Issued.objects.exists()


def test_the_office_generates_and_a_county_leader_downloads(
    march, login, city_admin, county_leader, worker
):
    with worker():
        response = login(city_admin).post(
            reverse("reports:generate", args=["bulletin"]), {"month": "2024-03"}
        )
    assert response.status_code == 302
    issued = Issued.objects.get()
    leader = login(county_leader)
    listing = leader.get(reverse("reports:documents"))
    assert issued.number in listing.content.decode()
    download = leader.get(reverse("reports:download", args=[issued.pk, "docx"]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    # but a county leader may not generate one
    refused = leader.post(reverse("reports:generate", args=["bulletin"]), {"month": "2024-03"})
    assert refused.status_code == 403


def test_a_bad_month_is_refused_in_chinese_and_nothing_is_issued(march, login, city_admin):
    client = login(city_admin)
    response = client.post(
        reverse("reports:generate", args=["bulletin"]), {"month": "2024-13"}, follow=True
    )
    assert "月份格式应为" in response.content.decode()
    assert not Issued.objects.exists()


def test_a_clerk_reads_no_archive_and_an_unknown_file_is_not_found(
    march, login, town_clerk, city_admin, worker
):
    with worker():
        issued = actions.request_overview(date(2024, 3, 31), now=at(2024, 4, 1, 7))
    assert login(town_clerk).get(reverse("reports:documents")).status_code == 403
    admin = login(city_admin)
    assert admin.get(reverse("reports:download", args=[issued.pk, "docx"])).status_code == 200
    assert admin.get(reverse("reports:download", args=[issued.pk, "xlsx"])).status_code == 404
    assert admin.get(reverse("reports:download", args=[issued.pk + 1, "docx"])).status_code == 404


def test_the_overview_page_reads_as_the_citys_summary(march, login, city_admin):
    page = login(city_admin).get(reverse("reports:overview"), {"as_of": "2024-04-15"})
    assert page.status_code == 200
    assert "截至2024年4月15日" in page.content.decode()


def test_a_document_for_a_past_day_leaves_the_dashboards_figures_alone(march, worker):
    # given March summarised by the worker on 04-15
    summary.refresh([MARCH], now=at(2024, 4, 15, 8))
    before = list(Summary.objects.order_by("pk").values_list("month", "unit_id", "counts"))
    taken = list(Refresh.objects.values_list("taken_at", flat=True))

    # when an overview as of 03-20 and the bulletin of March are generated
    with worker():
        actions.request_overview(date(2024, 3, 20), now=at(2024, 4, 16, 9))
        actions.request_bulletin(MARCH, now=at(2024, 4, 16, 9))

    # then both are written, and the summary tables are as the worker left them
    assert set(Issued.objects.values_list("state", flat=True)) == {Issued.State.READY}
    assert list(Summary.objects.order_by("pk").values_list("month", "unit_id", "counts")) == before
    assert list(Refresh.objects.values_list("taken_at", flat=True)) == taken
