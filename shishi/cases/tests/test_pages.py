"""典型案例评选's pages: every staff URL walked as an anonymous visitor, an auditor, a clerk of
another street (outsider) and the city office; the flow through the forms (start, nominate,
accept, judge, publish); the public vote with its code, honeypot and limits; pinned queries.

The pages act on today's date, so the selections here are laid out around it."""

import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLPattern, reverse
from django.utils import timezone

from shishi.cases import actions, urls
from shishi.cases.models import Nomination, Selection, Vote
from shishi.cases.tests.conftest import RUBRIC
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.projects.tests.conftest import png
from shishi.testing import actor_of, latest_code

pytestmark = pytest.mark.django_db


def _client(person=None) -> Client:
    client = Client()
    if person is not None:
        client.force_login(person)
    return client


def _laid_out(office, *, phase: str) -> Selection:
    """A selection whose `phase` is today."""
    today = timezone.localdate()
    offsets = {  # days from today: nominate_from, nominate_until, review_until, vote_until
        "nomination": (-2, 5, 10, 20),
        "review": (-10, -5, 5, 15),
        "voting": (-20, -15, -5, 5),
        "results": (-40, -30, -20, -2),
    }[phase]
    a, b, c, d = (today + timedelta(days=n) for n in offsets)
    selection = actions.create_selection(
        data=actions.SelectionData(
            title=f"{phase}评选",
            description="说明",
            nominate_from=a,
            nominate_until=b,
            review_until=c,
            vote_until=d,
            winners=1,
            judge_weight=50,
            votes_per_day=2,
            criteria=RUBRIC,
        ),
        actor=actor_of(office),
        now=timezone.now(),
    )
    return selection


def _case(selection, person, title, *, accepted=True, photo=False):
    """A nomination made in the nomination phase (backdated) and, if asked, accepted."""
    at = timezone.make_aware(
        timezone.datetime.combine(selection.nominate_from, timezone.datetime.min.time())
    ) + timedelta(hours=10)
    nomination = actions.nominate(
        selection=selection,
        data=actions.NominationData(
            title=title, summary="做法和成效。", photos=[png()] if photo else []
        ),
        actor=actor_of(person),
        now=at,
    )
    if accepted:
        Nomination.objects.filter(pk=nomination.pk).update(status=Nomination.Status.ACCEPTED)
        nomination.refresh_from_db()
    return nomination


# --- The URL walk ----------------------------------------------------------------------------

LOGIN = "login"
# url name -> (anonymous, auditor, outsider, city office)
EXPECTED = {
    "selections": (LOGIN, 403, 200, 200),
    "new": (LOGIN, 403, 403, 200),
    "selection": (LOGIN, 403, 200, 200),
    "nominate": (LOGIN, 403, 200, 200),
    "add_judge": (LOGIN, 403, 403, 302),
    "bursts": (LOGIN, 403, 403, 200),
    "void": (LOGIN, 403, 403, 302),
    "publish": (LOGIN, 403, 403, 302),
    "results_file": (LOGIN, 403, 403, 200),
    "nomination": (LOGIN, 403, 404, 200),
    "decide": (LOGIN, 403, 404, 302),
    "score": (LOGIN, 403, 404, 302),
    "photo": (LOGIN, 403, 404, 200),
}


def test_every_staff_url_has_an_expectation():
    assert {p.name for p in urls.urlpatterns if isinstance(p, URLPattern)} == set(EXPECTED)


def test_the_walk(tree, city_admin, town_clerk, outsider, auditor):
    selection = _laid_out(city_admin, phase="results")
    nomination = _case(selection, town_clerk, "芝山案例", photo=True)
    values = {
        "pk": selection.pk,
        "nomination": nomination.pk,
        "photo": nomination.photos.get().pk,
        "fmt": "xlsx",
    }
    people = (None, auditor, outsider, city_admin)
    for pattern in urls.urlpatterns:
        path = str(pattern.pattern)
        for key, value in values.items():
            path = re.sub(rf"<(int|str):{key}>", str(value), path)
        url = f"/staff/cases/{path}"
        for person, expected in zip(people, EXPECTED[pattern.name], strict=True):
            client = _client(person)
            response = client.get(url)
            if response.status_code == 405:
                response = client.post(url, {})
            if expected == LOGIN:
                assert response.status_code == 302 and "/staff/login/" in response["Location"], url
            else:
                assert response.status_code == expected, (url, person and person.username)


# --- The flow through the forms --------------------------------------------------------------


def test_the_office_starts_a_selection_through_the_form(city_admin):
    today = timezone.localdate()
    response = _client(city_admin).post(
        reverse("cases:new"),
        {
            "title": "年度典型案例",
            "description": "说明",
            "nominate_from": f"{today:%Y-%m-%d}",
            "nominate_until": f"{today + timedelta(days=5):%Y-%m-%d}",
            "review_until": f"{today + timedelta(days=10):%Y-%m-%d}",
            "vote_until": f"{today + timedelta(days=20):%Y-%m-%d}",
            "winners": 3,
            "judge_weight": 70,
            "votes_per_day": 3,
            "rubric": "成效 50\n满意度：30\n创新，20分",
        },
    )
    selection = Selection.objects.get()
    assert response["Location"] == reverse("cases:selection", args=[selection.pk])
    assert [(c.name, c.max_points) for c in selection.criteria.all()] == [
        ("成效", 50), ("满意度", 30), ("创新", 20),
    ]  # fmt: skip


def test_a_street_nominates_and_the_office_accepts_through_the_pages(city_admin, town_clerk):
    selection = _laid_out(city_admin, phase="nomination")
    street = _client(town_clerk)
    response = street.post(
        reverse("cases:nominate", args=[selection.pk]),
        {"title": "社区长者食堂", "summary": "为老人供餐。", "photos": [png()]},
    )
    nomination = Nomination.objects.get()
    assert response.status_code == 302
    office = _client(city_admin)
    response = office.post(
        reverse("cases:decide", args=[selection.pk, nomination.pk]),
        {"decision": "accept", "reason": ""},
        follow=True,
    )
    assert "已入围" in response.content.decode()
    page = street.get(reverse("cases:selection", args=[selection.pk])).content.decode()
    assert "社区长者食堂" in page and "已入围" in page


# --- The public vote -------------------------------------------------------------------------


@pytest.fixture
def voting(city_admin, town_clerk, lantian_clerk):
    selection = _laid_out(city_admin, phase="voting")
    return selection, [
        _case(selection, town_clerk, "芝山案例"),
        _case(selection, lantian_clerk, "蓝田案例"),
    ]


def _confirmed(selection, phone="13905961234") -> Client:
    client = Client()
    client.post(reverse("portal:vote_code", args=[selection.code]), {"phone": phone})
    client.post(
        reverse("portal:vote_verify", args=[selection.code]),
        {"phone": phone, "code": latest_code(phone)},
    )
    return client


def test_a_citizen_confirms_a_phone_and_votes(voting):
    selection, cases = voting
    client = _confirmed(selection)
    page = client.get(reverse("portal:vote", args=[selection.code])).content.decode()
    assert "已验证手机号 139****1234" in page
    response = client.post(
        reverse("portal:vote_cast", args=[selection.code, cases[0].pk]), follow=True
    )
    assert "投票成功" in response.content.decode()
    vote = Vote.objects.get()
    assert (vote.nomination, vote.phone) == (cases[0], "13905961234")
    assert (
        "13905961234"
        not in client.get(reverse("portal:vote", args=[selection.code])).content.decode()
    )


def test_a_wrong_code_confirms_nothing_and_votes_count_nothing(voting):
    selection, cases = voting
    client = Client()
    client.post(reverse("portal:vote_code", args=[selection.code]), {"phone": "13905961234"})
    response = client.post(
        reverse("portal:vote_verify", args=[selection.code]),
        {
            "phone": "13905961234",
            "code": "000000" if latest_code("13905961234") != "000000" else "111111",
        },
        follow=True,
    )
    assert "验证码不正确" in response.content.decode()
    response = client.post(
        reverse("portal:vote_cast", args=[selection.code, cases[0].pk]), follow=True
    )
    assert "请先验证手机号再投票" in response.content.decode()
    assert not Vote.objects.exists()


def test_the_honeypot_looks_like_success_and_counts_nothing(voting):
    selection, cases = voting
    client = _confirmed(selection)
    response = client.post(
        reverse("portal:vote_cast", args=[selection.code, cases[0].pk]),
        {"website": "http://spam.example"},
        follow=True,
    )
    assert "投票成功" in response.content.decode()
    assert not Vote.objects.exists()


def test_too_many_tries_from_one_phone_get_429_with_retry_after(voting, settings):
    selection, cases = voting
    client = _confirmed(selection)
    url = reverse("portal:vote_cast", args=[selection.code, cases[0].pk])
    settings.VOTE_PHONE_LIMIT = 5
    statuses = [client.post(url).status_code for _ in range(6)]
    assert statuses == [302] * 5 + [429]
    assert int(client.post(url)["Retry-After"]) > 0
    assert Vote.objects.count() == 1  # the rest were refused as once a day per case


def test_results_stay_private_until_published(city_admin, town_clerk):
    selection = _laid_out(city_admin, phase="results")
    _case(selection, town_clerk, "芝山案例")
    assert Client().get(reverse("portal:vote_results", args=[selection.code])).status_code == 404
    actions.publish_results(selection=selection, actor=actor_of(city_admin), now=timezone.now())
    page = Client().get(reverse("portal:vote_results", args=[selection.code])).content.decode()
    assert "综合得分" in page and "芝山案例" in page
    download = Client().get(reverse("portal:vote_results_file", args=[selection.code, "docx"]))
    assert download.status_code == 200 and download.content[:2] == b"PK"


def test_the_bursts_page_finds_consecutive_numbers_from_one_address(voting, city_admin):
    selection, cases = voting
    now = timezone.now()
    for k in range(6):
        actions.cast_vote(
            nomination=cases[0], phone=f"1590596{4100 + k:04d}", ip="120.36.18.77", now=now
        )
    page = _client(city_admin).get(reverse("cases:bursts", args=[selection.pk])).content.decode()
    assert "同一地址 120.36.18.77" in page and "连号" in page
    assert "159****4100" in page and "15905964100" not in page


@pytest.mark.parametrize("extra", [0, 12])
def test_the_selection_page_takes_the_same_queries_for_few_or_many_cases(
    extra, city_admin, town_clerk, django_assert_max_num_queries
):
    selection = _laid_out(city_admin, phase="voting")
    for k in range(2 + extra):
        _case(selection, town_clerk, f"案例{k}")
    client = _client(city_admin)
    client.get(reverse("cases:selection", args=[selection.pk]))
    with django_assert_max_num_queries(16):
        assert client.get(reverse("cases:selection", args=[selection.pk])).status_code == 200
    with django_assert_max_num_queries(8):
        assert Client().get(reverse("portal:vote", args=[selection.code])).status_code == 200


def test_a_judge_sees_only_their_own_points_during_the_review(tree, city_admin, town_clerk):
    selection = _laid_out(city_admin, phase="review")
    case = _case(selection, town_clerk, "芝山案例")
    one, two = (
        PersonFactory(username=f"j{k}", unit=tree["city"], role=Role.SUPERVISOR) for k in (1, 2)
    )
    for person in (one, two):
        actions.add_judge(
            selection=selection,
            person=person,
            actor=actor_of(city_admin),
            now=timezone.make_aware(
                timezone.datetime.combine(selection.nominate_from, timezone.datetime.min.time())
            ),
        )
    lines = list(selection.criteria.order_by("order"))
    actions.score_nomination(
        nomination=case,
        points=dict(zip([c.pk for c in lines], (37, 29, 19, 9), strict=True)),
        actor=actor_of(one),
        now=timezone.now(),
    )
    url = reverse("cases:nomination", args=[selection.pk, case.pk])
    mine = _client(one).get(url).content.decode()
    theirs = _client(two).get(url).content.decode()
    assert 'data-testid="score-form"' in mine and 'value="37"' in mine
    assert 'data-testid="score-form"' in theirs and 'value="37"' not in theirs
    # nor does the selection page show anyone's scores before the review closes
    assert (
        'data-testid="standings"'
        not in _client(city_admin)
        .get(reverse("cases:selection", args=[selection.pk]))
        .content.decode()
    )


def test_the_portal_front_page_points_to_votes_that_are_on(city_admin):
    voting = _laid_out(city_admin, phase="voting")
    _laid_out(city_admin, phase="review")
    page = Client().get(reverse("portal:home")).content.decode()
    assert reverse("portal:vote", args=[voting.code]) in page
    assert page.count("/vote/") == 1
