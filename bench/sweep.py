"""Benchmark: the first supervision sweep after a long outage (DESIGN §8: over 1M ≤ 10 s).

Builds a throwaway SQLite database (or uses DATABASE_URL), with N appeals in hand, all
overdue by more than the 通报 threshold and never swept, spread over 50 units with two
clerks each; then times one `sweep_supervision` — which moves every appeal straight to 通报
and writes 4N events (one per rung climbed) and 2N SMS (通报 only) — and a second,
idempotent sweep that finds nothing to do.

    .venv/bin/python bench/sweep.py --duties 100000
"""

import argparse
import json
import os
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--duties", type=int, default=100_000)
    parser.add_argument("--units", type=int, default=50)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="shishi-bench-")
    os.environ.setdefault("SHISHI_VAR_DIR", var)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "shishi.settings")
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)
    result = run(duties=args.duties, units=args.units)
    result["database"] = connection.vendor
    out = ROOT / "bench" / "results" / f"sweep-{datetime.now(UTC):%Y%m%d-%H%M%S}.json"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(result, ensure_ascii=False, indent=2))
    print(json.dumps(result, ensure_ascii=False, indent=2))
    print(f"written to {out.relative_to(ROOT)}")


def run(*, duties: int, units: int) -> dict:
    from shishi.appeals.actions import import_categories, sweep_supervision
    from shishi.appeals.models import Appeal, AppealEvent, Category, Status
    from shishi.core.models import OutboxMessage
    from shishi.core.supervision import Level
    from shishi.orgs import actions as orgs
    from shishi.orgs.models import Role, Unit

    city = orgs.create_unit(
        actor=None, code="350600", name="漳州市", kind=Unit.Kind.CITY, parent=None
    )
    holders = []
    for n in range(units):
        unit = orgs.create_unit(
            actor=None, code=f"3506{n:04d}", name=f"单位{n}", kind=Unit.Kind.TOWN, parent=city
        )
        for clerk in range(2):
            orgs.create_person(
                actor=None,
                username=f"clerk{n}_{clerk}",
                name=f"经办{n}-{clerk}",
                phone=f"139{n:04d}{clerk:04d}",
                title="",
                password="Bench-password-2026",
                unit=unit,
                role=Role.UNIT_CLERK,
            )
        holders.append(unit)
    import_categories(rows=[("城乡建设", "住房保障")])
    category = Category.objects.get(full_name="城乡建设/住房保障")
    now = datetime(2026, 12, 1, 0, 30, tzinfo=UTC)
    received = datetime(2026, 9, 1, 1, 0, tzinfo=UTC)
    started = time.perf_counter()
    Appeal.objects.bulk_create(
        (
            Appeal(
                code=f"ZZ20260901-{n:06d}",
                channel="phone",
                kind="help",
                category=category,
                title="小区路灯不亮",
                content="小区路灯已经坏了一个月，晚上出行很不方便。",
                reporter_phone="13800000000",
                first_receiver=city,
                holder=holders[n % units],
                received_at=received,
                status=Status.ACCEPTED,
                handle_due=received.date(),
            )
            for n in range(duties)
        ),
        batch_size=2000,
    )
    seeded = time.perf_counter() - started

    started = time.perf_counter()
    moved = sweep_supervision(now=now)
    first = time.perf_counter() - started
    started = time.perf_counter()
    again = sweep_supervision(now=now)
    second = time.perf_counter() - started
    assert moved == {Level.NOTIFY: duties}, moved
    assert again == {}, again
    return {
        "benchmark": "first supervision sweep after an outage",
        "duties": duties,
        "units": units,
        "seed_seconds": round(seeded, 2),
        "first_sweep_seconds": round(first, 2),
        "first_sweep_duties_per_second": round(duties / first),
        "second_sweep_seconds": round(second, 3),
        "events_written": AppealEvent.objects.count(),
        "sms_queued": OutboxMessage.objects.count(),
        "target": "DESIGN §8: deadline sweep over 1M <= 10 s",
    }


if __name__ == "__main__":
    main()
