"""Issuing and revoking integration tokens (every write of the api app)."""

import secrets
import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import transaction

from shishi.api.access import SCOPES, Perm, key_hash
from shishi.api.models import IntegrationToken
from shishi.core.errors import Refused
from shishi.core.events import audit
from shishi.core.models import AuditEntry
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Person, Unit

KEY_PREFIX = "ssk_"
DAYS_MAX = 365
RATE_MAX = 6000


@dataclass(frozen=True)
class Issued:
    token: IntegrationToken
    key: str  # shown once, never stored


@transaction.atomic
def issue_token(
    *,
    actor: Actor | None,
    name: str,
    unit: Unit,
    scopes: list[str],
    days: int,
    rate_per_minute: int,
    now: datetime,
) -> Issued:
    """A new token acting as `unit` with `scopes`, valid for `days`; its key is returned once.
    `actor` None: the command line (`shishi issue-token`)."""
    if actor is not None:
        require(actor, Perm.MANAGE_TOKENS)
    name = name.strip()
    if not name:
        raise Refused("请填写令牌名称（如：省12345平台）")
    if actor is not None and not actor.sees(unit):
        raise Refused("只能为本单位管辖范围内的单位签发令牌")
    if not unit.active:
        raise Refused("该单位已停用")
    unknown = [s for s in scopes if s not in SCOPES]
    if unknown or not scopes:
        raise Refused("请至少选择一项权限范围")
    if not 1 <= days <= DAYS_MAX:
        raise Refused(f"有效期应为1至{DAYS_MAX}天")
    if not 1 <= rate_per_minute <= RATE_MAX:
        raise Refused(f"每分钟请求上限应为1至{RATE_MAX}")
    key = KEY_PREFIX + secrets.token_urlsafe(32)
    # The service account its calls are signed with: it cannot sign in (no usable password,
    # not active) and belongs to no unit, so it appears in no people list.
    person = Person(username=f"integration-{uuid.uuid4().hex[:12]}", name=f"{name}（接口）")
    person.set_unusable_password()
    person.is_active = False
    person.save()
    token = IntegrationToken.objects.create(
        name=name,
        unit=unit,
        scopes=[s for s in SCOPES if s in scopes],
        key_hash=key_hash(key),
        prefix=key[: len(KEY_PREFIX) + 6],
        person=person,
        rate_per_minute=rate_per_minute,
        created_by=actor.person if actor else None,
        created_at=now,
        expires_at=now + timedelta(days=days),
    )
    audit(
        actor=actor.person if actor else None,
        label=actor.label() if actor else "命令行",
        verb=AuditEntry.Verb.TOKEN_ISSUED,
        target=token,
        note=f"代表{unit.name}，权限：{'、'.join(SCOPES[s] for s in token.scopes)}，{days}天",
        scope_path=unit.path,
    )
    return Issued(token=token, key=key)


@transaction.atomic
def revoke_token(*, actor: Actor, token: IntegrationToken, now: datetime) -> IntegrationToken:
    """From now on the token's calls are refused (401)."""
    require(actor, Perm.MANAGE_TOKENS)
    if not IntegrationToken.objects.filter(pk=token.pk, revoked_at__isnull=True).update(
        revoked_at=now
    ):
        raise Refused("该令牌已吊销")
    token.revoked_at = now
    audit(
        actor=actor.person,
        label=actor.label(),
        verb=AuditEntry.Verb.TOKEN_REVOKED,
        target=token,
        scope_path=token.unit.path,
    )
    return token
