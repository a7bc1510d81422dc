"""惠企兑现: the office records a benefit delivered to an enterprise, with its evidence."""

from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.core import uploads
from shishi.core.errors import Refused
from shishi.enterprises import access, events
from shishi.enterprises.models import Benefit, BenefitFile, Enterprise
from shishi.orgs.access import Actor

Verb = events.Verb
# 14 digits with 2 decimals: below a trillion yuan.
AMOUNT_LIMIT = Decimal("1000000000000")


def amount_problem(value) -> tuple[Decimal | None, str]:
    """(the amount in yuan to the fen, "") or (None, why it is not one)."""
    try:
        amount = Decimal(str(value).replace(",", "").replace("，", "").strip())
    except InvalidOperation:
        return None, "金额应为数字（元）"
    if not amount.is_finite():
        return None, "金额应为数字（元）"
    if amount <= 0:
        return None, "金额应大于0"
    if amount >= AMOUNT_LIMIT:
        return None, "金额过大，请以元为单位填写"
    if amount != amount.quantize(Decimal("0.01")):
        return None, "金额最多保留两位小数（到分）"
    return amount.quantize(Decimal("0.01")), ""


@dataclass(frozen=True)
class BenefitData:
    enterprise: Enterprise
    kind: str  # Benefit.Kind
    policy: str
    amount: Decimal
    granted_on: date
    note: str = ""
    files: list[UploadedFile] = field(default_factory=list)  # checked by the form


def check(data: BenefitData, *, today: date) -> None:
    if data.kind not in Benefit.Kind.values:
        raise Refused("请选择兑现类型")
    if not data.policy.strip():
        raise Refused("请填写政策名称")
    _, problem = amount_problem(data.amount)
    if problem:
        raise Refused(problem)
    if data.granted_on > today:
        raise Refused("兑现日期不能晚于今天")


@transaction.atomic
def record_benefit(*, data: BenefitData, actor: Actor, now: datetime) -> Benefit:
    """登记惠企兑现: by the office over the enterprise's county."""
    if not access.may_manage(actor, data.enterprise):
        raise Refused("只有企业所在县（区）或市里的挂钩办可以登记惠企兑现")
    check(data, today=timezone.localdate(now))
    benefit = Benefit.objects.create(
        enterprise=data.enterprise,
        kind=data.kind,
        policy=data.policy.strip()[:120],
        amount=Decimal(data.amount).quantize(Decimal("0.01")),
        granted_on=data.granted_on,
        note=data.note.strip()[:300],
        recorded_by=actor.person,
        recorded_at=now,
    )
    uploads.attach(BenefitFile, data.files, now=now, benefit=benefit)
    events.record(
        data.enterprise,
        verb=Verb.BENEFIT_RECORDED,
        now=now,
        actor=actor,
        note=f"{benefit.get_kind_display()}：{benefit.policy} {benefit.amount}元",
    )
    return benefit
