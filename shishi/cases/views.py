"""Staff pages of 典型案例评选: the selections, starting one, a selection's page (rubric,
nominations, judges, votes, standings), nominating, a nomination's page (decision, scoring),
suspicious bursts with voiding, publishing and the result documents."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.cases import access, actions, documents, forms, queries, results
from shishi.cases.access import Perm
from shishi.cases.models import Nomination, Phase
from shishi.core import uploads
from shishi.core.forms import number_param
from shishi.orgs.access import require
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view


def _page(selection) -> str:
    return reverse("cases:selection", args=[selection.pk])


def _nomination_page(nomination) -> str:
    return reverse("cases:nomination", args=[nomination.selection_id, nomination.pk])


@staff_view
def selection_list(request):
    actor, today = request.actor, timezone.localdate()
    page = paginate(request, queries.selection_list(access.visible_selections(actor)), per_page=20)
    return render(
        request,
        "cases/list.html",
        {
            "page": page,
            "rows": [(s, s.phase(today)) for s in page.object_list],
            "can_start": actor.can(Perm.RUN),
        },
    )


@staff_view
def selection_new(request):
    actor = request.actor
    require(actor, Perm.RUN)
    form = forms.SelectionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.create_selection(
                data=actions.SelectionData(
                    title=data["title"],
                    description=data["description"],
                    nominate_from=data["nominate_from"],
                    nominate_until=data["nominate_until"],
                    review_until=data["review_until"],
                    vote_until=data["vote_until"],
                    winners=data["winners"],
                    judge_weight=data["judge_weight"],
                    votes_per_day=data["votes_per_day"],
                    criteria=data["rubric"],
                    show_live_counts=data["show_live_counts"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda s: f"已发起评选：{s.title}",
            back=_page,
        )
        if done:
            return done
    return render(request, "cases/new.html", {"form": form})


@staff_view
def selection_detail(request, pk: int):
    """A selection: its phases and rubric; the nominations the actor may see; the judges;
    the votes; the standings once the review is over (the office)."""
    actor, today = request.actor, timezone.localdate()
    selection = access.access_selection(actor, pk)
    phase = selection.phase(today)
    runs = access.runs(actor, selection)
    judge = access.judge_of(actor, selection)
    form = forms.NominationFilterForm(request.GET)
    rows = access.visible_nominations(actor, selection)
    if form.values["status"]:
        rows = rows.filter(status=form.values["status"])
    show_standings = runs and phase in (Phase.VOTING, Phase.RESULTS)
    return render(
        request,
        "cases/selection.html",
        {
            "selection": selection,
            "phase": phase,
            "phases": Phase,
            "criteria": queries.criteria(selection),
            "nominations": queries.nomination_list(rows),
            "filter_form": form,
            "statuses": Nomination.Status.choices,
            "judges": queries.judges(selection),
            "judge": judge,
            "scored": queries.scored_by(judge) if judge else set(),
            "runs": runs,
            "judge_form": forms.JudgeForm(people=queries.judge_candidates()) if runs else None,
            "counts": queries.vote_counts(selection),
            "standings": results.standings(selection) if show_standings else None,
            "formula": results.FORMULA,
            "can_nominate": actor.can(Perm.NOMINATE) and phase == Phase.NOMINATION,
            "events": queries.events(selection)[:20] if runs else [],
        },
    )


@staff_view
def nominate(request, pk: int):
    actor = request.actor
    require(actor, Perm.NOMINATE)
    selection = access.access_selection(actor, pk)
    form = forms.NominationForm(
        request.POST or None,
        request.FILES or None,
        projects=queries.nominable_projects(actor.scope_path, selection),
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.nominate(
                selection=selection,
                data=actions.NominationData(
                    title=data["title"],
                    summary=data["summary"],
                    project=data["project"],
                    photos=data["photos"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda n: f"已推荐：{n.title}，等待主办单位审核",
            back=_nomination_page,
        )
        if done:
            return done
    return render(request, "cases/nominate.html", {"form": form, "selection": selection})


@staff_view
def nomination_detail(request, pk: int, nomination: int):
    actor, today = request.actor, timezone.localdate()
    selection = access.access_selection(actor, pk)
    item = access.access_nomination(actor, selection, nomination)
    phase = selection.phase(today)
    judge = access.judge_of(actor, selection)
    may_score = (
        judge is not None
        and phase == Phase.REVIEW
        and item.status == Nomination.Status.ACCEPTED
        and not access.conflicted(judge, item)
    )
    mine = queries.my_scores(judge, item) if judge else {}
    return render(
        request,
        "cases/nomination.html",
        {
            "selection": selection,
            "item": item,
            "photos": queries.photos(item),
            "may_decide": access.runs(actor, selection)
            and phase in (Phase.NOMINATION, Phase.REVIEW),
            "decide_form": forms.DecideForm(),
            "judge": judge,
            "conflicted": judge is not None and access.conflicted(judge, item),
            "may_score": may_score,
            "lines": [(c, mine.get(c.pk)) for c in queries.criteria(selection)],
        },
    )


@staff_view
def nomination_photo(request, pk: int, nomination: int, photo: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    item = access.access_nomination(actor, selection, nomination)
    return uploads.serve(queries.photo_of(item, photo))


@staff_view
@require_POST
def decide(request, pk: int, nomination: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    item = access.access_nomination(actor, selection, nomination)
    access.require_run(actor, selection)
    form = forms.DecideForm(request.POST)
    accept = request.POST.get("decision") == "accept"
    return run_action(
        request,
        lambda: actions.decide_nomination(
            nomination=item,
            accept=accept,
            reason=form.cleaned_data["reason"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda n: f"{n.title}：{n.get_status_display()}",
        back=_nomination_page(item),
    )


@staff_view
@require_POST
def score(request, pk: int, nomination: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    item = access.access_nomination(actor, selection, nomination)
    points = {}
    for criterion in queries.criteria(selection):
        given = number_param(request.POST.get(f"c{criterion.pk}"))
        points[criterion.pk] = given if given is not None else -1
    return run_action(
        request,
        lambda: actions.score_nomination(
            nomination=item, points=points, actor=actor, now=timezone.now()
        ),
        success=lambda scores: f"已评分：{item.title}，合计{sum(s.points for s in scores)}分",
        back=_nomination_page(item),
    )


@staff_view
@require_POST
def add_judge(request, pk: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    access.require_run(actor, selection)
    form = forms.JudgeForm(request.POST, people=queries.judge_candidates())
    return run_action(
        request,
        lambda: actions.add_judge(
            selection=selection, person=form.cleaned_data["person"], actor=actor, now=timezone.now()
        ),
        form=form,
        success=lambda judge: f"已聘请评委：{judge.person.name}",
        back=_page(selection),
    )


@staff_view
def bursts(request, pk: int):
    """可疑投票: bursts of votes that look organised; the office voids them with a reason."""
    actor = request.actor
    selection = access.access_selection(actor, pk)
    access.require_run(actor, selection)
    return render(
        request,
        "cases/bursts.html",
        {
            "selection": selection,
            "bursts": queries.bursts(selection),
            "counts": queries.vote_counts(selection),
            "window": queries.WINDOW,
            "thresholds": {
                "address": queries.PHONES_PER_ADDRESS,
                "sequence": queries.SEQUENCE,
                "prefix": queries.PREFIX_SURGE,
            },
        },
    )


@staff_view
@require_POST
def void(request, pk: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    access.require_run(actor, selection)
    form = forms.VoidForm(request.POST)
    return run_action(
        request,
        lambda: actions.void_votes(
            selection=selection,
            vote_ids=form.cleaned_data["votes"],
            reason=form.cleaned_data["reason"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda n: f"已作废{n}票，已记录",
        back=reverse("cases:bursts", args=[selection.pk]),
    )


@staff_view
@require_POST
def publish(request, pk: int):
    actor = request.actor
    selection = access.access_selection(actor, pk)
    access.require_run(actor, selection)
    return run_action(
        request,
        lambda: actions.publish_results(selection=selection, actor=actor, now=timezone.now()),
        success="结果已发布，公众可在投票页面查看",
        back=_page(selection),
    )


@staff_view
def results_file(request, pk: int, fmt: str):
    """The office's copy once voting has closed (published or not)."""
    actor = request.actor
    selection = access.access_selection(actor, pk)
    access.require_run(actor, selection)
    if fmt not in documents.FORMATS:
        raise Http404("没有该格式")
    if selection.phase(timezone.localdate()) != Phase.RESULTS:
        messages.error(request, "投票结束后才能导出结果")
        return redirect(_page(selection))
    return documents.download(selection, fmt, today=timezone.localdate())
