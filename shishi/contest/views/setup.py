"""The contests, a contest's home (its setup for the city office, its own months for a
participant), and the setup forms: dimensions, indicators, weights, participants."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.contest import access, actions, forms, queries
from shishi.contest.access import Perm
from shishi.contest.models import Contest
from shishi.orgs.access import require
from shishi.orgs.views.common import run_action, run_form_action, staff_view


def _home(contest) -> str:
    return reverse("contest:contest", args=[contest.pk])


@staff_view
def contest_list(request):
    """单位竞赛: the contests the actor organises or takes part in."""
    actor = request.actor
    contests = list(queries.contest_list(access.visible_contests(actor)))
    return render(
        request,
        "contest/list.html",
        {"contests": contests, "can_create": actor.can(Perm.MANAGE)},
    )


@staff_view
def contest_new(request):
    actor = request.actor
    require(actor, Perm.MANAGE)
    today = timezone.localdate()
    form = forms.ContestForm(request.POST or None, initial={"year": today.year + 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.create_contest(
                data=actions.ContestData(
                    year=data["year"],
                    name=data["name"],
                    due_workday=data["due_workday"],
                    bottom_n=data["bottom_n"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success="竞赛已建立，已带出“六比一看”七个默认维度；请设置指标、权重和参赛单位后启动",
            back=_home,
        )
        if done:
            return done
    return render(request, "contest/new.html", {"form": form})


@staff_view
def contest_detail(request, pk: int):
    """A contest: for the city office its setup (what is missing before it can start) and
    its months; for a participant its own months and notes."""
    actor = request.actor
    contest = access.access_contest(actor, pk)
    manage = access.may_manage(actor, contest)
    office = access.office_side(actor, contest)
    dims = queries.dimensions(contest)
    rounds = queries.rounds(contest)
    context = {
        "contest": contest,
        "tab": "home",
        "manage": manage,
        "office": office,
        "dimensions": dims,
        "frozen": actions.is_frozen(contest),
        "problems": actions.weight_problems(contest) if manage else [],
        "participants": queries.participants(access.visible_participants(actor, contest)),
        "rounds": rounds,
        "tab_month": rounds[-1].month if rounds else 1,
        "mine": []
        if office
        else queries.own_submissions(access.visible_submissions(actor, contest)),
        "today": timezone.localdate(),
    }
    if manage and contest.status != Contest.Status.CLOSED:
        _attach_edit_forms(dims)
        context |= {
            "contest_form": forms.ContestForm(
                year=contest.year,
                initial={
                    "name": contest.name,
                    "due_workday": contest.due_workday,
                    "bottom_n": contest.bottom_n,
                },
            ),
            "dimension_form": forms.DimensionForm(),
            "indicator_form": forms.IndicatorForm(dimensions=dims) if dims else None,
            "weights_form": forms.WeightsForm(dimensions=dims),
            "participants_form": forms.ParticipantsForm(units=queries.candidate_units(contest)),
            "round_form": forms.RoundForm(initial={"month": _next_month(contest, rounds)}),
        }
    return render(request, "contest/contest.html", context)


def _attach_edit_forms(dims) -> None:
    """Each dimension and indicator carries its rename/edit form (`edit_form`; ids unique)."""
    for d in dims:
        d.edit_form = forms.DimensionForm(
            initial={"name": d.name, "order": d.order}, auto_id=f"d{d.pk}_%s"
        )
        for i in d.indicators.all():
            i.edit_form = forms.IndicatorForm(
                dimensions=dims,
                auto_id=f"i{i.pk}_%s",
                initial={
                    "dimension": d.pk, "name": i.name, "unit": i.unit,
                    "direction": i.direction, "data_type": i.data_type,
                    "signed": i.signed, "order": i.order,
                },
            )  # fmt: skip


def _next_month(contest: Contest, rounds) -> int:
    """The first month not yet dispatched (the form's default)."""
    opened = {r.month for r in rounds}
    return next((m for m in range(1, 13) if m not in opened), 12)


def _managed(request, pk: int) -> Contest:
    return access.access_contest(request.actor, pk, manage=True)


@staff_view
@require_POST
def contest_edit(request, pk: int):
    contest = _managed(request, pk)
    form = forms.ContestForm(request.POST, year=contest.year)

    def do():
        data = form.cleaned_data
        return actions.update_contest(
            contest=contest,
            data=actions.ContestData(
                year=contest.year,
                name=data["name"],
                due_workday=data["due_workday"],
                bottom_n=data["bottom_n"],
            ),
            actor=request.actor,
            now=timezone.now(),
        )

    return run_action(request, do, form=form, success="已保存", back=_home(contest))


@staff_view
@require_POST
def dimension_save(request, pk: int, dimension: int | None = None):
    contest = _managed(request, pk)
    row = None
    if dimension is not None:
        row = queries.dimension_of(contest, dimension)
        if row is None:
            raise Http404("没有找到该维度")
    form = forms.DimensionForm(request.POST)
    return run_action(
        request,
        lambda: actions.save_dimension(
            contest=contest,
            dimension=row,
            name=form.cleaned_data["name"],
            order=form.cleaned_data["order"],
            actor=request.actor,
            now=timezone.now(),
        ),
        form=form,
        success="维度已保存；新增维度的权重为0，请在“权重”中调整",
        back=_home(contest),
    )


@staff_view
@require_POST
def dimension_remove(request, pk: int, dimension: int):
    contest = _managed(request, pk)
    row = queries.dimension_of(contest, dimension)
    if row is None:
        raise Http404("没有找到该维度")
    return run_action(
        request,
        lambda: actions.remove_dimension(dimension=row, actor=request.actor, now=timezone.now()),
        success=f"已删除维度“{row.name}”及其指标，请重新检查权重",
        back=_home(contest),
    )


@staff_view
@require_POST
def indicator_save(request, pk: int, indicator: int | None = None):
    contest = _managed(request, pk)
    dims = queries.dimensions(contest)
    form = forms.IndicatorForm(request.POST, dimensions=dims)
    row = None
    if indicator is not None:
        row = queries.indicator_of(contest, indicator)
        if row is None:
            raise Http404("没有找到该指标")

    def do():
        data = form.cleaned_data
        dimension = next(d for d in dims if d.pk == data["dimension"])
        return actions.save_indicator(
            dimension=dimension,
            indicator=row,
            data=actions.IndicatorData(
                name=data["name"],
                unit=data["unit"],
                direction=data["direction"],
                data_type=data["data_type"],
                signed=data["signed"],
                order=data["order"],
            ),
            actor=request.actor,
            now=timezone.now(),
        )

    return run_action(
        request,
        do,
        form=form,
        success="指标已保存；新增指标的权重为0，请在“权重”中调整",
        back=_home(contest),
    )


@staff_view
@require_POST
def indicator_remove(request, pk: int, indicator: int):
    contest = _managed(request, pk)
    row = queries.indicator_of(contest, indicator)
    if row is None:
        raise Http404("没有找到该指标")
    return run_action(
        request,
        lambda: actions.remove_indicator(indicator=row, actor=request.actor, now=timezone.now()),
        success=f"已删除指标“{row.name}”，请重新检查权重",
        back=_home(contest),
    )


@staff_view
@require_POST
def weights_save(request, pk: int):
    contest = _managed(request, pk)
    form = forms.WeightsForm(request.POST, dimensions=queries.dimensions(contest))

    def do():
        dims, inds = form.weights()
        return actions.set_weights(
            contest=contest,
            dimensions=dims,
            indicators=inds,
            actor=request.actor,
            now=timezone.now(),
        )

    return run_action(request, do, form=form, success="权重已保存", back=_home(contest))


@staff_view
@require_POST
def participants_add(request, pk: int):
    contest = _managed(request, pk)
    form = forms.ParticipantsForm(request.POST, units=queries.candidate_units(contest))
    return run_action(
        request,
        lambda: actions.add_participants(
            contest=contest,
            units=list(form.cleaned_data["units"]),
            actor=request.actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda n: f"已新增{n}个参赛单位",
        back=_home(contest),
    )


@staff_view
@require_POST
def participant_remove(request, pk: int, participant: int):
    contest = _managed(request, pk)
    row = queries.participant_of(access.visible_participants(request.actor, contest), participant)
    if row is None:
        raise Http404("没有找到该参赛单位")
    return run_action(
        request,
        lambda: actions.remove_participant(
            participant=row, actor=request.actor, now=timezone.now()
        ),
        success=f"已将{row.unit.name}移出竞赛",
        back=_home(contest),
    )


@staff_view
@require_POST
def contest_open(request, pk: int):
    contest = _managed(request, pk)
    return run_action(
        request,
        lambda: actions.open_contest(contest=contest, actor=request.actor, now=timezone.now()),
        success="竞赛已启动，可以按月发起调度",
        back=_home(contest),
    )


@staff_view
@require_POST
def contest_close(request, pk: int):
    contest = _managed(request, pk)
    return run_action(
        request,
        lambda: actions.close_contest(contest=contest, actor=request.actor, now=timezone.now()),
        success="竞赛已结束，年度排名以此为准",
        back=_home(contest),
    )
