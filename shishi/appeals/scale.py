"""Appeals at city scale, for benchmarks (`shishi seed-scale`).

The demo's appeals are genuine: each was walked through the real actions with a clock in the
past. Cloning them keeps that truth at any size. A clone takes a template's appeal with its
dispatches, replies, reviews and timeline, moves every date and time by the same whole number
of weeks (working-day deadlines stay on working days) and moves it to another county and
town. Clones are spread evenly over the last three years, oldest first, so ids grow with
time as they do in production. A clone older than `RECENT_DAYS` is made only from a finished
template, and no clone ends later than now: a template is used for a clone only when it is no
younger than the clone.

Rows go in with `core.bulk.insert_rows`; the search index fills itself (SQLite triggers,
PostgreSQL's expression index). Codes are reserved per day from `CodeSequence`, so appeals
filed later never collide. Photos are not cloned (files); nor are interviews.
"""

import bisect
import functools
import random
import secrets
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.conf import settings
from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.utils import timezone

from shishi.appeals.demo import REGULAR_CALLERS
from shishi.appeals.models import (
    FINAL_STATUSES,
    Appeal,
    AppealEvent,
    Dispatch,
    Reply,
    Review,
)
from shishi.core.bulk import insert_rows
from shishi.core.codes import reserve_codes
from shishi.core.errors import Refused
from shishi.core.masking import phone_hash
from shishi.orgs.models import Unit

YEARS = 3
RECENT_DAYS = 60
BATCH = 5_000
# The first appeals (the demo's 420, never the clones of an earlier run) are the templates.
TEMPLATES = 1_000
CHILDREN = (Dispatch, Reply, Review, AppealEvent)
# Foreign keys to units that move with the clone (its county and town); the others (the
# city's departments, the office) stay.
UNIT_FIELDS = {
    Appeal: ("county_id", "town_id", "holder_id", "first_receiver_id"),
    Dispatch: ("from_unit_id", "to_unit_id"),
    Reply: ("unit_id",),
    Review: ("unit_id",),
    AppealEvent: ("unit_id",),
}


@dataclass
class Template:
    appeal: dict
    children: dict[type[models.Model], list[dict]]
    age: timedelta  # how old it was when the demo was made


def seed_appeals(
    count: int,
    *,
    now: datetime | None = None,
    seed: int = 2026,
    progress: Callable[[int], None] | None = None,
) -> int:
    """Add `count` appeals cloned from the demo's; how many were added."""
    now = now or timezone.now()
    rng = random.Random(seed)
    templates = _templates()
    any_state = _Pool(templates)
    finished = _Pool([t for t in templates if t.appeal["status"] in FINAL_STATUSES])
    places = _places()
    span = timedelta(days=365 * YEARS)
    next_pk = (Appeal.objects.order_by("-pk").values_list("pk", flat=True).first() or 0) + 1
    done = 0
    while done < count:
        size = min(BATCH, count - done)
        clones = []
        for i in range(done, done + size):
            age = span * ((count - i - 0.5) / count)
            pool = finished if age > timedelta(days=RECENT_DAYS) else any_state
            template = pool.pick(rng, age) or any_state.pick(rng, age) or any_state.youngest
            clones.append(_clone(rng, template, received=now - age, places=places))
        clones.sort(key=lambda clone: clone[0]["received_at"])
        with transaction.atomic():
            _insert(clones, first_pk=next_pk)
        next_pk += size
        done += size
        if progress:
            progress(done)
    _reset_sequence()
    return done


class _Pool:
    """Templates by age: `pick` draws one no younger than the clone is to be."""

    def __init__(self, templates: list[Template]):
        self.templates = sorted(templates, key=lambda t: t.age)
        self.ages = [t.age for t in self.templates]
        self.youngest = self.templates[0] if self.templates else None

    def pick(self, rng, age: timedelta) -> Template | None:
        eligible = bisect.bisect_right(self.ages, age)
        return self.templates[rng.randrange(eligible)] if eligible else None


def _templates() -> list[Template]:
    appeals = list(Appeal.objects.order_by("pk").values()[:TEMPLATES])
    if not appeals:
        raise Refused("没有可复制的演示诉求：请先运行 shishi demo")
    children: dict[type[models.Model], dict[int, list[dict]]] = {}
    for model in CHILDREN:
        rows = defaultdict(list)
        for row in (
            model.objects.filter(appeal__in=[a["id"] for a in appeals]).order_by("pk").values()
        ):
            row.pop("id")
            rows[row["appeal_id"]].append(row)
        children[model] = rows
    # The demo's own "now": its latest moment (nothing in it is later).
    made = max(
        max(row["at"] for rows in children[AppealEvent].values() for row in rows),
        max(row["received_at"] for row in appeals),
    )
    return [
        Template(
            appeal=row,
            children={model: children[model].get(row["id"], []) for model in CHILDREN},
            age=made - row["received_at"],
        )
        for row in appeals
    ]


def _places() -> dict[int, list[int]]:
    """County id -> its towns' ids, for every county with towns."""
    towns = defaultdict(list)
    for pk, parent in Unit.objects.filter(kind__in=["town", "street"], depth=2).values_list(
        "pk", "parent_id"
    ):
        towns[parent].append(pk)
    return dict(towns)


def _clone(rng, template: Template, *, received: datetime, places: dict[int, list[int]]):
    """One clone: (appeal row, {model: rows}) moved in time and place; ids set at insert."""
    weeks = (received - template.appeal["received_at"]).days // 7
    shift = timedelta(weeks=weeks)
    moves = {}
    county, town = template.appeal["county_id"], template.appeal["town_id"]
    if county is not None and places:
        new_county = rng.choice(list(places))
        moves[county] = new_county
        if town is not None:
            moves[town] = rng.choice(places[new_county])
    appeal = _moved(Appeal, template.appeal, shift, moves)
    appeal.pop("id")
    phone = (
        rng.choice(REGULAR_CALLERS)
        if rng.random() < 0.02
        else f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"
    )
    appeal |= {
        "reporter_phone": phone,
        "idempotency_key": None,
        "tracking_key": secrets.token_urlsafe(16),
        "merged_into_id": None,
    }
    children = {
        model: [_moved(model, row, shift, moves) for row in rows]
        for model, rows in template.children.items()
    }
    return appeal, children, template.appeal["merged_into_id"] is not None


def _moved(model, row: dict, shift: timedelta, moves: dict[int, int]) -> dict:
    moved = dict(row)
    for name in _dated(model):
        if moved[name] is not None:
            moved[name] += shift
    for name in UNIT_FIELDS[model]:
        if moved[name] in moves:
            moved[name] = moves[moved[name]]
    return moved


@functools.cache
def _dated(model) -> tuple[str, ...]:
    """The date and time columns of `model` (DateTimeField is a DateField too)."""
    return tuple(
        field.attname
        for field in model._meta.concrete_fields
        if isinstance(field, models.DateField)
    )


def _insert(clones: list, *, first_pk: int) -> None:
    """INSERT a batch: appeals with their ids, codes per day, then their rows."""
    by_day = defaultdict(list)
    for appeal, _, _ in clones:
        by_day[timezone.localdate(appeal["received_at"])].append(appeal)
    for day, appeals in by_day.items():
        codes = reserve_codes(prefix=settings.CITY_CODE_PREFIX, day=day, count=len(appeals))
        for appeal, code in zip(appeals, codes, strict=True):
            appeal["code"] = code
    rows: dict[type[models.Model], list[dict]] = defaultdict(list)
    last_open = None
    for n, (appeal, children, merged) in enumerate(clones):
        pk = first_pk + n
        appeal["id"] = pk
        appeal["phone_hash"] = phone_hash(appeal["reporter_phone"])
        if merged:  # merged into the batch's latest appeal that is not itself merged
            appeal["merged_into_id"] = last_open or first_pk + len(clones) - 1
        else:
            last_open = pk
        for model, children_rows in children.items():
            for row in children_rows:
                rows[model].append(row | {"appeal_id": pk})
    insert_rows(Appeal, [appeal for appeal, _, _ in clones], with_ids=True)
    for model in CHILDREN:
        insert_rows(model, rows[model])


def _reset_sequence() -> None:
    """PostgreSQL's id sequence continues after the ids given (SQLite needs nothing)."""
    statements = connection.ops.sequence_reset_sql(no_style(), [Appeal])
    with connection.cursor() as cursor:
        for sql in statements:
            cursor.execute(sql)
