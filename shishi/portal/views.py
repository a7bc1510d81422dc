"""Public pages: the front page, reporting a problem, following and judging it."""

from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, queries
from shishi.appeals.access import (
    access_citizen_appeal,
    appeal_by_code,
    find_by_tracking_key,
    proves_reporter,
    remember_citizen,
)
from shishi.appeals.forms import SUBMISSION_FIELDS, CitizenVerdictForm, PublicSubmissionForm
from shishi.appeals.models import Channel, Status
from shishi.cases.queries import open_votes
from shishi.core import kept, otp
from shishi.core.errors import Refused
from shishi.core.forms import number_param
from shishi.core.ratelimit import Limited, client_ip, hit, limit_ip, too_many
from shishi.core.validators import is_mobile, normalise_mobile
from shishi.orgs.queries import city_root, public_divisions, public_towns
from shishi.orgs.views.common import run_action, run_form_action
from shishi.portal.common import TYPE_A_PHONE, code_status, text_code
from shishi.reports import dashboard

OTP_PURPOSE = "appeal"
KEPT_FORM = "report"  # its photos are kept across a failed submit


def stats(request):
    """/stats/: the city's figures this year for citizens — what each module marked public,
    by county and month, with their definitions; nothing personal and no links inside."""
    scope = dashboard.public_scope(timezone.localdate())
    body = dashboard.rendered(scope, "portal/_stats_body.html", public=True)
    return render(request, "portal/stats.html", {"body": body, "scope": scope})


def home(request):
    """The public portal's front page: the city, its campaign, how to be heard, and the
    典型案例 selections open to the public vote."""
    return render(
        request,
        "portal/home.html",
        {"divisions": public_divisions(), "votes": open_votes(timezone.localdate())},
    )


@limit_ip(scope="report", limit=20, window=3600)
def report(request):
    """我要反映: the public form. The phone is confirmed by a one-time code. Photos chosen on
    a submit that failed are kept for the next one (core.kept)."""
    form = PublicSubmissionForm(request.POST or None, request.FILES or None)
    most = form.fields["photos"].max_count
    if request.method == "POST" and request.POST.get("drop_kept"):
        kept.forget(request.session, form=KEPT_FORM)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            accepted = _code_accepted(
                form, phone=data["reporter_phone"], purpose=OTP_PURPOSE, request=request
            )
        except Limited as limited:
            return too_many(request, limited.retry_after)
        if accepted:
            photos = [*kept.kept(request.session, form=KEPT_FORM), *data["photos"]][:most]
            done = run_form_action(
                request,
                form,
                lambda: _submit(request, data, photos=photos),
                success="",
                back="portal:reported",
            )
            if done:
                kept.forget(request.session, form=KEPT_FORM)
                return done
    if request.method == "POST" and "photos" not in form.errors:
        kept.keep(
            request.session,
            form=KEPT_FORM,
            files=form.cleaned_data.get("photos") or [],
            limit=most,
        )
    context = {"form": form, "kept": kept.kept_names(request.session, form=KEPT_FORM)}
    return render(request, "portal/report.html", context)


def _code_accepted(form, *, phone: str, purpose: str, request) -> bool:
    """The texted code of a public form; refused, the refusal is the code field's error.
    (Told apart by where it is raised, not by its text: core.otp has no refusal subclass.)
    Too many tries from this address for this phone raise ratelimit.Limited."""
    try:
        otp.verify_code(
            phone=phone,
            purpose=purpose,
            code=form.cleaned_data["otp"],
            requester=client_ip(request) or "unknown",
        )
    except Refused as refusal:
        form.add_error("otp", refusal.message)
        return False
    return True


def _submit(request, data: dict, *, photos: list) -> None:
    appeal, _ = actions.submit_appeal(
        submission=actions.Submission(
            channel=Channel.WEB, **{k: data[k] for k in SUBMISSION_FIELDS}
        ),
        receiver=city_root(),
        by=None,
        now=timezone.now(),
        photos=photos,
    )
    remember_citizen(request.session, appeal)
    request.session["shishi_just_reported"] = appeal.code


@require_POST
@limit_ip(scope="otp", limit=10, window=3600)
def send_otp(request):
    """htmx: text a one-time code to the phone typed in the form."""
    phone = normalise_mobile(request.POST.get("reporter_phone", ""))
    if not is_mobile(phone):
        return code_status(request, error=TYPE_A_PHONE)
    return text_code(request, phone=phone, purpose=OTP_PURPOSE, purpose_label="反映问题")


def towns(request):
    """htmx: the towns of the chosen county for the report form."""
    county = request.GET.get("county", "")
    chosen = number_param(county)
    options = public_towns(chosen) if chosen is not None else []
    return render(request, "portal/_town_options.html", {"towns": options})


@require_POST  # the text being typed can be long: a POST body, never a URL (no 414)
@limit_ip(scope="similar", limit=120, window=3600)
def similar(request):
    """htmx: open appeals like the one being typed — only in the town and category the
    citizen chose (category and status shown, nothing personal), so the hint cannot be asked
    about free words across the city as a yes/no oracle."""
    town = number_param(request.POST.get("town"))
    category = number_param(request.POST.get("category"))
    if town is None or category is None:
        return render(request, "appeals/_similar.html", {"choose_first": True})
    found = queries.similar_open(
        request.POST.get("content", "")[: queries.SIMILAR_CHARS],
        among=queries.in_town_and_category(town=town, category=category),
        place=request.POST.get("place", "")[:100],
    )
    return render(request, "appeals/_similar.html", {"similar": found, "staff": False})


def reported(request):
    code = request.session.get("shishi_just_reported")
    if not code:
        return redirect("portal:report")
    return render(request, "portal/reported.html", {"code": code})


TRACK_LOCKED = (
    "该受理编号凭手机号后四位查询的失败次数过多，已暂停这种查询方式。"
    "请使用受理短信中的查询链接，或拨打12345热线查询。"
)


def track(request, code: str = ""):
    """查询进度: the SMS link (track_by_key) opens it at once; code + the phone's last four
    digits is the fallback, limited per requester, and closed for a code that failed too often
    (each failure recorded on the appeal's timeline)."""
    code = (code or request.POST.get("code", "")).strip().upper()
    if request.method == "POST":
        address = client_ip(request) or "unknown"
        try:
            hit(f"track:ip:{address}", limit=30, window=3600)
            hit(f"track:{address}:{code}", limit=10, window=3600)
        except Limited as limited:
            return too_many(request, limited.retry_after)
        now = timezone.now()
        appeal = appeal_by_code(code)
        error = "受理编号或手机号后四位不正确，请核对后重试"
        if appeal is not None and actions.tracking_locked(appeal, now=now):
            error = TRACK_LOCKED
        elif appeal is not None and proves_reporter(appeal, request.POST.get("last4", "").strip()):
            remember_citizen(request.session, appeal)
            return redirect("portal:track_appeal", code=appeal.code)
        elif appeal is not None:
            actions.record_tracking_failure(appeal=appeal, address=address, now=now)
        # said plainly on the form instead of a bare 404 page
        return render(request, "portal/track_form.html", {"code": code, "error": error}, status=404)
    if not code:
        return render(request, "portal/track_form.html", {"code": ""})
    try:
        appeal = access_citizen_appeal(request.session, code)
    except Http404:
        return render(request, "portal/track_form.html", {"code": code})
    reply = queries.latest_reply(appeal)
    return render(
        request,
        "portal/track.html",
        {
            "appeal": appeal,
            "events": queries.public_timeline(appeal),
            "reply": reply,
            "result_photos": queries.result_photos(reply),
            "verdict_form": CitizenVerdictForm() if appeal.status == Status.REPLIED else None,
            "can_withdraw": appeal.is_open or appeal.status == Status.REPLIED,
        },
    )


@limit_ip(scope="track-key", limit=60, window=3600, methods=("GET",))
def track_by_key(request, key: str):
    """The link in the citizen's SMS: the key proves the appeal is theirs."""
    appeal = find_by_tracking_key(key)
    remember_citizen(request.session, appeal)
    return redirect("portal:track_appeal", code=appeal.code)


def _confirm_reporter(appeal, code: str) -> None:
    """Writes on a citizen's behalf need a code texted to the phone that reported it."""
    otp.verify_code(phone=appeal.reporter_phone, purpose=f"track:{appeal.code}", code=code)


@require_POST
@limit_ip(scope="track-otp", limit=10, window=3600)
def send_track_code(request, code: str):
    """htmx: text a code to the reporter's phone before a verdict or a withdrawal."""
    appeal = access_citizen_appeal(request.session, code)
    return text_code(
        request,
        phone=appeal.reporter_phone,
        purpose=f"track:{appeal.code}",
        purpose_label="评价或撤回诉求",
        shown_as=appeal.masked_phone,
        # the day's codes used up: the window to judge the answer must not close on it
        on_limited=lambda: actions.extend_for_refused_codes(appeal=appeal, now=timezone.now()),
    )


@require_POST
def evaluate(request, code: str):
    appeal = access_citizen_appeal(request.session, code)
    form = CitizenVerdictForm(request.POST)

    def judge() -> None:
        _confirm_reporter(appeal, form.cleaned_data["otp"])
        actions.record_verdict(
            appeal=appeal,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
            solved=form.cleaned_data["solved"],
            actor=None,
            now=timezone.now(),
        )

    return run_action(
        request,
        judge,
        form=form,
        success="感谢您的评价！",
        back=reverse("portal:track_appeal", args=[appeal.code]),
    )


@require_POST
def withdraw(request, code: str):
    appeal = access_citizen_appeal(request.session, code)

    def withdraw() -> None:
        _confirm_reporter(appeal, request.POST.get("otp", ""))
        actions.withdraw_appeal(
            appeal=appeal, note=request.POST.get("note", "")[:200], now=timezone.now()
        )

    return run_action(
        request,
        withdraw,
        success="您的诉求已撤回",
        back=reverse("portal:track_appeal", args=[appeal.code]),
    )


def track_photo(request, code: str, pk: int):
    """A photo of the finished work, to the citizen who proved the appeal is theirs, once the
    answer it came with has reached them (a draft's photos are staff-only)."""
    appeal = access_citizen_appeal(request.session, code)
    photo = queries.given_result_photo(appeal, pk)
    if photo is None:
        raise Http404("没有找到该照片")
    return FileResponse(photo.file.open("rb"), content_type=photo.content_type)
