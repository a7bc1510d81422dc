"""The demo city's outreach, walked through the real actions: the 市委讲师团, the
漳州110宣讲队 of the police, 土楼红妹子 in 南靖书洋, a 老兵宣讲团 in 芗城, 芝山's own team,
谷文昌精神 lecturers in 东山 and an online team, with lectures of the last three months and
some announced for the weeks ahead (the only thing dated in the future); volunteer teams
with their activities; pioneer posts and responsibility areas with service records, some
linked to appeals their unit handled; and the starter set of 党史上的今天
(`fixtures/today_starter.csv`, every entry with its source).

Idempotent: each part loads only when its table is empty (the entries: those missing)."""

import csv
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from shishi.appeals.models import Appeal
from shishi.orgs.access import Actor
from shishi.orgs.demo import CITY, XIANGCHENG, ZHISHAN, clerk_for, staff_of
from shishi.orgs.models import Role, Unit
from shishi.outreach import actions
from shishi.outreach.models import (
    Lecture,
    LectureTeam,
    PioneerPost,
    TodayEntry,
    VolunteerActivity,
    VolunteerTeam,
)

STARTER = Path(__file__).parent / "fixtures" / "today_starter.csv"

# (team, kind, owning unit code, where it lectures (unit codes), topics, lecturers)
TEAMS = (
    (
        "市委讲师团",
        "official",
        CITY,
        ("350602000000", "350603000000", "350604000000", "350623000000", "350627000000"),
        "党的创新理论、党史学习教育、“我为群众办实事”",
        "黄建新、郑丽华、陈志远",
    ),
    (
        "漳州110宣讲队",
        "official",
        "350600-D16",
        ("350602000000", "350603000000", "350605000000"),
        "“漳州110”精神、反电信诈骗、平安建设",
        "林警官、吴警官、蔡警官",
    ),
    (
        "土楼红妹子宣讲队",
        "grassroots",
        "350627108000",
        ("350627108000",),
        "土楼里的红色故事、乡村振兴、移风易俗",
        "简秀英、张阿妹、刘红梅",
    ),
    (
        "老兵宣讲团",
        "grassroots",
        XIANGCHENG,
        ("350602007000", "350602002000", "350602003000"),
        "革命传统、国防教育、红军进漳故事",
        "苏老兵、杨振国、何建军",
    ),
    (
        "芝山红色宣讲队",
        "grassroots",
        ZHISHAN,
        (ZHISHAN, "350602007001", "350602007002"),
        "芝山红楼的故事、社区治理、垃圾分类",
        "黄阿嬷、林老师、社区老党员",
    ),
    (
        "谷文昌精神宣讲队",
        "grassroots",
        "350626000000",
        ("350626106000", "350626000000"),
        "谷文昌精神、植树造林、为民情怀",
        "朱国平、沈丽珍",
    ),
    (
        "“漳州红”网络宣讲团",
        "online",
        CITY,
        (CITY,),
        "微党课、党史故事短视频、政策解读直播",
        "李思远、王婧",
    ),
)
TOPICS = (
    "学党史 悟思想 办实事 开新局",
    "红军进漳的故事",
    "“我为群众办实事”政策解读",
    "移风易俗 文明乡风",
    "反电信网络诈骗知识",
    "乡村振兴看漳州",
    "党的二十大精神进基层",
)
VENUES = ("新时代文明实践站", "党群服务中心", "文化礼堂", "学校报告厅", "农家书屋")

# (team, field, owning unit code, where it serves (unit codes), activity titles)
VOLUNTEER_TEAMS = (
    (
        "芝山街道党员志愿服务队",
        "party",
        ZHISHAN,
        (ZHISHAN, "350602007001"),
        ("关爱独居老人上门服务", "小区环境整治", "反诈宣传进社区"),
    ),
    (
        "芗城区新时代文明实践志愿服务队",
        "civilization",
        XIANGCHENG,
        ("350602002000", "350602003000", ZHISHAN),
        ("文明交通劝导", "周末义诊", "图书漂流"),
    ),
    (
        "东山县海岛生态志愿服务队",
        "environment",
        "350626000000",
        ("350626106000",),
        ("海滩垃圾清理", "木麻黄护林宣传"),
    ),
    (
        "市住建局党员志愿服务队",
        "party",
        "350600-D02",
        ("350602000000", "350603000000"),
        ("老旧小区改造政策咨询", "燃气安全入户检查"),
    ),
)

# (kind, name, owning unit code, place, duties)
POSTS = (
    (
        "post",
        "接诉即办党员先锋岗",
        "350600-D01",
        "12345热线接听大厅",
        "热线接听、诉求分办、跟踪回访",
    ),
    ("post", "便民服务中心党员先锋岗", ZHISHAN, "芝山街道便民服务中心", "帮办代办、政策咨询"),
    (
        "area",
        "芝山社区第一网格党员责任区",
        "350602007001",
        "芝山社区第一网格",
        "走访联系群众、排查矛盾纠纷、收集诉求",
    ),
    (
        "post",
        "物业服务党员先锋岗",
        "350600-D02",
        "市住建局物业管理科",
        "物业投诉调处、老旧小区改造协调",
    ),
    ("area", "铜陵镇海滨党员责任区", "350626106000", "铜陵镇海滨一带", "环境卫生监督、安全巡查"),
)


def _unit(code: str) -> Unit | None:
    return Unit.objects.filter(code=code, active=True).first()


def _at(day, hour: int) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour, 0)))


def _city_office() -> Actor:
    actor = staff_of(Unit.objects.get(code=CITY), Role.CITY_ADMIN)
    assert actor is not None, "the organisation demo loads the city office first"
    return actor


@transaction.atomic
def load_demo_lectures(*, seed: int = 2021) -> int:
    """Six teams; per team 4–9 lectures of the last 90 days and 1–3 announced ahead."""
    if LectureTeam.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    for name, kind, owner_code, places, topics, lecturers in TEAMS:
        owner = _unit(owner_code)
        if owner is None:
            continue
        clerk = clerk_for(owner)
        team = actions.save_team(
            data=actions.TeamData(
                name=name,
                kind=kind,
                unit=owner,
                topics=topics,
                outside_members=lecturers,
                contact_phone=f"0596-{rng.randint(2000000, 2999999)}",
            ),
            actor=clerk,
            now=now - timedelta(days=120),
        )
        where = [unit for unit in map(_unit, places) if unit is not None] or [owner]
        held = sorted(rng.sample(range(2, 90), rng.randint(4, 9)), reverse=True)
        ahead = sorted(rng.sample(range(1, 30), rng.randint(1, 3)))
        for days, upcoming in [(d, False) for d in held] + [(d, True) for d in ahead]:
            day = today + timedelta(days=days) if upcoming else today - timedelta(days=days)
            place = rng.choice(where)
            online = kind == "online"
            actions.save_lecture(
                data=actions.LectureData(
                    team=team,
                    topic=rng.choice(TOPICS + tuple(topics.split("、"))),
                    starts_at=_at(day, rng.choice((9, 10, 15, 19))),
                    place=place,
                    mode="online" if online else "offline",
                    venue="“漳州发布”直播间" if online else rng.choice(VENUES),
                    audience=0 if upcoming else rng.randint(30, 2000 if online else 300),
                    summary="" if upcoming else "宣讲结合身边事例，现场互动热烈。",
                ),
                actor=clerk,
                now=now if upcoming else _at(day, 21),
            )
    return Lecture.objects.count()


@transaction.atomic
def load_demo_volunteers(*, seed: int = 2021) -> int:
    """Four teams, each with 3–8 activities of the last 60 days."""
    if VolunteerTeam.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    for name, field, owner_code, places, titles in VOLUNTEER_TEAMS:
        owner = _unit(owner_code)
        if owner is None:
            continue
        clerk = clerk_for(owner)
        team = actions.save_volunteer_team(
            data=actions.VolunteerTeamData(
                name=name,
                field=field,
                unit=owner,
                outside_members="、".join(rng.sample(("陈", "林", "黄", "郑", "吴", "蔡"), 3))
                + "志愿者",
            ),
            actor=clerk,
            now=now - timedelta(days=100),
        )
        where = [unit for unit in map(_unit, places) if unit is not None] or [owner]
        for days in sorted(rng.sample(range(2, 60), rng.randint(3, 8)), reverse=True):
            start = _at(today - timedelta(days=days), rng.choice((8, 9, 14)))
            actions.record_activity(
                data=actions.ActivityData(
                    team=team,
                    title=rng.choice(titles),
                    place=rng.choice(where),
                    starts_at=start,
                    ends_at=start + timedelta(minutes=rng.choice((90, 120, 180, 240))),
                    volunteers=rng.randint(4, 25),
                    served=rng.randint(10, 200),
                ),
                actor=clerk,
                now=start + timedelta(hours=6),
            )
    return VolunteerActivity.objects.count()


@transaction.atomic
def load_demo_posts(*, seed: int = 2021) -> int:
    """Five posts and areas with service records; a record of a unit that handled appeals
    links one of them."""
    if PioneerPost.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    for kind, name, owner_code, place, duties in POSTS:
        owner = _unit(owner_code)
        if owner is None:
            continue
        clerk = clerk_for(owner)
        post = actions.save_post(
            data=actions.PostData(
                kind=kind,
                name=name,
                unit=owner,
                duties=duties,
                place=place,
                holders=(clerk.person,),
                outside_holders="共产党员" + rng.choice(("陈志强", "林美华", "黄国庆")),
            ),
            actor=clerk,
            now=now - timedelta(days=150),
        )
        # The appeals the unit handled that came in before a record's day may be linked to it.
        handled = list(
            Appeal.objects.filter(holder__path__startswith=owner.path)
            .order_by("received_at")
            .values_list("code", "received_at")[:20]
        )
        for n, days in enumerate(sorted(rng.sample(range(1, 45), 4), reverse=True)):
            served_on = today - timedelta(days=days)
            earlier = [c for c, at in handled if timezone.localdate(at) <= served_on]
            code = earlier.pop() if earlier and n % 2 == 0 else ""
            handled = [(c, at) for c, at in handled if c != code]
            actions.record_service(
                post=post,
                data=actions.ServiceData(
                    served_on=served_on,
                    content=f"{duties.split('、')[n % len(duties.split('、'))]}，现场解决群众问题",
                    served=rng.randint(1, 30),
                    appeal_code=code,
                ),
                actor=clerk,
                now=now,
            )
    return PioneerPost.objects.count()


def starter_rows() -> list[dict[str, str]]:
    with STARTER.open(encoding="utf-8") as handle:
        return list(csv.DictReader(handle))


@transaction.atomic
def load_today_entries() -> int:
    """The starter set of 党史上的今天, through the city office's action (missing ones only)."""
    office = _city_office()
    now = timezone.now()
    added = 0
    for row in starter_rows():
        month, day = actions.parse_month_day(row["日期"])
        year, title = int(row["年份"]), row["标题"]
        if TodayEntry.objects.filter(month=month, day=day, year=year, title=title).exists():
            continue
        actions.save_entry(
            data=actions.EntryData(
                month=month,
                day=day,
                year=year,
                title=title,
                text=row["内容"],
                source=row["资料来源"],
            ),
            actor=office,
            now=now,
        )
        added += 1
    return added


def demo_summary() -> str:
    lectures = load_demo_lectures()
    activities = load_demo_volunteers()
    posts = load_demo_posts()
    entries = load_today_entries()
    if not (lectures or activities or posts or entries):
        return "宣讲、志愿服务、先锋岗和党史上的今天已载入，未重复载入"
    return (
        f"{LectureTeam.objects.count()} 支宣讲队伍、{Lecture.objects.count()} 场宣讲（含预告），"
        f"{VolunteerTeam.objects.count()} 支志愿服务队、"
        f"{VolunteerActivity.objects.count()} 次活动，"
        f"{PioneerPost.objects.count()} 个先锋岗/责任区，"
        f"党史上的今天 {TodayEntry.objects.count()} 条"
    )
