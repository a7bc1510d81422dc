"""The demo city's directives, walked through the real actions: every party organisation
holds its 专题组织生活会, every unit watched the 庆祝大会 together, and 芗城区 has just deployed a
回头看 to its towns — some done on time, some late, some returned and done again, some waiting
for review, some not yet (and on the ladder)."""

import random
from datetime import datetime, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import actions
from shishi.campaign.models import Assignment, Directive
from shishi.orgs.access import Actor
from shishi.orgs.demo import XIANGCHENG, clerk_for, staff_of
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
