"""The demo city's directives, walked through the real actions: every party organisation
holds its 专题组织生活会, every unit watched the 庆祝大会 together, and 芗城区 has just deployed a
回头看 to its towns — some done on time, some late, some returned and done again, some waiting
for review, some not yet (and on the ladder). Study sessions: the city's 理论学习中心组, the
party branches' 三个一 (some done, some not yet) and a few street sessions. 巡回指导: 8 groups
over 3 rounds with their visits and 整改 items."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import actions, queries
from shishi.campaign.models import (
    Assignment,
    Directive,
    GuidanceGroup,
    GuidanceRound,
    Rectification,
    StudySession,
    Visit,
)
from shishi.orgs.access import Actor
from shishi.orgs.actions import create_person
from shishi.orgs.demo import GIVEN, SURNAMES, XIANGCHENG, ZHISHAN, clerk_for, demo_hash, staff_of
from shishi.orgs.models import Person, Role, Unit

Kind = Unit.Kind
PARTY = (Kind.PARTY_COMMITTEE, Kind.PARTY_GENERAL_BRANCH, Kind.PARTY_BRANCH)
UNITS = (Kind.COUNTY, Kind.DISTRICT, Kind.ZONE, Kind.TOWN, Kind.STREET, Kind.DEPARTMENT)
DIRECTIVES = (
    # (title, content, evidence, kinds, days, issued days ago, issued by 芗城区)
    (
        "召开党史学习教育专题组织生活会",
        "各党组织围绕“学党史、悟思想、办实事、开新局”召开专题组织生活会，查摆问题、"
        "开展批评和自我批评，会后列出整改清单。",
        "会议记录、检视问题清单、现场照片",
        PARTY,
        10,
        45,
        False,
    ),
    (
        "集中收听收看庆祝大会",
        "组织干部职工集中收听收看庆祝大会实况，并于收看后开展座谈交流。",
        "收看现场照片、座谈记录",
        UNITS,
        3,
        20,
        False,
    ),
    (
        "开展“我为群众办实事”回头看",
        "对本年度已办结的群众诉求和实事项目开展回头看，逐件核实办理效果，发现问题立即整改。",
        "回头看工作台账（PDF）",
        (Kind.TOWN, Kind.STREET),
        10,
        2,
        True,
    ),
)
# What happens to an assignment, with its weight: on time, late, returned then redone,
# waiting for review, nothing yet.
OUTCOMES = (("on_time", 55), ("late", 15), ("returned", 10), ("waiting", 10), ("none", 10))
PDF = b"%PDF-1.4\n% demo\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


def _evidence(unit: Unit) -> list[SimpleUploadedFile]:
    return [SimpleUploadedFile(f"{unit.name}-佐证材料.pdf", PDF, content_type="application/pdf")]


def _issuer(by_county: bool) -> Actor:
    unit = Unit.objects.get(code=XIANGCHENG) if by_county else Unit.objects.get(parent=None)
    role = Role.UNIT_LEADER if by_county else Role.CITY_ADMIN
    actor = staff_of(unit, role)
    assert actor is not None, "the organisation demo loads the issuers first"
    return actor


@transaction.atomic
def load_demo_directives(*, seed: int = 2021) -> int:
    if Directive.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    for title, content, evidence, kinds, days, ago, by_county in DIRECTIVES:
        issuer = _issuer(by_county)
        issued_at = now - timedelta(days=ago, hours=3)
        directive = actions.issue_directive(
            data=actions.DirectiveData(
                title=title,
                content=content,
                days=days,
                evidence=evidence,
                target_root=issuer.unit,
                target_kinds=kinds,
            ),
            actor=issuer,
            now=issued_at,
        )
        for assignment in directive.assignments.select_related("unit").order_by("unit__path"):
            _walk(rng, assignment, issuer=issuer, issued_at=issued_at, now=now)
    actions.sweep_assignments(now=now)
    return Directive.objects.count()


def _walk(rng, assignment: Assignment, *, issuer: Actor, issued_at: datetime, now: datetime):
    outcome = rng.choices([o for o, _ in OUTCOMES], weights=[w for _, w in OUTCOMES])[0]
    due = timezone.make_aware(datetime.combine(assignment.due, datetime.min.time()))
    if outcome == "none":
        return
    # On time: between the issue and the deadline; late: a few days after it.
    if outcome == "late":
        at = due + timedelta(days=rng.randint(1, 6), hours=rng.randint(9, 17))
    else:
        span = max((due - issued_at).total_seconds(), 3600)
        at = issued_at + timedelta(seconds=rng.uniform(0.2, 0.95) * span)
    if at > now - timedelta(hours=2):
        return  # not yet: nothing in the demo is dated in the future
    clerk = clerk_for(assignment.unit)
    report = actions.Report(
        text=f"{assignment.unit.name}已按要求完成，参加{rng.randint(8, 60)}人。",
        files=_evidence(assignment.unit),
    )
    actions.submit_assignment(assignment=assignment, actor=clerk, report=report, now=at)
    if outcome == "waiting":
        return
    reviewed = min(at + timedelta(hours=rng.randint(2, 30)), now - timedelta(hours=1))
    if outcome == "returned":
        actions.return_assignment(
            assignment=assignment,
            actor=issuer,
            reason="佐证材料不全，请补充现场照片",
            now=reviewed,
        )
        again = reviewed + timedelta(hours=rng.randint(4, 40))
        if rng.random() < 0.4 or again > now - timedelta(minutes=50):
            return  # still to be reported again
        report = actions.Report(
            text=report.text + "已补充现场照片。", files=_evidence(assignment.unit)
        )
        actions.submit_assignment(assignment=assignment, actor=clerk, report=report, now=again)
        reviewed = min(again + timedelta(hours=3), now - timedelta(minutes=30))
    actions.approve_assignment(assignment=assignment, actor=issuer, now=reviewed)


def demo_summary() -> str:
    made = load_demo_directives()
    if not made:
        return f"已有 {Directive.objects.count()} 项部署任务，未重复载入"
    assigned = Assignment.objects.count()
    done = Assignment.objects.filter(status=Assignment.Status.APPROVED).count()
    return (
        f"部署任务 {made} 项，下达到 {assigned} 个单位，已完成 {done} 个"
        "（有按时、逾期、退回重报、待审核和未完成）"
    )


# --- 学习活动 ---------------------------------------------------------------------------------

Session = StudySession
CENTRAL_GROUP_TOPICS = (
    "学习贯彻习近平新时代中国特色社会主义思想",
    "深入学习党的二十届三中全会精神",
    "学习《中国共产党纪律处分条例》",
    "学习习近平总书记关于“四下基层”的重要论述",
    "坚持和发展新时代“枫桥经验”",
    "学习习近平总书记在福建考察时的重要讲话精神",
    "学习贯彻中央八项规定精神",
    "推进基层治理体系和治理能力现代化",
    "学习习近平总书记关于调查研究的重要论述",
    "持续深化“我为群众办实事”实践活动",
    "学习《习近平著作选读》第一卷",
    "学习《习近平著作选读》第二卷",
    "加强作风建设，为民办实事",
    "学习党史，赓续红色血脉",
    "以学促干，推动高质量发展",
)
# 三个一 this year per party branch (unit code → kinds held), some done, some not yet.
THREE_ONES_DONE = {
    "350602007-P3": (Session.Kind.PARTY_DAY, Session.Kind.PARTY_LECTURE, Session.Kind.OATH),
    "350602007-P4": (Session.Kind.PARTY_DAY,),
    "350600-D02-P3": (Session.Kind.PARTY_DAY, Session.Kind.PARTY_LECTURE),
    "350600-D02-P4": (),
}
TOWN_SESSIONS = (
    # (unit code, kind, mode, days ago, topic)
    (ZHISHAN, Session.Kind.BROADCAST, Session.Mode.GROUP, 40, "集中收听收看全省基层治理工作会议"),
    (ZHISHAN, Session.Kind.SEMINAR, Session.Mode.LEADER, 25, "网格化服务管理专题研讨"),
    (ZHISHAN, Session.Kind.READING_CLASS, Session.Mode.SELF, 12, "“书香机关”读书班"),
    ("350602002000", Session.Kind.LIFE_MEETING, Session.Mode.GROUP, 30, "专题组织生活会"),
)


def _held(actor: Actor, unit: Unit, *, kind, mode, held_on, topic, extra, now, place=""):
    """One session, recorded the evening it was held (never after now), attended by every
    member of the unit."""
    evening = timezone.make_aware(datetime.combine(held_on, time(18)))
    members = tuple(queries.unit_members(unit))
    return actions.record_session(
        data=actions.SessionData(
            unit=unit,
            kind=kind,
            mode=mode,
            held_on=held_on,
            topic=topic,
            place=place or f"{unit.name}会议室",
            attendees=members,
            extra_attendees=extra,
            minutes=f"围绕“{topic}”开展学习，与会人员结合工作实际交流发言。",
        ),
        actor=actor,
        now=min(evening, now - timedelta(minutes=5)),
    )


@transaction.atomic
def load_demo_study(*, seed: int = 2021) -> int:
    """The city's 理论学习中心组 studied 15 times over the months before today across the 五学
    modes; the party branches did some of 三个一 this year; a few street sessions."""
    if StudySession.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    city = Unit.objects.get(parent=None)
    office = _issuer(by_county=False)
    modes = list(Session.Mode.values)
    for n, topic in enumerate(CENTRAL_GROUP_TOPICS):
        _held(
            office,
            city,
            kind=Session.Kind.CENTRAL_GROUP,
            mode=modes[n % len(modes)],
            held_on=today - timedelta(days=300 - 20 * n),
            topic=topic,
            extra=rng.randint(15, 28),  # 中心组成员 without accounts here
            now=now,
            place="市委常委会议室",
        )
    first = date(today.year, 1, 1)
    for code, kinds in THREE_ONES_DONE.items():
        branch = Unit.objects.filter(code=code).first()
        if branch is None:
            continue
        for n, kind in enumerate(kinds):
            held_on = max(first, today - timedelta(days=rng.randint(20, 200) + 30 * n))
            if held_on >= today:
                continue  # the first days of a year: nothing done yet
            _held(
                clerk_for(branch),
                branch,
                kind=kind,
                mode=Session.Mode.GROUP,
                held_on=held_on,
                topic=f"{branch.name}{Session.Kind(kind).label}",
                extra=rng.randint(8, 30),
                now=now,
            )
    for code, kind, mode, ago, topic in TOWN_SESSIONS:
        unit = Unit.objects.get(code=code)
        _held(
            clerk_for(unit),
            unit,
            kind=kind,
            mode=mode,
            held_on=today - timedelta(days=ago),
            topic=topic,
            extra=rng.randint(10, 40),
            now=now,
        )
    return StudySession.objects.count()


def study_summary() -> str:
    made = load_demo_study()
    if not made:
        return f"已有 {StudySession.objects.count()} 场学习活动，未重复载入"
    return f"学习活动 {made} 场（市委理论学习中心组、党支部“三个一”、街道学习）"


# --- 巡回指导 and 整改 --------------------------------------------------------------------------

GROUP_NAMES = ("第一", "第二", "第三", "第四", "第五", "第六", "第七", "第八")
# Each group: a leader and two members (the demo login `guide` is the first group's member).
GROUP_PEOPLE = [
    (f"guide{n}_{k}", SURNAMES[(3 * n + k) % len(SURNAMES)] + GIVEN[(5 * n + 2 * k) % len(GIVEN)])
    for n in range(1, 9)
    for k in range(3)
]
FINDINGS = (
    "“我为群众办实事”项目台账更新不及时，部分项目进度与实际不符。",
    "专题组织生活会检视问题不够具体，整改措施针对性不强。",
    "群众诉求回访记录不完整，个别诉求未回访即办结。",
    "学习教育存在“上热下冷”，基层党支部学习记录简单。",
    "为民办实事清单公示不到位，群众知晓率不高。",
    "个别村（社区）便民服务站点开放时间与公示不一致。",
    "整改台账销号依据不充分，缺少佐证材料。",
    "老旧小区改造项目群众意见收集不充分。",
)
MEASURES = (
    "逐项核对台账，按月更新进度并附佐证材料。",
    "重新梳理检视问题，制定具体整改措施并明确责任人和时限。",
    "对已办结诉求逐件回访，补齐回访记录。",
    "完善学习记录，开展一次专题学习并形成交流材料。",
)


def _guide(username: str, name: str, group: str, city: Unit) -> Person:
    person = Person.objects.filter(username=username).first()
    if person is None:
        person = create_person(
            actor=None,
            username=username,
            name=name,
            phone="",
            title=f"{group}巡回指导组成员",
            password="",
            password_hash=demo_hash(),
            unit=city,
            role=Role.GUIDANCE_MEMBER,
        )
    return person


@transaction.atomic
def load_demo_guidance(*, seed: int = 2021) -> int:
    """8 groups guide the counties, zones and city departments over 3 rounds: every unit
    covered in the first round, two missed in the second, the third under way; some findings
    became 整改 items — closed on time or late, sent back, waiting for 销号, overdue, open —
    and 西桥街道's 专题组织生活会 one raised by 芗城区."""
    if GuidanceGroup.objects.exists():
        return 0
    rng = random.Random(seed)
    now = timezone.now()
    today = timezone.localdate(now)
    city = Unit.objects.get(parent=None)
    office = _issuer(by_county=False)
    units = list(
        Unit.objects.filter(parent=city, active=True)
        .exclude(kind__in=PARTY)
        .exclude(code__endswith="-D00")  # the campaign office guides, it is not guided
        .exclude(code__endswith="-D01")
        .order_by("path")
    )
    groups = []
    for n, label in enumerate(GROUP_NAMES):
        people = [
            _guide(username, name, label, city)
            for username, name in GROUP_PEOPLE[3 * n : 3 * n + 3]
        ]
        if n == 0 and (demo_guide := Person.objects.filter(username="guide").first()):
            people.append(demo_guide)
        groups.append(
            actions.save_group(
                data=actions.GroupData(
                    name=f"{label}巡回指导组",
                    leader=people[0],
                    members=tuple(people[1:]),
                    units=tuple(units[n :: len(GROUP_NAMES)]),
                ),
                actor=office,
                now=now - timedelta(days=160),
            )
        )
    rounds = [
        actions.add_round(
            starts=today - timedelta(days=start),
            ends=today - timedelta(days=start - length),
            actor=office,
            now=now - timedelta(days=160),
        )
        for start, length in ((150, 30), (90, 30), (14, 30))
    ]
    missed = {units[3].pk, units[-2].pk}  # two units round 2 never reached
    for group in groups:
        member = Actor(
            person=group.leader, membership=group.leader.memberships.select_related("unit").first()
        )
        for row in group.assigned.select_related("unit"):
            for number, rnd in enumerate(rounds, start=1):
                if number == 2 and row.unit_id in missed:
                    continue
                day = rnd.starts + timedelta(days=rng.randint(1, 27))
                if day >= today or (number == 3 and rng.random() < 0.5):
                    continue  # the third round is under way: about half visited so far
                visit = actions.record_visit(
                    data=actions.VisitData(
                        group=group,
                        unit=row.unit,
                        visited_on=day,
                        methods=tuple(rng.sample(list(Visit.Method.values), rng.randint(2, 4))),
                        findings=rng.choice(FINDINGS),
                    ),
                    actor=member,
                    now=_evening(day, now),
                )
                if rng.random() < 0.45:
                    _rectify(rng, visit, member, now=now)
    _life_meeting_item(now)
    actions.sweep_rectifications(now=now)
    return Visit.objects.count()


def _evening(day: date, now: datetime) -> datetime:
    return min(timezone.make_aware(datetime.combine(day, time(18))), now - timedelta(minutes=5))


# What happens to an item, with its weight.
ITEM_OUTCOMES = (
    ("closed", 40), ("closed_late", 10), ("returned", 10), ("reported", 15), ("open", 25),
)  # fmt: skip


def _rectify(rng, visit: Visit, member: Actor, *, now: datetime) -> None:
    raised_at = _evening(visit.visited_on, now) + timedelta(minutes=2)
    item = actions.raise_rectification(
        data=actions.RectificationData(
            unit=visit.unit,
            problem=visit.findings,
            measures=rng.choice(MEASURES),
            days=rng.choice((10, 15, 20)),
            visit=visit,
        ),
        actor=member,
        now=raised_at,
    )
    outcome = rng.choices([o for o, _ in ITEM_OUTCOMES], weights=[w for _, w in ITEM_OUTCOMES])[0]
    if outcome == "open":
        return
    clerk = clerk_for(item.unit)
    due = timezone.make_aware(datetime.combine(item.due, time(10)))
    asked = (
        due + timedelta(days=rng.randint(2, 8))
        if outcome == "closed_late"
        else raised_at + (due - raised_at) * rng.uniform(0.3, 0.9)
    )
    asked = timezone.localtime(asked).replace(hour=rng.randint(9, 17))  # office hours
    if asked > now - timedelta(hours=3):
        return
    midway = timezone.localtime(raised_at + (asked - raised_at) / 2).replace(hour=10, minute=20)
    actions.report_rectification(
        item=item,
        actor=clerk,
        progress=actions.Progress(text="正在逐项整改，已完成过半。"),
        now=min(max(midway, raised_at + timedelta(minutes=10)), asked - timedelta(minutes=10)),
    )
    actions.report_rectification(
        item=item,
        actor=clerk,
        progress=actions.Progress(
            text="已按要求整改到位，附整改台账。", files=_evidence(item.unit), done=True
        ),
        now=asked,
    )
    if outcome == "reported":
        return
    checked = min(asked + timedelta(hours=rng.randint(3, 48)), now - timedelta(hours=2))
    if outcome == "returned":
        actions.return_rectification(
            item=item, actor=member, reason="佐证材料不足，缺少整改前后对比照片", now=checked
        )
        return
    actions.close_rectification(item=item, actor=member, now=checked)


def _life_meeting_item(now: datetime) -> None:
    """芗城区 raises one item from 西桥街道's 专题组织生活会 (recorded by the study demo)."""
    meeting = StudySession.objects.filter(
        unit__code="350602002000", kind=StudySession.Kind.LIFE_MEETING
    ).first()
    county = staff_of(Unit.objects.get(code=XIANGCHENG), Role.UNIT_LEADER)
    if meeting is None or county is None:
        return
    actions.raise_rectification(
        data=actions.RectificationData(
            unit=meeting.unit,
            problem="专题组织生活会查摆问题：联系服务群众不够经常，网格员入户走访记录不全。",
            measures="建立网格员入户走访台账，每月通报走访情况。",
            days=15,
            session=meeting,
        ),
        actor=county,
        now=_evening(meeting.held_on, now) + timedelta(days=1),
    )


def guidance_summary() -> str:
    made = load_demo_guidance()
    if not made:
        return f"已有 {GuidanceGroup.objects.count()} 个巡回指导组，未重复载入"
    items = Rectification.objects.count()
    closed = Rectification.objects.filter(status=Rectification.Status.CLOSED).count()
    return (
        f"巡回指导组 {GuidanceGroup.objects.count()} 个、{GuidanceRound.objects.count()} 轮，"
        f"指导 {made} 次；整改事项 {items} 项，已销号 {closed} 项"
    )
