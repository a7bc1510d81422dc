"""Browser: the operator calls a citizen back with the number revealed on the appeal page."""

import pytest

from shishi.appeals.models import Appeal, AppealEvent
from shishi.appeals.tests.conftest import REPORTER_PHONE
from shishi.orgs.factories import TEST_PASSWORD
from shishi.testing import at

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_reveals_the_number_and_records_the_callback(browser_page, desk):
    # given an appeal 芝山街道 answered, waiting for the hotline's callback
    appeal = desk.replied(now=at(2024, 3, 4, 10))
    page = browser_page
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", "operator")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/staff/")

    # when the operator opens it, the number is masked and no tel: link is offered
    page.goto(f"{page.base_url}/staff/appeals/{appeal.code}/")
    assert page.get_by_test_id("phone-masked").inner_text() == "139****5678"
    assert page.locator('a[href^="tel:"]').count() == 0

    # and they ask to see it, giving the reason
    page.get_by_test_id("reveal-phone").locator("summary").click()
    page.fill("#id_phone-reason", "回访核实办理结果")
    page.get_by_test_id("reveal-phone-form").locator("button[type=submit]").click()

    # then the full number is a tel: link, beside the number and in the callback form
    full = page.get_by_test_id("phone-full")
    assert full.inner_text().strip() == REPORTER_PHONE
    assert full.get_attribute("href") == f"tel:{REPORTER_PHONE}"
    assert page.get_by_test_id("callback-tel").get_attribute("href") == f"tel:{REPORTER_PHONE}"

    # when, having called, they record the citizen's answer
    form = page.get_by_test_id("callback-form")
    form.locator("#callback_verdict").select_option("satisfied")
    form.locator("#callback_solved").select_option("1")
    form.locator("button[type=submit]").click()

    # then the appeal is closed as satisfied, and the reveal stays on the audit trail
    assert "已办结" in page.get_by_test_id("appeal-status").inner_text()
    assert Appeal.objects.get(pk=appeal.pk).verdict == "satisfied"
    reveal = AppealEvent.objects.get(appeal=appeal, verb=AppealEvent.Verb.PHONE_REVEALED)
    assert reveal.note == "回访核实办理结果"
