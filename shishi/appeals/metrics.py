"""Unit figures for appeals (三率一度 and the composite score) — the one place they are defined.

For a unit and a period (a calendar month in Asia/Shanghai):
- 响应率 response: dispatches to the unit signed on time / dispatches that are signed or past
  their signing deadline (co-handling dispatches excluded);
- 按时办结率 on_time: replies made by the deadline / replies;
- 解决率 solved: replies with result 已解决 / replies;
- 满意率 satisfied: 满意 + 基本满意 / verdicts given (满意, 基本满意, 不满意) on the unit's replies;
- 重办率 reopen: 不满意 verdicts / replies;
- composite score: weighted sum of response, solved and satisfied in percent (weights
  `APPEAL_SCORE_WEIGHTS`, default 10/45/45), missing rates count as 0.
Subtree figures add the counts of every unit under a node before dividing.
Units with fewer than `APPEAL_MIN_VOLUME` dispatches are marked and ranked apart.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from shishi.appeals.models import Dispatch, Reply, ReplyKind, Verdict
from shishi.core.figures import Tally
from shishi.orgs.models import Unit
from shishi.orgs.queries import common_path, roll_up


@dataclass
class Figures(Tally):
    dispatched: int = 0
    signed_on_time: int = 0
    replied: int = 0
    replied_on_time: int = 0
    solved: int = 0
    evaluated: int = 0
    satisfied: int = 0
    reopened: int = 0

    @property
    def response(self) -> float | None:
        return self.rate(self.signed_on_time, self.dispatched)

    @property
    def on_time(self) -> float | None:
        return self.rate(self.replied_on_time, self.replied)

    @property
    def solved_rate(self) -> float | None:
        return self.rate(self.solved, self.replied)

    @property
    def satisfied_rate(self) -> float | None:
        return self.rate(self.satisfied, self.evaluated)

    @property
    def reopen(self) -> float | None:
        return self.rate(self.reopened, self.replied)

    @property
    def score(self) -> float:
        weights = settings.APPEAL_SCORE_WEIGHTS
        total = sum(weights.values())
        parts = {
            "response": self.response,
            "solved": self.solved_rate,
            "satisfied": self.satisfied_rate,
        }
        return round(sum(weights[k] * (parts[k] or 0) for k in weights) * 100 / total, 2)

    @property
    def low_volume(self) -> bool:
        return self.dispatched < settings.APPEAL_MIN_VOLUME


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of next month) in the business time zone."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(following, time.min), tz),
    )


def unit_figures(
    *, start: datetime, end: datetime, today: date | None = None, within: str = ""
) -> dict[int, Figures]:
    """Figures per unit id for [start, end), units under the path `within` (all if blank):
    three grouped queries whatever the volume."""
    today = today or timezone.localdate()
    figures: dict[int, Figures] = defaultdict(Figures)
    dispatches = Dispatch.objects.filter(at__gte=start, at__lt=end, co_handler=False).filter(
        # Unsigned dispatches count once their signing deadline has passed (by today).
        Q(signed_at__isnull=False) | Q(sign_due__lt=today)
    )
    replies = Reply.objects.filter(at__gte=start, at__lt=end)
    verdicts = Reply.objects.filter(
        verdict_at__gte=start,
        verdict_at__lt=end,
        verdict__in=[Verdict.SATISFIED, Verdict.BASIC, Verdict.UNSATISFIED],
    )
    if within:
        dispatches = dispatches.filter(to_unit__path__startswith=within)
        replies = replies.filter(unit__path__startswith=within)
        verdicts = verdicts.filter(unit__path__startswith=within)
    for row in (
        dispatches.values("to_unit_id")
        .annotate(n=Count("pk"), on_time=Count("pk", filter=Q(signed_on_time=True)))
        .order_by()
    ):
        f = figures[row["to_unit_id"]]
        f.dispatched, f.signed_on_time = row["n"], row["on_time"]
    for row in (
        replies.values("unit_id")
        .annotate(
            n=Count("pk"),
            on_time=Count("pk", filter=Q(on_time=True)),
            solved=Count("pk", filter=Q(kind=ReplyKind.SOLVED)),
        )
        .order_by()
    ):
        f = figures[row["unit_id"]]
        f.replied, f.replied_on_time, f.solved = row["n"], row["on_time"], row["solved"]
    for row in (
        verdicts.values("unit_id")
        .annotate(
            n=Count("pk"),
            good=Count("pk", filter=Q(verdict__in=[Verdict.SATISFIED, Verdict.BASIC])),
            bad=Count("pk", filter=Q(verdict=Verdict.UNSATISFIED)),
        )
        .order_by()
    ):
        f = figures[row["unit_id"]]
        f.evaluated, f.satisfied, f.reopened = row["n"], row["good"], row["bad"]
    return dict(figures)


@dataclass
class RankedUnit:
    unit: Unit
    figures: Figures
    rank: int | None = None


@dataclass
class Ranking:
    month: date
    ranked: list[RankedUnit] = field(default_factory=list)
    low_volume: list[RankedUnit] = field(default_factory=list)

    @property
    def interview_candidates(self) -> list[RankedUnit]:
        """约谈 candidates: the bottom of the ranked units (never the low-volume ones)."""
        bottom = settings.APPEAL_INTERVIEW_BOTTOM
        return self.ranked[-bottom:] if len(self.ranked) > bottom else []


def rank(nodes: list[Unit], *, month: date, today: date | None = None) -> Ranking:
    """Rank `nodes` by the composite score of their subtrees for a month."""
    start, end = month_bounds(month)
    common = common_path(nodes)
    scope = dict(Unit.objects.filter(path__startswith=common).values_list("pk", "path"))
    per_unit = unit_figures(start=start, end=end, today=today, within=common)
    totals = roll_up(nodes, per_unit, scope, empty=Figures)
    rows = [RankedUnit(unit=n, figures=totals[n.pk]) for n in nodes]
    ranking = Ranking(month=month.replace(day=1))
    ranking.ranked = sorted(
        (r for r in rows if not r.figures.low_volume), key=lambda r: (-r.figures.score, r.unit.path)
    )
    ranking.low_volume = sorted(
        (r for r in rows if r.figures.low_volume), key=lambda r: (-r.figures.score, r.unit.path)
    )
    for position, row in enumerate(ranking.ranked, start=1):
        row.rank = position
    return ranking
