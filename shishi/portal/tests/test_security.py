"""Findings of a security review, each pinned so it cannot come back."""

import pytest
from django.test import RequestFactory

from shishi.appeals import actions
from shishi.core.errors import Refused
from shishi.core.ratelimit import client_ip
from shishi.orgs.access import actor_for
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Membership, Role
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_only_the_holder_or_first_receiver_may_merge_an_appeal(desk, tree):
    # given an appeal held by 芝山街道 and the leader of 芗城区, who can see it
    duplicate = desk.in_town(now=at(2026, 3, 2))
    primary = desk.in_town(now=at(2026, 3, 2, 11))
    leader = actor_for(
        PersonFactory(username="xc_lead", unit=tree["xiangcheng"], role=Role.UNIT_LEADER), None
    )
    # when the county leader merges it away, then it is refused
    with pytest.raises(Refused, match="只有当前承办单位或首接单位"):
        actions.merge_appeal(duplicate=duplicate, primary=primary, actor=leader, now=at(2026, 3, 3))


def test_a_unit_leader_cannot_grant_a_role_with_rights_they_lack(tree, login, town_clerk):
    # given the leader of 芗城区 (no hotline rights of their own)
    leader = PersonFactory(username="xc_lead", unit=tree["xiangcheng"], role=Role.UNIT_LEADER)
    # when they try to make the 芝山 clerk a hotline operator (受理员 may record verdicts)
    response = login(leader).post(
        f"/staff/people/{town_clerk.pk}/grant/", {"unit": tree["zhishan"].pk, "role": Role.OPERATOR}
    )
    # then it is refused and nothing is granted
    assert response.status_code == 403
    assert not Membership.objects.filter(person=town_clerk, role=Role.OPERATOR).exists()
    assert Role.OPERATOR not in actor_for(leader, None).grantable_roles()


def test_a_unit_cannot_record_the_verdict_on_its_own_reply(desk, tree):
    # given an appeal replied by 芝山街道, and a 芝山 person who is also an operator there
    appeal = desk.replied(now=at(2026, 3, 2))
    own = PersonFactory(username="zs_op", unit=tree["zhishan"], role=Role.OPERATOR)
    # when they record 满意 for their own unit's answer, then it is refused
    with pytest.raises(Refused, match="不能回访本单位的答复"):
        actions.record_verdict(
            appeal=appeal, verdict="satisfied", actor=actor_for(own, None), now=at(2026, 3, 3)
        )


def test_the_client_address_comes_from_the_trusted_proxy_hop(settings):
    request = RequestFactory().get(
        "/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7"
    )
    settings.PROXY_COUNT = 0
    assert client_ip(request) == "10.0.0.2"
    # behind one proxy (nginx appends the real client), a forged first hop is ignored
    settings.PROXY_COUNT = 1
    assert client_ip(request) == "203.0.113.7"
    # a hop that is not an address falls back to the connection's own address
    garbage = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="x, <b>")
    assert client_ip(garbage) == "10.0.0.2"


def test_people_cannot_be_found_by_a_phone_suffix(login, city_admin, town_clerk):
    client = login(city_admin)
    rows = client.get("/staff/people/", {"q": town_clerk.phone[-4:]}).context["rows"]
    assert town_clerk.pk not in [person.pk for person, _ in rows]
    rows = client.get("/staff/people/", {"q": town_clerk.phone}).context["rows"]
    assert town_clerk.pk in [person.pk for person, _ in rows]


def test_appeal_exports_keep_formula_like_text_inert(desk, login, operator):
    import csv
    import io

    from openpyxl import load_workbook

    desk.submit(now=at(2026, 3, 2), title='=HYPERLINK("http://e.cn","详情")')
    client = login(operator)
    response = client.get("/staff/appeals/export.csv", {"queue": "all"})
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    assert rows[1][5].startswith("'=HYPERLINK")
    response = client.get("/staff/appeals/export.xlsx", {"queue": "all"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    assert sheet["F2"].data_type == "s" and sheet["F2"].value.startswith("=HYPERLINK")


def test_an_outsider_posting_a_merge_finds_nothing(desk, login, outsider):
    # given an appeal of 芝山街道, and the clerk of the sibling town 西桥
    appeal = desk.in_town(now=at(2026, 3, 2))
    # when the 西桥 clerk posts a merge of it (naming one of their own as primary or not)
    response = login(outsider).post(
        f"/staff/appeals/{appeal.code}/merge/", {"primary": "ZZ20260302-00099"}
    )
    # then the appeal is not found, and nothing changed
    assert response.status_code == 404
    appeal.refresh_from_db()
    assert appeal.merged_into is None
