"""The project ledger as an Excel workbook (项目清单): template, streamed export, and an
all-or-nothing streamed import that answers a bad file with the same workbook annotated
cell by cell. The rows are checked by `ledger_rows`; this module reads and writes."""

import io
import secrets
import tempfile
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from shishi.core.codes import reserve_codes
from shishi.core.errors import Refused
from shishi.core.uploads import xlsx_cell
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.projects import actions
from shishi.projects.ledger_rows import (
    COLUMNS,
    HEADERS,
    CellError,
    Row,
    changed,
    on_file_error,
    parse_row,
    text,
)
from shishi.projects.models import (
    Area,
    Cadence,
    Milestone,
    Project,
    ProjectEvent,
    ProjectLevel,
    Source,
)

SHEET = "项目清单"
BATCH = 1000
# A ledger the size of the city's (20,470 projects) fits; a file far beyond it is refused
# before it can tie up a web worker.
MAX_ROWS = 30_000
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ERRORS = 1000
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")


@dataclass
class LedgerResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


class LedgerRejected(Refused):
    """A bad ledger: nothing was written; `workbook` is the file annotated with every error."""

    def __init__(self, errors: list[CellError], workbook: bytes | None):
        super().__init__(f"导入失败：共 {len(errors)} 处错误，未写入任何数据")
        self.errors = errors
        self.workbook = workbook


def annotated_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / "ledger-errors" / f"{token}.xlsx"


def purge_annotated(*, older_than_hours: int = 24) -> int:
    """Delete annotated workbooks of rejected imports older than a day."""
    import time

    folder = Path(settings.MEDIA_ROOT) / "ledger-errors"
    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for path in folder.glob("*.xlsx") if folder.exists() else []:
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed


def keep_annotated(workbook: bytes) -> str:
    """Store an annotated workbook for its uploader to download; returns its token."""
    token = secrets.token_urlsafe(16)
    path = annotated_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook)
    return token


# --- Writing ---------------------------------------------------------------------------------


def _cells(project: Project, co_codes: list[str]) -> list:
    return [
        project.code,
        project.title,
        project.get_area_display(),
        project.get_level_display(),
        project.get_source_display(),
        project.lead_unit.code,
        ",".join(co_codes),
        project.leader,
        project.planned_start,
        project.planned_end,
        project.targets,
        float(project.budget),
        project.beneficiaries,
        project.place,
        project.get_cadence_display(),
        project.description,
    ]


def _new_workbook() -> tuple[Workbook, object]:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    widths = [20, 36, 16, 8, 14, 18, 24, 16, 12, 12, 40, 12, 10, 24, 10, 40]
    for index, width in enumerate(widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "C2"
    header = []
    for label in HEADERS:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return workbook, sheet


def _guide(workbook: Workbook) -> None:
    guide = workbook.create_sheet("填写说明")
    guide.append(["列", "填写要求"])
    notes = {
        "项目编号": "新项目留空，系统自动编号；修改已有项目时保留原编号",
        "重点领域": "、".join(Area.labels),
        "层级": "、".join(ProjectLevel.labels),
        "项目来源": "、".join(Source.labels),
        "报送频次": "、".join(Cadence.labels),
        "牵头单位编码": "单位编码（见系统“单位”页面），须在本单位管辖范围内",
        "配合单位编码": "多个编码用英文逗号分隔，可空",
        "计划开始": "日期，如 2026-03-01",
        "计划完成": "日期，不早于计划开始",
        "投资（万元）": "数字，不能为负，可保留两位小数",
        "受益人数": "非负整数",
    }
    for label in HEADERS:
        guide.append(
            [
                label,
                notes.get(label, "必填" if label in ("项目名称", "责任领导", "目标任务") else ""),
            ]
        )
    guide.append(["注意", "整张表一次导入：任何一行有误，全部不导入，并返回标注了错误的原表格。"])


def _save(workbook: Workbook) -> tempfile.SpooledTemporaryFile:
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def template() -> tempfile.SpooledTemporaryFile:
    """The empty ledger the office hands to units."""
    workbook, _ = _new_workbook()
    _guide(workbook)
    return _save(workbook)


def export(projects) -> tempfile.SpooledTemporaryFile:
    """The ledger of `projects` in the template's layout (re-importable)."""
    workbook, sheet = _new_workbook()
    rows = projects.select_related("lead_unit").order_by("code")
    for chunk_start in range(0, rows.count(), BATCH):
        chunk = list(rows[chunk_start : chunk_start + BATCH])
        co = Project.co_units.through.objects.filter(
            project_id__in=[p.pk for p in chunk]
        ).values_list("project_id", "unit__code")
        co_codes: dict[int, list[str]] = {}
        for project_id, code in co.order_by("unit__code"):
            co_codes.setdefault(project_id, []).append(code)
        for project in chunk:
            sheet.append(
                [xlsx_cell(sheet, v) for v in _cells(project, co_codes.get(project.pk, []))]
            )
    _guide(workbook)
    return _save(workbook)


# --- Reading -------------------------------------------------------------------------------------


def _check_size(data: bytes) -> None:
    """Refuse zip bombs: the workbook's parts, unpacked, must stay under MAX_UNCOMPRESSED."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise Refused("无法读取该文件，请上传 .xlsx 格式的项目清单") from error
    if unpacked > MAX_UNCOMPRESSED:
        raise Refused("文件内容过大，请分批导入")


def _merged_rows(workbook, sheet) -> set[int]:
    """Rows touched by merged cells, read from the sheet's XML (read-only sheets hide them)."""
    rows: set[int] = set()
    with workbook._archive.open(sheet._worksheet_path) as source:
        for _, element in ET.iterparse(source):
            if element.tag.endswith("}mergeCell"):
                _, low, _, high = range_boundaries(element.get("ref"))
                rows.update(range(low, high + 1))
            element.clear()
    return rows


def _rows(sheet) -> Iterator[tuple[int, tuple]]:
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        yield number, tuple(cells[: len(COLUMNS)])


def import_ledger(*, actor: Actor | None, data: bytes, now: datetime) -> LedgerResult:
    """Check every row of the workbook, then write all of it in one transaction — or raise
    LedgerRejected with each error and the workbook annotated, having written nothing."""
    sheet, merged = _open(data)
    rows, errors = _check_rows(sheet, merged=merged)
    existing = _existing(list(dict.fromkeys(r.values["code"] for r in rows if r.values["code"])))
    for row in rows:
        error = on_file_error(row, project=existing.get(row.values["code"]), actor=actor)
        if error is not None:
            errors.append(error)
    if errors:
        errors.sort(key=lambda e: e.row)
        raise LedgerRejected(errors, _annotated(data, errors))
    return _write(actor=actor, rows=rows, existing=existing, now=now)


def _open(data: bytes) -> tuple[object, set[int]]:
    """The 项目清单 sheet of an uploaded workbook, and its rows touched by merged cells."""
    _check_size(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise Refused("无法读取该文件，请上传 .xlsx 格式的项目清单") from error
    if SHEET not in workbook.sheetnames:
        raise LedgerRejected(
            [CellError(1, "", f"找不到工作表“{SHEET}”，请使用系统提供的模板")], None
        )
    sheet = workbook[SHEET]
    header = [text(v) for v in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    if header[: len(HEADERS)] != HEADERS:
        raise LedgerRejected([CellError(1, "", "表头与模板不一致，请使用系统提供的模板")], None)
    return sheet, _merged_rows(workbook, sheet)


def _check_rows(sheet, *, merged: set[int]) -> tuple[list[Row], list[CellError]]:
    """Every row read by the column rules, and the errors found (at most about MAX_ERRORS)."""
    units = {u.code: u for u in Unit.objects.filter(active=True)}
    errors: list[CellError] = []
    rows: list[Row] = []
    seen: dict[str, int] = {}
    for number, cells in _rows(sheet):
        if number > MAX_ROWS + 1:
            raise LedgerRejected([CellError(number, "", f"超过 {MAX_ROWS} 行，请分批导入")], None)
        if len(errors) >= MAX_ERRORS:
            break  # enough to act on; the rest is checked on the next upload
        if number in merged:
            errors.append(CellError(number, "", "含合并单元格，请取消合并后逐行填写"))
            continue
        if not any(text(c) for c in cells):
            errors.append(CellError(number, "", "空行，请删除"))
            continue
        row, row_errors = parse_row(number, cells, units=units)
        errors += row_errors
        code = row.values["code"]
        if code:
            if code in seen:
                errors.append(CellError(number, "code", f"项目编号与第{seen[code]}行重复"))
            seen[code] = number
        rows.append(row)
    return rows, errors


def _existing(codes: list[str]) -> dict[str, Project]:
    found: dict[str, Project] = {}
    for start in range(0, len(codes), BATCH):
        chunk = codes[start : start + BATCH]
        for project in (
            Project.objects.filter(code__in=chunk)
            .select_related("lead_unit")
            .prefetch_related("co_units")
        ):
            found[project.code] = project
    return found


@transaction.atomic
def _write(
    *, actor: Actor | None, rows: list[Row], existing: dict[str, Project], now: datetime
) -> LedgerResult:
    result = LedgerResult()
    new_rows = [row for row in rows if not row.values["code"]]
    codes = iter(
        reserve_codes(prefix=actions.CODE_PREFIX, day=timezone.localdate(now), count=len(new_rows))
    )
    label = actor.label() if actor else "系统"
    for start in range(0, len(new_rows), BATCH):
        chunk = new_rows[start : start + BATCH]
        projects = Project.objects.bulk_create(
            [
                Project(
                    code=next(codes),
                    created_at=now,
                    created_by=actor.person if actor else None,
                    **{name: row.values[name] for name in actions.SCALAR_FIELDS},
                )
                for row in chunk
            ]
        )
        through = Project.co_units.through
        through.objects.bulk_create(
            [
                through(project_id=p.pk, unit_id=unit.pk)
                for p, row in zip(projects, chunk, strict=True)
                for unit in row.co_units
            ]
        )
        Milestone.objects.bulk_create(
            [
                Milestone(project_id=p.pk, title="项目完成", weight=1, due=p.planned_end)
                for p in projects
            ]
        )
        ProjectEvent.objects.bulk_create(
            [
                ProjectEvent(
                    project_id=p.pk,
                    at=now,
                    actor=actor.person if actor else None,
                    actor_label=label,
                    verb=ProjectEvent.Verb.IMPORTED,
                    to_state=p.status,
                )
                for p in projects
            ]
        )
        result.created += len(projects)
    for row in rows:
        project = existing.get(row.values["code"])
        if project is None:
            continue
        if not changed(project, row):
            result.unchanged += 1
            continue
        data = actions.ProjectData(
            co_units=row.co_units, **{name: row.values[name] for name in actions.SCALAR_FIELDS}
        )
        actions.update_project(actor=actor, project=project, data=data, now=now)
        result.updated += 1
    return result


def _annotated(data: bytes, errors: list[CellError]) -> bytes:
    """The uploaded rows again, error cells filled red with a comment, plus an 错误说明 column."""
    by_row: dict[int, list[CellError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    source = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if SHEET not in source.sheetnames:
        return b""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(SHEET)
    names = [name for name, _ in COLUMNS]
    for number, cells in enumerate(source[SHEET].iter_rows(values_only=True), start=1):
        problems = by_row.get(number, [])
        out = []
        for index, value in enumerate(
            list(cells[: len(COLUMNS)]) + [None] * (len(COLUMNS) - len(cells))
        ):
            cell = xlsx_cell(sheet, value)
            if isinstance(value, datetime | date):
                cell.number_format = "yyyy-mm-dd"
            mine = [e for e in problems if e.column == names[index] or not e.column]
            if mine:
                cell.fill = ERROR_FILL
                cell.comment = Comment("；".join(e.message for e in mine), "实事平台")
            out.append(cell)
        note = WriteOnlyCell(
            sheet,
            value="错误说明"
            if number == 1
            else "；".join(f"{e.column_label}：{e.message}" for e in problems),
        )
        if problems:
            note.font = Font(color="9C0006")
            note.alignment = Alignment(wrap_text=True)
        out.append(note)
        sheet.append(out)
    _guide(workbook)
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()
