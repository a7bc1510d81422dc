"""Appeal lists: the queues, hotline entry with its similar-appeal hint, review requests,
the ranking and exports."""

from datetime import date

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, exports, forms, metrics, queries
from shishi.appeals.access import (
    Perm,
    access_review,
    may_decide,
    visible_appeals,
    visible_reviews,
)
from shishi.appeals.models import Channel, Kind, Status
from shishi.appeals.views.common import _page
from shishi.core.errors import Refused
from shishi.core.supervision import Level
from shishi.orgs.access import require, visible_units
from shishi.orgs.actions import record_export
from shishi.orgs.queries import ranking_groups
from shishi.orgs.views.common import run_action, run_form_action, staff_view


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
            "unit_filter": listing.unit,
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
        return queries.queue_counts(
            visible_appeals(actor),
            unit=actor.unit,
            today=today,
            keys=[q.key for q in queries.queues_for(actor)],
        )
    if actor.can(Perm.SUPERVISE):
        return queries.supervision_counts(visible_appeals(actor), today=today)
    return {}


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
    listed = queries.staff_appeal_list(
        actor, form.values, today=timezone.localdate(), every_row=True
    ).appeals
    record_export(actor=actor, what=f"诉求清单（{fmt.upper()}）", filters=form.query())
    if fmt == "xlsx":
        try:
            return exports.xlsx_response(listed)
        except Refused as refusal:
            messages.error(request, refusal.message)
            return redirect(f"{reverse('appeals:queue')}?{form.query()}")
    return exports.csv_response(listed)
