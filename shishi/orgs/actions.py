"""Every write to units, people and memberships. Each is atomic and audited."""

import uuid
from collections.abc import Iterable
from typing import Any

from django.conf import settings
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F, Value
from django.db.models.functions import Concat, Substr
from django.utils import timezone
from django_otp.models import Device
from django_otp.plugins.otp_static.models import StaticDevice, StaticToken
from django_otp.plugins.otp_totp.models import TOTPDevice

from shishi.core import ratelimit
from shishi.core.errors import Refused
from shishi.core.events import audit
from shishi.core.models import AuditEntry
from shishi.core.validators import is_mobile
from shishi.orgs.access import Actor, check_grant
from shishi.orgs.models import Membership, Person, Unit
from shishi.orgs.unit_csv import (  # noqa: F401  (also re-exported: views, demo, tests)
    UNIT_CSV_HEADERS,
    ImportRejected,
    ImportResult,
    RowError,
    check_unit_rows,
    export_units_csv,
    parents_first,
    read_unit_csv,
)

V = AuditEntry.Verb


def _audit(actor: Actor | None, **entry: Any) -> None:
    """An audit entry by `actor` (None: the command line or a bulk load, shown as 系统)."""
    audit(actor=actor.person if actor else None, label=actor.label() if actor else "", **entry)


def _path_for(unit: Unit, parent: Unit | None) -> str:
    return f"{parent.path if parent else ''}{unit.pk:0{Unit.PATH_SEGMENT}d}/"


@transaction.atomic
def create_unit(
    *,
    actor: Actor | None,
    code: str,
    name: str,
    kind: str,
    parent: Unit | None,
    former_code: str = "",
    phone: str = "",
    sort: int = 0,
) -> Unit:
    """Add a unit under `parent` (None: a new root, only without an actor — the CLI)."""
    if parent is None and actor is not None:
        raise Refused("只能在本单位或下级单位之下新增单位")
    if parent is not None and actor is not None and not actor.sees(parent):
        raise Refused("只能在本单位或下级单位之下新增单位")
    if Unit.objects.filter(code=code).exists():
        raise Refused(f"单位编码 {code} 已存在")
    if parent is not None:
        parent = Unit.objects.get(pk=parent.pk)  # its path may have moved since it was read
        if not parent.active:
            raise Refused("上级单位已停用，请先启用上级单位")
    unit = Unit.objects.create(
        code=code,
        name=name,
        kind=kind,
        parent=parent,
        path=f"new-{uuid.uuid4().hex}",
        depth=parent.depth + 1 if parent else 0,
        former_code=former_code,
        phone=phone,
        sort=sort,
    )
    unit.path = _path_for(unit, parent)
    unit.save(update_fields=["path"])
    _audit(
        actor,
        verb=V.UNIT_CREATED,
        target=unit,
        scope_path=unit.path,
        data={"code": code, "kind": kind, "parent": parent.code if parent else None},
    )
    return unit


@transaction.atomic
def update_unit(
    *,
    actor: Actor | None,
    unit: Unit,
    name: str,
    kind: str,
    parent: Unit | None,
    former_code: str = "",
    phone: str = "",
    sort: int = 0,
) -> Unit:
    """Change a unit's details; a new parent moves the whole subtree."""
    changes = {
        key: [getattr(unit, key), value]
        for key, value in {
            "name": name,
            "kind": kind,
            "former_code": former_code,
            "phone": phone,
            "sort": sort,
        }.items()
        if getattr(unit, key) != value
    }
    if parent != unit.parent:
        _move(actor=actor, unit=unit, parent=parent)
        changes["parent"] = [
            unit.parent.code if unit.parent else None,
            parent.code if parent else None,
        ]
        unit.refresh_from_db()
    if not changes:
        return unit
    unit.name, unit.kind, unit.former_code, unit.phone, unit.sort = (
        name,
        kind,
        former_code,
        phone,
        sort,
    )
    unit.save(update_fields=["name", "kind", "former_code", "phone", "sort"])
    _audit(
        actor,
        verb=V.UNIT_EDITED,
        target=unit,
        scope_path=unit.path,
        data={"changes": changes},
    )
    return unit


def _move(*, actor: Actor | None, unit: Unit, parent: Unit | None) -> None:
    if parent is None:
        raise Refused("不能把单位移为顶级单位")
    # Paths may have changed since these were read (an import moves several units).
    # Locked (PostgreSQL), so two opposite moves cannot interleave into a cycle.
    locked = {u.pk: u for u in Unit.objects.select_for_update().filter(pk__in=[unit.pk, parent.pk])}
    unit, parent = locked[unit.pk], locked[parent.pk]
    if not parent.active:
        raise Refused("上级单位已停用，请先启用上级单位")
    if unit.contains(parent):
        raise Refused("不能把单位移到它自己或它的下级单位之下")
    if actor is not None and (not actor.sees(parent) or unit.path == actor.scope_path):
        raise Refused("只能在本单位的下级范围内调整隶属关系")
    old_path = unit.path
    new_path = _path_for(unit, parent)
    depth_change = parent.depth + 1 - unit.depth
    Unit.objects.filter(path__startswith=old_path).update(
        path=Concat(Value(new_path), Substr("path", len(old_path) + 1)),
        depth=F("depth") + depth_change,
    )
    Unit.objects.filter(pk=unit.pk).update(parent=parent)


@transaction.atomic
def set_unit_active(*, actor: Actor, unit: Unit, active: bool) -> Unit:
    """Stop (or resume) using a unit. A unit with units still in use below it cannot stop."""
    if unit.active == active:
        return unit
    if unit.path == actor.scope_path:
        raise Refused("不能停用您当前所在的单位")
    if not active and Unit.objects.filter(parent=unit, active=True).exists():
        raise Refused("该单位下还有在用的下级单位，请先停用或调整下级单位")
    if active and unit.parent is not None and not unit.parent.active:
        raise Refused("上级单位已停用，请先启用上级单位")
    unit.active = active
    unit.save(update_fields=["active"])
    _audit(
        actor,
        verb=V.UNIT_ENABLED if active else V.UNIT_DISABLED,
        target=unit,
        scope_path=unit.path,
    )
    return unit


# --- Units from a CSV file (reading, checking and export: `orgs/unit_csv.py`) -------------


@transaction.atomic
def import_units(*, actor: Actor | None, rows: Iterable[dict[str, str]]) -> ImportResult:
    """Create or update units from rows of the divisions CSV; all rows or none.

    A row whose code exists updates that unit (so a re-import changes nothing); parents may
    appear anywhere in the file. Any error anywhere raises ImportRejected with every error.
    """
    checked = check_unit_rows(actor=actor, rows=rows)
    if checked.errors:
        raise ImportRejected(checked.errors)
    result = ImportResult()
    existing = checked.existing
    for code in parents_first(checked.rows):
        number, row = checked.rows[code]
        parent = existing.get(row.get("parent_code", "")) if row.get("parent_code") else None
        try:
            existing[code] = _upsert_unit(
                actor=actor,
                code=code,
                row=row,
                parent=parent,
                unit=existing.get(code),
                result=result,
            )
        except Refused as refusal:
            raise ImportRejected([RowError(number, "", refusal.message)]) from refusal
    return result


def _upsert_unit(
    *,
    actor: Actor | None,
    code: str,
    row: dict[str, str],
    parent: Unit | None,
    unit: Unit | None,
    result: ImportResult,
) -> Unit:
    fields = {"name": row["name"], "kind": row["kind"]}
    if "former_code" in row:  # a file without the optional column leaves former codes alone
        fields["former_code"] = row["former_code"]
    if unit is None:
        result.created += 1
        return create_unit(actor=actor, code=code, parent=parent, **fields)
    if parent is None:
        parent = unit.parent
    same = all(getattr(unit, k) == v for k, v in fields.items()) and unit.parent_id == (
        parent.pk if parent else None
    )
    if same:
        result.unchanged += 1
        return unit
    result.updated += 1
    fields.setdefault("former_code", unit.former_code)
    return update_unit(
        actor=actor, unit=unit, parent=parent, phone=unit.phone, sort=unit.sort, **fields
    )


# --- People and memberships -------------------------------------------------------------


def _person_scope(person: Person, actor: Actor | None) -> str:
    """Where an entry about a person belongs: their (first) unit inside the actor's view."""
    memberships = person.memberships.select_related("unit").order_by("unit__path")
    if actor is not None:
        memberships = memberships.filter(unit__path__startswith=actor.scope_path)
    first = memberships.first()
    return first.unit.path if first else (actor.scope_path if actor else "")


def _check_person_fields(*, username: str, phone: str, person: Person | None = None) -> None:
    if phone and not is_mobile(phone):
        raise Refused("手机号格式不正确，应为11位数字")
    clash = Person.objects.filter(username=username)
    if person is not None:
        clash = clash.exclude(pk=person.pk)
    if clash.exists():
        raise Refused(f"登录名 {username} 已被使用")


def _check_password(password: str, person: Person) -> None:
    try:
        validate_password(password, user=person)
    except ValidationError as error:
        reasons = "；".join(message.rstrip("。") for message in error.messages)
        raise Refused(f"密码不符合要求：{reasons}。") from error


@transaction.atomic
def create_person(
    *,
    actor: Actor | None,
    username: str,
    name: str,
    phone: str,
    title: str,
    password: str,
    unit: Unit,
    role: str,
    password_hash: str = "",
) -> Person:
    """Add a staff member with a first membership; the password must pass the validators."""
    if actor is not None:
        check_grant(actor, unit=unit, role=role)
    _check_person_fields(username=username, phone=phone)
    person = Person(username=username, name=name, phone=phone, title=title)
    if password_hash:  # bulk loads hash a checked password once for everyone
        person.password = password_hash
    else:
        _check_password(password, person)
        person.set_password(password)
    person.save()
    Membership.objects.create(person=person, unit=unit, role=role)
    _audit(
        actor,
        verb=V.PERSON_CREATED,
        target=person,
        scope_path=unit.path,
        data={"unit": unit.code, "role": role},
    )
    return person


@transaction.atomic
def update_person(
    *, actor: Actor, person: Person, username: str, name: str, phone: str, title: str
) -> Person:
    """Change a person's name, login, phone or title."""
    _check_person_fields(username=username, phone=phone, person=person)
    changes = {
        k: [getattr(person, k), v]
        for k, v in {"username": username, "name": name, "phone": phone, "title": title}.items()
        if getattr(person, k) != v
    }
    if not changes:
        return person
    person.username, person.name, person.phone, person.title = username, name, phone, title
    person.save(update_fields=["username", "name", "phone", "title"])
    if "phone" in changes:  # never keep the full number in the log
        changes["phone"] = ["（已修改）", "（已修改）"]
    _audit(
        actor,
        verb=V.PERSON_EDITED,
        target=person,
        scope_path=_person_scope(person, actor),
        data={"changes": changes},
    )
    return person


def set_person_active(*, actor: Actor, person: Person, active: bool) -> Person:
    """Stop (or allow again) a person's sign-in; memberships are kept for the record."""
    if person.pk == actor.person.pk:
        raise Refused("不能停用自己的账号")
    if person.is_active == active:
        return person
    person.is_active = active
    person.save(update_fields=["is_active"])
    _audit(
        actor,
        verb=V.ACCOUNT_ENABLED if active else V.ACCOUNT_DISABLED,
        target=person,
        scope_path=_person_scope(person, actor),
    )
    return person


@transaction.atomic
def record_export(*, actor: Actor, what: str, filters: str = "") -> None:
    """Every export of lists with personal data is on the audit log: who, what, which
    filters (read by auditors of the exporter's unit and above)."""
    audit(
        actor=actor.person,
        label=actor.label(),
        verb=V.EXPORTED,
        note=f"{what}；筛选条件：{filters or '无'}",
        scope_path=actor.unit.path,
    )


def unlock_login(*, actor: Actor, person: Person) -> None:
    """Lift the sign-in lock on someone's account (every address) before it runs out — the
    unit's administrator, having checked it is really them who is locked out."""
    from axes.utils import reset

    reset(username=person.username)
    ratelimit.forget(f"login-fail:user:{person.username}")
    audit(
        actor=actor.person,
        label=actor.label(),
        verb=V.LOGIN_UNLOCKED,
        target=person,
        scope_path=_person_scope(person, actor),
    )


def reset_password(*, actor: Actor | None, person: Person, password: str) -> Person:
    """Set a new password (validated); the person's other sessions end."""
    _check_password(password, person)
    person.set_password(password)
    person.save(update_fields=["password"])
    audit(
        actor=actor.person if actor else person,
        label=actor.label() if actor else "",
        verb=V.PASSWORD_RESET,
        target=person,
        scope_path=_person_scope(person, actor),
    )
    return person


@transaction.atomic
def grant_role(*, actor: Actor | None, person: Person, unit: Unit, role: str) -> Membership:
    """Give a person a role in a unit (the actor may only grant what they may)."""
    if actor is not None:
        check_grant(actor, unit=unit, role=role)
    membership, created = Membership.objects.get_or_create(person=person, unit=unit, role=role)
    if not created:
        raise Refused("该人员在此单位已有该角色")
    _audit(
        actor,
        verb=V.ROLE_GRANTED,
        target=person,
        scope_path=unit.path,
        data={"unit": unit.code, "role": role},
    )
    return membership


@transaction.atomic
def revoke_role(*, actor: Actor, membership: Membership) -> None:
    """Remove a membership; a person keeps at least one unless their account is stopped."""
    if membership.pk == actor.membership.pk:
        raise Refused("不能撤销您当前使用的任职")
    person = membership.person
    # Lock the person's memberships so two revocations cannot both pass the last-one check.
    held = list(Membership.objects.select_for_update().filter(person=person).values_list("pk"))
    if person.is_active and len(held) == 1:
        raise Refused("这是该人员唯一的任职；如需离岗请先停用账号")
    _audit(
        actor,
        verb=V.ROLE_REVOKED,
        target=person,
        scope_path=membership.unit.path,
        data={"unit": membership.unit.code, "role": membership.role},
    )
    membership.delete()


# --- Second factor (TOTP; who must use it: access.must_use_totp) -------------------------

WRONG_CODE = (
    "动态验证码不正确。请输入身份验证器当前显示的6位数字（或一个恢复码），并核对手机时间是否准确。"
)
WRONG_FIRST_CODE = "动态验证码不正确。请输入 App 中当前显示的6位数字，并核对手机时间是否准确。"


def _code(token: str) -> str:
    """What was typed, without the spaces and dashes people copy along."""
    return "".join(token.split()).replace("-", "").lower()


def _try_code(device: Device, token: str, *, wrong: str = WRONG_CODE) -> str:
    """Check `token` on `device`: "" when it matches, else why not. django-otp's back-off
    (1, 2, 4 … seconds after each failure) is saved on the device by the check itself."""
    allowed, info = device.verify_is_allowed()
    if not allowed:
        wait = (info or {}).get("locked_until")
        seconds = max(1, int((wait - timezone.now()).total_seconds()) + 1) if wait else 60
        return f"尝试过于频繁，请{seconds}秒后再试。"
    return "" if device.verify_token(token) else wrong


def start_totp_enrolment(*, person: Person) -> TOTPDevice:
    """The authenticator a person is setting up: made when first shown, the same one on
    every reload (so the QR code scanned stays good); nothing is in force before
    `enrol_totp` confirms it."""
    device = TOTPDevice.objects.filter(user=person, confirmed=False).order_by("pk").first()
    return device or TOTPDevice.objects.create(user=person, name="身份验证器", confirmed=False)


def enrol_totp(*, person: Person, token: str) -> tuple[TOTPDevice, list[str]]:
    """Confirm the authenticator being set up with a code it shows now, and make the
    person's one-time recovery codes (returned in clear once, to be shown once). A wrong code
    is refused and counts towards the device's back-off (kept: checked in its own
    transaction)."""
    with transaction.atomic():
        if TOTPDevice.objects.filter(user=person, confirmed=True).exists():
            raise Refused("该账号已启用动态验证码。")
        device = (
            TOTPDevice.objects.select_for_update()
            .filter(user=person, confirmed=False)
            .order_by("pk")
            .first()
        )
        if device is None:
            raise Refused("绑定已过期，请重新扫描页面上的二维码。")
        refusal = _try_code(device, _code(token), wrong=WRONG_FIRST_CODE)
    if refusal:
        raise Refused(refusal)
    with transaction.atomic():
        device.confirmed = True
        device.save(update_fields=["confirmed"])
        TOTPDevice.objects.filter(user=person).exclude(pk=device.pk).delete()
        StaticDevice.objects.filter(user=person).delete()
        recovery = StaticDevice.objects.create(user=person, name="恢复码", confirmed=True)
        codes = [StaticToken.random_token() for _ in range(settings.TOTP_RECOVERY_CODES)]
        StaticToken.objects.bulk_create(StaticToken(device=recovery, token=c) for c in codes)
        audit(
            actor=person,
            verb=V.TOTP_ENROLLED,
            target=person,
            scope_path=_person_scope(person, None),
        )
    return device, codes


def verify_second_factor(*, person: Person, token: str) -> Device:
    """The device that accepts `token`: 6 digits from the person's authenticator, or one of
    their recovery codes (used up by it, and audited). A wrong code is refused and counts
    towards that device's back-off (kept: checked in its own transaction)."""
    token = _code(token)
    model = TOTPDevice if token.isdigit() and len(token) == 6 else StaticDevice
    with transaction.atomic():
        device = model.objects.select_for_update().filter(user=person, confirmed=True).first()
        refusal = _try_code(device, token) if device is not None and token else WRONG_CODE
    if refusal:
        raise Refused(refusal)
    if model is StaticDevice:
        audit(
            actor=person,
            verb=V.TOTP_RECOVERY_USED,
            target=person,
            scope_path=_person_scope(person, None),
            data={"left": StaticToken.objects.filter(device=device).count()},
        )
    return device


@transaction.atomic
def reset_totp(*, actor: Actor | None, person: Person) -> None:
    """Remove a person's authenticator and recovery codes (a lost or changed phone): a
    session of theirs that passed it ends at its next request, and their next sign-in sets
    up a new one. `actor` None: the command line (`shishi reset_totp`)."""
    if not (
        TOTPDevice.objects.filter(user=person, confirmed=True).exists()
        or StaticDevice.objects.filter(user=person).exists()
    ):
        raise Refused("该人员尚未启用动态验证码，无需重置。")
    TOTPDevice.objects.filter(user=person).delete()
    StaticDevice.objects.filter(user=person).delete()
    _audit(
        actor,
        verb=V.TOTP_RESET,
        target=person,
        scope_path=_person_scope(person, actor),
    )
