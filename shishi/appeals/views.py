"""Staff pages for appeals: queues, detail with every action, hotline entry, reviews,
ranking and exports. Thin: parse, access, act or query, render."""

from datetime import date

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, exports, forms, metrics, queries
from shishi.appeals.access import (
    Perm,
    access_appeal,
    access_co_dispatch,
    access_review,
    visible_appeals,
    visible_reviews,
)
from shishi.appeals.models import Channel, Kind, Status
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.queries import ranking_groups
from shishi.orgs.views.common import staff_view


def _category(request):
    value = request.GET.get("category", "")
    return queries.top_or_any_category(int(value)) if value.isdigit() else None


@staff_view
def queue(request):
    actor = request.actor
    appeals = visible_appeals(actor)
    today = timezone.localdate()
    key = request.GET.get("queue", "")
    if queries.APPEAL_CODE.fullmatch(request.GET.get("q", "").strip().upper()):
        key = "all"  # a code is looked up wherever the appeal stands
    if key not in queries.QUEUE_KEYS:
        key = "to_dispatch" if actor.can(Perm.INTAKE) else "to_sign"
        if not actor.can(Perm.HANDLE):
            key = "all"
    filters = queries.Filters.from_params(request.GET)
    unit = access_unit(actor, filters.unit) if filters.unit else None
    listed = queries.apply_filters(
        queries.queue(appeals, key=key, unit=actor.unit, today=today),
        filters,
        today=today,
        unit=unit,
        category=_category(request),
    )
    page = queries.keyset_page(listed, after=request.GET.get("after", ""))
    params = request.GET.copy()
    params.pop("after", None)
    return render(
        request,
        "appeals/queue.html",
        {
            "queues": queries.QUEUES,
            "current": key,
            "page": page,
            "today": today,
            "counts": queries.queue_counts(appeals, unit=actor.unit, today=today)
            if actor.can(Perm.HANDLE)
            else {},
            "filters": filters,
            "query": params.urlencode(),
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


@staff_view
def detail(request, code: str):
    actor = request.actor
    appeal = access_appeal(actor, code)
    holds = appeal.holder_id == actor.unit.pk and actor.can(Perm.HANDLE)
    units = visible_units(actor) if holds else None
    co_dispatch = queries.open_co_dispatch(appeal, unit=actor.unit)
    context = {
        "appeal": appeal,
        "events": queries.timeline(appeal),
        "dispatches": queries.dispatch_history(appeal),
        "replies": appeal.replies.select_related("unit").order_by("at"),
        "photos": appeal.photos.all(),
        "reviews": appeal.reviews.select_related("unit").order_by("-requested_at"),
        "merged": appeal.merged_appeals.only("code", "title"),
        "similar": queries.similar_open(
            appeal.content,
            among=visible_appeals(actor),
            category=appeal.category,
            place=appeal.place,
            exclude=appeal.pk,
        )
        if appeal.is_open
        else [],
        "holds": holds,
        "co_dispatch": co_dispatch if actor.can(Perm.HANDLE) else None,
        "today": timezone.localdate(),
        "can_callback": actor.can(Perm.CALLBACK) and appeal.status == Status.REPLIED,
        "can_merge": actor.can(Perm.MERGE) and appeal.is_open,
        "dispatch_form": forms.DispatchForm(
            units=queries.units_for_dispatch(units, holder=actor.unit)
        )
        if holds
        else None,
        "reason_form": forms.ReasonForm(auto_id="return_%s"),
        "invalid_form": forms.ReasonForm(prefix="invalid"),
        # Distinct ids on one page (several forms have a 理由 field); names stay the same.
        "extension_form": forms.ExtensionForm(auto_id="extension_%s"),
        "reply_form": forms.ReplyForm(auto_id="id_%s"),
        "verdict_form": forms.VerdictForm(auto_id="callback_%s"),
        "merge_form": forms.MergeForm(auto_id="merge_%s"),
        "links": queries.links_for(actor),
    }
    return render(request, "appeals/detail.html", context)


def _act(
    request, code: str, do, *, perm: str = Perm.HANDLE, must_hold: bool = True, done: str = "已完成"
):
    """Run one action on one appeal from a POSTed form and go back to its page."""
    appeal = access_appeal(request.actor, code, perm=perm, must_hold=must_hold)
    try:
        do(appeal)
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, done)
    return redirect("appeals:detail", code=appeal.code)


def _invalid(request, code: str, form, *, perm: str = Perm.HANDLE, must_hold: bool = True):
    """A bad form on an action: outsiders still get 404 (and the role check 403) first."""
    access_appeal(request.actor, code, perm=perm, must_hold=must_hold)
    messages.error(request, "；".join(e for errors in form.errors.values() for e in errors))
    return redirect("appeals:detail", code=code)


@staff_view
@require_POST
def dispatch(request, code: str):
    actor = request.actor
    appeal = access_appeal(actor, code, perm=Perm.HANDLE, must_hold=True)
    form = forms.DispatchForm(
        request.POST, units=queries.units_for_dispatch(visible_units(actor), holder=actor.unit)
    )
    if not form.is_valid():
        return _invalid(request, code, form)
    data = form.cleaned_data
    return _act(
        request,
        appeal.code,
        lambda a: actions.dispatch_appeal(
            appeal=a,
            actor=actor,
            to_unit=data["to_unit"],
            co_units=list(data["co_units"]),
            note=data["note"],
            now=timezone.now(),
        ),
        done=f"已派至{data['to_unit'].name}",
    )


@staff_view
@require_POST
def sign(request, code: str):
    return _act(
        request,
        code,
        lambda a: actions.sign_appeal(appeal=a, actor=request.actor, now=timezone.now()),
        done="已签收",
    )


@staff_view
@require_POST
def co_sign(request, code: str):
    appeal = access_appeal(request.actor, code)
    dispatch = access_co_dispatch(request.actor, appeal)
    try:
        actions.sign_as_co_handler(dispatch=dispatch, actor=request.actor, now=timezone.now())
    except Refused as refusal:
        messages.error(request, refusal.message)
    else:
        messages.success(request, "已签收协办")
    return redirect("appeals:detail", code=appeal.code)


@staff_view
@require_POST
def give_back(request, code: str):
    form = forms.ReasonForm(request.POST)
    if not form.is_valid():
        return _invalid(request, code, form)
    return _act(
        request,
        code,
        lambda a: actions.return_appeal(
            appeal=a, actor=request.actor, reason=form.cleaned_data["reason"], now=timezone.now()
        ),
        done="已退单",
    )


@staff_view
@require_POST
def extension(request, code: str):
    form = forms.ExtensionForm(request.POST)
    if not form.is_valid():
        return _invalid(request, code, form)
    return _act(
        request,
        code,
        lambda a: actions.request_extension(
            appeal=a,
            actor=request.actor,
            days=form.cleaned_data["days"],
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        done="已提交延期申请，等待审核",
    )


@staff_view
@require_POST
def invalid(request, code: str):
    form = forms.ReasonForm(request.POST, prefix="invalid")
    if not form.is_valid():
        return _invalid(request, code, form)
    return _act(
        request,
        code,
        lambda a: actions.request_invalid(
            appeal=a, actor=request.actor, reason=form.cleaned_data["reason"], now=timezone.now()
        ),
        done="已提交无效件申请，等待审核",
    )


@staff_view
@require_POST
def reply(request, code: str):
    form = forms.ReplyForm(request.POST)
    if not form.is_valid():
        return _invalid(request, code, form)
    data = form.cleaned_data
    return _act(
        request,
        code,
        lambda a: actions.reply_appeal(
            appeal=a,
            actor=request.actor,
            kind=data["kind"],
            text=data["text"],
            reason=data["reason"],
            now=timezone.now(),
        ),
        done="已答复，等待群众评价",
    )


@staff_view
@require_POST
def callback(request, code: str):
    form = forms.VerdictForm(request.POST)
    if not form.is_valid():
        return _invalid(request, code, form, perm=Perm.CALLBACK, must_hold=False)
    return _act(
        request,
        code,
        lambda a: actions.record_verdict(
            appeal=a,
            verdict=form.cleaned_data["verdict"],
            note=form.cleaned_data["note"],
            actor=request.actor,
            now=timezone.now(),
        ),
        perm=Perm.CALLBACK,
        must_hold=False,
        done="已记录回访结果",
    )


@staff_view
@require_POST
def merge(request, code: str):
    actor = request.actor
    form = forms.MergeForm(request.POST)
    if not form.is_valid():
        return _invalid(request, code, form, perm=Perm.MERGE, must_hold=False)
    try:
        primary = access_appeal(actor, form.cleaned_data["primary"].strip().upper())
    except Http404:
        messages.error(request, "没有找到要合并到的诉求，请核对受理编号")
        return redirect("appeals:detail", code=code)
    return _act(
        request,
        code,
        lambda a: actions.merge_appeal(
            duplicate=a, primary=primary, actor=actor, now=timezone.now()
        ),
        perm=Perm.MERGE,
        must_hold=False,
        done=f"已合并到{primary.code}",
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
        try:
            appeal, _ = actions.submit_appeal(
                submission=actions.Submission(
                    channel=Channel.OPERATOR, **{k: data[k] for k in forms.SUBMISSION_FIELDS}
                ),
                receiver=actor.unit,
                by=actor,
                now=timezone.now(),
                photos=data["photos"],
                direct_reply=data["direct_reply"],
            )
        except Refused as refusal:
            form.add_error(None, refusal.message)
        else:
            messages.success(
                request,
                f"已登记，受理编号 {appeal.code}"
                + ("，已直接办结" if data["direct_reply"] else "，请派单"),
            )
            return redirect("appeals:detail", code=appeal.code)
    return render(request, "appeals/new.html", {"form": form})


@staff_view
def similar(request):
    """htmx: open appeals resembling what the operator is typing."""
    require(request.actor, Perm.VIEW)
    found = queries.similar_open(
        request.GET.get("content", "")[:500],
        among=visible_appeals(request.actor),
        place=request.GET.get("place", "")[:100],
    )
    return render(request, "appeals/_similar.html", {"similar": found, "staff": True})


@staff_view
def reviews(request):
    actor = request.actor
    pending = request.GET.get("show", "pending") == "pending"
    listed = queries.review_list(visible_reviews(actor), pending=pending)
    return render(
        request,
        "appeals/reviews.html",
        {
            "reviews": listed[:200],
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
    if form.is_valid():
        try:
            actions.decide_review(
                review=review,
                actor=actor,
                approve=form.cleaned_data["approve"],
                note=form.cleaned_data["note"],
                now=timezone.now(),
            )
        except Refused as refusal:
            messages.error(request, refusal.message)
        else:
            verdict = "同意" if form.cleaned_data["approve"] else "不同意"
            messages.success(
                request, f"已{verdict}{review.appeal.code}的{review.get_type_display()}申请"
            )
    return redirect("appeals:reviews")


def _month(request) -> date:
    value = request.GET.get("month", "")
    try:
        year, month = (int(part) for part in value.split("-"))
        return date(year, month, 1)
    except ValueError:
        return timezone.localdate().replace(day=1)


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
    months = queries.recent_months(timezone.localdate(), count=12)
    return render(
        request,
        "appeals/ranking.html",
        {
            "ranking": result,
            "month": month,
            "months": months,
            "groups": groups,
            "group": group,
        },
    )


@staff_view
def export(request, fmt: str):
    if fmt not in ("csv", "xlsx"):
        raise Http404("不支持该导出格式")
    actor = request.actor
    require(actor, Perm.EXPORT)
    today = timezone.localdate()
    filters = queries.Filters.from_params(request.GET)
    unit = access_unit(actor, filters.unit) if filters.unit else None
    key = request.GET.get("queue", "all")
    listed = queries.apply_filters(
        queries.queue(
            visible_appeals(actor),
            key=key if key in queries.QUEUE_KEYS else "all",
            unit=actor.unit,
            today=today,
        ),
        filters,
        today=today,
        unit=unit,
        category=_category(request),
    )
    if fmt == "xlsx":
        try:
            return exports.xlsx_response(listed)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(f"{request.path.rsplit('export', 1)[0]}?{request.GET.urlencode()}")
    return exports.csv_response(listed)


@staff_view
def photo(request, code: str, pk: int):
    """A reporter's photo: personal data, shown only to staff who may see the appeal."""
    appeal = access_appeal(request.actor, code)
    item = queries.photo_of(appeal, pk)
    if item is None:
        raise Http404("没有找到该照片")
    return FileResponse(item.file.open("rb"), content_type=item.content_type)
