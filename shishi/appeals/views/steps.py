"""The steps taken on an appeal's page: dispatch, reclassify, sign, return, requests,
reply and its approval, callback, merge. Each parses, checks access and runs one action."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, forms, queries
from shishi.appeals.access import (
    Perm,
    access_appeal,
    access_co_dispatch,
)
from shishi.appeals.models import Reply
from shishi.appeals.views.common import _holding, _page
from shishi.orgs.access import visible_units
from shishi.orgs.views.common import form_errors, run_action, staff_view


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
