"""The demo city's directives, walked through the real actions: every party organisation
holds its 专题组织生活会, every unit watched the 庆祝大会 together, and 芗城区 has just deployed a
回头看 to its towns — some done on time, some late, some returned and done again, some waiting
for review, some not yet (and on the ladder). Study sessions: the city's 理论学习中心组, the
party branches' 三个一 (some done, some not yet) and a few street sessions."""

import random
from datetime import date, datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import actions, queries
from shishi.campaign.models import Assignment, Directive, StudySession
from shishi.orgs.access import Actor
from shishi.orgs.demo import XIANGCHENG, ZHISHAN, clerk_for, staff_of
from shishi.orgs.models import Role, Unit

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
