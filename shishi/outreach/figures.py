"""What the outreach module tells the dashboards, the bulletin and the overview (core.figures).

宣讲与志愿服务队伍 (`TEAMS_SOURCE`, key `outreach`), a state as of each refresh, per owning
unit: lecture teams in use by kind (`kind:…`), volunteer teams, pioneer posts and
responsibility areas (`post:…`).

宣讲与志愿服务活动 (`SOURCE`, key `lectures`), a flow: per unit of the place they were held at,
the lectures held in the month (not those still to come) and their audience, the volunteer
activities with their hours (kept in tenths, `hours10`, so they add up exactly) and the people
served; per owning unit, the pioneer posts' service records.
"""

from collections import defaultdict
from datetime import date, timedelta
from urllib.parse import urlencode

from django.db.models import Count, Sum
from django.urls import reverse

from shishi.core.figures import Breakdown, Figure, Kind, Scope, Source, Values
from shishi.outreach.access import Perm
from shishi.outreach.models import (
    Lecture,
    LectureTeam,
    PioneerPost,
    ServiceRecord,
    VolunteerActivity,
    VolunteerTeam,
)


def collect_teams(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Teams and posts in use per owning unit: three queries."""
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    for row in (
        LectureTeam.objects.filter(active=True)
        .values("unit_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        unit = counts[row["unit_id"]]
        unit["lecture_teams"] += row["n"]
        unit[f"kind:{row['kind']}"] += row["n"]
    for row in (
        VolunteerTeam.objects.filter(active=True)
        .values("unit_id")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        counts[row["unit_id"]]["volunteer_teams"] += row["n"]
    for row in (
        PioneerPost.objects.filter(active=True)
        .values("unit_id", "kind")
        .annotate(n=Count("pk"))
        .order_by()
    ):
        unit = counts[row["unit_id"]]
        unit["posts"] += row["n"]
        unit[f"post:{row['kind']}"] += row["n"]
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _teams(scope: Scope, **filters) -> str:
    return f"{reverse('outreach:teams')}?{urlencode({'unit': scope.unit.pk, **filters})}"


def _posts(scope: Scope, **filters) -> str:
    return f"{reverse('outreach:posts')}?{urlencode({'unit': scope.unit.pk, **filters})}"


def _volunteers(scope: Scope) -> str:
    return f"{reverse('outreach:volunteers')}?{urlencode({'unit': scope.unit.pk})}"


TEAM_FIGURES = (
    Figure(
        "outreach.lecture_teams",
        "宣讲队伍",
        "支",
        "在用的宣讲队伍（党政机关、基层百姓、网络宣讲队），按所属单位计。",
        lambda c: c.get("lecture_teams", 0),
        drill=_teams,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "outreach.volunteer_teams",
        "志愿服务队",
        "支",
        "在用的志愿服务队，按所属单位计。",
        lambda c: c.get("volunteer_teams", 0),
        drill=_volunteers,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "outreach.posts",
        "党员先锋岗·责任区",
        "个",
        "在用的党员先锋岗和党员责任区，按所属单位计。",
        lambda c: c.get("posts", 0),
        drill=_posts,
        drill_perm=Perm.VIEW,
    ),
)

TEAM_BREAKDOWNS = (
    Breakdown(
        "kind",
        "宣讲队伍类型",
        lambda: dict(LectureTeam.Kind.choices),
        chart="pie",
        drill=lambda scope, code: _teams(scope, kind=code),
        drill_perm=Perm.VIEW,
        unit="支",
    ),
    Breakdown(
        "post",
        "先锋岗与责任区",
        lambda: dict(PioneerPost.Kind.choices),
        chart="pie",
        drill=lambda scope, code: _posts(scope, kind=code),
        drill_perm=Perm.VIEW,
        unit="个",
    ),
)


def teams_overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}组建宣讲队伍{values.text('outreach.lecture_teams')}、"
        f"志愿服务队{values.text('outreach.volunteer_teams')}，"
        f"设立党员先锋岗和责任区{values.text('outreach.posts')}。"
    ]


TEAMS_SOURCE = Source(
    key="outreach",
    title="宣讲与志愿服务队伍",
    order=35,
    state=True,
    collect=collect_teams,
    figures=TEAM_FIGURES,
    breakdowns=TEAM_BREAKDOWNS,
    headline=("outreach.lecture_teams", "outreach.volunteer_teams", "outreach.posts"),
    public=("outreach.lecture_teams", "outreach.volunteer_teams", "outreach.posts"),
    overview=teams_overview,
)


# --- 活动 ----------------------------------------------------------------------------------------


def collect(start: date, end: date, today: date) -> dict[int, dict[str, int]]:
    """Lectures held, activities and service records in [start, end) up to today, per unit:
    three queries."""
    until = min(end, today + timedelta(days=1))
    counts: dict[int, dict[str, int]] = defaultdict(lambda: defaultdict(int))
    lectures = (
        Lecture.objects.filter(starts_at__date__gte=start, starts_at__date__lt=until)
        .values("place_id", "mode")
        .annotate(n=Count("pk"), audience=Sum("audience"))
        .order_by()
    )
    for row in lectures:
        unit = counts[row["place_id"]]
        unit["lectures"] += row["n"]
        unit["audience"] += row["audience"] or 0
        unit[f"mode:{row['mode']}"] += row["n"]
    activities = (
        VolunteerActivity.objects.filter(starts_at__date__gte=start, starts_at__date__lt=until)
        .values("place_id")
        .annotate(n=Count("pk"), hours=Sum("hours"), served=Sum("served"))
        .order_by()
    )
    for row in activities:
        unit = counts[row["place_id"]]
        unit["activities"] += row["n"]
        unit["hours10"] += int((row["hours"] or 0) * 10)
        unit["served"] += row["served"] or 0
    records = (
        ServiceRecord.objects.filter(served_on__gte=start, served_on__lt=until)
        .values("post__unit_id")
        .annotate(n=Count("pk"), appeals=Count("appeal"))
        .order_by()
    )
    for row in records:
        unit = counts[row["post__unit_id"]]
        unit["services"] += row["n"]
        unit["service_appeals"] += row["appeals"]
    return {unit_id: dict(c) for unit_id, c in counts.items()}


def _period(scope: Scope) -> dict:
    return {
        "unit": scope.unit.pk,
        "start": f"{scope.period.start:%Y-%m-%d}",
        "end": f"{scope.period.last_day:%Y-%m-%d}",
    }


def _lectures(scope: Scope, **filters) -> str:
    query = {**_period(scope), "when": "held", **filters}
    return f"{reverse('outreach:lectures')}?{urlencode(query)}"


def _activities(scope: Scope) -> str:
    return f"{reverse('outreach:activities')}?{urlencode(_period(scope))}"


FIGURES = (
    Figure(
        "lectures.held",
        "宣讲场次",
        "场",
        "在本地举行的宣讲（线上、线下），按宣讲时间计；尚未举行的预告不计。",
        lambda c: c.get("lectures", 0),
        drill=_lectures,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "lectures.audience",
        "宣讲受众",
        "人次",
        "各场宣讲登记的受众人数相加。",
        lambda c: c.get("audience", 0),
        drill=_lectures,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "lectures.activities",
        "志愿服务活动",
        "次",
        "在本地开展的志愿服务活动，按开始时间计。",
        lambda c: c.get("activities", 0),
        drill=_activities,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "lectures.hours",
        "志愿服务时长",
        "小时",
        "每次活动的时长 × 参加志愿者人数，相加。",
        lambda c: c.get("hours10", 0) / 10,
        kind=Kind.AMOUNT,
        drill=_activities,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "lectures.served",
        "志愿服务群众",
        "人次",
        "各次志愿服务活动登记的服务群众人数相加。",
        lambda c: c.get("served", 0),
        drill=_activities,
        drill_perm=Perm.VIEW,
    ),
    Figure(
        "lectures.services",
        "先锋岗服务",
        "次",
        "党员先锋岗、责任区登记的服务记录，按服务日期计。",
        lambda c: c.get("services", 0),
    ),
    Figure(
        "lectures.service_appeals",
        "先锋岗解决诉求",
        "件",
        "先锋岗、责任区服务记录中关联了本单位承办诉求的。",
        lambda c: c.get("service_appeals", 0),
    ),
)

BREAKDOWNS = (
    Breakdown(
        "mode",
        "宣讲形式",
        lambda: dict(Lecture.Mode.choices),
        chart="pie",
        drill=lambda scope, code: _lectures(scope, mode=code),
        drill_perm=Perm.VIEW,
        unit="场",
    ),
)


def overview(values: Values, scope: Scope) -> list[str]:
    return [
        f"{scope.place}开展宣讲{values.text('lectures.held')}，"
        f"受众{values.text('lectures.audience')}；"
        f"开展志愿服务活动{values.text('lectures.activities')}，"
        f"服务时长{values.text('lectures.hours')}，"
        f"服务群众{values.text('lectures.served')}；"
        f"党员先锋岗、责任区服务{values.text('lectures.services')}。"
    ]


SOURCE = Source(
    key="lectures",
    title="宣讲与志愿服务活动",
    order=36,
    collect=collect,
    figures=FIGURES,
    breakdowns=BREAKDOWNS,
    headline=("lectures.held", "lectures.audience", "lectures.activities", "lectures.hours"),
    public=("lectures.held", "lectures.audience", "lectures.activities", "lectures.hours"),
    overview=overview,
)
