"""Reads of appeals: unit queues, list filters, keyset pages, similar-appeal suggestions."""

import base64
import re
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.db.models import Q, QuerySet
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime

from shishi.appeals import search
from shishi.appeals.models import (
    IN_HAND_STATUSES,
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    Category,
    Dispatch,
    Review,
    Status,
)
from shishi.core import workdays
from shishi.orgs.models import Unit

APPEAL_CODE = re.compile(r"[A-Z]{2}\d{8}-\d{5}")
# Every list of appeals shows these relations; name them once.
LIST_RELATIONS = ("category", "holder")


@dataclass(frozen=True)
class AppealLink:
    """A step another module offers from an appeal's page (e.g. 生成实事项目)."""

    label: str
    url_name: str  # reversed without arguments; the appeal's code goes in ?appeal=
    perm: str


# Filled by higher modules in their AppConfig.ready(); appeals never imports them.
APPEAL_LINKS: list[AppealLink] = []


def links_for(actor) -> list[AppealLink]:
    return [link for link in APPEAL_LINKS if actor.can(link.perm)]


@dataclass(frozen=True)
class Queue:
    key: str
    label: str
    hint: str


QUEUES = [
    Queue("to_dispatch", "待派单", "本单位受理或被退回、尚未派出的诉求"),
    Queue("to_sign", "待签收", "派给本单位、尚未签收的诉求（含协办）"),
    Queue("in_hand", "办理中", "本单位已签收、尚未答复的诉求"),
    Queue("due_soon", "即将到期", "2个工作日内到期、尚未答复"),
    Queue("overdue", "已超期", "超过办理期限仍未答复"),
    Queue("returned", "退单", "下级退回本单位、需重新派单的诉求"),
    Queue("callback", "待回访", "已答复、等待群众评价"),
    Queue("all", "全部", "与本单位及下级有关的全部诉求"),
]
QUEUE_KEYS = {q.key for q in QUEUES}


def queue(appeals: QuerySet[Appeal], *, key: str, unit: Unit, today: date) -> QuerySet[Appeal]:
    """One of a unit's work queues, taken from the appeals the actor may see."""
    mine = appeals.filter(holder=unit)
    if key == "to_dispatch":
        return mine.filter(status__in=[Status.RECEIVED, Status.RETURNED])
    if key == "to_sign":
        co = Dispatch.objects.filter(
            to_unit=unit, co_handler=True, active=True, signed_at__isnull=True
        ).values("appeal_id")
        return appeals.filter(Q(holder=unit, status=Status.DISPATCHED) | Q(pk__in=co))
    if key == "in_hand":
        return mine.filter(status__in=[Status.ACCEPTED, Status.REOPENED])
    if key == "due_soon":
        return mine.filter(
            status__in=IN_HAND_STATUSES,
            handle_due__gte=today,
            handle_due__lte=workdays.add_workdays(today, 2),
        )
    if key == "overdue":
        return mine.filter(status__in=IN_HAND_STATUSES, handle_due__lt=today)
    if key == "returned":
        return mine.filter(status=Status.RETURNED)
    if key == "callback":
        return appeals.filter(status=Status.REPLIED)
    return appeals


def queue_counts(appeals: QuerySet[Appeal], *, unit: Unit, today: date) -> dict[str, int]:
    return {
        q.key: queue(appeals, key=q.key, unit=unit, today=today).count()
        for q in QUEUES
        if q.key != "all"
    }


@dataclass
class Filters:
    q: str = ""
    status: str = ""
    kind: str = ""
    channel: str = ""
    category: int | None = None
    unit: int | None = None
    since: date | None = None
    until: date | None = None
    overdue: bool = False
    supervision: int | None = None

    @classmethod
    def from_params(cls, params) -> "Filters":
        def number(name: str) -> int | None:
            value = params.get(name, "")
            return int(value) if value.isdigit() else None

        def day(name: str) -> date | None:
            try:
                return parse_date(params.get(name, ""))
            except ValueError:
                return None

        return cls(
            q=params.get("q", "").strip()[:100],
            status=params.get("status", "") if params.get("status") in Status.values else "",
            kind=params.get("kind", ""),
            channel=params.get("channel", ""),
            category=number("category"),
            unit=number("unit"),
            since=day("since"),
            until=day("until"),
            overdue=params.get("overdue") == "1",
            supervision=number("supervision"),
        )


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def apply_filters(
    appeals: QuerySet[Appeal],
    filters: Filters,
    *,
    today: date,
    unit: Unit | None = None,
    category: Category | None = None,
) -> QuerySet[Appeal]:
    """The list filters; `unit` and `category` come already access-checked."""
    if filters.q:
        code = filters.q.upper()
        if APPEAL_CODE.fullmatch(code):
            appeals = appeals.filter(code=code)
        else:
            appeals = search.matching(appeals, filters.q)
    if filters.status:
        appeals = appeals.filter(status=filters.status)
    if filters.kind:
        appeals = appeals.filter(kind=filters.kind)
    if filters.channel:
        appeals = appeals.filter(channel=filters.channel)
    if category is not None:
        appeals = appeals.filter(
            Q(category=category) | Q(category__full_name__startswith=f"{category.full_name}/")
        )
    if unit is not None:
        appeals = appeals.filter(holder__path__startswith=unit.path)
    if filters.since:
        appeals = appeals.filter(received_at__gte=_day_start(filters.since))
    if filters.until:
        appeals = appeals.filter(received_at__lt=_day_start(filters.until + timedelta(days=1)))
    if filters.overdue:
        appeals = appeals.filter(status__in=IN_HAND_STATUSES, handle_due__lt=today)
    if filters.supervision is not None:
        appeals = appeals.filter(supervision=filters.supervision)
    return appeals


# --- Keyset pagination ---------------------------------------------------------------------------


def encode_cursor(appeal: Appeal) -> str:
    raw = f"{appeal.received_at.isoformat()}|{appeal.pk}"
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str) -> tuple[datetime, int] | None:
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
        stamp, pk = raw.split("|")
        moment = parse_datetime(stamp)
        return (moment, int(pk)) if moment else None
    except (ValueError, UnicodeDecodeError):
        return None


@dataclass
class Page:
    rows: list[Appeal]
    next_cursor: str | None


def keyset_page(appeals: QuerySet[Appeal], *, after: str = "", size: int = 30) -> Page:
    """Newest first; `after` continues from the last row of the previous page. Cost does not
    grow with the page number (no OFFSET)."""
    position = decode_cursor(after) if after else None
    if position is not None:
        moment, pk = position
        appeals = appeals.filter(Q(received_at__lt=moment) | Q(received_at=moment, pk__lt=pk))
    rows = list(appeals.select_related(*LIST_RELATIONS).order_by("-received_at", "-pk")[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


# --- Detail and suggestions ----------------------------------------------------------------------


def timeline(appeal: Appeal, *, public_only: bool = False) -> QuerySet[AppealEvent]:
    events = appeal.events.select_related("unit").order_by("at", "pk")
    return events.filter(public=True) if public_only else events


def dispatch_history(appeal: Appeal) -> QuerySet[Dispatch]:
    return appeal.dispatches.select_related("from_unit", "to_unit").order_by("at", "pk")


def pending_reviews(appeal: Appeal) -> QuerySet[Review]:
    return appeal.reviews.filter(decision=Review.Decision.PENDING)


def similar_open(
    text: str,
    *,
    among: QuerySet[Appeal] | None = None,
    category: Category | None = None,
    place: str = "",
    exclude: int | None = None,
    limit: int = 5,
) -> list[Appeal]:
    """Open appeals that look like this one: sharing the most significant words of the text
    (and the place), same category first. Used for duplicate hints at intake."""
    words = [w for w in search.tokens(f"{text} {place}") if len(w) >= 2]
    if not words:
        return []
    # The rarest words say the most; jieba's dictionary frequency is a fair proxy.
    words = sorted(set(words), key=lambda w: search.jieba.dt.FREQ.get(w, 0))[:4]
    # `among` is the caller's access-checked set; the public portal passes every appeal but
    # shows nothing personal (category and status only).
    candidates = (among if among is not None else Appeal.objects.all()).filter(
        status__in=[*OPEN_STATUSES, Status.REPLIED]
    )
    if exclude:
        candidates = candidates.exclude(pk=exclude)
    found: dict[int, tuple[int, Appeal]] = {}
    for word in words:
        for appeal in search.matching(candidates, word).select_related("category")[:20]:
            hits, _ = found.get(appeal.pk, (0, appeal))
            found[appeal.pk] = (hits + 1, appeal)
    ranked = sorted(
        (pair for pair in found.values() if pair[0] >= min(2, len(words))),
        key=lambda pair: (
            -pair[0],
            pair[1].category_id != (category.pk if category else None),
            -pair[1].received_at.timestamp(),
        ),
    )
    return [appeal for _, appeal in ranked[:limit]]


def categories_for_select() -> QuerySet[Category]:
    return Category.objects.filter(active=True, level__gte=2).order_by("full_name")


def grouped_categories() -> list:
    """Select choices: ("", prompt), then (top class, [(id, "二级/三级"), …]) groups."""
    groups: dict[str, list] = {}
    for pk, full_name in categories_for_select().values_list("pk", "full_name"):
        top, _, rest = full_name.partition("/")
        groups.setdefault(top, []).append((pk, rest))
    return [("", "请选择问题分类"), *groups.items()]


def top_categories() -> QuerySet[Category]:
    return Category.objects.filter(active=True, level=1).order_by("sort", "name")


def public_timeline(appeal: Appeal) -> list[AppealEvent]:
    """What the citizen sees: public events, and for a merged appeal, the primary's too."""
    events = list(timeline(appeal, public_only=True))
    if appeal.merged_into_id:
        events += [
            e for e in timeline(appeal.merged_into, public_only=True) if e.at > appeal.closed_at
        ]
    return sorted(events, key=lambda e: (e.at, e.pk))


def units_for_dispatch(units: QuerySet[Unit], *, holder: Unit) -> QuerySet[Unit]:
    """Where a holder may send an appeal: active units of its subtree except itself."""
    return (
        units.filter(active=True, path__startswith=holder.path)
        .exclude(pk=holder.pk)
        .order_by("path")
    )


def open_co_dispatch(appeal: Appeal, *, unit: Unit) -> Dispatch | None:
    return appeal.dispatches.filter(
        to_unit=unit, co_handler=True, active=True, signed_at__isnull=True
    ).first()


def review_list(reviews: QuerySet[Review], *, pending: bool) -> QuerySet[Review]:
    reviews = reviews.select_related("appeal", "unit", "requested_by")
    if pending:
        reviews = reviews.filter(decision=Review.Decision.PENDING)
    return reviews.order_by("-requested_at")


def top_or_any_category(pk: int) -> Category | None:
    return Category.objects.filter(pk=pk).first()


def recent_months(today: date, *, count: int) -> list[date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    months, current = [], today.replace(day=1)
    for _ in range(count):
        months.append(current)
        current = (current - timedelta(days=1)).replace(day=1)
    return months


def home_panel(actor) -> dict:
    """The appeals block of the staff home: this unit's queues and the subtree's month."""
    from shishi.appeals.access import Perm, visible_appeals
    from shishi.appeals.metrics import Figures, month_bounds, unit_figures

    today = timezone.localdate()
    appeals = visible_appeals(actor)
    start, end = month_bounds(today)
    month = Figures()
    for figures in unit_figures(
        start=start, end=end, today=today, within=actor.scope_path
    ).values():
        month.add(figures)
    return {
        "counts": queue_counts(appeals, unit=actor.unit, today=today)
        if actor.can(Perm.HANDLE)
        else {},
        "queues": QUEUES,
        "overdue_in_scope": appeals.filter(
            status__in=IN_HAND_STATUSES, handle_due__lt=today
        ).count(),
        "month": month,
        "month_start": start,
    }


def photo_of(appeal: Appeal, pk: int):
    return appeal.photos.filter(pk=pk).first()
