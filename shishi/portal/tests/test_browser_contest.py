"""六比一看 in a browser: a participant (a development zone) submits its month's figures with
evidence, the city office accepts them, and the month's ranking moves — the zone, 无数据
before, now takes its place."""

from datetime import timedelta

import pytest
from django.utils import timezone

from shishi.contest import actions
from shishi.contest.models import Submission
from shishi.contest.tests.conftest import (  # noqa: F401  (fixtures)
    PDF,
    accept,
    contest,
    indicator,
    longwen_clerk,
    submission,
    submit,
    zone,
    zone_clerk,
)
from shishi.testing import actor_of, at, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _ranking(page, contest_pk):
    page.goto(f"{page.base_url}/staff/contest/{contest_pk}/ranking/?month=1")
    rows = page.get_by_test_id("ranking").locator("tbody tr")
    return [
        (row.locator("td").nth(0).inner_text().strip(), row.locator("td").nth(1).inner_text())
        for row in rows.all()
    ]


def test_a_zone_submits_its_figures_and_the_office_sees_the_ranking_move(
    browser_page,
    contest,  # noqa: F811  (the fixture imported above)
    tree,
    zone,  # noqa: F811
    zone_clerk,  # noqa: F811
    city_admin,
    county_clerk,
    longwen_clerk,  # noqa: F811
    tmp_path,
):
    # given month 1 with 芗城区 and 龙文区 scored, and the zone's figures not yet in
    actions.open_round(contest=contest, month=1, actor=actor_of(city_admin), now=at(2026, 2, 2))
    submit(contest, tree["xiangcheng"], county_clerk, 1, 10, 2, 90, now=at(2026, 2, 3))
    submit(contest, tree["longwen"], longwen_clerk, 1, 20, 3, 95, now=at(2026, 2, 3))
    accept(contest, tree["xiangcheng"], 1, city_admin, now=at(2026, 2, 4))
    accept(contest, tree["longwen"], 1, city_admin, now=at(2026, 2, 4))
    row = submission(contest, zone, 1)
    Submission.objects.filter(pk=row.pk).update(due=timezone.localdate() + timedelta(days=5))
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())
    sign_in(page, "city_admin")
    assert _ranking(page, contest.pk) == [("1", "龙文区"), ("2", "芗城区"), ("—", "漳州高新区")]

    # when the zone's clerk fills in the month's figures with a report attached
    report = tmp_path / "1月统计报表.pdf"
    report.write_bytes(PDF)
    sign_in(page, "zone_clerk")
    page.goto(f"{page.base_url}/staff/contest/submissions/{row.pk}/")
    form = page.get_by_test_id("values-form")
    form.locator(f"[name=v_{indicator(contest, '新开工项目').pk}]").fill("30")
    form.locator(f"[name=v_{indicator(contest, '单位能耗').pk}]").fill("1.5")
    form.locator(f"[name=v_{indicator(contest, '优良天数比例').pk}]").fill("99")
    form.locator("input[type=file]").set_input_files(str(report))
    form.locator("button[type=submit]").click()
    assert "待审核" in page.get_by_test_id("submission-status").inner_text()

    # and the city office accepts them
    sign_in(page, "city_admin")
    page.goto(f"{page.base_url}/staff/contest/submissions/{row.pk}/")
    page.get_by_test_id("accept").click()
    page.get_by_test_id("submission-status").wait_for()

    # then the zone, best on every indicator, heads the month's ranking
    assert _ranking(page, contest.pk) == [("1", "漳州高新区"), ("2", "龙文区"), ("3", "芗城区")]
