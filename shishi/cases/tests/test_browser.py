"""On a 390 px phone: a citizen opens the vote page, confirms a phone with the texted code,
votes for a case, and sees the vote counted and the button say 今天已投."""

import os

import pytest

from shishi.cases.models import Vote
from shishi.cases.tests.test_pages import _case, _laid_out
from shishi.testing import latest_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def phone_page(live_server):
    from playwright.sync_api import sync_playwright

    from shishi.browser import launch

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"  # the ORM calls of the test are sync
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()


def test_a_citizen_votes_on_a_phone(phone_page, city_admin, town_clerk, lantian_clerk):
    page = phone_page
    selection = _laid_out(city_admin, phase="voting")
    selection.show_live_counts = True
    selection.save(update_fields=["show_live_counts"])
    zhishan = _case(selection, town_clerk, "芝山社区长者食堂")
    _case(selection, lantian_clerk, "蓝田街道夜市整治")

    page.goto(f"{page.base_url}/vote/{selection.code}/")
    assert page.get_by_test_id("case").count() == 2
    page.fill("#vote-phone", "13900005555")
    page.get_by_test_id("send-code").click()
    page.wait_for_selector("#vote-otp-status .text-success")
    page.fill("#vote-code", latest_code("13900005555"))
    page.get_by_test_id("verify").click()
    assert "已验证手机号 139****5555" in page.get_by_test_id("confirmed").inner_text()

    page.get_by_test_id(f"vote-{zhishan.pk}").click()
    assert "投票成功" in page.locator(".alert-success").inner_text()
    card = page.get_by_test_id("case").filter(has_text="芝山社区长者食堂")
    assert "当前 1 票" in card.inner_text()
    assert card.get_by_role("button", name="今天已投").is_disabled()
    assert "今天还可投 1 票" in page.get_by_test_id("confirmed").inner_text()
    # nothing runs off a phone's screen
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    assert Vote.objects.get().nomination == zhishan
