"""/api/v1/appeals/: submission (Idempotency-Key), reading and listing within the token's
units, and every handling step through the API."""

from collections import Counter

import pytest
from rest_framework.test import APIClient

from shishi.appeals.access import Perm
from shishi.appeals.models import Appeal, Channel, Status, Verdict
from shishi.appeals.tests.conftest import HOUSING
from shishi.appeals.tests.helpers import at, run_at_once

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
def test_submission_registers_an_appeal_at_the_tokens_unit(api, categories, tree):
    client = api(tree["city"], name="省12345平台")

    response = client.post(URL, _payload(categories), format="json")

    # created at the city, from the API channel, signed by the token's service account
    assert response.status_code == 201
    appeal = Appeal.objects.get()
    assert response.data["code"] == appeal.code
    assert response.data["status"] == Status.RECEIVED
    assert (appeal.channel, appeal.holder, appeal.created_by) == (
        Channel.API,
        tree["city"],
        client.token.person,
    )
    assert appeal.events.get().actor_label == "省12345平台（接口·漳州市）"
    assert "Idempotent-Replayed" not in response


@pytest.mark.django_db
def test_retry_with_the_same_key_replays_the_first_appeal(api, categories, tree):
    client = api(tree["city"])
    first = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-1")
    again = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-1")

    assert (first.status_code, again.status_code) == (201, 200)
    assert again.data["code"] == first.data["code"]
    assert again["Idempotent-Replayed"] == "true"
    assert Appeal.objects.count() == 1


@pytest.mark.django_db
def test_same_key_from_another_token_is_another_submission(api, categories, tree):
    one = api(tree["city"]).post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k")
    two = api(tree["city"]).post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k")

    assert (one.status_code, two.status_code) == (201, 201)
    assert one.data["code"] != two.data["code"]


@pytest.mark.django_db(transaction=True)
def test_concurrent_retries_with_one_key_create_exactly_one_appeal(api, categories, tree):
    key = api(tree["city"]).key
    payload = _payload(categories)

    def post():
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
        response = client.post(URL, payload, format="json", HTTP_IDEMPOTENCY_KEY="retry-42")
        return response.status_code, response.data.get("code"), response.get("Idempotent-Replayed")

    results = run_at_once(post, threads=6)

    assert not [r for r in results if isinstance(r, Exception)], results
    assert Appeal.objects.count() == 1
    code = Appeal.objects.get().code
    assert {r[1] for r in results} == {code}
    assert Counter((status, replayed) for status, _, replayed in results) == {
        (201, None): 1,
        (200, "true"): 5,
    }


@pytest.mark.django_db
def test_without_a_token_or_with_a_wrong_one_nothing_is_created(categories):
    anonymous = APIClient().post(URL, _payload(categories), format="json")
    wrong = APIClient()
    wrong.credentials(HTTP_AUTHORIZATION="Bearer ssk_not-a-token")
    guessed = wrong.post(URL, _payload(categories), format="json")

    assert anonymous.status_code == 401 and anonymous.json()["code"] == "unauthenticated"
    assert anonymous["WWW-Authenticate"] == 'Bearer realm="api"'
    assert guessed.status_code == 401 and guessed.json()["message"] == "令牌无效"
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_token_without_the_scope_is_forbidden(api, categories, tree):
    reader = api(tree["city"], scopes=[Perm.VIEW])

    response = reader.post(URL, _payload(categories), format="json")

    assert response.status_code == 403
    assert response.json() == {"code": "forbidden", "message": "该令牌的权限范围不含此操作"}
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_invalid_submission_is_refused_field_by_field_in_chinese(api, categories, tree):
    response = api(tree["city"]).post(
        URL, _payload(categories, reporter_phone="12345", town="999999999999"), format="json"
    )

    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "invalid"
    assert body["fields"]["reporter_phone"] == ["请输入11位手机号码"]
    assert body["message"] in {"请输入11位手机号码", "区划代码不存在"}
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_refused_submission_answers_400_with_the_reason(api, categories, tree):
    response = api(tree["city"]).post(
        URL,
        _payload(categories, county=tree["longwen"].code, town=tree["zhishan"].code),
        format="json",
    )

    assert response.status_code == 400
    assert response.json() == {"code": "refused", "message": "所选乡镇（街道）不属于所选县（区）"}
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_a_full_width_phone_is_stored_as_digits_and_other_scripts_are_refused(
    api, categories, tree
):
    client = api(tree["city"])
    taken = client.post(
        URL, _payload(categories, reporter_phone="１３９１２３４５６７８"), format="json"
    )
    refused = client.post(URL, _payload(categories, reporter_phone="1٣600000012"), format="json")

    assert taken.status_code == 201
    assert Appeal.objects.get().reporter_phone == "13912345678"
    assert refused.status_code == 400 and Appeal.objects.count() == 1


@pytest.mark.django_db
def test_idempotency_keys_reused_or_too_long_are_refused(api, categories, tree):
    client = api(tree["city"])
    first = client.post(URL, _payload(categories), format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    other = _payload(categories, content="另一件事：楼道里的灯也不亮了，已经一个星期。")
    reused = client.post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="k-9")
    longest = client.post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="k" * 100)
    too_long = client.post(URL, other, format="json", HTTP_IDEMPOTENCY_KEY="k" * 101)

    assert first.status_code == 201
    assert reused.status_code == 422 and reused.json()["code"] == "idempotency_key_reused"
    assert longest.status_code == 201
    assert too_long.status_code == 400 and "最长100" in too_long.json()["message"]
    assert Appeal.objects.count() == 2


@pytest.mark.django_db
def test_a_county_token_cannot_read_or_act_on_another_countys_appeals(api, desk, tree):
    # an appeal handled in 芗城区 (芝山街道); a token of 龙文区 with every scope
    appeal = desk.in_town(now=at(2024, 3, 4))
    longwen = api(tree["longwen"])
    xiangcheng = api(tree["xiangcheng"])

    # 龙文区 finds nothing: not to read, not to list, not to act on
    assert longwen.get(f"{URL}{appeal.code}/").status_code == 404
    assert longwen.get(URL).json()["results"] == []
    refused = longwen.post(f"{URL}{appeal.code}/return/", {"reason": "不属于我区"}, format="json")
    assert refused.status_code == 404 and refused.json()["code"] == "not_found"
    # 芗城区 reads it with its public timeline
    own = xiangcheng.get(f"{URL}{appeal.code}/")
    assert own.status_code == 200
    assert own.data["timeline"][0]["code"] == "received"
    assert appeal.code in [a["code"] for a in xiangcheng.get(URL).json()["results"]]


@pytest.mark.django_db
def test_list_filters_and_cursor_pages(api, desk, tree):
    appeals = [desk.submit(now=at(2024, 3, day)) for day in range(4, 9)]
    desk.dispatch(appeals[0], to="xiangcheng", now=at(2024, 3, 9))
    client = api(tree["city"])

    first = client.get(URL, {"size": 2})
    second = client.get(first.json()["next"])
    third = client.get(second.json()["next"])
    dispatched = client.get(URL, {"status": Status.DISPATCHED})
    wrong = client.get(URL, {"status": "nonsense"})
    unknown = client.get(URL, {"colour": "red"})

    codes = [a["code"] for page in (first, second, third) for a in page.json()["results"]]
    assert codes == [a.code for a in reversed(appeals)]
    assert third.json()["next"] is None
    assert [a["code"] for a in dispatched.json()["results"]] == [appeals[0].code]
    assert wrong.status_code == 400 and wrong.json()["fields"]["status"]
    assert unknown.status_code == 400 and unknown.json()["fields"] == {
        "colour": ["不支持该筛选参数"]
    }


@pytest.mark.django_db
def test_every_handling_step_through_the_api(api, desk, tree, categories):
    # the hotline receives it; the city dispatches to 芗城区, which passes it to 芝山街道
    city, county, town = api(tree["city"]), api(tree["xiangcheng"]), api(tree["zhishan"])
    code = city.post(URL, _payload(categories), format="json").data["code"]

    sent = city.post(f"{URL}{code}/dispatch/", {"to_unit": tree["xiangcheng"].code}, format="json")
    assert sent.status_code == 200 and sent.data["holder_code"] == tree["xiangcheng"].code
    assert county.post(f"{URL}{code}/sign/").data["status"] == Status.ACCEPTED
    county.post(f"{URL}{code}/dispatch/", {"to_unit": tree["zhishan"].code}, format="json")
    # 芝山街道 returns it with a reason; 芗城区 sends it again; 芝山街道 signs and answers
    returned = town.post(f"{URL}{code}/return/", {"reason": "不属于本街道辖区"}, format="json")
    assert returned.data["status"] == Status.RETURNED and returned.data["holder_code"] == (
        tree["xiangcheng"].code
    )
    county.post(f"{URL}{code}/dispatch/", {"to_unit": tree["zhishan"].code}, format="json")
    town.post(f"{URL}{code}/sign/")
    answer = {"kind": "solved", "text": "经现场核实，路灯已于今日修复，感谢监督。"}
    replied = town.post(f"{URL}{code}/reply/", answer, format="json")
    assert replied.data["status"] == Status.REPLIED
    # the hotline calls back: satisfied, solved — closed
    verdict = {"verdict": Verdict.SATISFIED, "solved": True}
    closed = city.post(f"{URL}{code}/callback/", verdict, format="json")
    assert closed.status_code == 200 and closed.data["status"] == Status.CLOSED
    assert [e["code"] for e in closed.data["timeline"]][-1] == "evaluated"


@pytest.mark.django_db
def test_steps_refused_by_state_answer_409_and_bad_input_400(api, desk, tree, categories):
    city, town = api(tree["city"]), api(tree["zhishan"])
    appeal = desk.in_town(now=at(2024, 3, 4))

    twice = town.post(f"{URL}{appeal.code}/sign/")
    not_holder = city.post(f"{URL}{appeal.code}/sign/")
    short = town.post(f"{URL}{appeal.code}/reply/", {"kind": "solved", "text": "好"}, format="json")
    nowhere = town.post(f"{URL}{appeal.code}/dispatch/", {"to_unit": "999"}, format="json")
    unsatisfied = city.post(
        f"{URL}{appeal.code}/callback/", {"verdict": Verdict.UNSATISFIED}, format="json"
    )

    assert twice.status_code == 409 and twice.json()["code"] == "conflict"
    assert not_holder.status_code == 409
    assert short.status_code == 400 and "text" in short.json()["fields"]
    assert nowhere.status_code == 400 and "to_unit" in nowhere.json()["fields"]
    assert unsatisfied.status_code == 400 and "note" in unsatisfied.json()["fields"]
    appeal.refresh_from_db()
    assert appeal.status == Status.ACCEPTED
