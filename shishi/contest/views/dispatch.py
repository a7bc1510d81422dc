"""月调度: the month's dispatch board, opening a month, one submission's page (values and
evidence for the participant; accept/return and the extension decision for the city
office), and the evidence files."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.contest import access, actions, forms, queries
from shishi.contest.allowed import Step, allowed_actions
from shishi.core import kept, uploads
from shishi.orgs.views.common import run_action, staff_view


def _page(submission) -> str:
    return reverse("contest:submission", args=[submission.pk])


@staff_view
def board(request, pk: int, month: int):
    """The month's board: who submitted, who is late or overdue, what was returned."""
    actor, today = request.actor, timezone.localdate()
    contest = access.access_contest(actor, pk)
    if not 1 <= month <= 12:
        raise Http404("没有该月份")
    form = forms.BoardFilterForm(request.GET)
    filters = form.values
    rows, counts = queries.board(
        access.visible_submissions(actor, contest),
        month=month,
        status=filters["status"],
        today=today,
    )
    return render(
        request,
        "contest/board.html",
        {
            "contest": contest,
            "tab": "board",
            "tab_month": month,
            "month": month,
            "round": queries.round_of(contest, month),
            "rounds": queries.rounds(contest),
            "rows": rows,
            "counts": counts,
            "filters": filters,
            "filter_form": form,
            "statuses": forms.BOARD_STATUSES,
            "office": access.office_side(actor, contest),
            "manage": access.may_manage(actor, contest),
            "today": today,
        },
    )


@staff_view
@require_POST
def round_open(request, pk: int):
    contest = access.access_contest(request.actor, pk, manage=True)
    form = forms.RoundForm(request.POST)
    month = form.cleaned_data["month"] if form.is_valid() else None
    return run_action(
        request,
        lambda: actions.open_round(
            contest=contest, month=month, actor=request.actor, now=timezone.now()
        ),
        form=form,
        success=lambda r: f"{r.month}月调度已发起，报送期限 {r.due:%Y-%m-%d}，已短信通知各参赛单位",
        back=reverse("contest:board", args=[contest.pk, month])
        if month
        else reverse("contest:contest", args=[contest.pk]),
    )


@staff_view
def submission_detail(request, pk: int):
    actor = request.actor
    submission = access.access_submission(actor, pk)
    contest = submission.round.contest
    exts = queries.extensions(submission)
    pending = next((e for e in exts if e.status == "pending"), None)
    allowed = allowed_actions(actor, submission, pending=pending is not None)
    current = queries.submission_values(submission)
    indicators = queries.indicators(contest)
    return render(
        request,
        "contest/submission.html",
        {
            "contest": contest,
            "submission": submission,
            "rows": [(i, current.get(i.pk)) for i in indicators],
            "files": queries.files(submission),
            "extensions": exts,
            "pending": pending,
            "events": queries.timeline(submission),
            "allowed": allowed,
            "values_form": _values_form(request, submission, indicators, current)
            if Step.SUBMIT in allowed
            else None,
            "extension_form": forms.ExtensionForm(),
            "return_form": forms.ReturnForm(),
            "decision_form": forms.DecisionForm(),
            "today": timezone.localdate(),
        },
    )


def _key(submission) -> str:
    """Where a refused submission's typed values wait for the next try (core.kept)."""
    return f"contest-values:{submission.pk}"


def _values_form(request, submission, indicators, current):
    """The values form: what was typed before a refusal, else the values on file."""
    typed = kept.recall_form(request.session, form=_key(submission))
    if typed is not None:
        return forms.ValuesForm(typed, indicators=indicators)
    return forms.ValuesForm(indicators=indicators, current=current)


@staff_view
@require_POST
def submission_submit(request, pk: int):
    """报送. A refusal keeps what was typed (not the files: a browser does not put them back)
    so the page shows it again with the message naming the value to fix."""
    actor = request.actor
    submission = access.access_submission(actor, pk)
    access.require_submit(actor, submission)
    indicators = queries.indicators(submission.round.contest)
    form = forms.ValuesForm(request.POST, request.FILES, indicators=indicators)
    done = []

    def do():
        done.append(
            actions.submit_values(
                submission=submission,
                entry=actions.Entry(
                    values=form.entered(),
                    note=form.cleaned_data["note"],
                    files=form.cleaned_data["files"],
                ),
                actor=actor,
                now=timezone.now(),
            )
        )

    response = run_action(
        request,
        do,
        form=form,
        success="已报送，等待竞赛组织单位审核",
        back=_page(submission),
    )
    if not done:
        kept.remember_form(request.session, form=_key(submission), data=request.POST)
    return response


@staff_view
@require_POST
def submission_accept(request, pk: int):
    actor = request.actor
    submission = access.access_submission(actor, pk)
    access.require_review(actor, submission)
    return run_action(
        request,
        lambda: actions.accept_submission(submission=submission, actor=actor, now=timezone.now()),
        success=f"已采用{submission.participant.unit.name}{submission.round.month}月数据，计入排名",
        back=_page(submission),
    )


@staff_view
@require_POST
def submission_return(request, pk: int):
    actor = request.actor
    submission = access.access_submission(actor, pk)
    access.require_review(actor, submission)
    form = forms.ReturnForm(request.POST)
    return run_action(
        request,
        lambda: actions.return_submission(
            submission=submission,
            actor=actor,
            reason=form.cleaned_data["reason"],
            now=timezone.now(),
        ),
        form=form,
        success=lambda s: f"已退回{s.participant.unit.name}，重新报送期限 {s.due:%Y-%m-%d}",
        back=_page(submission),
    )


@staff_view
@require_POST
def extension_request(request, pk: int):
    actor = request.actor
    submission = access.access_submission(actor, pk)
    access.require_submit(actor, submission)
    form = forms.ExtensionForm(request.POST)
    return run_action(
        request,
        lambda: actions.request_extension(
            submission=submission,
            until=form.cleaned_data["until"],
            reason=form.cleaned_data["reason"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success="延期申请已提交，等待竞赛组织单位审批",
        back=_page(submission),
    )


@staff_view
@require_POST
def extension_decide(request, pk: int, extension: int):
    actor = request.actor
    submission = access.access_submission(actor, pk)
    access.require_review(actor, submission)
    row = queries.extension_of(submission, extension)
    if row is None:
        raise Http404("没有找到该延期申请")
    form = forms.DecisionForm(request.POST)
    return run_action(
        request,
        lambda: actions.decide_extension(
            extension=row,
            approve=form.cleaned_data["approve"],
            answer=form.cleaned_data["answer"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda e: f"已{e.get_status_display().removeprefix('已')}延期申请",
        back=_page(submission),
    )


@staff_view
def submission_file(request, pk: int, file: int):
    """Evidence, for those who may see the submission (never straight from MEDIA)."""
    submission = access.access_submission(request.actor, pk)
    return uploads.serve(queries.file_of(submission, file))
