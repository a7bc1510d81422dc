"""CSV import and export of units: the real divisions file, bad rows, encodings, round trip."""

import csv
import io
from pathlib import Path

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from shishi.core.models import AuditEntry
from shishi.orgs import actions
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.orgs.tests.helpers import actor_of, assert_tree_is_consistent, tree_snapshot

DIVISIONS = Path(actions.__file__).parent / "fixtures" / "zhangzhou_divisions.csv"
HEADER = "code,name,kind,parent_code,former_code\n"


def _divisions() -> list[dict[str, str]]:
    with DIVISIONS.open(encoding="utf-8-sig", newline="") as f:
        return list(csv.DictReader(f))


@pytest.fixture
def bare_city(db):
    """Only the city root (as in the divisions file) and its admin."""
    city = UnitFactory(code="350600000000", name="漳州市", kind=Unit.Kind.CITY)
    admin = PersonFactory(username="admin", unit=city, role=Role.CITY_ADMIN)
    return {"city": city, "admin": admin}


def _upload(client, content: bytes, name: str = "units.csv"):
    return client.post(
        reverse("staff:unit_import"),
        {"file": SimpleUploadedFile(name, content, content_type="text/csv")},
    )


def _flash(response) -> str:
    """The newest flash message of the request (earlier ones may still be queued)."""
    return [str(m) for m in get_messages(response.wsgi_request)][-1]


def _errors(rejected: actions.ImportRejected) -> list[tuple[int, str]]:
    return [(e.row, e.column) for e in rejected.errors]


# --- The real divisions file ------------------------------------------------------------------


def test_divisions_file_creates_158_units_with_their_parents(db):
    # given an empty tree and the divisions of 漳州市
    rows = _divisions()

    # when the file is imported (as the CLI does, without an actor)
    result = actions.import_units(actor=None, rows=actions.read_unit_csv(DIVISIONS.read_bytes()))

    # then every row is a unit under the parent the file names
    assert (result.created, result.updated, result.unchanged) == (158, 0, 0)
    assert Unit.objects.count() == 158 == len(rows)
    parents = dict(Unit.objects.values_list("code", "parent__code"))
    assert {r["code"]: r["parent_code"] or None for r in rows} == parents
    assert_tree_is_consistent()
    kinds = dict(Unit.objects.values_list("code", "kind"))
    assert kinds["350600000000"] == Unit.Kind.CITY
    assert {kinds[r["code"]] for r in rows if r["kind"] == "zone_or_farm"} == {Unit.Kind.ZONE}


def test_city_admin_imports_the_divisions_file_on_the_import_page(bare_city, login):
    # given the city admin and a tree holding only the city
    client = login(bare_city["admin"])

    # when they upload the divisions file
    response = _upload(client, DIVISIONS.read_bytes(), "zhangzhou_divisions.csv")

    # then the other 157 units are created in their places
    assert response.status_code == 302
    assert _flash(response) == "导入完成：新增 157 个，更新 0 个，未变 1 个"
    assert Unit.objects.count() == 158
    parents = dict(Unit.objects.values_list("code", "parent__code"))
    assert {r["code"]: r["parent_code"] or None for r in _divisions()} == parents
    assert_tree_is_consistent()
    assert AuditEntry.objects.filter(verb=AuditEntry.Verb.UNIT_CREATED).count() == 158


def test_reimporting_the_divisions_file_changes_nothing(bare_city, login):
    # given the divisions file imported once
    client = login(bare_city["admin"])
    _upload(client, DIVISIONS.read_bytes())
    before, entries = tree_snapshot(), AuditEntry.objects.count()

    # when it is imported again
    response = _upload(client, DIVISIONS.read_bytes())

    # then nothing is created, updated or logged
    assert _flash(response) == "导入完成：新增 0 个，更新 0 个，未变 158 个"
    assert tree_snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_reimporting_with_the_action_reports_no_changes(db):
    # given the divisions file imported once
    data = DIVISIONS.read_bytes()
    actions.import_units(actor=None, rows=actions.read_unit_csv(data))

    # when it is imported again
    result = actions.import_units(actor=None, rows=actions.read_unit_csv(data))

    # then created and updated are zero
    assert (result.created, result.updated, result.unchanged) == (0, 0, 158)


# --- Bad rows --------------------------------------------------------------------------------

BAD_FILE = (
    HEADER
    + "350602099000,新区街道,street,350602000000,\n"  # 2: fine
    + "350602098000,某街道,planet,350602000000,\n"  # 3: unknown kind
    + "350602097000,某镇,town,359999999999,\n"  # 4: parent not found
    + "350602099000,重复街道,street,350602000000,\n"  # 5: code of line 2 again
    + "350602096000,,town,350602000000,\n"  # 6: no name
    + ",,,,\n"  # 7: blank row (as Excel saves it)
    + "350602095000,好镇,town,350602000000,\n"  # 8: fine
)
BAD_FILE_ERRORS = [(3, "kind"), (4, "parent_code"), (5, "code"), (6, "name"), (7, "")]


def test_file_with_bad_rows_writes_nothing_and_names_every_error(tree, city_admin):
    # given the tree and a file with five bad rows among good ones
    before, entries = tree_snapshot(), AuditEntry.objects.count()

    # when the admin imports it
    with pytest.raises(actions.ImportRejected) as rejected:
        actions.import_units(
            actor=actor_of(city_admin), rows=actions.read_unit_csv(BAD_FILE.encode())
        )

    # then each bad row is reported with its line and column, and nothing is written
    assert _errors(rejected.value) == BAD_FILE_ERRORS
    assert [e.message for e in rejected.value.errors] == [
        "未知的单位类型“planet”",
        "上级单位编码 359999999999 不存在",
        "单位编码 350602099000 与第 2 行重复",
        "单位名称不能为空",
        "空行，请删除",
    ]
    assert tree_snapshot() == before
    assert AuditEntry.objects.count() == entries


def test_import_page_lists_every_error_and_writes_nothing(tree, city_admin, login):
    # given the city admin on the import page
    client = login(city_admin)
    before = tree_snapshot()

    # when they upload the file with bad rows
    response = _upload(client, BAD_FILE.encode())

    # then the page lists each error by line and column, and nothing is written
    assert response.status_code == 200
    assert [(e.row, e.column) for e in response.context["errors"]] == BAD_FILE_ERRORS
    html = response.content.decode()
    assert "导入失败：共 5 处错误，未写入任何数据" in html
    for row, column in BAD_FILE_ERRORS:
        assert f"第 {row} 行" in html
        assert column in html
    assert tree_snapshot() == before


def test_errors_after_an_empty_line_carry_their_line_number_in_the_file(tree, city_admin):
    # given a file whose third line is empty and whose fourth has an unknown kind
    data = (
        HEADER
        + "350602099000,新区街道,street,350602000000,\n"
        + "\n"
        + "350602098000,某街道,planet,350602000000,\n"
    ).encode()

    # when it is imported
    with pytest.raises(actions.ImportRejected) as rejected:
        actions.import_units(actor=actor_of(city_admin), rows=actions.read_unit_csv(data))

    # then the unknown kind is reported on line 4, where the user will look for it
    assert (4, "kind") in _errors(rejected.value)


def test_an_empty_line_is_reported_like_a_blank_row(tree, city_admin):
    # given a file with an empty third line and otherwise good rows
    data = (
        HEADER
        + "350602099000,新区街道,street,350602000000,\n"
        + "\n"
        + "350602095000,好镇,town,350602000000,\n"
    ).encode()
    before = tree_snapshot()

    # when it is imported
    with pytest.raises(actions.ImportRejected) as rejected:
        actions.import_units(actor=actor_of(city_admin), rows=actions.read_unit_csv(data))

    # then the empty line is the one error, and nothing is written
    assert _errors(rejected.value) == [(3, "")]
    assert tree_snapshot() == before


def test_file_without_the_template_header_is_refused(tree, city_admin, login):
    # given the city admin
    client = login(city_admin)

    # when the file lacks the kind and parent_code columns
    response = _upload(client, "code,name\nX1,某单位\n".encode())

    # then the form says which columns are missing, and nothing is written
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == [
        "表头不符合模板，缺少列：kind（类型）、parent_code（上级单位编码）"
    ]
    assert not Unit.objects.filter(code="X1").exists()


def test_rows_referring_to_each_other_in_a_cycle_write_nothing(tree, city_admin):
    # given two new units each naming the other as parent
    data = (HEADER + "A1,甲,other,B1,\nB1,乙,other,A1,\n").encode()
    before = tree_snapshot()

    # when imported
    with pytest.raises(actions.ImportRejected) as rejected:
        actions.import_units(actor=actor_of(city_admin), rows=actions.read_unit_csv(data))

    # then both rows are reported and nothing is written
    assert _errors(rejected.value) == [(2, "parent_code"), (3, "parent_code")]
    assert tree_snapshot() == before


def test_import_may_not_reach_outside_the_admins_subtree(tree):
    # given a city admin acting from 芗城区 only
    admin = PersonFactory(unit=tree["xiangcheng"], role=Role.CITY_ADMIN)
    data = (
        HEADER
        + "350603001000,蓝田街道改名,street,350603000000,\n"  # 2: a unit in 龙文区
        + "350603001009,新社区,village,350603001000,\n"  # 3: a parent in 龙文区
    ).encode()
    before = tree_snapshot()

    # when they import rows touching 龙文区
    with pytest.raises(actions.ImportRejected) as rejected:
        actions.import_units(actor=actor_of(admin), rows=actions.read_unit_csv(data))

    # then both rows are refused and nothing is written
    assert _errors(rejected.value) == [(2, "code"), (3, "parent_code")]
    assert tree_snapshot() == before


# --- Encodings and the round trip --------------------------------------------------------------


def test_gb18030_file_from_excel_imports(tree, city_admin, login):
    # given a file saved by Excel in GB18030 with Chinese names and kind labels
    content = (
        HEADER
        + "350602007002,大坪社区,村（社区）,350602007000,\r\n"
        + "350602007003,锦华社区,village,350602007000,\r\n"
    ).encode("gb18030")
    client = login(city_admin)

    # when the admin uploads it
    response = _upload(client, content)

    # then the units are created with their Chinese names
    assert response.status_code == 302
    created = dict(
        Unit.objects.filter(
            parent=tree["zhishan"], code__in=["350602007002", "350602007003"]
        ).values_list("name", "kind")
    )
    assert created == {"大坪社区": Unit.Kind.VILLAGE, "锦华社区": Unit.Kind.VILLAGE}


def test_export_then_import_changes_nothing(tree, city_admin, login):
    # given the tree with the divisions file, a renamed former code and awkward names
    actions.import_units(
        actor=actor_of(city_admin), rows=actions.read_unit_csv(DIVISIONS.read_bytes())
    )
    UnitFactory(code="Q1", name='逗号,和"引号"的单位', kind=Unit.Kind.OTHER, parent=tree["village"])
    UnitFactory(
        code="Q2",
        name='=HYPERLINK("http://x","点我")',
        kind=Unit.Kind.OTHER,
        parent=tree["village"],
    )
    client = login(city_admin)
    before, entries = tree_snapshot(), AuditEntry.objects.count()

    # when the admin exports the units and imports the file straight back
    exported = client.get(reverse("staff:unit_export"))
    response = _upload(client, exported.content)

    # then the import finds nothing to do
    assert exported["Content-Type"] == "text/csv; charset=utf-8"
    assert exported.content.startswith("\ufeff".encode())
    assert "'=HYPERLINK" in exported.content.decode()  # text in a spreadsheet, not a formula
    total = Unit.objects.count()
    assert _flash(response) == f"导入完成：新增 0 个，更新 0 个，未变 {total} 个"
    assert tree_snapshot() == before
    assert AuditEntry.objects.count() == entries + 1  # the export itself, nothing imported
    assert AuditEntry.objects.latest("pk").verb == AuditEntry.Verb.EXPORTED


def test_export_lists_parents_before_children(tree, city_admin, login):
    # given the fixture tree
    client = login(city_admin)

    # when exporting
    body = client.get(reverse("staff:unit_export")).content.decode("utf-8-sig")

    # then each parent code appears on an earlier line than its children
    seen: set[str] = set()
    for row in csv.DictReader(io.StringIO(body)):
        assert row["parent_code"] == "" or row["parent_code"] in seen, row["code"]
        seen.add(row["code"])
    assert len(seen) == 7


def test_import_updates_names_and_moves_units(tree, city_admin):
    # given the fixture tree
    data = (HEADER + "350602007000,芝山新街道,street,350602002000,\n").encode()

    # when a row renames 芝山街道 and puts it under 西桥街道
    result = actions.import_units(actor=actor_of(city_admin), rows=actions.read_unit_csv(data))

    # then it is one update, the subtree moved along and the log has it
    assert (result.created, result.updated, result.unchanged) == (0, 1, 0)
    zhishan = Unit.objects.get(code="350602007000")
    assert (zhishan.name, zhishan.parent_id) == ("芝山新街道", tree["xiqiao"].pk)
    assert_tree_is_consistent()
    assert (
        AuditEntry.objects.filter(
            verb=AuditEntry.Verb.UNIT_EDITED, target_id=str(zhishan.pk)
        ).count()
        == 1
    )


def test_import_that_moves_a_town_and_adds_a_community_below_it_keeps_the_tree_consistent(
    tree, city_admin
):
    # given 芝山街道 ── 芝山社区 in 芗城区
    data = (
        HEADER
        + "350602007000,芝山街道,street,350603000000,\n"  # move the town to 龙文区
        + "350602007101,芝山社区第一网格,other,350602007001,\n"  # new, under its village
    ).encode()

    # when one import moves the town and adds a grid under the village
    actions.import_units(actor=actor_of(city_admin), rows=actions.read_unit_csv(data))

    # then the new grid sits under the village's new path
    grid = Unit.objects.get(code="350602007101")
    village = Unit.objects.get(code="350602007001")
    assert grid.path.startswith(village.path)
    assert grid.depth == village.depth + 1
    assert_tree_is_consistent()


def test_file_without_the_optional_former_code_column_keeps_former_codes(db):
    # given the divisions imported, where 龙海区 was formerly 350681000000
    actions.import_units(actor=None, rows=actions.read_unit_csv(DIVISIONS.read_bytes()))

    # when a file without the former_code column renames nothing
    data = "code,name,kind,parent_code\n350604000000,龙海区,district,350600000000\n".encode()
    result = actions.import_units(actor=None, rows=actions.read_unit_csv(data))

    # then 龙海区 keeps its former code and nothing counts as updated
    assert Unit.objects.get(code="350604000000").former_code == "350681000000"
    assert (result.updated, result.unchanged) == (0, 1)


def test_only_the_city_admin_may_open_the_import_page(tree, county_leader, login):
    # given the county leader, who manages units but does not import them
    client = login(county_leader)

    # when they upload a file
    response = _upload(client, (HEADER + "X1,某单位,village,350602007000,\n").encode())

    # then it is forbidden and nothing is written
    assert response.status_code == 403
    assert not Unit.objects.filter(code="X1").exists()


def test_import_page_refuses_a_file_that_is_not_csv(tree, city_admin, login):
    # given the city admin
    client = login(city_admin)

    # when they upload a spreadsheet
    response = _upload(client, b"PK\x03\x04", "units.xlsx")

    # then the form asks for a .csv file
    assert response.status_code == 200
    assert response.context["form"].errors["file"] == ["请上传 .csv 文件"]
