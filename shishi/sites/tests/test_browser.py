"""On a 390 px phone: the map page falls back to its list without tiles; a school books 七一
from a site's free slot with a texted code and gets its ticket; on the day the site's clerk
checks the group in by typing the booking code; typing it again is refused."""

import pytest

from shishi.sites.models import Booking
from shishi.testing import at, latest_code

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

PASSWORD = "Hongse@Zhangzhou2026"


def test_book_on_a_phone_then_check_in_with_the_typed_code(browser_page, site, town_clerk, clock):
    page = browser_page
    town_clerk.set_password(PASSWORD)
    town_clerk.save()

    # the map page: no tiles here, so it says so and the list is there
    page.goto(f"{page.base_url}/sites/")
    note = page.get_by_test_id("map-note")
    page.wait_for_function(
        "document.getElementById('sites-map-note').textContent.includes('无法加载')"
    )
    assert "参访点列表" in note.inner_text()
    page.get_by_role("link", name=site.name).click()

    # a free slot of 七一 opens the booking form with the day and time filled in
    page.locator("a[href$='day=2026-07-01&start=10:00']").click()
    assert page.input_value("#id_day") == "2026-07-01"
    assert page.input_value("#id_start") == "10:00"
    page.fill("#id_headcount", "40")
    page.fill("#id_organisation", "漳州第一中学高一年级")
    page.fill("#id_contact_name", "陈老师")
    page.fill("#id_contact_phone", "13900004444")
    page.get_by_test_id("send-otp").click()
    page.wait_for_selector("#otp-status .text-success")
    page.fill("#id_otp", latest_code("13900004444"))
    page.get_by_test_id("submit").click()

    # the ticket: QR code and booking code
    code = page.get_by_test_id("ticket-code").inner_text().strip()
    assert page.locator("[data-testid=ticket] svg").count() == 1
    booking = Booking.objects.get(code=code)
    assert booking.headcount == 40

    # on the day, the site's clerk signs in on a phone and types the code
    clock(at(2026, 7, 1, 9, 50))
    page.context.clear_cookies()
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("input[name=username]", town_clerk.username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.goto(f"{page.base_url}/staff/sites/checkin/")
    page.fill("#id_ticket", code)
    page.get_by_test_id("look-up").click()
    assert "漳州第一中学高一年级" in page.get_by_test_id("ticket-ok").inner_text()
    page.fill("#id_arrived", "38")
    page.get_by_test_id("confirm-checkin").click()
    assert "签到成功，实到 38 人" in page.content()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.arrived == 38

    # the same code again is refused
    page.fill("#id_ticket", code)
    page.get_by_test_id("look-up").click()
    assert "不能重复使用" in page.get_by_test_id("ticket-error").inner_text()
