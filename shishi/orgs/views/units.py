"""Staff pages for the unit tree: browse, search, add, edit, stop, import and export."""

from django.contrib import messages
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core.errors import Refused
from shishi.core.forms import number_param
from shishi.orgs import actions, queries
from shishi.orgs.access import Perm, access_unit, require, visible_units
from shishi.orgs.forms import UnitFilterForm, UnitForm, UnitImportForm
from shishi.orgs.models import Unit
from shishi.orgs.navigation import unit_panels_for
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view


def _page(unit) -> str:
    return reverse("staff:unit", args=[unit.pk])


@staff_view
def unit_list(request):
    actor = request.actor
    units = visible_units(actor)
    form = UnitFilterForm(request.GET)
    filters = form.values
    under_pk = filters.pop("under")
    under = access_unit(actor, under_pk) if under_pk else None
    listed = queries.filter_units(units, under=under, **filters)
    return render(
        request,
        "staff/units/list.html",
        {
            "page": paginate(request, listed, per_page=50, query=form.query()),
            "filters": filters,
            "filter_form": form,
            "under": under,
            "kinds": Unit.Kind.choices,
            "can_manage": actor.can(Perm.MANAGE_UNITS),
            "can_import": actor.can(Perm.IMPORT_UNITS),
        },
    )


@staff_view
def unit_detail(request, pk: int):
    actor = request.actor
    unit = access_unit(actor, pk)
    return render(
        request,
        "staff/units/detail.html",
        {
            "unit": unit,
            "ancestors": queries.ancestors(unit, within=actor.scope_path),
            "children": queries.children_of(unit),
            "memberships": queries.members_of(unit),
            "subtree_counts": queries.kind_counts(queries.below(unit)),
            "can_manage": actor.can(Perm.MANAGE_UNITS),
            "can_manage_people": actor.can(Perm.MANAGE_PEOPLE),
            "panels": unit_panels_for(actor, unit),
        },
    )


@staff_view
def unit_new(request):
    actor = request.actor
    require(actor, Perm.MANAGE_UNITS)
    parents = queries.active_units(visible_units(actor))
    initial = {}
    parent = number_param(request.GET.get("parent"))
    if parent is not None:
        initial["parent"] = access_unit(actor, parent)
    form = UnitForm(request.POST or None, parents=parents, initial=initial)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.create_unit(actor=actor, **form.cleaned_data),
            success=lambda unit: f"已新增单位“{unit.name}”",
            back=_page,
        )
        if done:
            return done
    return render(request, "staff/units/form.html", {"form": form, "unit": None})


@staff_view
def unit_edit(request, pk: int):
    actor = request.actor
    unit = access_unit(actor, pk, write=True)
    parents = queries.parent_choices(visible_units(actor), unit=unit, scope_path=actor.scope_path)
    initial = {
        "code": unit.code,
        "name": unit.name,
        "kind": unit.kind,
        "parent": unit.parent,
        "former_code": unit.former_code,
        "phone": unit.phone,
        "sort": unit.sort,
    }
    form = UnitForm(request.POST or None, parents=parents, initial=initial, editing=True)
    if unit.parent is None:
        form.fields["parent"].required = False
        form.fields["parent"].disabled = True
    if request.method == "POST" and form.is_valid():
        data = {k: v for k, v in form.cleaned_data.items() if k != "code"}
        data["parent"] = data["parent"] or unit.parent
        done = run_form_action(
            request,
            form,
            lambda: actions.update_unit(actor=actor, unit=unit, **data),
            success="已保存",
            back=_page(unit),
        )
        if done:
            return done
    return render(request, "staff/units/form.html", {"form": form, "unit": unit})


@staff_view
@require_POST
def unit_set_active(request, pk: int):
    actor = request.actor
    unit = access_unit(actor, pk, write=True)
    active = request.POST.get("active") == "1"
    return run_action(
        request,
        lambda: actions.set_unit_active(actor=actor, unit=unit, active=active),
        success=f"已{'启用' if active else '停用'}“{unit.name}”",
        back=_page(unit),
    )


@staff_view
def unit_import(request):
    actor = request.actor
    require(actor, Perm.IMPORT_UNITS)
    form = UnitImportForm(request.POST or None, request.FILES or None)
    context = {"form": form, "columns": actions.UNIT_CSV_HEADERS, "kinds": Unit.Kind.choices}
    if request.method == "POST" and form.is_valid():
        try:
            rows = actions.read_unit_csv(form.cleaned_data["file"].read())
            result = actions.import_units(actor=actor, rows=rows)
        except actions.ImportRejected as rejected:
            context["errors"] = rejected.errors
            context["error_summary"] = rejected.message
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(
                request,
                f"导入完成：新增 {result.created} 个，更新 {result.updated} 个，"
                f"未变 {result.unchanged} 个",
            )
            return redirect("staff:units")
    return render(request, "staff/units/import.html", context)


@staff_view
def unit_export(request):
    actor = request.actor
    units = queries.units_for_export(visible_units(actor))
    actions.record_export(actor=actor, what="单位清单（CSV）")
    response = HttpResponse(
        "\ufeff" + actions.export_units_csv(units), content_type="text/csv; charset=utf-8"
    )
    filename = f"units-{timezone.localdate():%Y%m%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response
