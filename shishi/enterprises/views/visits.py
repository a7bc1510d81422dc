"""Staff pages of 走访 and 企业诉求: a cadre's enterprises, visits (list, entry, page),
visit frequency per cadre, problems raised from a visit or for an enterprise, and the
problem lists per enterprise and per county."""

from datetime import date

from django.core.exceptions import PermissionDenied
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from shishi.enterprises import access, actions, forms, queries
from shishi.enterprises.access import Perm
from shishi.enterprises.models import Problem, Visit
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.views.common import paginate, run_form_action, staff_view


@staff_view
def mine(request):
    """我的挂钩企业: the actor's current pairings, the soonest visit due first."""
    actor = request.actor
    require(actor, Perm.VISIT)
    return render(
        request,
        "enterprises/mine.html",
        {
            "pairings": queries.my_enterprises(access.my_pairings(actor)),
            "today": timezone.localdate(),
            "visit_days": actions.visit_days(),
        },
    )


@staff_view
def visit_list(request):
    actor = request.actor
    form = forms.VisitFilterForm(request.GET)
    filters = form.values
    enterprise = (
        access.access_enterprise(actor, filters["enterprise"]) if filters["enterprise"] else None
    )
    rows = queries.filter_visits(
        access.visible_visits(actor),
        enterprise=enterprise,
        form=filters["form"],
        start=filters["start"],
        end=filters["end"],
    )
    page = paginate(request, queries.visit_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "enterprises/visits.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "enterprise": enterprise,
            "forms_": Visit.Form.choices,
        },
    )


@staff_view
def visit_new(request, pairing: int):
    """登记走访 for one of the actor's pairings (or, for the office, any it keeps)."""
    actor = request.actor
    found = access.access_pairing(actor, pairing)
    access.require_record_visit(actor, found)
    form = forms.VisitForm(request.POST or None, initial={"visited_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.record_visit(
                data=actions.VisitData(
                    pairing=found,
                    visited_on=data["visited_on"],
                    form=data["form"],
                    discussed=data["discussed"],
                    problems=data["problems"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success="已登记走访",
            back=lambda visit: reverse("enterprises:visit", args=[visit.pk]),
        )
        if done:
            return done
    return render(request, "enterprises/visit_new.html", {"form": form, "pairing": found})


@staff_view
def visit_detail(request, pk: int):
    actor = request.actor
    visit = access.access_visit(actor, pk)
    raised = list(queries.problem_list(visit.raised_problems.all()))
    may_raise = access.may_raise_from(actor, visit)
    return render(
        request,
        "enterprises/visit.html",
        {
            "visit": visit,
            "raised": raised,
            "may_raise": may_raise,
            "receiver": queries.receiver_for(visit.enterprise) if may_raise else None,
            "form": forms.ProblemForm(initial={"content": visit.problems}) if may_raise else None,
        },
    )


@staff_view
def frequency(request):
    """走访频次: per cadre of the actor's scope, visits in a period and who is overdue."""
    actor = request.actor
    require(actor, Perm.VIEW)
    today = timezone.localdate()
    form = forms.FrequencyForm(request.GET)
    filters = form.values
    start = filters["start"] or date(today.year, 1, 1)
    end = filters["end"] or today
    rows = queries.visit_frequency(
        access.visible_pairings(actor),
        access.visible_visits(actor),
        start=start,
        end=end,
        today=today,
    )
    return render(
        request,
        "enterprises/frequency.html",
        {
            "rows": rows,
            "start": start,
            "end": end,
            "filter_form": form,
            "visit_days": actions.visit_days(),
        },
    )


def _problem_data(cleaned) -> actions.ProblemData:
    return actions.ProblemData(
        content=cleaned["content"], kind=cleaned["kind"], title=cleaned["title"]
    )


@staff_view
def raise_from_visit(request, pk: int):
    """提出诉求 from a visit: the problem becomes an appeal received by the cadre's unit."""
    actor = request.actor
    visit = access.access_visit(actor, pk)
    if not access.may_raise_from(actor, visit):
        raise PermissionDenied("只有走访干部可以根据这次走访提出诉求")
    form = forms.ProblemForm(request.POST or None, initial={"content": visit.problems})
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.raise_problem(
                enterprise=visit.enterprise,
                visit=visit,
                data=_problem_data(form.cleaned_data),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda p: f"已提出诉求{p.appeal.code}，由{p.appeal.first_receiver.name}受理",
            back=lambda p: reverse("enterprises:visit", args=[visit.pk]),
        )
        if done:
            return done
    return render(
        request,
        "enterprises/problem_new.html",
        {"form": form, "enterprise": visit.enterprise, "visit": visit},
    )


@staff_view
def raise_for_enterprise(request, pk: int):
    """代企业提出诉求 (its current cadre or the office)."""
    actor = request.actor
    enterprise = access.access_enterprise(actor, pk)
    if not access.may_raise_for(actor, enterprise):
        raise PermissionDenied("只有该企业的挂钩干部或挂钩办可以代企业提出诉求")
    form = forms.ProblemForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.raise_problem(
                enterprise=enterprise,
                data=_problem_data(form.cleaned_data),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda p: f"已提出诉求{p.appeal.code}，由{p.appeal.first_receiver.name}受理",
            back=lambda p: reverse("enterprises:detail", args=[enterprise.pk]),
        )
        if done:
            return done
    return render(
        request,
        "enterprises/problem_new.html",
        {"form": form, "enterprise": enterprise, "visit": None},
    )


@staff_view
def problem_list(request):
    """企业诉求: per enterprise (`?enterprise=`) or county, with counts per county."""
    actor = request.actor
    form = forms.ProblemFilterForm(request.GET)
    filters = form.values
    enterprise = (
        access.access_enterprise(actor, filters["enterprise"]) if filters["enterprise"] else None
    )
    county = access_unit(actor, filters["county"]) if filters["county"] else None
    visible = access.visible_problems(actor)
    rows = queries.filter_problems(
        visible,
        enterprise=enterprise,
        county=county,
        source=filters["source"],
        state=filters["state"],
    )
    page = paginate(request, queries.problem_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "enterprises/problems.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "enterprise": enterprise,
            "by_county": queries.problems_by_county(visible),
            "counties": queries.counties(visible_units(actor)),
            "sources": Problem.Source.choices,
            "states": forms.STATES,
        },
    )
