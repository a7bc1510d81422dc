"""The benchmark's peer: django-helpdesk 2.6 in its own venv, seeded and served like Shishi.

The harness imports this module under Shishi's venv, so it uses the standard library only;
all Django work runs in bench/.venv-helpdesk's python (seed.py, gunicorn):

    python = install()                       # the venv, once per requirements.txt
    info = prepare(workdir, 100_000, texts)  # migrated, seeded, reused when already so
    server = serve(workdir, 8001)            # gunicorn, answering when this returns
    specs = scenarios(info)                  # name -> spec for the harness's locustfile
    server.terminate(); server.wait()
"""

import base64
import hashlib
import json
import os
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from urllib.parse import quote

ROOT = Path(__file__).resolve().parents[2]
VENV = ROOT / "bench" / ".venv-helpdesk"
HERE = Path(__file__).resolve().parent
REQUIREMENTS = HERE / "requirements.txt"
STAMP = VENV / ".installed"
PYTHON = VENV / "bin" / "python"
START_TIMEOUT = 60
DATATABLES = "/datatables_ticket_list/"


def install() -> Path:
    """Creates VENV if missing and installs requirements.txt into it; returns its python.

    A stamp file holds the requirements' hash, so a second call with nothing changed only
    reads two small files.
    """
    digest = hashlib.sha256(REQUIREMENTS.read_bytes()).hexdigest()
    if STAMP.exists() and STAMP.read_text() == digest and PYTHON.exists():
        return PYTHON
    if not PYTHON.exists():
        subprocess.run([sys.executable, "-m", "venv", str(VENV)], check=True)
    pip = [str(PYTHON), "-m", "pip", "install", "--quiet", "--disable-pip-version-check"]
    subprocess.run([*pip, "-r", str(REQUIREMENTS)], check=True)
    STAMP.write_text(digest)
    return PYTHON


def prepare(
    workdir: Path, tickets: int, texts: list[dict], database_url: str | None = None
) -> dict:
    """A migrated helpdesk database seeded with exactly `tickets` tickets; what scenarios() needs.

    SQLite in workdir unless database_url names a PostgreSQL database. seed.py (run with the
    venv's python) does the work; its log is workdir/seed.log, its result workdir/info.json.
    """
    python = install()
    workdir = Path(workdir).resolve()
    workdir.mkdir(parents=True, exist_ok=True)
    texts_file = workdir / "texts.json"
    texts_file.write_text(json.dumps(texts, ensure_ascii=False), encoding="utf-8")
    command = [
        str(python),
        str(HERE / "seed.py"),
        "--tickets",
        str(tickets),
        "--texts",
        str(texts_file),
    ]
    with open(workdir / "seed.log", "w") as log:
        done = subprocess.run(
            command, env=_env(workdir, database_url), stdout=subprocess.PIPE, stderr=log, text=True
        )
    if done.returncode != 0:
        raise RuntimeError(f"seeding the helpdesk failed, see {workdir / 'seed.log'}")
    info = json.loads(done.stdout.strip().splitlines()[-1])
    (workdir / "info.json").write_text(json.dumps(info, ensure_ascii=False, indent=1))
    return info


def serve(workdir: Path, port: int, database_url: str | None = None) -> subprocess.Popen:
    """gunicorn on 127.0.0.1:port as Shishi is served (2 workers, 4 threads each).

    Returns once the server answers, with the Popen (terminate() stops it gracefully);
    gunicorn's log and access log are in workdir.
    """
    python = install()
    workdir = Path(workdir).resolve()
    command = [
        str(python), "-m", "gunicorn", "helpdesk_site.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", "2", "--threads", "4",
        "--graceful-timeout", "10", "--chdir", str(HERE),
        # Not gunicorn 27's control socket: its one default path is shared by every gunicorn.
        "--no-control-socket",
        "--access-logfile", str(workdir / "access.log"),
    ]  # fmt: skip
    # gunicorn's own log and whatever the app prints (helpdesk's warnings) go to one file.
    with open(workdir / "gunicorn.log", "a") as log:
        server = subprocess.Popen(
            command, env=_env(workdir, database_url), stdout=log, stderr=subprocess.STDOUT
        )
    _wait_until_up(server, f"http://127.0.0.1:{port}/login/")
    return server


def scenarios(info: dict) -> dict[str, dict]:
    """Scenario name -> spec for the harness's locustfile (format in the harness's docs).

    "list" and "search" are what a browser fetches to show the first page of results: the
    page (/tickets/, /tickets/?q=...), then the DataTables JSON it asks for
    (/datatables_ticket_list/<base64 query>?draw=1&start=0&length=25&...), which does the
    database work. The two are one item of "paths" (fetched in turn, timed as one page
    view). The search uses info["search_term"], which the harness may replace with Shishi's term.
    """
    login = {
        "url": info["login_url"],
        "fields": {"username": info["username"], "password": info["password"]},
        # A light page: after sign-in helpdesk would show the dashboard, which alone takes
        # tens of seconds at a million tickets on SQLite; the dashboard is its own scenario.
        "next": "/settings/",
    }
    ticket_ids = _interleave(info["closed_ticket_ids"], info["open_ticket_ids"])
    return {
        "intake": {
            "login": None,
            "task": "form",
            "form_url": "/tickets/submit/",
            "url": "/tickets/submit/",
            "fields": {
                "queue": str(info["public_queue_id"]),
                "title": "路灯不亮 {n}",
                "body": "小区门口的路灯连续三天晚上不亮，行人夜间出行不便，请尽快维修。编号 {n}",
                "priority": "3",
                "due_date": "",
                "submitter_email": "citizen{n}@example.com",
            },
            # Accepted: a redirect to the public view of the new ticket (a form with errors is 200).
            "expect": [302],
        },
        "detail": {
            "login": login,
            "task": "get",
            "paths": [f"/tickets/{ticket_id}/" for ticket_id in ticket_ids],
            "expect": [200],
        },
        "list": {
            "login": login,
            "task": "get",
            "paths": [[info["list_page"], info["list_data"]]],
            "expect": [200],
        },
        "search": {
            "login": login,
            "task": "get",
            "paths": [_search_paths(info)],
            "expect": [200],
        },
        "dashboard": {
            "login": login,
            "task": "get",
            "paths": ["/dashboard/"],
            "expect": [200],
        },
    }


def _env(workdir: Path, database_url: str | None) -> dict:
    """The environment of the venv's processes: this instance's folder and database."""
    # Not the caller's database or settings module (the harness runs under Shishi's).
    ours = ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")
    env = {key: value for key, value in os.environ.items() if key not in ours}
    env.update(PEER_WORKDIR=str(workdir), PYTHONPATH=str(HERE), PYTHONUNBUFFERED="1")
    if database_url:
        env["DATABASE_URL"] = database_url
    return env


def _wait_until_up(server: subprocess.Popen, url: str) -> None:
    """Polls url until it answers; stops the server and raises if it never does."""
    deadline = time.monotonic() + START_TIMEOUT
    while time.monotonic() < deadline:
        if server.poll() is not None:
            raise RuntimeError(f"gunicorn exited with {server.returncode}")
        try:
            with urllib.request.urlopen(url, timeout=5):
                return
        except OSError:  # refused while binding, or a timeout while the workers boot
            time.sleep(0.2)
    server.terminate()
    server.wait()
    raise RuntimeError(f"the helpdesk did not answer at {url} within {START_TIMEOUT} s")


def _interleave(closed: list[int], still_open: list[int]) -> list[int]:
    """Closed ids with an open one after every few, so each stretch of the cycle has both."""
    step = max(1, len(closed) // max(1, len(still_open)))
    result = []
    for index, ticket_id in enumerate(closed):
        result.append(ticket_id)
        if index % step == step - 1 and still_open:
            result.append(still_open[(index // step) % len(still_open)])
    return result


def _search_paths(info: dict) -> list[str]:
    """The search page and its DataTables JSON for info["search_term"].

    The JSON URL carries the query as base64 JSON (helpdesk's query_to_base64); the term
    is put into the one seed.py read from the page, so a replaced term needs no server.
    """
    term = info["search_term"]
    data_path, _, params = info["search_data"].partition("?")
    encoded = data_path.removeprefix(DATATABLES)
    query = json.loads(base64.b64decode(encoded))
    query["search_string"] = term
    encoded = base64.b64encode(json.dumps(query).encode("utf-8")).decode("ascii")
    return [f"/tickets/?q={quote(term)}", f"{DATATABLES}{encoded}?{params}"]
