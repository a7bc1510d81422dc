"""One appeal's staff page, its photos and the merge form's similar appeals."""

from django.conf import settings
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone

from shishi.appeals import forms, queries
from shishi.appeals.access import (
    Perm,
    access_appeal,
    visible_appeals,
)
from shishi.appeals.allowed import Step, allowed_actions
from shishi.appeals.views.phone import _phone_shown_until
from shishi.core import queries as core_queries
from shishi.orgs.access import visible_units
from shishi.orgs.notify import ref
from shishi.orgs.views.common import staff_view


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
def photo(request, code: str, pk: int):
    """A reporter's photo: personal data, shown only to staff who may see the appeal."""
    appeal = access_appeal(request.actor, code)
    item = queries.photo_of(appeal, pk)
    if item is None:
        raise Http404("没有找到该照片")
    return FileResponse(item.file.open("rb"), content_type=item.content_type)


@staff_view
def sms_deliveries(request, code: str):
    """htmx: whether the SMS about the appeal arrived (短信已送达 / 发送失败), under its
    timeline — loaded after the page, which keeps within its query budget."""
    appeal = access_appeal(request.actor, code)
    deliveries = core_queries.sms_deliveries(ref(appeal))
    return render(request, "includes/sms_deliveries.html", {"sms_deliveries": deliveries})
