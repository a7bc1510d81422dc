"""The archive: bulletins numbered in order, generated on the first working day once, read
and downloaded only by those they are addressed to."""

from datetime import date

import pytest
from django.urls import reverse

from shishi.appeals.tests.test_metrics import MARCH
from shishi.reports import actions
from shishi.reports.models import Issued
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_bulletins_are_numbered_in_order_within_the_year(march):
    first = actions.issue_bulletin(MARCH, now=at(2024, 4, 1, 7))
    second = actions.issue_bulletin(MARCH, now=at(2024, 4, 2, 7))
    assert (first.number, second.number) == ("漳实事办〔2024〕1号", "漳实事办〔2024〕2号")
    assert first.docx.size > 0 and first.xlsx.size > 0


def test_the_worker_issues_last_months_bulletin_on_the_first_working_day_only(march):
    # 2024-06-01 is a Saturday; the first working day of June is Monday 06-03
    assert actions.first_workday(date(2024, 6, 1)) == date(2024, 6, 3)
    assert actions.issue_due_bulletin(now=at(2024, 6, 1, 7)) is None
    issued = actions.issue_due_bulletin(now=at(2024, 6, 3, 7))
    assert issued.period == date(2024, 5, 1) and issued.created_by is None
    assert actions.issue_due_bulletin(now=at(2024, 6, 3, 8)) is None  # once
    assert Issued.objects.count() == 1


def test_the_office_generates_and_a_county_leader_downloads(
    march, login, city_admin, county_leader
):
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
    march, login, town_clerk, city_admin
):
    issued = actions.issue_overview(date(2024, 3, 31), now=at(2024, 4, 1, 7))
    assert login(town_clerk).get(reverse("reports:documents")).status_code == 403
    admin = login(city_admin)
    assert admin.get(reverse("reports:download", args=[issued.pk, "xlsx"])).status_code == 404
    assert admin.get(reverse("reports:download", args=[issued.pk + 1, "docx"])).status_code == 404


def test_the_overview_page_reads_as_the_citys_summary(march, login, city_admin):
    page = login(city_admin).get(reverse("reports:overview"), {"as_of": "2024-04-15"})
    assert page.status_code == 200
    assert "截至2024年4月15日" in page.content.decode()
