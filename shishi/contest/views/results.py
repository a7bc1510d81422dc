"""Rankings and reviews: the monthly ranking with the formula beside it, the quarterly
notes, the year-end ranking with the 约谈 list, interviews and 转为整改."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.contest import access, actions, forms, queries, scoring
from shishi.orgs.views.common import run_action, staff_view


def _latest_month(contest) -> int:
    months = [r.month for r in queries.rounds(contest)]
    return months[-1] if months else 1


@staff_view
def ranking(request, pk: int):
    """月度排名: every participant's dimension and total scores for a month (published to
    all participants, as the 通报 is), the formula beside them."""
    actor = request.actor
    contest = access.access_contest(actor, pk)
    form = forms.MonthForm(request.GET)
    month = form.values["month"] or _latest_month(contest)
    result = scoring.month_ranking(contest, month)
    return render(
        request,
        "contest/ranking.html",
        {
            "contest": contest,
            "tab": "ranking",
            "tab_month": month,
            "office": access.office_side(actor, contest),
            "month": month,
            "months": [r.month for r in queries.rounds(contest)],
            "ranking": result,
            "rows": [
                (row, [row.dimensions.get(d.pk) for d in result.dimensions]) for row in result.rows
            ],
            "formula": scoring.FORMULA,
            "filter_form": form,
        },
    )


@staff_view
def notes(request, pk: int):
    """季点评: the city office writes one note per participant and quarter; a participant
    reads its own."""
    actor = request.actor
    contest = access.access_contest(actor, pk)
    manage = access.may_manage(actor, contest)
    visible = access.visible_participants(actor, contest)
    participants = queries.participants(visible)
    today = timezone.localdate()
    quarter = (today.month - 1) // 3 + 1 if today.year == contest.year else 4
    filter_form = forms.NoteFilterForm(request.GET, participants=participants)
    filters = filter_form.values
    return render(
        request,
        "contest/notes.html",
        {
            "contest": contest,
            "tab": "notes",
            "filters": filters,
            "filter_form": filter_form,
            "participants": participants,
            "tab_month": _latest_month(contest),
            "office": access.office_side(actor, contest),
            "notes": queries.notes(
                access.visible_notes(actor, contest),
                quarter=filters["quarter"],
                participant=filters["participant"],
            ),
            "manage": manage,
            "form": forms.NoteForm(participants=participants, initial={"quarter": quarter})
            if manage and participants
            else None,
        },
    )


@staff_view
@require_POST
def note_write(request, pk: int):
    actor = request.actor
    contest = access.access_contest(actor, pk, manage=True)
    visible = access.visible_participants(actor, contest)
    form = forms.NoteForm(request.POST, participants=queries.participants(visible))

    def do():
        participant = queries.participant_of(visible, form.cleaned_data["participant"])
        return actions.write_note(
            participant=participant,
            quarter=form.cleaned_data["quarter"],
            text=form.cleaned_data["text"],
            actor=actor,
            now=timezone.now(),
        )

    return run_action(
        request,
        do,
        form=form,
        success=lambda n: (
            f"已保存对{n.participant.unit.name}第{n.quarter}季度的点评，该单位可以看到"
        ),
        back=reverse("contest:notes", args=[contest.pk]),
    )


@staff_view
def year(request, pk: int):
    """年终总评: the year's ranking, the 约谈 list (bottom N), interviews and their points."""
    actor = request.actor
    contest = access.access_contest(actor, pk)
    manage = access.may_manage(actor, contest)
    result = scoring.year_ranking(contest)
    listed = scoring.interview_list(result)
    office = access.office_side(actor, contest)
    timeliness = queries.timeliness(contest, today=timezone.localdate()) if office else {}
    return render(
        request,
        "contest/year.html",
        {
            "contest": contest,
            "tab": "year",
            "tab_month": _latest_month(contest),
            "ranking": result,
            "rows": [
                (
                    row,
                    [row.dimensions.get(d.pk) for d in result.dimensions],
                    timeliness.get(row.participant.pk, {}),
                )
                for row in result.rows
            ],
            "office": office,
            "listed": {row.participant.pk for row in listed},
            "formula": scoring.FORMULA,
            "months": len(queries.rounds(contest)),
            "interviews": queries.interviews(access.visible_interviews(actor, contest)),
            "manage": manage,
            "interview_form": forms.InterviewForm(
                participants=[row.participant for row in listed],
                initial={"held_on": timezone.localdate()},
            )
            if manage and listed
            else None,
            "rectify_form": forms.RectifyForm() if manage else None,
        },
    )


@staff_view
@require_POST
def interview_record(request, pk: int):
    actor = request.actor
    contest = access.access_contest(actor, pk, manage=True)
    visible = access.visible_participants(actor, contest)
    form = forms.InterviewForm(request.POST, participants=queries.participants(visible))

    def do():
        data = form.cleaned_data
        return actions.record_interview(
            data=actions.InterviewData(
                participant=queries.participant_of(visible, data["participant"]),
                held_on=data["held_on"],
                interviewers=data["interviewers"],
                interviewees=data["interviewees"],
                points=data["points"].splitlines(),
            ),
            actor=actor,
            now=timezone.now(),
        )

    return run_action(
        request,
        do,
        form=form,
        success=lambda i: f"已登记对{i.participant.unit.name}的约谈，可将要点转为整改事项",
        back=reverse("contest:year", args=[contest.pk]),
    )


@staff_view
@require_POST
def point_rectify(request, pk: int, interview: int, point: int):
    actor = request.actor
    contest = access.access_contest(actor, pk, manage=True)
    row = queries.point_of(access.access_interview(actor, contest, interview), point)
    if row is None:
        raise Http404("没有找到该约谈要点")
    form = forms.RectifyForm(request.POST)
    return run_action(
        request,
        lambda: actions.point_to_rectification(
            point=row,
            measures=form.cleaned_data["measures"],
            days=form.cleaned_data["days"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda item: f"已转为整改事项 {item.code}，整改期限 {item.due:%Y-%m-%d}",
        back=reverse("contest:year", args=[contest.pk]),
    )
