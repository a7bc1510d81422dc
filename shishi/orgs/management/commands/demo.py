from django.core.management.base import BaseCommand

from shishi.orgs.demo import DEMO_PASSWORD, load_demo


class Command(BaseCommand):
    help = "载入演示城市（漳州）：行政区划、市直部门、党组织和各角色演示账号。可重复执行。"

    def handle(self, *args, **options):
        logins = load_demo()
        self.stdout.write(
            self.style.SUCCESS(f"演示数据已就绪。演示账号（密码均为 {DEMO_PASSWORD}）：")
        )
        for username, name, where in logins:
            self.stdout.write(f"  {username:<11} {name}  {where}")
