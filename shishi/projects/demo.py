"""Demo projects: a few hundred over all 8 areas and 4 levels, some made from demo appeals,
some imported through the ledger template, walked through the real actions into every state
with milestones, progress reports, evidence, objections and ratings."""

import io
import random
from datetime import datetime, time, timedelta
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from openpyxl import Workbook
from PIL import Image, ImageDraw

from shishi.appeals.models import Appeal
from shishi.appeals.models import Status as AppealStatus
from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.orgs.actions import create_person
from shishi.orgs.demo import demo_hash
from shishi.orgs.models import Membership, Person, Role, Unit
from shishi.projects import actions, ledger
from shishi.projects.models import (
    Area,
    Attachment,
    Cadence,
    Milestone,
    Project,
    ProjectLevel,
    ReportSlot,
    Source,
    Status,
)

DEMO_COUNT = 240
TITLES = {
    Area.DEVELOPMENT: [
        "{county}新能源汽车公共充电桩建设",
        "{town}5G基站补盲工程",
        "{county}分布式光伏整县推进试点",
        "{county}中小企业数字化转型服务",
    ],
    Area.RURAL: [
        "{town}农村饮水安全巩固提升工程",
        "{town}农村公路提级改造",
        "{town}水仙花产业示范基地提升",
        "{town}高标准农田建设",
        "{town}农村人居环境整治提升",
    ],
    Area.LIVING: [
        "{town}老旧小区改造",
        "{town}社区居家养老服务照料中心建设",
        "{county}“15分钟健身圈”建设",
        "{town}农贸市场提升改造",
        "{county}中小学课后延时服务扩面",
        "{town}背街小巷路灯补亮",
        "{county}新增公办幼儿园学位",
        "{town}公共厕所新建改造",
    ],
    Area.BUSINESS: [
        "{county}企业开办“一窗通办”",
        "{county}工程建设项目审批提速",
        "{county}涉企政策兑现“免申即享”",
        "{county}不动产登记“带押过户”",
    ],
    Area.TAIWAN: [
        "{county}台胞台企服务中心建设",
        "{county}台湾农民创业园基础设施提升",
        "{county}台胞就业创业实训基地",
    ],
    Area.DIGITAL: [
        "{county}政务服务“掌上办”提升",
        "{county}智慧停车平台建设",
        "{town}“智慧社区”平台建设",
        "{county}医保服务“一码通”",
    ],
    Area.ECOLOGY: [
        "{town}九龙江流域生态修复",
        "{town}农村生活污水治理",
        "{county}城区黑臭水体整治",
        "{town}裸露山体复绿",
    ],
    Area.GOVERNANCE: [
        "{town}网格化服务管理提升",
        "{town}矛盾纠纷多元化解中心建设",
        "{town}平安乡村视频监控补盲",
        "{town}“近邻党建”服务站建设",
    ],
}
# City departments that would lead a city-level project of each area.
LEAD_DEPARTMENTS = {
    Area.DEVELOPMENT: ["350600-D17", "350600-D18"],
    Area.RURAL: ["350600-D11", "350600-D15"],
    Area.LIVING: ["350600-D02", "350600-D10", "350600-D05", "350600-D09"],
    Area.BUSINESS: ["350600-D17", "350600-D12", "350600-D07", "350600-D19"],
    Area.TAIWAN: ["350600-D22"],
    Area.DIGITAL: ["350600-D23", "350600-D18"],
    Area.ECOLOGY: ["350600-D03", "350600-D15", "350600-D14"],
    Area.GOVERNANCE: ["350600-D16", "350600-D10", "350600-D21"],
}
LEADER_SURNAMES = "陈林黄张李王吴刘蔡杨郑许谢洪郭曾邱赖周叶"
LEADER_GIVEN = [
    "建国", "志强", "海峰", "春梅", "丽华", "文斌", "国栋", "明辉", "晓东", "永福",
    "振华", "秀英", "德明", "俊杰", "玉兰", "立新", "红梅", "家豪", "清泉", "美玲",
]  # fmt: skip


def _leader(rng, level: str, lead: Unit) -> str:
    """The responsible leader, with the post a unit of that level has: a vice mayor for the
    city, a deputy head of a district or county, the head of a town or street, a village or
    community secretary."""
    name = rng.choice(LEADER_SURNAMES) + rng.choice(LEADER_GIVEN)
    if level == ProjectLevel.CITY:
        post = "副市长"
    elif level == ProjectLevel.COUNTY:
        post = (
            "副区长"
            if lead.name.endswith("区")
            else "副县长"
            if lead.name.endswith("县")
            else "副市长"
        )
    elif level == ProjectLevel.TOWN:
        post = (
            "街道办事处主任"
            if lead.kind == "street"
            else "乡长"
            if lead.name.endswith("乡")
            else "镇长"
        )
    else:
        post = "社区党委书记" if lead.name.endswith("社区") else "村党支部书记"
    return f"{post} {name}"


STATES = [
    (Status.DRAFT, 4),
    (Status.SUBMITTED, 4),
    (Status.APPROVED, 4),
    (Status.DISCLOSED, 8),
    (Status.IN_PROGRESS, 38),
    (Status.COMPLETED, 10),
    (Status.ACCEPTED, 12),
    (Status.EVALUATED, 12),
    (Status.SUSPENDED, 4),
    (Status.CANCELLED, 4),
]
WORK = ["场地清表", "基础施工", "主体施工", "设备安装", "配套工程"]
COMMENTS = [
    "路修好了，出行方便多了，点赞！",
    "办了实事，群众满意。",
    "效果不错，希望继续保持。",
    "工期有点长，但结果还可以。",
    "希望后续管护跟上。",
    "老人们很高兴，谢谢政府。",
]


def _actor(unit: Unit, roles=(Role.UNIT_CLERK, Role.UNIT_LEADER)) -> Actor | None:
    membership = (
        Membership.objects.filter(unit=unit, role__in=roles)
        .select_related("person", "unit")
        .order_by("role")
        .first()
    )
    return Actor(person=membership.person, membership=membership) if membership else None


def _photo(label: str, colour: tuple[int, int, int]) -> SimpleUploadedFile:
    image = Image.new("RGB", (480, 320), colour)
    draw = ImageDraw.Draw(image)
    draw.rectangle([20, 20, 460, 300], outline=(255, 255, 255), width=6)
    buffer = io.BytesIO()
    image.save(buffer, "JPEG", quality=70)
    return SimpleUploadedFile(f"{label}.jpg", buffer.getvalue(), content_type="image/jpeg")


def _at(day, hour: int = 10) -> datetime:
    return timezone.make_aware(datetime.combine(day, time(hour)))


def load_demo_projects(*, count: int = DEMO_COUNT, seed: int = 2021) -> int:
    if Project.objects.exists():
        return 0
    rng = random.Random(seed)
    city = Unit.objects.get(depth=0)
    admin = _actor(city, roles=(Role.CITY_ADMIN,))
    towns = list(Unit.objects.filter(depth=2, kind__in=["town", "street"]).order_by("code"))
    villages = list(Unit.objects.filter(kind="village").order_by("code"))
    zhishan = next((t for t in towns if t.code == "350602007000"), None)
    departments = {u.code: u for u in Unit.objects.filter(parent=city, kind="department")}
    now = timezone.now()
    with transaction.atomic():
        imported = _import_some(rng, admin=admin, towns=towns, now=now - timedelta(days=200))
        made = []
        appeals = list(
            Appeal.objects.filter(
                status=AppealStatus.CLOSED, kind__in=["complaint", "suggestion"]
            ).order_by("pk")[:12]
        )
        for n in range(count - len(imported)):
            level = rng.choices(list(ProjectLevel), [2, 3, 4, 1])[0]
            # The demo logins' town (芝山街道) gets its share of the ledger.
            town = zhishan if zhishan and n % 6 == 0 else rng.choice(towns)
            county = town.parent
            own_villages = [v for v in villages if v.parent_id == town.pk]
            if level == ProjectLevel.VILLAGE and not own_villages:
                level = ProjectLevel.TOWN
            area = rng.choice(list(Area))
            fitting = [departments[c] for c in LEAD_DEPARTMENTS[area] if c in departments]
            lead = {
                ProjectLevel.CITY: rng.choice(fitting) if fitting else city,
                ProjectLevel.COUNTY: county,
                ProjectLevel.TOWN: town,
                ProjectLevel.VILLAGE: rng.choice(own_villages) if own_villages else town,
            }[level]
            # A city-wide project is named for the whole city, not for one town.
            names = (
                {"county": "全市", "town": "全市"}
                if level == ProjectLevel.CITY
                else {"county": county.name, "town": town.name}
            )
            title = rng.choice(TITLES[area]).format(**names)
            target = rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]
            finished = target in (Status.COMPLETED, Status.ACCEPTED, Status.EVALUATED)
            # Finished projects were planned long enough ago to be finished by now.
            created = now - timedelta(
                days=rng.randint(260, 380) if finished else rng.randint(20, 300)
            )
            start = timezone.localdate(created) + timedelta(days=rng.randint(10, 30))
            data = actions.ProjectData(
                title=title,
                area=area,
                level=level,
                source=rng.choice(list(Source)),
                lead_unit=lead,
                leader=_leader(rng, level, lead),
                planned_start=start,
                planned_end=start
                + timedelta(days=rng.choice([90, 120, 180] if finished else [90, 120, 180, 240])),
                targets=f"完成{title}，惠及群众约{rng.randint(1, 50) * 100}人，"
                "年底前全面完工并投入使用。",
                budget=Decimal(rng.randint(5, 3000)) + Decimal(rng.randint(0, 99)) / 100,
                beneficiaries=rng.randint(1, 50) * 100,
                place="漳州市" if level == ProjectLevel.CITY else f"{county.name}{town.name}",
                cadence=rng.choice([Cadence.MONTHLY, Cadence.MONTHLY, Cadence.WEEKLY]),
                description=f"聚焦群众反映集中的问题，实施{title}。",
            )
            linked = [appeals.pop()] if appeals and n % 7 == 0 else []
            if linked:
                data.source = Source.HOTSPOT
            project = actions.create_project(
                actor=_actor(lead) or admin, data=data, now=created, appeals=linked
            )
            made.append((project, target))
        made += [
            (p, rng.choices([s for s, _ in STATES], [w for _, w in STATES])[0]) for p in imported
        ]
        for project, target in made:
            try:
                _walk(rng, project, target=target, admin=admin, now=now)
            except Refused:
                continue
        actions.open_slots(today=timezone.localdate(now))
        actions.sweep_supervision(now=now)
        actions.close_evaluations(now=now)
    return Project.objects.count()


def _import_some(rng, *, admin: Actor, towns: list[Unit], now: datetime) -> list[Project]:
    """Forty projects arrive the way units hand them in: the ledger workbook."""
    data = ledger_workbook(rng, towns=towns, count=40, now=now)
    ledger.import_ledger(actor=admin, data=data, now=now)
    return list(Project.objects.order_by("pk"))


def ledger_workbook(rng, *, towns: list[Unit], count: int, now: datetime) -> bytes:
    """A ledger workbook of `count` new town projects (the demo's and `shishi seed-scale`'s)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(ledger.SHEET)
    sheet.append(ledger.HEADERS)
    for _ in range(count):
        town = rng.choice(towns)
        area = rng.choice(list(Area))
        start = timezone.localdate(now) + timedelta(days=rng.randint(5, 20))
        sheet.append(
            [
                "",
                rng.choice(TITLES[area]).format(county=town.parent.name, town=town.name),
                area.label,
                ProjectLevel.TOWN.label,
                Source.PUBLIC.label,
                town.code,
                "",
                _leader(rng, ProjectLevel.TOWN, town),
                start,
                start + timedelta(days=150),
                "按计划完成建设任务并投入使用",
                rng.randint(10, 500),
                rng.randint(100, 5000),
                f"{town.parent.name}{town.name}",
                "月报",
                "由乡镇（街道）报送，经县级汇总导入。",
            ]
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _walk(rng, project: Project, *, target: str, admin: Actor, now: datetime) -> None:
    lead = _actor(project.lead_unit) or Actor(
        person=admin.person,
        membership=Membership(person=admin.person, unit=project.lead_unit, role=Role.UNIT_LEADER),
    )
    clock = project.created_at + timedelta(hours=2)
    span = (project.planned_end - project.planned_start).days
    if not project.milestones.exists() or project.milestones.count() == 1:
        Milestone.objects.filter(project=project).delete()
        steps = ["完成方案设计和审批", "开工建设", "主体工程完工", "竣工验收并投入使用"]
        for index, title in enumerate(steps, start=1):
            actions.add_milestone(
                actor=lead,
                project=project,
                title=title,
                weight=[1, 2, 4, 3][index - 1],
                now=clock,
                due=project.planned_start + timedelta(days=span * index // 4),
            )
    order = [s for s, _ in STATES]
    if target == Status.DRAFT:
        return
    actions.submit_project(actor=lead, project=project, now=clock)
    if target == Status.SUBMITTED:
        return
    clock += timedelta(days=2)
    actions.review_project(actor=admin, project=project, approve=True, note="同意实施", now=clock)
    if target == Status.APPROVED:
        return
    clock += timedelta(days=1)
    if target == Status.DISCLOSED:
        clock = now - timedelta(days=rng.randint(0, 3))
    actions.disclose_project(actor=lead, project=project, now=clock)
    project.refresh_from_db()
    if rng.random() < 0.2:
        objection = actions.file_objection(
            project=project,
            phone=f"137{rng.randint(10000000, 99999999)}",
            content="建议施工期间做好围挡和交通疏导，减少对周边居民出行的影响。",
            now=clock,
        )
        if target != Status.DISCLOSED:
            actions.answer_objection(
                actor=lead,
                objection=objection,
                now=clock + timedelta(hours=5),
                answer="感谢您的建议。施工期间我们将设置规范围挡，安排专人疏导交通，"
                "夜间不安排高噪音作业。",
            )
    if target == Status.DISCLOSED:
        return
    clock = _at(project.disclosure_until + timedelta(days=1))
    if clock > now:
        return
    actions.start_project(actor=lead, project=project, now=clock)
    if target == Status.CANCELLED:
        actions.request_status(
            actor=lead,
            project=project,
            to=Status.CANCELLED,
            now=clock,
            reason="选址涉及规划调整，项目无法按原方案实施",
        )
        actions.decide_status(
            actor=admin,
            project=project,
            approve=True,
            note="同意取消",
            now=min(clock + timedelta(days=1), now),
        )
        return
    finish = order.index(target) >= order.index(Status.COMPLETED)
    if not finish:
        end = min(now, _at(project.planned_end))
    elif target == Status.EVALUATED:  # accepted long enough ago for the rating window to end
        end = min(now - timedelta(days=40), _at(project.planned_end))
    else:  # finished in the last days: completion and acceptance still fresh
        end = now - timedelta(days=rng.randint(3, 9))
    _report_until(rng, project, lead=lead, start=clock, end=end, skip=0.0 if finish else 0.12)
    milestones = list(project.milestones.order_by("due"))
    for milestone in milestones:
        done_at = _at(milestone.due) + timedelta(days=rng.choice([-3, -1, 0, 2, 6]))
        if done_at <= end or finish:
            actions.complete_milestone(
                actor=lead, milestone=milestone, now=min(max(done_at, clock), end)
            )
    if target == Status.SUSPENDED:
        actions.request_status(
            actor=lead,
            project=project,
            to=Status.SUSPENDED,
            now=end,
            reason="受台风影响，施工场地需重新勘测，暂停施工",
        )
        actions.decide_status(
            actor=admin,
            project=project,
            approve=True,
            note="同意暂停",
            now=min(end + timedelta(hours=4), now),
        )
        return
    if not finish:
        return
    actions.complete_project(
        actor=lead,
        project=project,
        now=end,
        note="项目已按计划完成",
        evidence=[
            (Attachment.Kind.BEFORE, _photo("before", (150, 120, 100))),
            (Attachment.Kind.AFTER, _photo("after", (70, 150, 90))),
        ],
    )
    for _ in range(rng.randint(0, 6)):
        actions.rate_project(
            project=project,
            phone=f"135{rng.randint(10000000, 99999999)}",
            stars=rng.choices([5, 4, 3, 2], [6, 3, 1, 0.3])[0],
            comment=rng.choice(COMMENTS) if rng.random() < 0.7 else "",
            now=min(end + timedelta(hours=rng.randint(2, 100)), now),
        )
    if target == Status.COMPLETED:
        return
    accepted_at = end + timedelta(days=2)
    actions.accept_project(
        actor=admin, project=project, approve=True, note="经现场验收，符合要求", now=accepted_at
    )
    for rating in project.ratings.exclude(comment=""):
        actions.moderate_rating(actor=admin, rating=rating, show=True, now=accepted_at)


def _reviewer(unit: Unit) -> Actor | None:
    """The lead unit's leader, who approves its progress reports (nothing of a report is
    public before): where the unit has none, a demo account `leader_<unit code>`."""
    leader = _actor(unit, roles=(Role.UNIT_LEADER,))
    if leader is not None:
        return leader
    number = Person.objects.filter(username__startswith="leader_").count()
    surnames = len(LEADER_SURNAMES)
    create_person(
        actor=None,
        username=f"leader_{unit.code}",
        name=LEADER_SURNAMES[number % surnames]
        + LEADER_GIVEN[(number + number // surnames) % len(LEADER_GIVEN)],
        phone="",
        title=f"{unit.name}负责人",
        password="",
        password_hash=demo_hash(),
        unit=unit,
        role=Role.UNIT_LEADER,
    )
    return _actor(unit, roles=(Role.UNIT_LEADER,))


def _report_until(
    rng, project: Project, *, lead: Actor, start: datetime, end: datetime, skip: float
) -> None:
    """File the reports due between `start` and `end` (a few left missing on purpose)."""
    day = timezone.localdate(start)
    last = timezone.localdate(end)
    percent = 0
    leader = _reviewer(project.lead_unit)
    while day <= last:
        slot = actions.ensure_slot(project=project, today=day)
        # The reported share of the works follows the time elapsed in the plan (never 100%
        # before completion is declared).
        span = max((project.planned_end - project.planned_start).days, 1)
        elapsed = (slot.due - project.planned_start).days / span
        percent = max(percent, min(95, max(5, round(elapsed * 100) + rng.randint(-5, 5))))
        filed = _at(slot.due) - timedelta(days=rng.choice([0, 1, 2, -2]))
        if filed <= end and rng.random() >= skip:
            report = actions.file_report(
                actor=lead,
                project=project,
                slot=slot,
                percent=percent,
                now=max(filed, start),
                text=f"本期按计划推进{project.title}，完成{rng.choice(WORK)}"
                f"等工作，累计完成投资约{percent}%。",
                problems=rng.choice(["", "", "雨季施工进度受一定影响", "部分材料到货延迟"]),
                next_steps="加快施工进度，确保按期完成下一节点。",
            )
            # Leaders review within days; the last weeks' reports may still wait (待我审核).
            if leader and (filed < end - timedelta(days=20) or rng.random() < 0.5):
                actions.review_report(
                    actor=leader,
                    report=report,
                    approve=True,
                    note="",
                    now=min(max(filed, start) + timedelta(hours=6), end),
                )
        if project.cadence == Cadence.WEEKLY:
            day = slot.period_start + timedelta(days=7)
        else:
            day = (slot.period_start + timedelta(days=32)).replace(day=1)
    ReportSlot.objects.filter(project=project, report__isnull=True, due__gt=last).delete()


def demo_summary() -> str:
    made = load_demo_projects()
    if not made:
        return f"已有 {Project.objects.count()} 个项目，未重复载入"
    return f"载入 {made} 个实事项目（其中40个经项目清单模板导入），含节点、进度报告和群众评价"
