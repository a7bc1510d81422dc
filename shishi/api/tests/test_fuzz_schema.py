"""The API fuzzed from its own OpenAPI schema (schemathesis): whatever a client sends, no
answer is a 5xx, and every answer matches what the schema promises (status code, content
type, body). Bounded: a few examples per operation, the same ones on every run."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from shishi.appeals.tests.conftest import HOUSING
from shishi.appeals.tests.helpers import at
from shishi.testing import integration_key

EXAMPLES = 12
CHECKS = [
    checks.not_a_server_error,
    checks.status_code_conformance,
    checks.content_type_conformance,
    checks.response_schema_conformance,
]


@pytest.fixture
def api_schema(db):
    """The schema served by the app itself, called in this process; like Django's test
    client, requests do not close the test's database connection when they finish."""
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield schemathesis.openapi.from_wsgi("/api/schema/", get_wsgi_application())
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.fixture
def fuzz_key(tree, desk):
    """A token of 芗城区 with every scope, over a few appeals in every state."""
    desk.in_town(now=at(2024, 3, 4))
    desk.replied(now=at(2024, 3, 5))
    desk.submit(now=at(2024, 3, 6), category=HOUSING)
    return integration_key(tree["xiangcheng"], rate_per_minute=6000)


def test_the_api_never_fails_and_answers_as_its_schema_says(api_schema, fuzz_key):
    operations = [result.ok() for result in api_schema.get_all_operations()]
    assert len(operations) == 13  # every operation of /api/v1/ is in the schema
    for operation in operations:

        @given(case=operation.as_strategy())
        @settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            suppress_health_check=list(HealthCheck),
        )
        def fuzz(case):
            case.call_and_validate(headers={"Authorization": f"Bearer {fuzz_key}"}, checks=CHECKS)

        fuzz()
