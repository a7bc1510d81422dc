"""千名干部挂千企 in a real browser: the street cadre records a visit to the enterprise they
are paired with, raises the problem found from the visit's page, and finds the appeal in
their unit's 待派单 queue."""

import pytest
from django.utils import timezone

from shishi.appeals.models import Appeal, Channel
from shishi.enterprises import actions
from shishi.enterprises.tests.conftest import enterprise_data
from shishi.testing import actor_of, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_cadre_visits_raises_a_problem_and_finds_it_in_the_units_queue(
    browser_page, tree, county_clerk, town_clerk
):
    office = actor_of(county_clerk)
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"]), actor=office, now=timezone.now()
    )
    actions.pair_cadre(
        enterprise=enterprise,
        cadre=town_clerk,
        unit=tree["zhishan"],
        starts_on=timezone.localdate(),
        actor=office,
        now=timezone.now(),
    )
    page = browser_page
    sign_in(page, "town_clerk")
    page.locator("#staff-nav").get_by_role("link", name="我的挂钩企业").click()
    page.get_by_test_id(f"visit-{enterprise.pk}").click()

    form = page.get_by_test_id("visit-form")
    form.get_by_label("实地走访").check()
    form.locator("#id_discussed").fill("实地了解一季度生产经营和用工情况。")
    form.locator("#id_problems").fill("厂区门口道路破损，货车进出困难。")
    form.get_by_test_id("save").click()
    assert "已登记走访" in page.locator(".alert-success").inner_text()
    assert "道路破损" in page.get_by_test_id("found").inner_text()

    raise_form = page.get_by_test_id("raise-form")
    raise_form.locator("#id_title").fill("厂区门口道路破损")
    raise_form.get_by_test_id("raise").click()
    assert "由芝山街道受理" in page.locator(".alert-success").inner_text()
    appeal = Appeal.objects.get()
    assert appeal.channel == Channel.ENTERPRISE
    assert appeal.code in page.get_by_test_id("raised").inner_text()

    page.locator("#staff-nav").get_by_role("link", name="诉求工作台").click()
    page.goto(f"{page.base_url}/staff/appeals/?queue=to_dispatch")
    assert appeal.code in page.locator("main").inner_text()
