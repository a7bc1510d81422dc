"""集成令牌: issued on the staff page (shown once, only a hash kept), scoped to a unit and
scopes, expiring, revocable, rate-limited per token; every staff URL walked."""

from datetime import timedelta

import pytest
from django.urls import URLPattern, reverse
from django.utils import timezone
from rest_framework.test import APIClient

from shishi.api import actions
from shishi.api.access import SCOPES, key_hash
from shishi.api.models import IntegrationToken
from shishi.api.staff_urls import app_name, urlpatterns
from shishi.appeals.access import Perm
from shishi.core.models import AuditEntry

URL = "/api/v1/categories/"


@pytest.mark.django_db
def test_the_city_office_issues_a_token_shown_once_and_stored_as_a_hash(login, city_admin, tree):
    page = login(city_admin)

    issued = page.post(
        reverse("integrations:token_new"),
        {
            "name": "省12345平台",
            "unit": tree["xiangcheng"].pk,
            "scopes": [Perm.VIEW, Perm.INTAKE],
            "days": 30,
            "rate_per_minute": 120,
        },
    )

    # the page shows the key once, and tells the office it will not see it again
    token = IntegrationToken.objects.get()
    key = issued.context["issued"].key
    assert issued.status_code == 200 and key in issued.content.decode()
    assert "离开本页后将无法再次查看" in issued.content.decode()
    assert issued["Cache-Control"].startswith("max-age=0")
    assert token.key_hash == key_hash(key) and key not in str(token.__dict__)
    assert (token.unit, token.scopes, token.rate_per_minute) == (
        tree["xiangcheng"],
        [Perm.VIEW, Perm.INTAKE],
        120,
    )
    # the list shows it by its prefix, never the key; issuing was audited
    listed = page.get(reverse("integrations:tokens")).content.decode()
    assert token.prefix in listed and key not in listed and "从未使用" in listed
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.TOKEN_ISSUED).count() == 1
    # the service account cannot sign in and belongs to no unit
    assert not token.person.is_active and not token.person.has_usable_password()
    assert not token.person.memberships.exists()


@pytest.mark.django_db
def test_a_token_form_with_errors_issues_nothing(login, city_admin, tree):
    page = login(city_admin).post(
        reverse("integrations:token_new"), {"name": "", "unit": tree["city"].pk, "days": 0}
    )
    assert page.status_code == 400 and "请选择" not in page.context["form"].errors.get("name", [""])
    assert not IntegrationToken.objects.exists()


@pytest.mark.django_db
def test_last_use_is_recorded(api, tree):
    client = api(tree["city"])
    assert client.get(URL).status_code == 200
    client.token.refresh_from_db()
    assert client.token.last_used_at is not None


@pytest.mark.django_db
def test_an_expired_token_is_refused(api, tree):
    client = api(tree["city"], days=1, now=timezone.now() - timedelta(days=2))
    response = client.get(URL)
    assert response.status_code == 401 and "过期" in response.json()["message"]


@pytest.mark.django_db
def test_a_revoked_token_is_refused_at_once(api, issuer, login, city_admin, tree):
    client = api(tree["city"])
    assert client.get(URL).status_code == 200

    login(city_admin).post(reverse("integrations:token_revoke", args=[client.token.pk]))

    response = client.get(URL)
    assert response.status_code == 401 and "吊销" in response.json()["message"]
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.TOKEN_REVOKED).count() == 1
    with pytest.raises(actions.Refused):
        actions.revoke_token(actor=issuer, token=client.token, now=timezone.now())


@pytest.mark.django_db
def test_a_token_over_its_rate_gets_429_with_retry_after(api, tree):
    client = api(tree["city"], rate_per_minute=2)
    other = api(tree["city"], rate_per_minute=2)

    answers = [client.get(URL).status_code for _ in range(3)]

    assert answers == [200, 200, 429]
    limited = client.get(URL)
    assert limited.json()["code"] == "throttled" and 1 <= int(limited["Retry-After"]) <= 60
    assert other.get(URL).status_code == 200  # each token has its own count


@pytest.mark.django_db
def test_tokens_are_issued_only_within_the_issuers_reach(issuer, tree, county_leader):
    from shishi.orgs.access import actor_for

    with pytest.raises(actions.Refused):
        actions.issue_token(
            actor=issuer, name="x", unit=tree["city"], scopes=["nonsense"], days=5,
            rate_per_minute=10, now=timezone.now(),
        )  # fmt: skip
    with pytest.raises(actions.Refused):
        actions.issue_token(
            actor=issuer, name="x", unit=tree["city"], scopes=list(SCOPES), days=400,
            rate_per_minute=10, now=timezone.now(),
        )  # fmt: skip
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):  # a county leader is not the city office
        actions.issue_token(
            actor=actor_for(county_leader, None), name="x", unit=tree["xiangcheng"],
            scopes=list(SCOPES), days=5, rate_per_minute=10, now=timezone.now(),
        )  # fmt: skip


# --- Every staff URL of the token pages × who asks ------------------------------------------------

LOGIN = "login"
WHO = ["anonymous", "city_admin", "county_leader", "town_clerk", "auditor"]
# fmt: off
EXPECTED = {
    #                                 anon   admin  leader clerk  auditor
    ("tokens", "get"):               (LOGIN, 200,   403,   403,   403),
    ("token_new", "post"):           (LOGIN, 400,   403,   403,   403),
    ("token_new", "get"):            (LOGIN, 405,   405,   405,   405),
    ("token_revoke", "post"):        (LOGIN, 302,   403,   403,   403),
}
# fmt: on


def test_every_token_page_has_an_expectation():
    names = {p.name for p in urlpatterns if isinstance(p, URLPattern)}
    assert names == {name for name, _ in EXPECTED}


@pytest.mark.django_db
@pytest.mark.parametrize(("name", "method"), list(EXPECTED))
def test_token_pages_answer_each_role(
    name, method, login, tree, city_admin, county_leader, town_clerk, auditor
):
    from django.test import Client

    token = actions.issue_token(
        actor=None, name="walk", unit=tree["zhishan"], scopes=list(SCOPES), days=5,
        rate_per_minute=10, now=timezone.now(),
    ).token  # fmt: skip
    people = {"city_admin": city_admin, "county_leader": county_leader}
    people |= {"town_clerk": town_clerk, "auditor": auditor}
    url = reverse(f"{app_name}:{name}", args=[token.pk] if "<int:pk>" in _route(name) else [])
    for who, expected in zip(WHO, EXPECTED[(name, method)], strict=True):
        client = Client() if who == "anonymous" else login(people[who])
        response = getattr(client, method)(url)
        if expected == LOGIN:
            assert response.status_code == 302 and "/staff/login/" in response["Location"], who
        else:
            assert response.status_code == expected, (who, response.status_code)


def _route(name: str) -> str:
    return next(str(p.pattern) for p in urlpatterns if p.name == name)


@pytest.mark.django_db
def test_a_client_may_not_sign_in_with_a_session():
    # the API takes tokens only: a signed-in browser is not a client
    assert APIClient().get(URL).status_code == 401
