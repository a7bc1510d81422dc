"""The public vote of 典型案例评选 at /vote/<code>/: a phone confirmed by an SMS code (kept in
the session for half an hour), then votes — rate-limited per address and per phone, with a
honeypot field robots fill in; the published results with the formula."""

from datetime import timedelta

from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.cases import actions, documents, forms, queries, results
from shishi.cases.models import Phase, Selection
from shishi.core import otp, uploads
from shishi.core.errors import Refused
from shishi.core.masking import mask_phone, phone_hash
from shishi.core.ratelimit import Limited, client_ip, hit, limit_ip, too_many
from shishi.core.validators import is_mobile, normalise_mobile
from shishi.orgs.views.common import run_action
from shishi.portal.common import TYPE_A_PHONE, code_status, text_code

CONFIRMED_FOR = timedelta(minutes=30)


def _selection(code: str) -> Selection:
    selection = queries.public_selection(code)
    if selection is None or selection.phase(timezone.localdate()) == Phase.PENDING:
        raise Http404("没有找到该评选")
    return selection


def _key(selection: Selection) -> str:
    return f"vote:{selection.pk}"


def confirmed_phone(request, selection: Selection) -> str | None:
    """The phone this browser confirmed for the selection, while it is fresh."""
    kept = request.session.get(_key(selection))
    if not kept or timezone.now().timestamp() > kept["until"]:
        return None
    return kept["phone"]


def _page(selection: Selection) -> str:
    return reverse("portal:vote", args=[selection.code])


def vote_page(request, code: str):
    selection = _selection(code)
    today = timezone.localdate()
    phase = selection.phase(today)
    phone = confirmed_phone(request, selection)
    running = list(queries.running(selection)) if phase != Phase.NOMINATION else []
    voted = queries.voted_today(selection, phone_hash(phone), today) if phone else set()
    return render(
        request,
        "portal/vote.html",
        {
            "selection": selection,
            "phase": phase,
            "phases": Phase,
            "running": running,
            "phone": mask_phone(phone) if phone else "",
            "left": selection.votes_per_day - len(voted) if phone else None,
            "voted": voted,
            "show_counts": selection.show_live_counts or selection.published_at is not None,
            "code_form": forms.CodeForm(),
        },
    )


@require_POST
@limit_ip(scope="vote-otp", limit=10, window=3600)
def send_code(request, code: str):
    """htmx: text a code to the number typed."""
    selection = _selection(code)
    phone = normalise_mobile(request.POST.get("phone", ""))
    if not is_mobile(phone):
        return code_status(request, error=TYPE_A_PHONE)
    return text_code(
        request, phone=phone, purpose=f"vote-{selection.pk}", purpose_label="参与典型案例投票"
    )


@require_POST
@limit_ip(scope="vote-verify", limit=20, window=3600)
def verify(request, code: str):
    selection = _selection(code)
    form = forms.CodeForm(request.POST)

    def confirm() -> str:
        data = form.cleaned_data
        otp.verify_code(phone=data["phone"], purpose=f"vote-{selection.pk}", code=data["code"])
        until = (timezone.now() + CONFIRMED_FOR).timestamp()
        request.session[_key(selection)] = {"phone": data["phone"], "until": until}
        return data["phone"]

    return run_action(
        request,
        confirm,
        form=form,
        success=lambda phone: f"手机号 {mask_phone(phone)} 已验证，可以投票了",
        back=_page(selection),
    )


@require_POST
def cast(request, code: str, nomination: int):
    """投票. A filled honeypot looks like success and counts nothing."""
    selection = _selection(code)
    phone = confirmed_phone(request, selection)
    if phone is None:
        return run_action(request, _confirm_first, success="", back=_page(selection))
    form = forms.VoteForm(request.POST)
    if form.is_valid() and form.cleaned_data["website"]:
        return run_action(
            request, lambda: None, success="投票成功，感谢参与", back=_page(selection)
        )
    try:
        window = settings.VOTE_LIMIT_WINDOW  # settings read per request, not at import
        address = client_ip(request) or "unknown"
        hit(f"vote:ip:{address}", limit=settings.VOTE_ADDRESS_LIMIT, window=window)
        hit(f"vote:phone:{phone_hash(phone)}", limit=settings.VOTE_PHONE_LIMIT, window=window)
    except Limited as limited:
        return too_many(request, limited.retry_after)
    target = queries.running_nomination(selection, nomination)
    if target is None:
        raise Http404("该案例不在投票范围内")
    return run_action(
        request,
        lambda: actions.cast_vote(
            nomination=target, phone=phone, ip=client_ip(request), now=timezone.now()
        ),
        success=lambda vote: f"投票成功：{vote.nomination.title}。感谢参与",
        back=_page(selection),
    )


def _confirm_first():
    raise Refused("请先验证手机号再投票")


def results_page(request, code: str):
    selection = _selection(code)
    if selection.published_at is None:
        raise Http404("评选结果尚未发布")
    return render(
        request,
        "portal/vote_results.html",
        {
            "selection": selection,
            "standings": results.standings(selection),
            "formula": results.FORMULA,
        },
    )


def results_download(request, code: str, fmt: str):
    selection = _selection(code)
    if selection.published_at is None or fmt not in documents.FORMATS:
        raise Http404("评选结果尚未发布")
    return documents.download(selection, fmt, today=timezone.localdate(selection.published_at))


def photo(request, code: str, nomination: int, pk: int):
    """A photo of a case in the running."""
    selection = _selection(code)
    return uploads.serve(queries.public_photo(selection, nomination, pk))
