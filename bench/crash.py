"""Crash safety, proven: no acknowledged appeal is lost under kill -9 (DESIGN §8; not in the suite).

Builds a throwaway var dir and database (SQLite, or a new database on the server DATABASE_URL
names), migrates, creates one operator with an API token per client thread (the API's limit
is per account), then starts gunicorn (2 workers, loopback) and the task worker
(`shishi worker`, huey) in their own process groups. Client threads post appeals to
POST /api/v1/appeals/, each with a fresh Idempotency-Key; a request whose answer did not come
(connection refused or reset, timeout, 5xx) is retried with the same key until it is answered.
Meanwhile, for R rounds, the web server (master and workers) and the task worker are killed
with SIGKILL at a random moment and restarted; with --kill-postgres CLUSTER (root only, a
local cluster such as 15/crash) the database cluster is also stopped with
`pg_ctlcluster … stop -m immediate` and started again.

Halfway, `shishi backup` runs while the clients write; at the end `shishi restore` restores it
into a fresh directory (and database) and must verify. Every acknowledged appeal (201, or 200
replaying a key) must exist exactly once, with its 受理 event and its 受理 SMS in the outbox,
and every such SMS must reach `sent`
within --deliver-timeout (a row a killed worker had claimed comes back after the outbox's
5-minute claim lease). SMS go to a backend that appends each delivered row's id to a file,
so messages sent twice (at-least-once delivery) are counted too. Exit status 1 if anything
acknowledged was lost, duplicated, or left without its event, SMS or delivery, or if the
backup taken under load did not restore and verify.

    .venv/bin/python bench/crash.py --rounds 20
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/postgres .venv/bin/python bench/crash.py
"""

import argparse
import contextlib
import http.client
import json
import os
import random
import secrets
import signal
import subprocess
import sys
import tempfile
import threading
import time
import uuid
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PORT = 8797  # --port; two runs at once need two ports


class FileBackend:
    """SMS backend of the run (imported by the worker as bench.crash.FileBackend): appends
    the delivered row's id to CRASH_SMS_LOG, flushed to disk before the row is marked sent."""

    def send(self, message) -> None:
        fd = os.open(os.environ["CRASH_SMS_LOG"], os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
        try:
            os.write(fd, f"{message.pk}\n".encode())
            os.fsync(fd)
        finally:
            os.close(fd)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=20)
    parser.add_argument("--clients", type=int, default=4)
    parser.add_argument("--min-gap", type=float, default=0.5, help="seconds up before a kill")
    parser.add_argument("--max-gap", type=float, default=2.5)
    parser.add_argument("--deliver-timeout", type=int, default=480)
    parser.add_argument(
        "--kill-postgres",
        metavar="CLUSTER",
        default="",
        help="also stop -m immediate this local cluster (e.g. 15/crash) each round; root only",
    )
    parser.add_argument("--keep", action="store_true", help="keep the var dir and database")
    parser.add_argument("--port", type=int, default=PORT)
    args = parser.parse_args()
    _port_is_free(args.port)
    globals()["PORT"] = args.port
    if args.kill_postgres and os.geteuid() != 0:
        raise SystemExit("--kill-postgres needs root (pg_ctlcluster)")

    var = Path(tempfile.mkdtemp(prefix="shishi-crash-"))
    env = {
        **os.environ,
        "SHISHI_VAR_DIR": str(var),
        "DJANGO_SETTINGS_MODULE": "shishi.settings",
        "SHISHI_SECRET_KEY": secrets.token_urlsafe(50),
        "SHISHI_SMS_BACKEND": "bench.crash.FileBackend",
        "CRASH_SMS_LOG": str(var / "sms.log"),
        "SHISHI_LOG_LEVEL": "WARNING",
        "PYTHONPATH": str(ROOT),
    }
    database_name = ""
    if os.environ.get("DATABASE_URL", "").startswith("postgres"):
        database_name = f"shishi_crash_{os.getpid()}"
        env["DATABASE_URL"] = _create_pg_database(os.environ["DATABASE_URL"], database_name)
    os.environ.update(env)
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    print(f"var dir {var}; database {connection.vendor} {database_name}", flush=True)
    call_command("migrate", verbosity=0)
    category, operators = setup(clients=args.clients)
    connection.close()

    services = Services(env=env, var=var, cluster=args.kill_postgres)
    services.start()
    clients = Clients(operators, category=category)
    clients.start()
    began = time.monotonic()
    try:
        for number in range(1, args.rounds + 1):
            if number == args.rounds // 2 + 1:
                # Halfway, a backup while the clients keep writing (restored at the end).
                taken = subprocess.run(
                    [sys.executable, "-m", "shishi", "backup", "--dest", str(var / "backups")],
                    env=env, cwd=ROOT, capture_output=True, text=True,
                )  # fmt: skip
                print(taken.stdout.strip() or taken.stderr.strip(), flush=True)
            time.sleep(random.uniform(args.min_gap, args.max_gap))
            services.kill()
            print(f"round {number}: killed; acknowledged so far {clients.acknowledged()}",
                  flush=True)  # fmt: skip
            services.start()
        time.sleep(args.max_gap)
    finally:
        clients.stop()
    took = time.monotonic() - began
    print(f"clients stopped after {took:.0f} s; waiting for the outbox to drain", flush=True)
    try:
        result = check(clients, var=var, deliver_timeout=args.deliver_timeout)
    finally:
        services.stop()
    result |= restore_backup_taken(env=env, var=var, database=database_name)
    result = {
        "database": connection.vendor,
        "rounds": args.rounds,
        "clients": args.clients,
        "kill_postgres": bool(args.kill_postgres),
        "seconds_under_kills": round(took),
        "requests_sent": clients.sent,
        "answers_lost_and_retried": clients.retried,
        **result,
    }
    print(json.dumps(result, ensure_ascii=False, indent=2))
    out = ROOT / "bench" / "results"
    out.mkdir(exist_ok=True)
    (out / f"crash-{connection.vendor}.json").write_text(
        json.dumps(result, ensure_ascii=False, indent=2)
    )
    connection.close()
    if database_name and not args.keep:
        _drop_pg_database(os.environ["DATABASE_URL"], database_name)
        _drop_pg_database(os.environ["DATABASE_URL"], f"{database_name}_restored")
    failed = sum(result[k] for k in ("lost", "duplicates", "missing_event", "missing_sms"))
    sys.exit(
        1 if failed or result["undelivered"] or not result["backup_under_load_verified"] else 0
    )


def restore_backup_taken(*, env: dict, var: Path, database: str) -> dict:
    """Restores the backup taken under load into a fresh directory (and database) with
    `shishi restore`, which verifies checksums, integrity and every table's count."""
    backups = sorted((var / "backups").glob("shishi-backup-*"))
    if not backups:
        return {"backup_under_load_verified": False, "appeals_in_backup": None}
    command = [sys.executable, "-m", "shishi", "restore", str(backups[-1]),
               "--target-dir", str(var / "restored")]  # fmt: skip
    if database:
        command += ["--database", f"{database}_restored"]
    restored = subprocess.run(command, env=env, cwd=ROOT, capture_output=True, text=True)
    print(restored.stdout.strip(), restored.stderr.strip(), sep="\n", flush=True)
    manifest = json.loads((backups[-1] / "manifest.json").read_text())
    return {
        "backup_under_load_verified": restored.returncode == 0,
        "appeals_in_backup": manifest["tables"]["appeals_appeal"],
    }


def setup(*, clients: int) -> tuple[int, list[tuple[int, str]]]:
    """The city, a category, and an integration token of the city per client: the
    category's id and (token id, key) of each token."""

    from shishi.api.access import actor_for_key
    from shishi.appeals import actions
    from shishi.appeals.models import Category
    from shishi.orgs.factories import UnitFactory
    from shishi.orgs.models import Unit
    from shishi.testing import integration_key

    city = UnitFactory(code="350600000000", name="漳州市", kind=Unit.Kind.CITY)
    actions.import_categories(rows=[("城乡建设", "住房保障")])
    operators = []
    for n in range(clients):
        key = integration_key(city, name=f"压测客户端{n}")
        operators.append((actor_for_key(key).token.pk, key))
    return Category.objects.get(name="住房保障").pk, operators


class Services:
    """gunicorn and the huey worker, each in its own process group so a kill takes all."""

    def __init__(self, *, env: dict, var: Path, cluster: str) -> None:
        self.env, self.var, self.cluster = env, var, cluster
        self.groups: list[subprocess.Popen] = []

    def start(self) -> None:
        if self.cluster:
            _pg_ctl(self.cluster, "start")
        log = (self.var / "services.log").open("ab")
        self.groups = [
            subprocess.Popen(
                [sys.executable, "-m", "gunicorn", "shishi.wsgi", "-b", f"127.0.0.1:{PORT}",
                 "-w", "2", "--threads", "4", "--log-level", "warning"],
                env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
            ),
            subprocess.Popen(
                [sys.executable, "-m", "shishi", "worker"],
                env=self.env, cwd=ROOT, stdout=log, stderr=log, start_new_session=True,
            ),
        ]  # fmt: skip
        _wait_for_server()

    def kill(self) -> None:
        for process in self.groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGKILL)
        if self.cluster:
            _pg_ctl(self.cluster, "stop", "-m", "immediate")
        for process in self.groups:
            process.wait()

    def stop(self) -> None:
        for process in self.groups:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(process.pid, signal.SIGTERM)
        for process in self.groups:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                os.killpg(process.pid, signal.SIGKILL)


class Clients:
    """Threads posting appeals; a request without an answer is retried with its key."""

    def __init__(self, operators: list[tuple[int, str]], *, category: int) -> None:
        self.operators, self.category = operators, category
        self.done = threading.Event()
        self.lock = threading.Lock()
        self.acks: dict[str, tuple[int, str, int]] = {}  # key -> (token id, code, status)
        self.rejected: list[str] = []
        self.sent = 0
        self.retried = 0
        self.threads = [
            threading.Thread(target=self.run, args=(user, token)) for user, token in operators
        ]

    def start(self) -> None:
        for thread in self.threads:
            thread.start()

    def stop(self) -> None:
        self.done.set()
        for thread in self.threads:
            thread.join()

    def acknowledged(self) -> int:
        return len(self.acks)

    def run(self, user: int, token: str) -> None:
        while not self.done.is_set():
            key = uuid.uuid4().hex
            body = json.dumps(
                {
                    "kind": "help",
                    "category": self.category,
                    "content": f"压力测试诉求 {key}：小区门口路灯坏了，夜间出行不安全。",
                    "reporter_phone": "13912345678",
                }
            )
            # Once sent, a request is retried until answered, even after stop() was called:
            # its appeal may exist, and the check must know its code.
            while True:
                status, answer = self.post(token, key, body)
                if status in (200, 201):
                    with self.lock:
                        self.acks[key] = (user, answer["code"], status)
                    break
                if status == 429:
                    time.sleep(float(answer.get("retry_after", 1)))
                    continue
                if status and status < 500:
                    with self.lock:
                        self.rejected.append(f"{status} {answer}")
                    break
                with self.lock:
                    self.retried += 1
                time.sleep(0.2)

    def post(self, token: str, key: str, body: str) -> tuple[int, dict]:
        with self.lock:
            self.sent += 1
        connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=15)
        try:
            connection.request(
                "POST",
                "/api/v1/appeals/",
                body=body.encode(),
                headers={
                    "Authorization": f"Bearer {token}",
                    "Content-Type": "application/json",
                    "Idempotency-Key": key,
                },
            )
            response = connection.getresponse()
            data = response.read()
            retry_after = response.getheader("Retry-After")
        except (OSError, http.client.HTTPException):
            return 0, {}
        finally:
            connection.close()
        try:
            answer = json.loads(data) if data else {}
        except ValueError:
            answer = {}
        if retry_after:
            answer["retry_after"] = retry_after
        return response.status, answer


def check(clients: Clients, *, var: Path, deliver_timeout: int) -> dict:
    """Every acknowledged appeal once, with its event and SMS; every such SMS sent."""
    import hashlib

    from django.db import connection

    from shishi.appeals.models import Appeal, AppealEvent
    from shishi.core.models import OutboxMessage

    connection.close()
    acks = clients.acks
    lost, duplicates, missing_event, missing_sms, sms_rows = [], [], [], [], {}
    for key, (user, code, _status) in acks.items():
        hashed = hashlib.sha256(f"token:{user}:{key}".encode()).hexdigest()  # api.views.appeals
        mine = list(Appeal.objects.filter(content__contains=key).values_list("pk", "code"))
        if (
            not any(c == code for _, c in mine)
            or not Appeal.objects.filter(idempotency_key=hashed, code=code).exists()
        ):
            lost.append(code)
            continue
        if len(mine) > 1:
            duplicates.append(code)
        pk = next(pk for pk, c in mine if c == code)
        if not AppealEvent.objects.filter(appeal_id=pk, verb=AppealEvent.Verb.RECEIVED).exists():
            missing_event.append(code)
        rows = list(
            OutboxMessage.objects.filter(channel="sms", body__contains=code).values_list(
                "pk", flat=True
            )
        )
        if not rows:
            missing_sms.append(code)
        elif len(rows) > 1:
            duplicates.append(f"{code} SMS")
        for row in rows:
            sms_rows[row] = code
    waited, began = 0.0, time.monotonic()
    while True:
        pending = OutboxMessage.objects.filter(pk__in=list(sms_rows)).exclude(status="sent")
        undelivered = pending.count()
        waited = time.monotonic() - began
        if not undelivered or waited > deliver_timeout:
            break
        time.sleep(5)
    log = var / "sms.log"
    deliveries = Counter(int(x) for x in log.read_text().split()) if log.exists() else Counter()
    unacknowledged = Appeal.objects.count() - len(acks)
    return {
        "acknowledged": len(acks),
        "acknowledged_as_replay_200": sum(1 for *_, s in acks.values() if s == 200),
        "rejected_4xx": len(clients.rejected),
        "appeals_in_database": Appeal.objects.count(),
        "committed_but_never_acknowledged": unacknowledged,
        "lost": len(lost),
        "duplicates": len(duplicates),
        "missing_event": len(missing_event),
        "missing_sms": len(missing_sms),
        "undelivered": undelivered,
        "seconds_to_deliver_all": round(waited),
        "sms_delivered_more_than_once": sum(1 for n in deliveries.values() if n > 1),
        "examples": {"lost": lost[:5], "duplicates": duplicates[:5]},
        "rejected_examples": clients.rejected[:3],
    }


def _port_is_free(port: int) -> None:
    import socket

    with socket.socket() as probe:
        if probe.connect_ex(("127.0.0.1", port)) == 0:
            raise SystemExit(f"127.0.0.1:{port} is in use (another run?): choose --port")


def _wait_for_server() -> None:
    for _ in range(300):
        try:
            connection = http.client.HTTPConnection("127.0.0.1", PORT, timeout=2)
            connection.request("GET", "/healthz")
            connection.getresponse().read()
            return
        except (OSError, http.client.HTTPException):
            time.sleep(0.1)
    raise SystemExit("the server did not start")


def _pg_ctl(cluster: str, *action: str) -> None:
    version, name = cluster.split("/")
    subprocess.run(["pg_ctlcluster", version, name, *action], check=False)


def _create_pg_database(url: str, name: str) -> str:
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    with psycopg.connect(**_pg_params(params, "postgres"), autocommit=True) as server:
        server.execute(f'CREATE DATABASE "{name}"')
    return url.rsplit("/", 1)[0] + f"/{name}"


def _drop_pg_database(url: str, name: str) -> None:
    import dj_database_url
    import psycopg

    params = dj_database_url.parse(url)
    with psycopg.connect(**_pg_params(params, "postgres"), autocommit=True) as server:
        server.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _pg_params(params: dict, dbname: str) -> dict:
    keys = {"host": params.get("HOST"), "port": params.get("PORT"), "user": params.get("USER")}
    keys |= {"password": params.get("PASSWORD"), "dbname": dbname}
    return {k: v for k, v in keys.items() if v}


if __name__ == "__main__":
    main()
