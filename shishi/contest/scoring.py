"""The contest's scores and rankings — the one definition, printed beside the rankings.

    指标得分 = 100 × (值 − 最低值) ÷ (最高值 − 最低值)      越高越好的指标
             = 100 × (最高值 − 值) ÷ (最高值 − 最低值)      越低越好的指标
    维度得分 = Σ 指标得分 × 指标在维度内的权重%            (each dimension's weights add to 100%)
    总得分   = Σ 维度得分 × 维度权重%                     (the dimensions' weights add to 100%)
    年度得分 = 该单位各月总得分的平均

Normalisation is min–max per indicator and month across the participants with an accepted
(审核采用) submission that month, so every score runs 0–100 whatever the unit of measure.
When every such participant reported the same value (or only one did), nobody is ahead of
anybody: all get full marks (100) on that indicator. A participant without an accepted
submission for the month has no score (无数据, None) — never 0 — and is not ranked; the
year averages only the months it has scores for, and the page shows how many those are.
Ties share a rank (1, 1, 3); the names then follow the units' own order.
"""

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from shishi.contest.models import Contest, Dimension, Indicator, Participant, Submission, Value

FORMULA = (
    "指标得分按“极差标准化”计算：越高越好的指标，"
    "得分 = 100 ×（本单位值 − 最低值）÷（最高值 − 最低值）；越低越好的指标，"
    "得分 = 100 ×（最高值 − 本单位值）÷（最高值 − 最低值）。最高值、最低值取当月数据"
    "已审核采用的各参赛单位；各单位数值相同（或只有一个单位有数据）时均得满分100分。"
    "维度得分 = Σ 指标得分 × 指标在该维度内的权重；"
    "总得分 = Σ 维度得分 × 维度权重（权重之和均为100%）。"
    "当月数据未经审核采用的单位记为“无数据”，不计0分、不参加排名。年度得分为该单位各月总得分的平均，"
    "并列示计分月数。得分相同名次并列。"
)


@dataclass
class Row:
    """One participant's standing in a month (or the year)."""

    participant: Participant
    indicators: dict[int, float | None] = field(default_factory=dict)  # indicator id -> score
    values: dict[int, Decimal] = field(default_factory=dict)  # indicator id -> value
    dimensions: dict[int, float | None] = field(default_factory=dict)  # dimension id -> score
    total: float | None = None
    rank: int | None = None
    months: int = 0  # the year: months with a score

    @property
    def name(self) -> str:
        return self.participant.unit.name


@dataclass
class Ranking:
    contest: Contest
    dimensions: list[Dimension]
    indicators: list[Indicator]
    rows: list[Row]  # ranked first, then those without data
    month: int | None = None  # None: the year

    @property
    def scored(self) -> list[Row]:
        return [row for row in self.rows if row.total is not None]


def indicator_scores(values: dict[int, Decimal], direction: str) -> dict[int, float]:
    """Min–max scores (0–100) for {participant id: value}; all equal → 100 each."""
    if not values:
        return {}
    low, high = min(values.values()), max(values.values())
    if high == low:
        return dict.fromkeys(values, 100.0)
    span = float(high - low)
    if direction == Indicator.Direction.LOWER:
        return {pk: 100 * float(high - v) / span for pk, v in values.items()}
    return {pk: 100 * float(v - low) / span for pk, v in values.items()}


def _rank(rows: list[Row]) -> list[Row]:
    """Ranked rows first (ties share a rank), then the rows without data, in unit order."""
    scored = sorted((r for r in rows if r.total is not None), key=lambda r: -round(r.total, 6))
    previous, rank = None, 0
    for position, row in enumerate(scored, start=1):
        key = round(row.total, 6)
        if key != previous:
            rank, previous = position, key
        row.rank = rank
    return scored + [r for r in rows if r.total is None]


def _setup(contest: Contest) -> tuple[list[Dimension], list[Indicator], list[Participant]]:
    dimensions = list(Dimension.objects.filter(contest=contest))
    indicators = list(Indicator.objects.filter(dimension__contest=contest))
    participants = list(Participant.objects.filter(contest=contest).select_related("unit"))
    return dimensions, indicators, participants


def _score_month(
    dimensions: list[Dimension],
    indicators: list[Indicator],
    participants: list[Participant],
    values: dict[int, dict[int, Decimal]],  # participant id -> indicator id -> value
) -> list[Row]:
    rows = {p.pk: Row(participant=p) for p in participants}
    for indicator in indicators:
        reported = {p: v[indicator.pk] for p, v in values.items() if indicator.pk in v}
        for pk, score in indicator_scores(reported, indicator.direction).items():
            rows[pk].indicators[indicator.pk] = score
            rows[pk].values[indicator.pk] = reported[pk]
    by_dimension = defaultdict(list)
    for indicator in indicators:
        by_dimension[indicator.dimension_id].append(indicator)
    for pk, row in rows.items():
        if pk not in values:
            row.dimensions = dict.fromkeys((d.pk for d in dimensions), None)
            continue
        total = 0.0
        for dimension in dimensions:
            inds = by_dimension[dimension.pk]
            if any(i.pk not in row.indicators for i in inds):
                row.dimensions[dimension.pk] = None
                total = None
                continue
            score = sum(row.indicators[i.pk] * float(i.weight) / 100 for i in inds)
            row.dimensions[dimension.pk] = score
            if total is not None:
                total += score * float(dimension.weight) / 100
        row.total = total
    return list(rows.values())


Values = dict[int, dict[int, Decimal]]  # participant id -> indicator id -> value


def _accepted_values(contest: Contest, month: int | None = None) -> dict[int, Values]:
    """month -> participant id -> indicator id -> value, accepted submissions only."""
    rows = Value.objects.filter(
        submission__round__contest=contest, submission__status=Submission.Status.ACCEPTED
    )
    if month is not None:
        rows = rows.filter(submission__round__month=month)
    found: dict = defaultdict(lambda: defaultdict(dict))
    for month_, participant, indicator, value in rows.values_list(
        "submission__round__month", "submission__participant_id", "indicator_id", "value"
    ).order_by():
        found[month_][participant][indicator] = value
    return found


def month_ranking(contest: Contest, month: int) -> Ranking:
    """The month's scores and ranks: four queries."""
    dimensions, indicators, participants = _setup(contest)
    values = _accepted_values(contest, month).get(month, {})
    rows = _score_month(dimensions, indicators, participants, values)
    return Ranking(contest, dimensions, indicators, _rank(rows), month=month)


def monthly_totals(contest: Contest) -> dict[int, dict[int, float | None]]:
    """month -> participant id -> total, for every month with accepted data: four queries."""
    dimensions, indicators, participants = _setup(contest)
    totals = {}
    for month, values in sorted(_accepted_values(contest).items()):
        rows = _score_month(dimensions, indicators, participants, values)
        totals[month] = {row.participant.pk: row.total for row in rows}
    return totals


def year_ranking(contest: Contest) -> Ranking:
    """The year: each participant's mean monthly total, and its mean dimension scores, over
    the months it has scores for."""
    dimensions, indicators, participants = _setup(contest)
    sums: dict[int, Row] = {p.pk: Row(participant=p) for p in participants}
    dim_sums: dict[int, dict[int, list[float]]] = defaultdict(lambda: defaultdict(list))
    totals: dict[int, list[float]] = defaultdict(list)
    for _month, values in sorted(_accepted_values(contest).items()):
        for row in _score_month(dimensions, indicators, participants, values):
            if row.total is None:
                continue
            totals[row.participant.pk].append(row.total)
            for dpk, score in row.dimensions.items():
                dim_sums[row.participant.pk][dpk].append(score)
    for pk, row in sums.items():
        row.months = len(totals[pk])
        row.total = sum(totals[pk]) / row.months if row.months else None
        mine = dim_sums[pk]
        row.dimensions = {
            d.pk: sum(mine[d.pk]) / len(mine[d.pk]) if mine[d.pk] else None for d in dimensions
        }
    return Ranking(contest, dimensions, indicators, _rank(list(sums.values())))


def interview_list(ranking: Ranking) -> list[Row]:
    """约谈名单: the bottom N of the year's ranking (`contest.bottom_n`); those tied with
    the N-th from the bottom are on it too."""
    scored = ranking.scored
    n = ranking.contest.bottom_n
    if n == 0 or not scored:
        return []
    cut = scored[-n].rank if len(scored) >= n else scored[0].rank
    return [row for row in scored if row.rank >= cut]
