"""On a 390 px phone: the map page falls back to its list without tiles; a school books 七一
from a site's free slot with a texted code and its ticket awaits the site; the site's clerk
confirms it on the booking page and the ticket shows its QR code; on the day the clerk
checks the group in by typing the booking code; typing it again is refused."""

import pytest
import segno

from shishi.browser import axe_violations
from shishi.sites import tickets
from shishi.sites.models import Booking
from shishi.sites.tests.conftest import NINE, book
from shishi.testing import at, latest_code, sign_in

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

    # the ticket awaits the site's confirmation: the code, no QR code yet
    code = page.get_by_test_id("ticket-code").inner_text().strip()
    assert "等待参访点确认" in page.get_by_test_id("ticket-pending").inner_text()
    assert page.locator("[data-testid=ticket] svg").count() == 0
    assert axe_violations(page) == []  # a page only its booker sees: the a11y walk cannot
    booking = Booking.objects.get(code=code)
    assert booking.headcount == 40 and booking.status == Booking.Status.PENDING

    # the site's clerk confirms it from the booking page (the browser asks first)
    sign_in(page, town_clerk.username, PASSWORD)
    page.goto(f"{page.base_url}/staff/sites/bookings/{booking.pk}/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_test_id("confirm-booking").click()
    assert page.get_by_test_id("status").inner_text() == "已预约"
    booking.refresh_from_db()
    assert booking.status == Booking.Status.BOOKED

    # on the day (a new session: the last one idled out), the clerk types the code
    clock(at(2026, 7, 1, 9, 50))
    sign_in(page, town_clerk.username, PASSWORD)
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


def _qr_png(booking, path) -> str:
    """A photo of the ticket as the visitor's phone shows it: the QR code the ticket page
    draws (the check-in address with the signed token), written as a PNG by segno."""
    segno.make(tickets.check_in_url(booking), error="m").save(
        str(path), kind="png", scale=8, border=4
    )
    return str(path)


def test_the_check_in_page_reads_a_photo_of_the_ticket_s_qr_code(
    browser_page, site, town_clerk, clock, tmp_path
):
    page = browser_page
    booking = book(site, headcount=30)  # confirmed by the site's clerk
    waiting = book(site, start=NINE.replace(hour=10), headcount=5, confirm=False)
    clock(at(2026, 7, 1, 8, 50))
    sign_in(page, town_clerk.username)
    page.goto(f"{page.base_url}/staff/sites/checkin/")
    # the scan buttons show (the script and jsQR loaded; without them they stay hidden)
    assert page.get_by_test_id("scan").is_visible()
    assert page.get_by_test_id("scan-photo").get_attribute("capture") == "environment"

    # a photo of a pending booking's code is decoded, sent, and refused by the server
    page.get_by_test_id("scan-photo").set_input_files(_qr_png(waiting, tmp_path / "w.png"))
    page.wait_for_selector("[data-testid=ticket-error]")
    assert "尚待参访点确认" in page.get_by_test_id("ticket-error").inner_text()

    # a photo of the confirmed booking's code: decoded into the form, looked up
    page.get_by_test_id("scan-photo").set_input_files(_qr_png(booking, tmp_path / "b.png"))
    page.wait_for_selector("[data-testid=ticket-ok]")
    assert "漳州第一中学" in page.get_by_test_id("ticket-ok").inner_text()
    token = page.input_value("#id_ticket")
    assert tickets.read_token(token).booking_id == booking.pk
    # then the headcount, and the group is checked in
    page.fill("#id_arrived", "29")
    page.get_by_test_id("confirm-checkin").click()
    assert "签到成功，实到 29 人" in page.content()
    booking.refresh_from_db()
    assert booking.status == Booking.Status.CHECKED_IN and booking.arrived == 29


def test_without_a_camera_the_page_says_so_in_chinese(browser_page, site, town_clerk, clock):
    page = browser_page
    sign_in(page, town_clerk.username)
    page.goto(f"{page.base_url}/staff/sites/checkin/")

    # headless Chromium has no camera (and no one to grant the permission)
    page.get_by_test_id("scan-start").click()
    # (a selector, not a script: the page's CSP forbids evaluating strings)
    page.locator("#scan-status.text-danger").wait_for()
    message = page.get_by_test_id("scan-status").inner_text()
    assert "摄像头" in message and "从照片识别" in message
    # the typed code still works beside it
    assert page.locator("#id_ticket").is_editable()


def _y4m(png: str, path) -> str:
    """A camera's video as Chromium's fake capture device plays it (Y4M, 4:2:0): the ticket
    photo held up in the middle of a 640×480 grey frame, a few identical frames looped."""
    from PIL import Image

    frame = Image.new("RGB", (640, 480), (128, 128, 128))
    code = Image.open(png).convert("RGB")
    code.thumbnail((400, 400))
    frame.paste(code, ((640 - code.width) // 2, (480 - code.height) // 2))
    y, cb, cr = frame.convert("YCbCr").split()
    planes = y.tobytes() + cb.resize((320, 240)).tobytes() + cr.resize((320, 240)).tobytes()
    with open(path, "wb") as out:
        out.write(b"YUV4MPEG2 W640 H480 F10:1 Ip A1:1 C420jpeg\n")
        for _ in range(10):
            out.write(b"FRAME\n" + planes)
    return str(path)


def test_the_camera_reads_the_ticket_and_sends_it(live_server, site, town_clerk, clock, tmp_path):
    """The live path: Chromium's fake camera plays a video of the ticket; 扫码 opens it (the
    permission granted as a clerk would), decodes a frame and looks the ticket up."""
    import os

    from playwright.sync_api import sync_playwright

    from shishi.browser import CHROMIUM_ARGS, chromium_path

    booking = book(site, headcount=12)
    video = _y4m(_qr_png(booking, tmp_path / "t.png"), tmp_path / "camera.y4m")
    clock(at(2026, 7, 1, 8, 50))
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=chromium_path(),
            args=[
                *CHROMIUM_ARGS,
                "--use-fake-ui-for-media-stream",
                "--use-fake-device-for-media-stream",
                f"--use-file-for-fake-video-capture={video}",
            ],
        )
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        context.grant_permissions(["camera"], origin=live_server.url)
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        try:
            sign_in(page, town_clerk.username)
            page.goto(f"{page.base_url}/staff/sites/checkin/")
            page.get_by_test_id("scan-start").click()
            page.wait_for_selector("[data-testid=ticket-ok]")
            assert "漳州第一中学" in page.get_by_test_id("ticket-ok").inner_text()
            assert tickets.read_token(page.input_value("#id_ticket")).booking_id == booking.pk
        finally:
            context.close()
            browser.close()
