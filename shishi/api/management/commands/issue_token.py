from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from shishi.api import actions
from shishi.api.access import SCOPES
from shishi.core.errors import Refused
from shishi.orgs.queries import unit_by_code


class Command(BaseCommand):
    help = (
        "签发集成令牌（与“系统 → 集成令牌”页面相同）：令牌代表一个单位，只显示这一次。"
        "记入审计日志（命令行）。"
    )

    def add_arguments(self, parser):
        parser.add_argument("--name", required=True, help="对接的系统，如：省12345平台")
        parser.add_argument("--unit", required=True, help="代表单位的代码（如 350600000000）")
        parser.add_argument(
            "--scope",
            action="append",
            choices=list(SCOPES),
            help="权限范围，可重复；不填为全部："
            + "；".join(f"{code} {label}" for code, label in SCOPES.items()),
        )
        parser.add_argument("--days", type=int, default=90, help="有效期（天），默认90")
        parser.add_argument("--rate", type=int, default=600, help="每分钟请求上限，默认600")

    def handle(self, *args, name, unit, scope, days, rate, **options):
        found = unit_by_code(unit)
        if found is None:
            raise CommandError(f"没有代码为 {unit} 的单位")
        try:
            issued = actions.issue_token(
                actor=None,
                name=name,
                unit=found,
                scopes=scope or list(SCOPES),
                days=days,
                rate_per_minute=rate,
                now=timezone.now(),
            )
        except Refused as refusal:
            raise CommandError(refusal.message) from refusal
        self.stdout.write(issued.key)
