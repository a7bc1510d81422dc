"""Unit figures for appeals (三率, 按时办结率, the composite score, 约谈) — the one place they
are defined; the pages show `LEGEND` beside the numbers.

The definitions follow Beijing's 接诉即办 三率 (响应率, 解决率, 满意率), whose point is that the
citizen, asked at the hotline's callback, judges the unit — not the unit's own report:
- the three rates as the published 考核 of Beijing's 12345 (北京青年报, "市民服务热线12345的数字
  内涵", 2021-09-23, on the eve of 《北京市接诉即办工作条例》: "三率考核、四类排名";
  https://k.sina.com.cn/article_1749990115_684ebae30200165a4.html) and its yearly report, which
  publishes 解决率 and 满意率 as separate figures (2020年北京市"接诉即办"改革工作年度报告,
  https://www.beijing.gov.cn/hudong/jpzt/2020jsjbbps);
- the callback asks the citizen three things — were you contacted, is it solved, are you
  satisfied (as a county hotline describes its 回访: "工作人员跟您联系了吗？""解决得怎么样，您满意
  吗？", https://www.zysbs.cn/html/zhoubian/liaocheng/2020_10/10/43117599.html);
- a unit with nothing to judge is reported as such, not scored 0 (连云港 12345's monthly 通报
  lists "无应办结工单的单位" apart, e.g. 2021年8月).
None of these texts gives the formulas in full, so the ones below are ours, stated plainly.
Where they depart from Beijing's: 响应率 is signing on time (the system records it), not the
citizen's "were you contacted"; 按时办结率 is added and weighs in the score (issue 8).

For a unit and a period [start, end) (a calendar month in Asia/Shanghai; the pages default to
the last complete month), computed on `today`:
- 超期未答复 overdue: appeals the unit holds in hand (派单, 签收 or 重办) whose handling deadline
  fell in the period and has passed by `today`, with no answer since. Each appeal counts once:
  answered later, it leaves this count and becomes a late reply of the month it was answered.
- 响应率 response = dispatches signed by their signing deadline / dispatches made to the unit
  in the period that are signed or past their signing deadline (co-handling not counted).
- 按时办结率 on_time = replies given in the period by the handling deadline
  / (replies given in the period + overdue).
- 解决率 solved = verdicts given in the period where the citizen said the problem is solved
  / (verdicts in the period with an answer to 问题是否解决 + overdue). The unit's reply kind
  (已解决 …) is never counted: a unit cannot grade itself.
- 满意率 satisfied = 满意 + 基本满意 / verdicts given in the period (满意, 基本满意, 不满意;
  未联系上 and 未评价 are no verdict).
- 重办率 reopen = 不满意 / replies given in the period (shown, not scored).
Replies and verdicts belong to the unit that gave the reply; dispatches to the receiving unit.
A reply is counted once the citizen has it (`Reply.objects.given()`: a draft waiting for the
unit leader's approval is none, and its appeal stays in hand, so it can fall overdue).
- Score (综合得分) = Σ weight × rate / Σ weight over the rates that have data, in percent
  (`APPEAL_SCORE_WEIGHTS`); a rate without data (its denominator is 0) is 无数据, not 0, and a
  unit without any rate has no score.
Subtree figures add the counts of every unit under a node before dividing.

Ranking: units with at least `APPEAL_MIN_VOLUME` dispatches in the period whose score rests on
at least half of the weight (`MIN_COVERAGE`: early in a cycle 响应率 alone would put a unit that
has answered nothing first) are ranked by score, equal scores sharing a rank; the others are
listed apart, unranked, and units with nothing at all in the period are only named. The 约谈
list is the bottom `APPEAL_INTERVIEW_BOTTOM` of the ranked units (with any unit tied with the
last of them), unless that would be every ranked unit. A unit listed apart is 需关注 when it let
an appeal go past its deadline unanswered, or its score is no better than the 约谈 line (the
best score on the 约谈 list): too few appeals to rank is not a reason to hide a bad record.
"""

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field, fields
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db.models import Count, Q
from django.utils import timezone

from shishi.appeals.models import IN_HAND_STATUSES, Appeal, Dispatch, Reply, Verdict
from shishi.core.figures import Tally
from shishi.core.indexes import literal_in
from shishi.orgs.models import Unit
from shishi.orgs.queries import common_path, roll_up

GOOD = (Verdict.SATISFIED, Verdict.BASIC)
VERDICTS = (*GOOD, Verdict.UNSATISFIED)
# The scored rates, in the order pages show them (keys of APPEAL_SCORE_WEIGHTS).
RATES = ("response", "on_time", "solved", "satisfied")
# A score is ranked only if the rates it rests on carry at least this share of the weight.
MIN_COVERAGE = 0.5
# What the pages print beside the numbers: (label, definition); see legend().
LEGEND = (
    ("响应率", "按时签收的派单 ÷ 本期派单中已签收或已过签收期限的件数（协办不计）。"),
    ("按时办结率", "在办理期限内答复的件数 ÷（本期答复件数 + 超期未答复件数）。"),
    (
        "解决率",
        "回访或评价时群众回答“问题已解决”的件数 ÷（本期回答了“问题是否解决”的评价件数"
        " + 超期未答复件数）。以群众的回答为准，不看单位答复时自报的办理结果。",
    ),
    ("满意率", "“满意”“基本满意”的件数 ÷ 本期评价件数（未联系上、未评价的不计）。"),
    ("超期未答复", "本单位在办、办理期限落在本期且已过、至今未答复的诉求；答复后改计为逾期答复。"),
    ("重办率", "“不满意”的件数 ÷ 本期答复件数（仅供参考，不计分）。"),
    (
        "综合得分",
        "各项比率乘以权重后相加，除以有数据的比率的权重之和（百分制）。“—”表示无数据："
        "该项不计分，也不按0分计；一项数据都没有的单位没有得分。",
    ),
)


def legend() -> list[tuple[str, str]]:
    """LEGEND with the weights now configured written into the score's line."""
    weights = settings.APPEAL_SCORE_WEIGHTS
    labels = dict(zip(RATES, ("响应率", "按时办结率", "解决率", "满意率"), strict=True))
    named = "、".join(f"{labels[k]}{weights[k]}" for k in RATES if weights.get(k))
    return [
        (label, f"{text}权重：{named}。" if label == "综合得分" else text) for label, text in LEGEND
    ]


@dataclass
class Figures(Tally):
    dispatched: int = 0
    signed_on_time: int = 0
    replied: int = 0
    replied_on_time: int = 0
    overdue: int = 0
    answered: int = 0  # verdicts with an answer to 问题是否解决
    solved: int = 0  # … that answer being "solved"
    evaluated: int = 0
    satisfied: int = 0
    reopened: int = 0

    @property
    def on_time_base(self) -> int:
        return self.replied + self.overdue

    @property
    def solved_base(self) -> int:
        return self.answered + self.overdue

    @property
    def response(self) -> float | None:
        return self.rate(self.signed_on_time, self.dispatched)

    @property
    def on_time(self) -> float | None:
        return self.rate(self.replied_on_time, self.on_time_base)

    @property
    def solved_rate(self) -> float | None:
        return self.rate(self.solved, self.solved_base)

    @property
    def satisfied_rate(self) -> float | None:
        return self.rate(self.satisfied, self.evaluated)

    @property
    def reopen(self) -> float | None:
        return self.rate(self.reopened, self.replied)

    @property
    def rates(self) -> dict[str, float | None]:
        return {
            "response": self.response,
            "on_time": self.on_time,
            "solved": self.solved_rate,
            "satisfied": self.satisfied_rate,
        }

    @property
    def score(self) -> float | None:
        """The weighted mean of the rates that have data, in percent; None without any."""
        weights = settings.APPEAL_SCORE_WEIGHTS
        present = {k: r for k, r in self.rates.items() if r is not None and weights.get(k)}
        total = sum(weights[k] for k in present)
        if not total:
            return None
        return round(sum(weights[k] * r for k, r in present.items()) * 100 / total, 2)

    @property
    def coverage(self) -> float:
        """The share of the total weight carried by the rates that have data."""
        weights = settings.APPEAL_SCORE_WEIGHTS
        total = sum(weights.get(k, 0) for k in RATES)
        present = sum(weights.get(k, 0) for k, r in self.rates.items() if r is not None)
        return present / total if total else 0.0

    @property
    def low_volume(self) -> bool:
        return self.dispatched < settings.APPEAL_MIN_VOLUME

    @property
    def rankable(self) -> bool:
        return not self.low_volume and self.coverage >= MIN_COVERAGE

    @property
    def idle(self) -> bool:
        """Nothing in the period: no dispatch, reply, verdict or overdue appeal."""
        return not any(getattr(self, f.name) for f in fields(self))


def month_bounds(month: date) -> tuple[datetime, datetime]:
    """[first instant, first instant of next month) in the business time zone."""
    start = month.replace(day=1)
    following = (start + timedelta(days=32)).replace(day=1)
    tz = timezone.get_default_timezone()
    return (
        timezone.make_aware(datetime.combine(start, time.min), tz),
        timezone.make_aware(datetime.combine(following, time.min), tz),
    )


def last_complete_month(today: date) -> date:
    """The first day of the month before `today`'s: the default period of the figures (a
    month still running would rank units on half their verdicts)."""
    return (today.replace(day=1) - timedelta(days=1)).replace(day=1)


def unit_figures(
    *, start: datetime, end: datetime, today: date | None = None, within: str = ""
) -> dict[int, Figures]:
    """Figures per unit id for [start, end), units under the path `within` (all if blank):
    three grouped queries whatever the volume (dispatches; replies and verdicts together;
    overdue appeals)."""
    today = today or timezone.localdate()
    figures: dict[int, Figures] = defaultdict(Figures)
    dispatches = Dispatch.objects.filter(at__gte=start, at__lt=end, co_handler=False).filter(
        # Unsigned dispatches count once their signing deadline has passed (by today).
        Q(signed_at__isnull=False) | Q(sign_due__lt=today)
    )
    replied = Q(at__gte=start, at__lt=end)
    judged = Q(verdict_at__gte=start, verdict_at__lt=end, verdict__in=VERDICTS)
    # Only answers the citizen has received: a draft waiting for the unit leader is no reply.
    replies = Reply.objects.given().filter(replied | judged)
    # A deadline that fell in the period and has passed; the status test as the partial index
    # appeal_due_idx states it, so SQLite reads through that index.
    overdue = Appeal.objects.filter(
        literal_in(Appeal, "status", IN_HAND_STATUSES),
        handle_due__gte=timezone.localdate(start),
        handle_due__lt=min(timezone.localdate(end), today),
    )
    if within:
        dispatches = dispatches.filter(to_unit__path__startswith=within)
        replies = replies.filter(unit__path__startswith=within)
        overdue = overdue.filter(holder__path__startswith=within)
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
            replied=Count("pk", filter=replied),
            on_time=Count("pk", filter=replied & Q(on_time=True)),
            evaluated=Count("pk", filter=judged),
            good=Count("pk", filter=judged & Q(verdict__in=GOOD)),
            bad=Count("pk", filter=judged & Q(verdict=Verdict.UNSATISFIED)),
            answered=Count("pk", filter=judged & Q(solved_by_citizen__isnull=False)),
            solved=Count("pk", filter=judged & Q(solved_by_citizen=True)),
        )
        .order_by()
    ):
        f = figures[row["unit_id"]]
        f.replied, f.replied_on_time = row["replied"], row["on_time"]
        f.evaluated, f.satisfied, f.reopened = row["evaluated"], row["good"], row["bad"]
        f.answered, f.solved = row["answered"], row["solved"]
    for row in overdue.values("holder_id").annotate(n=Count("pk")).order_by():
        figures[row["holder_id"]].overdue = row["n"]
    return dict(figures)


@dataclass
class RankedUnit:
    unit: Unit
    figures: Figures
    rank: int | None = None
    interview: bool = False  # on the 约谈 list
    attention: bool = False  # listed apart, but with a bad record (需关注)


@dataclass
class Ranking:
    month: date
    ranked: list[RankedUnit] = field(default_factory=list)
    apart: list[RankedUnit] = field(default_factory=list)  # too few dispatches or too little data
    idle: list[RankedUnit] = field(default_factory=list)  # nothing at all in the period
    interview_candidates: list[RankedUnit] = field(default_factory=list)
    attention: list[RankedUnit] = field(default_factory=list)
    # The best score on the 约谈 list; a unit listed apart scoring no better needs attention.
    interview_line: float | None = None
    # The rules it was drawn up by (APPEAL_MIN_VOLUME, APPEAL_INTERVIEW_BOTTOM), for the page.
    min_volume: int = 0
    bottom: int = 0


def rank(
    nodes: list[Unit],
    *,
    month: date,
    today: date | None = None,
    per_unit: Mapping[int, Figures] | None = None,
) -> Ranking:
    """Rank `nodes` by the composite score of their subtrees for a month, with the 约谈 list
    and the units listed apart that need attention: four queries whatever the number. Given
    `per_unit` (the summary tables' figures, possibly over several months), one."""
    common = common_path(nodes)
    scope = dict(Unit.objects.filter(path__startswith=common).values_list("pk", "path"))
    if per_unit is None:
        start, end = month_bounds(month)
        per_unit = unit_figures(start=start, end=end, today=today, within=common)
    totals = roll_up(nodes, per_unit, scope, empty=Figures)
    rows = [RankedUnit(unit=n, figures=totals[n.pk]) for n in nodes]
    bottom = settings.APPEAL_INTERVIEW_BOTTOM
    ranking = Ranking(
        month=month.replace(day=1), min_volume=settings.APPEAL_MIN_VOLUME, bottom=bottom
    )
    ranking.ranked = sorted(
        (r for r in rows if r.figures.rankable), key=lambda r: (-r.figures.score, r.unit.path)
    )
    ranking.apart = sorted(
        (r for r in rows if not r.figures.rankable and not r.figures.idle),
        key=lambda r: (r.figures.score is None, -(r.figures.score or 0), r.unit.path),
    )
    ranking.idle = [r for r in rows if r.figures.idle]
    for position, row in enumerate(ranking.ranked, start=1):
        before = ranking.ranked[position - 2] if position > 1 else None
        same = before is not None and before.figures.score == row.figures.score
        row.rank = before.rank if same else position
    if bottom and ranking.ranked:
        line = ranking.ranked[-min(bottom, len(ranking.ranked))].figures.score
        candidates = [r for r in ranking.ranked if r.figures.score <= line]
        if len(candidates) < len(ranking.ranked):
            ranking.interview_candidates, ranking.interview_line = candidates, line
    for row in ranking.interview_candidates:
        row.interview = True
    line = ranking.interview_line
    for row in ranking.apart:
        score = row.figures.score
        row.attention = row.figures.overdue > 0 or (
            line is not None and score is not None and score <= line
        )
    ranking.attention = [r for r in ranking.apart if r.attention]
    return ranking
