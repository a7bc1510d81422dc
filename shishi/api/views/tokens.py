"""集成令牌 (staff pages): the city office issues a token for another system, sees when each
was last used, and revokes it. The key is shown once, on the page that answers the issuing
POST, and never again (only its hash is kept)."""

from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from shishi.api import actions
from shishi.api.access import SCOPES, Perm, access_token, visible_tokens
from shishi.api.forms import TokenForm
from shishi.core.errors import Refused
from shishi.orgs.access import require, visible_units
from shishi.orgs.views.common import paginate, run_action, staff_view


def _form(request, data=None) -> TokenForm:
    units = visible_units(request.actor).filter(active=True).order_by("path")
    return TokenForm(data, units=units)


def _page(request, form: TokenForm, status: int = 200):
    tokens = visible_tokens(request.actor).select_related("unit", "created_by")
    page = paginate(request, tokens)
    now = timezone.now()
    for token in page:
        token.shown_state = token.state(now)  # shown, never saved
    return render(
        request,
        "api/tokens.html",
        {"page": page, "form": form, "scopes": SCOPES},
        status=status,
    )


@staff_view
def token_list(request):
    require(request.actor, Perm.MANAGE_TOKENS)
    return _page(request, _form(request))


@staff_view
@require_POST
@never_cache
def token_new(request):
    require(request.actor, Perm.MANAGE_TOKENS)
    form = _form(request, request.POST)
    if not form.is_valid():
        return _page(request, form, status=400)
    data = form.cleaned_data
    try:
        issued = actions.issue_token(
            actor=request.actor,
            name=data["name"],
            unit=data["unit"],
            scopes=data["scopes"],
            days=data["days"],
            rate_per_minute=data["rate_per_minute"],
            now=timezone.now(),
        )
    except Refused as refusal:
        form.add_error(None, refusal.message)
        return _page(request, form, status=400)
    return render(request, "api/token_issued.html", {"issued": issued, "scopes": SCOPES})


@staff_view
@require_POST
def token_revoke(request, pk: int):
    token = access_token(request.actor, pk)
    return run_action(
        request,
        lambda: actions.revoke_token(actor=request.actor, token=token, now=timezone.now()),
        success=f"已吊销“{token.name}”，其调用将被拒绝",
        back="integrations:tokens",
    )
