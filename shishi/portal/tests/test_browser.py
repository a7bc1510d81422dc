from base64 import b32decode

import pytest
from django_otp.oath import totp

from shishi.orgs.factories import TEST_PASSWORD
from shishi.testing import latest_code, sign_in

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


def test_city_admin_sets_up_an_authenticator_at_the_first_sign_in(
    browser_page, city_admin, totp_enforced
):
    page = browser_page
    blocked = []
    page.on("console", lambda m: blocked.append(m.text) if "Security Policy" in m.text else None)
    # given the city administrator, who has no authenticator yet, past the password
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", "city_admin")
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    # then the set-up page shows the QR code and the key in text
    page.wait_for_url(f"{page.base_url}/staff/login/enrol/")
    assert page.locator(".totp-qr svg").is_visible()
    key = b32decode(page.locator("#totp-secret").inner_text().replace(" ", ""))
    # when the code the app shows is typed
    page.fill("#id_code", f"{totp(key):06d}")
    page.click("button[type=submit]")
    # then ten recovery codes are shown once, and the staff home opens after them
    assert page.locator("#recovery-codes li").count() == 10
    page.click("text=我已保存，进入工作平台")
    page.wait_for_url(f"{page.base_url}/staff/")
    assert page.locator("h1").inner_text() == "您好，林市管"
    assert blocked == []


def test_portal_home_shows_the_city(browser_page, tree):
    page = browser_page
    page.goto(f"{page.base_url}/")
    assert "漳州市" in page.title()
    assert "漳州市“我为群众办实事”" in page.locator("header").inner_text()
    # the county-level divisions of the tree are listed
    assert "芗城区" in page.content() and "龙文区" in page.content()


def test_appeal_walks_from_report_to_closed(browser_page, tree, town_clerk):
    from shishi.appeals.actions import import_categories
    from shishi.appeals.models import Appeal
    from shishi.orgs.factories import PersonFactory
    from shishi.orgs.models import Role

    import_categories(rows=[("城乡建设", "城市建设和市政管理", "市政设施")])
    PersonFactory(username="operator", name="郑受理", unit=tree["city"], role=Role.OPERATOR)
    citizen = browser_page
    # a citizen reports a broken street light, confirming the phone by SMS code
    citizen.goto(f"{citizen.base_url}/report/")
    citizen.select_option("#id_kind", "help")
    citizen.select_option("#id_category", label="城市建设和市政管理/市政设施")
    citizen.fill(
        "#id_content", "芝山路口的路灯坏了一个多月，晚上很黑，老人出门不安全，请尽快修理。"
    )
    citizen.select_option("#id_county", label="芗城区")
    citizen.fill("#id_reporter_phone", "13912345678")
    citizen.get_by_test_id("send-otp").click()
    citizen.wait_for_selector("#otp-status .text-success")
    code_digits = latest_code("13912345678")
    citizen.fill("#id_otp", code_digits)
    citizen.click("#report-form button[type=submit]")
    code = citizen.get_by_test_id("tracking-code").inner_text().strip()
    assert Appeal.objects.get(code=code).status == "received"

    staff = citizen.context.browser.new_context(locale="zh-CN").new_page()
    staff.base_url = citizen.base_url
    # the operator dispatches it to the town
    sign_in(staff, "operator")
    staff.goto(f"{staff.base_url}/staff/appeals/{code}/")
    staff.select_option("#id_to_unit", label="　　芝山街道")
    staff.get_by_test_id("dispatch-form").locator("button[type=submit]").click()
    assert "已派单" in staff.get_by_test_id("appeal-status").inner_text()
    # the town clerk signs and replies
    sign_in(staff, "town_clerk")
    staff.goto(f"{staff.base_url}/staff/appeals/{code}/")
    staff.get_by_test_id("sign").click()
    assert "已签收" in staff.get_by_test_id("appeal-status").inner_text()
    reply = staff.get_by_test_id("reply-form")
    reply.locator("#id_kind").select_option("solved")
    reply.locator("#id_text").fill(
        "经我街道核查，已联系供电部门更换路灯灯头，现已恢复照明，感谢监督。"
    )
    reply.locator("button[type=submit]").click()
    assert "已答复" in staff.get_by_test_id("appeal-status").inner_text()

    # the citizen follows the code and judges the result
    citizen.goto(f"{citizen.base_url}/track/{code}/")
    assert "已答复" in citizen.get_by_test_id("public-status").inner_text()
    citizen.get_by_test_id("evaluate-form").get_by_label("满意", exact=True).check()
    citizen.get_by_test_id("evaluate-solved").get_by_label("是", exact=True).check()
    citizen.get_by_test_id("evaluate-otp-send").click()
    citizen.wait_for_selector("#evaluate-otp-status .text-success")
    citizen.fill("#evaluate-otp", latest_code("13912345678"))
    citizen.get_by_test_id("evaluate-form").locator("button[type=submit]").click()
    assert "已办结" in citizen.get_by_test_id("public-status").inner_text()
    assert Appeal.objects.get(code=code).verdict == "satisfied"


def _project_in_progress(tree, city_admin, town_clerk, *, complete: bool = False):
    """A 芝山街道 project walked through the real actions to 实施中 (or 已完成)."""
    import io
    from datetime import date, datetime, timedelta

    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.utils import timezone
    from PIL import Image

    from shishi.orgs.access import actor_for
    from shishi.projects import actions
    from shishi.projects.models import Attachment

    admin, clerk = actor_for(city_admin, None), actor_for(town_clerk, None)
    start = timezone.localdate() - timedelta(days=40)
    past = timezone.make_aware(datetime.combine(start, datetime.min.time())) + timedelta(hours=9)
    project = actions.create_project(
        actor=clerk,
        now=past,
        data=actions.ProjectData(
            title="芝山街道背街小巷路灯补亮",
            area="living",
            level="town",
            source="public",
            lead_unit=tree["zhishan"],
            leader="街道办主任 张某某",
            planned_start=start,
            planned_end=start + timedelta(days=120),
            targets="补装路灯120盏，消除照明盲区",
        ),
    )
    milestone = actions.add_milestone(
        actor=clerk,
        project=project,
        title="完成路灯安装",
        weight=1,
        due=start + timedelta(days=60),
        now=past,
    )
    actions.submit_project(actor=clerk, project=project, now=past)
    actions.review_project(actor=admin, project=project, approve=True, note="", now=past)
    actions.disclose_project(actor=clerk, project=project, now=past)
    actions.start_project(actor=clerk, project=project, now=past + timedelta(days=12))
    if complete:
        buffer = io.BytesIO()
        Image.new("RGB", (40, 30), (90, 160, 90)).save(buffer, "PNG")
        photo = SimpleUploadedFile("after.png", buffer.getvalue(), content_type="image/png")
        actions.complete_milestone(actor=clerk, milestone=milestone, now=past + timedelta(days=30))
        actions.complete_project(
            actor=clerk,
            project=project,
            note="",
            now=past + timedelta(days=31),
            evidence=[(Attachment.Kind.AFTER, photo)],
        )
    assert date.today() >= start
    return project


def test_clerk_files_a_progress_report(browser_page, tree, city_admin, town_clerk):
    from shishi.projects.models import ProgressReport

    project = _project_in_progress(tree, city_admin, town_clerk)
    page = browser_page
    sign_in(page, "town_clerk")
    page.goto(f"{page.base_url}/staff/projects/{project.code}/")
    form = page.get_by_test_id("report-form").first
    form.locator("textarea[name=text]").fill(
        "本月完成芝山路、北京路段路灯基础开挖和线缆敷设，安装路灯40盏。"
    )
    form.locator("input[name=percent]").fill("35")
    form.locator("button[type=submit]").click()
    assert "进度已报送" in page.locator(".alert-success").inner_text()
    report = ProgressReport.objects.get(project=project)
    assert report.percent == 35 and report.review == "pending"


def test_citizen_rates_a_completed_project(browser_page, tree, city_admin, town_clerk):
    project = _project_in_progress(tree, city_admin, town_clerk, complete=True)
    page = browser_page
    page.goto(f"{page.base_url}/projects/{project.code}/")
    assert "已完成" in page.get_by_test_id("public-project-status").inner_text()
    form = page.get_by_test_id("rating-form")
    form.locator("input[name=rating-stars][value='5']").check()
    form.locator("textarea[name=rating-comment]").fill("晚上回家终于不用摸黑了，谢谢！")
    form.locator("input[name=rating-phone]").fill("13812345678")
    page.get_by_test_id("rating-send-otp").click()
    page.wait_for_selector("#rating-otp-status .text-success")
    form.locator("input[name=rating-otp]").fill(latest_code("13812345678"))
    form.locator("button[type=submit]").click()
    assert "提交成功" in page.locator(".alert-success").inner_text()
    project.refresh_from_db()
    assert (project.rating_count, project.rating_total) == (1, 5)
