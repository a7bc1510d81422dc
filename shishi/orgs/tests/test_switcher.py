import pytest

from shishi.orgs.factories import member
from shishi.orgs.models import Role


@pytest.mark.django_db
def test_person_in_two_units_switches_scope_with_the_unit_switcher(login, town_clerk, tree):
    # given the 芝山 clerk also clerks for the sibling town 西桥
    extra = member(town_clerk, tree["xiqiao"], Role.UNIT_CLERK)
    client = login(town_clerk)
    # when acting as 芝山 (the first membership), 西桥 is out of sight
    assert client.get(f"/staff/units/{tree['xiqiao'].pk}/").status_code == 404
    # when switching to the 西桥 membership
    response = client.post("/staff/switch/", {"membership": extra.pk, "next": "/staff/units/"})
    assert response.status_code == 302 and response["Location"] == "/staff/units/"
    # then 西桥 is visible and 芝山 is not
    assert client.get(f"/staff/units/{tree['xiqiao'].pk}/").status_code == 200
    assert client.get(f"/staff/units/{tree['zhishan'].pk}/").status_code == 404


@pytest.mark.django_db
def test_switching_to_someone_elses_membership_is_not_found(login, town_clerk, outsider):
    foreign = outsider.memberships.get()
    response = login(town_clerk).post("/staff/switch/", {"membership": foreign.pk})
    assert response.status_code == 404


@pytest.mark.django_db
def test_switch_refuses_an_offsite_redirect(login, town_clerk):
    own = town_clerk.memberships.get()
    response = login(town_clerk).post(
        "/staff/switch/", {"membership": own.pk, "next": "https://evil.example/"}
    )
    assert response["Location"] == "/staff/"
