"""shishi seed-scale --appeals N --projects M: the demo city at city scale, for benchmarks.

Appeals are the demo's cloned over three years (`appeals.scale`); projects arrive through the
ledger import, as a county's would (`projects.ledger`); then the summary tables are recounted
from the base tables for every month the data spans, by the same `reports.summary.refresh`
the worker runs, so dashboards, the bulletin and the overview agree with the lists.
"""

import random
import time
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from shishi.appeals import scale
from shishi.appeals.models import Appeal
from shishi.core.errors import Refused
from shishi.orgs.models import Unit
from shishi.projects import ledger
from shishi.projects.demo import ledger_workbook
from shishi.reports import summary

# The ledger import takes up to ledger.MAX_ROWS rows a file; a county hands in this many.
LEDGER_FILE_ROWS = 20_000


class Command(BaseCommand):
    help = "在演示城市上批量生成大规模数据（诉求、实事项目），用于性能测试。需先运行 shishi demo。"

    def add_arguments(self, parser):
        parser.add_argument("--appeals", type=int, default=0, help="新增诉求数")
        parser.add_argument("--projects", type=int, default=0, help="新增实事项目数（经台账导入）")
        parser.add_argument("--seed", type=int, default=2026, help="随机种子（结果可复现）")

    def handle(self, *args, appeals: int, projects: int, seed: int, **options):
        if appeals < 0 or projects < 0:
            raise CommandError("数量不能为负")
        now = timezone.now()
        started = time.monotonic()
        try:
            if appeals:
                self._appeals(appeals, now=now, seed=seed)
            if projects:
                self._projects(projects, now=now, seed=seed)
        except Refused as refused:
            raise CommandError(str(refused)) from refused
        # Three years back, and the month before: a clone moves by whole weeks, so the
        # oldest may land a few days before the span.
        months = summary.recent_months(
            timezone.localdate(now), count=scale.YEARS * 12 + 2 if appeals else 2
        )
        rows = summary.refresh(months, now=now)
        self.stdout.write(f"汇总表：重算 {len(months)} 个月，{rows} 行")
        if connection.vendor == "postgresql":
            # A million rows in minutes: the planner's statistics are refreshed now, not
            # whenever autovacuum gets to it. (SQLite plans without statistics.)
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")
        self.stdout.write(
            f"完成，用时 {time.monotonic() - started:.0f} 秒；现有诉求 {Appeal.objects.count()} 件"
        )

    def _appeals(self, count: int, *, now, seed: int) -> None:
        started = time.monotonic()
        step = max(count // 20, scale.BATCH)

        def progress(done: int) -> None:
            if done % step < scale.BATCH or done == count:
                rate = done / max(time.monotonic() - started, 0.001)
                self.stdout.write(f"诉求 {done}/{count}（每秒 {rate:.0f} 件）")

        scale.seed_appeals(count, now=now, seed=seed, progress=progress)

    def _projects(self, count: int, *, now, seed: int) -> None:
        rng = random.Random(seed)
        towns = list(
            Unit.objects.filter(depth=2, kind__in=["town", "street"])
            .select_related("parent")
            .order_by("code")
        )
        if not towns:
            raise CommandError("没有乡镇（街道）：请先运行 shishi demo")
        done = 0
        while done < count:
            size = min(LEDGER_FILE_ROWS, count - done)
            data = ledger_workbook(rng, towns=towns, count=size, now=now - timedelta(days=30))
            ledger.import_ledger(actor=None, data=data, now=now)
            done += size
            self.stdout.write(f"实事项目 {done}/{count}（台账导入）")
