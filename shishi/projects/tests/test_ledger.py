"""The XLSX ledger: the template, the export, and the all-or-nothing import that answers a bad
file with every error by row and column and the same workbook annotated."""

import io
from datetime import date
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from shishi.core.errors import Refused
from shishi.projects import actions, ledger
from shishi.projects.ledger import HEADERS, SHEET
from shishi.projects.models import Milestone, Project, ProjectEvent, Status
from shishi.projects.tests.conftest import CREATED
from shishi.projects.tests.helpers import at, fresh, ledger_row, read_sheet, workbook

NOW = at(2026, 3, 2, 9)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _reject(data: bytes, actor) -> ledger.LedgerRejected:
    with pytest.raises(ledger.LedgerRejected) as caught:
        ledger.import_ledger(actor=actor, data=data, now=NOW)
    return caught.value


def _errors(rejected: ledger.LedgerRejected) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in rejected.errors]


def _upload(data: bytes, name: str = "项目清单.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, data, content_type=XLSX)


def _download(response) -> bytes:
    return b"".join(response.streaming_content)


# --- Refusals by row and column ------------------------------------------------------------------


@pytest.mark.parametrize(
    ("cells", "column", "message"),
    [
        ({"planned_end": date(2026, 2, 1)}, "planned_end", "不能早于计划开始"),
        ({"lead_unit": "350699999000"}, "lead_unit", "不存在"),
        ({"budget": -5}, "budget", "不能为负数"),
        ({"budget": "十万"}, "budget", "应为数字"),
        ({"area": "文化旅游"}, "area", "应为"),
        ({"title": None}, "title", "必填"),
        ({"planned_start": "明年春天"}, "planned_start", "日期格式"),
        ({"beneficiaries": -3}, "beneficiaries", "非负整数"),
        ({"co_units": "350602007001,999"}, "co_units", "“999”不存在"),
    ],
)
def test_a_bad_cell_is_refused_with_its_row_and_column(office, cells, column, message):
    # given a ledger whose third row has one bad cell among good rows
    data = workbook([ledger_row(), ledger_row(**cells), ledger_row()])

    # when the city office imports it
    rejected = _reject(data, office.admin)

    # then the one error names row 3 and the column, and nothing was written
    assert _errors(rejected) == [(3, column)]
    assert message in rejected.errors[0].message
    assert not Project.objects.exists()


def test_duplicate_codes_in_one_file_are_refused(office):
    # given an existing draft listed twice in the file
    project = office.new()
    data = workbook([ledger_row(code=project.code), ledger_row(code=project.code)])

    # when it is imported
    rejected = _reject(data, office.admin)

    # then the second row is refused for repeating the first one's code
    assert _errors(rejected) == [(3, "code")]
    assert "与第2行重复" in rejected.errors[0].message


def test_a_code_that_does_not_exist_is_refused(office):
    rejected = _reject(workbook([ledger_row(code="XM20260101-00999")]), office.admin)

    assert _errors(rejected) == [(2, "code")]
    assert "不存在" in rejected.errors[0].message


def test_another_units_project_is_answered_like_a_code_that_does_not_exist(office, outsider):
    # given a 芝山 project, and its row exactly as it is on file
    from shishi.testing import actor_of

    project = office.new()
    exported = ledger.export(Project.objects.filter(pk=project.pk))
    data = exported.read()
    row = [cell.value for cell in read_sheet(data)[2]]
    unknown = _reject(workbook([ledger_row(code="XM20260101-00999")]), office.admin)

    # when 西桥's clerk imports it unchanged, and changed
    same = _reject(workbook([row]), actor_of(outsider))
    other = _reject(workbook([[*row[:1], "改过的名字", *row[2:]]]), actor_of(outsider))

    # then both answers are the answer for a code that does not exist: nothing learned
    for rejected in (same, other):
        assert _errors(rejected) == [(2, "code")]
        assert rejected.errors[0].message == unknown.errors[0].message


def test_a_blank_row_is_refused(office):
    rejected = _reject(workbook([ledger_row(), None, ledger_row()]), office.admin)

    assert _errors(rejected) == [(3, "")]
    assert "空行" in rejected.errors[0].message
    assert rejected.errors[0].column_label == "整行"


def test_a_row_with_merged_cells_is_refused(office):
    data = workbook([ledger_row(), ledger_row(), ledger_row()], merge="K3:L3")

    rejected = _reject(data, office.admin)

    assert _errors(rejected) == [(3, "")]
    assert "合并单元格" in rejected.errors[0].message


def test_a_wrong_sheet_name_is_refused_on_row_one(office):
    rejected = _reject(workbook([ledger_row()], sheet="Sheet1"), office.admin)

    assert _errors(rejected) == [(1, "")]
    assert "项目清单" in rejected.errors[0].message
    assert not Project.objects.exists()


def test_a_wrong_header_is_refused_on_row_one(office):
    header = [*HEADERS]
    header[1] = "名称"

    rejected = _reject(workbook([ledger_row()], header=header), office.admin)

    assert _errors(rejected) == [(1, "")]
    assert "表头" in rejected.errors[0].message


def test_a_file_that_is_not_a_workbook_is_refused(office):
    with pytest.raises(Refused, match="无法读取"):
        ledger.import_ledger(actor=office.admin, data=b"PK\x03\x04 not really", now=NOW)


def test_a_lead_unit_outside_the_importers_subtree_is_refused(office):
    # given 芗城区's leader importing a 蓝田街道 (龙文区) project
    data = workbook([ledger_row(lead_unit="350603001000")])

    rejected = _reject(data, office.county)

    assert _errors(rejected) == [(2, "lead_unit")]
    assert "管辖范围" in rejected.errors[0].message


def test_every_error_is_reported_and_nothing_is_written(office):
    # given an existing draft and a file with good rows, an update and three bad rows
    existing = office.new()
    projects, events, milestones = (
        Project.objects.count(),
        ProjectEvent.objects.count(),
        Milestone.objects.count(),
    )
    data = workbook(
        [
            ledger_row(),
            ledger_row(code=existing.code, title="改了名字的项目"),
            ledger_row(budget=-1),
            ledger_row(),
            ledger_row(planned_end=date(2025, 1, 1), lead_unit="000"),
        ]
    )

    # when it is imported
    rejected = _reject(data, office.admin)

    # then every error is listed in row order and nothing at all was written
    assert _errors(rejected) == [(4, "budget"), (6, "lead_unit"), (6, "planned_end")]
    assert rejected.message == "导入失败：共 3 处错误，未写入任何数据"
    assert Project.objects.count() == projects
    assert ProjectEvent.objects.count() == events
    assert Milestone.objects.count() == milestones
    assert fresh(existing).title == existing.title


def test_the_rejected_workbook_marks_each_bad_cell(office):
    # given a file with a bad end date on row 3 and a blank row 4
    data = workbook([ledger_row(), ledger_row(planned_end=date(2026, 2, 1)), None, ledger_row()])

    # when it is refused
    rejected = _reject(data, office.admin)

    # then the annotated workbook opens, the bad cell carries a comment, and the last
    # column explains each bad row
    sheet = read_sheet(rejected.workbook)
    assert sheet["J3"].comment.text == "计划完成不能早于计划开始"
    assert sheet["J2"].comment is None
    assert sheet["Q1"].value == "错误说明"
    assert sheet["Q3"].value == "计划完成：计划完成不能早于计划开始"
    assert sheet["Q4"].value == "整行：空行，请删除"
    assert sheet["Q2"].value in (None, "")
    assert sheet["B3"].value == "芝山街道农贸市场提升改造"


# --- The import page -----------------------------------------------------------------------------


def test_the_import_page_lists_the_errors_and_offers_the_annotated_file(city_admin, login):
    # given a file with a negative budget on row 2
    client = login(city_admin)

    # when the city office uploads it
    response = client.post(
        "/staff/projects/ledger/import/", {"file": _upload(workbook([ledger_row(budget=-1)]))}
    )

    # then the page lists row, column and problem, and links to the annotated workbook
    page = response.content.decode()
    assert response.status_code == 200
    assert "第 2 行" in page and "投资（万元）" in page and "投资不能为负数" in page
    token = response.context["token"]
    assert f"/staff/projects/ledger/errors/{token}.xlsx" in page
    download = client.get(f"/staff/projects/ledger/errors/{token}.xlsx")
    assert download.status_code == 200
    assert read_sheet(_download(download))["L2"].comment.text == "投资不能为负数"
    assert not Project.objects.exists()


def test_the_annotated_file_is_only_for_the_uploading_session(city_admin, login):
    # given a rejected upload in one session
    uploader = login(city_admin)
    response = uploader.post(
        "/staff/projects/ledger/import/", {"file": _upload(workbook([ledger_row(budget=-1)]))}
    )
    token = response.context["token"]

    # when another session of the same person asks for the file
    other = login(city_admin).get(f"/staff/projects/ledger/errors/{token}.xlsx")

    # then it does not exist for them, nor does a made-up token for the uploader
    assert other.status_code == 404
    assert uploader.get("/staff/projects/ledger/errors/madeup.xlsx").status_code == 404


def test_a_wrong_sheet_is_shown_without_a_download(city_admin, login):
    response = login(city_admin).post(
        "/staff/projects/ledger/import/",
        {"file": _upload(workbook([ledger_row()], sheet="Sheet1"))},
    )

    assert "找不到工作表" in response.content.decode()
    assert response.context["token"] == ""


def test_a_file_not_named_xlsx_is_refused_by_the_form(city_admin, login):
    response = login(city_admin).post(
        "/staff/projects/ledger/import/", {"file": _upload(workbook([ledger_row()]), "清单.xls")}
    )

    assert "请上传 .xlsx 文件" in response.content.decode()
    assert not Project.objects.exists()


def test_an_operator_may_not_import(operator, login):
    # clerks and leaders register projects (and so import them); hotline operators do not
    response = login(operator).post(
        "/staff/projects/ledger/import/", {"file": _upload(workbook([ledger_row()]))}
    )

    assert response.status_code == 403
    assert not Project.objects.exists()


def test_a_good_file_creates_drafts_with_a_milestone_each(office, county_leader, login):
    # given a file of two new 芝山 projects, one with a co-unit
    data = workbook([ledger_row(), ledger_row(title="芝山社区老年食堂", co_units="350602007001")])

    # when 芗城区's leader imports it
    response = login(county_leader).post(
        "/staff/projects/ledger/import/", {"file": _upload(data)}, follow=True
    )

    # then two drafts exist with codes, a completion milestone and an import event
    assert "新增 2 个，更新 0 个，未变 0 个" in response.content.decode()
    projects = list(Project.objects.order_by("code"))
    assert [p.status for p in projects] == [Status.DRAFT, Status.DRAFT]
    assert all(p.code.startswith("XM") for p in projects)
    assert projects[0].budget == Decimal("120.50")
    assert [u.code for u in projects[1].co_units.all()] == ["350602007001"]
    assert [list(p.milestones.values_list("title", "due")) for p in projects] == [
        [("项目完成", date(2026, 12, 31))]
    ] * 2
    assert ProjectEvent.objects.filter(verb=ProjectEvent.Verb.IMPORTED).count() == 2


def test_a_changed_row_updates_a_draft(office):
    project = office.new()

    result = ledger.import_ledger(
        actor=office.admin,
        data=workbook([ledger_row(code=project.code, title="芝山街道路灯补亮（调整）")]),
        now=NOW,
    )

    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    assert fresh(project).title == "芝山街道路灯补亮（调整）"
    assert ProjectEvent.objects.filter(project=project, verb=ProjectEvent.Verb.EDITED).count() == 1


def test_a_changed_row_of_a_project_in_progress_is_refused(office):
    project = office.new(to=Status.IN_PROGRESS)

    rejected = _reject(workbook([ledger_row(code=project.code, title="新名字")]), office.admin)

    assert _errors(rejected) == [(2, "code")]
    assert "不能通过导入修改" in rejected.errors[0].message


def test_a_budget_too_large_for_the_ledger_is_refused(office):
    data = workbook([ledger_row(budget=12_345_678_901)])

    rejected = _reject(data, office.admin)

    assert _errors(rejected) == [(2, "budget")]


# --- Template, export and round trip -------------------------------------------------------------


def test_the_template_downloads_with_the_header_row(town_clerk, login):
    response = login(town_clerk).get("/staff/projects/ledger/template.xlsx")

    assert response.status_code == 200
    book = load_workbook(io.BytesIO(_download(response)))
    assert book.sheetnames == [SHEET, "填写说明"]
    assert [c.value for c in book[SHEET][1]] == HEADERS
    assert book[SHEET].max_row == 1


def test_the_empty_template_imports_nothing(office):
    empty = ledger.template().read()

    result = ledger.import_ledger(actor=office.admin, data=empty, now=NOW)

    assert (result.created, result.updated, result.unchanged) == (0, 0, 0)


def test_export_then_import_changes_nothing(office, city_admin, login):
    # given projects in several states, with co-units, budgets in cents and other leads
    office.new(co_units=[office.tree["village"]], budget=Decimal("12.34"))
    office.new(to=Status.SUBMITTED, title="芝山街道公厕改造", cadence="weekly")
    office.new(to=Status.IN_PROGRESS, title="芝山街道口袋公园", description="两处口袋公园")
    office.new(to=Status.COMPLETED, lead="xiqiao", title="西桥街道农贸市场")
    office.new(to=Status.CANCELLED, lead="lantian", title="蓝田街道停车场", budget=Decimal("0"))
    events = ProjectEvent.objects.count()
    client = login(city_admin)

    # when the city office exports the ledger and imports the file unchanged
    exported = _download(client.get("/staff/projects/ledger/export.xlsx"))
    result = ledger.import_ledger(actor=office.admin, data=exported, now=at(2026, 5, 1))
    response = client.post(
        "/staff/projects/ledger/import/", {"file": _upload(exported)}, follow=True
    )

    # then every row is unchanged, twice, and no event was written
    assert (result.created, result.updated, result.unchanged) == (0, 0, 5)
    assert "新增 0 个，更新 0 个，未变 5 个" in response.content.decode()
    assert Project.objects.count() == 5
    assert ProjectEvent.objects.count() == events


def test_export_then_import_of_a_project_entered_on_the_form_changes_nothing(
    office, town_clerk, city_admin, login
):
    # given a project entered on the staff form with a two-line target (browsers send CRLF)
    login(town_clerk).post(
        "/staff/projects/new/",
        {
            "title": "芝山街道背街小巷路灯补亮",
            "area": "living",
            "level": "town",
            "source": "public",
            "lead_unit": office.tree["zhishan"].pk,
            "leader": "街道办主任 张某某",
            "planned_start": "2026-03-01",
            "planned_end": "2026-12-31",
            "targets": "补装路灯120盏\r\n消除照明盲区",
            "budget": "85.5",
            "beneficiaries": "3000",
            "cadence": "monthly",
        },
    )
    project = Project.objects.get()
    actions.add_milestone(
        actor=office.clerk, project=project, title="安装", weight=1, due=date(2026, 6, 30), now=NOW
    )
    office.walk(project, to=Status.IN_PROGRESS)

    # when the ledger is exported and imported back unchanged
    exported = _download(login(city_admin).get("/staff/projects/ledger/export.xlsx"))
    result = ledger.import_ledger(actor=office.admin, data=exported, now=at(2026, 5, 1))

    # then nothing changed
    assert (result.created, result.updated, result.unchanged) == (0, 0, 1)


def test_a_countys_export_with_a_project_it_co_runs_imports_back_unchanged(
    office, county_leader, login
):
    # given a 龙文区 project with 芝山街道 as co-unit, which 芗城区 therefore sees, and one
    # of 芗城区's own
    office.new(lead="lantian", co_units=[office.tree["zhishan"]], title="蓝田街道污水治理")
    office.new(title="芝山街道路灯补亮")

    # when 芗城区's leader exports the ledger and imports it back unchanged
    exported = _download(login(county_leader).get("/staff/projects/ledger/export.xlsx"))
    result = ledger.import_ledger(actor=office.county, data=exported, now=at(2026, 5, 1))

    # then both rows are unchanged
    assert (result.created, result.updated, result.unchanged) == (0, 0, 2)


def test_the_export_lists_only_the_visible_projects(office, county_leader, login):
    office.new(title="芝山的项目")
    office.new(lead="lantian", title="蓝田的项目")

    exported = _download(login(county_leader).get("/staff/projects/ledger/export.xlsx"))

    titles = [c.value for c in read_sheet(exported)["B"]][1:]
    assert titles == ["芝山的项目"]


def test_the_export_takes_the_same_few_queries_for_3_or_30_projects(
    office, city_admin, login, django_assert_max_num_queries
):
    # given 3 projects with a co-unit each, exported once to count the queries
    for number in range(3):
        office.new(title=f"项目{number}", co_units=[office.tree["village"]])
    client = login(city_admin)
    with CaptureQueriesContext(connection) as few:
        _download(client.get("/staff/projects/ledger/export.xlsx"))

    # when there are 30 and the city office exports them
    for number in range(3, 30):
        office.new(title=f"项目{number}", co_units=[office.tree["village"]])
    with django_assert_max_num_queries(len(few)):
        exported = _download(client.get("/staff/projects/ledger/export.xlsx"))

    # then no more queries were needed, few in all, and every project is in the file
    assert len(few) <= 13  # 3 of them record the export on the audit log
    sheet = read_sheet(exported)
    assert sheet.max_row == 31
    assert {c.value for c in sheet["G"]} == {"配合单位编码", "350602007001"}


def test_a_large_import_creates_every_project_in_few_queries(office, django_assert_max_num_queries):
    # given 2,000 new projects in one file, every other one with a co-unit
    rows = [
        ledger_row(
            title=f"芝山街道背街小巷改造第{number}批",
            budget=number % 500,
            co_units="350602007001" if number % 2 else None,
        )
        for number in range(2000)
    ]
    data = workbook(rows)

    # when they are imported (SQLite's 999-parameter limit splits each bulk insert into
    # batches of a few dozen rows: about 106 queries there, 16 on PostgreSQL)
    bound = 120 if connection.vendor == "sqlite" else 20
    with django_assert_max_num_queries(bound):
        result = ledger.import_ledger(actor=office.admin, data=data, now=CREATED)

    # then all 2,000 exist with unique codes, a milestone and an event each
    assert result.created == 2000
    codes = list(Project.objects.values_list("code", flat=True))
    assert len(codes) == len(set(codes)) == 2000
    assert Milestone.objects.count() == 2000
    assert ProjectEvent.objects.filter(verb=ProjectEvent.Verb.IMPORTED).count() == 2000
    assert Project.co_units.through.objects.count() == 1000
