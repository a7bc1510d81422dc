"""The enterprise registry: registering an enterprise and correcting it."""

from dataclasses import dataclass
from datetime import datetime

from django.core.exceptions import ValidationError
from django.db import transaction

from shishi.core.errors import Refused
from shishi.core.validators import credit_code_problem, is_mobile, normalise_credit_code
from shishi.enterprises import access, events
from shishi.enterprises.models import COUNTY_KINDS, Enterprise, Industry, Size
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = events.Verb
FIELDS = ("credit_code", "name", "county", "industry", "size", "address", "contact_name")


@dataclass(frozen=True)
class EnterpriseData:
    credit_code: str
    name: str
    county: Unit
    industry: str  # Industry
    size: str  # Size
    contact_name: str
    contact_phone: str
    address: str = ""


def clean(data: EnterpriseData, *, actor: Actor | None, instance: Enterprise | None) -> dict:
    """The values to store, or Refused naming the first thing wrong (shared by the form
    path and the workbook import, which checks cell by cell itself)."""
    code = normalise_credit_code(data.credit_code)
    if problem := credit_code_problem(code):
        raise Refused(problem)
    name = data.name.strip()
    if not name:
        raise Refused("请填写企业名称")
    if data.county.kind not in COUNTY_KINDS:
        raise Refused("所属县区应为县（市、区）或开发区")
    if actor is not None and not actor.sees(data.county):
        raise Refused(f"{data.county.name}不在您的管辖范围内")
    if data.industry not in Industry.values:
        raise Refused("请选择行业门类")
    if data.size not in Size.values:
        raise Refused("请选择企业规模")
    if not data.contact_name.strip():
        raise Refused("请填写联系人")
    phone = data.contact_phone.strip()
    if not is_mobile(phone):
        raise Refused("联系电话应为11位手机号码（用于接收诉求办理短信）")
    others = Enterprise.objects.exclude(pk=instance.pk if instance else None)
    same_code = others.filter(credit_code=code).select_related("county").first()
    if same_code is not None:
        raise Refused(
            f"统一社会信用代码{code}已登记为“{same_code.name}”（{same_code.county.name}），"
            "不能重复登记"
        )
    if others.filter(county=data.county, name=name).exists():
        raise Refused(f"{data.county.name}已登记名为“{name}”的企业")
    return {
        "credit_code": code,
        "name": name[:100],
        "county": data.county,
        "industry": data.industry,
        "size": data.size,
        "address": data.address.strip()[:200],
        "contact_name": data.contact_name.strip()[:40],
        "contact_phone": phone,
    }


def _validated(enterprise: Enterprise) -> None:
    """The model's own validators (the credit code's above all) as a refusal."""
    try:
        enterprise.full_clean(exclude=["county", "created_by"], validate_unique=False)
    except ValidationError as error:
        raise Refused("；".join(m for ms in error.message_dict.values() for m in ms)) from error


@transaction.atomic
def register_enterprise(*, data: EnterpriseData, actor: Actor, now: datetime) -> Enterprise:
    """登记企业: by the city or a county office, under a county of its subtree."""
    access.require_office(actor)
    values = clean(data, actor=actor, instance=None)
    enterprise = Enterprise(**values, created_by=actor.person, created_at=now, updated_at=now)
    _validated(enterprise)
    enterprise.save()
    events.record(enterprise, verb=Verb.REGISTERED, now=now, actor=actor, note=f"{enterprise.name}")
    return enterprise


@transaction.atomic
def update_enterprise(
    *, enterprise: Enterprise, data: EnterpriseData, actor: Actor, now: datetime
) -> Enterprise:
    """修改企业: by the office over its county; the change is noted field by field."""
    if not access.may_manage(actor, enterprise):
        raise Refused("只有企业所在县（区）或市里可以修改企业信息")
    values = clean(data, actor=actor, instance=enterprise)
    changes = [
        Enterprise._meta.get_field(name).verbose_name
        for name, value in values.items()
        if getattr(enterprise, name) != value
    ]
    if not changes:
        return enterprise
    for name, value in values.items():
        setattr(enterprise, name, value)
    enterprise.updated_at = now
    _validated(enterprise)
    enterprise.save()
    events.record(
        enterprise, verb=Verb.EDITED, now=now, actor=actor, note="修改：" + "、".join(changes)
    )
    return enterprise
