"""报告存档: the bulletins and overviews generated on schedule or on demand, the overview
read as a page, and access-checked downloads."""

from datetime import timedelta

from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.orgs.access import require
from shishi.orgs.views.common import paginate, run_action, staff_view
from shishi.reports import actions, overview
from shishi.reports.access import Perm, access_issued, issued_documents
from shishi.reports.forms import BulletinForm, OverviewForm
from shishi.reports.models import Issued


@staff_view
def documents(request):
    """The archive; while a document is being written the table refreshes itself (htmx)."""
    actor = request.actor
    archive = issued_documents(actor)
    today = timezone.localdate()
    page = paginate(request, archive, per_page=20)
    pending = any(d.state == Issued.State.PENDING for d in page.object_list)
    if request.headers.get("HX-Request"):
        return render(request, "reports/_archive.html", {"page": page, "pending": pending})
    return render(
        request,
        "reports/documents.html",
        {
            "pending": pending,
            "page": page,
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
    document = overview.compose(as_of, recount=False)
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
    """Reserve a bulletin or overview; the worker writes it while the archive shows progress."""
    actor = request.actor
    require(actor, Perm.GENERATE)
    if kind not in ("bulletin", "overview"):
        raise Http404("没有这类文件")
    form = (BulletinForm if kind == "bulletin" else OverviewForm)(request.POST)
    now = timezone.now()

    def request_it():
        if kind == "bulletin":
            data = form.cleaned_data
            return actions.request_bulletin(
                data["month"], now=now, by=actor.person, again=data["again"]
            )
        return actions.request_overview(form.cleaned_data["as_of"], now=now, by=actor.person)

    return run_action(
        request,
        request_it,
        form=form,
        success=lambda issued: f"正在生成：{issued}。完成后可在下表下载，本页会自动刷新。",
        back="reports:documents",
    )


@staff_view
def download(request, pk: int, part: str):
    issued = access_issued(request.actor, pk)
    if issued.state != Issued.State.READY:
        raise Http404("该文件尚未生成")
    stored = {"docx": issued.docx, "xlsx": issued.xlsx}.get(part)
    if not stored:
        raise Http404("没有该文件")
    name = f"{issued.number or issued.get_kind_display()} {issued.title}"[:80]
    suffix = "（附件）.xlsx" if part == "xlsx" else ".docx"
    return FileResponse(stored.open("rb"), as_attachment=True, filename=f"{name}{suffix}")
