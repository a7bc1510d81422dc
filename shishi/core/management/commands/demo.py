from django.core.management.base import BaseCommand, CommandError

from shishi.core.demo import loaders


class Command(BaseCommand):
    help = "载入演示城市（漳州）：组织机构、演示账号、诉求分类和演示诉求等。可重复执行。"

    def add_arguments(self, parser):
        parser.add_argument(
            "--only",
            default="",
            help="只载入这些部分（逗号分隔，如 appeals,projects）；组织机构和汇总统计总会载入",
        )

    def handle(self, *args, **options):
        try:
            chosen = loaders(name for name in options["only"].split(",") if name)
        except ValueError as error:
            raise CommandError(str(error)) from error
        for loader in chosen:
            self.stdout.write(f"· {loader.label}：{loader.load()}")
