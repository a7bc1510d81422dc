"""What an integration token may see and do — in one place for `/api/v1/` and Open311.

A token acts as its unit: it sees that unit's subtree through the same `access_*` functions
as the unit's staff, and may do what its scopes name (each scope is a domain permission).
Who may issue tokens: the city office (`Perm.MANAGE_TOKENS`).
"""

import hashlib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.http import Http404
from django.utils import timezone

from shishi.api.models import IntegrationToken
from shishi.appeals.access import Perm as AppealPerm
from shishi.orgs.access import Actor, register_permissions, require
from shishi.orgs.access import Perm as OrgPerm
from shishi.orgs.models import Membership, Role
from shishi.projects.access import Perm as ProjectPerm


class Perm:
    MANAGE_TOKENS = "api.manage_tokens"


register_permissions({Role.CITY_ADMIN: {Perm.MANAGE_TOKENS}})

# The scopes a token may be issued with: domain permissions, labelled for the issuing page.
SCOPES: dict[str, str] = {
    AppealPerm.VIEW: "查询诉求",
    AppealPerm.INTAKE: "提交诉求",
    AppealPerm.HANDLE: "办理诉求（派单、签收、退单、答复）",
    AppealPerm.CALLBACK: "回访评价",
    ProjectPerm.VIEW: "查询实事项目",
    ProjectPerm.RUN: "报送项目进度",
}
# Every token reads its own units (reference data, filters by unit).
ALWAYS = frozenset({OrgPerm.VIEW})

# `last_used_at` is written at most this often, not on every call.
TOUCH_EVERY = timedelta(minutes=1)


@dataclass(frozen=True)
class TokenActor(Actor):
    """The actor of a call signed with an integration token."""

    token: IntegrationToken

    def can(self, perm: str) -> bool:
        return perm in ALWAYS or perm in self.token.scopes

    def label(self) -> str:
        return f"{self.token.name}（接口·{self.unit.name}）"


def key_hash(key: str) -> str:
    """Keys are long random strings, so a plain sha256 is enough to keep them unreadable."""
    return hashlib.sha256(key.encode()).hexdigest()


class TokenRefused(Exception):
    """The key names no usable token: the message says why (unknown, expired, revoked)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def actor_for_key(key: str, *, now: datetime | None = None) -> TokenActor:
    """The actor a key signs as, or TokenRefused."""
    now = now or timezone.now()
    token = (
        IntegrationToken.objects.select_related("unit", "person")
        .filter(key_hash=key_hash(key))
        .first()
    )
    if token is None:
        raise TokenRefused("令牌无效")
    if token.revoked_at is not None:
        raise TokenRefused("令牌已吊销，请联系市级管理员重新签发")
    if token.expires_at <= now:
        raise TokenRefused(
            f"令牌已于{timezone.localtime(token.expires_at):%Y-%m-%d}过期，请重新签发"
        )
    if not token.unit.active:
        raise TokenRefused("令牌所代表的单位已停用")
    if token.last_used_at is None or now - token.last_used_at >= TOUCH_EVERY:
        IntegrationToken.objects.filter(pk=token.pk).update(last_used_at=now)
    membership = Membership(person=token.person, unit=token.unit, role="")
    return TokenActor(person=token.person, membership=membership, token=token)


def visible_tokens(actor: Actor):
    """Tokens of units in the actor's subtree (the city office: all)."""
    require(actor, Perm.MANAGE_TOKENS)
    return IntegrationToken.objects.filter(unit__path__startswith=actor.scope_path)


def access_token(actor: Actor, pk: int) -> IntegrationToken:
    token = visible_tokens(actor).select_related("unit").filter(pk=pk).first()
    if token is None:
        raise Http404("没有找到该令牌")
    return token
