"""The project ledger as an Excel workbook (项目清单): template, streamed export, and an
all-or-nothing streamed import that answers a bad file with the same workbook annotated
cell by cell. The rows are checked by `ledger_rows`; this module reads and writes."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction
from django.utils import timezone

from shishi.core import workbook
from shishi.core.bulk import insert_objects
from shishi.core.codes import reserve_codes
from shishi.core.uploads import xlsx_value
from shishi.core.workbook import annotated_path, keep_annotated, purge_annotated
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
# A ledger the size of the city's (20,470 projects) fits.
MAX_ROWS = 30_000
MAX_UNCOMPRESSED = workbook.MAX_UNCOMPRESSED
LAYOUT = workbook.Layout(
    sheet=SHEET,
    columns=tuple(COLUMNS),
    widths=(20, 36, 16, 8, 14, 18, 24, 16, 12, 12, 40, 12, 10, 24, 10, 40),
    notes={
        "项目编号": "新项目留空，系统自动编号；修改已有项目时保留原编号",
        "项目名称": "必填",
        "重点领域": "、".join(Area.labels),
        "层级": "、".join(ProjectLevel.labels),
        "项目来源": "、".join(Source.labels),
        "牵头单位编码": "单位编码（见系统“单位”页面），须在本单位管辖范围内",
        "配合单位编码": "多个编码用英文逗号分隔，可空",
        "责任领导": "必填",
        "计划开始": "日期，如 2026-03-01",
        "计划完成": "日期，不早于计划开始",
        "目标任务": "必填",
        "投资（万元）": "数字，不能为负，可保留两位小数",
        "受益人数": "非负整数",
        "报送频次": "、".join(Cadence.labels),
    },
    freeze="C2",
    max_rows=MAX_ROWS,
)
# The workbook machinery lives in core.workbook (shared with the enterprise registry);
# these names stay for the views and tests that use them.
LedgerRejected = workbook.Rejected
__all__ = ["HEADERS", "LedgerRejected", "annotated_path", "keep_annotated", "purge_annotated"]


@dataclass
class LedgerResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


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


def template():
    """The empty ledger the office hands to units."""
    return workbook.template(LAYOUT)


def export(projects):
    """The ledger of `projects` in the template's layout (re-importable)."""
    book, sheet = workbook.new_workbook(LAYOUT)
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
                [xlsx_value(sheet, v) for v in _cells(project, co_codes.get(project.pk, []))]
            )
    workbook.write_guide(book, LAYOUT)
    return workbook.save(book)


# --- Reading -------------------------------------------------------------------------------------


def import_ledger(*, actor: Actor | None, data: bytes, now: datetime) -> LedgerResult:
    """Check every row of the workbook, then write all of it in one transaction — or raise
    LedgerRejected with each error and the workbook annotated, having written nothing."""
    sheet, merged = workbook.open_sheet(
        data, LAYOUT, what="项目清单", max_uncompressed=MAX_UNCOMPRESSED
    )
    rows, errors = _check_rows(sheet, merged=merged)
    existing = _existing(list(dict.fromkeys(r.values["code"] for r in rows if r.values["code"])))
    for row in rows:
        error = on_file_error(row, project=existing.get(row.values["code"]), actor=actor)
        if error is not None:
            errors.append(error)
    if errors:
        errors.sort(key=lambda e: e.row)
        raise LedgerRejected(errors, workbook.annotated(data, errors, LAYOUT))
    return _write(actor=actor, rows=rows, existing=existing, now=now)


def _check_rows(sheet, *, merged: set[int]) -> tuple[list[Row], list[CellError]]:
    """Every row read by the column rules, and the errors found (at most about MAX_ERRORS)."""
    units = {u.code: u for u in Unit.objects.filter(active=True)}
    seen: dict[str, int] = {}

    def parse(number: int, cells: tuple) -> tuple[Row, list[CellError]]:
        row, errors = parse_row(number, cells, units=units)
        code = row.values["code"]
        if code:
            if code in seen:
                errors.append(CellError(number, "code", f"项目编号与第{seen[code]}行重复"))
            seen[code] = number
        return row, errors

    return workbook.check_rows(sheet, LAYOUT, merged=merged, parse=parse, max_rows=MAX_ROWS)


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
        # Appended with one executemany a table (core.bulk): bulk_create renders every row's
        # SQL and was most of a city-sized import's time.
        projects = [
            Project(
                code=next(codes),
                created_at=now,
                created_by=actor.person if actor else None,
                **{name: row.values[name] for name in actions.SCALAR_FIELDS},
            )
            for row in chunk
        ]
        insert_objects(projects)
        ids = dict(
            Project.objects.filter(code__in=[p.code for p in projects]).values_list("code", "pk")
        )
        for project in projects:
            project.pk = ids[project.code]
        through = Project.co_units.through
        insert_objects(
            through(project_id=p.pk, unit_id=unit.pk)
            for p, row in zip(projects, chunk, strict=True)
            for unit in row.co_units
        )
        insert_objects(
            Milestone(project_id=p.pk, title="项目完成", weight=1, due=p.planned_end)
            for p in projects
        )
        insert_objects(
            ProjectEvent(
                project_id=p.pk,
                at=now,
                actor=actor.person if actor else None,
                actor_label=label,
                verb=ProjectEvent.Verb.IMPORTED,
                to_state=p.status,
            )
            for p in projects
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
