"""Lecture teams and lectures: a unit keeps its own teams (the units above may help, the place
a lecture was held reads it), bad input is refused with nothing saved, totals per team and per
area, the staff pages with their filters and pinned query counts, and /lectures/ (upcoming,
public, nothing personal)."""

import io

import pytest
from django.core.exceptions import PermissionDenied
from django.core.files.uploadedfile import SimpleUploadedFile
from django.http import Http404
from django.urls import reverse
from PIL import Image

from shishi.core.errors import Refused
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.outreach import access, actions, queries
from shishi.outreach.models import Lecture, LecturePhoto, LectureTeam, OutreachEvent
from shishi.outreach.tests.conftest import NOW, make_lecture, make_team
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def _jpeg(name="现场.jpg", size=(40, 30)) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", size, "red").save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


# --- actions ---------------------------------------------------------------------------------


def test_a_town_clerk_builds_a_team_with_members_and_an_audit_row(tree, town_clerk):
    team = make_team(
        town_clerk, tree["zhishan"], members=(town_clerk,), contact_phone="13905961234"
    )

    assert team.unit == tree["zhishan"]
    assert list(team.members.all()) == [town_clerk]
    assert team.outside_names == ["陈阿婆", "林老师"]
    event = OutreachEvent.objects.get()
    assert (event.verb, event.owner, event.target) == ("team_saved", tree["zhishan"], team.name)


def test_a_team_name_is_unique_in_its_unit(tree, town_clerk):
    make_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="已有名为“芝山红色宣讲队”"):
        make_team(town_clerk, tree["zhishan"])
    assert LectureTeam.objects.count() == 1


def test_a_team_needs_a_member_and_its_members_from_the_unit(tree, town_clerk, outsider):
    with pytest.raises(Refused, match="至少填写一名队员"):
        make_team(town_clerk, tree["zhishan"], outside_members="")
    with pytest.raises(Refused, match="李西桥不是芝山街道及其下级单位的人员"):
        make_team(town_clerk, tree["zhishan"], members=(outsider,))
    assert not LectureTeam.objects.exists()


def test_a_unit_cannot_build_a_team_for_a_sibling(tree, town_clerk):
    with pytest.raises(Refused, match="只能为本单位及下级单位"):
        make_team(town_clerk, tree["xiqiao"])


def test_a_lecture_with_a_negative_audience_is_refused_and_nothing_saved(tree, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="受众人数不能为负数"):
        make_lecture(town_clerk, team, tree["zhishan"], audience=-5)
    assert not Lecture.objects.exists()
    assert OutreachEvent.objects.filter(verb="lecture_saved").count() == 0


def test_an_announced_lecture_has_no_audience_yet(tree, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="受众人数请在宣讲结束后填写"):
        make_lecture(town_clerk, team, tree["zhishan"], starts_at=at(2024, 7, 1, 9), audience=30)
    lecture = make_lecture(
        town_clerk, team, tree["zhishan"], starts_at=at(2024, 7, 1, 9), audience=0
    )
    assert lecture.starts_at > NOW


def test_a_lecture_is_held_at_a_division_of_the_subtree(tree, town_clerk, county_clerk):
    team = make_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="只能选择本单位辖区内的地点"):
        make_lecture(town_clerk, team, tree["lantian"])
    # the county helps its town's team lecture in the town next door
    lecture = make_lecture(county_clerk, team, tree["xiqiao"])
    assert lecture.place == tree["xiqiao"]


def test_a_city_departments_team_lectures_anywhere_in_the_city(tree):
    # given a team of a city department (its area is the city)
    department = UnitFactory(name="市公安局", kind=Unit.Kind.DEPARTMENT, parent=tree["city"])
    clerk = PersonFactory(unit=department, role=Role.UNIT_CLERK)
    team = make_team(clerk, department, name="漳州110宣讲队", kind="official")

    lecture = make_lecture(clerk, team, tree["lantian"])

    assert lecture.place == tree["lantian"]
    assert tree["lantian"] in queries.places(department)


def test_a_stopped_team_takes_no_new_lectures(tree, town_clerk):
    team = make_team(town_clerk, tree["zhishan"], active=False)

    with pytest.raises(Refused, match="已停用"):
        make_lecture(town_clerk, team, tree["zhishan"])


def test_photos_are_saved_with_the_lecture_and_removed_with_it(tree, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])
    lecture = make_lecture(town_clerk, team, tree["zhishan"], photos=[_jpeg()])
    photo = LecturePhoto.objects.get(lecture=lecture)
    assert photo.file.storage.exists(photo.file.name)

    actions.remove_lecture(lecture=lecture, actor=actor_of(town_clerk), now=NOW)

    assert not Lecture.objects.exists()
    assert OutreachEvent.objects.filter(verb="lecture_removed").count() == 1


# --- access ----------------------------------------------------------------------------------


def test_outsiders_do_not_find_a_sibling_towns_team_or_lecture(tree, town_clerk, outsider):
    team = make_team(town_clerk, tree["zhishan"])
    lecture = make_lecture(town_clerk, team, tree["zhishan"])

    with pytest.raises(Http404):
        access.access_team(actor_of(outsider), team.pk)
    with pytest.raises(Http404):
        access.access_lecture(actor_of(outsider), lecture.pk)


def test_the_place_reads_a_visiting_lecture_but_only_the_team_side_edits_it(
    tree, city_admin, town_clerk
):
    # given a city team lecturing in 芝山街道
    city_team = make_team(city_admin, tree["city"], name="市委讲师团", kind="official")
    lecture = make_lecture(city_admin, city_team, tree["zhishan"])
    street = actor_of(town_clerk)

    assert access.access_lecture(street, lecture.pk) == lecture
    with pytest.raises(PermissionDenied):
        access.access_lecture(street, lecture.pk, write=True)
    with pytest.raises(Http404):
        access.access_team(street, city_team.pk)


def test_a_supervisor_reads_but_does_not_edit(tree, town_clerk):
    supervisor = PersonFactory(unit=tree["city"], role=Role.SUPERVISOR)
    team = make_team(town_clerk, tree["zhishan"])

    assert access.access_team(actor_of(supervisor), team.pk) == team
    with pytest.raises(PermissionDenied):
        access.access_team(actor_of(supervisor), team.pk, write=True)


# --- totals ----------------------------------------------------------------------------------


@pytest.fixture
def lectures(tree, city_admin, town_clerk, lantian_clerk):
    """Two 芝山 lectures (80 + 120), one in 蓝田 by a 龙文 team (50), one upcoming city lecture
    in 西桥 (no audience yet)."""
    zhishan = make_team(town_clerk, tree["zhishan"])
    lantian = make_team(lantian_clerk, tree["lantian"], name="老兵宣讲团")
    city = make_team(city_admin, tree["city"], name="市委讲师团", kind="official")
    make_lecture(town_clerk, zhishan, tree["zhishan"], audience=80)
    make_lecture(town_clerk, zhishan, tree["village"], audience=120, topic="移风易俗")
    make_lecture(lantian_clerk, lantian, tree["lantian"], audience=50, mode="online")
    make_lecture(city_admin, city, tree["xiqiao"], starts_at=at(2024, 6, 20, 9), audience=0)
    return {"zhishan": zhishan, "lantian": lantian, "city": city}


def test_totals_per_team(lectures):
    teams = {t.name: t for t in queries.team_list(LectureTeam.objects.all(), now=NOW)}

    assert (teams["芝山红色宣讲队"].lecture_count, teams["芝山红色宣讲队"].audience_total) == (
        2,
        200,
    )
    assert (teams["老兵宣讲团"].lecture_count, teams["老兵宣讲团"].audience_total) == (1, 50)
    assert queries.team_totals(lectures["zhishan"], now=NOW).audience == 200
    city = {t.name: t for t in queries.team_list(LectureTeam.objects.all(), now=NOW)}["市委讲师团"]
    assert city.lecture_count == 0  # its one lecture is only announced


def test_totals_per_county_for_the_city_and_per_town_for_a_county(tree, lectures):
    city = {u.name: row for u, row in queries.lectures_by_area(Lecture.objects.all(), tree["city"])}
    county = {
        u.name: row
        for u, row in queries.lectures_by_area(Lecture.objects.all(), tree["xiangcheng"])
    }

    assert city == {"芗城区": {"n": 3, "audience": 200}, "龙文区": {"n": 1, "audience": 50}}
    assert county == {"芝山街道": {"n": 2, "audience": 200}, "西桥街道": {"n": 1, "audience": 0}}


def test_lectures_held_at_the_viewers_own_unit_count_as_its_own_row(tree, city_admin):
    team = make_team(city_admin, tree["city"], name="市委讲师团", kind="official")
    make_lecture(city_admin, team, tree["city"], audience=300)

    rows = queries.lectures_by_area(Lecture.objects.all(), tree["city"])

    assert rows == [(tree["city"], {"n": 1, "audience": 300})]


# --- pages -----------------------------------------------------------------------------------


def test_the_lecture_list_filters_searches_sorts_and_pins_its_queries(
    login, clock, city_admin, lectures, django_assert_max_num_queries
):
    client = login(city_admin)
    url = reverse("outreach:lectures")

    with django_assert_max_num_queries(12):
        page = client.get(url)
    assert page.status_code == 200
    assert (page.context["totals"].lectures, page.context["totals"].upcoming) == (3, 1)
    assert [u.name for u, _ in page.context["by_area"]] == ["芗城区", "龙文区"]
    assert dict((u.name, row["n"]) for u, row in page.context["by_area"]) == {
        "芗城区": 2,
        "龙文区": 1,
    }

    held = client.get(url, {"when": "held", "sort": "-audience"})
    assert [lec.audience for lec in held.context["page"].object_list] == [120, 80, 50]
    assert client.get(url, {"q": "移风"}).context["totals"].lectures == 1
    assert client.get(url, {"mode": "online"}).context["totals"].audience == 50
    assert client.get(url, {"kind": "official", "when": "upcoming"}).context["totals"].upcoming == 1
    bad = client.get(url, {"start": "2024-13-01"})
    assert "日期自：2024-13-01" in bad.content.decode()


def test_the_list_query_count_does_not_grow_with_the_lectures(
    tree, login, clock, town_clerk, django_assert_max_num_queries
):
    team = make_team(town_clerk, tree["zhishan"])
    for day in range(1, 26):
        make_lecture(town_clerk, team, tree["zhishan"], starts_at=at(2024, 5, day, 9))
    client = login(town_clerk)

    with django_assert_max_num_queries(12):
        assert client.get(reverse("outreach:lectures")).status_code == 200
    with django_assert_max_num_queries(12):
        assert client.get(reverse("outreach:teams")).status_code == 200


def test_the_empty_list_says_what_to_do(login, clock, town_clerk):
    body = login(town_clerk).get(reverse("outreach:lectures")).content.decode()

    assert "还没有登记宣讲活动" in body and "登记宣讲" in body


def test_a_clerk_records_a_lecture_with_a_photo_through_the_form(tree, login, clock, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])
    client = login(town_clerk)

    response = client.post(
        reverse("outreach:lecture_new"),
        {
            "team": team.pk,
            "topic": "党史故事进社区",
            "starts_at": "2024-06-10T09:30",
            "mode": "offline",
            "place": tree["village"].pk,
            "venue": "芝山社区党群服务中心",
            "audience": "65",
            "public": "on",
            "photos": [_jpeg()],
        },
    )

    lecture = Lecture.objects.get()
    assert (
        response.status_code == 302
        and response["Location"] == f"/staff/outreach/lectures/{lecture.pk}/"
    )
    assert (lecture.audience, lecture.place, lecture.photos.count()) == (65, tree["village"], 1)
    detail = client.get(response["Location"])
    assert "党史故事进社区" in detail.content.decode()
    photo = lecture.photos.get()
    assert (
        client.get(reverse("outreach:lecture_photo", args=[lecture.pk, photo.pk])).status_code
        == 200
    )


def test_a_non_image_photo_is_refused_and_nothing_saved(tree, login, clock, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])
    fake = SimpleUploadedFile("照片.jpg", b"not an image at all", content_type="image/jpeg")

    response = login(town_clerk).post(
        reverse("outreach:lecture_new"),
        {
            "team": team.pk,
            "topic": "党史故事进社区",
            "starts_at": "2024-06-10T09:30",
            "mode": "offline",
            "place": tree["zhishan"].pk,
            "audience": "10",
            "photos": [fake],
        },
    )

    assert response.status_code == 200
    assert "不是有效的图片" in response.content.decode()
    assert not Lecture.objects.exists()


def test_an_oversized_photo_is_refused(tree, login, clock, town_clerk, settings):
    settings.APPEAL_PHOTO_MAX_BYTES = 200
    team = make_team(town_clerk, tree["zhishan"])

    response = login(town_clerk).post(
        reverse("outreach:lecture_new"),
        {
            "team": team.pk,
            "topic": "党史故事进社区",
            "starts_at": "2024-06-10T09:30",
            "mode": "offline",
            "place": tree["zhishan"].pk,
            "audience": "10",
            "photos": [_jpeg(size=(400, 300))],
        },
    )

    assert "超过" in response.content.decode()
    assert not Lecture.objects.exists()


def test_the_form_says_a_negative_audience_is_wrong(tree, login, clock, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])

    response = login(town_clerk).post(
        reverse("outreach:lecture_new"),
        {
            "team": team.pk,
            "topic": "党史故事进社区",
            "starts_at": "2024-06-10T09:30",
            "mode": "offline",
            "place": tree["zhishan"].pk,
            "audience": "-3",
        },
    )

    assert "受众人数不能为负数" in response.content.decode()
    assert not Lecture.objects.exists()


def test_editing_a_held_lecture_fills_in_its_audience(tree, login, clock, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])
    lecture = make_lecture(
        town_clerk, team, tree["zhishan"], starts_at=at(2024, 6, 11, 9), audience=0
    )

    response = login(town_clerk).post(
        reverse("outreach:lecture_edit", args=[lecture.pk]),
        {
            "team": team.pk,
            "topic": lecture.topic,
            "starts_at": "2024-06-11T09:00",
            "mode": "offline",
            "place": tree["zhishan"].pk,
            "audience": "140",
            "public": "on",
        },
    )

    assert response.status_code == 302
    lecture.refresh_from_db()
    assert lecture.audience == 140


def test_a_unit_edits_its_own_team_and_an_outsider_finds_nothing(
    tree, login, clock, town_clerk, outsider
):
    team = make_team(town_clerk, tree["zhishan"])
    form = {
        "name": "芝山红色宣讲队",
        "kind": "official",
        "outside_members": "陈阿婆",
        "active": "on",
    }

    mine = login(town_clerk).post(reverse("outreach:team_edit", args=[team.pk]), form)
    theirs = login(outsider).post(reverse("outreach:team_edit", args=[team.pk]), form)

    assert mine.status_code == 302 and theirs.status_code == 404
    team.refresh_from_db()
    assert team.kind == "official" and team.outside_names == ["陈阿婆"]


def test_the_team_page_masks_the_contact_phone(tree, login, clock, town_clerk):
    team = make_team(town_clerk, tree["zhishan"], contact_phone="13905961234")

    body = login(town_clerk).get(reverse("outreach:team", args=[team.pk])).content.decode()

    assert "139****1234" in body and "13905961234" not in body


def test_a_team_built_through_the_form_offers_the_units_people(tree, login, clock, town_clerk):
    client = login(town_clerk)
    page = client.get(reverse("outreach:team_new"), {"unit": tree["zhishan"].pk})
    assert town_clerk in page.context["form"].fields["members"].queryset

    response = client.post(
        f"{reverse('outreach:team_new')}?unit={tree['village'].pk}",
        {
            "name": "社区老兵宣讲团",
            "kind": "grassroots",
            "outside_members": "苏老兵",
            "active": "on",
        },
    )

    team = LectureTeam.objects.get()
    assert response.status_code == 302 and team.unit == tree["village"]


# --- /lectures/ --------------------------------------------------------------------------------


def test_the_public_page_lists_upcoming_public_lectures_soonest_first(
    tree, client, clock, city_admin, town_clerk
):
    team = make_team(town_clerk, tree["zhishan"], contact_phone="13905961234")
    make_lecture(town_clerk, team, tree["zhishan"], topic="已经讲过的", audience=40)
    make_lecture(
        town_clerk,
        team,
        tree["zhishan"],
        topic="六月二十日",
        starts_at=at(2024, 6, 20, 9),
        audience=0,
    )
    make_lecture(
        town_clerk,
        team,
        tree["zhishan"],
        topic="六月十五日",
        starts_at=at(2024, 6, 15, 9),
        audience=0,
    )
    make_lecture(
        town_clerk,
        team,
        tree["zhishan"],
        topic="不公开的",
        starts_at=at(2024, 6, 16, 9),
        audience=0,
        public=False,
    )

    page = client.get("/lectures/")

    body = page.content.decode()
    assert page.status_code == 200
    assert [lec.topic for lec in page.context["page"].object_list] == ["六月十五日", "六月二十日"]
    assert "已经讲过的" not in body and "不公开的" not in body
    assert "1390596" not in body and "陈阿婆" not in body


def test_the_public_page_says_when_nothing_is_coming(client, clock, db):
    assert "近期暂无宣讲安排" in client.get("/lectures/").content.decode()


def test_the_audit_log_shows_outreach_rows_of_the_auditors_scope(
    tree, login, clock, auditor, town_clerk
):
    make_team(town_clerk, tree["zhishan"])

    page = login(auditor).get(reverse("staff:audit"), {"source": "outreach"})

    assert page.status_code == 200
    body = page.content.decode()
    assert "保存宣讲队伍" in body and "芝山红色宣讲队" in body


def test_the_public_page_query_count_does_not_grow_with_the_lectures(
    tree, client, clock, town_clerk, django_assert_max_num_queries
):
    team = make_team(town_clerk, tree["zhishan"])
    for day in range(13, 30):
        make_lecture(town_clerk, team, tree["village"], starts_at=at(2024, 6, day, 9), audience=0)

    with django_assert_max_num_queries(3):
        page = client.get("/lectures/")

    assert page.context["page"].paginator.count == 17
    assert "芝山街道芝山社区" in page.content.decode()
