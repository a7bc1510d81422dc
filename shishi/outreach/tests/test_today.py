"""党史上的今天: entries by month-day kept by the city office (impossible dates refused), the
all-or-nothing XLSX import, the public JSON feed and the full-screen page."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook
from PIL import Image

from shishi.core.errors import Refused
from shishi.outreach import actions
from shishi.outreach.models import OutreachEvent, TodayEntry
from shishi.outreach.tests.conftest import NOW
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def _entry(person, *, month=7, day=1, year=1921, title="中国共产党诞生纪念日", **fields):
    data = {"text": "1921年7月，中共一大召开。", "source": "《中国共产党简史》", **fields}
    return actions.save_entry(
        data=actions.EntryData(month=month, day=day, year=year, title=title, **data),
        actor=actor_of(person),
        now=NOW,
    )


def _xlsx(rows, header=("日期", "年份", "标题", "内容", "资料来源")) -> SimpleUploadedFile:
    book = Workbook()
    sheet = book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return SimpleUploadedFile("党史上的今天.xlsx", buffer.getvalue())


@pytest.mark.parametrize("text", ["02-30", "13-01", "04-31", "7月", "abc"])
def test_impossible_dates_are_refused(text):
    with pytest.raises(Refused):
        actions.parse_month_day(text)


def test_february_the_29th_and_chinese_dates_are_read():
    assert actions.parse_month_day("02-29") == (2, 29)
    assert actions.parse_month_day("10月1日") == (10, 1)


def test_the_city_office_saves_an_entry_and_others_may_not(city_admin, county_leader):
    entry = _entry(city_admin)

    assert str(entry) == "7月1日 1921年 中国共产党诞生纪念日"
    assert OutreachEvent.objects.filter(verb="today_saved").count() == 1
    with pytest.raises(PermissionDenied):
        _entry(county_leader, title="别的")


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"month": 2, "day": 30}, "没有2月30日"),
        ({"year": 1800}, "年份须在1840年"),
        ({"year": 2024, "month": 12, "day": 1}, "尚未发生"),
        ({"source": " "}, "请填写资料来源"),
    ],
)
def test_bad_entries_are_refused(city_admin, fields, message):
    with pytest.raises(Refused, match=message):
        _entry(city_admin, **fields)
    assert not TodayEntry.objects.exists()


def test_the_import_adds_and_updates_rows(city_admin):
    _entry(city_admin)
    upload = _xlsx(
        [
            ("07-01", 1921, "中国共产党诞生纪念日", "新的内容", "《中国共产党简史》"),
            ("10-01", 1949, "中华人民共和国成立", "开国大典。", "《中国共产党简史》"),
        ]
    )

    added, updated = actions.import_entries(upload=upload, actor=actor_of(city_admin), now=NOW)

    assert (added, updated) == (1, 1)
    assert TodayEntry.objects.get(month=7, day=1).text == "新的内容"


def test_an_import_with_a_bad_row_saves_nothing_and_names_the_rows(city_admin):
    upload = _xlsx(
        [
            ("10-01", 1949, "中华人民共和国成立", "开国大典。", "《中国共产党简史》"),
            ("02-30", 1949, "不存在的日子", "内容", "来源"),
            ("08-01", "一九二七", "南昌起义", "内容", "来源"),
        ]
    )

    with pytest.raises(Refused) as refused:
        actions.import_entries(upload=upload, actor=actor_of(city_admin), now=NOW)

    assert "第3行：没有2月30日" in refused.value.message
    assert "第4行：年份“一九二七”不是数字" in refused.value.message
    assert not TodayEntry.objects.exists()


def test_an_import_that_is_not_a_workbook_is_refused(city_admin):
    with pytest.raises(Refused, match="无法读取该文件"):
        actions.import_entries(
            upload=SimpleUploadedFile("x.xlsx", b"not a workbook"),
            actor=actor_of(city_admin),
            now=NOW,
        )
    with pytest.raises(Refused, match="第一行须为表头"):
        actions.import_entries(
            upload=_xlsx([], header=("月", "日")), actor=actor_of(city_admin), now=NOW
        )


def test_a_workbook_that_unpacks_far_too_large_is_refused_unread(city_admin, monkeypatch):
    from shishi.outreach.actions import today

    monkeypatch.setattr(today, "MAX_UNCOMPRESSED", 1000)
    upload = _xlsx([("10-01", 1949, "中华人民共和国成立", "开国大典。" * 200, "简史")])

    with pytest.raises(Refused, match="文件内容过大"):
        actions.import_entries(upload=upload, actor=actor_of(city_admin), now=NOW)
    assert not TodayEntry.objects.exists()


def test_the_import_page_says_what_went_wrong(login, clock, city_admin):
    client = login(city_admin)

    response = client.post(
        reverse("outreach:today_import"),
        {"file": _xlsx([("02-30", 1949, "x", "y", "z")])},
        follow=True,
    )

    assert "导入未进行" in response.content.decode()
    assert not TodayEntry.objects.exists()


def test_the_form_refuses_february_the_30th(login, clock, city_admin):
    response = login(city_admin).post(
        reverse("outreach:today_new"),
        {"month_day": "02-30", "year": "1949", "title": "x", "text": "y", "source": "z"},
    )

    assert "没有2月30日这一天" in response.content.decode()
    assert not TodayEntry.objects.exists()


def test_the_form_refuses_a_file_that_is_not_an_image(login, clock, city_admin):
    response = login(city_admin).post(
        reverse("outreach:today_new"),
        {
            "month_day": "10-01",
            "year": "1949",
            "title": "开国大典",
            "text": "y",
            "source": "z",
            "image": SimpleUploadedFile("a.png", b"%PDF-1.4 not an image"),
        },
    )

    assert "不是有效的图片" in response.content.decode()
    assert not TodayEntry.objects.exists()


def test_the_staff_pages_are_the_city_offices(login, clock, city_admin, county_leader):
    _entry(city_admin)

    assert login(city_admin).get(reverse("outreach:today")).status_code == 200
    assert login(county_leader).get(reverse("outreach:today")).status_code == 403


# --- the feed and the screen --------------------------------------------------------------------


@pytest.fixture
def entries(city_admin):
    png = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(png, "PNG")
    image = SimpleUploadedFile("党旗.png", png.getvalue(), content_type="image/png")
    return [
        _entry(city_admin, year=1997, title="香港回归祖国", text="1997年7月1日零时……"),
        _entry(city_admin, image=image),
        _entry(city_admin, month=10, day=1, year=1949, title="中华人民共和国成立"),
    ]


def test_the_feed_gives_a_days_entries_oldest_first(client, clock, entries):
    response = client.get("/screen/today.json", {"date": "07-01"})

    data = response.json()
    assert response.status_code == 200
    assert (data["date"], data["label"]) == ("07-01", "7月1日")
    assert [e["year"] for e in data["entries"]] == [1921, 1997]
    assert data["entries"][0]["image"].startswith("/screen/today/images/")
    assert client.get(data["entries"][0]["image"]).status_code == 200


def test_the_feed_without_a_date_gives_today(client, clock, entries):
    clock(at(2024, 10, 1, 8))

    data = client.get("/screen/today.json").json()

    assert data["date"] == "10-01" and data["entries"][0]["title"] == "中华人民共和国成立"


def test_the_feed_refuses_an_impossible_date(client, clock, db):
    response = client.get("/screen/today.json", {"date": "02-30"})

    assert response.status_code == 400 and "没有2月30日" in response.json()["error"]


def test_the_feed_of_a_day_without_entries_is_empty(client, clock, db):
    assert client.get("/screen/today.json", {"date": "03-15"}).json()["entries"] == []


def test_the_screen_works_without_login_and_shows_the_first_entry(
    client, clock, entries, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        response = client.get("/screen/today/", {"date": "07-01", "seconds": "5"})

    body = response.content.decode()
    assert response.status_code == 200
    assert "中国共产党诞生纪念日" in body and 'data-seconds="5"' in body
    assert 'data-feed="/screen/today.json?date=07-01"' in body
    assert 'id="screen-feed"' in body and "screen.js" in body


def test_the_screen_of_a_day_without_entries_says_so(client, clock, db):
    assert "今日暂无条目" in client.get("/screen/today/", {"date": "03-15"}).content.decode()


def test_an_entry_without_an_image_has_no_image_address(client, clock, entries):
    pk = entries[2].pk

    assert client.get(f"/screen/today/images/{pk}/").status_code == 404


def test_a_day_without_entries_also_gives_the_next_day_that_has_some(client, clock, entries):
    march = client.get("/screen/today.json", {"date": "03-15"}).json()
    december = client.get("/screen/today.json", {"date": "12-01"}).json()

    assert march["entries"] == [] and march["next"]["date"] == "07-01"
    assert december["next"]["date"] == "07-01"  # round the year
    assert client.get("/screen/today.json", {"date": "07-01"}).json()["next"] is None
    screen = client.get("/screen/today/", {"date": "08-01"}).content.decode()
    assert "中华人民共和国成立" in screen and "10月1日（近日）" in screen


def test_the_template_imports_as_it_is(login, clock, city_admin):
    template = login(city_admin).get(reverse("outreach:today_template"))

    upload = SimpleUploadedFile("模板.xlsx", template.content)
    added, _ = actions.import_entries(upload=upload, actor=actor_of(city_admin), now=NOW)

    assert added == 1 and TodayEntry.objects.get().title == "中华人民共和国成立"
