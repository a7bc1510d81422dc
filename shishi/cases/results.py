"""The combined score of a selection — the one definition, printed on the results page.

    评委得分 = the mean, over the judges who scored every line of the rubric, of their total
              (0–100; the rubric's lines add up to 100)
    群众得分 = 100 × the case's valid votes ÷ the most valid votes any case in the running got
    综合得分 = 评委得分 × 评委权重% + 群众得分 × 群众权重%

A case no judge has fully scored has no 评委得分; without a single valid vote in the
selection no case has a 群众得分 (a weight of 0% needs neither). A case missing a part its
weight needs has no 综合得分 and is not ranked — "no data" is never 0. Ties are broken, in
turn, by the higher 评委得分, the more valid votes, then the earlier nomination.
"""

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Q

from shishi.cases.models import Nomination, Score, Selection

FORMULA = (
    "综合得分 = 评委得分 × 评委权重 + 群众得分 × 群众权重。评委得分为各评委（完成全部评分项的）"
    "总分的平均；群众得分 = 100 × 本案例有效票数 ÷ 入围案例中的最高有效票数。"
    "同分时依次比较评委得分、有效票数、推荐时间（先推荐者列前）。"
)


@dataclass
class Standing:
    nomination: Nomination
    judges: int  # judges who scored every line
    judge_score: float | None
    votes: int  # valid (not voided) votes
    public_score: float | None
    total: float | None
    rank: int | None = None
    winner: bool = False


def standings(selection: Selection) -> list[Standing]:
    """Every accepted nomination with its scores, ranked (unranked ones last): three queries."""
    running = list(
        Nomination.objects.filter(selection=selection, status=Nomination.Status.ACCEPTED)
        .select_related("unit")
        .annotate(valid=Count("votes", filter=Q(votes__voided=False)))
        .order_by("submitted_at", "pk")
    )
    lines = selection.criteria.count()
    totals: dict[int, dict[int, list[int]]] = defaultdict(lambda: defaultdict(list))
    for nomination_id, judge_id, points in Score.objects.filter(nomination__in=running).values_list(
        "nomination_id", "judge_id", "points"
    ):
        totals[nomination_id][judge_id].append(points)
    most = max((n.valid for n in running), default=0)
    rows = []
    for nomination in running:
        complete = [sum(p) for p in totals[nomination.pk].values() if len(p) == lines]
        judge = sum(complete) / len(complete) if complete else None
        public = 100 * nomination.valid / most if most else None
        rows.append(
            Standing(
                nomination=nomination,
                judges=len(complete),
                judge_score=judge,
                votes=nomination.valid,
                public_score=public,
                total=combine(selection, judge, public),
            )
        )
    ranked = sorted(
        (row for row in rows if row.total is not None),
        key=lambda r: (
            -round(r.total, 6),
            -round(r.judge_score or 0, 6),
            -r.votes,
            r.nomination.submitted_at,
        ),
    )
    for rank, row in enumerate(ranked, start=1):
        row.rank, row.winner = rank, rank <= selection.winners
    return ranked + [row for row in rows if row.total is None]


def combine(selection: Selection, judge: float | None, public: float | None) -> float | None:
    """The combined score, or None when a part with weight is missing."""
    parts = ((selection.judge_weight, judge), (selection.public_weight, public))
    if any(weight and value is None for weight, value in parts):
        return None
    return sum(weight * (value or 0) for weight, value in parts) / 100
