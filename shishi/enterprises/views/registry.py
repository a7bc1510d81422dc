"""Staff pages of the enterprise registry: the list, an enterprise's page, the entry form,
the workbook (template, export, import, the annotated file back), pairing and unpairing."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import workbook
from shishi.core.errors import Refused
from shishi.core.forms import number_param
from shishi.enterprises import access, actions, forms, queries, workbooks
from shishi.enterprises.access import Perm
from shishi.enterprises.models import Industry, Size
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.actions import record_export
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
ERRORS_KEY = "enterprise_import_errors"


def _page(enterprise) -> str:
    return reverse("enterprises:detail", args=[enterprise.pk])


def _filtered(actor, form):
    filters = form.values
    county = access_unit(actor, filters["county"]) if filters["county"] else None
    rows = queries.filter_enterprises(
        access.visible_enterprises(actor),
        q=filters["q"].strip(),
        county=county,
        industry=filters["industry"],
        size=filters["size"],
        paired=filters["paired"],
        sort=filters["sort"],
    )
    return rows, filters


@staff_view
def enterprise_list(request):
    """企业库: the enterprises the actor sees, filtered, searched, sorted, paged."""
    actor = request.actor
    form = forms.EnterpriseFilterForm(request.GET)
    rows, filters = _filtered(actor, form)
    page = paginate(request, queries.enterprise_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "enterprises/list.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "counties": queries.counties(visible_units(actor)),
            "industries": Industry.choices,
            "sizes": Size.choices,
            "paired_choices": forms.PAIRED,
            "sorts": forms.SORTS,
            "query": form.query(),
            "is_office": access.is_office(actor),
        },
    )


@staff_view
def enterprise_detail(request, pk: int):
    actor = request.actor
    enterprise = access.access_enterprise(actor, pk)
    context = queries.enterprise_page(enterprise)
    current = next((p for p in context["pairings"] if p.current), None)
    may_manage = access.may_manage(actor, enterprise)
    context |= {
        "enterprise": enterprise,
        "current": current,
        "may_manage": may_manage,
        "may_visit": current is not None and access.may_record_visit(actor, current),
        "may_raise": access.may_raise_for(actor, enterprise),
        "end_form": forms.EndPairingForm(),
        "today": timezone.localdate(),
    }
    return render(request, "enterprises/detail.html", context)


def _data(cleaned) -> actions.EnterpriseData:
    return actions.EnterpriseData(
        credit_code=cleaned["credit_code"],
        name=cleaned["name"],
        county=cleaned["county"],
        industry=cleaned["industry"],
        size=cleaned["size"],
        address=cleaned["address"],
        contact_name=cleaned["contact_name"],
        contact_phone=cleaned["contact_phone"],
    )


@staff_view
def enterprise_new(request):
    """登记企业 (the city or a county office)."""
    actor = request.actor
    access.require_office(actor)
    counties = access.office_counties(actor)
    form = forms.EnterpriseForm(
        request.POST or None,
        counties=counties,
        initial={"county": actor.unit.pk if actor.unit.parent_id else None},
    )
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.register_enterprise(
                data=_data(form.cleaned_data), actor=actor, now=timezone.now()
            ),
            success=lambda e: f"已登记：{e.name}",
            back=_page,
        )
        if done:
            return done
    return render(request, "enterprises/form.html", {"form": form, "title": "登记企业"})


@staff_view
def enterprise_edit(request, pk: int):
    actor = request.actor
    enterprise = access.access_enterprise(actor, pk, write=True)
    initial = {
        name: getattr(enterprise, name)
        for name in (
            "credit_code",
            "name",
            "industry",
            "size",
            "address",
            "contact_name",
            "contact_phone",
        )
    } | {"county": enterprise.county_id}
    form = forms.EnterpriseForm(
        request.POST or None, counties=access.office_counties(actor), initial=initial
    )
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.update_enterprise(
                enterprise=enterprise,
                data=_data(form.cleaned_data),
                actor=actor,
                now=timezone.now(),
            ),
            success="已保存",
            back=_page,
        )
        if done:
            return done
    return render(
        request,
        "enterprises/form.html",
        {"form": form, "title": f"修改企业：{enterprise.name}", "enterprise": enterprise},
    )


@staff_view
def pair(request, pk: int):
    """安排挂钩: pick a unit of the office's subtree (`?unit=`), then one of its people."""
    actor = request.actor
    enterprise = access.access_enterprise(actor, pk, write=True)
    units = queries.pairing_units(visible_units(actor))
    chosen = number_param(request.POST.get("unit") or request.GET.get("unit"))
    unit = access_unit(actor, chosen) if chosen is not None else None
    cadres = list(queries.cadre_choices(unit)) if unit else []
    form = forms.PairForm(
        request.POST or None,
        units=units,
        cadres=cadres,
        initial={"unit": unit.pk if unit else None, "starts_on": timezone.localdate()},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.pair_cadre(
                enterprise=enterprise,
                cadre=data["cadre"],
                unit=data["unit"],
                starts_on=data["starts_on"],
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda p: f"已安排{p.cadre.name}挂钩{enterprise.name}",
            back=lambda p: _page(enterprise),
        )
        if done:
            return done
    return render(
        request,
        "enterprises/pair.html",
        {"form": form, "enterprise": enterprise, "unit": unit, "units": units},
    )


@staff_view
@require_POST
def end_pairing(request, pk: int):
    actor = request.actor
    pairing = access.access_pairing(actor, pk)
    if not access.may_end_pairing(actor, pairing):
        access.require_office(actor)
    form = forms.EndPairingForm(request.POST)
    return run_action(
        request,
        lambda: actions.end_pairing(
            pairing=pairing,
            reason=form.cleaned_data["reason"],
            actor=actor,
            now=timezone.now(),
        ),
        form=form,
        invalid="请填写解除原因",
        success="已解除挂钩",
        back=_page(pairing.enterprise),
    )


# --- The workbook ----------------------------------------------------------------------------


@staff_view
def template(request):
    require(request.actor, Perm.VIEW)
    return FileResponse(
        workbooks.template(), as_attachment=True, filename="企业名录模板.xlsx", content_type=XLSX
    )


@staff_view
def export(request):
    """The listed enterprises as the registry workbook (the office only: full phones)."""
    actor = request.actor
    access.require_office(actor)
    filter_form = forms.EnterpriseFilterForm(request.GET)
    rows, _ = _filtered(actor, filter_form)
    record_export(actor=actor, what="企业名录（XLSX）", filters=filter_form.query())
    return FileResponse(
        workbooks.export(rows),
        as_attachment=True,
        content_type=XLSX,
        filename=f"企业名录-{timezone.localdate():%Y%m%d}.xlsx",
    )


def run_import(request, *, do, template_name: str, back: str, context: dict):
    """An upload page: the file checked and imported all-or-nothing by `do(data)`; a bad
    file's errors listed, its annotated copy kept for this session to download."""
    actor = request.actor
    access.require_office(actor)
    form = forms.UploadForm(request.POST or None, request.FILES or None)
    context = context | {"form": form}
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data["file"].read()
        try:
            result = do(data)
        except workbook.Rejected as rejected:
            token = workbook.keep_annotated(rejected.workbook) if rejected.workbook else ""
            request.session[ERRORS_KEY] = token
            context |= {
                "errors": rejected.errors[:500],
                "error_total": len(rejected.errors),
                "summary": rejected.message,
                "token": token,
            }
        except Refused as refusal:
            form.add_error("file", refusal.message)
        else:
            messages.success(
                request,
                f"导入完成：新增 {result.created} 条，更新 {result.updated} 条，"
                f"未变 {result.unchanged} 条",
            )
            return redirect(back)
    return render(request, template_name, context)


@staff_view
def import_enterprises(request):
    actor = request.actor
    return run_import(
        request,
        do=lambda data: workbooks.import_enterprises(actor=actor, data=data, now=timezone.now()),
        template_name="enterprises/import.html",
        back="enterprises:list",
        context={
            "title": "导入企业名录",
            "template_url": reverse("enterprises:template"),
            "back_url": reverse("enterprises:list"),
            "rules": [
                "按“统一社会信用代码”对应：新代码登记为新企业，已登记的代码更新该企业，未改动的行不受影响；",
                "可把导出的名录修改后直接导回；",
            ],
        },
    )


@staff_view
def import_errors(request, token: str):
    """The rejected workbook, annotated — only for the session that uploaded it."""
    access.require_office(request.actor)
    if not token or request.session.get(ERRORS_KEY) != token:
        raise Http404("标注文件已失效，请重新导入")
    path = workbook.annotated_path(token)
    if not path.exists():
        raise Http404("标注文件已失效，请重新导入")
    return FileResponse(
        path.open("rb"), as_attachment=True, content_type=XLSX, filename="导入表格-错误标注.xlsx"
    )
