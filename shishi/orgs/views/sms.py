"""Staff pages of the SMS provider (city office only): which template each SMS kind is sent
with, and the SMS that did not arrive, with a resend."""

from django import forms
from django.conf import settings
from django.http import Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import actions as core_actions
from shishi.core import queries, sms
from shishi.orgs.access import Perm, require
from shishi.orgs.views.common import paginate, run_action, staff_view


class TemplateForm(forms.Form):
    kind = forms.CharField(max_length=60)
    template_id = forms.CharField(max_length=60, required=False)


@staff_view
def sms_templates(request):
    """GET: every kind, its variables and text, its template ID (the unmapped first).
    POST: map one kind (an empty ID unmaps it)."""
    require(request.actor, Perm.MANAGE_SMS)
    if request.method == "POST":
        form = TemplateForm(request.POST)
        data = form.cleaned_data if form.is_valid() else {}
        return run_action(
            request,
            lambda: core_actions.set_sms_template(
                by=request.user, kind=data["kind"], template_id=data["template_id"]
            ),
            success="已保存短信模板编号",
            back="staff:sms_templates",
            form=form,
            invalid="请填写正确的模板编号",
        )
    rows = queries.sms_kinds()
    return render(
        request,
        "staff/sms_templates.html",
        {
            "rows": rows,
            "missing": sum(1 for row in rows if not row.template_id),
            "backend": settings.OUTBOX_BACKENDS["sms"].rsplit(".", 1)[-1],
            "sign_name": settings.SMS_SIGN_NAME,
            "limit": settings.SMS_VARIABLE_LIMIT,
        },
    )


@staff_view
def sms_failures(request):
    """The SMS of the last SMS_FAILURES_DAYS days that were not delivered, with the reason."""
    require(request.actor, Perm.MANAGE_SMS)
    days = settings.SMS_FAILURES_DAYS
    page = paginate(request, queries.sms_failures(now=timezone.now(), days=days))
    kinds = sms.kinds()
    for message in page.object_list:
        kind = kinds.get(message.kind)
        message.kind_label = kind.label if kind else (message.kind or "自由文本")
    return render(request, "staff/sms_failures.html", {"page": page, "days": days})


@staff_view
@require_POST
def sms_resend(request, pk: int):
    require(request.actor, Perm.MANAGE_SMS)
    message = queries.failed_sms(pk)
    if message is None:
        raise Http404
    return run_action(
        request,
        lambda: core_actions.resend_sms(by=request.user, message=message, now=timezone.now()),
        success="已重新排队发送",
        back="staff:sms_failures",
    )
