"""The 党史上的今天 screen in headless Debian chromium at 1920×1080 (and portrait): a fixed
date's first entry, then the next one, and still showing when the feed cannot be reached."""

import os

import pytest
from playwright.sync_api import expect

from shishi.browser import launch
from shishi.outreach import actions
from shishi.outreach.tests.conftest import NOW
from shishi.testing import actor_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.fixture
def screen(live_server):
    """open(size) -> a page of the given viewport, pointed at the live test server."""
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch(playwright)

        def open_page(width: int, height: int):
            page = browser.new_context(
                locale="zh-CN", viewport={"width": width, "height": height}
            ).new_page()
            page.set_default_timeout(15_000)
            page.base_url = live_server.url
            return page

        yield open_page
        browser.close()


@pytest.fixture
def july_first(city_admin):
    for year, title in ((1921, "中国共产党诞生纪念日"), (1997, "香港回归祖国")):
        actions.save_entry(
            data=actions.EntryData(
                month=7, day=1, year=year, title=title, text=f"{year}年7月1日。", source="简史"
            ),
            actor=actor_of(city_admin),
            now=NOW,
        )


def test_the_screen_shows_the_days_entry_then_cycles_to_the_next(screen, july_first):
    page = screen(1920, 1080)
    page.goto(f"{page.base_url}/screen/today/?date=07-01&seconds=2")

    entry = page.get_by_test_id("screen-entry")
    assert "中国共产党诞生纪念日" in entry.inner_text()
    assert page.get_by_test_id("screen-date").inner_text() == "7月1日"
    expect(entry).to_contain_text("香港回归祖国", timeout=10_000)
    # the whole screen fits: nothing scrolls
    assert page.evaluate("document.documentElement.scrollHeight") <= 1080
    assert page.evaluate("document.documentElement.scrollWidth") <= 1920


def test_the_screen_keeps_showing_when_the_server_is_unreachable(screen, july_first):
    page = screen(1080, 1920)
    page.goto(f"{page.base_url}/screen/today/?date=07-01&seconds=2")
    entry = page.get_by_test_id("screen-entry")
    assert "中国共产党诞生纪念日" in entry.inner_text()

    # when the feed cannot be reached the next time the screen asks for it
    page.route("**/screen/today.json*", lambda route: route.abort())
    page.evaluate("window.dispatchEvent(new Event('online'))")

    # then it says so in its corner and goes on cycling what it has
    expect(page.get_by_test_id("screen-status")).to_contain_text("网络连接中断")
    expect(entry).to_contain_text("香港回归祖国", timeout=10_000)
    assert page.evaluate("document.documentElement.scrollHeight") <= 1920
