"""The caller's phone: 查看号码 (shown for a few minutes, audited) and 同号码历史诉求."""

from datetime import UTC, datetime, timedelta

from django.conf import settings
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, forms
from shishi.appeals.access import (
    Perm,
    access_appeal,
    access_phone,
    caller_appeals,
)
from shishi.appeals.views.common import _page
from shishi.core.masking import phone_hash
from shishi.core.validators import is_mobile, normalise_mobile
from shishi.orgs.access import require
from shishi.orgs.views.common import run_action, staff_view

# Session: appeal code -> until when (epoch seconds) its caller's number is shown.
PHONE_SESSION_KEY = "shishi_phone_shown"


def _phone_shown_until(request, appeal) -> datetime | None:
    until = request.session.get(PHONE_SESSION_KEY, {}).get(appeal.code)
    if until is None or until <= timezone.now().timestamp():
        return None
    return datetime.fromtimestamp(until, tz=UTC)


def _show_phone(request, appeal, *, until: datetime) -> None:
    now = timezone.now().timestamp()
    shown = {
        code: moment
        for code, moment in request.session.get(PHONE_SESSION_KEY, {}).items()
        if moment > now
    }
    request.session[PHONE_SESSION_KEY] = {**shown, appeal.code: until.timestamp()}


@staff_view
@require_POST
def reveal_phone(request, code: str):
    """查看号码: with a reason (audited), the caller's full number shows on the appeal page
    for APPEAL_PHONE_REVEAL_MINUTES; 403 without the right, and nothing is recorded."""
    actor = request.actor
    appeal = access_phone(actor, code)
    form = forms.PhoneRevealForm(request.POST, prefix="phone")
    minutes = settings.APPEAL_PHONE_REVEAL_MINUTES

    def reveal():
        now = timezone.now()
        event = actions.reveal_phone(
            appeal=appeal, actor=actor, reason=form.cleaned_data["reason"], now=now
        )
        _show_phone(request, appeal, until=now + timedelta(minutes=minutes))
        return event

    return run_action(
        request,
        reveal,
        form=form,
        success=f"号码将显示{minutes}分钟，本次查看已记录",
        back=_page(appeal) + "#reporter",
    )


@staff_view
def caller_history(request, code: str):
    """htmx: 同号码历史诉求 on the appeal page (loaded after the page, which stays light)."""
    actor = request.actor
    appeal = access_appeal(actor, code)
    history = caller_appeals(actor, phone_hash=appeal.phone_hash, exclude=appeal.pk)
    return render(request, "appeals/_caller_history.html", {"history": history})


@staff_view
@require_POST
def caller_lookup(request):
    """htmx: 同号码历史诉求 on 热线登记, once the operator has typed the caller's number (a
    POST, so the number stays out of addresses and logs)."""
    actor = request.actor
    require(actor, Perm.INTAKE)
    phone = normalise_mobile(request.POST.get("reporter_phone", ""))
    history = caller_appeals(actor, phone_hash=phone_hash(phone)) if is_mobile(phone) else None
    return render(request, "appeals/_caller_history.html", {"history": history, "lookup": True})
