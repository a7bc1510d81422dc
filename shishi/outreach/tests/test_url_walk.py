"""Every staff URL of the outreach module walked as an anonymous visitor (sent to the login
page), a clerk of a sibling town (404 for anything of 西桥街道; 党史上的今天 is the city
office's: 403), an auditor (403) and the city office (never a 500). A new URL without an
expectation here fails `test_every_url_has_an_expectation`."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern
from PIL import Image

from shishi.outreach import actions, public_urls, urls
from shishi.outreach.tests.conftest import (
    NOW,
    make_activity,
    make_lecture,
    make_post,
    make_team,
    make_volunteer_team,
)
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db

# url name -> what the clerk of 芝山街道 gets for 西桥街道's objects (or a page of their own)
OUTSIDER = {
    "lectures": 200,
    "lecture_new": 200,
    "lecture": 404,
    "lecture_edit": 404,
    "lecture_remove": 404,
    "lecture_photo": 404,
    "teams": 200,
    "team_new": 200,
    "team": 404,
    "team_edit": 404,
    "volunteers": 200,
    "volunteer_team_new": 200,
    "activities": 200,
    "activity_remove": 404,
    "volunteer_team": 404,
    "volunteer_team_edit": 404,
    "posts": 200,
    "post_new": 200,
    "post": 404,
    "post_edit": 404,
    "service_remove": 404,
    "today": 403,
    "today_new": 403,
    "today_import": 403,
    "today_template": 403,
    "today_edit": 403,
    "today_remove": 403,
}


@pytest.fixture
def sibling_objects(tree, outsider, city_admin):
    """A lecture team with a lecture and a photo, a volunteer team and a post of 西桥街道, and
    a 党史上的今天 entry."""
    jpeg = io.BytesIO()
    Image.new("RGB", (20, 20), "red").save(jpeg, "JPEG")
    team = make_team(outsider, tree["xiqiao"], name="西桥宣讲队")
    lecture = make_lecture(
        outsider,
        team,
        tree["xiqiao"],
        photos=[SimpleUploadedFile("现场.jpg", jpeg.getvalue(), content_type="image/jpeg")],
    )
    entry = actions.save_entry(
        data=actions.EntryData(
            month=10, day=1, year=1949, title="中华人民共和国成立", text="开国大典。", source="简史"
        ),
        actor=actor_of(city_admin),
        now=NOW,
    )
    volunteers = make_volunteer_team(outsider, tree["xiqiao"])
    post = make_post(outsider, tree["xiqiao"])
    record = actions.record_service(
        post=post,
        data=actions.ServiceData(served_on=NOW.date(), content="帮办代办"),
        actor=actor_of(outsider),
        now=NOW,
    )
    return {
        "lecture": lecture.pk,
        "photo": lecture.photos.get().pk,
        "team": team.pk,
        "volunteer_team": volunteers.pk,
        "activity": make_activity(outsider, volunteers, tree["xiqiao"]).pk,
        "post": post.pk,
        "record": record.pk,
        "today": entry.pk,
    }


def _walk(objects) -> list[tuple[str, str]]:
    """(name, path) for every pattern, with `pk` the object its section names."""
    filled = []
    for pattern in urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        section = route.split("/")[0]
        if route.startswith(("volunteers/activities/", "posts/records/")):
            section = route.split("/")[1]
        key = {
            "activities": "activity",
            "records": "record",
            "lectures": "lecture",
            "teams": "team",
            "volunteers": "volunteer_team",
            "posts": "post",
            "today": "today",
        }.get(section, "lecture")
        path = route.replace("<int:pk>", str(objects[key])).replace(
            "<int:file>", str(objects["photo"])
        )
        assert "<" not in path, f"no value for {route}"
        filled.append((pattern.name, f"/staff/outreach/{path}"))
    return filled


def _request(client, path: str):
    response = client.get(path)
    if response.status_code == 405:  # POST-only: walk it the way it is used
        response = client.post(path, {})
    return response


def test_every_url_has_an_expectation():
    assert {pattern.name for pattern in urls.urlpatterns} == set(OUTSIDER)


def test_anonymous_visitors_are_sent_to_login_everywhere(client, sibling_objects):
    for name, path in _walk(sibling_objects):
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/staff/login/"), name


def test_outsiders_find_nothing_of_a_sibling_town(login, town_clerk, sibling_objects):
    client = login(town_clerk)
    for name, path in _walk(sibling_objects):
        assert _request(client, path).status_code == OUTSIDER[name], name


def test_auditors_are_refused_every_page(login, auditor, sibling_objects):
    client = login(auditor)
    for name, path in _walk(sibling_objects):
        assert _request(client, path).status_code == 403, name


def test_no_page_fails_for_the_city_office(login, clock, city_admin, sibling_objects):
    client = login(city_admin)
    for name, path in _walk(sibling_objects):
        assert _request(client, path).status_code < 500, name


def test_the_public_pages_need_no_login(client, clock, sibling_objects):
    for pattern in public_urls.urlpatterns:
        route = str(pattern.pattern).replace("<int:pk>", str(sibling_objects["today"]))
        response = client.get(f"/{route}")
        # the entry has no image: its image address is the one page that finds nothing
        assert response.status_code == (404 if "images" in route else 200), route
