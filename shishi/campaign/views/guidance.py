"""Staff pages of 巡回指导 and 整改: the coverage matrix (unit × round) with its gaps, the
groups and rounds (set up by the city office), the visits, and the 整改 items with their
progress, 销号 and 退回."""

from django.http import Http404
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.campaign import access, actions, forms, queries
from shishi.campaign.access import Perm
from shishi.campaign.models import Rectification, StudySession
from shishi.core import uploads
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.queries import active_units
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view

__all__ = [
    "group_edit",
    "group_list",
    "group_new",
    "guidance_home",
    "rectification_close",
    "rectification_detail",
    "rectification_file",
    "rectification_list",
    "rectification_new",
    "rectification_progress",
    "rectification_return",
    "round_new",
    "visit_detail",
    "visit_list",
    "visit_new",
]


def _item_page(item) -> str:
    return reverse("campaign:rectification", args=[item.pk])


@staff_view
def guidance_home(request):
    """巡回指导: every assigned unit × every round — covered, a gap (the round is over), still
    due (under way) — computed from the visits, with the gaps listed."""
    actor, today = request.actor, timezone.localdate()
    form = forms.GuidanceFilterForm(request.GET)
    group = form.values["group"]
    rows = access.visible_group_units(actor)
    visits = access.visible_visits(actor)
    if group:
        rows, visits = rows.filter(group_id=group), visits.filter(group_id=group)
    matrix = queries.guidance_matrix(rows, visits, today=today)
    return render(
        request,
        "campaign/guidance.html",
        {
            "matrix": matrix,
            "groups": access.visible_groups(actor).order_by("pk"),
            "group": group,
            "filter_form": form,
            "today": today,
            "can_record": access.recording_groups(actor).exists(),
            "can_manage": actor.can(Perm.GUIDANCE),
        },
    )


@staff_view
def group_list(request):
    """指导组和轮次: who is in each group and which units it guides; the rounds."""
    actor = request.actor
    return render(
        request,
        "campaign/groups.html",
        {
            "groups": queries.group_rows(access.visible_groups(actor)),
            "rounds": queries.rounds(),
            "can_manage": actor.can(Perm.GUIDANCE),
            "round_form": forms.RoundForm(),
        },
    )


def _group_form(request, actor, group=None):
    people = queries.guidance_people()
    units = active_units(visible_units(actor)).filter(depth__in=(1, 2)).order_by("path")
    initial = None
    if group is not None:
        initial = {
            "name": group.name,
            "leader": group.leader,
            "members": list(group.members.all()),
            "units": [row.unit for row in group.assigned.select_related("unit")],
        }
    return forms.GroupForm(
        request.POST or None,
        people=people,
        units=units,
        initial=initial,
    )


def _save_group(request, actor, group=None):
    access.require_guidance_office(actor)
    form = _group_form(request, actor, group)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.save_group(
                data=actions.GroupData(
                    name=data["name"],
                    leader=data["leader"],
                    members=tuple(data["members"]),
                    units=tuple(data["units"]),
                ),
                actor=actor,
                now=timezone.now(),
                group=group,
            ),
            success=lambda saved: f"已保存：{saved.name}",
            back=reverse("campaign:groups"),
        )
        if done:
            return done
    return render(request, "campaign/group_form.html", {"form": form, "group": group})


@staff_view
def group_new(request):
    return _save_group(request, request.actor)


@staff_view
def group_edit(request, pk: int):
    actor = request.actor
    group = access.access_group(actor, pk)  # outsiders: 404 before 403
    return _save_group(request, actor, group)


@staff_view
@require_POST
def round_new(request):
    actor = request.actor
    access.require_guidance_office(actor)
    form = forms.RoundForm(request.POST)
    return run_action(
        request,
        lambda: actions.add_round(
            starts=form.cleaned_data["starts"],
            ends=form.cleaned_data["ends"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        success=lambda made: f"已安排{made}：{made.starts:%Y-%m-%d}至{made.ends:%Y-%m-%d}",
        back=reverse("campaign:groups"),
    )


@staff_view
def visit_list(request):
    """指导记录: by group, round, unit and a word of the findings."""
    actor = request.actor
    form = forms.VisitFilterForm(request.GET)
    filters = form.values
    under = access_unit(actor, filters["unit"]) if filters["unit"] else None
    rows = queries.filter_visits(
        access.visible_visits(actor),
        group=filters["group"],
        round=filters["round"],
        under=under,
        q=filters["q"],
    )
    page = paginate(request, queries.visit_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "campaign/visits.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "under": under,
            "groups": access.visible_groups(actor).order_by("pk"),
            "rounds": queries.rounds(),
            "can_record": access.recording_groups(actor).exists(),
        },
    )


@staff_view
def visit_new(request):
    """登记巡回指导 for one of the actor's groups (`?group=`, the first by default)."""
    actor = request.actor
    groups = list(access.recording_groups(actor).order_by("pk"))
    if not groups:
        require(actor, Perm.GUIDANCE)  # 403: nobody is in a group yet
    chosen = forms.VisitGroupForm(request.GET).values["group"]
    group = next((g for g in groups if g.pk == chosen), groups[0]) if groups else None
    paths = list(group.assigned.values_list("unit__path", flat=True)) if group else []
    form = forms.VisitForm(
        request.POST or None,
        units=queries.units_under(paths),
        initial={"visited_on": timezone.localdate()},
    )
    if group is not None and request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.record_visit(
                data=actions.VisitData(
                    group=group,
                    unit=data["unit"],
                    visited_on=data["visited_on"],
                    methods=tuple(data["methods"]),
                    findings=data["findings"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda visit: f"已登记：{visit.group.name}指导{visit.unit.name}",
            back=lambda visit: reverse("campaign:visit", args=[visit.pk]),
        )
        if done:
            return done
    return render(
        request,
        "campaign/visit_new.html",
        {"form": form, "groups": groups, "group": group},
    )


@staff_view
def visit_detail(request, pk: int):
    """A visit: methods, findings, and the 整改 items raised from it."""
    actor = request.actor
    visit = access.access_visit(actor, pk)
    return render(
        request,
        "campaign/visit.html",
        {
            "visit": visit,
            "items": queries.rectification_list(
                access.visible_rectifications(actor).filter(visit=visit)
            ),
            "can_raise": access.may_raise(actor, visit.unit),
        },
    )


# --- 整改 ------------------------------------------------------------------------------------


@staff_view
def rectification_list(request):
    """整改事项: by state (整改中 / 待销号 / 已销号 / 已超期), source, group, unit and a word."""
    actor, today = request.actor, timezone.localdate()
    form = forms.RectificationFilterForm(request.GET)
    filters = form.values
    under = access_unit(actor, filters["unit"]) if filters["unit"] else None
    visible = access.visible_rectifications(actor)
    rows = queries.filter_rectifications(
        visible,
        status=filters["status"],
        source=filters["source"],
        group=filters["group"],
        under=under,
        q=filters["q"],
        today=today,
    )
    page = paginate(request, queries.rectification_list(rows), per_page=30, query=form.query())
    unit = under or actor.unit
    return render(
        request,
        "campaign/rectifications.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "statuses": forms.RECTIFICATION_STATUSES,
            "sources": Rectification.Source.choices,
            "groups": access.visible_groups(actor).order_by("pk"),
            "counts": queries.rectification_counts(
                queries.filter_rectifications(visible, under=under, today=today), today=today
            ),
            "by_unit": queries.rectifications_by_unit(visible, unit, today=today),
            "unit": unit,
            "status_query": form.query(without=("status",)),
            "unit_query": form.query(without=("unit",)),
            "can_raise": access.may_raise_any(actor),
            "today": today,
        },
    )


def _raise_units(actor, visit, session):
    if visit is not None:
        return queries.units_under([visit.unit.path])
    if session is not None:
        return queries.units_under([session.unit.path]).filter(pk=session.unit_id)
    if actor.role == "guidance_member":
        return queries.units_under(access.guided_paths(actor))
    return active_units(visible_units(actor)).exclude(pk=actor.unit.pk).order_by("path")


@staff_view
def rectification_new(request):
    """提出整改: from a visit (`?visit=`), a 专题组织生活会 (`?session=`) or on its own."""
    actor = request.actor
    access.require_raise_any(actor)
    source = forms.RaiseFromForm(request.GET).values
    visit = access.access_visit(actor, source["visit"]) if source["visit"] else None
    session = None
    if source["session"] and visit is None:
        session = access.access_session(actor, source["session"])
        if session.kind != StudySession.Kind.LIFE_MEETING:
            raise Http404("只能从专题组织生活会提出整改")
    unit = visit.unit if visit else session.unit if session else None
    form = forms.RectificationForm(
        request.POST or None,
        units=_raise_units(actor, visit, session),
        initial={"unit": unit, "problem": visit.findings[:2000] if visit else ""},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.raise_rectification(
                data=actions.RectificationData(
                    unit=data["unit"],
                    problem=data["problem"],
                    measures=data["measures"],
                    days=data["days"],
                    visit=visit,
                    session=session,
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda item: f"已提出整改（{item.code}），整改期限 {item.due:%Y-%m-%d}",
            back=_item_page,
        )
        if done:
            return done
    return render(
        request,
        "campaign/rectification_new.html",
        {"form": form, "visit": visit, "session": session},
    )


@staff_view
def rectification_detail(request, pk: int):
    actor = request.actor
    item = access.access_rectification(actor, pk)
    may_report = access.may_report_rectification(actor, item)
    may_close = access.may_close_rectification(actor, item)
    status = Rectification.Status
    return render(
        request,
        "campaign/rectification.html",
        {
            "item": item,
            "files": queries.rectification_files(item),
            "events": queries.rectification_timeline(item),
            "progress_form": forms.ProgressForm()
            if may_report and item.status == status.OPEN
            else None,
            "may_close": may_close and item.status == status.REPORTED,
            "return_form": forms.ReturnForm(),
            "today": timezone.localdate(),
        },
    )


@staff_view
@require_POST
def rectification_progress(request, pk: int):
    actor = request.actor
    item = access.access_rectification(actor, pk)
    access.require_report_rectification(actor, item)
    form = forms.ProgressForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: actions.report_rectification(
            item=item,
            actor=actor,
            progress=actions.Progress(
                text=form.cleaned_data["text"],
                files=form.cleaned_data["files"],
                done=form.cleaned_data["done"],
            ),
            now=timezone.now(),
        ),
        form=form,
        success=lambda done: (
            "已申请销号，等待核验"
            if done.status == Rectification.Status.REPORTED
            else "已报告整改进展"
        ),
        back=_item_page(item),
    )


@staff_view
@require_POST
def rectification_close(request, pk: int):
    actor = request.actor
    item = access.access_rectification(actor, pk)
    access.require_close_rectification(actor, item)
    return run_action(
        request,
        lambda: actions.close_rectification(item=item, actor=actor, now=timezone.now()),
        success=f"已销号：{item.code}",
        back=_item_page(item),
    )


@staff_view
@require_POST
def rectification_return(request, pk: int):
    actor = request.actor
    item = access.access_rectification(actor, pk)
    access.require_close_rectification(actor, item)
    form = forms.ReturnForm(request.POST)
    return run_action(
        request,
        lambda: actions.return_rectification(
            item=item, actor=actor, reason=form.cleaned_data["reason"], now=timezone.now()
        ),
        form=form,
        success=lambda done: f"已退回{done.unit.name}继续整改，期限 {done.due:%Y-%m-%d}",
        back=_item_page(item),
    )


@staff_view
def rectification_file(request, pk: int, file: int):
    """An item's evidence, for staff who may see the item (never straight from MEDIA)."""
    item = access.access_rectification(request.actor, pk)
    return uploads.serve(queries.rectification_file(item, file))
