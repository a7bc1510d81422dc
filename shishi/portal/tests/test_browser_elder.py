"""长者模式 on a phone: switched on from the header by keyboard, kept across pages, type of at
least 18 px, one column with nothing wider than the screen, and the reporting form complete.
With SHISHI_SCREENSHOTS=<dir> the pages are saved there to be looked at."""

import os
from pathlib import Path

import pytest

from shishi.appeals.tests.helpers import at
from shishi.browser import launch
from shishi.testing import tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

REPORT_FIELDS = [
    "#id_kind", "#id_category", "#id_title", "#id_content", "#id_county", "#id_town",
    "#id_place", "#id_photos", "#id_reporter_name", "#id_enterprise_name",
    "#id_reporter_phone", "#id_otp", "[data-testid=send-otp]", "#report-form button[type=submit]",
]  # fmt: skip


def _shoot(page, name: str) -> None:
    folder = os.environ.get("SHISHI_SCREENSHOTS")
    if folder:
        Path(folder).mkdir(parents=True, exist_ok=True)
        page.screenshot(path=f"{folder}/{name}.png", full_page=True)


def _fits(page) -> bool:
    return page.evaluate("() => document.documentElement.scrollWidth <= window.innerWidth")


def test_elder_mode_on_a_phone_is_large_and_one_column_and_keeps_the_form_whole(live_server, desk):
    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    appeal = desk.submit(now=at(2024, 3, 4, 9), public=True)
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(
            locale="zh-CN", viewport={"width": 390, "height": 844}, device_scale_factor=2
        )
        page = context.new_page()
        base = live_server.url
        # given the front page on a phone
        page.goto(f"{base}/")
        # when 长者模式 is chosen from the header with the keyboard
        tab_to(page, "[data-testid=elder-switch]")
        page.keyboard.press("Enter")
        page.wait_for_selector("html.elder")
        # then the type is at least 18 px and nothing is wider than the screen
        size = page.evaluate("() => parseFloat(getComputedStyle(document.body).fontSize)")
        assert size >= 18
        assert _fits(page)
        assert page.get_by_test_id("elder-switch").inner_text().strip() == "退出长者模式"
        _shoot(page, "elder-home")

        # and the reporting form keeps every field, one under another
        page.goto(f"{base}/report/")
        assert page.locator("html.elder").count() == 1  # remembered by the browser
        tops = []
        for selector in REPORT_FIELDS:
            field = page.locator(selector)
            assert field.is_visible(), selector
            tops.append(field.bounding_box()["y"])
        assert _fits(page)
        columns = page.evaluate(
            "() => new Set([...document.querySelectorAll('#report-form .row > *')]"
            ".map(e => e.getBoundingClientRect().width).filter(w => w > 0)).size"
        )
        assert columns == 1 and tops == sorted(tops)
        _shoot(page, "elder-report")

        # and the tracking page too
        page.goto(f"{base}/t/{appeal.tracking_key}")
        assert page.locator("html.elder").count() == 1 and _fits(page)
        _shoot(page, "elder-track")

        # when it is switched off, the normal layout returns
        page.get_by_test_id("elder-switch").press("Enter")
        page.wait_for_selector("html:not(.elder)")
        context.close()
        browser.close()
