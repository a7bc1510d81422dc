"""Staff pages of 惠企兑现: the ledger with its totals (per kind, county, industry and
period, to the fen), the entry form, the workbook import and the evidence files."""

from django.http import FileResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone

from shishi.core import uploads
from shishi.enterprises import access, actions, forms, queries, workbooks
from shishi.enterprises.access import Perm
from shishi.enterprises.models import Benefit, Industry
from shishi.enterprises.views.registry import XLSX, run_import
from shishi.orgs.access import access_unit, require, visible_units
from shishi.orgs.views.common import paginate, run_form_action, staff_view


@staff_view
def benefit_list(request):
    actor = request.actor
    form = forms.BenefitFilterForm(request.GET)
    filters = form.values
    enterprise = (
        access.access_enterprise(actor, filters["enterprise"]) if filters["enterprise"] else None
    )
    county = access_unit(actor, filters["county"]) if filters["county"] else None
    rows = queries.filter_benefits(
        access.visible_benefits(actor),
        enterprise=enterprise,
        county=county,
        industry=filters["industry"],
        kind=filters["kind"],
        start=filters["start"],
        end=filters["end"],
    )
    page = paginate(request, queries.benefit_list(rows), per_page=30, query=form.query())
    return render(
        request,
        "enterprises/benefits.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "enterprise": enterprise,
            "totals": queries.benefit_totals(rows),
            "counties": queries.counties(visible_units(actor)),
            "industries": Industry.choices,
            "kinds": Benefit.Kind.choices,
            "is_office": access.is_office(actor),
        },
    )


@staff_view
def benefit_new(request, pk: int):
    """登记惠企兑现 for an enterprise (the office over its county)."""
    actor = request.actor
    enterprise = access.access_enterprise(actor, pk, write=True)
    form = forms.BenefitForm(
        request.POST or None, request.FILES or None, initial={"granted_on": timezone.localdate()}
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.record_benefit(
                data=actions.BenefitData(
                    enterprise=enterprise,
                    kind=data["kind"],
                    policy=data["policy"],
                    amount=data["amount"],
                    granted_on=data["granted_on"],
                    note=data["note"],
                    files=data["files"] or [],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda b: f"已登记：{b.policy} {b.amount}元",
            back=lambda b: reverse("enterprises:benefit", args=[b.pk]),
        )
        if done:
            return done
    return render(request, "enterprises/benefit_new.html", {"form": form, "enterprise": enterprise})


@staff_view
def benefit_detail(request, pk: int):
    benefit = access.access_benefit(request.actor, pk)
    return render(
        request,
        "enterprises/benefit.html",
        {"benefit": benefit, "files": list(benefit.files.all())},
    )


@staff_view
def benefit_file(request, pk: int, file: int):
    benefit = access.access_benefit(request.actor, pk)
    return uploads.serve(access.benefit_file(benefit, file))


@staff_view
def benefit_template(request):
    require(request.actor, Perm.VIEW)
    return FileResponse(
        workbooks.benefit_template(),
        as_attachment=True,
        filename="惠企兑现导入模板.xlsx",
        content_type=XLSX,
    )


@staff_view
def import_benefits(request):
    actor = request.actor
    return run_import(
        request,
        do=lambda data: workbooks.import_benefits(actor=actor, data=data, now=timezone.now()),
        template_name="enterprises/import.html",
        back="enterprises:benefits",
        context={
            "title": "导入惠企兑现",
            "template_url": reverse("enterprises:benefit_template"),
            "back_url": reverse("enterprises:benefits"),
            "rules": [
                "每行登记一笔兑现，企业须已在企业库登记；",
                "与已登记记录完全相同（企业、类型、政策、金额、日期）的行视为重复导入，整表不导入；",
            ],
        },
    )
