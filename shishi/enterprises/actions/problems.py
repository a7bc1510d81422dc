"""企业诉求: an enterprise problem enters the appeal loop as a real appeal (channel 企业),
first received by the paired cadre's unit — the cadre is texted — or, with nobody paired,
by the enterprise's county. The enterprise follows it by the appeal's tracking code."""

from dataclasses import dataclass
from datetime import datetime

from django.db import transaction

from shishi.appeals.actions import Submission, submit_appeal
from shishi.appeals.models import Channel, Kind
from shishi.core.errors import Refused
from shishi.core.validators import credit_code_problem, normalise_credit_code
from shishi.enterprises import access, events, notifications
from shishi.enterprises.models import Enterprise, Pairing, Problem, Visit
from shishi.orgs.access import Actor

Verb = events.Verb


@dataclass(frozen=True)
class ProblemData:
    content: str
    kind: str = Kind.HELP  # appeals' Kind
    title: str = ""


def _check(data: ProblemData) -> None:
    if len(data.content.strip()) < 5:
        raise Refused("请把问题写清楚（至少5个字）")
    if data.kind not in Kind.values:
        raise Refused("请选择诉求类型")


def _raise(
    *,
    enterprise: Enterprise,
    data: ProblemData,
    source: str,
    actor: Actor | None,
    visit: Visit | None,
    now: datetime,
) -> Problem:
    pairing = (
        Pairing.objects.filter(enterprise=enterprise, ends_on__isnull=True)
        .select_related("cadre", "unit")
        .first()
    )
    receiver = pairing.unit if pairing is not None else enterprise.county
    appeal, _ = submit_appeal(
        submission=Submission(
            channel=Channel.ENTERPRISE,
            kind=data.kind,
            category=None,  # 待分类: the receiving unit classifies it
            content=data.content.strip(),
            title=data.title.strip(),
            reporter_phone=enterprise.contact_phone,
            reporter_name=enterprise.contact_name,
            enterprise_name=enterprise.name,
            county=enterprise.county,
            place=enterprise.address,
        ),
        receiver=receiver,
        by=actor,
        now=now,
    )
    problem = Problem.objects.create(
        appeal=appeal,
        enterprise=enterprise,
        pairing=pairing,
        visit=visit,
        source=source,
        raised_at=now,
    )
    events.record(
        enterprise,
        verb=Verb.PROBLEM_RAISED,
        now=now,
        actor=actor,
        unit=receiver,
        note=f"{Problem.Source(source).label}：{appeal.code}，由{receiver.name}受理",
    )
    notifications.problem_received(appeal, enterprise=enterprise, pairing=pairing)
    return problem


@transaction.atomic
def raise_problem(
    *,
    enterprise: Enterprise,
    data: ProblemData,
    actor: Actor,
    now: datetime,
    visit: Visit | None = None,
) -> Problem:
    """提出企业诉求 for an enterprise: from a visit by the cadre who made it, or by its
    current cadre or the office over it."""
    if visit is not None:
        if visit.enterprise_id != enterprise.pk:
            raise Refused("走访记录与企业不一致")
        if not access.may_raise_from(actor, visit):
            raise Refused("只有走访干部可以根据这次走访提出诉求")
    elif not access.may_raise_for(actor, enterprise):
        raise Refused("只有该企业的挂钩干部或挂钩办可以代企业提出诉求")
    _check(data)
    source = Problem.Source.VISIT if visit is not None else Problem.Source.STAFF
    return _raise(
        enterprise=enterprise, data=data, source=source, actor=actor, visit=visit, now=now
    )


def find_enterprise(*, credit_code: str, phone: str) -> Enterprise:
    """The enterprise a public reporter names by credit code, if the phone is the contact
    phone on file; one refusal for both so the form reveals no contact numbers."""
    code = normalise_credit_code(credit_code)
    if problem := credit_code_problem(code):
        raise Refused(problem)
    enterprise = Enterprise.objects.filter(credit_code=code).select_related("county").first()
    if enterprise is None or enterprise.contact_phone != phone:
        raise Refused(
            "未找到该统一社会信用代码对应的企业，或手机号不是企业登记的联系电话；"
            "请联系挂钩干部或所在县（区）挂钩办核对企业信息"
        )
    return enterprise


@transaction.atomic
def raise_public_problem(
    *, credit_code: str, phone: str, data: ProblemData, now: datetime
) -> Problem:
    """企业自主反映 on the public form, the contact phone already confirmed by an SMS code
    (the view verifies it): the enterprise by its credit code and contact phone."""
    enterprise = find_enterprise(credit_code=credit_code, phone=phone)
    _check(data)
    return _raise(
        enterprise=enterprise,
        data=data,
        source=Problem.Source.ENTERPRISE,
        actor=None,
        visit=None,
        now=now,
    )
