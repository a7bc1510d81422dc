"""Bad query parameters never answer 500: every page without path arguments, public and staff,
is asked with every parameter name the pages use set to values that once broke them
(superscript digits that pass isdigit(), numbers too long for a database integer, the last
day of the calendar, other scripts' digits, NUL, very long text) — as an anonymous visitor
and as each city role. A page may refuse (400/404), ignore or name the bad value; it may
not fail."""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

pytestmark = pytest.mark.django_db

NAMES = [
    "area",
    "band",
    "category",
    "channel",
    "county",
    "cursor",
    "day",
    "done",
    "end",
    "enterprise",
    "form",
    "from",
    "fmt",
    "group",
    "industry",
    "kind",
    "level",
    "month",
    "page",
    "paired",
    "parent",
    "q",
    "queue",
    "quarter",
    "round",
    "route",
    "selection",
    "site",
    "size",
    "sort",
    "source",
    "start",
    "status",
    "tab",
    "to",
    "town",
    "unit",
    "until",
    "since",
    "week",
    "year",
]
VALUES = ["²", "9" * 25, "9999-12-31", "0001-01-01", "-1", "٣", "\x00", "长" * 3000, "1e9999"]
SKIP = ("/admin/", "/api/", "/static/", "/media/", "/healthz")


def _plain_routes(patterns=None, prefix=""):
    """Every route without a path argument (lists, forms, dashboards, public pages)."""
    for entry in patterns if patterns is not None else get_resolver().url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if not entry.pattern.converters:
                yield from _plain_routes(entry.url_patterns, route)
        elif isinstance(entry, URLPattern) and not entry.pattern.converters:
            path = "/" + route.lstrip("^").rstrip("$")
            if "<" not in path and "(" not in path and not path.startswith(SKIP):
                yield path


@pytest.fixture
def visitors(client, city_admin, operator, supervisor, county_leader):
    from django.test import Client

    people = {"anonymous": client}
    for person in (city_admin, operator, supervisor, county_leader):
        signed = Client()
        signed.force_login(person)
        people[person.username] = signed
    return people


def test_no_page_answers_500_to_bad_query_parameters(visitors, categories):
    routes = sorted(set(_plain_routes()))
    assert len(routes) > 40  # the walk reaches the staff and public pages
    failures = []
    for path in routes:
        for who, visitor in visitors.items():
            for value in VALUES:
                try:
                    response = visitor.get(path, dict.fromkeys(NAMES, value))
                except Exception as error:
                    failures.append(f"{who} GET {path} ={value[:12]!r}: {error!r}"[:300])
                    continue
                if response.status_code >= 500:
                    failures.append(f"{who} GET {path} ={value[:12]!r}: {response.status_code}")
    assert not failures, "\n".join(failures)


def test_a_json_body_nested_too_deep_is_refused_not_failed(tree, categories):
    from django.test import Client

    from shishi.testing import integration_key

    response = Client(raise_request_exception=False).post(
        "/api/v1/appeals/",
        "[" * 5000 + "]" * 5000,
        content_type="application/json",
        HTTP_AUTHORIZATION=f"Bearer {integration_key(tree['city'])}",
    )
    assert response.status_code == 400 and "嵌套" in response.json()["message"]


def test_a_form_in_utf7_is_refused_in_chinese(tree):
    from django.test import Client

    response = Client(raise_request_exception=False).post(
        "/report/", "content=abc", content_type="application/x-www-form-urlencoded; charset=utf-7"
    )
    assert response.status_code == 400 and "请求无法识别" in response.content.decode()


def test_a_form_body_over_the_limit_is_refused_not_read(tree):
    from django.test import Client

    response = Client(raise_request_exception=False).post(
        "/report/",
        {"content": "长" * 400_000},  # 1.2 MB of UTF-8
    )
    assert response.status_code == 400 and "请求无法识别" in response.content.decode()
