"""What SMS cost (短信费用), for the reports registry (core.figures): the SMS a provider
accepted, per unit they are counted against (the unit told, or the unit handling a
citizen's matter), per month and per kind — providers bill per message, so this is the bill
split by who caused it. Codes and other SMS with no unit are left out of the unit figures.
"""

from collections import defaultdict
from datetime import date, datetime, time

from django.db.models import Count
from django.utils import timezone

from shishi.core import sms
from shishi.core.figures import Breakdown, Figure, Kind, Source
from shishi.core.models import OutboxMessage

Status = OutboxMessage.Status
# Accepted by the provider, so billed, whatever the receipt said afterwards.
BILLED = [Status.SENT, Status.DELIVERED, Status.FAILED]


def _aware(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, time.min))


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """SMS sent in [start, end) per unit, by kind and by what the receipt said: one query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        OutboxMessage.objects.filter(
            channel=OutboxMessage.Channel.SMS,
            status__in=BILLED,
            sent_at__gte=_aware(start),
            sent_at__lt=_aware(end),
            unit_id__isnull=False,
        )
        .values_list("unit_id", "kind", "status")
        .annotate(n=Count("pk"))
        .order_by()
    )
    for unit_id, kind, status, n in rows:
        unit = counts[unit_id]
        unit["sent"] += n
        unit[f"kind:{kind or 'free'}"] += n
        if status == Status.DELIVERED:
            unit["delivered"] += n
        elif status == Status.FAILED:
            unit["undelivered"] += n
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _delivered_rate(counts) -> float | None:
    known = counts.get("delivered", 0) + counts.get("undelivered", 0)
    return counts.get("delivered", 0) / known if known else None


def _kind_labels() -> dict[str, str]:
    return {code: kind.label for code, kind in sms.kinds().items()} | {"free": "自由文本"}


SOURCE = Source(
    key="sms",
    title="短信发送",
    order=200,
    collect=collect,
    figures=(
        Figure(
            "sms.sent",
            "发送短信",
            "条",
            "服务商已受理（计费）的短信条数，按通知的单位或承办单位计；验证码不计入单位。",
            lambda counts: counts.get("sent", 0),
        ),
        Figure(
            "sms.delivered_rate",
            "短信送达率",
            "%",
            "回执为已送达的短信 ÷ 已收到回执的短信。",
            _delivered_rate,
            kind=Kind.RATE,
        ),
    ),
    breakdowns=(
        Breakdown("kind", "发送短信（按短信类型）", _kind_labels, chart="barh", unit="条"),
    ),
    headline=("sms.sent",),
    internal=True,
)
