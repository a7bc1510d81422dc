"""Checking the rows of an uploaded project ledger (项目清单): one rule per column, then the
rules that need the project on file and the importer. Reads only; `ledger.import_ledger`
writes a file only when no row has an error."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal, InvalidOperation
from functools import partial

from shishi.core import workbook
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.projects import actions
from shishi.projects.models import (
    EDITABLE_STATUSES,
    Area,
    Cadence,
    Project,
    ProjectLevel,
    Source,
    Status,
)

COLUMNS = [
    ("code", "项目编号"),
    ("title", "项目名称"),
    ("area", "重点领域"),
    ("level", "层级"),
    ("source", "项目来源"),
    ("lead_unit", "牵头单位编码"),
    ("co_units", "配合单位编码"),
    ("leader", "责任领导"),
    ("planned_start", "计划开始"),
    ("planned_end", "计划完成"),
    ("targets", "目标任务"),
    ("budget", "投资（万元）"),
    ("beneficiaries", "受益人数"),
    ("place", "实施地点"),
    ("cadence", "报送频次"),
    ("description", "项目简介"),
]
HEADERS = [label for _, label in COLUMNS]


class CellError(workbook.CellError):
    """An error in a ledger cell, named by the ledger's column header."""

    @property
    def column_label(self) -> str:
        return dict(COLUMNS).get(self.column, "整行")


@dataclass
class Row:
    """One ledger row read into project fields (`values`, keyed by column name)."""

    number: int
    values: dict = field(default_factory=dict)

    @property
    def co_units(self) -> list[Unit]:
        return self.values.get("co_units", [])


@dataclass
class _Cell:
    """What a column rule sees besides the cell: the row so far and the active units."""

    row: Row
    column: str
    units: dict[str, Unit]
    errors: list[CellError]

    def fail(self, message: str) -> None:
        self.errors.append(CellError(self.row.number, self.column, message))


text = workbook.text
_date = workbook.parse_date


# --- Column rules: each reads its cell, reports through `cell.fail`, returns the value --------


def _code(value, cell: _Cell) -> str:
    return text(value).upper()


def _text(value, cell: _Cell, *, limit: int, required: bool = False) -> str:
    result = text(value)
    if required and not result:
        cell.fail("必填")
    elif len(result) > limit:
        cell.fail(f"不能超过{limit}个字")
    return result


def _choice(value, cell: _Cell, *, choices, default: str | None = None) -> str | None:
    result = text(value)
    for key, label in choices.choices:
        if result in (key, label):
            return key
    if default is not None and not result:
        return default
    cell.fail(f"应为：{'、'.join(choices.labels)}")
    return None


def _lead_unit(value, cell: _Cell) -> Unit | None:
    lead = cell.units.get(text(value))
    if lead is None:
        cell.fail(f"单位编码“{text(value)}”不存在或已停用")
    return lead


def _co_units(value, cell: _Cell) -> list[Unit]:
    found = []
    for code in [c.strip() for c in text(value).replace("，", ",").split(",") if c.strip()]:
        unit = cell.units.get(code)
        if unit is None:
            cell.fail(f"配合单位编码“{code}”不存在")
        else:
            found.append(unit)
    return found


def _start(value, cell: _Cell) -> date | None:
    start = _date(value)
    if start is None:
        cell.fail("日期格式应为 2026-03-01")
    return start


def _end(value, cell: _Cell) -> date | None:
    end, start = _date(value), cell.row.values.get("planned_start")
    if end is None:
        cell.fail("日期格式应为 2026-12-31")
    elif start and end < start:
        cell.fail("计划完成不能早于计划开始")
    return end


def _budget(value, cell: _Cell) -> Decimal | None:
    try:
        budget = Decimal(text(value) or "0")
        if budget < 0:
            cell.fail("投资不能为负数")
        elif budget >= actions.BUDGET_LIMIT:
            cell.fail("投资金额过大，请以万元为单位填写")
        return budget.quantize(Decimal("0.01"))
    except InvalidOperation:
        cell.fail("投资应为数字（万元）")
        return None


def _beneficiaries(value, cell: _Cell) -> int | None:
    count = text(value) or "0"
    if not count.isdecimal():  # what int() reads; isdigit() would pass "²" and crash int()
        cell.fail("受益人数应为非负整数")
        return None
    return int(count)


Rule = Callable[[object, _Cell], object]
# In the order they run (a row's errors are reported in it); `planned_end` reads the start.
RULES: list[tuple[str, Rule]] = [
    ("code", _code),
    ("title", partial(_text, limit=100, required=True)),
    ("leader", partial(_text, limit=60, required=True)),
    ("targets", partial(_text, limit=5000, required=True)),
    ("place", partial(_text, limit=200)),
    ("description", partial(_text, limit=5000)),
    ("area", partial(_choice, choices=Area)),
    ("level", partial(_choice, choices=ProjectLevel)),
    ("source", partial(_choice, choices=Source)),
    ("cadence", partial(_choice, choices=Cadence, default=Cadence.MONTHLY)),
    ("lead_unit", _lead_unit),
    ("co_units", _co_units),
    ("planned_start", _start),
    ("planned_end", _end),
    ("budget", _budget),
    ("beneficiaries", _beneficiaries),
]


def parse_row(number: int, cells: tuple, *, units: dict[str, Unit]) -> tuple[Row, list[CellError]]:
    """Row `number` of the sheet read by the column rules, with every cell's error."""
    padded = (list(cells) + [None] * len(COLUMNS))[: len(COLUMNS)]
    raw = dict(zip([name for name, _ in COLUMNS], padded, strict=True))
    row, errors = Row(number=number), []
    for name, rule in RULES:
        row.values[name] = rule(raw[name], _Cell(row, name, units, errors))
    return row, errors


def changed(project: Project, row: Row) -> bool:
    """Whether importing `row` would change `project`."""
    values = row.values
    if any(getattr(project, name) != values.get(name) for name in actions.SCALAR_FIELDS):
        return True
    return {u.pk for u in project.co_units.all()} != {u.pk for u in row.co_units}


UNKNOWN_CODE = "项目编号不存在或不在您的管辖范围内；新项目请留空"


def _may_see(actor: Actor | None, project: Project) -> bool:
    """The project is the importer's to read: it leads it or co-runs it within its subtree
    (an export of co-run projects imports back unchanged)."""
    if actor is None:
        return True
    return actor.sees(project.lead_unit) or any(actor.sees(u) for u in project.co_units.all())


def on_file_error(row: Row, *, project: Project | None, actor: Actor | None) -> CellError | None:
    """What stops a well-formed row given the project its code names (None: a new project)
    and who imports it: an unknown code, a unit outside the importer's scope, a project
    past editing. An unchanged row (a co-run project in an export) always passes."""
    if row.values["code"] and (project is None or not _may_see(actor, project)):
        # One answer for "no such project" and "not yours", checked before anything is
        # compared: the file must not tell an outsider that a code exists, or (an unchanged
        # row passing) what another unit's project holds.
        return CellError(row.number, "code", UNKNOWN_CODE)
    if project is not None and not changed(project, row):
        return None
    lead = row.values.get("lead_unit")
    if actor is not None and lead is not None and not actor.sees(lead):
        return CellError(row.number, "lead_unit", "牵头单位不在您的管辖范围内")
    if project is not None and actor is not None and not actor.sees(project.lead_unit):
        return CellError(row.number, "code", "该项目不在您的管辖范围内")
    if project is not None and project.status not in EDITABLE_STATUSES:
        message = f"项目已{project.get_status_display()}，不能通过导入修改"
        return CellError(row.number, "code", message)
    if (
        project is not None
        and actor is not None
        and project.lead_unit_id != actor.unit.pk
        and project.status != Status.DRAFT
    ):
        # A unit above may correct a draft it compiled, not a project the unit submitted.
        return CellError(row.number, "code", "项目已提交审核，只有牵头单位可以修改")
    if actor is not None and any(not actor.sees(u) for u in row.co_units):
        return CellError(row.number, "co_units", "配合单位须在您的管辖范围内")
    return None
