"""Pioneer posts and responsibility areas with their service records, linked to appeals their
unit handled (and only those)."""

from datetime import date

import pytest
from django.http import Http404
from django.urls import reverse

from shishi.appeals import actions as appeal_actions
from shishi.appeals.models import Category
from shishi.core.errors import Refused
from shishi.orgs.access import actor_for
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.outreach import access, actions
from shishi.outreach.models import PioneerPost, ServiceRecord
from shishi.outreach.tests.conftest import NOW, make_post
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def _appeal_for(tree, unit):
    """An appeal dispatched by the city hotline to `unit`."""
    operator = PersonFactory(unit=tree["city"], role=Role.OPERATOR)
    appeal_actions.import_categories(rows=[("城乡建设", "市政设施", "路灯")])
    appeal, _ = appeal_actions.submit_appeal(
        submission=appeal_actions.Submission(
            channel="operator",
            kind="help",
            category=Category.objects.get(name="路灯"),
            content="小区门口路灯不亮，晚上出行不便。",
            reporter_phone="13900000001",
        ),
        receiver=tree["city"],
        by=actor_for(operator, None),
        now=at(2024, 6, 1),
    )
    appeal_actions.dispatch_appeal(
        appeal=appeal, actor=actor_for(operator, None), to_unit=unit, now=at(2024, 6, 1, 11)
    )
    return appeal


def _record(person, post, **fields):
    data = {"served_on": date(2024, 6, 10), "content": "帮助独居老人办理医保", "served": 1}
    return actions.record_service(
        post=post,
        data=actions.ServiceData(**(data | fields)),
        actor=actor_of(person),
        now=NOW,
    )


def test_a_post_needs_duties_and_a_holder(tree, town_clerk):
    with pytest.raises(Refused, match="请填写岗位职责"):
        make_post(town_clerk, tree["zhishan"], duties=" ")
    with pytest.raises(Refused, match="至少填写一名岗位人员"):
        make_post(town_clerk, tree["zhishan"], outside_holders="")
    post = make_post(town_clerk, tree["zhishan"], holders=(town_clerk,), kind="area")
    assert post.get_kind_display() == "党员责任区"


def test_a_service_record_links_an_appeal_the_unit_handled(tree, town_clerk):
    post = make_post(town_clerk, tree["zhishan"])
    appeal = _appeal_for(tree, tree["zhishan"])

    record = _record(town_clerk, post, appeal_code=appeal.code.lower())

    assert record.appeal == appeal


def test_an_appeal_another_unit_handled_is_not_linked(tree, town_clerk, county_clerk, outsider):
    post = make_post(town_clerk, tree["zhishan"])
    appeal = _appeal_for(tree, tree["xiqiao"])

    # even the county, which sees both, cannot credit 芝山 with 西桥's appeal
    with pytest.raises(Refused, match="没有找到芝山街道承办过的诉求"):
        _record(county_clerk, post, appeal_code=appeal.code)
    with pytest.raises(Refused, match="请核对受理编号"):
        _record(town_clerk, post, appeal_code="ZZ20240601-99999")
    assert not ServiceRecord.objects.exists()


def test_a_service_record_does_not_come_before_the_appeal_it_solved(tree, town_clerk):
    post = make_post(town_clerk, tree["zhishan"])
    appeal = _appeal_for(tree, tree["zhishan"])  # received 2024-06-01

    with pytest.raises(Refused, match="服务日期早于诉求"):
        _record(town_clerk, post, served_on=date(2024, 5, 30), appeal_code=appeal.code)


def test_a_service_record_is_not_dated_ahead(tree, town_clerk):
    post = make_post(town_clerk, tree["zhishan"])

    with pytest.raises(Refused, match="服务日期不能晚于今天"):
        _record(town_clerk, post, served_on=date(2024, 6, 13))


def test_outsiders_do_not_find_a_post(tree, town_clerk, outsider):
    post = make_post(town_clerk, tree["zhishan"])

    with pytest.raises(Http404):
        access.access_post(actor_of(outsider), post.pk)


def test_the_post_page_records_service_with_an_appeal_and_links_it(
    tree, login, clock, town_clerk, django_assert_max_num_queries
):
    post = make_post(town_clerk, tree["zhishan"])
    appeal = _appeal_for(tree, tree["zhishan"])
    client = login(town_clerk)
    url = reverse("outreach:post", args=[post.pk])

    response = client.post(
        url,
        {
            "served_on": "2024-06-11",
            "content": "修复路灯并回访",
            "served": "15",
            "appeal_code": appeal.code,
        },
    )

    assert response.status_code == 302
    with django_assert_max_num_queries(14):
        page = client.get(url)
    body = page.content.decode()
    assert "修复路灯并回访" in body and appeal.code in body


def test_the_post_list_filters_by_kind_and_pins_queries(
    tree, login, clock, town_clerk, django_assert_max_num_queries
):
    for n in range(8):
        make_post(town_clerk, tree["zhishan"], name=f"先锋岗{n}", kind="post" if n % 2 else "area")
    client = login(town_clerk)

    with django_assert_max_num_queries(12):
        page = client.get(reverse("outreach:posts"), {"kind": "area"})

    assert page.context["page"].paginator.count == 4
    assert [n for _, _, n in page.context["kind_counts"]] == [0, 4]
    assert PioneerPost.objects.count() == 8


def test_the_empty_post_list_says_what_to_do(login, clock, town_clerk):
    body = login(town_clerk).get(reverse("outreach:posts")).content.decode()

    assert "还没有设立党员先锋岗或责任区" in body


def test_the_post_side_removes_a_mistaken_record(tree, login, clock, town_clerk, outsider):
    post = make_post(town_clerk, tree["zhishan"])
    record = _record(town_clerk, post)
    url = reverse("outreach:service_remove", args=[record.pk])

    assert login(outsider).post(url).status_code == 404
    assert login(town_clerk).post(url).status_code == 302
    assert not ServiceRecord.objects.exists()
