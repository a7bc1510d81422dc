"""A leader approves a reply in the browser: the clerk answers with a photo of the finished
work, the citizen sees nothing of it; the leader finds it under 待我审核 and approves it; the
citizen then reads the answer and sees the photo."""

import io

import pytest
from PIL import Image

from shishi.appeals.models import Reply
from shishi.appeals.tests.conftest import REPORTER_PHONE
from shishi.appeals.tests.helpers import at
from shishi.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

ANSWER = "经街道核查，已联系物业更换电梯主板，现已恢复正常运行，感谢您的监督。"


def _png() -> dict:
    buffer = io.BytesIO()
    Image.new("RGB", (60, 40), (40, 140, 90)).save(buffer, "PNG")
    return {"name": "done.png", "mimeType": "image/png", "buffer": buffer.getvalue()}


def test_a_leader_approves_a_reply_and_the_citizen_sees_it_with_its_photo(
    browser_page, desk, reply_approval, town_clerk, town_leader
):
    appeal = desk.in_town(now=at(2024, 3, 4, 9))
    staff = browser_page
    citizen = staff.context.browser.new_context(locale="zh-CN").new_page()
    citizen.base_url = staff.base_url

    # the street's clerk answers with a photo; it goes to the leader first
    sign_in(staff, town_clerk.username)
    staff.goto(f"{staff.base_url}/staff/appeals/{appeal.code}/")
    form = staff.get_by_test_id("reply-form")
    form.locator("#id_kind").select_option("solved")
    form.locator("#id_text").fill(ANSWER)
    form.locator("#id_photos").set_input_files(_png())
    form.locator("button[type=submit]").click()
    assert "单位负责人审核同意后发给群众" in staff.locator(".alert-success").inner_text()
    assert staff.get_by_test_id("reply-pending").is_visible()

    # the citizen, following the appeal, sees neither the answer nor the photo
    citizen.goto(f"{citizen.base_url}/track/")
    citizen.fill("#code", appeal.code)
    citizen.fill("#last4", REPORTER_PHONE[-4:])
    citizen.locator("form button[type=submit]").click()
    assert "已签收" in citizen.get_by_test_id("public-status").inner_text()
    assert ANSWER not in citizen.content()
    assert citizen.get_by_test_id("result-photos").count() == 0

    # the leader finds it under 待我审核 and approves it on the appeal page
    sign_in(staff, town_leader.username)
    panel = staff.get_by_test_id("review-panel")
    assert appeal.title in panel.inner_text()
    panel.get_by_text(appeal.title).click()
    staff.wait_for_url(f"{staff.base_url}/staff/appeals/{appeal.code}/")
    assert ANSWER in staff.get_by_test_id("reply-pending").inner_text()
    staff.get_by_test_id("approve-reply").click()
    assert "已同意，答复已发给群众" in staff.locator(".alert-success").inner_text()
    assert "已答复" in staff.get_by_test_id("appeal-status").inner_text()

    # the citizen now reads the answer and sees the photo of the finished work
    citizen.reload()
    assert "已答复" in citizen.get_by_test_id("public-status").inner_text()
    assert ANSWER in citizen.content()
    photo = citizen.get_by_test_id("result-photos").locator("img")
    photo.wait_for()
    assert citizen.evaluate("img => img.naturalWidth", photo.element_handle()) == 60
    assert Reply.objects.get(appeal=appeal).approval == Reply.Approval.APPROVED
