"""WCAG 2.1 A/AA on every page, by axe-core (npm) in headless Chromium: the public pages at
desktop and phone widths in the normal and the 长者模式 layouts (with one h1 and no skipped
heading level, for screen readers), the staff pages at both widths. The pages come from the
URL walk in a11y_pages.py, over the demo city."""

import pytest

from shishi.browser import axe_violations, launch
from shishi.core.demo import loaders
from shishi.portal.elder import ELDER_COOKIE
from shishi.portal.tests.a11y_pages import demo_objects, public_pages, staff_pages
from shishi.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

DEMO_PASSWORD = "Zhangzhou@2026"
WIDTHS = {"桌面": {"width": 1366, "height": 900}, "手机": {"width": 390, "height": 844}}
# Staff pages a city administrator may not open are checked as the next of these.
STAFF = ("admin", "operator", "zs_clerk")


def _check(page, url: str, label: str, failures: list[str], *, expect: int = 200) -> bool:
    """Opens `url` and adds axe's findings to `failures`; False when the page refused."""
    response = page.goto(f"{page.base_url}{url}")
    if response.status in (403, 404) and response.status != expect:
        return False
    assert response.status == expect, f"{url}: {response.status}"
    failures.extend(f"[{label}] {url} {line}" for line in axe_violations(page))
    return True


# 读屏: one h1, and no heading level skipped on the way down (h2 -> h4).
HEADINGS = """() => {
  const levels = [...document.querySelectorAll("h1,h2,h3,h4,h5,h6")].map(h => +h.tagName[1]);
  const skips = levels.filter((level, i) => i > 0 && level > levels[i - 1] + 1).length;
  return levels.filter(level => level === 1).length === 1 && skips === 0;
}"""


def test_every_page_meets_wcag_21_aa_at_both_widths_and_in_both_modes(live_server):
    import os

    from playwright.sync_api import sync_playwright

    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    # given the demo city
    for loader in loaders():
        loader.load()
    objects = demo_objects()
    failures: list[str] = []
    unchecked: list[str] = []
    with sync_playwright() as playwright:
        browser = launch(playwright)
        for width, viewport in WIDTHS.items():
            # when every public page is opened, in the normal and the 长者模式 layouts
            for elder in (False, True):
                context = browser.new_context(locale="zh-CN", viewport=viewport)
                if elder:
                    context.add_cookies(
                        [{"name": ELDER_COOKIE, "value": "1", "url": live_server.url}]
                    )
                page = context.new_page()
                page.base_url = live_server.url
                label = f"{width}{'·长者模式' if elder else ''}"
                for url in public_pages(objects):
                    expect = 404 if url == "/no-such-page/" else 200
                    if not _check(page, url, label, failures, expect=expect):
                        unchecked.append(url)
                    elif not page.evaluate(HEADINGS):
                        failures.append(f"[{label}] {url} 标题层级：须有一个 h1，且不跳级")
                context.close()
            # and every staff page, as the first of STAFF who may open it
            context = browser.new_context(locale="zh-CN", viewport=viewport)
            page = context.new_page()
            page.base_url = live_server.url
            _check(page, "/staff/login/", width, failures)
            waiting = staff_pages(objects)
            for username in STAFF:
                sign_in(page, username, DEMO_PASSWORD)
                waiting = [url for url in waiting if not _check(page, url, width, failures)]
            unchecked.extend(waiting)
            context.close()
        browser.close()
    # then axe finds nothing, and no page of the walk was left out
    assert unchecked == []
    assert failures == [], f"{len(failures)} 处不符合 WCAG 2.1 AA：\n" + "\n".join(failures)
