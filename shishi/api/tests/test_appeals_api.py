"""POST /api/v1/appeals/ (token, Idempotency-Key) and GET /api/v1/appeals/<code>/."""

from collections import Counter
from datetime import timedelta

import pytest
from django.utils import timezone
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from shishi.appeals import actions
from shishi.appeals.models import Appeal, Channel, Status
from shishi.appeals.tests.conftest import HOUSING
from shishi.appeals.tests.helpers import at, run_at_once
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role

URL = "/api/v1/appeals/"


def _payload(categories, **extra) -> dict:
    return {
        "kind": "help",
        "category": categories[HOUSING].pk,
        "content": "小区门口路灯坏了一个多月，夜间出行很不安全。",
        "reporter_phone": "13912345678",
        **extra,
    }


@pytest.mark.django_db
def test_submission_registers_an_appeal_at_the_operators_unit(api, operator, categories, tree):
    # when an integration submits an appeal with the operator's token
    response = api(operator).post(URL, _payload(categories), format="json")

    # then it is created at the city, from the API channel, and described back
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert response.data["code"] == appeal.code
    assert response.data["status"] == Status.RECEIVED
    assert (appeal.channel, appeal.holder, appeal.created_by) == (
        Channel.API,
        tree["city"],
        operator,
    )
    assert "Idempotent-Replayed" not in response


@pytest.mark.django_db
def test_retry_with_the_same_key_replays_the_first_appeal(api, operator, categories):
    # given a submission with an idempotency key
    client = api(operator)
    first = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    # when it is retried with the same key
    again = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    # then the retry answers 200 with the same appeal and says it is a replay
    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data["code"] == first.data["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
def test_same_key_from_another_account_is_another_submission(api, operator, categories, tree):
    # given a second operator account
    other = PersonFactory(username="operator2", unit=tree["city"], role=Role.OPERATOR)

    # when both submit with the same key
    one = api(operator).post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k")
    two = api(other).post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k")

    # then keys are per account: two appeals
    assert (one.status_code, two.status_code) == (201, 201)
    assert one.data["code"] != two.data["code"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_exactly_one_appeal(api, operator, categories):
    # given an integration that fires the same submission six times at once
    token = Token.objects.create(user=operator).key
    payload = _payload(categories)

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-42")
        return response.status_code, response.data.get("code"), response.get("Idempotent-Replayed")

    # when they all arrive together
    results = run_at_once(post, threads=6)

    # then one appeal exists; one answer created it, the others replayed it, same code
    assert not [r for r in results if isinstance(r, Exception)], results
    assert Appeal.objects.count() == 1
    code = Appeal.objects.get().code
    assert {r[1] for r in results} == {code}
    assert Counter((status, replayed) for status, _, replayed in results) == {
        (201, None): 1,
        (200, "true"): 5,
    }


@pytest.mark.django_db
def test_submission_without_a_token_is_unauthorized(categories):
    # when an anonymous client posts, then it is turned away and nothing is created
    response = APIClient().post(URL, _payload(categories), format="json")
    assert response.status_code == 401
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_clerk_token_cannot_submit(api, town_clerk, categories):
    # when a town clerk's token posts a submission
    response = api(town_clerk).post(URL, _payload(categories), format="json")

    # then it is forbidden and nothing is created
    assert response.status_code == 403
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_invalid_submission_is_refused_with_chinese_messages(api, operator, categories):
    # when the phone is malformed and the town code unknown
    response = api(operator).post(
        URL, _payload(categories, reporter_phone="12345", town="999999999999"), format="json"
    )

    # then it is refused field by field and nothing is created
    assert response.status_code == 400
    assert response.data["reporter_phone"] == ["请输入11位手机号码"]
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_detail_shows_the_public_timeline_within_the_subtree(
    api, desk, operator, town_clerk, outsider
):
    # given an appeal at 芝山街道 with an internal extension request
    appeal = desk.in_town(now=at(2024, 3, 4))
    actions.request_extension(
        appeal=appeal, actor=desk.town, days=2, reason="需协调", now=at(2024, 3, 5)
    )

    # when the town and the sibling town read it
    own = api(town_clerk).get(f"{URL}{appeal.code}/")
    sibling = api(outsider).get(f"{URL}{appeal.code}/")

    # then the town gets the public timeline, the sibling town nothing
    assert own.status_code == 200
    assert [e["verb"] for e in own.data["timeline"]] == ["受理", "派单", "派单", "签收"]
    assert sibling.status_code == 404


@pytest.mark.django_db
def test_longest_allowed_idempotency_key_fits_the_column(api, operator, categories):
    # given the longest key the API documents (100 characters)
    key = "k" * 100

    # when a submission carries it
    response = api(operator).post(
        URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY=key
    )

    # then it is accepted and stored within the column's limit
    assert response.status_code == 201
    stored = Appeal.objects.get().idempotency_key
    assert len(stored) <= Appeal._meta.get_field("idempotency_key").max_length


@pytest.mark.django_db
def test_a_refused_submission_answers_400_with_the_reason(api, operator, categories, tree):
    # when the town given does not lie in the county given
    response = api(operator).post(
        URL,
        _payload(categories, county=tree["longwen"].code, town=tree["zhishan"].code),
        format="json",
    )

    # then the action's refusal comes back as the detail of a 400, and nothing is created
    assert response.status_code == 400
    assert response.json() == {"detail": "所选乡镇（街道）不属于所选县（区）"}
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_full_width_phone_is_stored_as_digits_and_other_scripts_are_refused(
    api, operator, categories
):
    client = api(operator)
    taken = client.post(
        URL, _payload(categories, reporter_phone="１３９１２３４５６７８"), format="json"
    )
    refused = client.post(URL, _payload(categories, reporter_phone="1٣600000012"), format="json")

    assert taken.status_code == 201
    assert Appeal.objects.get().reporter_phone == "13912345678"
    assert refused.status_code == 400 and Appeal.objects.count() == 1


@pytest.mark.django_db
def test_a_key_reused_for_a_different_submission_is_refused_with_422(api, operator, categories):
    client = api(operator)
    first = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    other = _payload(categories, content="另一件事：楼道里的灯也不亮了，已经一个星期。")
    reused = client.post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="k-9")

    assert first.status_code == 201
    assert reused.status_code == 422 and "Idempotency-Key" in reused.json()["detail"]
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
def test_a_key_over_the_limit_is_refused_not_cut(api, operator, categories):
    response = api(operator).post(
        URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k" * 101
    )
    assert response.status_code == 400 and "最长100" in response.json()["detail"]
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_an_expired_token_is_refused(api, operator, categories, settings):
    client = api(operator)
    Token.objects.filter(user=operator).update(
        created=timezone.now() - timedelta(days=settings.API_TOKEN_DAYS + 1)
    )
    response = client.post(URL, _payload(categories), format="json")
    assert response.status_code == 401 and "有效期" in response.json()["detail"]


@pytest.mark.django_db
def test_tokens_die_with_a_password_reset_or_a_revoked_role(
    api, operator, city_admin, categories, tree
):
    from shishi.orgs import actions as org_actions
    from shishi.orgs.models import Membership
    from shishi.testing import actor_of

    admin = actor_of(city_admin)
    client = api(operator)
    org_actions.reset_password(actor=admin, person=operator, password="Another-Pass-2026!")
    assert client.post(URL, _payload(categories), format="json").status_code == 401

    client = api(operator)
    extra = Membership.objects.create(
        person=operator, unit=tree["xiangcheng"], role=Role.UNIT_CLERK
    )
    org_actions.revoke_role(actor=admin, membership=extra)
    assert client.post(URL, _payload(categories), format="json").status_code == 401
    assert not Appeal.objects.exists()
