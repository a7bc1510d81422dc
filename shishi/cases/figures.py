"""What 典型案例评选 tells the dashboards and the overview (core.figures): a state, per
nominating unit — nominations, in the running, valid and voided votes received, and winners
of published selections. (Voters are counted per selection on its page: a phone voting for
two units' cases is one voter, so voters do not add up over units.)"""

from collections import defaultdict
from datetime import date

from django.db.models import Count, Q
from django.urls import reverse

from shishi.cases import results
from shishi.cases.access import Perm
from shishi.cases.models import Nomination, Selection
from shishi.core.figures import Figure, Kind, Scope, Source, Tally, Values


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """As of `today`: two queries, plus one standings read per published selection."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = (
        Nomination.objects.values("unit_id", "status")
        .annotate(
            valid=Count("votes", filter=Q(votes__voided=False)),
            voided=Count("votes", filter=Q(votes__voided=True)),
        )
        .order_by()
    )
    for row in rows:
        unit = counts[row["unit_id"]]
        unit["nominated"] += 1
        unit["accepted"] += row["status"] == Nomination.Status.ACCEPTED
        unit["votes"] += row["valid"]
        unit["voided"] += row["voided"]
    for selection in Selection.objects.filter(published_at__isnull=False):
        for row in results.standings(selection):
            if row.winner:
                counts[row.nomination.unit_id]["winners"] += 1
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _list(scope: Scope) -> str:
    return reverse("cases:selections")


FIGURES = (
    Figure(
        "cases.nominated",
        "推荐案例",
        "个",
        "各单位向典型案例评选推荐的案例。",
        lambda c: c.get("nominated", 0),
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "cases.accepted",
        "入围案例",
        "个",
        "主办单位审核入围、接受群众投票的案例。",
        lambda c: c.get("accepted", 0),
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "cases.votes",
        "有效票",
        "票",
        "入围案例获得的群众投票，经核查作废的不计。",
        lambda c: c.get("votes", 0),
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "cases.voided",
        "作废票",
        "票",
        "主办单位核查可疑集中投票后作废的票（留有记录）。",
        lambda c: c.get("voided", 0),
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "cases.void_rate",
        "作废比例",
        "%",
        "作废票 ÷（有效票 + 作废票）。",
        lambda c: Tally.rate(c.get("voided", 0), c.get("votes", 0) + c.get("voided", 0)),
        kind=Kind.RATE,
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "cases.winners",
        "入选典型案例",
        "个",
        "已发布结果的评选中按综合得分入选的案例。",
        lambda c: c.get("winners", 0),
        drill=_list,
        drill_perm=Perm.VIEW,
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}共推荐典型案例{values.text('cases.nominated')}，"
        f"入围{values.text('cases.accepted')}，获群众有效投票{values.text('cases.votes')}，"
        f"入选{values.text('cases.winners')}。"
    ]


SOURCE = Source(
    key="cases",
    title="典型案例评选",
    order=36,
    state=True,
    collect=collect,
    figures=FIGURES,
    headline=("cases.nominated", "cases.accepted", "cases.votes", "cases.winners"),
    public=("cases.accepted", "cases.winners"),
    overview=overview,
)
