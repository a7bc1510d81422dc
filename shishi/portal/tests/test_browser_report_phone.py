"""On a 390 px phone, a report that fails (a mistyped code) opens at its error summary and
keeps the photo chosen; the corrected submit files the appeal with it."""

import io

import pytest
from PIL import Image

from shishi.testing import latest_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_failed_report_on_a_phone_shows_the_error_on_top_and_keeps_the_photo(
    browser_page, tree, tmp_path
):
    from shishi.appeals.actions import import_categories
    from shishi.appeals.models import Appeal, Photo

    import_categories(rows=[("城乡建设", "城市建设和市政管理", "市政设施")])
    photo = tmp_path / "light.png"
    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 180, 40)).save(buffer, "PNG")
    photo.write_bytes(buffer.getvalue())
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})

    # given a citizen on a phone who fills the form, chooses a photo and mistypes the code
    page.goto(f"{page.base_url}/report/")
    page.select_option("#id_kind", "help")
    page.select_option("#id_category", label="城市建设和市政管理/市政设施")
    page.fill("#id_content", "芝山路口的路灯坏了一个多月，晚上很黑，老人出门不安全，请尽快修理。")
    page.select_option("#id_county", label="芗城区")
    page.set_input_files("#id_photos", str(photo))
    page.fill("#id_reporter_phone", "13912345678")
    page.get_by_test_id("send-otp").click()
    page.wait_for_selector("#otp-status .text-success")
    right = latest_code("13912345678")
    page.fill("#id_otp", "000000" if right != "000000" else "111111")
    page.click("#report-form button[type=submit]")

    # then the page comes back scrolled to the error summary, and the photo is kept
    summary = page.locator("[data-error-summary]")
    summary.wait_for()
    assert "验证码" in summary.inner_text()
    box = summary.bounding_box()
    assert box is not None and 0 <= box["y"] < 844  # in view without scrolling
    assert "light.png" in page.get_by_test_id("kept-photos").inner_text()
    assert not Appeal.objects.exists()

    # when the citizen types the right code and submits again without choosing the photo
    page.fill("#id_otp", right)
    page.click("#report-form button[type=submit]")

    # then the appeal is filed with the photo
    code = page.get_by_test_id("tracking-code").inner_text().strip()
    assert Photo.objects.filter(appeal=Appeal.objects.get(code=code)).count() == 1
