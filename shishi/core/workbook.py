"""The machinery of an import/export workbook (XLSX) that units fill in and hand back: the
template with its 填写说明 sheet, a streamed export in the same layout (so it re-imports), an
all-or-nothing streamed read that checks every row before anything is written, and the
uploaded file handed back annotated cell by cell (red fill, a comment, an 错误说明 column).

A module describes its workbook as a `Layout` (sheet, columns, widths, notes) and its rows
with a `parse(number, cells)` function; the checking of columns and the writing stay in the
module (`projects.ledger`, `enterprises.workbooks`)."""

import io
import secrets
import tempfile
import time
import xml.etree.ElementTree as ET
import zipfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from pathlib import Path

from django.conf import settings
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, range_boundaries

from shishi.core.errors import Refused
from shishi.core.uploads import xlsx_cell, xlsx_value

# A file far beyond what a city hands in is refused before it can tie up a web worker.
MAX_UNCOMPRESSED = 200 * 1024 * 1024
MAX_ERRORS = 1000
ERROR_FILL = PatternFill("solid", fgColor="FFC7CE")
ERRORS_FOLDER = "ledger-errors"


@dataclass(frozen=True)
class Layout:
    """One workbook: its data sheet, its columns (field name, header), column widths, the
    notes of its 填写说明 sheet (header -> what to write) and what it is called in messages."""

    sheet: str
    columns: tuple[tuple[str, str], ...]
    widths: tuple[int, ...] = ()
    notes: dict[str, str] = field(default_factory=dict)
    freeze: str = "B2"
    max_rows: int = 30_000

    @property
    def headers(self) -> list[str]:
        return [label for _, label in self.columns]

    @property
    def names(self) -> list[str]:
        return [name for name, _ in self.columns]

    def label(self, column: str) -> str:
        return dict(self.columns).get(column, "整行")


@dataclass
class CellError:
    row: int
    column: str  # the field name ("" for the whole row)
    message: str
    label: str = ""  # the column's header (`Rejected` fills it in from the layout)

    @property
    def column_label(self) -> str:
        return self.label or ("整行" if not self.column else self.column)


class Rejected(Refused):
    """A bad workbook: nothing was written; `workbook` is the file annotated with every error
    (None when the file could not be annotated: not the template at all)."""

    def __init__(
        self, errors: list[CellError], workbook: bytes | None, layout: Layout | None = None
    ):
        super().__init__(f"导入失败：共 {len(errors)} 处错误，未写入任何数据")
        for error in errors if layout is not None else []:
            error.label = error.label or layout.label(error.column)
        self.errors = errors
        self.workbook = workbook


def text(value) -> str:
    """A cell as trimmed text (Excel's 12.0 reads as 12, line breaks normalised)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).replace("\r\n", "\n").replace("\r", "\n").strip()


def parse_date(value) -> date | None:
    """A cell as a date: a real date cell, or text like 2026-03-01, 2026/3/1, 2026.3.1."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    try:
        return date.fromisoformat(text(value).replace("/", "-").replace(".", "-"))
    except ValueError:
        pass
    parts = text(value).replace("/", "-").replace(".", "-").split("-")
    if len(parts) == 3 and all(p.isdecimal() for p in parts):
        try:
            return date(int(parts[0]), int(parts[1]), int(parts[2]))
        except ValueError:
            return None
    return None


# --- Writing ---------------------------------------------------------------------------------


def new_workbook(layout: Layout) -> tuple[Workbook, object]:
    """A write-only workbook with the data sheet and its bold header row."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.sheet)
    for index, width in enumerate(layout.widths, start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = layout.freeze
    header = []
    for label in layout.headers:
        cell = WriteOnlyCell(sheet, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    sheet.append(header)
    return workbook, sheet


def write_guide(workbook: Workbook, layout: Layout) -> None:
    guide = workbook.create_sheet("填写说明")
    guide.append(["列", "填写要求"])
    for label in layout.headers:
        guide.append([label, layout.notes.get(label, "")])
    guide.append(["注意", "整张表一次导入：任何一行有误，全部不导入，并返回标注了错误的原表格。"])


def append_row(sheet, values: Iterable) -> None:
    """One data row; text from users stays text (no formulas), dates read as dates."""
    cells = []
    for value in values:
        if isinstance(value, datetime | date):
            cell = xlsx_cell(sheet, value)
            cell.number_format = "yyyy-mm-dd"
            cells.append(cell)
        else:
            cells.append(xlsx_value(sheet, value))
    sheet.append(cells)


def save(workbook: Workbook) -> tempfile.SpooledTemporaryFile:
    handle = tempfile.SpooledTemporaryFile(max_size=8 * 1024 * 1024)  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return handle


def template(layout: Layout) -> tempfile.SpooledTemporaryFile:
    """The empty workbook handed to units."""
    workbook, _ = new_workbook(layout)
    write_guide(workbook, layout)
    return save(workbook)


# --- Reading -------------------------------------------------------------------------------------


def check_size(data: bytes, *, what: str, limit: int = MAX_UNCOMPRESSED) -> None:
    """Refuse zip bombs: the workbook's parts, unpacked, must stay under `limit` bytes."""
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except zipfile.BadZipFile as error:
        raise Refused(f"无法读取该文件，请上传 .xlsx 格式的{what}") from error
    if unpacked > limit:
        raise Refused("文件内容过大，请分批导入")


def merged_rows(workbook, sheet) -> set[int]:
    """Rows touched by merged cells, read from the sheet's XML (read-only sheets hide them)."""
    rows: set[int] = set()
    with workbook._archive.open(sheet._worksheet_path) as source:
        for _, element in ET.iterparse(source):
            if element.tag.endswith("}mergeCell"):
                _, low, _, high = range_boundaries(element.get("ref"))
                rows.update(range(low, high + 1))
            element.clear()
    return rows


def open_sheet(
    data: bytes, layout: Layout, *, what: str, max_uncompressed: int = MAX_UNCOMPRESSED
) -> tuple[object, set[int]]:
    """The data sheet of an uploaded workbook, and its rows touched by merged cells; refuses
    a file that is not an xlsx, or not this template."""
    check_size(data, what=what, limit=max_uncompressed)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not xlsx
        raise Refused(f"无法读取该文件，请上传 .xlsx 格式的{what}") from error
    if layout.sheet not in workbook.sheetnames:
        raise Rejected(
            [CellError(1, "", f"找不到工作表“{layout.sheet}”，请使用系统提供的模板")], None
        )
    sheet = workbook[layout.sheet]
    header = [text(v) for v in next(sheet.iter_rows(max_row=1, values_only=True), ())]
    if header[: len(layout.headers)] != layout.headers:
        raise Rejected([CellError(1, "", "表头与模板不一致，请使用系统提供的模板")], None)
    return sheet, merged_rows(workbook, sheet)


def _rows(sheet, width: int) -> Iterator[tuple[int, tuple]]:
    for number, cells in enumerate(sheet.iter_rows(min_row=2, values_only=True), start=2):
        yield number, tuple(cells[:width])


def check_rows(
    sheet,
    layout: Layout,
    *,
    merged: set[int],
    parse: Callable[[int, tuple], tuple[object, list[CellError]]],
    max_rows: int | None = None,
) -> tuple[list, list[CellError]]:
    """Every row read by `parse(number, cells)` -> (row, its errors), and the errors found
    (at most about MAX_ERRORS); merged and empty rows are errors of their own."""
    limit = layout.max_rows if max_rows is None else max_rows
    errors: list[CellError] = []
    rows: list = []
    for number, cells in _rows(sheet, len(layout.columns)):
        if number > limit + 1:
            raise Rejected([CellError(number, "", f"超过 {limit} 行，请分批导入")], None)
        if len(errors) >= MAX_ERRORS:
            break  # enough to act on; the rest is checked on the next upload
        if number in merged:
            errors.append(CellError(number, "", "含合并单元格，请取消合并后逐行填写"))
            continue
        if not any(text(c) for c in cells):
            errors.append(CellError(number, "", "空行，请删除"))
            continue
        row, row_errors = parse(number, cells)
        errors += row_errors
        rows.append(row)
    return rows, errors


def annotated(data: bytes, errors: list[CellError], layout: Layout) -> bytes:
    """The uploaded rows again, error cells filled red with a comment, plus an 错误说明 column."""
    by_row: dict[int, list[CellError]] = {}
    for error in errors:
        by_row.setdefault(error.row, []).append(error)
    source = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    if layout.sheet not in source.sheetnames:
        return b""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(layout.sheet)
    names = layout.names
    width = len(names)
    for number, cells in enumerate(source[layout.sheet].iter_rows(values_only=True), start=1):
        problems = by_row.get(number, [])
        out = []
        for index, value in enumerate(list(cells[:width]) + [None] * (width - len(cells))):
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
            else "；".join(f"{layout.label(e.column)}：{e.message}" for e in problems),
        )
        if problems:
            note.font = Font(color="9C0006")
            note.alignment = Alignment(wrap_text=True)
        out.append(note)
        sheet.append(out)
    write_guide(workbook, layout)
    handle = io.BytesIO()
    workbook.save(handle)
    return handle.getvalue()


# --- The annotated file, kept for its uploader -------------------------------------------------


def annotated_path(token: str) -> Path:
    return Path(settings.MEDIA_ROOT) / ERRORS_FOLDER / f"{token}.xlsx"


def keep_annotated(workbook: bytes) -> str:
    """Store an annotated workbook for its uploader to download; returns its token."""
    token = secrets.token_urlsafe(16)
    path = annotated_path(token)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(workbook)
    return token


def purge_annotated(*, older_than_hours: int = 24) -> int:
    """Delete annotated workbooks of rejected imports older than a day."""
    folder = Path(settings.MEDIA_ROOT) / ERRORS_FOLDER
    cutoff = time.time() - older_than_hours * 3600
    removed = 0
    for path in folder.glob("*.xlsx") if folder.exists() else []:
        if path.stat().st_mtime < cutoff:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
