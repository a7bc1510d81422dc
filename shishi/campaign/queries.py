"""Reads of directives: coverage by level (on time / late / waiting for review / not yet),
the late list, a unit's queue."""

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.db.models import QuerySet

from shishi.campaign.models import Assignment, Directive
from shishi.core.figures import Tally
from shishi.orgs.models import Unit

Status = Assignment.Status
NOT_DONE = (Status.PENDING, Status.RETURNED)


@dataclass
class Coverage(Tally):
    """How far a subtree has got with a directive (counts of its assignments)."""

    assigned: int = 0
    on_time: int = 0  # approved, reported by the deadline
    late: int = 0  # approved, reported after it
    submitted: int = 0  # waiting for the issuer's review
    not_yet: int = 0  # pending or returned
    overdue: int = 0  # … of which past the deadline

    @property
    def done(self) -> int:
        return self.on_time + self.late

    @property
    def done_rate(self) -> float | None:
        return self.rate(self.done, self.assigned)

    @property
    def on_time_rate(self) -> float | None:
        return self.rate(self.on_time, self.assigned)


def count(rows: Iterable[tuple[str, bool | None, date]], today: date) -> Coverage:
    figures = Coverage()
    for status, on_time, due in rows:
        figures.assigned += 1
        if status == Status.APPROVED:
            if on_time:
                figures.on_time += 1
            else:
                figures.late += 1
        elif status == Status.SUBMITTED:
            figures.submitted += 1
        else:
            figures.not_yet += 1
            figures.overdue += due < today
    return figures


def coverage(
    directive: Directive, nodes: list[Unit], *, today: date, within: str
) -> list[tuple[Unit, Coverage]]:
    """Each node's subtree coverage of the directive (only assignments under `within`, the
    viewer's subtree): one query."""
    rows = list(
        Assignment.objects.filter(directive=directive, unit__path__startswith=within)
        .values_list("unit__path", "status", "on_time", "due")
        .order_by()
    )
    return [
        (node, count(((s, o, d) for p, s, o, d in rows if p.startswith(node.path)), today))
        for node in nodes
    ]


def total(directive: Directive, *, today: date, within: str) -> Coverage:
    rows = (
        Assignment.objects.filter(directive=directive, unit__path__startswith=within)
        .values_list("status", "on_time", "due")
        .order_by()
    )
    return count(rows, today)


def late(directive: Directive, *, today: date, within: str) -> QuerySet[Assignment]:
    """Not reported and past the deadline, longest late first."""
    return (
        Assignment.objects.filter(
            directive=directive,
            unit__path__startswith=within,
            status__in=NOT_DONE,
            due__lt=today,
        )
        .select_related("unit")
        .order_by("due", "unit__path")
    )


def by_level(
    directive: Directive, viewer_unit: Unit, *, today: date
) -> list[tuple[Unit, Coverage]]:
    """Coverage per child of the viewer's unit that the directive reaches (counties for the
    city, towns for a county), in two queries."""
    children = list(Unit.objects.filter(parent=viewer_unit).order_by("path"))
    rows = coverage(directive, children, today=today, within=viewer_unit.path)
    return [(unit, figures) for unit, figures in rows if figures.assigned]


def queue(unit: Unit) -> QuerySet[Assignment]:
    """What a unit has to report (or has reported), open directives first, nearest due."""
    return (
        Assignment.objects.filter(unit=unit)
        .select_related("directive", "directive__issuer")
        .order_by("-directive__status", "status", "due", "pk")
    )
