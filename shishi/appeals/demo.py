"""Demo appeals for the demo city: the real taxonomy and a few hundred appeals in every state.

Generated deterministically (seeded) by walking each appeal through the real actions with a
clock set in the past, so timelines, deadlines, supervision and metrics are all genuine.
"""

import csv
import random
from datetime import datetime, time, timedelta
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from shishi.appeals import actions
from shishi.appeals.demo_texts import APPEAL_TEXTS, PLACES
from shishi.appeals.models import Appeal, Category, Channel, Kind, Reply, Verdict
from shishi.core import workdays
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import Actor
from shishi.orgs.demo import XIANGCHENG, ZHISHAN, clerk_for, staff_of
from shishi.orgs.models import Role, Unit

TAXONOMY_CSV = Path(__file__).parent / "fixtures" / "appeal_taxonomy.csv"
KIND_BY_LABEL = {label: value for value, label in Kind.choices}
# Categories whose nature calls for faster handling than their kind's default.
URGENT = {
    "城乡建设/安全生产/安全隐患": {"handle_days": 3},
    "城乡建设/安全生产/事故处理": {"handle_days": 2},
    "城乡建设/城市建设和市政管理/燃气供应": {"handle_days": 3},
    "城乡建设/城市建设和市政管理/自来水供应": {"handle_days": 3},
    "城乡建设/城市建设和市政管理/电力供应": {"handle_days": 3},
    "劳动和社会保障/劳动关系": {"handle_days": 10},
}
DEMO_COUNT = 420
# Replies name the appeal they answer, so every demo timeline reads true.
REPLIES = {
    "solved": [
        "您好！您反映的“{title}”问题，{unit}已安排专人现场核实，协调责任单位于近日处理完毕，"
        "今后将加强日常巡查，感谢您的监督。",
        "经{unit}核查，您反映的“{title}”情况属实，现已整改到位，并已电话告知您处理结果。",
        "您好！关于“{title}”，{unit}会同相关部门现场办公，问题已解决。如仍有问题，欢迎再次反映。",
    ],
    "partly": [
        "您反映的“{title}”问题，{unit}已完成临时处置，彻底解决需纳入下一阶段项目统筹实施，"
        "我们将持续跟进并及时告知进展。",
        "经{unit}协调，“{title}”问题已部分解决，剩余事项涉及多个部门，正在推动中。",
    ],
    "explained": [
        "您好！关于您咨询的“{title}”，{unit}已电话向您详细解释相关政策和办理流程，"
        "并告知了办理地点和所需材料。",
        "经{unit}核实，“{title}”相关情况已向您说明，相关做法符合现行规定，感谢您的理解。",
    ],
    "unsolvable": [
        "您反映的“{title}”问题，经{unit}核查，涉及历史遗留问题，暂不具备解决条件，"
        "已向您说明原因并做好解释工作。",
    ],
}


def _reply_text(rng, kind: str, appeal, unit_name: str) -> str:
    return rng.choice(REPLIES[kind]).format(title=appeal.title, unit=unit_name)


def load_taxonomy() -> int:
    with TAXONOMY_CSV.open(encoding="utf-8-sig") as handle:
        rows = [tuple(row) for row in csv.reader(handle)][1:]
    return actions.import_categories(rows=rows, deadlines=URGENT)


# Some people call again and again (常访户): one report in eleven comes from one of these, so
# 同号码历史诉求 has something to show. The random number is drawn all the same, so the rest
# of the demo does not change.
REGULAR_CALLERS = ("13906961234", "13859612345", "18959623456", "13599634567", "15880654321")


def _caller(n: int, drawn: str) -> str:
    return REGULAR_CALLERS[(n // 11) % len(REGULAR_CALLERS)] if n % 11 == 3 else drawn


def load_demo_appeals(*, count: int = DEMO_COUNT, seed: int = 20261128) -> int:
    """Create `count` appeals (once: does nothing when appeals exist)."""
    if Appeal.objects.exists():
        return 0
    load_taxonomy()
    rng = random.Random(seed)
    city = Unit.objects.get(depth=0)
    operator = staff_of(city, Role.OPERATOR)
    counties = list(Unit.objects.filter(depth=1, kind__in=["county", "district"]).order_by("code"))
    towns = {
        c.pk: list(Unit.objects.filter(parent=c, kind__in=["town", "street"]).order_by("code"))
        for c in counties
    }
    departments = list(Unit.objects.filter(parent=city, kind="department").order_by("code")[2:])
    categories = {c.full_name: c for c in Category.objects.filter(level=3)}
    now = timezone.now()
    created = 0
    with transaction.atomic():
        for n in range(count):
            text = rng.choice(APPEAL_TEXTS)
            county = rng.choice(counties)
            town = rng.choice(towns[county.pk]) if towns[county.pk] else None
            if rng.random() < 0.15:  # the demo logins' own town gets a fair share of work
                county = next(c for c in counties if c.code == XIANGCHENG)
                town = next(t for t in towns[county.pk] if t.code == ZHISHAN)
            place = rng.choice(PLACES)
            received = now - timedelta(
                days=rng.choices(
                    [rng.randint(0, 6), rng.randint(7, 30), rng.randint(31, 75)], [3, 4, 3]
                )[0],
                minutes=rng.randint(0, 600),
            )
            received = received.replace(hour=rng.randint(8, 20))
            if received > now:
                received = now - timedelta(minutes=n + 1)
            category = categories.get(f"{text.top}/{text.second}/{text.third}")
            if category is None:
                continue
            fill = {
                "town": town.name if town else county.name,
                "county": county.name,
                "place": place,
            }
            submission = actions.Submission(
                channel=rng.choices(
                    [Channel.OPERATOR, Channel.WEB, Channel.API, Channel.ENTERPRISE], [6, 3, 1, 0]
                )[0]
                if not text.enterprise
                else Channel.ENTERPRISE,
                kind=KIND_BY_LABEL[text.kind],
                category=category,
                title=text.title.format(**fill)[:30],
                content=text.content.format(**fill),
                place=f"{county.name}{town.name if town else ''}{place}",
                county=county,
                town=town,
                reporter_name=rng.choice(
                    [
                        "",
                        "陈先生",
                        "林女士",
                        "黄先生",
                        "张女士",
                        "王先生",
                        "李女士",
                        "郑先生",
                        "吴女士",
                    ]
                ),
                reporter_phone=_caller(
                    n, f"1{rng.choice('3589')}{rng.randint(100000000, 999999999)}"
                ),
                enterprise_name=rng.choice(
                    [
                        "漳州鑫达食品有限公司",
                        "福建闽南花卉科技有限公司",
                        "漳州台商投资区某精密机械公司",
                        "龙海区某水产加工厂",
                    ]
                )
                if text.enterprise
                else "",
            )
            _walk(
                rng,
                submission=submission,
                received=received,
                now=now,
                operator=operator,
                county=county,
                town=town,
                departments=departments,
            )
            created += 1
        _side_paths(rng, now=now, operator=operator)
        actions.sweep_supervision(now=now)
        actions.sweep_dispatch(now=now)
        actions.close_unevaluated(now=now)
    return created


def _walk(rng, *, submission, received, now, operator, county, town, departments) -> None:
    """Take one appeal as far along the loop as its age and a roll of the dice allow."""
    city = operator.unit
    direct = (
        submission.channel == Channel.OPERATOR
        and submission.kind == Kind.CONSULT
        and rng.random() < 0.5
    )
    appeal, _ = actions.submit_appeal(
        submission=submission,
        receiver=city,
        by=operator,
        now=received,
        direct_reply=f"您好！关于您咨询的“{submission.title}”，受理员已在电话中详细解答相关政策"
        "和办理流程，您表示清楚。"
        if direct
        else "",
    )
    if direct:
        _verdict(rng, appeal, operator, at=received + timedelta(hours=rng.randint(2, 30)), now=now)
        return
    clock = received + timedelta(minutes=rng.randint(10, 240))
    if clock > now or rng.random() < 0.04:
        return  # still waiting to be dispatched
    to_department = submission.enterprise_name or rng.random() < 0.25
    housing = [d for d in departments if d.code == "350600-D02"]
    if to_department and housing and rng.random() < 0.3:
        first = housing[0]  # 市住建局, where the demo's department logins work
    else:
        first = rng.choice(departments) if to_department and departments else county
    try:
        holder = clerk_for(first)  # every unit the demo sends work to has a clerk
        actions.dispatch_appeal(appeal=appeal, actor=operator, to_unit=first, now=clock)
        clock += timedelta(hours=rng.choice([1, 1, 2, 3, 4, 6, 20, 30, 50]))
        if first == county and town is not None and clock < now:
            if rng.random() < 0.08:  # the county sends it back once
                actions.return_appeal(
                    appeal=appeal,
                    actor=holder,
                    reason="不属于本单位职责范围，请重新派单",
                    now=clock,
                )
                clock += timedelta(hours=2)
                if clock > now:
                    return  # returned, not yet dispatched again (nothing dated after now)
                actions.dispatch_appeal(appeal=appeal, actor=operator, to_unit=county, now=clock)
                clock += timedelta(hours=3)
            if clock > now:
                return  # at the county, not yet passed on to the town
            town_clerk = clerk_for(town)
            actions.dispatch_appeal(appeal=appeal, actor=holder, to_unit=town, now=clock)
            holder = town_clerk
            clock += timedelta(hours=rng.choice([1, 2, 3, 4, 6, 22, 40]))
        if clock > now or rng.random() < 0.06:
            return  # waiting to be signed
        actions.sign_appeal(appeal=appeal, actor=holder, now=clock)
        appeal.refresh_from_db()
        span = workdays.workdays_between(timezone.localdate(clock), appeal.handle_due)
        late = rng.random() < 0.12
        reply_day = workdays.add_workdays(
            timezone.localdate(clock),
            max(1, span + (rng.randint(1, 4) if late else -rng.randint(0, max(span - 1, 0)))),
        )
        reply_at = timezone.make_aware(datetime.combine(reply_day, time(rng.randint(9, 17))))
        if reply_at > now or rng.random() < 0.05:
            return  # in hand (and possibly overdue)
        if rng.random() < 0.05:
            actions.request_extension(
                appeal=appeal,
                actor=holder,
                days=5,
                reason="涉及多部门协调，需延长办理时间",
                now=clock,
            )
        kind = rng.choices(["solved", "partly", "explained", "unsolvable"], [62, 14, 18, 6])[0]
        given_at = _reply(
            rng,
            appeal,
            holder,
            kind=kind,
            reason="涉及历史遗留问题，需纳入明年计划统筹解决" if kind == "unsolvable" else "",
            at=reply_at,
            now=now,
        )
        if given_at is None:
            return  # the draft waits for the unit leader (待我审核)
        _verdict(
            rng,
            appeal,
            operator,
            at=given_at + timedelta(hours=rng.randint(3, 60)),
            now=now,
            holder=holder,
        )
    except Refused:
        return


def _side_paths(rng, *, now, operator) -> None:
    """Give the demo its duplicates, invalid, withdrawn, returned and pending-review cases."""
    supervisor = staff_of(operator.unit, Role.SUPERVISOR)
    open_appeals = list(
        Appeal.objects.filter(status__in=["dispatched", "accepted"])
        # A draft reply waiting for the leader holds the appeal where it is (no return,
        # extension or merge): leave those to the approval demo.
        .exclude(replies__approval=Reply.Approval.PENDING)
        .select_related("holder")
        .order_by("pk")
    )
    rng.shuffle(open_appeals)
    for original in open_appeals[:6]:  # the same problem reported again, then merged
        copy = actions.Submission(
            channel=Channel.OPERATOR,
            kind=original.kind,
            category=original.category,
            title=original.title,
            content=original.content,
            place=original.place,
            county=original.county,
            town=original.town,
            reporter_name="",
            reporter_phone=f"13{rng.randint(100000000, 999999999)}",
        )
        # Within the last day, after the original, and never later than now (nothing in the
        # demo is dated in the future).
        at = max(original.received_at, now - timedelta(days=1)) + timedelta(minutes=10)
        at = min(at, now - timedelta(minutes=30))
        duplicate, _ = actions.submit_appeal(
            submission=copy, receiver=operator.unit, by=operator, now=at
        )
        actions.merge_appeal(
            duplicate=duplicate, primary=original, actor=operator, now=at + timedelta(minutes=20)
        )
    for appeal in open_appeals[6:9]:  # a holder asks for an extension, waiting for review
        if appeal.status == "accepted":
            actions.request_extension(
                appeal=appeal,
                actor=clerk_for(appeal.holder),
                days=5,
                reason="需协调供电、住建等多部门现场会商",
                now=now,
            )
    for appeal in open_appeals[9:12]:  # sent back by the unit: the operator must re-dispatch
        holder = clerk_for(appeal.holder)
        actions.return_appeal(
            appeal=appeal,
            actor=holder,
            reason="该事项属市直部门职责，建议改派市城市管理局",
            now=now - timedelta(hours=3),
        )
    received = list(Appeal.objects.filter(status="received").order_by("pk"))
    for appeal in received[:2]:  # nonsense calls, reviewed as invalid
        review = actions.request_invalid(
            appeal=appeal, actor=operator, reason="来电人反复拨打，无具体诉求内容", now=now
        )
        if supervisor:
            actions.decide_review(
                review=review, actor=supervisor, approve=True, note="经核实为无效来电", now=now
            )
    for appeal in received[2:4]:
        actions.withdraw_appeal(appeal=appeal, note="问题已自行解决", now=now)
    if supervisor:
        _supervision(supervisor, now=now)


def _supervision(supervisor: Actor, *, now) -> None:
    """The city office presses the most overdue appeals (after the morning's sweep): a 督办,
    a leader's 批示, a 约谈."""
    actions.sweep_supervision(now=now - timedelta(hours=6))
    late = list(
        Appeal.objects.overdue(timezone.localdate(now))
        .exclude(holder=supervisor.unit)
        .select_related("holder")
        .order_by("handle_due", "pk")[:3]
    )
    for appeal in late:
        actions.urge_appeal(
            appeal=appeal,
            actor=supervisor,
            level=Level.SUPERVISE,
            note="已超过办理期限，请于两个工作日内办结并书面说明超期原因",
            now=now - timedelta(hours=5),
        )
    if late:
        actions.instruct_appeal(
            appeal=late[0],
            actor=supervisor,
            leader="市委常委、常务副市长 林志远",
            text="群众反映多次仍未解决，请承办单位主要负责同志亲自督办，一周内解决到位",
            now=now - timedelta(hours=4),
        )
        actions.record_interview(
            appeal=late[0],
            actor=supervisor,
            held_on=timezone.localdate(now - timedelta(hours=3)),
            interviewees=f"{late[0].holder.name}主要负责同志",
            points="诉求超期未办结，群众多次来电。要求：立即整改，三日内答复群众，"
            "并在全市12345工作例会上作书面说明。",
            now=now - timedelta(hours=3),
        )


def _verdict(rng, appeal, operator, *, at, now, holder=None) -> None:
    if at > now:
        return
    appeal.refresh_from_db()
    roll = rng.random()
    verdict = (
        Verdict.SATISFIED
        if roll < 0.62
        else Verdict.BASIC
        if roll < 0.82
        else Verdict.UNSATISFIED
        if roll < 0.92
        else None
    )
    if verdict is None:
        return  # awaiting the callback (or will close as 未评价)
    # 问题是否解决, from the same roll: most 满意 are solved, a third of 基本满意 are not, and a
    # few 不满意 are solved yet still displeased (a share at the end of each band).
    solved = roll < 0.58 or 0.62 <= roll < 0.76 or roll >= 0.905
    actions.record_verdict(
        appeal=appeal,
        verdict=verdict,
        actor=operator,
        now=at,
        note="" if verdict != Verdict.UNSATISFIED else "问题没有根本解决",
        solved=solved,
    )
    if verdict == Verdict.UNSATISFIED and holder is not None:
        again = at + timedelta(days=rng.randint(2, 6))
        if again < now:
            given_at = _reply(rng, appeal, holder, kind="solved", reason="", at=again, now=now)
            if given_at is not None:
                _verdict(rng, appeal, operator, at=given_at + timedelta(hours=20), now=now)


def _reply(rng, appeal, holder, *, kind: str, reason: str, at, now) -> datetime | None:
    """The holder answers at `at`; where the unit's leader approves replies, the leader does
    a few hours later (now and then returning a draft first). When the citizen got the
    answer, or None while it still waits for the leader."""
    text = _reply_text(rng, kind, appeal, holder.unit.name)
    reply = actions.reply_appeal(
        appeal=appeal, actor=holder, kind=kind, text=text, reason=reason, now=at
    )
    if reply.approval != Reply.Approval.PENDING:
        return at
    leader = staff_of(holder.unit, Role.UNIT_LEADER)
    decided = at + timedelta(hours=rng.randint(1, 6))
    # A draft of the last two days may still wait for the leader (their 待我审核).
    if leader is None or decided > now or (now - at < timedelta(days=2) and rng.random() < 0.6):
        return None
    if rng.random() < 0.04:
        actions.approve_reply(
            appeal=appeal,
            actor=leader,
            approve=False,
            note="答复未写明具体整改时间和责任人，请补充后重新提交",
            now=decided,
        )
        at = decided + timedelta(hours=rng.randint(1, 4))
        actions.reply_appeal(
            appeal=appeal,
            actor=holder,
            kind=kind,
            text=f"{text}已明确由社区网格员负责跟进，本周内完成。",
            reason=reason,
            now=at,
        )
        decided = at + timedelta(hours=rng.randint(1, 4))
        if decided > now:
            return None
    actions.approve_reply(appeal=appeal, actor=leader, approve=True, note="", now=decided)
    return decided


def demo_summary() -> str:
    created = load_demo_appeals()
    total = Appeal.objects.count()
    if not created:
        return f"已有 {total} 件诉求，未重复载入"
    return (
        f"载入 {Category.objects.count()} 个分类、{created} 件演示诉求；"
        "各承办单位经办人账号为 clerk_<单位编码>（密码同上）"
    )
