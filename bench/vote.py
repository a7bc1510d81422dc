"""Benchmark: the public vote endpoint's throughput on loopback (DESIGN §8; not in the suite).

Builds a throwaway database (SQLite, or DATABASE_URL), a selection in its public vote with
ten cases and P confirmed phones (their sessions made directly, as the SMS step is not what
is measured), starts gunicorn on 127.0.0.1, and for D seconds lets T client threads post
votes as fast as the server answers. Reports requests per second, latency percentiles,
votes counted, and checks that no phone got more than the daily limit. The address rate
limit is lifted for the run (every client is 127.0.0.1).

    .venv/bin/python bench/vote.py --seconds 20 --threads 8 --phones 400
"""

import argparse
import json
import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8799


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seconds", type=int, default=20)
    parser.add_argument("--threads", type=int, default=8)
    parser.add_argument("--phones", type=int, default=400)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="shishi-vote-bench-")
    env = {
        **os.environ,
        "SHISHI_VAR_DIR": var,
        "DJANGO_SETTINGS_MODULE": "shishi.settings",
        "SHISHI_VOTE_ADDRESS_LIMIT": "100000000",
        "SHISHI_VOTE_PHONE_LIMIT": "100000000",
        # the sessions made here must be readable by the server: one key for both
        "SHISHI_SECRET_KEY": os.environ.get("SHISHI_SECRET_KEY") or secrets.token_urlsafe(50),
    }
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    code, cases, cookies, limit = setup(phones=args.phones)
    server = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "shishi.wsgi", "-b", f"127.0.0.1:{PORT}",
         "-w", str(args.workers), "--threads", "4", "--log-level", "warning"],
        env=env, cwd=ROOT,
    )  # fmt: skip
    try:
        wait_for_server()
        result = run(code, cases, cookies, seconds=args.seconds, threads=args.threads)
    finally:
        server.terminate()
        server.wait(timeout=10)
    result |= check(limit)
    result |= {"threads": args.threads, "phones": args.phones, "workers": args.workers}
    from django.db import connection

    result["database"] = connection.vendor
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"vote-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )


def setup(*, phones: int):
    from datetime import timedelta

    from django.contrib.sessions.backends.db import SessionStore
    from django.utils import timezone

    from shishi.cases import actions
    from shishi.cases.models import Nomination
    from shishi.orgs.factories import PersonFactory, UnitFactory
    from shishi.orgs.models import Role, Unit
    from shishi.testing import actor_of

    city = UnitFactory(code="350600000000", name="漳州市", kind=Unit.Kind.CITY)
    office = PersonFactory(username="bench_office", unit=city, role=Role.CITY_ADMIN)
    today = timezone.localdate()
    selection = actions.create_selection(
        data=actions.SelectionData(
            title="压力测试评选",
            description="压力测试",
            nominate_from=today - timedelta(days=20),
            nominate_until=today - timedelta(days=15),
            review_until=today - timedelta(days=1),
            vote_until=today + timedelta(days=5),
            winners=3,
            judge_weight=50,
            votes_per_day=3,
            criteria=(("成效", 100),),
        ),
        actor=actor_of(office),
        now=timezone.now(),
    )
    cases = [
        Nomination.objects.create(
            selection=selection, unit=city, title=f"案例{k}", summary="x",
            status=Nomination.Status.ACCEPTED, submitted_by=office, submitted_at=timezone.now(),
        ).pk
        for k in range(10)
    ]  # fmt: skip
    until = (timezone.now() + timedelta(hours=2)).timestamp()
    cookies = []
    for k in range(phones):
        session = SessionStore()
        session[f"vote:{selection.pk}"] = {"phone": f"139{k:08d}", "until": until}
        session.create()
        cookies.append(session.session_key)
    return selection.code, cases, cookies, selection.votes_per_day


def wait_for_server() -> None:
    import urllib.request

    for _ in range(100):
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{PORT}/healthz", timeout=1)
            return
        except Exception:
            time.sleep(0.2)
    raise SystemExit("the server did not start")


def run(code, cases, cookies, *, seconds: int, threads: int) -> dict:
    import http.client
    import re

    stop = time.monotonic() + seconds
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()

    def client(index: int) -> None:
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=10)
        mine = cookies[index::threads]
        n = 0
        while time.monotonic() < stop:
            session = mine[n % len(mine)]
            case = cases[(n // len(mine) + index) % len(cases)]
            n += 1
            # the page gives the CSRF cookie and token; then the vote
            connection.request("GET", f"/vote/{code}/", headers={"Cookie": f"sessionid={session}"})
            page = connection.getresponse()
            body = page.read().decode()
            token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', body)
            csrf = re.search(r"csrftoken=([^;]+)", page.getheader("Set-Cookie") or "")
            if not token or not csrf:
                continue
            form = f"csrfmiddlewaretoken={token.group(1)}"
            started = time.monotonic()
            connection.request(
                "POST",
                f"/vote/{code}/{case}/",
                body=form,
                headers={
                    "Cookie": f"sessionid={session}; csrftoken={csrf.group(1)}",
                    "Content-Type": "application/x-www-form-urlencoded",
                    "Referer": f"http://127.0.0.1:{PORT}/vote/{code}/",
                },
            )
            answer = connection.getresponse()
            answer.read()
            elapsed = time.monotonic() - started
            with lock:
                latencies.append(elapsed)
                statuses[answer.status] = statuses.get(answer.status, 0) + 1

    workers = [threading.Thread(target=client, args=(i,)) for i in range(threads)]
    began = time.monotonic()
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    took = time.monotonic() - began
    latencies.sort()
    return {
        "seconds": round(took, 1),
        "vote_posts": len(latencies),
        "vote_posts_per_second": round(len(latencies) / took, 1),
        "latency_ms_p50": round(1000 * statistics.median(latencies), 1) if latencies else None,
        "latency_ms_p95": round(1000 * latencies[int(0.95 * (len(latencies) - 1))], 1)
        if latencies
        else None,
        "statuses": statuses,
    }


def check(limit: int) -> dict:
    from django.db.models import Count

    from shishi.cases.models import Vote

    per_phone = Vote.objects.values("phone_hash", "day").annotate(n=Count("pk"))
    most = max((row["n"] for row in per_phone), default=0)
    assert most <= limit, f"a phone got {most} votes in a day (limit {limit})"
    return {"votes_counted": Vote.objects.count(), "most_votes_of_one_phone_a_day": most}


if __name__ == "__main__":
    main()
