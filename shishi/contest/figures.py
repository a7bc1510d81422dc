"""What the unit competition tells the dashboards, the bulletin and the overview
(core.figures).

A flow, per participant unit and month of the due date: the monthly submissions owed
(`owed`: the round's due date has passed, or it was submitted), submitted by the round's
own date (`on_time`), submitted after it with an extension (`late`), and still missing past
the due date (`missing`). 按时报送率 = on_time ÷ owed.

The rankings (dashboard and the bulletin's 通报 section) are the contest's own, from
`contest.scoring` — the month's ranking (the latest month with accepted data up to the
period's end) and the year so far — not made of these counts.
"""

from collections import defaultdict
from datetime import date

from django.urls import reverse

from shishi.contest import scoring
from shishi.contest.models import Contest, Submission
from shishi.core.documents import Paragraph, Table
from shishi.core.figures import Figure, Kind, Scope, Source, Tally, Values

OPEN = (Submission.Status.DRAFT, Submission.Status.RETURNED)


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Submissions first due in [start, end) per participant unit: one query."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    rows = Submission.objects.filter(first_due__gte=start, first_due__lt=end).values_list(
        "participant__unit_id", "status", "late", "due", "first_due"
    )
    for unit_id, status, late, due, first_due in rows.order_by():
        unit = counts[unit_id]
        if status not in OPEN or first_due < today:
            unit["owed"] += 1
        unit["on_time"] += late is False
        unit["late"] += bool(late)
        unit["missing"] += status in OPEN and due < today
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _contests(scope: Scope) -> list[Contest]:
    return list(
        Contest.objects.filter(
            organiser__path__startswith=scope.path,
            year=scope.period.last_day.year,
            status__in=(Contest.Status.OPEN, Contest.Status.CLOSED),
        ).select_related("organiser")
    )


def _list(scope: Scope) -> str:
    return reverse("contest:contests")


FIGURES = (
    Figure(
        "contest.owed",
        "应报送",
        "次",
        "单位竞赛月度调度中，报送期限已过（或已报送）的单位·月次数，按原定期限所在月份统计。",
        lambda c: c.get("owed", 0),
        drill=_list,
    ),
    Figure(
        "contest.on_time",
        "按时报送",
        "次",
        "在原定期限内报送的单位·月次数（经延期后报送的不计）。",
        lambda c: c.get("on_time", 0),
        drill=_list,
    ),
    Figure(
        "contest.timeliness",
        "按时报送率",
        "%",
        "按时报送 ÷ 应报送。",
        lambda c: Tally.rate(c.get("on_time", 0), c.get("owed", 0)),
        kind=Kind.RATE,
        drill=_list,
    ),
    Figure(
        "contest.missing",
        "超期未报",
        "次",
        "过了报送期限（含批准延期后的期限）仍未报送的单位·月次数。",
        lambda c: c.get("missing", 0),
        drill=_list,
    ),
)


def _score(value: float | None) -> str:
    return "—" if value is None else f"{value:.2f}"


def _latest_month(contest: Contest, until: date) -> int | None:
    """The latest month up to `until` with accepted data."""
    months = [
        m for m in scoring.monthly_totals(contest) if (contest.year, m) <= (until.year, until.month)
    ]
    return max(months) if months else None


def _table(contest: Contest, ranking: scoring.Ranking, title: str, *, year: bool) -> Table:
    headers = ("名次", "参赛单位", *(d.name for d in ranking.dimensions), "总得分")
    if year:
        headers = (*headers, "计分月数")
    rows = []
    for row in ranking.rows:
        cells = (
            row.rank or "—",
            row.name,
            *(_score(row.dimensions.get(d.pk)) for d in ranking.dimensions),
            _score(row.total),
        )
        rows.append((*cells, row.months) if year else cells)
    return Table(
        title=title,
        headers=headers,
        rows=rows,
        note="各维度满分100分，总得分按维度权重加权；“—”为当月数据未经审核采用，不计0分、不排名。",
        sheet=title[:31],
    )


def rankings(scope: Scope, per_unit: dict) -> list[Table]:
    """The contest's month ranking and the year so far, for each contest in the scope;
    none when nothing was due in the period (`per_unit` empty: no query at all)."""
    if not per_unit:
        return []
    tables = []
    for contest in _contests(scope):
        month = _latest_month(contest, scope.period.last_day)
        if month is None:
            continue
        tables.append(
            _table(
                contest,
                scoring.month_ranking(contest, month),
                f"{contest.name}{contest.year}年{month}月排名",
                year=False,
            )
        )
        tables.append(
            _table(
                contest,
                scoring.year_ranking(contest),
                f"{contest.name}{contest.year}年累计排名",
                year=True,
            )
        )
    return tables


def bulletin(scope: Scope) -> list:
    """通报 in words: the month's first and last, and who is missing past the due date (those
    still within it are named as waiting, not blamed); the ranking tables come before it."""
    blocks: list = []
    for contest in _contests(scope):
        month = _latest_month(contest, scope.period.last_day)
        if month is None:
            continue
        ranking = scoring.month_ranking(contest, month)
        scored = ranking.scored
        top = "、".join(row.name for row in scored if row.rank == 1)
        bottom = "、".join(row.name for row in scored if row.rank == scored[-1].rank)
        due = dict(
            Submission.objects.filter(round__contest=contest, round__month=month).values_list(
                "participant_id", "due"
            )
        )
        unscored = [row for row in ranking.rows if row.total is None]
        late = [r.name for r in unscored if due.get(r.participant.pk, scope.as_of) < scope.as_of]
        waiting = [r.name for r in unscored if r.name not in late]
        text = (
            f"{contest.name}{month}月调度中，{len(scored)}个单位数据经审核采用并参加排名，"
            f"{top}位列第一，{bottom}排名末位。"
        )
        if late:
            text += f"{'、'.join(late)}超过报送期限仍未报送或未通过审核，不参加排名，予以通报。"
        if waiting:
            text += f"{'、'.join(waiting)}的数据尚在报送或审核期限内，暂未排名。"
        blocks.append(Paragraph(text))
    return blocks


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}单位竞赛月度调度应报送{values.text('contest.owed')}，"
        f"按时报送率{values.text('contest.timeliness')}，"
        f"超期未报{values.text('contest.missing')}。"
    ]


SOURCE = Source(
    key="contest",
    title="单位竞赛",
    order=37,
    collect=collect,
    figures=FIGURES,
    headline=("contest.owed", "contest.timeliness", "contest.missing"),
    overview=overview,
    rankings=rankings,
    bulletin=bulletin,
)
