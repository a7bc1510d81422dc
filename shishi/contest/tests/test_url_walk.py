"""Every contest URL × every kind of viewer, as one explicit table.

The contest (tests/conftest.py) is the city's; 芗城区, 龙文区 and 漳州高新区 take part.
Viewers: the city office (city_admin), 芗城区's clerk and leader (a participant), 芝山街道's
clerk (inside 芗城区: reads its participant's rows), 龙文区's clerk (another participant),
a city department's clerk (neither side: 404) and the auditor (no contest permission: 403).
"ours" is 芗城区's submission for January (submitted), "theirs" 龙文区's (with an
extension request waiting)."""

from datetime import date
from urllib.parse import urlsplit

import pytest
from django.db import transaction
from django.test import Client
from django.urls import URLPattern, reverse

from shishi.contest import actions
from shishi.contest.models import Interview, InterviewPoint, Submission
from shishi.contest.tests.conftest import participant, submission, submit
from shishi.contest.urls import app_name, urlpatterns
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import actor_of, at

LOGIN = "login"
ACTORS = [
    "anonymous",
    "city_admin",
    "county_clerk",
    "county_leader",
    "town_clerk",
    "longwen_clerk",
    "dept_clerk",
    "auditor",
]

# (url name, method, target) -> answers in ACTORS order
# fmt: off
EXPECTED: dict[tuple[str, str, str | None], tuple] = {
        # anon, admin, county clerk, county leader, town clerk, longwen clerk, dept, auditor
    ("contests", "get", None):
        (LOGIN, 200, 200, 200, 200, 200, 200, 403),
    ("new", "get", None):
        (LOGIN, 200, 403, 403, 403, 403, 403, 403),
    ("contest", "get", "contest"):
        (LOGIN, 200, 200, 200, 200, 200, 404, 403),
    ("edit", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("dimension_new", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("dimension_edit", "post", "dimension"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("dimension_remove", "post", "dimension"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("indicator_new", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("indicator_edit", "post", "indicator"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("indicator_remove", "post", "indicator"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("weights", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("participants", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("participant_remove", "post", "participant"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("open", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("close", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("round_open", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("board", "get", "month"):
        (LOGIN, 200, 200, 200, 200, 200, 404, 403),
    ("ranking", "get", "contest"):
        (LOGIN, 200, 200, 200, 200, 200, 404, 403),
    ("notes", "get", "contest"):
        (LOGIN, 200, 200, 200, 200, 200, 404, 403),
    ("note_write", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("year", "get", "contest"):
        (LOGIN, 200, 200, 200, 200, 200, 404, 403),
    ("interview", "post", "contest"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("rectify", "post", "point"):
        (LOGIN, 302, 403, 403, 403, 403, 404, 403),
    ("submission", "get", "ours"):
        (LOGIN, 200, 200, 200, 200, 404, 404, 403),
    ("submission", "get", "theirs"):
        (LOGIN, 200, 404, 404, 404, 200, 404, 403),
    ("submit", "post", "theirs"):
        (LOGIN, 403, 404, 404, 404, 302, 404, 403),
    ("accept", "post", "ours"):
        (LOGIN, 302, 403, 403, 403, 404, 404, 403),
    ("return", "post", "ours"):
        (LOGIN, 302, 403, 403, 403, 404, 404, 403),
    ("extension", "post", "theirs"):
        (LOGIN, 403, 404, 404, 404, 302, 404, 403),
    ("extension_decide", "post", "pending"):
        (LOGIN, 302, 404, 404, 404, 403, 404, 403),
    ("file", "get", "file"):
        (LOGIN, 200, 200, 200, 200, 404, 404, 403),
}
# fmt: on


@pytest.fixture
def world(db, tree, zone, contest, city_admin, county_clerk, county_leader, town_clerk,
          longwen_clerk, zone_clerk, auditor):  # fmt: skip
    department = UnitFactory(name="市发改委", kind=Unit.Kind.DEPARTMENT, parent=tree["city"])
    dept_clerk = PersonFactory(username="dept", unit=department, role=Role.UNIT_CLERK)
    admin = actor_of(city_admin)
    actions.open_round(contest=contest, month=1, actor=admin, now=at(2026, 2, 2))
    ours = submit(contest, tree["xiangcheng"], county_clerk, 1, 10, 2, 90, now=at(2026, 2, 3))
    theirs = submission(contest, tree["longwen"], 1)
    pending = actions.request_extension(
        submission=theirs, until=date(2026, 2, 12), reason="统计数据尚未发布",
        actor=actor_of(longwen_clerk), now=at(2026, 2, 9),
    )  # fmt: skip
    file = ours.files.first()
    interview = Interview.objects.create(
        participant=participant(contest, zone), held_on=date(2026, 12, 1), interviewers="林主任",
        interviewees="高新区主任", recorded_by=city_admin, recorded_at=at(2026, 12, 1),
    )  # fmt: skip
    point = InterviewPoint.objects.create(interview=interview, order=1, text="招商落地慢")
    dimension = contest.dimensions.first()
    targets = {
        "contest": {"pk": contest.pk},
        "month": {"pk": contest.pk, "month": 1},
        "dimension": {"pk": contest.pk, "dimension": dimension.pk},
        "indicator": {"pk": contest.pk, "indicator": dimension.indicators.first().pk},
        "participant": {"pk": contest.pk, "participant": participant(contest, zone).pk},
        "point": {"pk": contest.pk, "interview": interview.pk, "point": point.pk},
        "ours": {"pk": ours.pk},
        "theirs": {"pk": theirs.pk},
        "pending": {"pk": theirs.pk, "extension": pending.pk},
        "file": {"pk": ours.pk, "file": file.pk},
    }
    return {
        "actors": {
            "anonymous": None,
            "city_admin": city_admin,
            "county_clerk": county_clerk,
            "county_leader": county_leader,
            "town_clerk": town_clerk,
            "longwen_clerk": longwen_clerk,
            "dept_clerk": dept_clerk,
            "auditor": auditor,
        },
        "targets": targets,
    }


POST_DATA = {
    "edit": {"year": 2026, "name": "竞赛", "due_workday": 5, "bottom_n": 1},
    "dimension_new": {"name": "比服务", "order": 9},
    "dimension_edit": {"name": "比项目", "order": 1},
    "indicator_new": {"dimension": 0, "name": "新指标", "direction": "higher",
                      "data_type": "integer", "order": 1},
    "round_open": {"month": 2},
    "accept": {},
    "return": {"reason": "数据有误"},
    "extension": {"until": "2026-02-20", "reason": "人手不足"},
    "extension_decide": {"approve": "yes", "answer": ""},
    "note_write": {"participant": 0, "quarter": 1, "text": "好"},
    "rectify": {"measures": "整改", "days": 10},
}  # fmt: skip


def _observe(response) -> int | str:
    if response.status_code == 302:
        location = urlsplit(response["Location"])
        if location.path == reverse("staff:login") and "next=" in location.query:
            return LOGIN
    return response.status_code


def _answer(person, name: str, method: str, target: str | None, world: dict) -> int | str:
    """One request in a savepoint that is rolled back, so requests cannot affect each other."""
    url = reverse(f"{app_name}:{name}", kwargs=world["targets"][target] if target else {})
    with transaction.atomic():
        client = Client()
        if person is not None:
            client.force_login(person)
        if method == "post":
            response = client.post(url, POST_DATA.get(name, {}))
        else:
            response = client.get(url)
        transaction.set_rollback(True)
    return _observe(response)


def test_every_contest_url_has_an_expectation():
    names = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, _, _ in EXPECTED}


@pytest.mark.django_db
def test_the_walk(world):
    differences = []
    for (name, method, target), answers in EXPECTED.items():
        for actor, expected in zip(ACTORS, answers, strict=True):
            got = _answer(world["actors"][actor], name, method, target, world)
            if got != expected:
                differences.append(f"{name} {method} {target} as {actor}: {got} != {expected}")
    assert differences == []


@pytest.mark.django_db
def test_get_pages_refuse_nothing_but_unsafe_methods(world):
    client = Client()
    client.force_login(world["actors"]["city_admin"])
    url = reverse("contest:accept", kwargs=world["targets"]["ours"])
    assert client.get(url).status_code == 405
    assert Submission.objects.get(pk=world["targets"]["ours"]["pk"]).status == "submitted"
