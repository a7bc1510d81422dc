"""Helpers for the appeals tests: business-time clocks, actors and "nothing changed" snapshots."""

import threading
from collections.abc import Callable
from datetime import datetime
from zoneinfo import ZoneInfo

from django.db import connection

from shishi.appeals.models import Appeal, AppealEvent, Dispatch, Reply, Review
from shishi.core.models import OutboxMessage
from shishi.orgs.access import Actor
from shishi.orgs.models import Membership, Person

SHANGHAI = ZoneInfo("Asia/Shanghai")


def at(year: int, month: int, day: int, hour: int = 10, minute: int = 0) -> datetime:
    """An aware moment in the business time zone (Asia/Shanghai)."""
    return datetime(year, month, day, hour, minute, tzinfo=SHANGHAI)


def actor_of(person: Person) -> Actor:
    """The actor for `person` acting through their (only) membership."""
    membership = Membership.objects.select_related("unit").filter(person=person).first()
    return Actor(person=person, membership=membership)


def fresh(appeal: Appeal) -> Appeal:
    return Appeal.objects.get(pk=appeal.pk)


def state_of(appeal: Appeal) -> dict:
    """Everything an appeal action may write, to show that a refusal changed nothing."""
    return {
        "appeal": Appeal.objects.filter(pk=appeal.pk).values().get(),
        "events": AppealEvent.objects.filter(appeal=appeal).count(),
        "dispatches": list(Dispatch.objects.filter(appeal=appeal).order_by("pk").values()),
        "replies": list(Reply.objects.filter(appeal=appeal).order_by("pk").values()),
        "reviews": list(Review.objects.filter(appeal=appeal).order_by("pk").values()),
        "outbox": OutboxMessage.objects.count(),
    }


def verbs(appeal: Appeal, *, public_only: bool = False) -> list[str]:
    events = AppealEvent.objects.filter(appeal=appeal).order_by("at", "pk")
    if public_only:
        events = events.filter(public=True)
    return list(events.values_list("verb", flat=True))


def sms_to(phone: str) -> list[str]:
    return list(
        OutboxMessage.objects.filter(channel="sms", recipient=phone)
        .order_by("pk")
        .values_list("body", flat=True)
    )


def run_at_once(target: Callable[[], object], *, threads: int) -> list:
    """Run `target` in `threads` threads released together; returns results (or exceptions).

    Each thread has its own database connection, closed when it is done.
    """
    barrier = threading.Barrier(threads)
    results: list = [None] * threads

    def work(index: int) -> None:
        try:
            barrier.wait(timeout=30)
            results[index] = target()
        except Exception as error:  # surfaced by the caller's assertions
            results[index] = error
        finally:
            connection.close()

    workers = [threading.Thread(target=work, args=(i,)) for i in range(threads)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join(timeout=120)
    return results
