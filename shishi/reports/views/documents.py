"""报告存档: the bulletins and overviews generated on schedule or on demand, the overview
read as a page, and access-checked downloads."""

from datetime import timedelta

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.orgs.access import require
from shishi.orgs.views.common import form_errors, paginate, staff_view
from shishi.reports import actions, overview
from shishi.reports.access import Perm, access_issued, issued_documents
from shishi.reports.forms import BulletinForm, OverviewForm


@staff_view
def documents(request):
    actor = request.actor
    archive = issued_documents(actor)
    today = timezone.localdate()
    return render(
        request,
        "reports/documents.html",
        {
            "page": paginate(request, archive, per_page=20),
            "can_generate": actor.can(Perm.GENERATE),
            "last_month": (today.replace(day=1) - timedelta(days=1)).replace(day=1),
            "today": today,
        },
    )


@staff_view
def overview_page(request):
    """综述 as a page, for any date (today by default); the DOCX is generated from 报告存档."""
    require(request.actor, Perm.DOCUMENTS)
    form = OverviewForm(request.GET or {"as_of": timezone.localdate()})
    as_of = form.cleaned_data["as_of"] if form.is_valid() else timezone.localdate()
    document = overview.compose(as_of)
    return render(
        request,
        "reports/overview.html",
        {
            "document": document,
            "as_of": as_of,
            "form": form,
            "can_generate": request.actor.can(Perm.GENERATE),
        },
    )


@staff_view
@require_POST
def generate(request, kind: str):
    actor = request.actor
    require(actor, Perm.GENERATE)
    if kind not in ("bulletin", "overview"):
        raise Http404("没有这类文件")
    form = (BulletinForm if kind == "bulletin" else OverviewForm)(request.POST)
    if not form.is_valid():
        messages.error(request, form_errors(form))
        return redirect("reports:documents")
    now = timezone.now()
    if kind == "bulletin":
        issued = actions.issue_bulletin(form.cleaned_data["month"], now=now, by=actor.person)
    else:
        issued = actions.issue_overview(form.cleaned_data["as_of"], now=now, by=actor.person)
    messages.success(request, f"已生成：{issued}（用时{issued.seconds:.1f}秒）")
    return redirect("reports:documents")


@staff_view
def download(request, pk: int, part: str):
    issued = access_issued(request.actor, pk)
    stored = {"docx": issued.docx, "xlsx": issued.xlsx}.get(part)
    if not stored:
        raise Http404("没有该文件")
    name = f"{issued.number or issued.get_kind_display()} {issued.title}"[:80]
    suffix = "（附件）.xlsx" if part == "xlsx" else ".docx"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{name}{suffix}")
