"""Staff pages for appeals: queues, detail with every action, hotline entry, reviews,
ranking and exports. Thin: parse, access, act or query, render."""

from datetime import UTC, date, datetime, timedelta

from django.conf import settings
from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, exports, forms, metrics, queries
from shishi.appeals.access import (
    Perm,
    access_appeal,
    access_co_dispatch,
    access_phone,
    access_review,
    caller_appeals,
    may_decide,
    visible_appeals,
    visible_reviews,
)
from shishi.appeals.allowed import Step, allowed_actions
from shishi.appeals.models import Channel, Kind, Reply, Status
from shishi.core.errors import Refused
from shishi.core.masking import phone_hash
from shishi.core.supervision import Level
from shishi.core.validators import is_mobile
from shishi.orgs.access import require, visible_units
from shishi.orgs.queries import ranking_groups
from shishi.orgs.views.common import form_errors, run_action, run_form_action, staff_view


@staff_view
def queue(request):
    actor = request.actor
    today = timezone.localdate()
    form = forms.AppealFilterForm(request.GET)
    filters = form.values
    listing = queries.staff_appeal_list(actor, filters, today=today)
    page = queries.keyset_page(
        listing.appeals, after=request.GET.get("after", ""), oldest_first=listing.oldest_first
    )
    return render(
        request,
        "appeals/queue.html",
        {
            "queues": queries.queues_for(actor),
            "current": listing.queue,
            "page": page,
            "today": today,
            "counts": _queue_counts(actor, today=today),
            "filters": filters,
            "filter_form": form,
            # The tab goes in every link by itself; the cursor only in 下一页.
            "query": form.query(without=("queue",)),
            "statuses": Status.choices,
            "kinds": Kind.choices,
            "channels": Channel.choices,
            "levels": Level.choices,
            "categories": queries.top_categories(),
            "can_export": actor.can(Perm.EXPORT),
            "can_intake": actor.can(Perm.INTAKE),
            "links": queries.links_for(actor),
        },
    )


def _queue_counts(actor, *, today: date) -> dict[str, int]:
    if actor.can(Perm.HANDLE):
        return queries.queue_counts(visible_appeals(actor), unit=actor.unit, today=today)
    if actor.can(Perm.SUPERVISE):
        return queries.supervision_counts(visible_appeals(actor), today=today)
    return {}


@staff_view
def detail(request, code: str):
    actor = request.actor
    appeal = access_appeal(actor, code)
    replies, reviews = list(queries.replies(appeal)), list(queries.reviews_of(appeal))
    allowed = allowed_actions(actor, appeal, reviews=reviews, replies=replies)
    photos = queries.photos_by_reply(queries.photos(appeal), replies=replies)
    context = {
        "appeal": appeal,
        "events": queries.timeline(appeal),
        "dispatches": queries.dispatch_history(appeal),
        "replies": replies,
        "photos": photos,
        "reviews": reviews,
        "merged": queries.merged_here(appeal),
        "allowed": allowed,
        # The steps of the 办理操作 card (查看号码 sits beside the number instead).
        "action_steps": allowed - {Step.REVEAL_PHONE},
        "today": timezone.localdate(),
        "dispatch_form": forms.DispatchForm(
            units=queries.units_for_dispatch(visible_units(actor), holder=actor.unit, appeal=appeal)
        )
        if Step.DISPATCH in allowed
        else None,
        "reason_form": forms.ReasonForm(auto_id="return_%s"),
        "invalid_form": forms.ReasonForm(prefix="invalid"),
        # Distinct ids on one page (several forms have a 理由 field); names stay the same.
        "extension_form": forms.ExtensionForm(auto_id="extension_%s"),
        "reply_form": forms.ReplyForm(auto_id="id_%s"),
        "approval_form": forms.ReplyApprovalForm(auto_id="approval_%s"),
        # Said beside the reply button (whether the unit has a leader is the action's to check).
        "reply_goes_to_leader": appeal.holder.kind in settings.APPEAL_REPLY_APPROVAL_KINDS
        and not actor.can(Perm.APPROVE),
        "verdict_form": forms.VerdictForm(auto_id="callback_%s"),
        "merge_form": forms.MergeForm(auto_id="merge_%s"),
        "links": queries.links_for(actor),
        # 查看号码: the full number while the reveal lasts, else the form asking why.
        "phone_shown_until": _phone_shown_until(request, appeal)
        if Step.REVEAL_PHONE in allowed
        else None,
        "phone_form": forms.PhoneRevealForm(prefix="phone"),
        "urge_form": forms.UrgeForm(prefix="urge"),
        "instruct_form": forms.InstructForm(prefix="instruct"),
        "interview_form": forms.InterviewForm(
            prefix="interview", initial={"held_on": timezone.localdate()}
        ),
    }
    return render(request, "appeals/detail.html", context)


def _page(appeal_or_code) -> str:
    code = getattr(appeal_or_code, "code", appeal_or_code)
    return reverse("appeals:detail", args=[code])


def _holding(request, code: str):
    """The appeal the actor's unit holds and may work on (404 elsewhere, 403 without HANDLE)."""
    return access_appeal(request.actor, code, perm=Perm.HANDLE, must_hold=True)


@staff_view
@require_POST
def dispatch(request, code: str):
    actor = request.actor
    appeal = _holding(request, code)
    form = forms.DispatchForm(
        request.POST, units=queries.units_for_dispatch(visible_units(actor), holder=actor.unit)
    )
    return run_action(
        request,
        lambda: actions.dispatch_appeal(
            appeal=appeal,
            actor=actor,
            to_unit=form.cleaned_data["to_unit"],
            co_units=list(form.cleaned_data["co_units"]),
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda _: f"已派至{form.cleaned_data['to_unit'].name}",
        back=_page(appeal),
    )


@staff_view
def reclassify(request, code: str):
    """修改分类: GET (htmx) fills the form when it is opened; POST changes the classification."""
    actor = request.actor
    appeal = access_appeal(actor, code, perm=Perm.HANDLE)
    if request.method != "POST":
        form = forms.ReclassifyForm(
            auto_id="reclassify_%s", initial={"category": appeal.category_id, "kind": appeal.kind}
        )
        return render(request, "appeals/_reclassify_fields.html", {"form": form})
    form = forms.ReclassifyForm(request.POST)
    return run_action(
        request,
        lambda: actions.reclassify_appeal(
            appeal=appeal,
            actor=actor,
            category=form.cleaned_data["category"],
            kind=form.cleaned_data["kind"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda changed: (
            "已修改分类"
            + (f"，办理期限 {changed.handle_due:%Y-%m-%d}" if changed.handle_due else "")
        ),
        back=_page(appeal),
    )


@staff_view
@require_POST
def sign(request, code: str):
    appeal = _holding(request, code)
    return run_action(
        request,
        lambda: actions.sign_appeal(appeal=appeal, actor=request.actor, now=timezone.now()),
        success="已签收",
        back=_page(appeal),
    )


@staff_view
@require_POST
def co_sign(request, code: str):
    appeal = access_appeal(request.actor, code)
    dispatch = access_co_dispatch(request.actor, appeal)
    return run_action(
        request,
        lambda: actions.sign_as_co_handler(
            dispatch=dispatch, actor=request.actor, now=timezone.now()
        ),
        success="已签收协办",
        back=_page(appeal),
    )


@staff_view
@require_POST
def give_back(request, code: str):
    appeal = _holding(request, code)
    form = forms.ReasonForm(request.POST)
    return run_action(
        request,
        lambda: actions.return_appeal(
            appeal=appeal,
            actor=request.actor,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        form=form,
        success="已退单",
        back=_page(appeal),
    )


@staff_view
@require_POST
def extension(request, code: str):
    appeal = _holding(request, code)
    form = forms.ExtensionForm(request.POST)
    return run_action(
        request,
        lambda: actions.request_extension(
            appeal=appeal,
            actor=request.actor,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        form=form,
        success="已提交延期申请，等待审核",
        back=_page(appeal),
    )


@staff_view
@require_POST
def invalid(request, code: str):
    appeal = _holding(request, code)
    form = forms.ReasonForm(request.POST, prefix="invalid")
    return run_action(
        request,
        lambda: actions.request_invalid(
            appeal=appeal,
            actor=request.actor,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        form=form,
        success="已提交无效件申请，等待审核",
        back=_page(appeal),
    )


@staff_view
@require_POST
def reply(request, code: str):
    appeal = _holding(request, code)
    form = forms.ReplyForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: actions.reply_appeal(
            appeal=appeal,
            actor=request.actor,
            kind=form.cleaned_data["kind"],
            text=form.cleaned_data["text"],
            reason=form.cleaned_data["reason"],
            photos=form.cleaned_data["photos"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda reply: (
            "已提交，单位负责人审核同意后发给群众"
            if reply.approval == Reply.Approval.PENDING
            else "已答复，等待群众评价"
        ),
        back=_page(appeal),
    )


@staff_view
@require_POST
def approve_reply(request, code: str):
    """The holding unit's leader sends the draft reply to the citizen, or returns it."""
    appeal = access_appeal(request.actor, code, perm=Perm.APPROVE, must_hold=True)
    form = forms.ReplyApprovalForm(request.POST)
    return run_action(
        request,
        lambda: actions.approve_reply(
            appeal=appeal,
            actor=request.actor,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda reply: (
            "已同意，答复已发给群众"
            if reply.approval == Reply.Approval.APPROVED
            else "已退回经办人修改"
        ),
        back=_page(appeal),
    )


@staff_view
@require_POST
def callback(request, code: str):
    appeal = access_appeal(request.actor, code, perm=Perm.CALLBACK)
    form = forms.VerdictForm(request.POST)
    return run_action(
        request,
        lambda: actions.record_verdict(
            appeal=appeal,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
            solved=form.cleaned_data["solved"],
            actor=request.actor,
            now=timezone.now(),
        ),
        form=form,
        success="已记录回访结果",
        back=_page(appeal),
    )


@staff_view
@require_POST
def merge(request, code: str):
    actor = request.actor
    appeal = access_appeal(actor, code, perm=Perm.MERGE)
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect(_page(appeal))
    try:
        primary = access_appeal(actor, form.cleaned_data["primary"].strip().upper())
    except Http404:
        messages.error(request, "没有找到要合并到的诉求，请核对受理编号")
        return redirect(_page(appeal))
    return run_action(
        request,
        lambda: actions.merge_appeal(
            duplicate=appeal, primary=primary, actor=actor, now=timezone.now()
        ),
        success=f"已合并到{primary.code}",
        back=_page(appeal),
    )


@staff_view
def new(request):
    actor = request.actor
    require(actor, Perm.INTAKE)
    form = forms.OperatorSubmissionForm(
        request.POST or None, request.FILES or None, initial={"kind": Kind.HELP}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.submit_appeal(
                submission=actions.Submission(
                    channel=Channel.OPERATOR, **{k: data[k] for k in forms.SUBMISSION_FIELDS}
                ),
                receiver=actor.unit,
                by=actor,
                now=timezone.now(),
                photos=data["photos"],
                direct_reply=data["direct_reply"],
            )[0],
            success=lambda appeal: (
                f"已登记，受理编号 {appeal.code}"
                + ("，已直接办结" if data["direct_reply"] else "，请派单")
            ),
            back=_page,
        )
        if done:
            return done
    return render(request, "appeals/new.html", {"form": form})


@staff_view
@require_POST  # the text being typed can be long: a POST body, never a URL (no 414)
def similar(request):
    """htmx: open appeals resembling what the operator is typing."""
    require(request.actor, Perm.VIEW)
    found = queries.similar_open(
        request.POST.get("content", "")[:500],
        among=visible_appeals(request.actor),
        place=request.POST.get("place", "")[:100],
    )
    return render(request, "appeals/_similar.html", {"similar": found, "staff": True})


@staff_view
def similar_to(request, code: str):
    """htmx: open appeals like this one, loaded when the merge form is opened (up to four word
    searches that the page itself need not wait for)."""
    actor = request.actor
    appeal = access_appeal(actor, code, perm=Perm.MERGE)
    found = (
        queries.similar_open(
            appeal.content,
            among=visible_appeals(actor),
            category=appeal.category,
            place=appeal.place,
            exclude=appeal.pk,
        )
        if appeal.is_open
        else []
    )
    return render(request, "appeals/_merge_hint.html", {"similar": found, "staff": True})


@staff_view
def reviews(request):
    actor = request.actor
    pending = request.GET.get("show", "pending") == "pending"
    listed = list(queries.review_list(visible_reviews(actor), pending=pending)[:200])
    return render(
        request,
        "appeals/reviews.html",
        {
            "reviews": listed,
            # A unit leader decides short extensions only; the rest are the city office's.
            "decidable": {r.pk for r in listed if may_decide(actor, r)},
            "leader_limit": None
            if actor.can(Perm.REVIEW)
            else settings.APPEAL_LEADER_EXTENSION_DAYS,
            "today": timezone.localdate(),
            "pending": pending,
            "form": forms.DecisionForm(),
        },
    )


@staff_view
@require_POST
def decide(request, pk: int):
    actor = request.actor
    review = access_review(actor, pk)
    form = forms.DecisionForm(request.POST)
    return run_action(
        request,
        lambda: actions.decide_review(
            review=review,
            actor=actor,
            approve=form.cleaned_data["approve"],
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda _: (
            f"已{'同意' if form.cleaned_data['approve'] else '不同意'}"
            f"{review.appeal.code}的{review.get_type_display()}申请"
        ),
        back="appeals:reviews",
    )


def _month(request) -> date:
    """The month asked for, else the last complete one (a running month is half judged)."""
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return metrics.last_complete_month(timezone.localdate())


@staff_view
def ranking(request):
    actor = request.actor
    require(actor, Perm.RANKING)
    month = _month(request)
    groups = ranking_groups(visible_units(actor), root=actor.unit)
    group = (
        request.GET.get("group", "")
        if request.GET.get("group") in groups
        else next(iter(groups), "")
    )
    nodes = list(groups.get(group, {}).get("units", []))
    result = metrics.rank(nodes, month=month)
    today = timezone.localdate()
    return render(
        request,
        "appeals/ranking.html",
        {
            "ranking": result,
            "month": month,
            "months": queries.recent_months(today, count=12),
            "running": today.replace(day=1),
            "groups": groups,
            "group": group,
            "legend": metrics.legend(),
        },
    )


@staff_view
def export(request, fmt: str):
    """The queue as it is filtered on the page (same tab, same filters), as CSV or XLSX."""
    if fmt not in ("csv", "xlsx"):
        raise Http404("不支持该导出格式")
    actor = request.actor
    require(actor, Perm.EXPORT)
    form = forms.AppealFilterForm(request.GET)
    listed = queries.staff_appeal_list(actor, form.values, today=timezone.localdate()).appeals
    if fmt == "xlsx":
        try:
            return exports.xlsx_response(listed)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(f"{reverse('appeals:queue')}?{form.query()}")
    return exports.csv_response(listed)


@staff_view
def photo(request, code: str, pk: int):
    """A reporter's photo: personal data, shown only to staff who may see the appeal."""
    appeal = access_appeal(request.actor, code)
    item = queries.photo_of(appeal, pk)
    if item is None:
        raise Http404("没有找到该照片")
    return FileResponse(item.file.open("rb"), content_type=item.content_type)


# --- The caller's phone --------------------------------------------------------------------------

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
    phone = request.POST.get("reporter_phone", "").strip()
    history = caller_appeals(actor, phone_hash=phone_hash(phone)) if is_mobile(phone) else None
    return render(request, "appeals/_caller_history.html", {"history": history, "lookup": True})


# --- Supervision (督查) ---------------------------------------------------------------------------


def _supervising(request, code: str):
    """An appeal of the subtree, for a supervisor's step (404 elsewhere, 403 without the
    right)."""
    return access_appeal(request.actor, code, perm=Perm.SUPERVISE)


@staff_view
@require_POST
def urge(request, code: str):
    appeal = _supervising(request, code)
    form = forms.UrgeForm(request.POST, prefix="urge")
    return run_action(
        request,
        lambda: actions.urge_appeal(
            appeal=appeal,
            actor=request.actor,
            level=Level(form.cleaned_data["rung"]),
            note=form.cleaned_data["note"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda event: f"已{event.get_verb_display()}，并短信通知{appeal.holder.name}",
        back=_page(appeal),
    )


@staff_view
@require_POST
def instruct(request, code: str):
    appeal = _supervising(request, code)
    form = forms.InstructForm(request.POST, prefix="instruct")
    return run_action(
        request,
        lambda: actions.instruct_appeal(
            appeal=appeal,
            actor=request.actor,
            leader=form.cleaned_data["leader"],
            text=form.cleaned_data["text"],
            now=timezone.now(),
        ),
        form=form,
        success="已录入批示，并短信通知承办单位",
        back=_page(appeal),
    )


@staff_view
@require_POST
def interview(request, code: str):
    appeal = _supervising(request, code)
    form = forms.InterviewForm(request.POST, prefix="interview")
    return run_action(
        request,
        lambda: actions.record_interview(
            appeal=appeal,
            actor=request.actor,
            held_on=form.cleaned_data["held_on"],
            interviewees=form.cleaned_data["interviewees"],
            points=form.cleaned_data["points"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda done: f"已记录对{done.unit.name}的约谈，可在该单位页面查看",
        back=_page(appeal),
    )
