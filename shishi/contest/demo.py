"""The demo city's 2026 “六比一看” contest: the seven default dimensions with two indicators
each, Zhangzhou's eleven counties and districts and the development zones of the demo tree
as participants, January to November dispatched (a few extensions, returns and one month
missing), notes for the first three quarters. Acts through the actions, as the city office
and each unit's clerk (`orgs.demo.clerk_for`)."""

import random
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from shishi.contest import actions, scoring
from shishi.contest.models import Contest, Indicator, Participant, Submission
from shishi.core.supervision import Level
from shishi.orgs.demo import clerk_for, staff_of
from shishi.orgs.models import Role, Unit

SHANGHAI = ZoneInfo("Asia/Shanghai")
YEAR = 2026
PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF"
ZONES = ("招商局漳州开发区", "长泰经济开发区")
# dimension -> (name, unit, direction, type, signed, weight within the dimension, typical value)
INDICATORS = {
    "比项目": [
        ("新开工项目数", "个", "higher", "integer", False, 50, 12),
        ("省市重点项目投资完成率", "%", "higher", "percent", False, 50, 85),
    ],
    "比投资": [
        ("固定资产投资增速", "%", "higher", "percent", True, 60, 5.5),
        ("工业投资完成额", "亿元", "higher", "decimal", False, 40, 18),
    ],
    "比招商": [
        ("新签约项目数", "个", "higher", "integer", False, 40, 9),
        ("签约项目总投资", "亿元", "higher", "decimal", False, 60, 60),
    ],
    "比产业": [
        ("规上工业增加值增速", "%", "higher", "percent", True, 60, 6.5),
        ("新增规上工业企业", "家", "higher", "integer", False, 40, 4),
    ],
    "比作风": [
        ("诉求按时办结率", "%", "higher", "percent", False, 60, 93),
        ("被督办通报事项", "件", "lower", "integer", False, 40, 3),
    ],
    "比环境": [
        ("空气质量优良天数比例", "%", "higher", "percent", False, 50, 96),
        ("营商环境投诉件数", "件", "lower", "integer", False, 50, 6),
    ],
    "看实效": [
        ("民生实事项目完成率", "%", "higher", "percent", False, 50, 80),
        ("群众满意率", "%", "higher", "percent", False, 50, 92),
    ],
}
# (month, participant name): what happens besides an on-time submission that is accepted.
RETURNED = {(2, "东山县"), (5, "平和县"), (8, "长泰经济开发区"), (10, "华安县")}
EXTENDED = {(1, "诏安县"), (4, "华安县"), (7, "云霄县"), (9, "招商局漳州开发区")}
MISSING = {(10, "南靖县")}  # never submitted: past its due date, up the ladder
NOVEMBER_WAITING = ("平和县", "诏安县")  # not yet submitted (due in December)
NOTES = (
    "{name}本季度项目推进有力，{best}表现突出；{worst}相对薄弱，请对照先进找差距、补短板。",
    "{name}本季度整体态势平稳，{best}走在前列；{worst}仍需加力，下季度要拿出具体措施。",
    "{name}本季度{best}成效明显；{worst}排名靠后，请分析原因，逐项抓好落实。",
)


def _at(day: date, hour: int = 10) -> datetime:
    return datetime.combine(day, time(hour), tzinfo=SHANGHAI)


def _value(rng: random.Random, strength: float, spec) -> str:
    _, _, direction, data_type, signed, _, typical = spec
    factor = strength if direction == "higher" else 2 - strength
    if data_type == "percent" and not signed:
        value = min(100.0, typical * (0.93 + 0.07 * factor) + rng.uniform(-2, 2))
    elif signed:
        value = typical * factor + rng.uniform(-2.5, 2.5)
    else:
        value = max(0.0, typical * factor * rng.uniform(0.7, 1.3))
    if data_type == "integer":
        return str(round(value))
    return str(Decimal(str(value)).quantize(Decimal("0.01")))


def _participants(city: Unit) -> list[Unit]:
    counties = Unit.objects.filter(
        parent=city, kind__in=(Unit.Kind.COUNTY, Unit.Kind.DISTRICT), active=True
    ).order_by("code")
    zones = Unit.objects.filter(
        path__startswith=city.path, kind=Unit.Kind.ZONE, name__in=ZONES, active=True
    ).order_by("code")
    return [*counties, *zones]


def load_demo() -> str:
    city = Unit.objects.filter(parent=None).order_by("pk").first()
    admin = staff_of(city, Role.CITY_ADMIN) if city else None
    if admin is None:
        return "没有市级管理员，未载入单位竞赛"
    if Contest.objects.filter(organiser=city, year=YEAR).exists():
        return f"已有{YEAR}年单位竞赛，未重复载入"
    rng = random.Random(2026)
    start = _at(date(YEAR, 1, 6), 9)
    contest = actions.create_contest(
        data=actions.ContestData(year=YEAR, name="“六比一看”单位竞赛", due_workday=5, bottom_n=2),
        actor=admin,
        now=start,
    )
    weights: dict[int, object] = {}
    for dimension in contest.dimensions.all():
        for order, spec in enumerate(INDICATORS[dimension.name], start=1):
            name, unit, direction, data_type, signed, weight, _ = spec
            indicator = actions.save_indicator(
                dimension=dimension,
                data=actions.IndicatorData(name, unit, direction, data_type, signed, order),
                actor=admin,
                now=start,
            )
            weights[indicator.pk] = weight
    actions.set_weights(contest=contest, dimensions={}, indicators=weights, actor=admin, now=start)
    units = _participants(city)
    actions.add_participants(contest=contest, units=units, actor=admin, now=start)
    actions.open_contest(contest=contest, actor=admin, now=start)

    specs = {
        i.pk: next(s for s in INDICATORS[i.dimension.name] if s[0] == i.name)
        for i in Indicator.objects.filter(dimension__contest=contest).select_related("dimension")
    }
    strength = {u.pk: rng.uniform(0.75, 1.25) for u in units}
    clerks = {u.pk: clerk_for(u) for u in units}
    now = timezone.now()
    for month in range(1, 12):
        first = date(YEAR + month // 12, month % 12 + 1, 1)
        if _at(first, 18) > now:
            break  # a run before December 2026 stops at the months already dispatched
        round = actions.open_round(contest=contest, month=month, actor=admin, now=_at(first, 9))
        rows = Submission.objects.filter(round=round).select_related("participant__unit")
        for row in rows:
            unit = row.participant.unit
            key = (month, unit.name)
            if key in MISSING or (month == 11 and unit.name in NOVEMBER_WAITING):
                continue
            clerk = clerks[unit.pk]
            values = {pk: _value(rng, strength[unit.pk], spec) for pk, spec in specs.items()}
            entry = actions.Entry(
                values=values, files=[], note=f"{unit.name}{month}月数据，已经统计部门核对。"
            )
            when = _at(round.due - timedelta(days=rng.randint(0, 3)), rng.randint(9, 17))
            if month == 11:  # the latest round, opened on 2026-12-01: submitted that day
                when = _at(first, rng.randint(10, 17))
            if key in EXTENDED:
                asked = _at(round.due + timedelta(days=1), 9)
                extension = actions.request_extension(
                    submission=row,
                    until=round.due + timedelta(days=7),
                    reason="统计部门月度数据尚未发布，申请延期报送",
                    actor=clerk,
                    now=asked,
                )
                actions.decide_extension(
                    extension=extension, approve=True, answer="同意", actor=admin,
                    now=asked + timedelta(hours=3),
                )  # fmt: skip
                when = _at(round.due + timedelta(days=4), 15)
            row = _submit(row, entry, clerk, when)
            if key in RETURNED:
                back = actions.return_submission(
                    submission=row,
                    actor=admin,
                    reason="部分指标与统计部门数据不一致，请核实后重新报送",
                    now=when + timedelta(hours=20),
                )
                row = actions.submit_values(
                    submission=back,
                    entry=entry,
                    actor=clerk,
                    now=when + timedelta(days=1, hours=4),
                )
                when += timedelta(days=1, hours=4)
            if month == 11 and rng.random() < 0.4:
                continue  # waiting for review
            accepted = when + timedelta(hours=16) if month == 11 else when + timedelta(days=1)
            accepted = min(accepted, now - timedelta(minutes=1))
            actions.accept_submission(submission=row, actor=admin, now=accepted)
    _notes(contest, admin)
    actions.sweep_submissions(now=now)
    accepted = Submission.objects.filter(
        round__contest=contest, status=Submission.Status.ACCEPTED
    ).count()
    overdue = Submission.objects.filter(
        round__contest=contest, supervision__gte=Level.SUPERVISE
    ).count()
    return (
        f"{YEAR}年单位竞赛：{len(units)}个参赛单位，1—11月调度，采用报送{accepted}份，"
        f"超期督办{overdue}份，前三季度点评"
    )


def _submit(row: Submission, entry: actions.Entry, clerk, when: datetime) -> Submission:
    files = [SimpleUploadedFile("月度统计报表.pdf", PDF, content_type="application/pdf")]
    return actions.submit_values(
        submission=row,
        entry=actions.Entry(values=entry.values, note=entry.note, files=files),
        actor=clerk,
        now=when,
    )


def _notes(contest: Contest, admin) -> None:
    dims = list(contest.dimensions.all())
    participants = list(Participant.objects.filter(contest=contest).select_related("unit"))
    for quarter in (1, 2, 3):
        last = quarter * 3
        ranking = scoring.month_ranking(contest, last)
        for n, participant in enumerate(participants):
            row = next(r for r in ranking.rows if r.participant.pk == participant.pk)
            scored = [
                (row.dimensions[d.pk], d.name) for d in dims if row.dimensions[d.pk] is not None
            ]
            if not scored:
                continue
            best, worst = max(scored)[1], min(scored)[1]
            actions.write_note(
                participant=participant,
                quarter=quarter,
                text=NOTES[(n + quarter) % len(NOTES)].format(
                    name=participant.unit.name, best=best, worst=worst
                ),
                actor=admin,
                now=_at(date(YEAR, last + 1, 10)),
            )
