"""The staff pages of 巡回指导 and 整改: the city office sets up a group and a round through
the forms, a member records a visit and raises an item from it, the unit reports with
evidence and the group closes it — all through the views; a member of another group and an
outsider get 404; the lists' queries are pinned.

The pages act on today's date, so the round here runs from ten days ago to ten days on."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from shishi.campaign import actions
from shishi.campaign.models import GuidanceGroup, GuidanceRound, Rectification, Visit
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"


def _url(name, *args):
    return reverse(f"campaign:{name}", args=args)


@pytest.fixture
def guide(tree):
    return PersonFactory(
        username="guide", name="蔡指导", unit=tree["city"], role=Role.GUIDANCE_MEMBER
    )


@pytest.fixture
def other_guide(tree):
    return PersonFactory(
        username="guide2", name="吴指导", unit=tree["city"], role=Role.GUIDANCE_MEMBER
    )


@pytest.fixture
def groups(tree, city_admin, guide, other_guide):
    """Set up through the pages: 第一组 guides 芗城区, 第二组 龙文区; one round around today."""
    client_of_office = _login_as(city_admin)
    for name, leader, unit in (
        ("第一巡回指导组", guide, tree["xiangcheng"]),
        ("第二巡回指导组", other_guide, tree["longwen"]),
    ):
        response = client_of_office.post(
            _url("group_new"), {"name": name, "leader": leader.pk, "units": [unit.pk]}
        )
        assert response.status_code == 302, response.content.decode()[:500]
    today = timezone.localdate()
    response = client_of_office.post(
        _url("round_new"),
        {
            "starts": f"{today - timedelta(days=10):%Y-%m-%d}",
            "ends": f"{today + timedelta(days=10):%Y-%m-%d}",
        },
        follow=True,
    )
    assert "已安排第1轮" in response.content.decode()
    return {g.name: g for g in GuidanceGroup.objects.all()}


def _login_as(person) -> Client:
    client = Client()
    client.force_login(person)
    return client


def test_the_whole_loop_through_the_pages(tree, groups, guide, town_clerk):
    member = _login_as(guide)
    today = timezone.localdate()
    # a member records a visit to 芝山街道 (below 芗城区)
    response = member.post(
        _url("visit_new"),
        {
            "unit": tree["zhishan"].pk,
            "visited_on": f"{today:%Y-%m-%d}",
            "methods": ["briefing", "records"],
            "findings": "为民办实事台账不全",
        },
    )
    visit = Visit.objects.get()
    assert response["Location"] == _url("visit", visit.pk)
    assert "为民办实事台账不全" in member.get(_url("visit", visit.pk)).content.decode()
    # and raises an item from it
    form = member.get(f"{_url('rectification_new')}?visit={visit.pk}").content.decode()
    assert "为民办实事台账不全" in form  # the findings are filled in
    response = member.post(
        f"{_url('rectification_new')}?visit={visit.pk}",
        {"unit": tree["zhishan"].pk, "problem": "台账不全", "measures": "补齐台账", "days": 10},
    )
    item = Rectification.objects.get()
    assert (item.visit, item.group) == (visit, groups["第一巡回指导组"])
    # the street asks for 销号 with a file; the member closes it
    street = _login_as(town_clerk)
    page = street.get(_url("rectification", item.pk)).content.decode()
    assert 'data-testid="progress-form"' in page
    street.post(
        _url("rectification_progress", item.pk),
        {
            "text": "已补齐",
            "done": "on",
            "files": [SimpleUploadedFile("台账.pdf", PDF, content_type="application/pdf")],
        },
    )
    item.refresh_from_db()
    assert item.status == Rectification.Status.REPORTED
    assert (
        'data-testid="close-item"'
        not in street.get(_url("rectification", item.pk)).content.decode()
    )
    assert 'data-testid="close-item"' in member.get(_url("rectification", item.pk)).content.decode()
    response = member.post(_url("rectification_close", item.pk), follow=True)
    assert f"已销号：{item.code}" in response.content.decode()
    item.refresh_from_db()
    assert item.status == Rectification.Status.CLOSED
    # the file is served to those who see the item
    file = item.files.get()
    assert street.get(_url("rectification_file", item.pk, file.pk)).status_code == 200


def test_a_visit_outside_the_group_is_refused_on_the_form(tree, groups, guide):
    today = timezone.localdate()
    response = _login_as(guide).post(
        _url("visit_new"),
        {
            "unit": tree["lantian"].pk,
            "visited_on": f"{today:%Y-%m-%d}",
            "methods": ["briefing"],
            "findings": "x",
        },
    )
    assert response.status_code == 200  # the form again: 蓝田街道 is not a choice
    assert not Visit.objects.exists()


def test_members_of_another_group_and_outsiders_get_404(tree, groups, guide, other_guide, outsider):
    visit = actions.record_visit(
        data=actions.VisitData(
            group=groups["第一巡回指导组"],
            unit=tree["zhishan"],
            visited_on=timezone.localdate(),
            methods=("talks",),
            findings="谈话了解情况",
        ),
        actor=actor_of(guide),
        now=timezone.now(),
    )
    item = actions.raise_rectification(
        data=actions.RectificationData(
            unit=tree["zhishan"], problem="p", measures="m", days=5, visit=visit
        ),
        actor=actor_of(guide),
        now=timezone.now(),
    )
    for person in (other_guide, outsider):
        client = _login_as(person)
        assert client.get(_url("visit", visit.pk)).status_code == 404
        assert client.get(_url("rectification", item.pk)).status_code == 404
    # the other group's member sees only their own group on the lists
    page = _login_as(other_guide).get(_url("guidance")).content.decode()
    assert "龙文区" in page and "芗城区" not in page


def test_only_the_city_office_sets_up_groups_and_rounds(tree, groups, guide, county_leader):
    for person in (guide, county_leader):
        client = _login_as(person)
        assert client.get(_url("group_new")).status_code == 403
        assert client.post(_url("round_new"), {}).status_code == 403
    assert GuidanceRound.objects.count() == 1


def test_a_round_overlapping_another_is_refused_with_a_message(city_admin, groups):
    today = timezone.localdate()
    response = _login_as(city_admin).post(
        _url("round_new"),
        {"starts": f"{today:%Y-%m-%d}", "ends": f"{today + timedelta(days=30):%Y-%m-%d}"},
        follow=True,
    )
    assert "与第1轮" in response.content.decode()
    assert GuidanceRound.objects.count() == 1


def _many(tree, groups, guide, n):
    for k in range(n):
        visit = actions.record_visit(
            data=actions.VisitData(
                group=groups["第一巡回指导组"],
                unit=tree["zhishan"] if k % 2 else tree["village"],
                visited_on=timezone.localdate() - timedelta(days=k % 5),
                methods=("briefing",),
                findings=f"问题{k}",
            ),
            actor=actor_of(guide),
            now=timezone.now(),
        )
        actions.raise_rectification(
            data=actions.RectificationData(
                unit=visit.unit, problem=f"问题{k}", measures="m", days=5, visit=visit
            ),
            actor=actor_of(guide),
            now=timezone.now(),
        )


@pytest.mark.parametrize(
    ("name", "most"), [("guidance", 11), ("visits", 11), ("rectifications", 12)]
)
def test_list_queries_do_not_grow_with_rows(
    tree, groups, guide, city_admin, django_assert_max_num_queries, name, most
):
    client = _login_as(city_admin)
    _many(tree, groups, guide, 3)
    client.get(_url(name))  # warm the session and the caches
    with django_assert_max_num_queries(most):
        first = client.get(_url(name))
    _many(tree, groups, guide, 12)
    with django_assert_max_num_queries(most):
        second = client.get(_url(name))
    assert first.status_code == second.status_code == 200


def test_a_county_raises_an_item_from_a_streets_life_meeting_page(tree, county_leader, town_clerk):
    meeting = actions.record_session(
        data=actions.SessionData(
            unit=tree["zhishan"],
            kind="life_meeting",
            mode="group",
            held_on=timezone.localdate(),
            topic="专题组织生活会",
        ),
        actor=actor_of(town_clerk),
        now=timezone.now(),
    )
    county = _login_as(county_leader)
    assert (
        'data-testid="raise-from-session"'
        in county.get(_url("study_detail", meeting.pk)).content.decode()
    )
    # the street itself is not offered to raise one against itself
    street = _login_as(town_clerk)
    assert (
        'data-testid="raise-from-session"'
        not in street.get(_url("study_detail", meeting.pk)).content.decode()
    )
    county.post(
        f"{_url('rectification_new')}?session={meeting.pk}",
        {"unit": tree["zhishan"].pk, "problem": "走访记录不全", "measures": "建立台账", "days": 15},
    )
    item = Rectification.objects.get()
    assert (item.source, item.session, item.raised_unit) == (
        "life_meeting",
        meeting,
        tree["xiangcheng"],
    )
    assert item.code in county.get(_url("study_detail", meeting.pk)).content.decode()
    # and the meeting can no longer be removed: the item stands on it
    response = street.post(_url("study_remove", meeting.pk), follow=True)
    assert "不能删除" in response.content.decode()
    assert Rectification.objects.filter(session=meeting).exists()
