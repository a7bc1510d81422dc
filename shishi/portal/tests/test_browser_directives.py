"""部署任务 in a real browser: the city office deploys a directive through the form, the street
clerk reports it with a PDF from 我的任务, the city office approves it, and the directive's
page counts 芝山街道 done."""

import pytest

from shishi.campaign.models import Assignment
from shishi.testing import sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def test_a_directive_is_deployed_reported_and_approved(browser_page, tree, city_admin, town_clerk):
    page = browser_page
    page.on("dialog", lambda dialog: dialog.accept())  # the data-confirm questions
    # the city office deploys a directive to the streets of the city
    sign_in(page, "city_admin")
    page.get_by_role("link", name="部署任务").click()
    page.get_by_test_id("new-directive").click()
    page.fill("#id_title", "开展防汛安全隐患排查")
    page.fill("#id_content", "各街道组织排查辖区内防汛安全隐患，建立台账，逐项整改。")
    page.fill("#id_days", "5")
    page.fill("#id_evidence", "排查台账、现场照片")
    page.get_by_label("街道", exact=True).check()
    page.get_by_test_id("target-count").get_by_text("3", exact=True).wait_for()
    page.get_by_test_id("issue").click()
    assert "下达到 3 个单位" in page.locator(".alert-success").inner_text()
    assert "进行中" in page.get_by_test_id("directive-status").inner_text()

    # the street clerk finds it under 我的任务 and reports with a PDF
    sign_in(page, "town_clerk")
    page.locator("#staff-nav").get_by_role("link", name="我的任务").click()
    page.get_by_test_id("my-assignments").get_by_role("link", name="开展防汛安全隐患排查").click()
    form = page.get_by_test_id("report-form")
    form.locator("#id_text").fill("已完成辖区12处隐患点排查，建立台账，9处已整改，3处限期整改。")
    form.locator("#id_files").set_input_files(
        {"name": "排查台账.pdf", "mimeType": "application/pdf", "buffer": PDF}
    )
    form.locator("button[type=submit]").click()
    assert "已报送" in page.locator(".alert-success").inner_text()
    assert "待审核" in page.get_by_test_id("assignment-status").inner_text()
    assert "排查台账.pdf" in page.get_by_test_id("evidence").inner_text()

    # the city office approves it from the directive's page
    sign_in(page, "city_admin")
    page.get_by_role("link", name="部署任务").click()
    page.get_by_role("link", name="开展防汛安全隐患排查").click()
    page.get_by_test_id("assignments").get_by_role("link", name="芝山街道").click()
    page.get_by_test_id("approve").click()
    assert "已审核通过" in page.locator(".alert-success").inner_text()
    assert "已完成" in page.get_by_test_id("assignment-status").inner_text()

    # and the directive's page counts 芝山街道 done
    page.locator(".breadcrumb").get_by_role("link", name="开展防汛安全隐患排查").click()
    row = page.get_by_test_id("assignments").locator("tr", has_text="芝山街道")
    assert "已完成" in row.inner_text()
    xiangcheng = page.get_by_test_id("by-level").locator("tr", has_text="芗城区")
    assert "50%" in xiangcheng.inner_text()  # 芝山街道 done, 西桥街道 not yet
    assert Assignment.objects.get(unit=tree["zhishan"]).status == "approved"
