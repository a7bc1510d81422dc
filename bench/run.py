"""`make bench`: Shishi at city scale against DESIGN §8, with django-helpdesk in the same run.

1. A database with the demo city and N cloned appeals (`shishi seed-scale`): SQLite under
   bench/var/ (kept, and reused while it holds the same N), or DATABASE_URL.
2. The server as production runs it: gunicorn, 2 workers × 4 threads, DEBUG off; no worker
   process, so no sweep competes with the load.
3. Each HTTP scenario is driven by locust (its own venv, bench/.venv-locust) for S seconds
   with U users; each is requested once more in-process to count its SQL queries.
4. The timed jobs (exports over HTTP with time to first byte; the ledger import, the first
   sweep after a 30-day outage, the monthly bulletin in-process, rolled back where they
   write) are run once each.
5. The peer (bench/peer: django-helpdesk in bench/.venv-helpdesk) is seeded with as many
   tickets and served the same way; its equivalent scenarios run with the same load.
6. bench/results/<timestamp>.json and .md: throughput, p50/p95/p99, errors, queries per
   request, and Shishi/peer ratios. `--smoke` checks every scenario ran without errors.

    .venv/bin/python bench/run.py --appeals 1000000 --projects 20000
    .venv/bin/python bench/run.py --smoke
"""

import argparse
import csv
import json
import os
import platform
import re
import secrets
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request
from datetime import UTC, datetime, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
BENCH = ROOT / "bench"
LOCUST_VENV = BENCH / ".venv-locust"
LOCUSTFILE = BENCH / "load" / "locustfile.py"
PASSWORD = "Zhangzhou@2026"  # the demo city's
SEARCH_WORD = "路灯"
# Shishi's scenarios that have an equivalent in the peer, and the peer's name for it.
PEER_EQUIVALENT = {
    "intake": "intake",
    "staff_detail": "detail",
    "queue_first": "list",
    "search": "search",
    "dashboard": "dashboard",
}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--appeals", type=int, default=1_000_000)
    parser.add_argument("--projects", type=int, default=20_000)
    parser.add_argument("--seconds", type=int, default=30)
    parser.add_argument("--ledger-rows", type=int, default=20_470, help="rows of the import job")
    parser.add_argument("--users", type=int, default=8)
    parser.add_argument("--no-peer", action="store_true", help="skip django-helpdesk")
    parser.add_argument("--only", default="", help="comma-separated scenario names")
    parser.add_argument("--smoke", action="store_true", help="tiny scale; fail on any error")
    args = parser.parse_args()
    if args.smoke:
        args.appeals, args.projects, args.seconds, args.users = 1_000, 100, 3, 2
        args.ledger_rows = 200
    # The smoke needs the appeals and the ledger, not the campaign's other demo modules.
    demo = ["appeals", "projects"] if args.smoke else []
    database = prepare_database(appeals=args.appeals, projects=args.projects, demo=demo)
    started = datetime.now(UTC)
    result = {
        "started": started.isoformat(timespec="seconds"),
        "machine": machine(),
        "appeals": args.appeals,
        "projects": args.projects,
        "seconds": args.seconds,
        "users": args.users,
        "database": database,
        "scenarios": {},
        "jobs": {},
        "peer": {},
    }
    only = {name for name in args.only.split(",") if name}
    shishi = run_shishi(args, only=only)
    result["scenarios"], result["jobs"] = shishi
    if not args.no_peer:
        result["peer"] = run_peer(args, database=database, only=only)
    out = write_results(result, started=started)
    print(markdown(result))
    print(f"written to {out.relative_to(ROOT)}(.json/.md)")
    return check_smoke(result) if args.smoke else 0


# --- The database --------------------------------------------------------------------------


def prepare_database(*, appeals: int, projects: int, demo: list[str] = ()) -> dict:
    """Point this process (and the server it starts) at a seeded database; say which."""
    os.environ["DJANGO_SETTINGS_MODULE"] = "shishi.settings"
    os.environ["SHISHI_TOTP_ENFORCE"] = "0"  # the demo's staff sign in with a password
    # Sessions made here must be readable by the server: one key for both.
    os.environ.setdefault("SHISHI_SECRET_KEY", secrets.token_urlsafe(50))
    url = os.environ.get("DATABASE_URL", "")
    if not url:
        var = BENCH / "var" / "-".join(["sqlite", str(appeals), str(projects), *demo])
        var.mkdir(parents=True, exist_ok=True)
        os.environ["SHISHI_VAR_DIR"] = str(var)
    else:
        var = Path(tempfile.mkdtemp(prefix="shishi-bench-"))
        os.environ["SHISHI_VAR_DIR"] = str(var)
    marker = var / "seeded.json" if not url else None
    shishi = [str(ROOT / ".venv" / "bin" / "shishi")]
    seeded = None
    if marker and marker.exists():
        seeded = json.loads(marker.read_text())
    import django

    django.setup()
    from shishi.appeals.models import Appeal

    subprocess.run([*shishi, "migrate", "--noinput", "-v0"], check=True)
    if seeded is None and (not url or Appeal.objects.count() < appeals):
        began = time.monotonic()
        only = ["--only", ",".join(demo)] if demo else []
        subprocess.run([*shishi, "demo", *only], check=True, stdout=subprocess.DEVNULL)
        demo = time.monotonic() - began
        subprocess.run(
            [*shishi, "seed-scale", "--appeals", str(appeals), "--projects", str(projects)],
            check=True,
        )
        seeded = {
            "demo_seconds": round(demo, 1),
            "seed_seconds": round(time.monotonic() - began - demo, 1),
        }
        if marker:
            marker.write_text(json.dumps(seeded))
    from django.db import connection

    return {
        "vendor": connection.vendor,
        "version": ".".join(map(str, connection.Database.sqlite_version_info))
        if connection.vendor == "sqlite"
        else str(connection.cursor().connection.info.server_version),
        "appeals": Appeal.objects.count(),
        **(seeded or {}),
    }


def machine() -> dict:
    meminfo = Path("/proc/meminfo").read_text().splitlines()
    cpuinfo = Path("/proc/cpuinfo").read_text().splitlines()
    memory = next((line.split()[1] for line in meminfo if line.startswith("MemTotal")), "0")
    cpu = next(
        (line.split(":", 1)[1].strip() for line in cpuinfo if "model name" in line),
        platform.processor(),
    )
    return {
        "cpus": os.cpu_count(),
        "cpu": cpu,
        "memory_gib": round(int(memory) / 1024 / 1024, 1),
        "python": platform.python_version(),
    }


# --- Shishi ----------------------------------------------------------------------------------


def run_shishi(args, *, only: set[str]) -> tuple[dict, dict]:
    fixtures = shishi_fixtures()
    port = free_port()
    # Behind one proxy (nginx in production): client addresses come in X-Forwarded-For.
    os.environ["SHISHI_PROXY_COUNT"] = "1"
    server = start_server(
        [
            str(ROOT / ".venv" / "bin" / "gunicorn"),
            "shishi.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            "2",
            "--threads",
            "4",
            "--log-level",
            "warning",
        ],
        port=port,
        cwd=ROOT,
    )
    base = f"http://127.0.0.1:{port}"
    try:
        jobs = {"dashboard_cold": cold_request(base, "/staff/reports/", fixtures["cookie"])}
        jobs["staff_home_cold"] = cold_request(base, "/staff/", fixtures["cookie"])
        scenarios = {}
        for name, spec in shishi_scenarios(fixtures).items():
            if only and name not in only:
                continue
            scenarios[name] = load(name, spec, base=base, args=args)
            scenarios[name]["queries"] = count_queries(spec)
        for name, job in shishi_jobs(fixtures, base=base, ledger_rows=args.ledger_rows).items():
            if not only or name in only:
                jobs[name] = job()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return scenarios, jobs


def shishi_fixtures() -> dict:
    """What the scenarios need from the database: keys, codes, a session, a token."""
    from django.contrib.auth import get_user_model
    from django.test import Client

    from shishi.appeals.models import Appeal, Category, Status
    from shishi.orgs.models import Unit
    from shishi.testing import integration_key

    newest = Appeal.objects.order_by("-pk")
    appeals = list(newest.values_list("code", "tracking_key")[:2000:10])
    # A page well down the list: the cursor of the 20,000th newest appeal (or the last).
    deep = newest.values_list("received_at", "pk")[min(20_000, newest.count() - 1)]
    from shishi.appeals.queries import encode_cursor

    city = Unit.objects.get(depth=0)
    county = Unit.objects.filter(depth=1, kind__in=["county", "district"]).order_by("code").first()
    category = (
        Category.objects.filter(level=1, appeals__isnull=False).order_by("sort", "pk").first()
        or Category.objects.filter(appeals__isnull=False).first()
    )
    leaf = Category.objects.filter(level=3, active=True).order_by("pk").first()
    operator = get_user_model().objects.get(username="operator")
    client = Client()
    client.force_login(operator)
    return {
        "codes": [code for code, _ in appeals],
        "tracking_keys": [key for _, key in appeals],
        "deep_cursor": encode_cursor(Appeal(received_at=deep[0], pk=deep[1])),
        "county": county.pk,
        "category": category.pk,
        "leaf_category": leaf.pk,
        # A token may make 6,000 requests a minute; intake is to reach more than that.
        "keys": [
            integration_key(city, name=f"性能测试{n}", rate_per_minute=6_000) for n in range(10)
        ],
        "cookie": client.cookies["sessionid"].value,
        "client": client,
        "open_status": Status.ACCEPTED,
    }


def shishi_scenarios(fx: dict) -> dict[str, dict]:
    def staff(username: str = "operator") -> dict:
        fields = {"username": username, "password": PASSWORD}
        return {"login": {"url": "/staff/login/", "fields": fields}, "task": "get"}

    return {
        "intake": {
            "task": "json",
            "url": "/api/v1/appeals/",
            "headers_cycle": {"Authorization": [f"Bearer {key}" for key in fx["keys"]]},
            "headers_each": {"Idempotency-Key": "bench-{n}"},
            "body": {
                "kind": "complaint",
                "category": fx["leaf_category"],
                "title": "小区路灯不亮",
                "content": "芝山街道某小区门口路灯连续多日不亮，夜间出行不便，请尽快维修。{n}",
                "place": "芝山街道",
                "reporter_name": "陈先生",
                "reporter_phone": "13906960001",
            },
            "expect": [201],
        },
        "public_home": {"task": "get", "paths": ["/"]},
        # A citizen follows the link in their SMS (/t/<key>, limited per address) to the
        # tracking page: two requests, the second the page.
        "public_track": {
            "task": "get",
            "paths": [f"/t/{key}" for key in fx["tracking_keys"]],
            "many_addresses": True,
        },
        "staff_detail": staff() | {"paths": [f"/staff/appeals/{code}/" for code in fx["codes"]]},
        "queue_first": staff() | {"paths": ["/staff/appeals/?queue=all"]},
        "queue_deep": staff() | {"paths": [f"/staff/appeals/?queue=all&after={fx['deep_cursor']}"]},
        "queue_filtered": staff()
        | {"paths": [f"/staff/appeals/?queue=all&unit={fx['county']}&category={fx['category']}"]},
        # A street's clerk (芝山街道) opens their queue: its tabs count the unit's work.
        "queue_street": staff("zs_clerk") | {"paths": ["/staff/appeals/"]},
        "search": staff() | {"paths": [f"/staff/appeals/?queue=all&q={SEARCH_WORD}"]},
        "staff_home": staff() | {"paths": ["/staff/"]},
        # The city's dashboard is its leaders' and the office's (the 受理员 has no figures).
        "dashboard": staff("admin") | {"paths": ["/staff/reports/"]},
    }


def count_queries(spec: dict) -> int | None:
    """SQL queries of one request of the scenario, served in-process."""
    if spec["task"] != "get":
        return None
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    # Another address each time: public pages are limited per address.
    client = Client(REMOTE_ADDR=f"10.0.{secrets.randbelow(256)}.{secrets.randbelow(254) + 1}")
    if spec.get("login"):
        from django.contrib.auth import get_user_model

        username = spec["login"]["fields"]["username"]
        client.force_login(get_user_model().objects.get(username=username))
    path = spec["paths"][0]
    client.get(path, follow=True)  # warm: the session's first request settles its own rows
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path, follow=True)  # as locust does (requests follows)
    # Staff pages answer in place; a redirect to the login page would count the wrong page.
    redirected = response.redirect_chain and spec.get("login")
    return len(queries) if response.status_code == 200 and not redirected else None


def shishi_jobs(fx: dict, *, base: str, ledger_rows: int) -> dict:
    cookie = fx["cookie"]
    return {
        "export_csv": lambda: timed_download(base, "/staff/appeals/export.csv?queue=all", cookie),
        "export_xlsx": lambda: timed_download(
            base, f"/staff/appeals/export.xlsx?queue=all&unit={fx['county']}", cookie
        ),
        "ledger_import": lambda: ledger_import(ledger_rows),
        "sweep_after_outage": sweep_after_outage,
        "bulletin": bulletin,
    }


def ledger_import(rows: int) -> dict:
    """New projects through the import (20,470: the city's own ledger), rolled back."""
    import random

    from django.utils import timezone

    from shishi.orgs.models import Unit
    from shishi.projects import ledger
    from shishi.projects.demo import ledger_workbook

    towns = list(Unit.objects.filter(depth=2).select_related("parent").order_by("code"))
    data = ledger_workbook(random.Random(1), towns=towns, count=rows, now=timezone.now())
    seconds = rolled_back(lambda: ledger.import_ledger(actor=None, data=data, now=timezone.now()))
    return {"rows": rows, "seconds": round(seconds, 2)}


def sweep_after_outage() -> dict:
    """The worker's supervision sweep, first run after 30 days down, rolled back."""
    from django.utils import timezone

    from shishi.appeals.actions import sweep_dispatch, sweep_supervision
    from shishi.appeals.models import Appeal

    later = timezone.now() + timedelta(days=30)
    in_hand = Appeal.objects.in_hand().count()
    steps = {}

    def sweep():
        steps["handling"] = sum(sweep_supervision(now=later).values())
        steps["dispatch"] = sum(sweep_dispatch(now=later).values())

    seconds = rolled_back(sweep)
    return {"in_hand": in_hand, "steps": steps, "seconds": round(seconds, 2)}


def bulletin() -> dict:
    from django.utils import timezone

    from shishi.reports import bulletin as documents
    from shishi.reports.management.commands.bulletin import last_complete_month

    today = timezone.localdate()
    began = time.monotonic()
    document, annex = documents.files(last_complete_month(today), today=today)
    return {"seconds": round(time.monotonic() - began, 2), "bytes": len(document) + len(annex)}


class _RollBack(Exception):
    pass


def rolled_back(work) -> float:
    """Seconds `work` took inside a transaction that is then rolled back."""
    from django.db import transaction

    began = time.monotonic()
    try:
        with transaction.atomic():
            work()
            seconds = time.monotonic() - began
            raise _RollBack
    except _RollBack:
        return seconds


# --- The peer --------------------------------------------------------------------------------


def run_peer(args, *, database: dict, only: set[str]) -> dict:
    from bench import peer
    from shishi.appeals.demo_texts import APPEAL_TEXTS

    peer.install()
    texts = [
        {
            "title": text.title,
            "content": text.content.format(town="芝山街道", county="芗城区", place="胜利路"),
        }
        for text in APPEAL_TEXTS
    ]
    work = BENCH / "var" / f"peer-{database['vendor']}-{args.appeals}"
    work.mkdir(parents=True, exist_ok=True)
    url = os.environ.get("DATABASE_URL")
    peer_url = f"{url.rsplit('/', 1)[0]}/shishi_bench_helpdesk" if url else None
    if peer_url:
        create_database(peer_url)
    began = time.monotonic()
    info = peer.prepare(work, args.appeals, texts, database_url=peer_url)
    seeded = round(time.monotonic() - began, 1)
    port = free_port()
    server = peer.serve(work, port, database_url=peer_url)
    base = f"http://127.0.0.1:{port}"
    results = {"prepare_seconds": seeded, "tickets": info.get("tickets"), "scenarios": {}}
    try:
        # The dashboard alone: at a million tickets it takes longer than a run's seconds.
        results["dashboard_single"] = cold_request(base, "/dashboard/", None, login=info)
        specs = peer.scenarios(info | {"search_term": SEARCH_WORD})
        for ours, theirs in PEER_EQUIVALENT.items():
            if only and ours not in only:
                continue
            results["scenarios"][ours] = load(f"peer_{theirs}", specs[theirs], base=base, args=args)
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def create_database(url: str) -> None:
    """The peer's PostgreSQL database, beside Shishi's on the same server, once."""
    import psycopg

    server, name = url.rsplit("/", 1)
    with psycopg.connect(f"{server}/postgres", autocommit=True) as connection:
        if not connection.execute(
            "SELECT 1 FROM pg_database WHERE datname = %s", [name]
        ).fetchone():
            connection.execute(f'CREATE DATABASE "{name}"')


# --- Load and timing -------------------------------------------------------------------------


def ensure_locust() -> Path:
    binary = LOCUST_VENV / "bin" / "locust"
    requirements = BENCH / "load" / "requirements.txt"
    stamp = LOCUST_VENV / ".installed"
    if not stamp.exists() or stamp.read_text() != requirements.read_text():
        subprocess.run([sys.executable, "-m", "venv", str(LOCUST_VENV)], check=True)
        pip = [str(LOCUST_VENV / "bin" / "pip"), "install", "--quiet"]
        subprocess.run([*pip, "--upgrade", "pip"], check=True)
        subprocess.run([*pip, "-r", str(requirements)], check=True)
        stamp.write_text(requirements.read_text())
    return binary


def load(name: str, spec: dict, *, base: str, args) -> dict:
    """Run locust headless against `base` with `spec`; its figures for the scenario."""
    locust = ensure_locust()
    with tempfile.TemporaryDirectory(prefix="shishi-locust-") as tmp:
        spec_file = Path(tmp) / "spec.json"
        spec_file.write_text(json.dumps(spec | {"name": name}, ensure_ascii=False))
        prefix = Path(tmp) / "stats"
        began = time.monotonic()
        done = subprocess.run(
            [
                str(locust),
                "-f",
                str(LOCUSTFILE),
                "--headless",
                "--users",
                str(args.users),
                "--spawn-rate",
                str(args.users),
                "--run-time",
                f"{args.seconds}s",
                "--stop-timeout",
                "10",
                "--host",
                base,
                "--csv",
                str(prefix),
                "--only-summary",
                "--loglevel",
                "WARNING",
            ],
            env={**os.environ, "BENCH_SPEC": str(spec_file)},
            capture_output=True,
            text=True,
        )
        if not Path(f"{prefix}_stats.csv").exists():
            raise SystemExit(f"locust failed on {name}:\n{done.stderr[-3000:]}")
        with open(f"{prefix}_stats.csv", encoding="utf-8") as handle:
            rows = {row["Name"]: row for row in csv.DictReader(handle)}
        errors = []
        if Path(f"{prefix}_failures.csv").exists():
            with open(f"{prefix}_failures.csv", encoding="utf-8") as handle:
                errors = [
                    f"{r['Name']}: {r['Error']} ×{r['Occurrences']}" for r in csv.DictReader(handle)
                ]
    row = rows.get(name)
    if row is None:
        return {"requests": 0, "failures": 0, "errors": errors or [done.stderr[-2000:]]}
    return {
        "requests": int(row["Request Count"]),
        "failures": int(row["Failure Count"]),
        "rps": round(float(row["Requests/s"]), 1),
        "p50_ms": number(row["50%"]),
        "p95_ms": number(row["95%"]),
        "p99_ms": number(row["99%"]),
        "seconds": round(time.monotonic() - began, 1),
        "errors": errors,
    }


def number(text: str) -> float | None:
    return None if text in ("", "N/A") else float(text)


def cold_request(base: str, path: str, cookie: str | None, *, login: dict | None = None) -> dict:
    """One request timed, with a session cookie, or signed in first through `login`'s
    form (the peer's)."""
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor())
    headers = {"Cookie": f"sessionid={cookie}"} if cookie else {}
    if login:
        page = opener.open(base + login["login_url"], timeout=60).read().decode()
        token = re.search(r'name="csrfmiddlewaretoken"\s+value="([^"]+)"', page).group(1)
        fields = {
            "username": login["username"],
            "password": login["password"],
            "csrfmiddlewaretoken": token,
            "next": "/settings/",
        }
        form = urllib.request.Request(
            base + login["login_url"],
            data=urllib.parse.urlencode(fields).encode(),
            headers={"Referer": base + login["login_url"]},
        )
        opener.open(form, timeout=60).read()
    began = time.monotonic()
    request = urllib.request.Request(base + path, headers=headers)
    with opener.open(request, timeout=600) as response:
        response.read()
        status = response.status
    return {"status": status, "seconds": round(time.monotonic() - began, 3)}


def timed_download(base: str, path: str, cookie: str) -> dict:
    """One export: time to first byte, total time, size, lines."""
    request = urllib.request.Request(base + path, headers={"Cookie": f"sessionid={cookie}"})
    began = time.monotonic()
    size = lines = 0
    first = None
    with urllib.request.urlopen(request, timeout=600) as response:
        while chunk := response.read(65536):
            first = first or time.monotonic() - began
            size += len(chunk)
            lines += chunk.count(b"\n")
        status = response.status
    return {
        "status": status,
        "first_byte_seconds": round(first or 0, 2),
        "seconds": round(time.monotonic() - began, 2),
        "bytes": size,
        "lines": lines if path.split("?")[0].endswith(".csv") else None,
    }


def free_port() -> int:
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server(command: list[str], *, port: int, cwd: Path) -> subprocess.Popen:
    server = subprocess.Popen(command, cwd=cwd)
    for _ in range(300):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
            return server
        except OSError:
            if server.poll() is not None:
                raise SystemExit(f"server exited with {server.returncode}") from None
            time.sleep(0.2)
    server.terminate()
    raise SystemExit("server did not start within 60 s")


# --- Results ---------------------------------------------------------------------------------


def write_results(result: dict, *, started: datetime) -> Path:
    out = BENCH / "results" / f"{started:%Y%m%d-%H%M%S}"
    out.parent.mkdir(parents=True, exist_ok=True)
    out.with_suffix(".json").write_text(json.dumps(result, ensure_ascii=False, indent=2))
    out.with_suffix(".md").write_text(markdown(result))
    return out


def markdown(result: dict) -> str:
    db = result["database"]
    lines = [
        f"# Shishi bench {result['started']}",
        "",
        f"{db['appeals']:,} appeals on {db['vendor']} {db['version']}; "
        f"{result['users']} users × {result['seconds']} s a scenario; "
        f"{result['machine']['cpus']} CPUs ({result['machine']['cpu']}).",
        "",
        "| scenario | req/s | p50 ms | p95 ms | p99 ms | errors | queries "
        "| peer req/s | peer p95 ms | ×req/s | p95 ÷ |",
        "|---|---|---|---|---|---|---|---|---|---|---|",
    ]
    peer = result.get("peer", {}).get("scenarios", {})
    for name, s in result["scenarios"].items():
        p = peer.get(name, {})
        lines.append(
            "| {} | {} | {} | {} | {} | {} | {} | {} | {} | {} | {} |".format(
                name,
                s.get("rps", "–"),
                s.get("p50_ms", "–"),
                s.get("p95_ms", "–"),
                s.get("p99_ms", "–"),
                s["failures"] if s.get("requests") else "did not run",
                s.get("queries") if s.get("queries") is not None else "–",
                p.get("rps", "–"),
                p.get("p95_ms", "–"),
                ratio(s.get("rps"), p.get("rps")),
                ratio(p.get("p95_ms"), s.get("p95_ms")),
            )
        )
    lines += ["", "| job | result |", "|---|---|"]
    for name, job in result["jobs"].items():
        lines.append(f"| {name} | {json.dumps(job, ensure_ascii=False)} |")
    return "\n".join(lines) + "\n"


def ratio(ours, theirs) -> str:
    if not ours or not theirs:
        return "–"
    return f"{ours / theirs:.1f}×"


def check_smoke(result: dict) -> int:
    """Every scenario and job ran, none with an error (not how fast: that is the bench's)."""
    problems = []
    for name, s in result["scenarios"].items():
        if not s.get("requests") or s.get("failures") or s.get("errors"):
            problems.append(f"{name}: {s}")
        if s.get("queries") is None and name != "intake":
            problems.append(f"{name}: query count not taken")
    for name, s in result.get("peer", {}).get("scenarios", {}).items():
        if not s.get("requests") or s.get("failures") or s.get("errors"):
            problems.append(f"peer {name}: {s}")
    for name, job in result["jobs"].items():
        if job.get("status", 200) != 200 or job.get("seconds") is None:
            problems.append(f"{name}: {job}")
    for problem in problems:
        print("FAILED", problem)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
