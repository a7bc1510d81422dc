"""The XLSX annex (附件) of a generated document: every table that names a `sheet`, in full.

The text may print only a table's first rows; the annex has all of them, numbers as numbers
(so they can be summed and sorted), no data as "—". Every cell goes through
`core.uploads.xlsx_cell`: unit names and titles come from users, and formula-like text must
stay text.
"""

import io
import re
import unicodedata
from datetime import date

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

from shishi.core.documents import Document, Table
from shishi.core.uploads import xlsx_cell

NO_DATA = "—"
SHEET_NAME_MAX = 31  # Excel's limit
NOT_IN_SHEET_NAMES = re.compile(r"[\[\]:*?/\\]")
HEADER_FILL = PatternFill("solid", fgColor="D9E1F2")
TITLE_FONT = Font(bold=True, size=14)
HEADER_FONT = Font(bold=True)
NOTE_FONT = Font(italic=True, color="595959")
WIDTH_MIN, WIDTH_MAX = 8, 60


def workbook(document: Document) -> bytes:
    """The annex as .xlsx bytes: one sheet per table with `sheet` set, in document order
    (a document without such tables gets one sheet saying so)."""
    book = Workbook(write_only=True)
    names: set[str] = set()
    tables = [table for table in document.tables if table.sheet]
    for table in tables:
        name = sheet_name(table.sheet, taken=names)
        names.add(name.casefold())
        _sheet(book.create_sheet(name), table)
    if not tables:
        sheet = book.create_sheet("说明")
        sheet.append([xlsx_cell(sheet, "本文件没有附表。")])
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def sheet_name(wanted: str, *, taken: set[str]) -> str:
    """A name Excel accepts (≤ 31 characters, none of []:*?/\\) and unlike the `taken` ones
    (compared case-folded, as Excel does): 名称, 名称(2), …"""
    base = NOT_IN_SHEET_NAMES.sub("_", wanted).strip("'") or "表"
    name, copy = base[:SHEET_NAME_MAX], 1
    while name.casefold() in taken:
        copy += 1
        suffix = f"({copy})"
        name = base[: SHEET_NAME_MAX - len(suffix)] + suffix
    return name


def _sheet(sheet, table: Table) -> None:
    """Title, bold header on a fill, every row, the note last; panes frozen under the header.
    A write-only sheet takes widths and panes before its first row."""
    for index, width in enumerate(_widths(table), start=1):
        sheet.column_dimensions[get_column_letter(index)].width = width
    sheet.freeze_panes = "A3"
    columns = max(len(table.headers), 1)
    if columns > 1:
        sheet.merged_cells.add(f"A1:{get_column_letter(columns)}1")

    title = xlsx_cell(sheet, table.title)
    title.font = TITLE_FONT
    title.alignment = Alignment(horizontal="center")
    sheet.append([title])
    sheet.append([_header_cell(sheet, text) for text in table.headers])
    for row in table.rows:
        sheet.append([_value_cell(sheet, value) for value in row])
    if table.note:
        note = xlsx_cell(sheet, table.note if table.note.startswith("注") else f"注：{table.note}")
        note.font = NOTE_FONT
        sheet.append([note])


def _header_cell(sheet, text: str):
    cell = xlsx_cell(sheet, text)
    cell.font = HEADER_FONT
    cell.fill = HEADER_FILL
    cell.alignment = Alignment(horizontal="center", vertical="center", wrap_text=True)
    return cell


def _value_cell(sheet, value):
    cell = xlsx_cell(sheet, NO_DATA if value is None else value)
    if value is None:
        cell.alignment = Alignment(horizontal="center")
    elif isinstance(value, date):
        cell.number_format = "yyyy-mm-dd"
    return cell


def _widths(table: Table) -> list[float]:
    """Roughly the longest text of each column, in Excel's units (a Chinese character is 2)."""
    widths = []
    for index, header in enumerate(table.headers):
        texts = [header] + [_shown(row[index]) for row in table.rows if index < len(row)]
        longest = max(_units(text) for text in texts)
        widths.append(min(max(longest + 2, WIDTH_MIN), WIDTH_MAX))
    return widths


def _shown(value) -> str:
    if value is None:
        return NO_DATA
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _units(text: str) -> int:
    return sum(2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)
