"""Recording events: the audit trail every action writes."""

from typing import Any

from django.db import models

from shishi.core.models import AuditEntry


def actor_label(person: Any) -> str:
    """How an actor is named in timelines: the person's name, or 系统 for the worker."""
    if person is None:
        return "系统"
    return getattr(person, "name", "") or person.get_username()


def audit(
    *,
    actor: Any,
    verb: str,
    target: models.Model | None = None,
    note: str = "",
    data: dict | None = None,
    scope_path: str = "",
    label: str = "",
) -> AuditEntry:
    """Append one audit entry for an action on `target` (a unit, a person, a setting).

    `scope_path` is the path of the unit concerned; readers see entries in their subtree.
    `label` names the actor with unit and role ("张三（芝山街道·单位经办人）") when known.
    """
    return AuditEntry.objects.create(
        actor=actor if getattr(actor, "pk", None) else None,
        actor_label=label or actor_label(actor),
        verb=verb,
        target_type=target._meta.label if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        target_label=str(target)[:200] if target is not None else "",
        note=note,
        data=data or {},
        scope_path=scope_path,
    )
