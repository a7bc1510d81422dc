"""Open311 GeoReport v2 at /open311/v2/: every endpoint in JSON and XML with the
specification's element names, its error cases and the 90-day window, and a request that
becomes an appeal in the staff queue and is followed to closed."""

from datetime import timedelta
from decimal import Decimal
from xml.etree import ElementTree as ET

import eviltransform
import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shishi.api.open311 import views
from shishi.appeals.access import Perm
from shishi.appeals.models import Appeal, Category, Channel, Kind, Verdict
from shishi.appeals.tests.conftest import HOUSING
from shishi.testing import integration_key

BASE = "/open311/v2"
DESCRIPTION = "芝山路与胜利路交叉口的路灯不亮已经一周，夜间行人很多，存在安全隐患。"


@pytest.fixture
def county_division(tree):
    """芗城区 as a public division (the county attribute's values)."""
    return tree["xiangcheng"]


@pytest.fixture
def key(tree):
    return integration_key(tree["city"], name="市民App")


def _post(fmt="json", **params):
    return Client().post(f"{BASE}/requests.{fmt}", params)


def _request(key, categories, **extra) -> dict:
    return {
        "api_key": key,
        "service_code": str(categories[HOUSING].pk),
        "lat": "24.513456",
        "long": "117.647321",
        "description": DESCRIPTION,
        "phone": "13912345678",
        "first_name": "先生",
        "last_name": "林",
        "attribute[kind]": Kind.COMPLAINT,
        **extra,
    }


def _xml(response) -> ET.Element:
    assert response["Content-Type"].startswith("text/xml")
    return ET.fromstring(response.content)


# --- discovery, services, definitions -----------------------------------------------------------


@pytest.mark.django_db
def test_discovery_in_json_and_xml():
    as_json = Client().get(f"{BASE}/discovery.json").json()
    as_xml = _xml(Client().get(f"{BASE}/discovery.xml"))

    assert as_json["endpoints"][0]["specification"] == "http://wiki.open311.org/GeoReport_v2"
    assert as_json["endpoints"][0]["url"].endswith("/open311/v2")
    assert as_xml.tag == "discovery"
    assert {e.tag for e in as_xml} == {"changeset", "contact", "key_service", "endpoints"}
    formats = [f.text for f in as_xml.find("endpoints/endpoint/formats")]
    assert formats == ["application/json", "text/xml"]
    assert as_xml.find("endpoints/endpoint/type").text == "production"


@pytest.mark.django_db
def test_one_service_per_leaf_category_with_string_codes(categories):
    as_json = Client().get(f"{BASE}/services.json").json()
    as_xml = _xml(Client().get(f"{BASE}/services.xml"))

    leaves = Category.objects.filter(children__isnull=True, level__gte=2)
    assert sorted(s["service_code"] for s in as_json) == sorted(str(c.pk) for c in leaves)
    assert all(isinstance(s["service_code"], str) and s["metadata"] is True for s in as_json)
    housing = next(s for s in as_json if s["service_code"] == str(categories[HOUSING].pk))
    assert (housing["service_name"], housing["group"], housing["type"]) == (
        "住房保障",
        "城乡建设",
        "realtime",
    )
    assert as_xml.tag == "services" and {e.tag for e in as_xml} == {"service"}
    fields = {e.tag for e in as_xml[0]}
    assert fields == {
        "service_code", "service_name", "description", "metadata", "type", "keywords", "group"
    }  # fmt: skip
    assert as_xml[0].find("metadata").text == "true"
    # 城乡建设/安全生产 has sub-categories: it is a group, not a service
    assert str(Category.objects.get(full_name="城乡建设/安全生产").pk) not in [
        s["service_code"] for s in as_json
    ]


@pytest.mark.django_db
def test_a_service_definition_lists_its_attributes(categories, county_division):
    code = categories[HOUSING].pk
    as_json = Client().get(f"{BASE}/services/{code}.json").json()
    as_xml = _xml(Client().get(f"{BASE}/services/{code}.xml"))

    kind = as_json["attributes"][0]
    assert (as_json["service_code"], kind["code"], kind["datatype"], kind["required"]) == (
        str(code),
        "kind",
        "singlevaluelist",
        True,
    )
    assert {"key": Kind.COMPLAINT, "name": "投诉"} in kind["values"]
    county = next(a for a in as_json["attributes"] if a["code"] == "county")
    assert {"key": county_division.code, "name": "芗城区"} in county["values"]
    assert as_xml.tag == "service_definition"
    attribute = as_xml.find("attributes/attribute")
    assert {e.tag for e in attribute} == {
        "variable", "code", "datatype", "required", "datatype_description", "order",
        "description", "values",
    }  # fmt: skip
    assert attribute.find("values/value/key").text == Kind.CONSULT


@pytest.mark.django_db
@pytest.mark.parametrize("fmt", ["json", "xml"])
def test_an_unknown_service_is_a_404_error_list(fmt, categories):
    response = Client().get(f"{BASE}/services/999999.{fmt}")
    assert response.status_code == 404
    if fmt == "json":
        assert response.json() == [{"code": 404, "description": "service_code “999999” 不存在"}]
    else:
        root = _xml(response)
        assert root.tag == "errors" and root.find("error/code").text == "404"


# --- POST requests --------------------------------------------------------------------------------


@pytest.mark.django_db
def test_a_request_becomes_an_appeal_in_the_staff_queue(
    key, categories, tree, login, operator, county_division
):
    response = _post(
        **_request(
            key,
            categories,
            **{"attribute[county]": county_division.code, "attribute[title]": "路口路灯不亮"},
            media_url="https://img.example.cn/a/1.jpg",
        )
    )

    assert response.status_code == 200
    [answer] = response.json()
    appeal = Appeal.objects.get()
    assert answer["service_request_id"] == appeal.code
    assert answer["token"] and "已受理" in answer["service_notice"]
    assert (appeal.channel, appeal.kind, appeal.county, appeal.title) == (
        Channel.OPEN311,
        Kind.COMPLAINT,
        county_division,
        "路口路灯不亮",
    )
    assert (appeal.lat, appeal.lng) == (Decimal("24.513456"), Decimal("117.647321"))
    assert appeal.reporter_name == "林 先生"
    assert appeal.content.endswith("照片链接：https://img.example.cn/a/1.jpg")
    # the hotline sees it waiting to be dispatched, with what the client said
    queue = login(operator).get(reverse("appeals:queue") + "?queue=to_dispatch")
    assert appeal.code in queue.content.decode()
    page = login(operator).get(reverse("appeals:detail", args=[appeal.code])).content.decode()
    assert "路口路灯不亮" in page and "芗城区" in page and "投诉" in page


@pytest.mark.django_db
def test_the_answer_to_a_post_in_xml(key, categories):
    root = _xml(_post("xml", **_request(key, categories)))
    assert root.tag == "service_requests"
    request = root.find("request")
    assert {e.tag for e in request} == {
        "service_request_id", "token", "service_notice", "account_id"
    }  # fmt: skip


@pytest.mark.django_db
def test_gcj02_coordinates_are_converted_to_wgs84(key, categories):
    # a point at 24.513456, 117.647321 (GPS), as a 高德 map (GCJ-02) of 漳州 shows it
    lat, lng = eviltransform.wgs2gcj(24.513456, 117.647321)
    assert abs(lat - 24.513456) + abs(lng - 117.647321) > 0.003  # hundreds of metres off

    _post(
        **_request(key, categories, lat=f"{lat:.6f}", long=f"{lng:.6f}", coordinate_system="gcj02")
    )

    # stored where it is on the ground, to within about a metre
    appeal = Appeal.objects.get()
    assert abs(float(appeal.lat) - 24.513456) < 0.00001
    assert abs(float(appeal.lng) - 117.647321) < 0.00001


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("change", "status", "says"),
    [
        ({"api_key": ""}, 403, "缺少 api_key"),
        ({"api_key": "ssk_guess"}, 403, "api_key 无效"),
        ({"service_code": "999999"}, 404, "service_code"),
        ({"lat": "", "long": ""}, 400, "需要位置"),
        ({"description": "长" * 4001}, 400, "description 最长4000字"),
        ({"attribute[kind]": ""}, 400, "attribute[kind]：必填"),
        ({"attribute[kind]": "praise"}, 400, "不在服务定义的可选值中"),
        ({"attribute[colour]": "red"}, 400, "attribute[colour]：该服务没有此属性"),
        ({"phone": ""}, 400, "phone："),
        ({"coordinate_system": "mars"}, 400, "coordinate_system"),
        ({"media_url": "javascript:alert(1)"}, 400, "media_url"),
        ({"jurisdiction_id": "xiamen.gov.cn"}, 404, "jurisdiction_id"),
    ],
)
def test_a_bad_request_is_refused_with_the_spec_errors_and_nothing_is_created(
    key, categories, change, status, says
):
    response = _post(**(_request(key, categories) | change))

    assert response.status_code == status
    errors = response.json()
    assert all(e["code"] == status for e in errors)
    assert any(says in e["description"] for e in errors), errors
    assert not Appeal.objects.exists()


@pytest.mark.django_db
def test_exactly_4000_characters_are_taken(key, categories):
    assert _post(**_request(key, categories, description="长" * 4000)).status_code == 200


@pytest.mark.django_db
def test_a_key_that_may_only_read_cannot_post(tree, categories):
    reader = integration_key(tree["city"], scopes=[Perm.VIEW])
    response = _post(**_request(reader, categories))
    assert response.status_code == 403 and not Appeal.objects.exists()


# --- GET requests, requests/<id>, tokens ----------------------------------------------------------


@pytest.mark.django_db
def test_a_request_is_followed_to_closed(key, categories, desk):
    posted = _post(**_request(key, categories)).json()[0]
    code = posted["service_request_id"]

    def follow(fmt="json"):
        return Client().get(f"{BASE}/requests/{code}.{fmt}", {"api_key": key})

    opened = follow().json()[0]
    appeal = Appeal.objects.get()
    now = timezone.now()
    desk.dispatch(appeal, to="xiangcheng", now=now)
    desk.dispatch(appeal, to="zhishan", now=now)
    desk.sign(appeal, now=now)
    handled = follow().json()[0]
    desk.reply(appeal, now=now)
    from shishi.appeals import actions

    actions.record_verdict(
        appeal=appeal, verdict=Verdict.SATISFIED, solved=True, actor=desk.operator, now=now
    )
    closed = follow().json()[0]
    as_xml = _xml(follow("xml"))

    assert (opened["status"], opened["agency_responsible"]) == ("open", "漳州市")
    assert opened["requested_datetime"].endswith("+08:00")
    assert (handled["status"], handled["agency_responsible"]) == ("open", "芝山街道")
    assert handled["expected_datetime"] is not None
    assert (closed["status"], closed["status_notes"]) == ("closed", "已办结（已解决）")
    assert closed["updated_datetime"] >= handled["updated_datetime"]
    assert as_xml.tag == "service_requests"
    assert {e.tag for e in as_xml.find("request")} == {
        "service_request_id", "status", "status_notes", "service_name", "service_code",
        "description", "agency_responsible", "service_notice", "requested_datetime",
        "updated_datetime", "expected_datetime", "address", "address_id", "zipcode", "lat",
        "long", "media_url",
    }  # fmt: skip
    assert as_xml.find("request/status").text == "closed"
    # the token given at POST finds the same request
    token = Client().get(f"{BASE}/tokens/{posted['token']}.json", {"api_key": key}).json()
    assert token == [{"service_request_id": code, "token": posted["token"]}]
    token_xml = _xml(Client().get(f"{BASE}/tokens/{posted['token']}.xml", {"api_key": key}))
    assert token_xml.tag == "service_requests"
    assert token_xml.find("request/service_request_id").text == code
    assert token_xml.find("request/token").text == posted["token"]


@pytest.mark.django_db
def test_a_forged_token_or_another_units_request_is_not_found(key, categories, tree):
    posted = _post(**_request(key, categories)).json()[0]
    other = integration_key(tree["longwen"])

    forged = Client().get(
        f"{BASE}/tokens/{posted['service_request_id']}:forged.json", {"api_key": key}
    )
    theirs = Client().get(f"{BASE}/requests/{posted['service_request_id']}.xml", {"api_key": other})
    anonymous = Client().get(f"{BASE}/requests/{posted['service_request_id']}.json")

    assert forged.status_code == 404
    assert theirs.status_code == 404 and _xml(theirs).find("error/code").text == "404"
    assert anonymous.status_code == 403


@pytest.mark.django_db
def test_get_requests_keeps_to_90_days_and_filters(key, desk, categories):
    now = timezone.now()
    old = desk.submit(now=now - timedelta(days=120))
    recent = desk.submit(now=now - timedelta(days=10))
    closed = desk.submit(
        now=now - timedelta(days=5), direct_reply="电话中已解答清楚，群众表示满意。"
    )
    from shishi.appeals import actions

    actions.record_verdict(
        appeal=closed, verdict=Verdict.SATISFIED, solved=True, actor=desk.operator, now=now
    )

    def ids(**params):
        response = Client().get(f"{BASE}/requests.json", {"api_key": key, **params})
        assert response.status_code == 200, response.content
        return [r["service_request_id"] for r in response.json()]

    stamp = "%Y-%m-%dT%H:%M:%S+08:00"
    local = timezone.localtime
    assert ids() == [closed.code, recent.code]  # the last 90 days, newest first
    assert ids(status="open") == [recent.code]
    assert ids(status="closed") == [closed.code]
    assert ids(status="open,closed") == [closed.code, recent.code]
    assert ids(start_date=local(now - timedelta(days=130)).strftime(stamp)) == [old.code]
    assert ids(service_request_id=f"{old.code},{recent.code}") == [recent.code, old.code]
    assert ids(service_code=str(categories[HOUSING].pk), end_date=local(now).strftime(stamp))
    too_wide = Client().get(
        f"{BASE}/requests.json",
        {
            "api_key": key,
            "start_date": local(now - timedelta(days=91)).strftime(stamp),
            "end_date": local(now).strftime(stamp),
        },
    )
    assert too_wide.status_code == 400 and "90天" in too_wide.json()[0]["description"]
    wrong = Client().get(f"{BASE}/requests.json", {"api_key": key, "start_date": "昨天"})
    assert wrong.status_code == 400


@pytest.mark.django_db
def test_get_requests_answers_at_most_1000_in_a_fixed_number_of_queries(key, desk, monkeypatch):
    now = timezone.now()
    for day in range(4):
        desk.submit(now=now - timedelta(days=day + 1))
    monkeypatch.setattr(views, "REQUESTS_MAX", 3)

    with CaptureQueriesContext(connection) as queries:
        response = Client().get(f"{BASE}/requests.xml", {"api_key": key})

    assert len(_xml(response).findall("request")) == 3
    # the token (read, touched, rate counted) and one query for the rows with their events
    assert len([q for q in queries if "appeals_appeal" in q["sql"]]) == 1


@pytest.mark.django_db
def test_rate_limited_calls_are_told_when_to_retry(tree, categories):
    key = integration_key(tree["city"], rate_per_minute=1)
    assert Client().get(f"{BASE}/requests.json", {"api_key": key}).status_code == 200
    limited = Client().get(f"{BASE}/requests.json", {"api_key": key})
    assert limited.status_code == 429 and int(limited["Retry-After"]) >= 1
