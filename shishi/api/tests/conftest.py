"""The API tests reuse the appeals fixtures (categories, the desk) and issue tokens."""

import pytest
from django.utils import timezone
from rest_framework.test import APIClient

from shishi.api import actions
from shishi.api.access import SCOPES
from shishi.appeals.tests.conftest import categories, desk  # noqa: F401  (fixtures)
from shishi.orgs.access import actor_for
from shishi.projects.tests.conftest import office  # noqa: F401  (fixtures)


@pytest.fixture
def issuer(city_admin):
    return actor_for(city_admin, None)


@pytest.fixture
def api(issuer):
    """api(unit, scopes=all, **issue) -> a client carrying a new token acting as `unit`;
    `client.token` is the token, `client.key` its key."""

    def _api(unit, scopes=tuple(SCOPES), **issue) -> APIClient:
        issued = actions.issue_token(
            actor=issuer,
            name=issue.pop("name", "省12345平台"),
            unit=unit,
            scopes=list(scopes),
            days=issue.pop("days", 30),
            rate_per_minute=issue.pop("rate_per_minute", 600),
            now=issue.pop("now", timezone.now()),
        )
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {issued.key}")
        client.token, client.key = issued.token, issued.key
        return client

    return _api
