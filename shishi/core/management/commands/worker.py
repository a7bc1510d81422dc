from django.core.management import call_command
from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "启动后台任务进程（huey）：消息投递、心跳及各模块的定时任务。"

    def handle(self, *args, **options):
        call_command("run_huey")
