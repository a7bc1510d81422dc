"""The registry and benefits workbooks: template, export that re-imports unchanged, all-or-
nothing imports with errors by row and column and the annotated file back."""

import io
from decimal import Decimal

import pytest
from openpyxl import Workbook, load_workbook

from shishi.core.workbook import Rejected
from shishi.enterprises import workbooks
from shishi.enterprises.models import Benefit, Enterprise
from shishi.enterprises.tests.conftest import CODES, NOW
from shishi.enterprises.workbooks import BENEFIT_LAYOUT, ENTERPRISE_LAYOUT


def _book(layout, rows: list[list]) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = layout.sheet
    sheet.append(layout.headers)
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def _enterprise_row(**overrides) -> list:
    values = {
        "credit_code": CODES[1],
        "name": "漳州古雷石化有限公司",
        "county": "芗城区",
        "industry": "C 制造业",
        "size": "大型",
        "address": "古雷港经济开发区",
        "contact_name": "林主任",
        "contact_phone": "13805960001",
    } | overrides
    return [values[name] for name in ENTERPRISE_LAYOUT.names]


def test_the_template_has_the_headers_and_a_guide():
    book = load_workbook(workbooks.template())
    assert [c.value for c in book[ENTERPRISE_LAYOUT.sheet][1]] == ENTERPRISE_LAYOUT.headers
    assert "填写说明" in book.sheetnames


def test_an_import_creates_enterprises_and_the_export_reimports_unchanged(desk):
    result = workbooks.import_enterprises(
        actor=desk.office,
        data=_book(
            ENTERPRISE_LAYOUT,
            [
                _enterprise_row(),
                _enterprise_row(
                    credit_code=CODES[2], name="漳州灿坤实业有限公司", industry="C", size="中型"
                ),
            ],
        ),
        now=NOW,
    )
    assert (result.created, result.updated) == (2, 0)
    exported = workbooks.export(Enterprise.objects.all()).read()
    sheet = load_workbook(io.BytesIO(exported))[ENTERPRISE_LAYOUT.sheet]
    assert sheet.max_row == 4
    again = workbooks.import_enterprises(actor=desk.office, data=exported, now=NOW)
    assert (again.created, again.updated, again.unchanged) == (0, 0, 3)


def test_a_changed_row_updates_the_enterprise(desk):
    row = _enterprise_row(
        credit_code=desk.enterprise.credit_code, name=desk.enterprise.name, contact_name="新联系人"
    )
    result = workbooks.import_enterprises(
        actor=desk.office, data=_book(ENTERPRISE_LAYOUT, [row]), now=NOW
    )
    assert result.updated == 1
    assert Enterprise.objects.get(pk=desk.enterprise.pk).contact_name == "新联系人"


def test_errors_are_reported_by_row_and_column_and_nothing_is_written(desk):
    data = _book(
        ENTERPRISE_LAYOUT,
        [
            _enterprise_row(),
            _enterprise_row(credit_code="91350100M000100Y44", name="甲"),
            _enterprise_row(credit_code=CODES[2], name="乙", county="龙文区", size="巨型"),
            _enterprise_row(credit_code=CODES[3], name="丙", contact_phone="0596-1234567"),
            _enterprise_row(name="丁"),
        ],
    )
    with pytest.raises(Rejected) as caught:
        workbooks.import_enterprises(actor=desk.office, data=data, now=NOW)
    found = [(e.row, e.column_label) for e in caught.value.errors]
    assert found == [
        (3, "统一社会信用代码"),
        (4, "所属县区"),
        (4, "企业规模"),
        (5, "联系电话"),
        (6, "统一社会信用代码"),
    ]
    assert "第18位校验码" in caught.value.errors[0].message
    assert "与第2行重复" in caught.value.errors[-1].message
    assert Enterprise.objects.count() == 1
    annotated = load_workbook(io.BytesIO(caught.value.workbook))[ENTERPRISE_LAYOUT.sheet]
    assert annotated["A3"].comment is not None
    assert annotated["A3"].fill.fgColor.rgb.endswith("FFC7CE")
    assert "统一社会信用代码" in annotated.cell(row=3, column=9).value


def test_a_file_that_is_not_the_template_is_refused(desk):
    book = Workbook()
    buffer = io.BytesIO()
    book.save(buffer)
    with pytest.raises(Rejected, match="导入失败"):
        workbooks.import_enterprises(actor=desk.office, data=buffer.getvalue(), now=NOW)


def _benefit_row(**overrides) -> list:
    values = {
        "credit_code": CODES[0],
        "enterprise_name": "",
        "kind": "政策资金兑现",
        "policy": "技术改造专项补助",
        "amount": "120000.50",
        "granted_on": "2026-02-10",
        "note": "",
    } | overrides
    return [values[name] for name in BENEFIT_LAYOUT.names]


def test_benefits_import_all_or_nothing_to_the_fen(desk):
    data = _book(
        BENEFIT_LAYOUT,
        [
            _benefit_row(),
            _benefit_row(kind="减税降费", policy="研发费用加计扣除", amount=33333.33),
        ],
    )
    result = workbooks.import_benefits(actor=desk.office, data=data, now=NOW)
    assert result.created == 2
    amounts = sorted(Benefit.objects.values_list("amount", flat=True))
    assert amounts == [Decimal("33333.33"), Decimal("120000.50")]
    with pytest.raises(Rejected) as again:  # the same file twice
        workbooks.import_benefits(actor=desk.office, data=data, now=NOW)
    assert "重复导入" in again.value.errors[0].message


def test_bad_amounts_and_dates_are_refused_by_cell(desk):
    data = _book(
        BENEFIT_LAYOUT,
        [
            _benefit_row(amount="-5"),
            _benefit_row(amount="十万元"),
            _benefit_row(amount="1.005"),
            _benefit_row(granted_on="2026-03-03"),
            _benefit_row(credit_code=CODES[3]),
        ],
    )
    with pytest.raises(Rejected) as caught:
        workbooks.import_benefits(actor=desk.office, data=data, now=NOW)
    assert [(e.row, e.column_label, e.message) for e in caught.value.errors] == [
        (2, "金额（元）", "金额应大于0"),
        (3, "金额（元）", "金额应为数字（元）"),
        (4, "金额（元）", "金额最多保留两位小数（到分）"),
        (5, "兑现日期", "兑现日期不能晚于今天"),
        (6, "统一社会信用代码", "该代码的企业尚未登记，请先登记企业"),
    ]
    assert not Benefit.objects.exists()
