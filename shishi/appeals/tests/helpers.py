"""Helpers for the appeals tests: business-time clocks, actors and "nothing changed" snapshots."""

from shishi.appeals.models import Appeal, AppealEvent, Dispatch, Reply, Review
from shishi.core.models import OutboxMessage
from shishi.testing import SHANGHAI, actor_of, at, run_at_once  # noqa: F401  (re-exported)


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
