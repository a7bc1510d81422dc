"""Exports of a filtered appeal list: streamed CSV for any size, XLSX up to 100,000 rows."""

import csv
import tempfile

from django.http import FileResponse, StreamingHttpResponse
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.core.masking import mask_phone

XLSX_MAX_ROWS = 100_000
HEADER = [
    "受理编号",
    "受理时间",
    "渠道",
    "类型",
    "分类",
    "标题",
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
    tz = timezone.get_default_timezone()
    rows = (
        appeals.select_related("category", "holder")
        .order_by("-received_at", "-pk")
        .iterator(chunk_size=2000)
    )
    for a in rows:
        yield [
            a.code,
            a.received_at.astimezone(tz).strftime("%Y-%m-%d %H:%M"),
            a.get_channel_display(),
            a.get_kind_display(),
            a.category.full_name,
            a.title,
            a.place,
            mask_phone(a.reporter_phone),
            a.get_status_display(),
            a.holder.name,
            a.handle_due.isoformat() if a.handle_due else "",
            a.get_supervision_display(),
            a.get_reply_kind_display(),
            a.get_verdict_display(),
            a.reopen_count,
            a.return_count,
        ]


class _Echo:
    def write(self, value: str) -> str:
        return value


def _filename(extension: str) -> str:
    return f"appeals-{timezone.localtime():%Y%m%d-%H%M}.{extension}"


def csv_response(appeals) -> StreamingHttpResponse:
    """Rows are written as they are read (bounded memory; the first byte comes at once)."""
    writer = csv.writer(_Echo())

    def stream():
        yield "\ufeff"  # Excel reads UTF-8 with a BOM
        yield writer.writerow(HEADER)
        for row in _rows(appeals):
            yield writer.writerow(row)

    response = StreamingHttpResponse(stream(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{_filename("csv")}"'
    return response


def xlsx_response(appeals) -> FileResponse:
    from openpyxl import Workbook

    if appeals.count() > XLSX_MAX_ROWS:
        raise Refused(f"超过 {XLSX_MAX_ROWS:,} 条，请缩小筛选范围或导出 CSV")
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("诉求清单")
    sheet.append(HEADER)
    for row in _rows(appeals):
        sheet.append(row)
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
