from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shishi.core.documents import docx
from shishi.core.figures import EARLIEST
from shishi.reports import overview
from shishi.reports.management.commands.bulletin import output_path, size_text, write_files


class Command(BaseCommand):
    help = (
        "生成“我为群众办实事”实践活动工作综述：全市各模块今年以来的数据写成文字。"
        "不指定 --output 时把文字打印出来。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--date", help="统计截至日期，格式 YYYY-MM-DD；默认今天")
        parser.add_argument("--output", help="输出文件 F.docx；不指定时打印文字")

    def handle(self, *args, **options):
        today = timezone.localdate()
        as_of = parse_date(options["date"]) if options["date"] else today
        if as_of > today:
            raise CommandError(f"截至日期 {as_of:%Y-%m-%d} 晚于今天，无法统计。")
        if as_of < EARLIEST:
            raise CommandError(f"截至日期 {as_of:%Y-%m-%d} 早于{EARLIEST.year}年，无法统计。")
        if options["output"] is None:
            self.stdout.write(overview.text(as_of))
            return
        path = output_path(options["output"])
        write_files({path: docx.render(overview.compose(as_of))})
        self.stdout.write(f"已写入 {path}（{size_text(path.stat().st_size)}）")


def parse_date(value: str) -> date:
    try:
        return date.fromisoformat(value.strip())
    except ValueError:
        raise CommandError(f"日期“{value}”无效，应为 YYYY-MM-DD 格式，如 2026-11-30。") from None
