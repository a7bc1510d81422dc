"""Migrates and seeds the peer's helpdesk database; prints what the scenarios need as JSON.

Run by bench/peer/__init__.py's prepare() with the helpdesk venv's python:

    PEER_WORKDIR=DIR [DATABASE_URL=...] python bench/peer/seed.py --tickets N --texts FILE

FILE holds the harness's texts ([{"title", "content"}], Chinese). Tickets get ids 1..N and
cycle through the texts; each has 2-5 follow-ups (opened, staff comments, the closing one
with its status change), as a helpdesk that has run for three years. The rows go in with
executemany (SQLite) or COPY (PostgreSQL) and not through the ORM, so a million tickets
seed in minutes. A database seeded last with the same N and texts, its tickets 1..N all
there, is reused; tickets above N (made by an earlier run's intake scenario) are deleted.
"""

import argparse
import hashlib
import json
import os
import random
import re
import sys
import time
import uuid
from collections import Counter
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "helpdesk_site.settings")

import django  # noqa: E402

django.setup()

from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection, transaction  # noqa: E402
from django.test import Client  # noqa: E402
from helpdesk.models import FollowUp, Queue, Ticket, TicketChange  # noqa: E402

PASSWORD = "peer-bench-2026"
SUPERUSER = "admin"
AGENTS = [f"agent{n}" for n in range(1, 7)]
QUEUES = [
    ("facilities", "市政设施"),
    ("sanitation", "环境卫生"),
    ("traffic", "交通出行"),
    ("community", "社区服务"),
]
YEARS = 3
BATCH = 20_000
SAMPLE_IDS = 500
COMMENTS = [
    "已联系诉求人，正在安排现场核查。",
    "已转交属地街道办理，请耐心等待。",
    "现场核查属实，已派单维修班组。",
    "诉求人补充了照片和具体位置。",
    "维修班组反馈需要采购配件，预计三个工作日。",
    "已电话回访，诉求人表示理解。",
]
RESOLUTIONS = [
    "已处理完毕，现场恢复正常，诉求人满意。",
    "经核查已整改到位，回访诉求人无异议。",
    "已按规定答复诉求人，相关部门将持续跟进。",
]
STATUS_TITLE = {Ticket.RESOLVED_STATUS: "Resolved", Ticket.CLOSED_STATUS: "Closed"}
# The columns seed() fills; the others are nullable and stay NULL.
TICKET_COLUMNS = [
    "id", "title", "queue_id", "created", "modified", "submitter_email", "assigned_to_id",
    "status", "on_hold", "description", "resolution", "priority", "secret_key",
]  # fmt: skip
FOLLOWUP_COLUMNS = [
    "id",
    "ticket_id",
    "date",
    "title",
    "comment",
    "public",
    "user_id",
    "new_status",
]
CHANGE_COLUMNS = ["followup_id", "field", "old_value", "new_value"]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tickets", type=int, required=True)
    parser.add_argument("--texts", type=Path, required=True)
    args = parser.parse_args()
    texts = json.loads(args.texts.read_text(encoding="utf-8"))
    started = time.monotonic()
    call_command("migrate", verbosity=0, interactive=False)
    call_command("collectstatic", verbosity=0, interactive=False)
    users = ensure_users()
    queues = ensure_queues()
    key = seed_key(args.tickets, texts)
    reused = holds_seed(key, args.tickets)
    seeding = time.monotonic()
    if reused:
        Ticket.objects.filter(id__gt=args.tickets).delete()
    else:
        wipe_tickets()
        seed(args.tickets, texts, queues, users)
        mark_seed(key)
    seed_seconds = time.monotonic() - seeding
    info = describe(args.tickets, texts, queues)
    info.update(
        reused=reused,
        seed_seconds=round(seed_seconds, 1),
        seconds=round(time.monotonic() - started, 1),
    )
    print(json.dumps(info, ensure_ascii=False))


def ensure_users() -> list[int]:
    """The staff superuser the load signs in as, and agents to assign tickets to (their ids)."""
    User = get_user_model()
    admin = User.objects.filter(username=SUPERUSER).first()
    if admin is None:
        User.objects.create_superuser(SUPERUSER, "admin@example.com", PASSWORD)
    ids = []
    for name in AGENTS:
        agent = User.objects.filter(username=name).first()
        if agent is None:
            agent = User.objects.create_user(name, f"{name}@example.com", PASSWORD, is_staff=True)
        ids.append(agent.id)
    return ids


def ensure_queues() -> list[int]:
    """A few queues open to public submission, like a city's departments (their ids)."""
    ids = []
    for slug, title in QUEUES:
        queue, _ = Queue.objects.get_or_create(
            slug=slug, defaults={"title": title, "allow_public_submission": True}
        )
        ids.append(queue.id)
    return ids


def seed_key(tickets: int, texts: list[dict]) -> str:
    """What makes a seed: its size and its texts (a hash of them)."""
    digest = hashlib.sha256(json.dumps(texts, sort_keys=True).encode()).hexdigest()[:16]
    return f"{tickets} {digest}"


def holds_seed(key: str, tickets: int) -> bool:
    """Whether the last seed had this key and its tickets 1..N are all still there.

    The key is kept in a table of its own, peer_seed, outside helpdesk's models.
    """
    with connection.cursor() as cursor:
        cursor.execute("CREATE TABLE IF NOT EXISTS peer_seed (seed_key varchar(64) NOT NULL)")
        cursor.execute("SELECT seed_key FROM peer_seed")
        seeded = cursor.fetchone()
    if seeded is None or seeded[0] != key:
        return False
    return Ticket.objects.filter(id__lte=tickets).count() == tickets


def mark_seed(key: str) -> None:
    """Records the key of the seed just made (see holds_seed)."""
    with connection.cursor() as cursor:
        cursor.execute("DELETE FROM peer_seed")
        cursor.execute("INSERT INTO peer_seed (seed_key) VALUES (%s)", [key])


def wipe_tickets() -> None:
    """Empties the ticket tables a seed (and the intake scenario) fills.

    PostgreSQL: TRUNCATE, with every table that refers to tickets (a DELETE checks each
    row's references: a minute for 100k tickets). SQLite: plain DELETEs; rows of other
    ticket tables (none are made here) would stop them with a foreign key error.
    """
    models = (TicketChange, FollowUp, Ticket)
    if connection.vendor == "postgresql":
        tables = ", ".join(model._meta.db_table for model in models)
        with connection.cursor() as cursor:
            cursor.execute(f"TRUNCATE {tables} CASCADE")
        return
    for model in models:
        model.objects.all()._raw_delete(model.objects.db)


def seed(tickets: int, texts: list[dict], queues: list[int], users: list[int]) -> None:
    """Inserts tickets 1..N with their follow-ups and status changes, in batches."""
    rng = random.Random(20260101)
    end = datetime.now(UTC).replace(microsecond=0)
    span = timedelta(days=365 * YEARS).total_seconds()
    followup_id = 0
    with transaction.atomic():
        for first in range(1, tickets + 1, BATCH):
            ticket_rows, followup_rows, change_rows = [], [], []
            for ticket_id in range(first, min(first + BATCH, tickets + 1)):
                created = end - timedelta(seconds=span * (1 - ticket_id / (tickets + 1)))
                created -= timedelta(seconds=rng.randrange(3600))
                ticket, followups, change = make_ticket(
                    rng, ticket_id, created, texts, queues, users
                )
                ticket_rows.append(ticket)
                for followup in followups:
                    followup_id += 1
                    followup_rows.append((followup_id, ticket_id, *followup))
                if change:
                    change_rows.append((followup_id, *change))
            insert(Ticket, TICKET_COLUMNS, ticket_rows)
            insert(FollowUp, FOLLOWUP_COLUMNS, followup_rows)
            insert(TicketChange, CHANGE_COLUMNS, change_rows)
    reset_sequences()


def make_ticket(rng, ticket_id, created, texts, queues, users):
    """One ticket's row, its follow-ups' rows (without ids) and its status change, if any.

    Older tickets are nearly all closed; of the last 5 % (the last eight weeks or so) most
    are still open, as in a helpdesk that keeps up with its work.
    """
    text = texts[(ticket_id - 1) % len(texts)]
    status = pick_status(rng, recent=created > datetime.now(UTC) - timedelta(days=55))
    is_done = status in STATUS_TITLE
    agent = users[ticket_id % len(users)] if is_done or rng.random() < 0.7 else None
    comments = rng.randint(0, 3) if is_done else rng.randint(1, 2)
    dates = sorted(created + timedelta(minutes=rng.randrange(1, 20_000)) for _ in range(comments))
    followups = [(dt(created), "Ticket Opened Via Web", text["content"], True, None, None)]
    for date in dates[: comments - 1] if is_done else dates:
        followups.append(
            (dt(date), "Comment", rng.choice(COMMENTS), rng.random() < 0.5, agent, None)
        )
    resolution = None
    change = None
    if is_done:
        resolution = rng.choice(RESOLUTIONS)
        closed_at = dates[-1] if dates else created + timedelta(days=1)
        followups.append((dt(closed_at), STATUS_TITLE[status], resolution, True, agent, status))
        change = ("Status", "Open", STATUS_TITLE[status])
    ticket = (
        ticket_id, text["title"][:200], queues[ticket_id % len(queues)], dt(created),
        followups[-1][0], f"citizen{ticket_id % 50_000}@example.com", agent, status, False,
        text["content"], resolution, rng.choice((1, 2, 3, 3, 3, 4, 5)), str(uuid.uuid4()),
    )  # fmt: skip
    return ticket, followups, change


def pick_status(rng: random.Random, recent: bool) -> int:
    """A ticket's status: mostly closed, open for a share of the recent ones."""
    roll = rng.random()
    if recent:
        bounds = (
            (0.55, Ticket.OPEN_STATUS),
            (0.6, Ticket.REOPENED_STATUS),
            (0.75, Ticket.RESOLVED_STATUS),
        )
    else:
        bounds = ((0.02, Ticket.OPEN_STATUS), (0.1, Ticket.RESOLVED_STATUS))
    return next((status for bound, status in bounds if roll < bound), Ticket.CLOSED_STATUS)


def dt(value: datetime):
    """A datetime as this database's driver takes it (Django's own adaptation)."""
    return connection.ops.adapt_datetimefield_value(value)


def insert(model, columns: list[str], rows: list[tuple]) -> None:
    """Bulk insert: COPY on PostgreSQL, executemany on SQLite."""
    if not rows:
        return
    table = model._meta.db_table
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join("%s" for _ in columns)
            cursor.executemany(f"INSERT INTO {table} ({', '.join(columns)}) VALUES ({marks})", rows)


def reset_sequences() -> None:
    """PostgreSQL's id sequences past the explicit ids (SQLite's AUTOINCREMENT follows)."""
    if connection.vendor != "postgresql":
        return
    from django.core.management.color import no_style

    with connection.cursor() as cursor:
        for sql in connection.ops.sequence_reset_sql(no_style(), [Ticket, FollowUp]):
            cursor.execute(sql)
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")


def describe(tickets: int, texts: list[dict], queues: list[int]) -> dict:
    """Everything the scenarios need: credentials, ticket ids, queues, search term, list URLs."""
    term = search_term(texts)
    closed = sample_ids(Ticket.objects.filter(id__lte=tickets, status=Ticket.CLOSED_STATUS), 0.9)
    still_open = sample_ids(
        Ticket.objects.filter(id__lte=tickets, status__in=Ticket.OPEN_STATUSES), 0.1
    )
    return {
        "tickets": tickets,
        "followups": FollowUp.objects.filter(ticket_id__lte=tickets).count(),
        "database": connection.vendor,
        "login_url": "/login/",
        "username": SUPERUSER,
        "password": PASSWORD,
        "queue_ids": queues,
        "public_queue_id": queues[0],
        "closed_ticket_ids": closed,
        "open_ticket_ids": still_open,
        "search_term": term,
        "search_matches": count_matches(term),
        "list_page": "/tickets/",
        "list_data": datatables_url("/tickets/"),
        # The list's keyword filter over all statuses (as Shishi searches all appeals); the
        # navigation bar's box would add status=1&status=2&status=3 (all but closed).
        # The harness may put another term in search_term (see scenarios()).
        "search_page": f"/tickets/?q={quote(term)}",
        "search_data": datatables_url(f"/tickets/?q={quote(term)}"),
    }


def sample_ids(queryset, share: float) -> list[int]:
    """About share * SAMPLE_IDS ids of the queryset, spread over its whole range."""
    ids = list(queryset.values_list("id", flat=True))
    return sorted(random.Random(7).sample(ids, min(len(ids), int(SAMPLE_IDS * share))))


def search_term(texts: list[dict]) -> str:
    """A two-character word in about 3 % of the texts (1-5 %), so in ~3 % of the tickets.

    Words that also occur in the seeded comments and resolutions are left out, so the share
    of tickets found is the share of texts that have it.
    """
    canned = "".join(COMMENTS + RESOLUTIONS)
    counts = Counter()
    for text in texts:
        body = text["title"] + text["content"]
        counts.update({body[i : i + 2] for i in range(len(body) - 1)})
    cjk = re.compile(r"^[\u4e00-\u9fff]{2}$")
    candidates = [w for w in counts if cjk.match(w) and w not in canned]
    if not candidates:
        raise SystemExit("no Chinese word to search for in the texts")
    return min(candidates, key=lambda word: (abs(counts[word] / len(texts) - 0.03), word))


def count_matches(term: str) -> int:
    """Tickets whose title or description holds the term (what the search finds)."""
    from django.db.models import Q

    return Ticket.objects.filter(Q(title__contains=term) | Q(description__contains=term)).count()


def datatables_url(page: str) -> str:
    """The JSON URL the list page's DataTable calls for its first page, read from the page.

    What headless Chromium's DataTables 3 asks for, less what the server ignores: draw,
    start, length (the table's data-page-length) and an empty search. It also sends 72
    columns[i][...] descriptors (a 2.8 KB query string) and no order (the first column is
    not orderable), so the server's default order applies: created, ascending.
    """
    client = Client(SERVER_NAME="localhost")
    client.force_login(get_user_model().objects.get(username=SUPERUSER))
    html = client.get(page).content.decode()
    ajax = re.search(r'"url": "(/datatables_ticket_list/[^"]*)"', html).group(1)
    length = re.search(r"data-page-length='(\d+)'", html).group(1)
    return f"{ajax}?draw=1&start=0&length={length}&search%5Bvalue%5D=&search%5Bregex%5D=false"


if __name__ == "__main__":
    main()
