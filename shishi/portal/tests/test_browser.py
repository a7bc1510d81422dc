import pytest

from shishi.orgs.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_town_clerk_logs_in_and_sees_the_staff_home(browser_page, town_clerk):
    page = browser_page
    # given the login page
    page.goto(f"{page.base_url}/staff/login/")
    # when the town clerk signs in
    page.fill("#id_username", "town_clerk")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    # then the staff home greets them in their unit
    page.wait_for_url(f"{page.base_url}/staff/")
    assert page.locator("h1").inner_text() == "您好，黄街道"
    assert "芝山街道 · 单位经办人" in page.get_by_test_id("unit-switcher").inner_text()
    # and the navigation offers the modules that exist
    nav = page.locator("#staff-nav").inner_text()
    assert "单位" in nav and "人员" in nav and "工作日历" in nav
    assert "审计日志" not in nav


def test_wrong_password_is_refused_in_chinese(browser_page, town_clerk):
    page = browser_page
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", "town_clerk")
    page.fill("#id_password", "not-the-password")
    page.click("button[type=submit]")
    assert "登录名或密码不正确" in page.locator(".alert-danger").inner_text()


def test_portal_home_shows_the_city(browser_page, tree):
    page = browser_page
    page.goto(f"{page.base_url}/")
    assert "漳州市" in page.title()
    assert "漳州市“我为群众办实事”" in page.locator("header").inner_text()
    # the county-level divisions of the tree are listed
    assert "芗城区" in page.content() and "龙文区" in page.content()
