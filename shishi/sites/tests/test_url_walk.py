"""Every staff URL of the sites module, walked as an anonymous visitor (sent to the login
page), a clerk of a sibling town (西桥's site and booking: 404 — not even "not allowed") and
an auditor (403), modelled on portal/tests/test_staff_url_walk.py. A new URL without an
expectation below fails `test_every_url_has_an_expectation`."""

import pytest
from django.urls import URLPattern

from shishi.sites import actions, urls
from shishi.sites.tests.conftest import JULY_1, NOW, book, png
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db

LOGIN, OK, NOT_FOUND, FORBIDDEN = "login", 200, 404, 403
# url name -> (anonymous, the sibling town's clerk, auditor)
EXPECTED = {
    "sites": (LOGIN, OK, FORBIDDEN),  # the list: their own sites only (none)
    "new": (LOGIN, OK, FORBIDDEN),
    "site": (LOGIN, NOT_FOUND, FORBIDDEN),
    "edit": (LOGIN, NOT_FOUND, FORBIDDEN),
    "photos_add": (LOGIN, NOT_FOUND, FORBIDDEN),
    "photo_remove": (LOGIN, NOT_FOUND, FORBIDDEN),
    "closure_add": (LOGIN, NOT_FOUND, FORBIDDEN),
    "closure_remove": (LOGIN, NOT_FOUND, FORBIDDEN),
    "book": (LOGIN, OK, FORBIDDEN),  # any unit may book a visit at any open site
    "route_book": (LOGIN, OK, FORBIDDEN),  # routes are public too
    "bookings": (LOGIN, OK, FORBIDDEN),
    "booking": (LOGIN, NOT_FOUND, FORBIDDEN),
    "confirm": (LOGIN, NOT_FOUND, FORBIDDEN),
    "reject": (LOGIN, NOT_FOUND, FORBIDDEN),
    "cancel": (LOGIN, NOT_FOUND, FORBIDDEN),
    "reschedule": (LOGIN, NOT_FOUND, FORBIDDEN),
    "checkin": (LOGIN, OK, FORBIDDEN),
}


@pytest.fixture
def sibling_objects(tree, outsider, sibling_site, route):
    """西桥's site with a closure, and a booking there by 西桥 itself."""
    closure = actions.add_closure(
        site=sibling_site,
        start=JULY_1.replace(day=10),
        end=JULY_1.replace(day=11),
        reason="检修",
        actor=actor_of(outsider),
        now=NOW,
    )
    booking = book(sibling_site, person=outsider, organisation="西桥街道机关党支部")
    (photo,) = actions.add_photos(
        site=sibling_site, photos=[png("纪念碑.png")], actor=actor_of(outsider), now=NOW
    )
    return {
        "site": sibling_site.pk,
        "closure": closure.pk,
        "booking": booking.pk,
        "photo": photo.pk,
        "route": route.pk,
    }


def _walk(objects: dict) -> list[tuple[str, str]]:
    filled = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        pk = objects[
            "booking"
            if route.startswith("bookings/")
            else "route"
            if route.startswith("routes/")
            else "site"
        ]
        path = (
            route.replace("<int:pk>", str(pk))
            .replace("<int:closure>", str(objects["closure"]))
            .replace("<int:photo>", str(objects["photo"]))
        )
        assert "<" not in path, f"no value for {route}"
        filled.append((pattern.name, f"/staff/sites/{path}"))
    return filled


def _request(client, path: str):
    response = client.get(path)
    if response.status_code == 405:  # POST-only: walk it the way it is used
        response = client.post(path, {})
    return response


def _answer(response) -> str | int:
    if response.status_code == 302 and response["Location"].startswith("/staff/login/"):
        return LOGIN
    return response.status_code


def test_every_url_has_an_expectation():
    assert sorted(p.name for p in urls.urlpatterns) == sorted(EXPECTED)


def test_anonymous_visitors_are_sent_to_login_everywhere(client, sibling_objects):
    for name, path in _walk(sibling_objects):
        assert _answer(client.get(path)) == EXPECTED[name][0], name


def test_a_sibling_town_finds_nothing_of_the_other(login, town_clerk, sibling_objects):
    client = login(town_clerk)
    for name, path in _walk(sibling_objects):
        assert _answer(_request(client, path)) == EXPECTED[name][1], name
    # and its lists do not show the other town's booking either
    assert "西桥街道机关党支部" not in client.get("/staff/sites/bookings/").content.decode()


def test_auditors_are_refused_every_page(login, auditor, sibling_objects):
    client = login(auditor)
    for name, path in _walk(sibling_objects):
        assert _answer(_request(client, path)) == EXPECTED[name][2], name


def test_no_page_fails_for_the_city_office(login, city_admin, sibling_objects, clock):
    client = login(city_admin)
    for name, path in _walk(sibling_objects):
        assert _request(client, path).status_code < 500, name
