"""The merge form's similar-appeal hint, loaded by htmx when the form is opened."""

import pytest

from shishi.appeals.tests.helpers import at
from shishi.orgs.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_opening_the_merge_form_shows_similar_open_appeals(browser_page, desk, operator):
    # given three open appeals about the same lift at the city
    appeal = desk.submit(now=at(2024, 3, 4, 9))
    others = [desk.submit(now=at(2024, 3, 4, hour)) for hour in (10, 11)]
    page = browser_page
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", operator.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/staff/")

    # when the operator opens the first one and unfolds 合并相同诉求
    page.goto(f"{page.base_url}/staff/appeals/{appeal.code}/")
    hint = page.get_by_test_id("merge-hint")
    assert hint.inner_text() == ""
    page.get_by_text("合并相同诉求").click()

    # then the two others are offered beside the form
    hint.locator(".similar-list").wait_for()
    text = hint.inner_text()
    assert all(other.code in text for other in others)
    assert appeal.code not in text
