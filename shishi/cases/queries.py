"""Reads of 典型案例评选: the lists, a judge's scorecard, live counts, and the suspicious
bursts of votes the office looks at before the results."""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from itertools import pairwise

from django.db.models import Count, Q, QuerySet

from shishi.cases.models import (
    Criterion,
    Judge,
    Nomination,
    NominationPhoto,
    Score,
    Selection,
    SelectionEvent,
    Vote,
)
from shishi.core.masking import mask_phone
from shishi.orgs.models import Person, Unit
from shishi.projects.models import DONE_STATUSES, Project


def selection_list(rows: QuerySet[Selection]) -> QuerySet[Selection]:
    return (
        rows.select_related("office")
        .annotate(
            nominated=Count("nominations", distinct=True),
            accepted=Count(
                "nominations",
                filter=Q(nominations__status=Nomination.Status.ACCEPTED),
                distinct=True,
            ),
        )
        .order_by("-nominate_from", "-pk")
    )


def nomination_list(rows: QuerySet[Nomination]) -> QuerySet[Nomination]:
    return rows.select_related("unit", "project").order_by("status", "submitted_at", "pk")


def criteria(selection: Selection) -> list[Criterion]:
    return list(selection.criteria.order_by("order", "pk"))


def judges(selection: Selection) -> QuerySet[Judge]:
    return selection.judges.select_related("person").order_by("pk")


def judge_candidates() -> QuerySet[Person]:
    """Who may be named a judge: any active staff member."""
    return (
        Person.objects.filter(is_active=True, memberships__isnull=False)
        .distinct()
        .order_by("name", "pk")
    )


def my_scores(judge: Judge, nomination: Nomination) -> dict[int, int]:
    """A judge's own points on a nomination, by criterion id."""
    return dict(
        Score.objects.filter(judge=judge, nomination=nomination).values_list(
            "criterion_id", "points"
        )
    )


def scored_by(judge: Judge) -> set[int]:
    """The nominations a judge has scored (on every line or not)."""
    return set(Score.objects.filter(judge=judge).values_list("nomination_id", flat=True))


def nominable_projects(scope_path: str, selection: Selection) -> QuerySet[Project]:
    """Completed projects led in the subtree that the selection does not have yet."""
    return (
        Project.objects.filter(lead_unit__path__startswith=scope_path, status__in=DONE_STATUSES)
        .exclude(nominations__selection=selection)
        .select_related("lead_unit")
        .order_by("lead_unit__path", "title")
    )


def photos(nomination: Nomination) -> QuerySet[NominationPhoto]:
    return nomination.photos.order_by("uploaded_at", "pk")


def photo_of(nomination: Nomination, pk: int) -> NominationPhoto | None:
    return nomination.photos.filter(pk=pk).first()


def open_votes(today) -> QuerySet[Selection]:
    """Selections whose public vote is on today (the portal's front page)."""
    return Selection.objects.filter(review_until__lt=today, vote_until__gte=today).order_by(
        "vote_until", "pk"
    )


def public_selection(code: str) -> Selection | None:
    return Selection.objects.filter(code=code).first()


def running(selection: Selection) -> QuerySet[Nomination]:
    """The accepted nominations with their valid votes (the public page)."""
    return (
        Nomination.objects.filter(selection=selection, status=Nomination.Status.ACCEPTED)
        .select_related("unit")
        .prefetch_related("photos")
        .annotate(valid=Count("votes", filter=Q(votes__voided=False)))
        .order_by("submitted_at", "pk")
    )


def running_nomination(selection: Selection, pk: int) -> Nomination | None:
    return (
        Nomination.objects.filter(selection=selection, pk=pk, status=Nomination.Status.ACCEPTED)
        .select_related("selection")
        .first()
    )


def public_photo(selection: Selection, nomination_pk: int, pk: int) -> NominationPhoto | None:
    """A photo of a nomination in the running (the public sees no others)."""
    return NominationPhoto.objects.filter(
        pk=pk,
        nomination_id=nomination_pk,
        nomination__selection=selection,
        nomination__status=Nomination.Status.ACCEPTED,
    ).first()


def voted_today(selection: Selection, phone_hash: str, day) -> set[int]:
    return set(
        Vote.objects.filter(selection=selection, phone_hash=phone_hash, day=day).values_list(
            "nomination_id", flat=True
        )
    )


def vote_counts(selection: Selection) -> dict[str, int]:
    return Vote.objects.filter(selection=selection).aggregate(
        votes=Count("pk", filter=Q(voided=False)),
        voided=Count("pk", filter=Q(voided=True)),
        voters=Count("phone_hash", distinct=True),
    )


def events(selection: Selection) -> QuerySet[SelectionEvent]:
    return selection.events.order_by("-at", "-pk")


def unit_of(unit_id: int) -> Unit | None:
    return Unit.objects.filter(pk=unit_id).first()


# --- Suspicious bursts ----------------------------------------------------------------------

WINDOW = timedelta(minutes=10)  # votes are looked at in fixed ten-minute windows
PHONES_PER_ADDRESS = 5  # distinct phones voting from one address in a window
SEQUENCE = 4  # phones whose numbers follow one another (gaps of at most 2) in a window
SEQUENCE_GAP = 2
PREFIX_SURGE = 20  # votes from numbers sharing the first seven digits in a window


@dataclass
class Burst:
    kind: str  # "address", "sequence", "prefix"
    title: str
    start: datetime
    votes: list[Vote] = field(default_factory=list)

    @property
    def end(self) -> datetime:
        return self.start + WINDOW

    @property
    def ids(self) -> list[int]:
        return [vote.pk for vote in self.votes]

    @property
    def phones(self) -> list[str]:
        return sorted({mask_phone(vote.phone) for vote in self.votes})


def _window(moment: datetime) -> datetime:
    return moment - timedelta(
        minutes=moment.minute % 10, seconds=moment.second, microseconds=moment.microsecond
    )


def bursts(selection: Selection) -> list[Burst]:
    """The valid votes that look organised, by ten-minute window: many phones from one
    address, runs of consecutive numbers, and a surge from one seven-digit prefix. One query;
    a vote may stand in more than one burst."""
    by_window: dict[datetime, list[Vote]] = defaultdict(list)
    for vote in (
        Vote.objects.filter(selection=selection, voided=False)
        .only("pk", "phone", "phone_hash", "ip", "at", "nomination_id")
        .order_by("at", "pk")
    ):
        by_window[_window(vote.at)].append(vote)
    found = []
    for start, votes in sorted(by_window.items()):
        found += (
            _from_one_address(start, votes) + _sequences(start, votes) + _prefixes(start, votes)
        )
    return found


def _from_one_address(start: datetime, votes: list[Vote]) -> list[Burst]:
    by_ip: dict[str, list[Vote]] = defaultdict(list)
    for vote in votes:
        if vote.ip:
            by_ip[vote.ip].append(vote)
    return [
        Burst(
            "address",
            f"同一地址 {ip} 在10分钟内有{len({v.phone_hash for v in group})}个手机号投票",
            start,
            group,
        )
        for ip, group in by_ip.items()
        if len({v.phone_hash for v in group}) >= PHONES_PER_ADDRESS
    ]


def _sequences(start: datetime, votes: list[Vote]) -> list[Burst]:
    by_number: dict[int, list[Vote]] = defaultdict(list)
    for vote in votes:
        if vote.phone.isdigit():
            by_number[int(vote.phone)].append(vote)
    numbers = sorted(by_number)
    runs, run = [], numbers[:1]
    for previous, number in pairwise(numbers):
        if number - previous <= SEQUENCE_GAP:
            run.append(number)
        else:
            runs.append(run)
            run = [number]
    runs.append(run)
    return [
        Burst(
            "sequence",
            f"{len(run)}个号码连号（{mask_phone(str(run[0]))} 起）在10分钟内投票",
            start,
            [vote for number in run for vote in by_number[number]],
        )
        for run in runs
        if len(run) >= SEQUENCE
    ]


def _prefixes(start: datetime, votes: list[Vote]) -> list[Burst]:
    by_prefix: dict[str, list[Vote]] = defaultdict(list)
    for vote in votes:
        by_prefix[vote.phone[:7]].append(vote)
    return [
        Burst(
            "prefix",
            f"号段 {prefix[:3]} {prefix[3:]} 在10分钟内集中投票{len(group)}票",
            start,
            group,
        )
        for prefix, group in by_prefix.items()
        if len(group) >= PREFIX_SURGE
    ]
