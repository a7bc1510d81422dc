from django.core.management.base import BaseCommand

from shishi.core.demo import loaders


class Command(BaseCommand):
    help = "载入演示城市（漳州）：组织机构、演示账号、诉求分类和演示诉求等。可重复执行。"

    def handle(self, *args, **options):
        for loader in loaders():
            self.stdout.write(f"· {loader.label}：{loader.load()}")
