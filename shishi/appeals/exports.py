"""Exports of a filtered appeal list: streamed CSV for any size, XLSX up to 100,000 rows."""

import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from shishi.appeals.models import Channel, Kind, ReplyKind, Status, Verdict
from shishi.core.downloads import csv_download
from shishi.core.errors import Refused
from shishi.core.masking import mask_phone
from shishi.core.supervision import Level
from shishi.core.uploads import xlsx_value

XLSX_MAX_ROWS = 100_000
HEADER = [
    "受理编号",
    "受理时间",
    "渠道",
    "类型",
    "分类",
    "标题",
    "诉求内容",
    "地点",
    "反映人电话",
    "状态",
    "承办单位",
    "办理期限",
    "督办级别",
    "答复结果",
    "评价",
    "重办次数",
    "退单次数",
]


def _rows(appeals):
    """Plain tuples, not model instances: an export of a million rows stays fast."""
    tz = timezone.get_default_timezone()
    labels = {
        "channel": dict(Channel.choices),
        "kind": dict(Kind.choices),
        "status": dict(Status.choices),
        "supervision": dict(Level.choices),
        "reply_kind": dict(ReplyKind.choices),
        "verdict": dict(Verdict.choices),
    }
    # The list's own order when it has one (待派单 runs oldest first), else newest first.
    ordered = appeals if appeals.query.order_by else appeals.order_by("-received_at", "-pk")
    rows = ordered.values_list(
        "code",
        "received_at",
        "channel",
        "kind",
        "category__full_name",
        "title",
        "content",
        "place",
        "reporter_phone",
        "status",
        "holder__name",
        "handle_due",
        "supervision",
        "reply_kind",
        "verdict",
        "reopen_count",
        "return_count",
    ).iterator(chunk_size=5000)
    for (
        code,
        received,
        channel,
        kind,
        category,
        title,
        content,
        place,
        phone,
        status,
        holder,
        due,
        level,
        reply_kind,
        verdict,
        reopens,
        returns,
    ) in rows:
        yield [
            code,
            received.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            labels["channel"].get(channel, channel),
            labels["kind"].get(kind, kind),
            category,
            title,
            content,
            place,
            mask_phone(phone),
            labels["status"].get(status, status),
            holder,
            due.isoformat() if due else "",
            labels["supervision"].get(level, level),
            labels["reply_kind"].get(reply_kind, ""),
            labels["verdict"].get(verdict, ""),
            reopens,
            returns,
        ]


def _filename(extension: str) -> str:
    return f"appeals-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(appeals) -> StreamingHttpResponse:
    """Rows are written as they are read (bounded memory; the first byte comes at once)."""
    return csv_download(HEADER, _rows(appeals), filename=_filename("csv"))


def xlsx_response(appeals) -> FileResponse:
    from openpyxl import Workbook

    if appeals.count() > XLSX_MAX_ROWS:
        raise Refused(f"超过 {XLSX_MAX_ROWS:,} 条，请缩小筛选范围或导出 CSV")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求清单")
    sheet.append(HEADER)
    for row in _rows(appeals):
        sheet.append([xlsx_value(sheet, value) for value in row])
    # FileResponse closes the file once the download has been sent.
    handle = tempfile.TemporaryFile()  # noqa: SIM115
    workbook.save(handle)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=_filename("xlsx"),
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )
