"""The ledger workbook as an attack surface: formulas, size, scope."""

import io

import pytest
from openpyxl import load_workbook

from shishi.core.errors import Refused
from shishi.projects import ledger
from shishi.projects.models import Project, Status
from shishi.projects.tests.helpers import at, ledger_row, workbook

pytestmark = pytest.mark.django_db


def test_formula_like_text_round_trips_as_text_not_as_a_formula(office):
    # given a project whose title starts with "=" (as a citizen-suggested title might)
    project = office.new()
    Project.objects.filter(pk=project.pk).update(title='=HYPERLINK("http://e.cn","点我")')
    # when the ledger is exported
    data = ledger.export(Project.objects.all()).read()
    cell = load_workbook(io.BytesIO(data))[ledger.SHEET]["B2"]
    # then Excel sees text, not a formula
    assert cell.data_type == "s"
    assert cell.value.startswith("=HYPERLINK")


def test_a_file_beyond_the_row_limit_is_refused_before_anything_is_written(
    office, settings, monkeypatch
):
    monkeypatch.setattr(ledger, "MAX_ROWS", 3)
    data = workbook([ledger_row(title=f"项目{n}") for n in range(5)])
    with pytest.raises(ledger.LedgerRejected) as rejected:
        ledger.import_ledger(actor=office.county, data=data, now=at(2026, 3, 2))
    assert "分批导入" in rejected.value.errors[0].message
    assert not Project.objects.exists()


def test_a_zip_bomb_is_refused(office, monkeypatch):
    monkeypatch.setattr(ledger, "MAX_UNCOMPRESSED", 1000)
    with pytest.raises(Refused, match="文件内容过大"):
        ledger.import_ledger(actor=office.county, data=workbook([ledger_row()]), now=at(2026, 3, 2))


def test_co_units_outside_the_importers_scope_are_refused(office):
    # 350603000000 is 龙文区, outside 芗城区
    data = workbook([ledger_row(co_units="350603000000")])
    with pytest.raises(ledger.LedgerRejected) as rejected:
        ledger.import_ledger(actor=office.clerk, data=data, now=at(2026, 3, 2))
    assert [(e.column, e.message) for e in rejected.value.errors] == [
        ("co_units", "配合单位须在您的管辖范围内")
    ]


def test_a_unit_above_cannot_rewrite_a_submitted_project_by_import(office):
    # given a 芝山 project the town has submitted
    project = office.new(to=Status.SUBMITTED)
    exported = ledger.export(Project.objects.filter(pk=project.pk)).read()
    sheet = load_workbook(io.BytesIO(exported))[ledger.SHEET]
    row = [cell.value for cell in sheet[2]]
    row[1] = "被上级改写的名称"
    # when the county imports a changed row, then it is refused
    with pytest.raises(ledger.LedgerRejected) as rejected:
        ledger.import_ledger(actor=office.county, data=workbook([row]), now=at(2026, 3, 5))
    assert "只有牵头单位可以修改" in rejected.value.errors[0].message
