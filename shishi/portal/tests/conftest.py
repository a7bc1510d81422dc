import os

import pytest

from shishi.appeals.tests.conftest import categories, desk  # noqa: F401  (fixtures)
from shishi.browser import launch


@pytest.fixture
def browser_page(live_server):
    """A fresh page in headless Debian chromium, pointed at the live test server."""
    from playwright.sync_api import sync_playwright

    # Playwright runs an event loop in this thread; the ORM calls the tests make are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
