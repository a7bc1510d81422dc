"""Every staff URL of the enterprise desk, walked as an anonymous visitor (sent to log in),
an outsider — the clerk of 芝山街道, looking at an enterprise paired to a cadre of the sibling
西桥街道 — (404 for every URL of an object) and an auditor (403 everywhere). A URL without an
expectation below fails, so a new page must say how it treats outsiders."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import URLPattern
from django.utils import timezone

from shishi.enterprises import actions
from shishi.enterprises import urls as enterprise_urls
from shishi.enterprises.models import Visit
from shishi.enterprises.tests.conftest import enterprise_data
from shishi.testing import actor_of

pytestmark = pytest.mark.django_db

# url name -> what the outsider (芝山's clerk, not an office) gets on a page of no object.
# Object pages (a <pk> in the route) are 404 for the outsider, whatever is listed here.
OUTSIDER = {
    "list": 200,
    "new": 403,
    "template": 200,
    "export": 403,
    "import": 403,
    "import_errors": 403,
    "detail": 404,
    "edit": 404,
    "pair": 404,
    "problem_new": 404,
    "benefit_new": 404,
    "end_pairing": 404,
    "visit_new": 404,
    "mine": 200,
    "visits": 200,
    "frequency": 200,
    "visit": 404,
    "raise": 404,
    "problems": 200,
    "benefits": 200,
    "benefit_template": 200,
    "benefit_import": 403,
    "benefit": 404,
    "benefit_file": 404,
}


@pytest.fixture
def sibling_objects(tree, county_clerk, outsider):
    """An enterprise of 芗城区 paired to 西桥街道's clerk, a visit, a benefit with a file."""
    now = timezone.now()
    office = actor_of(county_clerk)
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"]), actor=office, now=now
    )
    pairing = actions.pair_cadre(
        enterprise=enterprise,
        cadre=outsider,
        unit=tree["xiqiao"],
        starts_on=timezone.localdate(now),
        actor=office,
        now=now,
    )
    visit = actions.record_visit(
        data=actions.VisitData(
            pairing=pairing,
            visited_on=timezone.localdate(now),
            form=Visit.Form.PHONE,
            discussed="电话了解生产情况",
        ),
        actor=actor_of(outsider),
        now=now,
    )
    benefit = actions.record_benefit(
        data=actions.BenefitData(
            enterprise=enterprise,
            kind="funds",
            policy="技改补助",
            amount=Decimal("100000.00"),
            granted_on=date(2026, 1, 5),
            files=[SimpleUploadedFile("拨付凭证.pdf", b"%PDF-1.4\n%%EOF", "application/pdf")],
        ),
        actor=office,
        now=now,
    )
    return {
        "pk": enterprise.pk,
        "pairing": pairing.pk,
        "visit": visit.pk,
        "benefit": benefit.pk,
        "file": benefit.files.get().pk,
    }


def _urls(objects: dict) -> list[tuple[str, str, bool]]:
    """(name, path, takes an object) for every pattern: <pk> is the enterprise's, except under
    pairings/ (the pairing's), visits/ (the visit's) and benefits/ (the benefit's)."""
    filled = []
    for pattern in enterprise_urls.urlpatterns:
        assert isinstance(pattern, URLPattern)
        route = str(pattern.pattern)
        pk = objects["pk"]
        if route.startswith("pairings/"):
            pk = objects["pairing"]
        elif route.startswith("visits/"):
            pk = objects["visit"]
        elif route.startswith("benefits/"):
            pk = objects["benefit"]
        path = (
            route.replace("<int:pk>", str(pk))
            .replace("<int:pairing>", str(objects["pairing"]))
            .replace("<int:file>", str(objects["file"]))
            .replace("<str:token>", "nothing")
        )
        assert "<" not in path, f"no value for {route}"
        takes_object = "<int:" in route
        filled.append((pattern.name, f"/staff/enterprises/{path}", takes_object))
    return filled


def _request(client, path: str):
    response = client.get(path)
    if response.status_code == 405:  # POST-only: walk it the way it is used
        response = client.post(path, {})
    return response


def test_every_url_has_an_expectation(sibling_objects):
    names = {name for name, _, _ in _urls(sibling_objects)}
    assert names == set(OUTSIDER)


def test_anonymous_visitors_are_sent_to_login_everywhere(client, sibling_objects):
    for name, path, _ in _urls(sibling_objects):
        response = client.get(path)
        assert response.status_code == 302, name
        assert response["Location"].startswith("/staff/login/"), name


def test_outsiders_find_nothing_of_a_sibling_towns_cadre(login, town_clerk, sibling_objects):
    client = login(town_clerk)
    for name, path, takes_object in _urls(sibling_objects):
        expected = 404 if takes_object else OUTSIDER[name]
        assert _request(client, path).status_code == expected, name


def test_auditors_are_refused_every_page(login, auditor, sibling_objects):
    client = login(auditor)
    for name, path, _ in _urls(sibling_objects):
        assert _request(client, path).status_code == 403, name


def test_the_paired_cadre_and_the_offices_open_every_page(
    login, outsider, county_clerk, city_admin, sibling_objects
):
    for person in (outsider, county_clerk, city_admin):
        client = login(person)
        for name, path, _ in _urls(sibling_objects):
            assert _request(client, path).status_code < 500, (name, person.username)
