"""The unit CSV (the divisions file, staff uploads and exports): read, check, order, export.

Nothing here writes. `check_unit_rows` returns every error of a file against the database and
the importer's scope; `orgs.actions.import_units` applies a clean file through `create_unit` /
`update_unit`, all rows or none.
"""

import csv
import functools
import io
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field

from shishi.core.errors import Refused
from shishi.core.uploads import csv_safe, csv_unsafe
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

UNIT_CSV_COLUMNS = ["code", "name", "kind", "parent_code", "former_code"]
UNIT_CSV_HEADERS = {
    "code": "单位编码",
    "name": "单位名称",
    "kind": "类型",
    "parent_code": "上级单位编码",
    "former_code": "原区划代码",
}
# The divisions file says zone_or_farm; Chinese labels are accepted as well.
KIND_ALIASES = {"zone_or_farm": Unit.Kind.ZONE} | {
    label: value for value, label in Unit.Kind.choices
}


@dataclass
class RowError:
    row: int  # the line number in the file, header = 1
    column: str
    message: str


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[RowError] = field(default_factory=list)


class ImportRejected(Refused):
    """An import with at least one bad row; nothing was written."""

    def __init__(self, errors: list[RowError]):
        super().__init__(f"导入失败：共 {len(errors)} 处错误，未写入任何数据")
        self.errors = errors


@dataclass
class CheckedRows:
    """A unit file read against the database: the rows by code and the units it names."""

    rows: dict[str, tuple[int, dict[str, str]]]  # code -> (line number, row, kind normalised)
    existing: dict[str, Unit]  # units on file among the codes and parent codes
    errors: list[RowError]  # in line order


def read_unit_csv(data: bytes) -> list[dict[str, str]]:
    """Decode an uploaded CSV (UTF-8 with or without BOM, or GB18030 from Excel)."""
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise Refused("无法识别文件编码，请另存为 UTF-8 编码的 CSV 文件")
    reader = csv.reader(io.StringIO(text))
    header = [h.strip() for h in next(reader, [])]
    missing = [c for c in ("code", "name", "kind", "parent_code") if c not in header]
    if missing:
        raise Refused(
            "表头不符合模板，缺少列：" + "、".join(f"{c}（{UNIT_CSV_HEADERS[c]}）" for c in missing)
        )
    # csv.reader keeps blank lines (as []), so row n of the result is line n + 2 of the file
    # and blank lines are reported instead of silently shifting every line number after them.
    return [
        {
            column: (csv_unsafe(cells[i].strip()) if i < len(cells) else "")
            for i, column in enumerate(header)
        }
        for cells in reader
    ]


def check_unit_rows(*, actor: Actor | None, rows: Iterable[dict[str, str]]) -> CheckedRows:
    """Every error of a unit file: first each row on its own, then each row's parent and
    scope against the units on file (parents may appear anywhere in the file)."""
    errors: list[RowError] = []
    parsed: dict[str, tuple[int, dict[str, str]]] = {}
    for number, row in enumerate(rows, start=2):
        errors += _row_errors(number, row, parsed)
        code = row.get("code", "")
        if any(row.values()) and code and code not in parsed:
            parsed[code] = (number, {**row, "kind": _kind(row)})
    existing = {
        u.code: u for u in Unit.objects.filter(code__in=_codes_in(parsed)).select_related("parent")
    }

    @functools.cache
    def root_allowed() -> bool:
        # Only the command line (no actor) loads the first root, into an empty tree.
        return actor is None and not Unit.objects.filter(depth=0).exists()

    for code, (number, row) in parsed.items():
        errors += _placement_errors(
            number, code, row, actor=actor, parsed=parsed, existing=existing, root=root_allowed
        )
    return CheckedRows(rows=parsed, existing=existing, errors=sorted(errors, key=lambda e: e.row))


def _kind(row: dict[str, str]) -> str:
    return KIND_ALIASES.get(row.get("kind", ""), row.get("kind", ""))


def _row_errors(
    number: int, row: dict[str, str], parsed: dict[str, tuple[int, dict[str, str]]]
) -> list[RowError]:
    """What is wrong with one row on its own (and a code repeated from an earlier row)."""
    if not any(row.values()):
        return [RowError(number, "", "空行，请删除")]
    errors = []
    code, name = row.get("code", ""), row.get("name", "")
    if not code:
        errors.append(RowError(number, "code", "单位编码不能为空"))
    elif len(code) > 32:
        errors.append(RowError(number, "code", "单位编码不能超过32个字符"))
    elif code in parsed:
        errors.append(RowError(number, "code", f"单位编码 {code} 与第 {parsed[code][0]} 行重复"))
    if not name:
        errors.append(RowError(number, "name", "单位名称不能为空"))
    elif len(name) > 100:
        errors.append(RowError(number, "name", "单位名称不能超过100个字"))
    if _kind(row) not in Unit.Kind.values:
        errors.append(RowError(number, "kind", f"未知的单位类型“{row.get('kind', '')}”"))
    if code and row.get("parent_code") == code:
        errors.append(RowError(number, "parent_code", "上级单位不能是自己"))
    return errors


def _placement_errors(
    number: int,
    code: str,
    row: dict[str, str],
    *,
    actor: Actor | None,
    parsed: dict[str, tuple[int, dict[str, str]]],
    existing: dict[str, Unit],
    root: Callable[[], bool],
) -> list[RowError]:
    """Whether the row's parent exists (in the file or on file) and both lie in scope."""
    parent_code = row.get("parent_code", "")
    if not parent_code:
        if code not in existing and not root():
            return [RowError(number, "parent_code", "上级单位编码不能为空")]
        return []
    errors = []
    current = existing.get(code)
    keeps_parent = current is not None and current.parent and current.parent.code == parent_code
    if parent_code not in parsed and parent_code not in existing:
        errors.append(RowError(number, "parent_code", f"上级单位编码 {parent_code} 不存在"))
    elif (
        actor is not None
        and not keeps_parent
        and parent_code in existing
        and not actor.sees(existing[parent_code])
    ):
        errors.append(RowError(number, "parent_code", f"上级单位 {parent_code} 不在您的管辖范围内"))
    if actor is not None and code in existing and not actor.sees(existing[code]):
        errors.append(RowError(number, "code", f"单位 {code} 不在您的管辖范围内"))
    return errors


def _codes_in(parsed: dict[str, tuple[int, dict[str, str]]]) -> set[str]:
    return set(parsed) | {row.get("parent_code", "") for _, row in parsed.values()} - {""}


def parents_first(rows: dict[str, tuple[int, dict[str, str]]]) -> list[str]:
    """The codes in an order that writes every parent before its children; a cycle of
    parents raises ImportRejected naming each row still waiting."""
    order: list[str] = []
    pending = dict(rows)
    while pending:
        ready = [
            code
            for code, (_, row) in pending.items()
            if not row.get("parent_code") or row["parent_code"] not in pending
        ]
        if not ready:
            raise ImportRejected(
                [
                    RowError(number, "parent_code", "上级单位关系形成循环")
                    for number, _ in sorted(pending.values(), key=lambda p: p[0])
                ]
            )
        for code in ready:
            del pending[code]
        order += ready
    return order


def export_units_csv(units: Iterable[Unit]) -> str:
    """The units in the import format, parents before children (re-importable)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(UNIT_CSV_COLUMNS)
    for unit in units:
        row = [
            unit.code,
            unit.name,
            unit.kind,
            unit.parent.code if unit.parent else "",
            unit.former_code,
        ]
        writer.writerow([csv_safe(cell) for cell in row])  # a name like =HYPERLINK(…) stays text
    return out.getvalue()
