"""Unit figures for projects — the one place they are defined.

For the projects a unit leads (cancelled and draft ones aside):
- 完成率 done: completed, accepted or evaluated / all;
- 按时报送率 reports: report slots whose report came in by the due date / slots already due;
- 节点按时率 milestones: milestones done by their date / milestones already due;
- 群众评价 rating: the public's average stars (all ratings count; comments need moderation).
Subtree figures add the counts of every unit below a node (orgs.queries.roll_up).
"""

from collections import defaultdict
from dataclasses import dataclass
from datetime import date

from django.db.models import Count, F, Q, Sum

from shishi.core.figures import Tally
from shishi.orgs.models import Unit
from shishi.orgs.queries import common_path, roll_up
from shishi.projects.models import DONE_STATUSES as DONE
from shishi.projects.models import UNCOUNTED_STATUSES, Milestone, Project, ReportSlot


@dataclass
class Figures(Tally):
    projects: int = 0
    done: int = 0
    slots_due: int = 0
    reports_on_time: int = 0
    milestones_due: int = 0
    milestones_on_time: int = 0
    rating_count: int = 0
    rating_total: int = 0

    @property
    def done_rate(self) -> float | None:
        return self.rate(self.done, self.projects)

    @property
    def report_rate(self) -> float | None:
        return self.rate(self.reports_on_time, self.slots_due)

    @property
    def milestone_rate(self) -> float | None:
        return self.rate(self.milestones_on_time, self.milestones_due)

    @property
    def rating(self) -> float | None:
        return round(self.rating_total / self.rating_count, 2) if self.rating_count else None


def unit_figures(*, today: date, within: str = "") -> dict[int, Figures]:
    """Figures per lead unit id under the path `within`: three grouped queries."""
    figures: dict[int, Figures] = defaultdict(Figures)
    projects = Project.objects.exclude(status__in=UNCOUNTED_STATUSES)
    if within:
        projects = projects.filter(lead_unit__path__startswith=within)
    for row in (
        projects.values("lead_unit_id")
        .annotate(
            n=Count("pk"),
            done=Count("pk", filter=Q(status__in=DONE)),
            ratings=Sum("rating_count"),
            stars=Sum("rating_total"),
        )
        .order_by()
    ):
        f = figures[row["lead_unit_id"]]
        f.projects, f.done = row["n"], row["done"]
        f.rating_count, f.rating_total = row["ratings"] or 0, row["stars"] or 0
    for row in (
        ReportSlot.objects.filter(project__in=projects.values("pk"), due__lt=today)
        .values("project__lead_unit_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(report__filed_at__date__lte=F("due"))),
        )
        .order_by()
    ):
        f = figures[row["project__lead_unit_id"]]
        f.slots_due, f.reports_on_time = row["n"], row["on_time"]
    for row in (
        Milestone.objects.filter(project__in=projects.values("pk"), due__lt=today)
        .values("project__lead_unit_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(done_at__date__lte=F("due"))),
        )
        .order_by()
    ):
        f = figures[row["project__lead_unit_id"]]
        f.milestones_due, f.milestones_on_time = row["n"], row["on_time"]
    return dict(figures)


def by_nodes(nodes: list[Unit], *, today: date) -> list[tuple[Unit, Figures]]:
    """Each node's subtree figures, best average rating first."""
    if not nodes:
        return []
    within = common_path(nodes)
    paths = dict(Unit.objects.filter(path__startswith=within).values_list("pk", "path"))
    totals = roll_up(nodes, unit_figures(today=today, within=within), paths, empty=Figures)
    return sorted(
        ((n, totals[n.pk]) for n in nodes),
        key=lambda pair: (-(pair[1].rating or 0), -(pair[1].done_rate or 0)),
    )
