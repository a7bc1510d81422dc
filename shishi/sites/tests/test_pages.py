"""The pages of 红色教育参访 through the test client: the staff lists (filters, sorting,
empty states, masked phones, pinned queries), a site's page and its closures, staff
booking, check-in by scanning or typing; the public map page, a site's free slots, booking
with the phone confirmed by an SMS code, the ticket and its cancellation."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from shishi.sites import tickets
from shishi.sites.models import Booking, BookingEvent, Closure, Site, Slot
from shishi.sites.tests.conftest import JULY_1, TUESDAY, book, make_site
from shishi.testing import at, latest_code

pytestmark = pytest.mark.django_db

STAFF_LIST_QUERIES = 9
BOOKING_LIST_QUERIES = 11
PUBLIC_INDEX_QUERIES = 4


def _more_sites(tree, count):
    for number in range(count):
        site = make_site(tree["zhishan"], tree["xiangcheng"], name=f"测试参访点{number}")
        book(site, headcount=5)


# --- Staff lists ------------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 12])
def test_the_site_list_takes_the_same_queries_for_few_or_many_sites(
    extra, tree, site, town_clerk, login, clock, django_assert_num_queries
):
    _more_sites(tree, extra)
    book(site)
    client = login(town_clerk)
    client.get(reverse("sites:sites"))

    with django_assert_num_queries(STAFF_LIST_QUERIES):
        response = client.get(reverse("sites:sites"))

    assert response.context["page"].paginator.count == 1 + extra
    assert "毛主席率领红军攻克漳州纪念馆" in response.content.decode()


def test_the_site_list_filters_sorts_and_names_what_it_ignored(
    tree, site, sibling_site, county_clerk, login, clock
):
    client = login(county_clerk)

    page = client.get(reverse("sites:sites"), {"q": "纪念碑"}).content.decode()
    assert "西桥革命烈士纪念碑" in page and "攻克漳州纪念馆" not in page
    page = client.get(reverse("sites:sites"), {"sort": "capacity"}).content.decode()
    assert page.index("攻克漳州纪念馆") < page.index("西桥革命烈士纪念碑")  # 50 before 30
    page = client.get(reverse("sites:sites"), {"kind": "nothing"}).content.decode()
    assert "以下查询条件无效" in page and "类型：nothing" in page
    page = client.get(reverse("sites:sites"), {"q": "不存在的馆"}).content.decode()
    assert "没有符合条件的参访点" in page


@pytest.mark.parametrize("extra", [0, 12])
def test_the_booking_list_takes_the_same_queries_and_masks_phones(
    extra, tree, site, town_clerk, login, clock, django_assert_num_queries
):
    for _ in range(extra):
        book(site, headcount=1, contact_phone="13912345678")
    book(site, headcount=10, contact_phone="13912345678")
    client = login(town_clerk)
    client.get(reverse("sites:bookings"))

    with django_assert_num_queries(BOOKING_LIST_QUERIES):
        response = client.get(reverse("sites:bookings"))

    page = response.content.decode()
    assert "139****5678" in page and "13912345678" not in page
    assert f"共 {1 + extra} 批次" in page


def test_the_booking_list_filters_by_status_and_day(site, town_clerk, login, clock):
    kept = book(site, organisation="芝山小学")
    gone = book(site, day=JULY_1.replace(day=2), organisation="龙文中学")
    client = login(town_clerk)
    client.post(reverse("sites:cancel", args=[gone.pk]), {"reason": "行程变更"})

    page = client.get(reverse("sites:bookings"), {"status": "booked"}).content.decode()
    assert kept.organisation in page and gone.organisation not in page
    page = client.get(reverse("sites:bookings"), {"start": "2026-07-02"}).content.decode()
    assert kept.organisation not in page and gone.organisation in page
    page = client.get(reverse("sites:bookings"), {"status": "no_show"}).content.decode()
    assert "没有符合条件的预约" in page


def test_a_clerk_without_sites_sees_an_empty_state_that_says_what_to_do(
    lantian_clerk, login, clock, site
):
    page = login(lantian_clerk).get(reverse("sites:sites")).content.decode()

    assert "没有管理的红色教育参访点" in page


# --- A site, closures, staff booking ---------------------------------------------------------


def test_the_site_page_shows_seats_left_and_closed_days(site, town_clerk, login, clock):
    book(site, headcount=45)
    client = login(town_clerk)

    response = client.post(
        reverse("sites:closure_add", args=[site.pk]),
        {"start": "2026-07-03", "end": "2026-07-04", "reason": "展陈改造"},
        follow=True,
    )

    page = response.content.decode()
    assert "闭馆安排已设置" in page
    assert "闭馆：展陈改造" in page
    assert "余5" in page  # 七一 at nine: 45 of 50 booked
    assert "周一闭馆" in page


def test_a_bad_closure_is_refused_on_the_page_and_nothing_saved(site, town_clerk, login, clock):
    response = login(town_clerk).post(
        reverse("sites:closure_add", args=[site.pk]),
        {"start": "2026-07-04", "end": "2026-07-03", "reason": "检修"},
        follow=True,
    )

    assert "闭馆结束日期不能早于开始日期" in response.content.decode()
    assert Closure.objects.count() == 0


def test_a_unit_books_a_visit_for_itself_through_the_form(site, tree, county_clerk, login, clock):
    client = login(county_clerk)

    response = client.post(
        reverse("sites:book", args=[site.pk]),
        {
            "unit": tree["xiangcheng"].pk,
            "day": "2026-07-01",
            "start": "10:00",
            "headcount": "30",
            "organisation": "芗城区机关党委",
            "contact_name": "周区办",
            "contact_phone": "13700001234",
        },
        follow=True,
    )

    booking = Booking.objects.get()
    assert booking.unit == tree["xiangcheng"] and booking.channel == Booking.Channel.STAFF
    page = response.content.decode()
    assert f"预约成功，预约号 {booking.code}" in page
    assert "<svg" in page  # the ticket


def test_an_over_capacity_staff_booking_stays_on_the_form_with_the_reason(
    site, tree, county_clerk, login, clock
):
    book(site, headcount=45)
    response = login(county_clerk).post(
        reverse("sites:book", args=[site.pk]),
        {
            "unit": tree["xiangcheng"].pk,
            "day": "2026-07-01",
            "start": "09:00",
            "headcount": "6",
            "organisation": "芗城区机关党委",
            "contact_name": "周区办",
            "contact_phone": "13700001234",
        },
    )

    assert response.status_code == 200
    assert "只剩5个名额" in response.content.decode()
    assert Booking.objects.count() == 1


# --- Check-in ---------------------------------------------------------------------------------


def test_scanning_a_ticket_opens_check_in_then_confirming_checks_in_once(
    site, town_clerk, login, clock
):
    booking = book(site, headcount=20)
    token = tickets.token_for(booking)
    clock(at(2026, 7, 1, 8, 50))
    client = login(town_clerk)
    # the QR code is the address of this page with the token
    # (the token carries the second it was signed, so compare what it says, not its bytes)
    url = tickets.check_in_url(booking)
    assert "/staff/sites/checkin/?t=" in url
    assert url.split("?t=")[1].split(":")[0] == token.split(":")[0]
    page = client.get(reverse("sites:checkin"), {"t": token}).content.decode()
    assert token in page

    looked = client.post(reverse("sites:checkin"), {"ticket": token}).content.decode()
    assert "漳州第一中学" in looked and "139****1111" in looked and "确认签到" in looked
    done = client.post(
        reverse("sites:checkin"), {"ticket": token, "arrived": "18"}, follow=True
    ).content.decode()
    assert "签到成功，实到 18 人" in done
    again = client.post(reverse("sites:checkin"), {"ticket": token}).content.decode()
    assert "票据不能重复使用" in again
    booking.refresh_from_db()
    assert booking.arrived == 18
    assert BookingEvent.objects.filter(verb="check_in_refused").count() == 1


def test_a_typed_code_of_another_site_is_refused_on_the_page(
    site, sibling_site, town_clerk, login, clock
):
    other = book(sibling_site, headcount=5)
    clock(at(2026, 7, 1, 8, 50))

    page = (
        login(town_clerk)
        .post(reverse("sites:checkin"), {"ticket": other.code, "arrived": "5"})
        .content.decode()
    )

    assert "不属于您管理的参访点" in page
    other.refresh_from_db()
    assert other.status == Booking.Status.BOOKED


# --- Public pages -----------------------------------------------------------------------------


@pytest.mark.parametrize("extra", [0, 12])
def test_the_public_map_page_lists_every_site_by_county_in_fixed_queries(
    extra, tree, site, sibling_site, client, clock, django_assert_num_queries
):
    _more_sites(tree, extra)

    with django_assert_num_queries(PUBLIC_INDEX_QUERIES):
        response = client.get("/sites/")

    page = response.content.decode()
    assert page.count("data-site ") == 2 + extra
    assert "芗城区" in page and "近7天余" in page
    assert 'data-lat="24.522800"' in page
    assert "vendor/leaflet/leaflet.js" in page and "<script>" not in page


def test_a_site_s_public_page_shows_free_slots_as_links_to_book(site, client, clock):
    book(site, headcount=50)  # 七一 at nine is full

    page = client.get(f"/sites/{site.pk}/").content.decode()

    assert "约满" in page
    assert f"/sites/{site.pk}/book/?day=2026-07-01&start=10:00" in page
    assert f"/sites/{site.pk}/book/?day=2026-07-01&start=09:00" not in page


def _public_booking(client, site, *, headcount="20", code=None):
    client.post("/sites/code/", {"contact_phone": "13900002222"})
    return client.post(
        f"/sites/{site.pk}/book/",
        {
            "day": "2026-07-01",
            "start": "10:00",
            "headcount": headcount,
            "organisation": "闽南师范大学学生党支部",
            "contact_name": "林同学",
            "contact_phone": "13900002222",
            "otp": code or latest_code("13900002222"),
        },
        follow=True,
    )


def test_the_public_books_with_a_texted_code_and_gets_a_ticket_then_cancels(
    site, client, clock, town_clerk, login
):
    response = _public_booking(client, site)

    # submitted: the seats are held, the page says it awaits the site, no QR code yet
    booking = Booking.objects.get()
    page = response.content.decode()
    assert "预约已提交" in page and booking.code in page and "<svg" not in page
    assert "等待参访点确认" in page and "待确认" in page
    assert "139****2222" in page and "13900002222" not in page
    assert Slot.objects.get().booked == 20
    # once the site confirms, the ticket has its QR code
    login(town_clerk).post(reverse("sites:confirm", args=[booking.pk]))
    page = client.get(f"/sites/tickets/{booking.code}/").content.decode()
    assert "<svg" in page and "等待参访点确认" not in page

    client.post(f"/sites/tickets/{booking.code}/cancel/", {"reason": "预约人取消"})

    booking.refresh_from_db()
    assert booking.status == Booking.Status.CANCELLED
    assert Slot.objects.get().booked == 0


def test_a_wrong_code_books_nothing(site, client, clock):
    response = _public_booking(client, site, code="000000")

    assert Booking.objects.count() == 0
    assert "验证码不正确" in response.content.decode()


def test_a_public_booking_over_capacity_is_refused_on_the_form(site, client, clock):
    book(site, start=site.slot_starts()[1], headcount=45)

    response = _public_booking(client, site, headcount="10")

    assert "只剩5个名额" in response.content.decode()
    assert Booking.objects.count() == 1


def test_a_ticket_is_not_shown_to_another_browser_until_found_by_code_and_phone(
    site, client, clock
):
    booking = book(site)
    from django.test import Client

    stranger = Client()
    assert stranger.get(f"/sites/tickets/{booking.code}/").status_code == 404
    assert stranger.post(f"/sites/tickets/{booking.code}/cancel/").status_code == 404
    wrong = stranger.post("/sites/tickets/", {"code": booking.code, "phone_tail": "0000"})
    assert "不匹配" in wrong.content.decode()

    found = stranger.post(
        "/sites/tickets/", {"code": booking.code, "phone_tail": "1111"}, follow=True
    )
    assert re.search(booking.code, found.content.decode())


def test_a_whole_route_is_booked_from_its_page(route, client, clock):
    client.post("/sites/code/", {"contact_phone": "13900003333"})

    response = client.post(
        f"/sites/routes/{route.pk}/",
        {
            "day": "2026-06-30",
            "headcount": "10",
            "organisation": "芝山社区党支部",
            "contact_name": "王书记",
            "contact_phone": "13900003333",
            "otp": latest_code("13900003333"),
        },
        follow=True,
    )

    assert Booking.objects.filter(route=route).count() == 3
    assert response.content.decode().count('data-testid="ticket"') == 3


def test_public_pages_open(site, route, client, clock):
    for path in ("/sites/routes/", f"/sites/routes/{route.pk}/", "/sites/tickets/"):
        assert client.get(path).status_code == 200, path


def test_the_booker_reschedules_from_the_ticket_page(site, client, clock):
    _public_booking(client, site)
    booking = Booking.objects.get()

    response = client.post(
        f"/sites/tickets/{booking.code}/reschedule/",
        {"day": "2026-07-02", "start": "14:00"},
        follow=True,
    )

    booking.refresh_from_db()
    assert booking.day.isoformat() == "2026-07-02"
    assert "已改期至 2026-07-02 14:00–15:00" in response.content.decode()


def test_staff_reschedule_from_the_booking_page_and_bad_input_is_named(
    site, town_clerk, login, clock
):
    booking = book(site)
    client = login(town_clerk)

    bad = client.post(
        reverse("sites:reschedule", args=[booking.pk]), {"day": "2026-07-06", "start": "09:00"}
    )
    page = client.get(bad["Location"]).content.decode()
    assert "周一）闭馆" in page
    client.post(
        reverse("sites:reschedule", args=[booking.pk]), {"day": "2026-07-03", "start": "11:00"}
    )
    booking.refresh_from_db()
    assert booking.day.isoformat() == "2026-07-03"


# --- Adding and changing sites ----------------------------------------------------------------

SITE_FORM = {
    "name": "芝山红色文化展馆",
    "kind": "exhibition",
    "address": "芗城区芝山街道",
    "latitude": "24.520000",
    "longitude": "117.650000",
    "capacity": "60",
    "open_days": ["2", "3", "4", "5", "6"],
    "opens_at": "09:00",
    "closes_at": "17:00",
    "slot_minutes": "90",
    "description": "",
    "phone": "",
    "active": "on",
}


def test_a_unit_adds_a_site_in_its_county(tree, town_clerk, login, clock):
    response = login(town_clerk).post(
        reverse("sites:new"), {**SITE_FORM, "unit": tree["zhishan"].pk}, follow=True
    )

    site = Site.objects.get(name="芝山红色文化展馆")
    assert site.county == tree["xiangcheng"] and site.unit == tree["zhishan"]
    assert site.open_days == "23456" and len(site.slot_starts()) == 5
    assert "参访点已新增" in response.content.decode()
    assert site.events.get().verb == "created"


def test_the_city_cannot_run_a_site_above_the_counties(tree, city_admin, login, clock):
    response = login(city_admin).post(reverse("sites:new"), {**SITE_FORM, "unit": tree["city"].pk})

    assert "县（市、区）或其下级单位" in response.content.decode()
    assert not Site.objects.filter(name="芝山红色文化展馆").exists()


def test_changing_hours_is_checked_and_recorded(site, tree, town_clerk, login, clock):
    client = login(town_clerk)
    form = {**SITE_FORM, "name": site.name, "unit": tree["zhishan"].pk}

    bad = client.post(reverse("sites:edit", args=[site.pk]), {**form, "closes_at": "08:00"})
    assert "闭馆时间须晚于开放时间" in bad.content.decode()
    client.post(reverse("sites:edit", args=[site.pk]), {**form, "capacity": "80"})

    site.refresh_from_db()
    assert site.capacity == 80
    change = site.events.get(verb="updated")
    assert "每时段接待人数" in change.note and "开放日" in change.note


# --- Photos -----------------------------------------------------------------------------------


def test_the_site_s_unit_uploads_photos_the_public_sees_them(site, town_clerk, login, clock):
    from shishi.sites.tests.conftest import png

    client = login(town_clerk)
    done = client.post(
        reverse("sites:photos_add", args=[site.pk]),
        {"photos": [png("红楼.png"), png("展厅.png")]},
        follow=True,
    )

    assert "已上传2张照片" in done.content.decode()
    photo = site.photos.first()
    public = Client().get(f"/sites/{site.pk}/").content.decode()
    assert f"/sites/{site.pk}/photos/{photo.pk}/" in public
    served = Client().get(f"/sites/{site.pk}/photos/{photo.pk}/")
    assert served.status_code == 200 and served["Content-Type"] == "image/png"

    client.post(reverse("sites:photo_remove", args=[site.pk, photo.pk]))
    assert site.photos.count() == 1
    assert Client().get(f"/sites/{site.pk}/photos/{photo.pk}/").status_code == 404


def test_a_file_that_is_not_an_image_is_refused(site, town_clerk, login, clock):
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("photo.png", b"<script>alert(1)</script>", content_type="image/png")

    response = login(town_clerk).post(
        reverse("sites:photos_add", args=[site.pk]), {"photos": [fake]}, follow=True
    )

    assert site.photos.count() == 0
    assert "“photo.png”不是有效的图片" in response.content.decode()


def test_a_unit_books_a_whole_route_and_a_full_stop_refuses_it_all(
    route, sibling_site, tree, town_clerk, login, clock
):
    form = {
        "unit": tree["village"].pk,
        "day": "2026-06-30",
        "headcount": "25",
        "organisation": "芝山社区党支部",
        "contact_name": "王书记",
        "contact_phone": "13900005555",
    }
    for start in sibling_site.slot_starts():  # 20 of the 纪念碑's 30 seats left each slot
        book(sibling_site, day=TUESDAY, start=start, headcount=10)
    before = Booking.objects.count()
    client = login(town_clerk)

    refused = client.post(reverse("sites:route_book", args=[route.pk]), form)
    assert "西桥革命烈士纪念碑2026-06-30没有能容纳25人的时段" in refused.content.decode()
    assert Booking.objects.count() == before

    done = client.post(
        reverse("sites:route_book", args=[route.pk]), {**form, "headcount": "20"}, follow=True
    )
    assert Booking.objects.filter(route=route, unit=tree["village"]).count() == 3
    assert "共3个参访点" in done.content.decode()
