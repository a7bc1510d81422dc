"""Reads of appeals: unit queues, list filters, keyset pages, similar-appeal suggestions."""

import base64
import functools
import operator
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from typing import Any

from django.db.models import (
    Case,
    Count,
    Exists,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    When,
)
from django.utils import timezone
from django.utils.dateparse import parse_datetime

from shishi.appeals import search
from shishi.appeals.access import Perm, visible_appeals
from shishi.appeals.models import (
    OPEN_STATUSES,
    Appeal,
    AppealEvent,
    AppealQuerySet,
    Category,
    Dispatch,
    Interview,
    Photo,
    Reply,
    Review,
    Status,
)
from shishi.core.supervision import Level
from shishi.orgs.access import Actor, access_unit
from shishi.orgs.models import Membership, Unit
from shishi.orgs.notify import DUTY_ROLES

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
    Queue("to_dispatch", "待派单", "本单位受理或被退回、尚未派出的诉求，等得最久的在前"),
    Queue("to_sign", "待签收", "派给本单位、尚未签收的诉求（含协办）"),
    Queue("in_hand", "办理中", "本单位已签收、尚未答复的诉求"),
    Queue("due_soon", "即将到期", "2个工作日内到期、尚未答复"),
    Queue("overdue", "已超期", "超过办理期限仍未答复"),
    Queue("returned", "退单", "下级退回本单位、需重新派单的诉求"),
    Queue("callback", "待回访", "已答复、等待群众评价"),
    Queue("all", "全部", "与本单位及下级有关的全部诉求"),
]
# A supervisor (督查员) watches the late work of the whole subtree, not one unit's queue.
SUPERVISION_QUEUES = [
    Queue("all_overdue", "已超期", "本辖区超过办理期限仍未答复的诉求"),
    Queue("all_due_soon", "即将到期", "本辖区2个工作日内到期、尚未答复的诉求"),
    Queue("notified", "通报", "超期已达通报级别、仍未答复的诉求"),
]
QUEUE_KEYS = {q.key for q in [*QUEUES, *SUPERVISION_QUEUES]}


def queues_for(actor: Actor) -> list[Queue]:
    """The tabs of the actor's queue page: a unit's work queues for those who handle
    appeals (待回访 only for those who call back), the subtree's late work for supervisors,
    and 全部 for everyone."""
    tabs = [q for q in QUEUES if q.key != "all"] if actor.can(Perm.HANDLE) else []
    if not actor.can(Perm.CALLBACK):  # calling citizens back is the hotline's work
        tabs = [q for q in tabs if q.key != "callback"]
    if actor.can(Perm.SUPERVISE):
        tabs += SUPERVISION_QUEUES
    return [*tabs, *(q for q in QUEUES if q.key == "all")]


def _queue_condition(key: str, *, unit: Unit | None, today: date, co: list[int] | None = None) -> Q:
    """Which appeals (of those the actor may see) are in one of a unit's work queues, or
    of the supervisor's (which need no unit). `co`: the unit's co-handling, if read."""
    mine = Q(holder=unit)
    if key == "to_dispatch":
        return mine & Q(status__in=[Status.RECEIVED, Status.RETURNED])
    if key == "to_sign":
        return (mine & Q(status=Status.DISPATCHED)) | Q(
            pk__in=_co_handling(unit) if co is None else co
        )
    if key == "in_hand":
        return mine & Q(status__in=[Status.ACCEPTED, Status.REOPENED])
    if key == "due_soon":
        return mine & AppealQuerySet.due_within_q(today, 2)
    if key == "overdue":
        return mine & AppealQuerySet.overdue_q(today)
    if key == "returned":
        return mine & Q(status=Status.RETURNED)
    if key == "callback":
        return AppealQuerySet.replied_q()
    if key == "all_overdue":
        return AppealQuerySet.overdue_q(today)
    if key == "all_due_soon":
        return AppealQuerySet.due_within_q(today, 2)
    if key == "notified":
        return AppealQuerySet.in_hand_q() & Q(supervision__gte=Level.NOTIFY)
    return Q()


def _co_handling(unit: Unit | None) -> list[int]:
    """The appeals sent to the unit to co-handle (协办) and not yet signed for: read first,
    a few ids, so that the OR they join is planned on indexes. As a subquery it would be
    a hashed filter, which keeps PostgreSQL from a bitmap OR (a whole-table scan)."""
    return list(
        Dispatch.objects.filter(to_unit=unit, co_handler=True, active=True, signed_at__isnull=True)
        .order_by()
        .values_list("appeal_id", flat=True)
    )


def queue(appeals: QuerySet[Appeal], *, key: str, unit: Unit, today: date) -> QuerySet[Appeal]:
    """One of a unit's work queues, taken from the appeals the actor may see."""
    return appeals.filter(_queue_condition(key, unit=unit, today=today))


def queue_counts(
    appeals: QuerySet[Appeal], *, unit: Unit, today: date, keys: Iterable[str] = ()
) -> dict[str, int]:
    """The sizes of the unit's queues `keys` (all but 全部 when none are named) in two
    queries: the unit's co-handling ids, then one aggregate. It reads only rows some count
    takes, each term of its OR by an index: the unit's open appeals (appeal_queue_idx), its
    co-handling (the primary key) and, for 待回访, the replied ones (appeal_callback_idx) —
    so a city's million closed appeals are never scanned (a test reads the plan)."""
    keys = set(keys) or {q.key for q in QUEUES}
    co = _co_handling(unit)
    conditions = {
        q.key: _queue_condition(q.key, unit=unit, today=today, co=co)
        for q in QUEUES
        if q.key in keys and q.key != "all"
    }
    reach = [Q(holder=unit, status__in=OPEN_STATUSES), Q(pk__in=co)]
    if "callback" in conditions:
        reach.append(AppealQuerySet.replied_q())
    return appeals.filter(functools.reduce(operator.or_, reach)).aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )


def supervision_counts(appeals: QuerySet[Appeal], *, today: date) -> dict[str, int]:
    """The supervisor's tabs' sizes in one query (all three are appeals in hand)."""
    conditions = {
        q.key: _queue_condition(q.key, unit=None, today=today) for q in SUPERVISION_QUEUES
    }
    return appeals.in_hand().aggregate(
        **{key: Count("pk", filter=condition) for key, condition in conditions.items()}
    )


def default_queue(actor: Actor) -> str:
    """The tab a role opens on: intake staff what to dispatch, handlers what to sign,
    supervisors what is overdue."""
    if not actor.can(Perm.HANDLE):
        return "all_overdue" if actor.can(Perm.SUPERVISE) else "all"
    return "to_dispatch" if actor.can(Perm.INTAKE) else "to_sign"


@dataclass(frozen=True)
class StaffList:
    queue: str  # the tab the rows come from
    appeals: QuerySet[Appeal]
    unit: Unit | None = None  # the 承办单位 filter (its subtree), access-checked

    @property
    def oldest_first(self) -> bool:
        return self.queue == "to_dispatch"


def staff_appeal_list(
    actor: Actor, filters: Mapping[str, Any], *, today: date, every_row: bool = False
) -> StaffList:
    """The staff queue page's rows, and exactly those of its CSV/XLSX export: one of the
    actor's queues (a searched code is looked up wherever the appeal stands), then the list
    filters (`appeals.forms.AppealFilterForm.values`). A unit outside the actor's subtree is
    not found (404). `every_row`: for a reader of all rows (an export), see apply_filters."""
    key = filters.get("queue") or default_queue(actor)
    if APPEAL_CODE.fullmatch(filters.get("q", "").strip().upper()):
        key = "all"
    unit = access_unit(actor, filters["unit"]) if filters.get("unit") else None
    listed = queue(visible_appeals(actor), key=key, unit=actor.unit, today=today)
    filtered = apply_filters(listed, filters, today=today, unit=unit, every_row=every_row)
    order = list_order(oldest_first=key == "to_dispatch")
    return StaffList(key, filtered.order_by(*order), unit=unit)


def list_order(*, oldest_first: bool) -> tuple[str, str]:
    """Lists run newest first; 待派单 oldest first (the longest wait comes first)."""
    return ("received_at", "pk") if oldest_first else ("-received_at", "-pk")


def _day_start(day: date) -> datetime:
    return timezone.make_aware(datetime.combine(day, datetime.min.time()))


def apply_filters(
    appeals: QuerySet[Appeal],
    filters: Mapping[str, Any],
    *,
    today: date,
    unit: Unit | None = None,
    every_row: bool = False,
) -> QuerySet[Appeal]:
    """The list filters (validated by the form); `unit` comes already access-checked.

    The unit's subtree is tested on each row as the newest-first index is walked, which
    finds a page of 20 at once; a reader of every row (`every_row`: an export) takes the
    subtree's holders instead, an index seek each and one sort (a county's 49,000 rows of
    1M: 1 s instead of 40)."""
    if q := filters.get("q"):
        code = q.upper()
        appeals = (
            appeals.filter(code=code)
            if APPEAL_CODE.fullmatch(code)
            else search.matching(appeals, q)
        )
    for name in ("status", "kind", "channel"):
        if filters.get(name):
            appeals = appeals.filter(**{name: filters[name]})
    if category := filters.get("category"):
        appeals = appeals.filter(
            Q(category=category) | Q(category__full_name__startswith=f"{category.full_name}/")
        )
    if unit is not None and every_row:
        appeals = appeals.filter(holder__in=Unit.objects.filter(path__startswith=unit.path))
    elif unit is not None:
        appeals = appeals.filter(holder__path__startswith=unit.path)
    if filters.get("since"):
        appeals = appeals.filter(received_at__gte=_day_start(filters["since"]))
    if filters.get("until"):
        appeals = appeals.filter(received_at__lt=_day_start(filters["until"] + timedelta(days=1)))
    if filters.get("due_since"):
        appeals = appeals.filter(handle_due__gte=filters["due_since"])
    if filters.get("due_until"):
        appeals = appeals.filter(handle_due__lte=filters["due_until"])
    if filters.get("overdue"):
        appeals = appeals.overdue(today)
    if filters.get("supervision") is not None:
        appeals = appeals.filter(supervision=filters["supervision"])
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


def keyset_page(
    appeals: QuerySet[Appeal], *, after: str = "", size: int = 30, oldest_first: bool = False
) -> Page:
    """Newest first (or oldest first); `after` continues from the last row of the previous
    page. Cost does not grow with the page number (no OFFSET): the plain range on
    `received_at` before the tie-break lets SQLite seek into the index, where the OR alone
    makes it walk from the newest row (perf-check-1)."""
    position = decode_cursor(after) if after else None
    if position is not None:
        moment, pk = position
        if oldest_first:
            appeals = appeals.filter(received_at__gte=moment).filter(
                Q(received_at__gt=moment) | Q(received_at=moment, pk__gt=pk)
            )
        else:
            appeals = appeals.filter(received_at__lte=moment).filter(
                Q(received_at__lt=moment) | Q(received_at=moment, pk__lt=pk)
            )
    order = list_order(oldest_first=oldest_first)
    rows = list(appeals.select_related(*LIST_RELATIONS).order_by(*order)[: size + 1])
    more = len(rows) > size
    rows = rows[:size]
    return Page(rows=rows, next_cursor=encode_cursor(rows[-1]) if more and rows else None)


# --- Detail and suggestions ----------------------------------------------------------------------


def timeline(appeal: Appeal, *, public_only: bool = False) -> QuerySet[AppealEvent]:
    events = appeal.events.select_related("unit").order_by("at", "pk")
    return events.filter(public=True) if public_only else events


def dispatch_history(appeal: Appeal) -> QuerySet[Dispatch]:
    return appeal.dispatches.select_related("from_unit", "to_unit").order_by("at", "pk")


def replies(appeal: Appeal) -> QuerySet[Reply]:
    """Every answer given, oldest first (a reopened appeal has several)."""
    return (
        Reply.objects.filter(appeal=appeal)
        .select_related("unit", "by", "approved_by")
        .order_by("at", "pk")
    )


def latest_reply(appeal: Appeal) -> Reply | None:
    """The answer the citizen is asked to judge (never a draft awaiting the leader)."""
    return Reply.objects.filter(appeal=appeal).given().order_by("-at", "-pk").first()


def reviews_of(appeal: Appeal) -> QuerySet[Review]:
    """Extension and invalid requests about the appeal, newest first."""
    return Review.objects.filter(appeal=appeal).select_related("unit").order_by("-requested_at")


def photos(appeal: Appeal) -> QuerySet[Photo]:
    """The reporter's photos and every reply's photos of the finished work, in one read."""
    return Photo.objects.filter(appeal=appeal).order_by("pk")


def photos_by_reply(photos: Iterable[Photo], *, replies: Sequence[Reply]) -> list[Photo]:
    """Of `photos` (read once), the reporter's; each of `replies` gets its own photos of the
    finished work as `result_photos`."""
    mine: dict[int, list[Photo]] = {}
    reporter = []
    for photo in photos:
        if photo.reply_id is None:
            reporter.append(photo)
        else:
            mine.setdefault(photo.reply_id, []).append(photo)
    for reply in replies:
        reply.result_photos = mine.get(reply.pk, [])
    return reporter


def given_result_photo(appeal: Appeal, pk: int) -> Photo | None:
    """One photo of the finished work, if it came with an answer the citizen has received."""
    return Photo.objects.filter(
        appeal=appeal, pk=pk, kind=Photo.Kind.RESULT, reply__approval__in=Reply.GIVEN
    ).first()


def result_photos(reply: Reply | None) -> QuerySet[Photo]:
    """The photos of the finished work that came with a reply the citizen has received."""
    if reply is None or not reply.given:
        return Photo.objects.none()
    return Photo.objects.filter(reply=reply).order_by("pk")


def merged_here(appeal: Appeal) -> QuerySet[Appeal]:
    """The duplicates merged into this appeal."""
    return Appeal.objects.filter(merged_into=appeal).only("code", "title")


SIMILAR_CHARS = 800


def in_town_and_category(*, town: int, category: int) -> QuerySet[Appeal]:
    """The appeals the public similar-problem hint may look at: the chosen town's, of the
    chosen category."""
    return Appeal.objects.filter(town_id=town, category_id=category)


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
    # The opening of a long text says what it is about; reading all 5,000 characters of it
    # would only make the hint slower.
    words = [w for w in search.tokens(f"{text[:SIMILAR_CHARS]} {place}") if len(w) >= 2]
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


_Verb = AppealEvent.Verb
# What a citizen whose appeal was merged sees of the primary's handling: its milestones —
# the units' steps and answers — never the other citizen's words (a verdict's note, a
# withdrawal) or code. None keeps the event's note; a text replaces it.
SHARED_MILESTONES: dict[str, str | None] = {
    _Verb.DISPATCHED: None,
    _Verb.SIGNED: None,
    _Verb.EXTENSION_APPROVED: None,
    _Verb.REPLIED: None,
    _Verb.DIRECT_REPLY: None,
    _Verb.INVALID_APPROVED: None,
    _Verb.IN_PROJECT: None,
    _Verb.PROJECT_DONE: None,
    _Verb.REOPENED: "相同诉求重新交办办理",
    _Verb.EVALUATED: "相同诉求已办结",
    _Verb.CLOSED_UNEVALUATED: "相同诉求已办结",
}


def public_timeline(appeal: Appeal) -> list[AppealEvent]:
    """What the citizen sees: public events, and for a merged appeal the primary's
    milestones after the merge (`SHARED_MILESTONES`)."""
    events = list(timeline(appeal, public_only=True))
    if appeal.merged_into_id:
        for event in timeline(appeal.merged_into, public_only=True):
            if event.at <= appeal.closed_at or event.verb not in SHARED_MILESTONES:
                continue
            event.note = SHARED_MILESTONES[event.verb] or event.note  # shown, never saved
            events.append(event)
    return sorted(events, key=lambda e: (e.at, e.pk))


def units_for_dispatch(
    units: QuerySet[Unit], *, holder: Unit, appeal: Appeal | None = None
) -> QuerySet[Unit]:
    """Where a holder may send an appeal: active units of its subtree except itself that can
    sign it (an active clerk or leader), in tree order. Given the appeal, each unit carries
    `suggest` (see `SUGGEST`) for the picker to put first — in the same single query."""
    staffed = Membership.objects.filter(
        unit=OuterRef("pk"), role__in=DUTY_ROLES, person__is_active=True
    )
    listed = (
        units.filter(Exists(staffed), active=True, path__startswith=holder.path)
        .exclude(pk=holder.pk)
        .order_by("path")
    )
    return listed.annotate(suggest=_suggestion(appeal)) if appeal is not None else listed


# Why the dispatch picker puts a unit first (`suggest`), best first; OTHER is not suggested.
SUGGEST = {0: "所在乡镇（街道）", 1: "所在县（区）", 2: "曾办理当地同类诉求"}
SUGGEST_OTHER = 3


def _suggestion(appeal: Appeal) -> Case:
    """The town and county the citizen chose, then the units that took (and did not return)
    appeals of the same category from the same place (town, else county, else anywhere)."""
    whens = []
    if appeal.town_id:
        whens.append(When(pk=appeal.town_id, then=0))
    if appeal.county_id:
        whens.append(When(pk=appeal.county_id, then=1))
    if not appeal.category.is_unsorted:
        alike = Appeal.objects.filter(category_id=appeal.category_id).exclude(pk=appeal.pk)
        if appeal.town_id:
            alike = alike.filter(town_id=appeal.town_id)
        elif appeal.county_id:
            alike = alike.filter(county_id=appeal.county_id)
        handled = Dispatch.objects.filter(
            appeal__in=alike.values("pk"), returned_at__isnull=True
        ).values("to_unit_id")
        whens.append(When(pk__in=handled, then=2))
    return Case(*whens, default=SUGGEST_OTHER, output_field=IntegerField())


def review_list(reviews: QuerySet[Review], *, pending: bool) -> QuerySet[Review]:
    reviews = reviews.select_related("appeal", "unit", "requested_by")
    if pending:
        reviews = reviews.filter(decision=Review.Decision.PENDING)
    return reviews.order_by("-requested_at")


def categories() -> QuerySet[Category]:
    """Any category, active or not (a list filter may name an old one)."""
    return Category.objects.all()


def recent_months(today: date, *, count: int) -> list[date]:
    """The first days of this month and the `count - 1` before it, newest first."""
    months, current = [], today.replace(day=1)
    for _ in range(count):
        months.append(current)
        current = (current - timedelta(days=1)).replace(day=1)
    return months


def photo_of(appeal: Appeal, pk: int) -> Photo | None:
    return photos(appeal).filter(pk=pk).first()


def interviews_of(unit: Unit, *, limit: int = 20) -> list[Interview]:
    """约谈记录 of a unit, newest first, with the appeal that prompted each (one query)."""
    return list(
        Interview.objects.filter(unit=unit)
        .select_related("appeal", "recorded_by")
        .order_by("-held_on", "-pk")[:limit]
    )


# --- For other systems (api.open311) -------------------------------------------------------------


def leaf_categories() -> QuerySet[Category]:
    """Active categories with no active sub-category: what a reporter finally chooses."""
    return (
        Category.objects.filter(active=True, level__gte=2)
        .exclude(children__active=True)
        .order_by("full_name")
    )


def with_last_change(appeals: QuerySet[Appeal]) -> QuerySet[Appeal]:
    """Each appeal with `last_change`: the time of its latest event (in the same query)."""
    latest = AppealEvent.objects.filter(appeal=OuterRef("pk")).order_by("-at").values("at")[:1]
    return appeals.select_related("category", "holder").annotate(last_change=Subquery(latest))
