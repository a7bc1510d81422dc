import os
import re
from datetime import date, timedelta
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shishi.core.figures import EARLIEST
from shishi.reports import bulletin


class Command(BaseCommand):
    help = (
        "生成全市“我为群众办实事”月度通报（公文格式 .docx），并在同一目录写出同名 .xlsx 附件"
        "（排名表、通报清单）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--month", help="通报月份，格式 YYYY-MM；默认上一个完整月份")
        parser.add_argument("--output", help="输出文件 F.docx；附件写为同目录的 F.xlsx")

    def handle(self, *args, **options):
        today = timezone.localdate()
        month = parse_month(options["month"]) if options["month"] else last_complete_month(today)
        if month > today:
            raise CommandError(f"{month.year}年{month.month}月尚未开始，无法通报。")
        docx_path = output_path(options["output"])
        xlsx_path = docx_path.with_suffix(".xlsx")
        if xlsx_path.is_dir():
            raise CommandError(f"附件路径是一个目录：{xlsx_path}")
        document, workbook = bulletin.files(month, today=today)
        write_files({docx_path: document, xlsx_path: workbook})
        for path in (docx_path, xlsx_path):
            self.stdout.write(f"已写入 {path}（{size_text(path.stat().st_size)}）")


def last_complete_month(today: date) -> date:
    """The first day of the month before `today`'s."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def parse_month(value: str) -> date:
    match = re.fullmatch(r"(\d{4})-(\d{1,2})", value.strip())
    if match and int(match[1]) >= EARLIEST.year:
        try:
            return date(int(match[1]), int(match[2]), 1)
        except ValueError:
            pass
    raise CommandError(f"月份“{value}”无效，应为 YYYY-MM 格式，如 2026-11。")


def output_path(value: str | None) -> Path:
    """The .docx to write, checked before anything is composed."""
    if not value:
        raise CommandError("请用 --output 指定输出文件，如 --output 通报.docx。")
    path = Path(value).expanduser().absolute()
    if path.suffix.lower() != ".docx":
        raise CommandError(f"输出文件须以 .docx 结尾：{value}")
    if path.is_dir():
        raise CommandError(f"输出路径是一个目录：{value}")
    if not path.parent.is_dir():
        raise CommandError(f"目录不存在：{path.parent}")
    if not os.access(path.parent, os.W_OK):
        raise CommandError(f"没有写入目录的权限：{path.parent}")
    return path


def write_files(files: dict[Path, bytes]) -> None:
    """All files or none: each is written beside itself under a temporary name, and only
    when all are written are they renamed into place."""
    written: list[tuple[Path, Path]] = []
    try:
        for path, content in files.items():
            temporary = path.with_name(f".{path.name}.part")
            written.append((temporary, path))
            temporary.write_bytes(content)
        for temporary, path in written:
            temporary.replace(path)
    except OSError as error:
        for temporary, _ in written:
            temporary.unlink(missing_ok=True)
        raise CommandError(
            f"无法写入文件 {error.filename or ''}：{error.strerror or error}"
        ) from error


def size_text(size: int) -> str:
    return f"{size / 1024:,.1f} KB" if size >= 1024 else f"{size} 字节"
