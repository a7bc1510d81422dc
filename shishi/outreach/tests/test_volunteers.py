"""Volunteer teams and their activities: hours are length × volunteers; an activity ending
before it starts (or not over yet) is refused; hours per team and per area; the pages."""

from decimal import Decimal

import pytest
from django.http import Http404
from django.urls import reverse

from shishi.core.errors import Refused
from shishi.outreach import access, actions, queries
from shishi.outreach.models import OutreachEvent, VolunteerActivity, VolunteerTeam
from shishi.outreach.tests.conftest import NOW, make_activity, make_volunteer_team
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def test_service_hours_are_the_length_times_the_volunteers():
    assert actions.service_hours(at(2024, 5, 4, 9), at(2024, 5, 4, 11, 30), 4) == Decimal("10.0")
    assert actions.service_hours(at(2024, 5, 4, 9), at(2024, 5, 4, 9, 20), 1) == Decimal("0.3")


def test_an_activity_is_recorded_with_its_hours_and_an_audit_row(tree, town_clerk):
    team = make_volunteer_team(town_clerk, tree["zhishan"])

    activity = make_activity(town_clerk, team, tree["village"], hours=3, volunteers=6, served=20)

    assert (activity.hours, activity.served) == (Decimal("18.0"), 20)
    assert team.unit == tree["zhishan"]


def test_an_activity_ending_before_it_starts_is_refused_and_nothing_saved(tree, town_clerk):
    team = make_volunteer_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="结束时间须晚于开始时间"):
        actions.record_activity(
            data=actions.ActivityData(
                team=team,
                title="清扫小区",
                place=tree["zhishan"],
                starts_at=at(2024, 5, 4, 11),
                ends_at=at(2024, 5, 4, 9),
                volunteers=3,
            ),
            actor=actor_of(town_clerk),
            now=NOW,
        )
    assert not VolunteerActivity.objects.exists()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"starts_at": at(2024, 6, 12, 14), "hours": 3}, "活动尚未结束"),
        ({"hours": 30}, "不超过24小时"),
        ({"volunteers": 0}, "至少为1人"),
        ({"served": -1}, "不能为负数"),
        ({"title": "  "}, "请填写活动名称"),
    ],
)
def test_bad_activities_are_refused(tree, town_clerk, fields, message):
    team = make_volunteer_team(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match=message):
        make_activity(town_clerk, team, tree["zhishan"], **fields)
    assert not VolunteerActivity.objects.exists()


def test_an_outsider_does_not_find_the_team_and_cannot_record_for_it(tree, town_clerk, outsider):
    team = make_volunteer_team(town_clerk, tree["zhishan"])

    with pytest.raises(Http404):
        access.access_volunteer_team(actor_of(outsider), team.pk)
    with pytest.raises(Exception, match="只有所属单位"):
        make_activity(outsider, team, tree["xiqiao"])


def test_hours_per_team_and_per_county(tree, town_clerk, lantian_clerk):
    zhishan = make_volunteer_team(town_clerk, tree["zhishan"])
    lantian = make_volunteer_team(lantian_clerk, tree["lantian"], name="蓝田志愿服务队")
    make_activity(town_clerk, zhishan, tree["zhishan"], hours=2, volunteers=5)  # 10 h
    make_activity(town_clerk, zhishan, tree["village"], hours=1, volunteers=3)  # 3 h
    make_activity(lantian_clerk, lantian, tree["lantian"], hours=4, volunteers=2)  # 8 h

    teams = {t.name: t for t in queries.volunteer_team_list(VolunteerTeam.objects.all())}
    by_county = {
        u.name: row
        for u, row in queries.activities_by_area(VolunteerActivity.objects.all(), tree["city"])
    }

    assert teams["芝山志愿服务队"].hours_total == Decimal("13.0")
    assert teams["蓝田志愿服务队"].activity_count == 1
    assert by_county["芗城区"]["hours"] == Decimal("13.0")
    assert by_county["龙文区"] == {"n": 1, "hours": Decimal("8.0"), "served": 12}


def test_the_volunteer_pages_show_hours_and_pin_their_queries(
    tree, login, clock, town_clerk, django_assert_max_num_queries
):
    team = make_volunteer_team(town_clerk, tree["zhishan"], contact_phone="13905961234")
    for day in range(1, 11):
        make_activity(town_clerk, team, tree["zhishan"], starts_at=at(2024, 5, day, 9))
    client = login(town_clerk)

    with django_assert_max_num_queries(12):
        listing = client.get(reverse("outreach:volunteers"))
    with django_assert_max_num_queries(12):
        activities = client.get(reverse("outreach:activities"), {"sort": "-hours"})
    with django_assert_max_num_queries(14):
        detail = client.get(reverse("outreach:volunteer_team", args=[team.pk]))

    assert listing.context["totals"].hours == Decimal("100.0")
    assert activities.context["totals"].activities == 10
    body = detail.content.decode()
    assert "139****1234" in body and "13905961234" not in body


def test_the_team_page_records_an_activity_and_refuses_a_backwards_one(
    tree, login, clock, town_clerk
):
    team = make_volunteer_team(town_clerk, tree["zhishan"])
    client = login(town_clerk)
    url = reverse("outreach:volunteer_team", args=[team.pk])
    form = {
        "title": "垃圾分类宣传",
        "place": tree["zhishan"].pk,
        "starts_at": "2024-06-08T09:00",
        "ends_at": "2024-06-08T08:00",
        "volunteers": "4",
        "served": "30",
    }

    refused = client.post(url, form)
    done = client.post(url, {**form, "ends_at": "2024-06-08T11:00"})

    assert "结束时间须晚于开始时间" in refused.content.decode()
    assert done.status_code == 302
    assert VolunteerActivity.objects.get().hours == Decimal("8.0")


def test_the_empty_volunteer_page_says_what_to_do(login, clock, town_clerk):
    body = login(town_clerk).get(reverse("outreach:volunteers")).content.decode()

    assert "还没有志愿服务队" in body and "建立志愿服务队" in body


def test_the_team_side_removes_a_mistaken_activity_and_the_audit_row_stays(
    tree, login, clock, town_clerk, outsider
):
    team = make_volunteer_team(town_clerk, tree["zhishan"])
    activity = make_activity(town_clerk, team, tree["zhishan"])
    url = reverse("outreach:activity_remove", args=[activity.pk])

    assert login(outsider).post(url).status_code == 404
    assert login(town_clerk).post(url).status_code == 302

    assert not VolunteerActivity.objects.exists()
    assert team.unit.pk in set(
        OutreachEvent.objects.filter(verb="activity_removed").values_list("owner", flat=True)
    )
