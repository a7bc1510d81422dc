"""党史上的今天: entries by month-day, edited by the city office, imported from XLSX."""

import io
from dataclasses import dataclass
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.core.workbook import check_size
from shishi.orgs.access import Actor
from shishi.outreach import access, events
from shishi.outreach.models import TodayEntry

Verb = events.Verb
FIRST_YEAR = 1840  # the modern history the entries come from starts here
COLUMNS = ("日期", "年份", "标题", "内容", "资料来源")
MAX_ROWS = 2000
# 2,000 short rows unpack to well under a megabyte; anything far larger is refused unread.
MAX_UNCOMPRESSED = 20 * 1024 * 1024


def parse_month_day(text: str) -> tuple[int, int]:
    """MM-DD (or M-D, M月D日) → (month, day), refused when no year has that day (02-30)."""
    cleaned = str(text).strip().replace("月", "-").replace("日", "").replace("/", "-")
    parts = cleaned.split("-")
    if len(parts) != 2 or not all(
        part.strip().isascii() and part.strip().isdecimal() for part in parts
    ):
        raise Refused(f"日期“{text}”格式不对，请写成 MM-DD，如 07-01")
    month, day = (int(part) for part in parts)
    check_month_day(month, day)
    return month, day


def check_month_day(month: int, day: int) -> None:
    """Refused unless some year has this day (02-29 does, 02-30 never)."""
    try:
        date(2000, month, day)  # a leap year: 02-29 is a real date
    except ValueError as error:
        raise Refused(f"没有{month}月{day}日这一天，请核对日期") from error


@dataclass(frozen=True)
class EntryData:
    month: int
    day: int
    year: int
    title: str
    text: str
    source: str
    image: UploadedFile | None = None  # checked by the form


def _check(data: EntryData, today: date) -> None:
    check_month_day(data.month, data.day)
    if not FIRST_YEAR <= data.year <= today.year:
        raise Refused(f"年份须在{FIRST_YEAR}年至{today.year}年之间")
    if data.year == today.year and (data.month, data.day) > (today.month, today.day):
        raise Refused("不能录入尚未发生的事件")
    for value, label in ((data.title, "标题"), (data.text, "内容"), (data.source, "资料来源")):
        if not value.strip():
            raise Refused(f"请填写{label}")
    if len(data.title.strip()) > 60:
        raise Refused("标题最多60个字")
    if len(data.source.strip()) > 200:
        raise Refused("资料来源最多200个字")


@transaction.atomic
def save_entry(
    *, data: EntryData, actor: Actor, now: datetime, entry: TodayEntry | None = None
) -> TodayEntry:
    """新增或修改一条党史上的今天 (the city office)."""
    access.editable_entries(actor)
    _check(data, timezone.localdate(now))
    twin = TodayEntry.objects.filter(
        month=data.month, day=data.day, year=data.year, title=data.title.strip()
    )
    if entry is not None:
        twin = twin.exclude(pk=entry.pk)
    if twin.exists():
        raise Refused(f"{data.month}月{data.day}日已有{data.year}年的“{data.title.strip()}”")
    entry = entry or TodayEntry()
    entry.month, entry.day, entry.year = data.month, data.day, data.year
    entry.title, entry.text = data.title.strip(), data.text.strip()
    entry.source, entry.updated_at = data.source.strip(), now
    if data.image is not None:
        entry.image.save(data.image.name, data.image, save=False)
    entry.save()
    events.record(
        actor.unit,
        verb=Verb.TODAY_SAVED,
        actor=actor,
        now=now,
        target=str(entry),
    )
    return entry


@transaction.atomic
def remove_entry(*, entry: TodayEntry, actor: Actor, now: datetime) -> None:
    """删除一条 (the city office); its image goes after commit, the audit row stays."""
    access.editable_entries(actor)
    events.record(actor.unit, verb=Verb.TODAY_REMOVED, actor=actor, now=now, target=str(entry))
    image = entry.image if entry.image else None
    entry.delete()
    if image is not None:
        transaction.on_commit(lambda: image.delete(save=False))


def template_workbook() -> bytes:
    """The import template: the header and one example row."""
    from openpyxl import Workbook

    book = Workbook()
    sheet = book.active
    sheet.title = "党史上的今天"
    sheet.append(COLUMNS)
    sheet.append(
        (
            "10-01",
            1949,
            "中华人民共和国成立",
            "1949年10月1日，中华人民共和国中央人民政府成立。",
            "《中国共产党简史》",
        )
    )
    for column, width in zip("ABCDE", (10, 8, 30, 60, 30), strict=True):
        sheet.column_dimensions[column].width = width
    buffer = io.BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def read_workbook(upload: UploadedFile) -> list[tuple]:
    """The rows of the first sheet below its header (日期 年份 标题 内容 资料来源)."""
    from openpyxl import load_workbook

    data = upload.read()
    check_size(data, what="表格", limit=MAX_UNCOMPRESSED)
    try:
        book = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as error:  # openpyxl raises many kinds for a file that is not XLSX
        raise Refused("无法读取该文件，请上传 Excel（.xlsx）文件") from error
    sheet = book.worksheets[0]
    rows = list(sheet.iter_rows(values_only=True, max_row=MAX_ROWS + 2))
    book.close()
    if not rows or tuple(str(c or "").strip() for c in rows[0][: len(COLUMNS)]) != COLUMNS:
        raise Refused(f"第一行须为表头：{' '.join(COLUMNS)}")
    body = [row for row in rows[1:] if any(cell not in (None, "") for cell in row)]
    if len(body) > MAX_ROWS:
        raise Refused(f"一次最多导入{MAX_ROWS}行")
    return body


def _row_data(row: tuple) -> EntryData:
    cells = [*row, *([None] * len(COLUMNS))][: len(COLUMNS)]
    day, year, title, text, source = cells
    if isinstance(day, datetime | date):
        month_day = (day.month, day.day)
    else:
        month_day = parse_month_day(str(day or ""))
    try:
        year = int(year)
    except (TypeError, ValueError) as error:
        raise Refused(f"年份“{year or ''}”不是数字") from error
    return EntryData(
        month=month_day[0],
        day=month_day[1],
        year=year,
        title=str(title or ""),
        text=str(text or ""),
        source=str(source or ""),
    )


@transaction.atomic
def import_entries(*, upload: UploadedFile, actor: Actor, now: datetime) -> tuple[int, int]:
    """导入: every row checked first; any bad row refuses the whole file (the message names
    each row). An entry with the same date, year and title is updated. → (added, updated)."""
    access.editable_entries(actor)
    today = timezone.localdate(now)
    rows = read_workbook(upload)
    if not rows:
        raise Refused("文件中没有数据行")
    checked, errors = [], []
    for number, row in enumerate(rows, start=2):
        try:
            data = _row_data(row)
            _check(data, today)
        except Refused as refusal:
            errors.append(f"第{number}行：{refusal.message}")
        else:
            checked.append(data)
    if errors:
        shown = "；".join(errors[:10]) + (
            f"；另有{len(errors) - 10}行有误" if len(errors) > 10 else ""
        )
        raise Refused(f"导入未进行，请修改后重新上传。{shown}")
    added = updated = 0
    for data in checked:
        _, created = TodayEntry.objects.update_or_create(
            month=data.month,
            day=data.day,
            year=data.year,
            title=data.title.strip(),
            defaults={"text": data.text.strip(), "source": data.source.strip(), "updated_at": now},
        )
        added += created
        updated += not created
    events.record(
        actor.unit,
        verb=Verb.TODAY_IMPORTED,
        actor=actor,
        now=now,
        target=upload.name[:120],
        note=f"新增{added}条，更新{updated}条",
    )
    return added, updated
