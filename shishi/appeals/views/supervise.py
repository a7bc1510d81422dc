"""A supervisor's steps on an appeal: 催办/督办 with a note, 批示, 约谈."""

from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.appeals import actions, forms
from shishi.appeals.access import (
    Perm,
    access_appeal,
)
from shishi.appeals.views.common import _page
from shishi.core.supervision import Level
from shishi.orgs.views.common import run_action, staff_view


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
