"""Checking uploads before anything is saved (type by content, not by name, and size), and
storing checked ones as evidence rows."""

from django import forms
from django.conf import settings
from django.core.files.uploadedfile import UploadedFile
from django.db import models
from django.http import FileResponse, Http404
from PIL import Image, UnidentifiedImageError

IMAGE_TYPES = {"JPEG": "image/jpeg", "PNG": "image/png"}


def check_image(upload: UploadedFile, *, max_bytes: int) -> None:
    """Refuse anything that is not a real JPEG/PNG of at most `max_bytes`."""
    if upload.size > max_bytes:
        raise forms.ValidationError(
            f"“{upload.name}”超过 {max_bytes // (1024 * 1024)}MB，请压缩后再上传"
        )
    try:
        upload.seek(0)
        with Image.open(upload) as image:
            kind = image.format
            image.verify()
    except (UnidentifiedImageError, Image.DecompressionBombError, OSError, SyntaxError) as error:
        raise forms.ValidationError(f"“{upload.name}”不是有效的图片（仅支持 JPG、PNG）") from error
    finally:
        upload.seek(0)
    if kind not in IMAGE_TYPES:
        raise forms.ValidationError(f"“{upload.name}”格式为 {kind}，仅支持 JPG、PNG")
    upload.content_type = IMAGE_TYPES[kind]


def check_pdf(upload: UploadedFile, *, max_bytes: int) -> None:
    """Refuse anything that is not a PDF (by its first bytes) of at most `max_bytes`."""
    if upload.size > max_bytes:
        raise forms.ValidationError(f"“{upload.name}”超过 {max_bytes // (1024 * 1024)}MB")
    head = upload.read(5)
    upload.seek(0)
    if head != b"%PDF-":
        raise forms.ValidationError(f"“{upload.name}”不是 PDF 文件")
    upload.content_type = "application/pdf"


def check_evidence(upload: UploadedFile, *, max_bytes: int) -> None:
    """佐证材料: a photo (JPEG/PNG) or a PDF, by content."""
    upload.seek(0)
    if upload.read(5) == b"%PDF-":
        upload.seek(0)
        check_pdf(upload, max_bytes=max_bytes)
        return
    upload.seek(0)
    try:
        check_image(upload, max_bytes=max_bytes)
    except forms.ValidationError as error:
        if upload.size > max_bytes:
            raise
        message = f"“{upload.name}”不是图片或 PDF（仅支持 JPG、PNG、PDF）"
        raise forms.ValidationError(message) from error


class MultipleFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class MultipleImageField(forms.FileField):
    """Several images in one input; each checked by `check_image`."""

    accept = "image/jpeg,image/png"
    too_many = "最多上传 {n} 张图片"

    def __init__(self, *args, max_count: int, max_bytes: int | None = None, **kwargs):
        kwargs.setdefault("widget", MultipleFileInput(attrs={"accept": self.accept}))
        kwargs.setdefault("required", False)
        super().__init__(*args, **kwargs)
        self.max_bytes, self.max_count = max_bytes, max_count

    def check(self, upload: UploadedFile, *, max_bytes: int) -> None:
        check_image(upload, max_bytes=max_bytes)

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else ([data] if data else [])
        files = [forms.FileField.clean(self, f, initial) for f in files if f]
        if len(files) > self.max_count:
            raise forms.ValidationError(self.too_many.format(n=self.max_count))
        limit = self.max_bytes or settings.APPEAL_PHOTO_MAX_BYTES  # read when used, not imported
        for upload in files:
            self.check(upload, max_bytes=limit)
        return files


class MultipleEvidenceField(MultipleImageField):
    """Several 佐证材料 in one input: photos or PDFs, each checked by content."""

    accept = "image/jpeg,image/png,application/pdf"
    too_many = "最多上传 {n} 个文件"

    def check(self, upload: UploadedFile, *, max_bytes: int) -> None:
        check_evidence(upload, max_bytes=max_bytes)

    def limit_to_attachments(self, *, what: str = "", after: str = "") -> None:
        """Take the attachment size limit (`PROJECT_ATTACHMENT_MAX_BYTES`, read when the form
        is made, not at import) and say it in the help text, between `what` and `after`."""
        self.max_bytes = settings.PROJECT_ATTACHMENT_MAX_BYTES
        self.help_text = (
            f"{what}最多{self.max_count}个文件，照片（JPG、PNG）或 PDF，"
            f"每个不超过{self.max_bytes // (1024 * 1024)}MB{after}"
        )


# --- Spreadsheets people open in Excel ---------------------------------------------------------

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(value):
    """A text cell that Excel would run as a formula is prefixed with ' (shown as text)."""
    if isinstance(value, str) and value.startswith(FORMULA_STARTS):
        return "'" + value
    return value


# Excel holds at most 32,767 characters in a cell; a longer text is cut with this note.
XLSX_CELL_MAX = 32_767
XLSX_CUT_NOTE = "…（超出Excel单元格字数上限，全文见系统）"


def csv_unsafe(value: str) -> str:
    """What `csv_safe` wrote, read back: the ' it put before formula-like text removed, so an
    exported file re-imports as it was."""
    if value.startswith("'") and value[1:].startswith(FORMULA_STARTS):
        return value[1:]
    return value


def xlsx_value(sheet, value):
    """A value for a write-only sheet's row: text without the control characters an XLSX file
    cannot hold and within Excel's cell limit; formula-like text as a text cell (nobody's
    input becomes code). Anything else stays a plain value — a cell object for every value
    costs openpyxl an exception per cell, a third of a large export's time (perf-check-1)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE

    if not isinstance(value, str):
        return value
    value = ILLEGAL_CHARACTERS_RE.sub("", value)
    if len(value) > XLSX_CELL_MAX:
        value = value[: XLSX_CELL_MAX - len(XLSX_CUT_NOTE)] + XLSX_CUT_NOTE
    if not value.startswith(FORMULA_STARTS):
        return value
    cell = WriteOnlyCell(sheet, value=value)
    cell.data_type = "s"
    return cell


def xlsx_cell(sheet, value):
    """`xlsx_value` as a cell, for a caller that formats it (a date, an error's fill)."""
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import Cell

    value = xlsx_value(sheet, value)
    return value if isinstance(value, Cell) else WriteOnlyCell(sheet, value=value)


def attach(model: type[models.Model], uploads: list[UploadedFile], *, now, **owner) -> list:
    """Store each checked upload as a row of `model` (an evidence model with `file`, `name`,
    `content_type`, `size` and `uploaded_at`) belonging to `owner` (e.g. `item=…`)."""
    rows = []
    for upload in uploads:
        row = model(
            **owner,
            name=upload.name[:120],
            content_type=upload.content_type or "application/octet-stream",
            size=upload.size,
            uploaded_at=now,
        )
        row.file.save(upload.name, upload, save=False)
        row.save()
        rows.append(row)
    return rows


def serve(row: models.Model | None) -> FileResponse:
    """A stored evidence row (see `attach`) as a download, for a view that has checked access
    to its owner; 404 when there is none."""
    if row is None:
        raise Http404("没有找到该文件")
    return FileResponse(row.file.open("rb"), content_type=row.content_type, filename=row.name)
