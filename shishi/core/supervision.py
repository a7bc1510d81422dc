"""The duty kit's supervision ladder (跟踪督导) and window closer, shared by every duty with a
deadline: appeals, project milestones, report slots, and the modules still to come.

提醒 before the due date, 催办 on it, 督办 once overdue, 通报 when overdue by N working days
(`SUPERVISION_REMIND_BEFORE_DAYS`, `SUPERVISION_NOTIFY_AFTER_DAYS`). A domain describes one
kind of duty as a `Ladder` (its open rows, its columns, what one step writes) and calls
`sweep()`; it describes a "window ended" job with `close_due()`. Both work in batches: one
transaction per batch locks the batch's rows, claims them with one conditional UPDATE and
writes the events and SMS in bulk, so the number of queries grows with batches, not rows,
and two workers never take the same step twice (PostgreSQL: `FOR UPDATE SKIP LOCKED`;
SQLite: the IMMEDIATE transaction serialises writers).
"""

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from django.conf import settings
from django.db import models, transaction
from django.utils import timezone

from shishi.core import bulk, outbox, workdays
from shishi.core.models import EventBase
from shishi.core.sms import Sms


class Level(models.IntegerChoices):
    NONE = 0, "正常"
    REMIND = 1, "提醒"
    URGE = 2, "催办"
    SUPERVISE = 3, "督办"
    NOTIFY = 4, "通报"


# The event codes a step on the ladder is recorded under, in every domain's `Verb`.
LADDER_VERBS = {
    Level.REMIND: "remind",
    Level.URGE: "urge",
    Level.SUPERVISE: "supervise",
    Level.NOTIFY: "notify",
}


def due_thresholds(*, today: date, remind_before: int, notify_after: int) -> dict[Level, date]:
    """For each rung, the latest due date that puts a duty on it (or higher) today.

    Lets a sweep find candidates with one indexed range query per rung instead of
    computing working days row by row.
    """
    return {
        Level.REMIND: workdays.add_workdays(today, remind_before),
        Level.URGE: today,
        Level.SUPERVISE: date.fromordinal(today.toordinal() - 1),
        Level.NOTIFY: workdays.sub_workdays(today, notify_after),
    }


@dataclass(frozen=True)
class Step:
    """What moving one duty up a rung writes: an unsaved event, and an SMS to a unit's staff."""

    event: EventBase
    unit_id: int | None
    sms: Sms
    # The subject whose timeline shows the SMS delivery (outbox `ref`, "appeal:12").
    ref: str = ""


@dataclass(frozen=True)
class Ladder:
    """One kind of duty on the ladder.

    `rows` are the open duties of this kind (with the `select_related` that `step` needs);
    `step(duty, level, overdue)` says what moving `duty` to `level` writes, `overdue` being
    the working days past its due date (0 before it). The duty still carries its old level.

    `passed(duty, level, overdue)`, if given, returns the unsaved event for a rung the duty
    climbs past without stopping (a sweep that reaches it late, e.g. after an outage, moves
    it from 正常 straight to 通报): then every rung climbed is recorded, lowest first, while
    the SMS is still sent once, for the rung the duty lands on. Without it, one event.
    """

    rows: models.QuerySet
    step: Callable[[Any, Level, int], Step]
    due_field: str = "due"
    level_field: str = "supervision"
    at_field: str = "supervision_at"
    passed: Callable[[Any, Level, int], EventBase] | None = None


Recipients = Callable[[set[int]], dict[int, list[str]]]


def sweep(
    ladder: Ladder, *, now: datetime, recipients: Recipients, chunk: int = 500
) -> dict[Level, int]:
    """Move every duty up to the rung its deadline puts it on today; returns moves per rung.

    Idempotent: a duty already on its rung is not touched. Highest rungs first, so a duty
    the sweep reaches late jumps straight to where it belongs (with one SMS; with an event
    for each rung passed if the ladder says `passed`). `recipients(unit_ids)` maps
    units to the phones of the staff who are told (`orgs.notify.staff_phones`).
    """
    today = timezone.localdate(now)
    thresholds = due_thresholds(
        today=today,
        remind_before=settings.SUPERVISION_REMIND_BEFORE_DAYS,
        notify_after=settings.SUPERVISION_NOTIFY_AFTER_DAYS,
    )
    phones: dict[int, list[str]] = {}  # unit id -> its staff's phones, looked up once a sweep
    overdue: dict[date, int] = {}  # due date -> working days overdue; duties share due dates
    moved: dict[Level, int] = {}
    for level in sorted(thresholds, reverse=True):
        candidates = ladder.rows.filter(
            **{f"{ladder.due_field}__lte": thresholds[level], f"{ladder.level_field}__lt": level}
        )
        claim = {ladder.level_field: level, ladder.at_field: now}

        def write(batch: list, level: Level = level) -> None:
            steps, events = [], []
            for duty in batch:
                due = getattr(duty, ladder.due_field)
                if due not in overdue:
                    overdue[due] = _overdue(due, today)
                if ladder.passed is not None:
                    below = range(getattr(duty, ladder.level_field) + 1, level)
                    events += [ladder.passed(duty, Level(rung), overdue[due]) for rung in below]
                step = ladder.step(duty, level, overdue[due])
                steps.append(step)
                events.append(step.event)
            bulk.insert_objects(events)  # in order: a duty's rungs lowest first
            units = {step.unit_id for step in steps if step.unit_id is not None}
            if missing := units - phones.keys():
                phones.update({unit: [] for unit in missing} | recipients(missing))
            outbox.enqueue_sms_many(
                [
                    (phone, step.sms, step.unit_id, step.ref)
                    for step in steps
                    for phone in phones.get(step.unit_id, [])
                ]
            )

        count = _in_batches(candidates, claim=claim, write=write, chunk=chunk)
        if count:
            moved[level] = count
    return moved


def close_due(
    rows: models.QuerySet,
    *,
    due_field: str,
    today: date,
    changes: dict[str, Any],
    record: Callable[[Any], EventBase],
    chunk: int = 500,
) -> int:
    """Close every row of `rows` whose window (`due_field`) ended before `today`.

    `changes` are the column values that close a row (its new status …); they must take the
    row out of `rows`, which makes the job idempotent. `record(row)` returns the unsaved
    event for a closed row, which already carries `changes`. Returns how many were closed.
    """

    def write(batch: list) -> None:
        for row in batch:
            for name, value in changes.items():
                setattr(row, name, value)
        bulk.insert_objects(record(row) for row in batch)

    candidates = rows.filter(**{f"{due_field}__lt": today})
    return _in_batches(candidates, claim=changes, write=write, chunk=chunk)


class _LostRace(Exception):
    """Another worker changed part of the batch between the read and the claim."""


def _in_batches(
    candidates: models.QuerySet,
    *,
    claim: dict[str, Any],
    write: Callable[[list], None],
    chunk: int,
) -> int:
    """Claim `candidates` `chunk` rows at a time (one transaction each) and `write` for them.

    The claim is a conditional UPDATE over the same filter, so a row that no longer matches
    is not claimed; if the count differs from the batch, the batch is rolled back and read
    again rather than writing for rows another worker took.
    """
    done = 0
    # No ORDER BY: batches need no order, and ordering by pk would lead SQLite away from the
    # partial index the candidates are read through.
    locked = candidates.select_for_update(skip_locked=True, of=("self",)).order_by()
    while True:
        try:
            with transaction.atomic():
                batch = list(locked[:chunk])
                if not batch:
                    return done
                claimed = candidates.filter(pk__in=[row.pk for row in batch]).update(**claim)
                if claimed != len(batch):
                    raise _LostRace
                write(batch)
        except _LostRace:
            continue
        done += len(batch)
        if len(batch) < chunk:
            return done


def _overdue(due: date, today: date) -> int:
    return workdays.workdays_between(due, today) if today > due else 0
