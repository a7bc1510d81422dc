"""What every API view shares: the token's actor, and refusing an unreadable list filter."""

from rest_framework.exceptions import PermissionDenied, ValidationError

from shishi.api.access import TokenActor
from shishi.core.forms import FilterForm


def actor_of(request, *, perm: str | None = None) -> TokenActor:
    """The unit the call's token acts as; 403 when its scopes lack `perm`."""
    actor = request.auth
    if not isinstance(actor, TokenActor):  # IsAuthenticated lets nothing else through
        raise PermissionDenied()
    if perm is not None and not actor.can(perm):
        raise PermissionDenied("该令牌的权限范围不含此操作")
    return actor


def filters_of(form: FilterForm, *, allowed: set[str]) -> dict:
    """A list's filters, as the screens read them — but a value the screen would skip with a
    note is a 400 here: a program must not get a wider list than it asked for."""
    unknown = sorted(set(form.data) - allowed - {"cursor"})
    if unknown:
        raise ValidationError({name: ["不支持该筛选参数"] for name in unknown})
    values = form.values
    if form.errors:
        raise ValidationError({name: list(errors) for name, errors in form.errors.items()})
    return values
