"""The desk's workbooks (XLSX), on the machinery of `core.workbook`: the enterprise registry
(企业名录: template, export that re-imports unchanged, all-or-nothing import keyed by the
credit code) and the benefits ledger (惠企兑现: template and all-or-nothing import). A bad
file comes back annotated cell by cell; nothing is written."""

from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, datetime
from decimal import Decimal

from django.db import transaction
from django.db.models import QuerySet
from django.utils import timezone

from shishi.core import workbook
from shishi.core.validators import credit_code_problem, is_mobile, normalise_credit_code
from shishi.core.workbook import CellError, Layout, text
from shishi.enterprises import access
from shishi.enterprises.actions.benefits import amount_problem
from shishi.enterprises.models import (
    COUNTY_KINDS,
    Benefit,
    Enterprise,
    EnterpriseEvent,
    Industry,
    Size,
)
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit

Verb = EnterpriseEvent.Verb
BATCH = 1000

ENTERPRISE_LAYOUT = Layout(
    sheet="企业名录",
    columns=(
        ("credit_code", "统一社会信用代码"),
        ("name", "企业名称"),
        ("county", "所属县区"),
        ("industry", "行业门类"),
        ("size", "企业规模"),
        ("address", "地址"),
        ("contact_name", "联系人"),
        ("contact_phone", "联系电话"),
    ),
    widths=(22, 36, 12, 30, 10, 40, 10, 14),
    notes={
        "统一社会信用代码": "18位，按GB 32100-2015校验；已登记的企业按此代码更新",
        "企业名称": "必填，同一县区内不能重名",
        "所属县区": "县（市、区）或开发区的名称或单位编码，须在本单位管辖范围内",
        "行业门类": "GB/T 4754门类字母或名称："
        + "；".join(f"{c} {label}" for c, label in Industry.choices),
        "企业规模": "、".join(Size.labels),
        "联系人": "必填",
        "联系电话": "11位手机号码，企业凭此号码接收诉求办理短信、在线反映问题",
    },
    freeze="C2",
    max_rows=20_000,
)

BENEFIT_LAYOUT = Layout(
    sheet="惠企兑现",
    columns=(
        ("credit_code", "统一社会信用代码"),
        ("enterprise_name", "企业名称"),
        ("kind", "类型"),
        ("policy", "政策名称"),
        ("amount", "金额（元）"),
        ("granted_on", "兑现日期"),
        ("note", "说明"),
    ),
    widths=(22, 30, 14, 36, 16, 12, 30),
    notes={
        "统一社会信用代码": "已登记企业的代码",
        "企业名称": "可空；填写时须与登记的名称一致（用于核对）",
        "类型": "、".join(Benefit.Kind.labels),
        "政策名称": "必填",
        "金额（元）": "以元为单位，大于0，最多两位小数",
        "兑现日期": "日期，如 2026-03-01，不晚于今天",
    },
    freeze="C2",
    max_rows=50_000,
)


@dataclass
class Row:
    number: int
    values: dict = field(default_factory=dict)


@dataclass
class ImportResult:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


def _choice(raw, fail: Callable[[str], None], choices) -> str | None:
    value = text(raw)
    for key, label in choices.choices:
        if value in (key, label) or (len(value) == 1 and value.upper() == key):
            return key
    fail(f"应为：{'、'.join(choices.labels)}")
    return None


def _required(raw, fail: Callable[[str], None], *, limit: int, required: bool = True) -> str:
    value = text(raw)
    if required and not value:
        fail("必填")
    elif len(value) > limit:
        fail(f"不能超过{limit}个字")
    return value


def _credit_code(raw, fail: Callable[[str], None]) -> str:
    code = normalise_credit_code(text(raw))
    if not code:
        fail("必填")
    elif problem := credit_code_problem(code):
        fail(problem)
    return code


# --- The enterprise registry ---------------------------------------------------------------------


def template() -> object:
    return workbook.template(ENTERPRISE_LAYOUT)


def benefit_template() -> object:
    return workbook.template(BENEFIT_LAYOUT)


def export(enterprises: QuerySet[Enterprise]) -> object:
    """The registry of `enterprises` in the template's layout: imported again, nothing
    changes. Contact phones are written in full: only the office (which keeps them) exports."""
    book, sheet = workbook.new_workbook(ENTERPRISE_LAYOUT)
    rows = enterprises.select_related("county").order_by("county__path", "name", "pk")
    for start in range(0, rows.count(), BATCH):
        for e in rows[start : start + BATCH]:
            workbook.append_row(
                sheet,
                [
                    e.credit_code,
                    e.name,
                    e.county.name,
                    f"{e.industry} {e.get_industry_display()}",
                    e.get_size_display(),
                    e.address,
                    e.contact_name,
                    e.contact_phone,
                ],
            )
    workbook.write_guide(book, ENTERPRISE_LAYOUT)
    return workbook.save(book)


def _county_lookup(actor: Actor | None) -> dict[str, Unit]:
    """County-level units by code and by name (the actor's subtree only)."""
    units = Unit.objects.filter(kind__in=COUNTY_KINDS, active=True)
    if actor is not None:
        units = units.filter(path__startswith=actor.scope_path)
    found: dict[str, Unit] = {}
    for unit in units:
        found[unit.code] = unit
        found[unit.name] = unit
    return found


def _industry(raw, fail) -> str | None:
    value = text(raw)
    letter = value[:1].upper()
    if letter in Industry.values and (
        len(value) == 1 or value[1:].strip() in ("", Industry(letter).label)
    ):
        return letter
    for key, label in Industry.choices:
        if value == label:
            return key
    fail("应为GB/T 4754门类字母（A–T）或门类名称，如“C 制造业”")
    return None


def _parse_enterprise(number: int, cells: tuple, *, counties: dict[str, Unit]):
    names = ENTERPRISE_LAYOUT.names
    raw = dict(zip(names, (list(cells) + [None] * len(names))[: len(names)], strict=True))
    row, errors = Row(number=number), []

    def failing(column: str) -> Callable[[str], None]:
        return lambda message: errors.append(CellError(number, column, message))

    v = row.values
    v["credit_code"] = _credit_code(raw["credit_code"], failing("credit_code"))
    v["name"] = _required(raw["name"], failing("name"), limit=100)
    county_text = text(raw["county"])
    v["county"] = counties.get(county_text)
    if v["county"] is None:
        failing("county")(
            f"“{county_text}”不是您管辖范围内的县（市、区）或开发区" if county_text else "必填"
        )
    v["industry"] = _industry(raw["industry"], failing("industry"))
    v["size"] = _choice(raw["size"], failing("size"), Size)
    v["address"] = _required(raw["address"], failing("address"), limit=200, required=False)
    v["contact_name"] = _required(raw["contact_name"], failing("contact_name"), limit=40)
    phone = text(raw["contact_phone"])
    if not is_mobile(phone):
        failing("contact_phone")("应为11位手机号码")
    v["contact_phone"] = phone
    return row, errors


FIELDS = ("name", "county", "industry", "size", "address", "contact_name", "contact_phone")


def _changed(enterprise: Enterprise, row: Row) -> bool:
    return any(getattr(enterprise, name) != row.values[name] for name in FIELDS)


def import_enterprises(*, actor: Actor, data: bytes, now: datetime) -> ImportResult:
    """Check every row, then write all of them in one transaction — or raise
    `workbook.Rejected` with each error and the annotated file, having written nothing."""
    access.require_office(actor)
    layout = ENTERPRISE_LAYOUT
    sheet, merged = workbook.open_sheet(data, layout, what="企业名录")
    counties = _county_lookup(actor)
    seen_codes: dict[str, int] = {}
    seen_names: dict[tuple[int, str], int] = {}

    def parse(number: int, cells: tuple):
        row, errors = _parse_enterprise(number, cells, counties=counties)
        code, county, name = row.values["credit_code"], row.values["county"], row.values["name"]
        if code in seen_codes:
            errors.append(CellError(number, "credit_code", f"与第{seen_codes[code]}行重复"))
        seen_codes.setdefault(code, number)
        if county is not None and name:
            key = (county.pk, name)
            if key in seen_names:
                errors.append(CellError(number, "name", f"与第{seen_names[key]}行同县区重名"))
            seen_names.setdefault(key, number)
        return row, errors

    rows, errors = workbook.check_rows(sheet, layout, merged=merged, parse=parse)
    existing = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=list(seen_codes)).select_related(
            "county"
        )
    }
    names_on_file = _names_on_file(rows)
    for row in rows:
        v = row.values
        enterprise = existing.get(v["credit_code"])
        if (
            enterprise is not None
            and _changed(enterprise, row)
            and not actor.sees(enterprise.county)
        ):
            errors.append(
                CellError(
                    row.number,
                    "credit_code",
                    f"已登记为{enterprise.county.name}的企业，不在您的管辖范围内",
                )
            )
        if v["county"] is not None and v["name"]:
            other = names_on_file.get((v["county"].pk, v["name"]))
            if other is not None and other != v["credit_code"]:
                errors.append(
                    CellError(
                        row.number, "name", f"{v['county'].name}已登记同名企业（代码{other}）"
                    )
                )
    if errors:
        errors.sort(key=lambda e: e.row)
        raise workbook.Rejected(errors, workbook.annotated(data, errors, layout), layout)
    return _write_enterprises(actor=actor, rows=rows, existing=existing, now=now)


def _names_on_file(rows: list[Row]) -> dict[tuple[int, str], str]:
    """(county id, name) -> credit code of enterprises already registered under the names
    the file uses."""
    names = {r.values["name"] for r in rows if r.values["name"]}
    found: dict[tuple[int, str], str] = {}
    name_list = list(names)
    for start in range(0, len(name_list), BATCH):
        for county_id, name, code in Enterprise.objects.filter(
            name__in=name_list[start : start + BATCH]
        ).values_list("county_id", "name", "credit_code"):
            found[(county_id, name)] = code
    return found


@transaction.atomic
def _write_enterprises(
    *, actor: Actor, rows: list[Row], existing: dict[str, Enterprise], now: datetime
) -> ImportResult:
    result = ImportResult()
    label = actor.label()
    new = [r for r in rows if r.values["credit_code"] not in existing]
    for start in range(0, len(new), BATCH):
        chunk = new[start : start + BATCH]
        created = Enterprise.objects.bulk_create(
            [
                Enterprise(
                    credit_code=r.values["credit_code"],
                    **{name: r.values[name] for name in FIELDS},
                    created_by=actor.person,
                    created_at=now,
                    updated_at=now,
                )
                for r in chunk
            ]
        )
        if not all(e.pk for e in created):  # backends that return no keys
            created = list(
                Enterprise.objects.filter(credit_code__in=[e.credit_code for e in created])
            )
        EnterpriseEvent.objects.bulk_create(
            [
                EnterpriseEvent(
                    enterprise_id=e.pk,
                    at=now,
                    actor=actor.person,
                    actor_label=label,
                    verb=Verb.IMPORTED,
                    unit_id=actor.unit.pk,
                    note=f"导入登记：{e.name}",
                )
                for e in created
            ]
        )
        result.created += len(created)
    for row in rows:
        enterprise = existing.get(row.values["credit_code"])
        if enterprise is None:
            continue
        if not _changed(enterprise, row):
            result.unchanged += 1
            continue
        changes = [
            Enterprise._meta.get_field(name).verbose_name
            for name in FIELDS
            if getattr(enterprise, name) != row.values[name]
        ]
        for name in FIELDS:
            setattr(enterprise, name, row.values[name])
        enterprise.updated_at = now
        enterprise.save()
        EnterpriseEvent.record(
            enterprise,
            verb=Verb.IMPORTED,
            now=now,
            actor=actor,
            note="导入修改：" + "、".join(str(c) for c in changes),
        )
        result.updated += 1
    return result


# --- The benefits ledger -------------------------------------------------------------------------


def _parse_benefit(number: int, cells: tuple, *, today: date):
    names = BENEFIT_LAYOUT.names
    raw = dict(zip(names, (list(cells) + [None] * len(names))[: len(names)], strict=True))
    row, errors = Row(number=number), []

    def failing(column: str) -> Callable[[str], None]:
        return lambda message: errors.append(CellError(number, column, message))

    v = row.values
    v["credit_code"] = _credit_code(raw["credit_code"], failing("credit_code"))
    v["enterprise_name"] = text(raw["enterprise_name"])
    v["kind"] = _choice(raw["kind"], failing("kind"), Benefit.Kind)
    v["policy"] = _required(raw["policy"], failing("policy"), limit=120)
    if text(raw["amount"]) == "":
        failing("amount")("必填")
        v["amount"] = None
    else:
        v["amount"], problem = amount_problem(
            raw["amount"] if not isinstance(raw["amount"], float) else repr(raw["amount"])
        )
        if problem:
            failing("amount")(problem)
    granted = workbook.parse_date(raw["granted_on"])
    if granted is None:
        failing("granted_on")("日期格式应为 2026-03-01")
    elif granted > today:
        failing("granted_on")("兑现日期不能晚于今天")
    v["granted_on"] = granted
    v["note"] = _required(raw["note"], failing("note"), limit=300, required=False)
    return row, errors


def import_benefits(*, actor: Actor, data: bytes, now: datetime) -> ImportResult:
    """Every row a new benefit of a registered enterprise the office keeps; a row already on
    file (same enterprise, kind, policy, amount and date) is refused, so one file imported
    twice is caught. All or nothing."""
    access.require_office(actor)
    layout = BENEFIT_LAYOUT
    today = timezone.localdate(now)
    sheet, merged = workbook.open_sheet(data, layout, what="惠企兑现表")
    seen: dict[tuple, int] = {}

    def parse(number: int, cells: tuple):
        row, errors = _parse_benefit(number, cells, today=today)
        v = row.values
        key = (v["credit_code"], v["kind"], v["policy"], v["amount"], v["granted_on"])
        if not errors:
            if key in seen:
                errors.append(CellError(number, "", f"与第{seen[key]}行完全相同"))
            seen.setdefault(key, number)
        return row, errors

    rows, errors = workbook.check_rows(sheet, layout, merged=merged, parse=parse)
    codes = list({r.values["credit_code"] for r in rows})
    enterprises = {
        e.credit_code: e
        for e in Enterprise.objects.filter(credit_code__in=codes).select_related("county")
    }
    on_file = set(
        Benefit.objects.filter(enterprise__credit_code__in=codes).values_list(
            "enterprise__credit_code", "kind", "policy", "amount", "granted_on"
        )
    )
    for row in rows:
        v = row.values
        enterprise = enterprises.get(v["credit_code"])
        if enterprise is None:
            if not credit_code_problem(v["credit_code"]):
                errors.append(
                    CellError(row.number, "credit_code", "该代码的企业尚未登记，请先登记企业")
                )
            continue
        if not actor.sees(enterprise.county):
            errors.append(
                CellError(row.number, "credit_code", f"{enterprise.name}不在您的管辖范围内")
            )
        if v["enterprise_name"] and v["enterprise_name"] != enterprise.name:
            errors.append(
                CellError(
                    row.number, "enterprise_name", f"与登记的企业名称“{enterprise.name}”不一致"
                )
            )
        key = (v["credit_code"], v["kind"], v["policy"], v["amount"], v["granted_on"])
        if key in on_file:
            errors.append(CellError(row.number, "", "与已登记的兑现记录重复（可能重复导入）"))
    if errors:
        errors.sort(key=lambda e: e.row)
        raise workbook.Rejected(errors, workbook.annotated(data, errors, layout), layout)
    return _write_benefits(actor=actor, rows=rows, enterprises=enterprises, now=now)


@transaction.atomic
def _write_benefits(
    *, actor: Actor, rows: list[Row], enterprises: dict[str, Enterprise], now: datetime
) -> ImportResult:
    for start in range(0, len(rows), BATCH):
        Benefit.objects.bulk_create(
            [
                Benefit(
                    enterprise=enterprises[r.values["credit_code"]],
                    kind=r.values["kind"],
                    policy=r.values["policy"],
                    amount=r.values["amount"],
                    granted_on=r.values["granted_on"],
                    note=r.values["note"],
                    recorded_by=actor.person,
                    recorded_at=now,
                )
                for r in rows[start : start + BATCH]
            ]
        )
    totals: dict[int, tuple[int, Decimal]] = {}
    for r in rows:
        pk = enterprises[r.values["credit_code"]].pk
        count, amount = totals.get(pk, (0, Decimal("0")))
        totals[pk] = (count + 1, amount + r.values["amount"])
    label = actor.label()
    EnterpriseEvent.objects.bulk_create(
        [
            EnterpriseEvent(
                enterprise_id=pk,
                at=now,
                actor=actor.person,
                actor_label=label,
                verb=Verb.BENEFITS_IMPORTED,
                unit_id=actor.unit.pk,
                note=f"导入惠企兑现{count}条，合计{amount}元",
            )
            for pk, (count, amount) in totals.items()
        ]
    )
    return ImportResult(created=len(rows))
