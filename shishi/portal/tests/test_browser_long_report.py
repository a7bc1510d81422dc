"""On a 390 px phone, a citizen files a 4,500-character complaint with emoji and line breaks:
the counter counts as the server does, the whole text is filed, and the tracking page folds
it under 展开全文 instead of stretching the page."""

import pytest

from shishi.testing import latest_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PARAGRAPH = (
    "2019年起我们小区（芝山花园）的地下车库一下雨就进水😡，物业多次承诺维修都没有下文。"
    "业主们自己找人看过，是排水泵坏了、排水沟堵了；今年汛期已经泡坏了三辆车🚗，"
    "老人和孩子进出都要蹚水，晚上照明也不够，十分危险。\t附：业主联名表\r\n"
)


def _complaint(length: int) -> str:
    """`length` characters of the paragraph repeated, with the line breaks a browser sends
    as "\\r\\n" (stored as "\\n"), ending in a full stop."""
    lines = PARAGRAPH.replace("\r\n", "\n")
    return (lines * (length // len(lines) + 1))[: length - 1] + "。"


def test_a_long_complaint_with_emoji_is_filed_whole_and_folded_on_the_tracking_page(
    browser_page, tree
):
    from shishi.appeals.actions import import_categories
    from shishi.appeals.models import Appeal

    import_categories(rows=[("城乡建设", "城市建设和市政管理", "市政设施")])
    stored = _complaint(4500)
    page = browser_page
    page.set_viewport_size({"width": 390, "height": 844})

    # given a citizen on a phone who pastes a 4,500-character complaint
    page.goto(f"{page.base_url}/report/")
    page.select_option("#id_kind", "complaint")
    page.select_option("#id_category", label="城市建设和市政管理/市政设施")
    page.fill("#id_content", stored)

    # then the counter counts characters as the server will (an emoji is one)
    assert page.locator("#id_content_counter").inner_text() == "已输入 4500 / 5000 字"

    # when they confirm the phone and submit
    page.fill("#id_reporter_phone", "13912345678")
    page.get_by_test_id("send-otp").click()
    page.wait_for_selector("#otp-status .text-success")
    page.fill("#id_otp", latest_code("13912345678"))
    page.click("#report-form button[type=submit]")
    code = page.get_by_test_id("tracking-code").inner_text().strip()

    # then the whole text is filed, and its title is its first sentence's opening
    appeal = Appeal.objects.get(code=code)
    assert appeal.content == stored
    assert appeal.title.startswith("2019年起我们小区") and len(appeal.title) <= 30

    # and the tracking page shows it folded, the page no wider than the phone
    page.goto(f"{page.base_url}/track/{code}/")
    text = page.get_by_test_id("appeal-content")
    folded = text.bounding_box()["height"]
    assert folded < 400
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    toggle = page.get_by_role("button", name="展开全文")
    toggle.click()
    assert text.bounding_box()["height"] > 4 * folded
    assert text.inner_text().strip() == stored.strip()
    assert page.get_by_role("button", name="收起").get_attribute("aria-expanded") == "true"
