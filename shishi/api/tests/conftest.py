"""The API tests reuse the appeals fixtures (categories, the operator) and add tokens."""

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shishi.appeals.tests.conftest import categories, desk  # noqa: F401  (fixtures)


@pytest.fixture
def api():
    """api(person) -> an API client carrying a token of that person."""

    def _api(person) -> APIClient:
        token, _ = Token.objects.get_or_create(user=person)
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token.key}")
        return client

    return _api
