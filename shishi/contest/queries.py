"""Reads of the unit competition for the pages (views never query models themselves)."""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, Q, QuerySet

from shishi.contest.models import (
    PARTICIPANT_KINDS,
    Contest,
    ContestEvent,
    Dimension,
    Extension,
    Indicator,
    Interview,
    Participant,
    ReviewNote,
    Round,
    Submission,
    SubmissionFile,
    Value,
)
from shishi.orgs.models import Unit

OPEN = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def contest_list(contests: QuerySet[Contest]) -> QuerySet[Contest]:
    return contests.select_related("organiser").annotate(
        entrants=Count("participants", distinct=True), months=Count("rounds", distinct=True)
    )


def dimensions(contest: Contest) -> list[Dimension]:
    """The dimensions with their indicators (two queries)."""
    return list(Dimension.objects.filter(contest=contest).prefetch_related("indicators"))


def indicators(contest: Contest) -> list[Indicator]:
    return list(Indicator.objects.filter(dimension__contest=contest).select_related("dimension"))


def participants(rows: QuerySet[Participant]) -> list[Participant]:
    return list(rows.select_related("unit"))


def dimension_of(contest: Contest, pk: int) -> Dimension | None:
    return Dimension.objects.filter(contest=contest, pk=pk).select_related("contest").first()


def indicator_of(contest: Contest, pk: int) -> Indicator | None:
    return (
        Indicator.objects.filter(dimension__contest=contest, pk=pk)
        .select_related("dimension", "dimension__contest")
        .first()
    )


def participant_of(rows: QuerySet[Participant], pk: int) -> Participant | None:
    return rows.filter(pk=pk).select_related("unit", "contest", "contest__organiser").first()


def candidate_units(contest: Contest) -> QuerySet[Unit]:
    """Counties, districts and zones under the organiser not yet in the contest: the
    county-level divisions first, then the zones (开发区/农林场) below them."""
    return (
        Unit.objects.filter(
            path__startswith=contest.organiser.path, kind__in=PARTICIPANT_KINDS, active=True
        )
        .exclude(pk=contest.organiser_id)
        .exclude(contest_entries__contest=contest)
        .order_by("depth", "sort", "path")
    )


def rounds(contest: Contest) -> list[Round]:
    return list(Round.objects.filter(contest=contest))


def round_of(contest: Contest, month: int) -> Round | None:
    return Round.objects.filter(contest=contest, month=month).first()


@dataclass
class BoardCounts:
    total: int = 0
    draft: int = 0
    submitted: int = 0
    returned: int = 0
    accepted: int = 0
    late: int = 0
    overdue: int = 0


def board(
    rows: QuerySet[Submission], *, month: int, status: str, today: date
) -> tuple[list[Submission], BoardCounts]:
    """The month's dispatch board: the visible submissions (filtered) and the counts of all
    of them (one query each)."""
    rows = rows.filter(round__month=month)
    counts = BoardCounts()
    for s, late, due in rows.values_list("status", "late", "due").order_by():
        counts.total += 1
        setattr(counts, s, getattr(counts, s) + 1)
        counts.late += bool(late)
        counts.overdue += s in OPEN and due < today
    if status == "late":
        rows = rows.filter(late=True)
    elif status == "overdue":
        rows = rows.filter(status__in=OPEN, due__lt=today)
    elif status:
        rows = rows.filter(status=status)
    listed = list(
        rows.select_related("participant__unit", "round").annotate(
            pending=Count("extensions", filter=Q(extensions__status=Extension.Status.PENDING))
        )
    )
    return listed, counts


def submission_values(submission: Submission) -> dict[int, object]:
    return dict(Value.objects.filter(submission=submission).values_list("indicator_id", "value"))


def files(submission: Submission) -> list[SubmissionFile]:
    return list(SubmissionFile.objects.filter(submission=submission).order_by("uploaded_at", "pk"))


def file_of(submission: Submission, pk: int) -> SubmissionFile | None:
    return SubmissionFile.objects.filter(submission=submission, pk=pk).first()


def extensions(submission: Submission) -> list[Extension]:
    return list(Extension.objects.filter(submission=submission).select_related("requested_by"))


def extension_of(submission: Submission, pk: int) -> Extension | None:
    return Extension.objects.filter(submission=submission, pk=pk).first()


def timeline(submission: Submission) -> list[ContestEvent]:
    return list(ContestEvent.objects.filter(submission=submission).order_by("at", "pk"))


def own_submissions(rows: QuerySet[Submission]) -> list[Submission]:
    """A participant's months, latest first."""
    return list(rows.select_related("round").order_by("-round__month"))


def notes(
    rows: QuerySet[ReviewNote], *, quarter: int | None = None, participant: int | None = None
) -> list[ReviewNote]:
    if quarter:
        rows = rows.filter(quarter=quarter)
    if participant:
        rows = rows.filter(participant_id=participant)
    return list(rows.select_related("participant__unit", "written_by").order_by("-quarter"))


def interviews(rows: QuerySet[Interview]) -> list[Interview]:
    return list(rows.select_related("participant__unit").prefetch_related("points__rectification"))


def point_of(interview: Interview, pk: int):
    return interview.points.filter(pk=pk).first()


def timeliness(contest: Contest, *, today: date) -> dict[int, dict[str, int]]:
    """Per participant: months owed (due passed or submitted), submitted on time, late, and
    still missing past the due date (one query)."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Submission.objects.filter(round__contest=contest).values_list(
        "participant_id", "status", "late", "due", "first_due"
    )
    for participant, status, late, due, first_due in rows.order_by():
        row = counts[participant]
        if status not in OPEN or first_due < today:
            row["owed"] += 1
        if late is False:
            row["on_time"] += 1
        elif late:
            row["late"] += 1
        if status in OPEN and due < today:
            row["missing"] += 1
    return counts
