"""The desk's staff pages driven through their forms, and list query counts pinned."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from shishi.appeals.models import Appeal
from shishi.enterprises import actions
from shishi.enterprises.models import Benefit, Enterprise, Pairing, Visit
from shishi.enterprises.tests.conftest import CODES, NOW, enterprise_data
from shishi.testing import actor_of

VALID = {
    "credit_code": CODES[1],
    "name": "福建漳州发展股份有限公司",
    "industry": "D",
    "size": "large",
    "address": "龙文区水仙大街",
    "contact_name": "黄科长",
    "contact_phone": "13905960002",
}


def test_the_office_registers_an_enterprise_through_the_form(login, tree, county_clerk):
    client = login(county_clerk)
    response = client.post(reverse("enterprises:new"), VALID | {"county": tree["xiangcheng"].pk})
    enterprise = Enterprise.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("enterprises:detail", args=[enterprise.pk])
    page = client.get(response.url).content.decode()
    assert "139****0002" in page
    assert "13905960002" not in page


def test_a_wrong_credit_code_is_named_on_the_form_and_nothing_saved(login, tree, county_clerk):
    response = login(county_clerk).post(
        reverse("enterprises:new"),
        VALID | {"credit_code": "91110000802100433C", "county": tree["xiangcheng"].pk},
    )
    assert response.status_code == 200
    assert "第18位校验码“C”不正确（按前17位应为“B”）" in response.content.decode()
    assert not Enterprise.objects.exists()


def test_the_office_pairs_a_cadre_through_the_form(login, tree, county_clerk, town_clerk):
    office = actor_of(county_clerk)
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"]), actor=office, now=NOW
    )
    client = login(county_clerk)
    url = reverse("enterprises:pair", args=[enterprise.pk])
    assert town_clerk.name in client.get(url, {"unit": tree["zhishan"].pk}).content.decode()
    response = client.post(
        url,
        {"unit": tree["zhishan"].pk, "cadre": town_clerk.pk, "starts_on": "2026-01-05"},
    )
    assert response.status_code == 302
    assert Pairing.objects.get().cadre == town_clerk


def test_a_cadre_records_a_visit_and_raises_a_problem_into_their_units_queue(
    login, desk, tree, town_clerk
):
    client = login(town_clerk)
    assert desk.enterprise.name in client.get(reverse("enterprises:mine")).content.decode()
    response = client.post(
        reverse("enterprises:visit_new", args=[desk.pairing.pk]),
        {
            "visited_on": date.today().isoformat(),
            "form": "meeting",
            "discussed": "座谈了解企业用工需求",
            "problems": "招工难，缺熟练技工",
        },
    )
    visit = Visit.objects.get()
    assert response.url == reverse("enterprises:visit", args=[visit.pk])
    raised = client.post(
        reverse("enterprises:raise", args=[visit.pk]),
        {
            "kind": "help",
            "title": "缺熟练技工",
            "content": "招工难，缺熟练技工，请协调人社部门对接",
        },
    )
    assert raised.status_code == 302
    appeal = Appeal.objects.get()
    assert appeal.first_receiver == tree["zhishan"]
    queue = client.get(reverse("appeals:queue") + "?queue=to_dispatch").content.decode()
    assert appeal.code in queue


def test_a_future_visit_is_refused_on_the_form(login, desk, town_clerk):
    response = login(town_clerk).post(
        reverse("enterprises:visit_new", args=[desk.pairing.pk]),
        {"visited_on": "2099-01-01", "form": "phone", "discussed": "电话"},
    )
    assert "走访日期不能晚于今天" in response.content.decode()
    assert not Visit.objects.exists()


def test_benefit_totals_are_to_the_fen(login, desk, tree):
    for amount, kind in [("0.10", "funds"), ("0.20", "funds"), ("1234567.89", "tax")]:
        actions.record_benefit(
            data=actions.BenefitData(
                enterprise=desk.enterprise,
                kind=kind,
                policy="政策",
                amount=Decimal(amount),
                granted_on=date(2026, 2, 1),
            ),
            actor=desk.office,
            now=NOW,
        )
    from shishi.enterprises import queries

    totals = queries.benefit_totals(Benefit.objects.all())
    assert totals.total == Decimal("1234568.19")
    assert totals.by_kind[0][2] == Decimal("0.30")
    assert totals.by_county == [("芗城区", Decimal("1234568.19"), 3)]
    page = login(desk.office.person).get(reverse("enterprises:benefits")).content.decode()
    assert "1,234,568.19" in page


def test_a_negative_or_non_numeric_amount_is_refused_on_the_form(login, desk, county_clerk):
    url = reverse("enterprises:benefit_new", args=[desk.enterprise.pk])
    for amount, message in [("-1", "金额应大于0"), ("abc", "金额应为数字（元）")]:
        response = login(county_clerk).post(
            url, {"kind": "funds", "policy": "补助", "amount": amount, "granted_on": "2026-02-01"}
        )
        assert message in response.content.decode()
    assert not Benefit.objects.exists()


def test_a_bad_import_offers_the_annotated_workbook_to_its_uploader(login, desk, county_clerk):
    from shishi.enterprises.tests.test_workbooks import _book, _enterprise_row
    from shishi.enterprises.workbooks import ENTERPRISE_LAYOUT

    client = login(county_clerk)
    data = _book(ENTERPRISE_LAYOUT, [_enterprise_row(size="巨型")])
    upload = io.BytesIO(data)
    upload.name = "企业名录.xlsx"
    response = client.post(reverse("enterprises:import"), {"file": upload})
    body = response.content.decode()
    assert "第 2 行" in body and "企业规模" in body
    token = response.context["token"]
    annotated = client.get(reverse("enterprises:import_errors", args=[token]))
    sheet = load_workbook(io.BytesIO(b"".join(annotated.streaming_content)))[
        ENTERPRISE_LAYOUT.sheet
    ]
    assert sheet["E2"].comment is not None
    other = login(desk.office.person)  # same person, another session
    assert other.get(reverse("enterprises:import_errors", args=[token])).status_code == 404


def _many(tree, office, n: int, start: int = 0) -> None:
    from shishi.core.validators import credit_code_check_char

    for k in range(start, start + n):
        first = f"9135060{k:03d}MA2Y0000"[:17]
        actions.register_enterprise(
            data=enterprise_data(
                tree["xiangcheng"],
                credit_code=first + credit_code_check_char(first),
                name=f"测试企业{k}",
            ),
            actor=office,
            now=NOW,
        )


@pytest.mark.parametrize(
    ("name", "most"),
    [("list", 12), ("visits", 12), ("problems", 13), ("benefits", 15), ("frequency", 12)],
)
def test_list_queries_do_not_grow_with_rows(
    login, desk, tree, county_clerk, django_assert_max_num_queries, name, most
):
    client = login(county_clerk)
    _many(tree, desk.office, 3)
    url = reverse(f"enterprises:{name}")
    client.get(url)
    with django_assert_max_num_queries(most):
        first = client.get(url)
    _many(tree, desk.office, 12, start=3)
    with django_assert_max_num_queries(most):
        second = client.get(url)
    assert first.status_code == second.status_code == 200
