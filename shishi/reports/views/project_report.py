"""实事项目推进情况周报/月报: the staff page and its DOCX, over the viewer's subtree."""

import io
from datetime import date
from urllib.parse import urlencode

from django.http import FileResponse
from django.shortcuts import render
from django.utils import timezone

from shishi.core.documents import docx
from shishi.orgs.access import require
from shishi.orgs.views.common import staff_view
from shishi.projects.access import Perm
from shishi.reports import project_report
from shishi.reports.project_forms import ProjectReportForm
from shishi.reports.project_report import KINDS, WEEK

DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def _report(request) -> tuple[ProjectReportForm, date, project_report.ProjectReport]:
    """The report the query asks for; a bad `kind` or `day` falls back to the default (this
    week, today) and is named by the form."""
    actor = request.actor
    require(actor, Perm.VIEW)
    today = timezone.localdate()
    form = ProjectReportForm(request.GET, today=today)
    values = form.values
    day = values["day"] or today
    report = project_report.build(actor, kind=values["kind"] or WEEK, day=day, today=today)
    return form, day, report


def _query(kind: str, day: date | None = None) -> str:
    return urlencode({"kind": kind} | ({"day": day.isoformat()} if day else {}))


@staff_view
def report(request):
    form, day, report = _report(request)
    period = report.period
    return render(
        request,
        "reports/project_report.html",
        {
            "report": report,
            "period": period,
            "totals": report.totals,
            "problems": form.problems,
            "day": day,
            "kinds": [(kind, label, _query(kind, day)) for kind, label in KINDS.items()],
            "query": _query(period.kind, period.start),
            "previous": _query(period.kind, period.previous.start),
            "following": _query(period.kind, period.following.start) if report.has_next else "",
            "current": "" if report.is_current else _query(period.kind),
            "summary": project_report.summary_text(report),
        },
    )


@staff_view
def report_docx(request):
    _, _, report = _report(request)
    data = docx.render(project_report.document(report))
    return FileResponse(
        io.BytesIO(data),
        as_attachment=True,
        filename=f"{report.period.title}.docx",
        content_type=DOCX,
    )
