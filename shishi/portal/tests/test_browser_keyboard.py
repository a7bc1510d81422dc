"""Keyboard alone (Tab, Shift+Tab, arrows, Space, Enter, typing): a citizen files a report,
follows it and judges the answer; the town's clerk opens an appeal from the queue and signs
it. No click, no fill, no mouse."""

import pytest
from django.utils import timezone

from shishi.appeals.models import Appeal
from shishi.appeals.tests.helpers import at
from shishi.browser import axe_violations
from shishi.orgs.factories import TEST_PASSWORD
from shishi.testing import choose_by_keyboard, latest_code, tab_to

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PHONE = "13912345678"


def _focused(page) -> str:
    return page.evaluate("() => document.activeElement.id || document.activeElement.className")


def _ring(page) -> float:
    """The width of the focus ring around the focused element, in px."""
    return page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return s.outlineStyle === 'none' ? 0 : parseFloat(s.outlineWidth); }"
    )


def _send_code_and_submit(page, *, send: str, status: str, field: str, form: str) -> None:
    """Enter on 获取验证码, Shift+Tab back to the code field, type the texted code, Tab to
    the form's submit button (its focus ring visible) and Enter."""
    tab_to(page, send)
    page.keyboard.press("Enter")
    page.wait_for_selector(f"{status} .text-success")
    tab_to(page, field, back=True)
    page.keyboard.type(latest_code(PHONE))
    tab_to(page, f"{form} button[type=submit]")
    assert _ring(page) >= 3  # where the keyboard is can be seen
    page.keyboard.press("Enter")


def test_a_citizen_reports_tracks_and_evaluates_with_the_keyboard_alone(browser_page, desk):
    tree = desk.tree
    page = browser_page
    page.goto(f"{page.base_url}/report/")
    # the first Tab reaches 跳到主要内容, which takes the focus past the header
    page.keyboard.press("Tab")
    assert page.evaluate("() => document.activeElement.textContent") == "跳到主要内容"
    page.keyboard.press("Enter")
    assert _focused(page) == "main"

    # when the form is filled by Tab, arrows and typing
    tab_to(page, "#id_kind")
    choose_by_keyboard(page, "求助")
    tab_to(page, "input[aria-controls=id_category]")
    page.keyboard.type("住房")
    page.keyboard.press("Tab")
    choose_by_keyboard(page, "住房保障")
    tab_to(page, "#id_content")
    page.keyboard.type("小区三号楼的楼道灯坏了两个星期，晚上老人上下楼看不见，请尽快修好。")
    tab_to(page, "#id_county")
    choose_by_keyboard(page, "芗城区")
    tab_to(page, "#id_reporter_phone")
    page.keyboard.type(PHONE)
    _send_code_and_submit(
        page,
        send="[data-testid=send-otp]",
        status="#otp-status",
        field="#id_otp",
        form="#report-form",
    )

    # then the report is filed and its page passes the accessibility check too
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    appeal = Appeal.objects.get(code=code)
    assert appeal.category.name == "住房保障" and appeal.county == tree["xiangcheng"]
    assert axe_violations(page) == []

    # given the town's answer
    now = timezone.now()
    desk.dispatch(appeal, to="xiangcheng", now=now)
    desk.dispatch(appeal, to="zhishan", now=now)
    desk.sign(appeal, now=now)
    desk.reply(appeal, now=now)
    # when the citizen follows it and gives a verdict by Tab, Space and typing
    page.goto(f"{page.base_url}/track/{code}/")
    assert "已答复" in page.get_by_test_id("public-status").inner_text()
    tab_to(page, "input[name=verdict]")
    page.keyboard.press("Space")
    tab_to(page, "input[name=solved]")
    page.keyboard.press("Space")
    _send_code_and_submit(
        page,
        send="[data-testid=evaluate-otp-send]",
        status="#evaluate-otp-status",
        field="#evaluate-otp",
        form="[data-testid=evaluate-form]",
    )

    # then the appeal is closed with the verdict chosen
    page.wait_for_selector("[data-testid=public-status]:has-text('已办结')")
    appeal.refresh_from_db()
    assert appeal.verdict == "satisfied"


def test_a_clerk_signs_an_appeal_from_the_queue_with_the_keyboard_alone(
    browser_page, desk, town_clerk
):
    # given an appeal dispatched down to 芝山街道
    appeal = desk.submit(now=at(2024, 3, 4, 9))
    desk.dispatch(appeal, to="xiangcheng", now=at(2024, 3, 4, 10))
    desk.dispatch(appeal, to="zhishan", now=at(2024, 3, 4, 11))
    page = browser_page
    # when the clerk signs in (the name field has the focus) by typing and Enter
    page.goto(f"{page.base_url}/staff/login/")
    page.keyboard.type("town_clerk")
    page.keyboard.press("Tab")
    page.keyboard.type(TEST_PASSWORD)
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/staff/")
    # and goes by Tab to the queue, to the appeal and to 签收
    tab_to(page, "#staff-nav a[href='/staff/appeals/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/staff/appeals/")
    tab_to(page, f"a[href='/staff/appeals/{appeal.code}/']")
    page.keyboard.press("Enter")
    page.wait_for_url(f"{page.base_url}/staff/appeals/{appeal.code}/")
    tab_to(page, "[data-testid=sign]")
    assert _ring(page) >= 3
    page.keyboard.press("Enter")

    # then the appeal is signed
    page.wait_for_selector("[data-testid=appeal-status]:has-text('已签收')")
    appeal.refresh_from_db()
    assert appeal.status == "accepted"
