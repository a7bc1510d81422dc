"""数据看板: the figures of the viewer's subtree (or a unit below) for a period."""

from django.shortcuts import render
from django.utils import timezone

from shishi.core.figures import Scope
from shishi.orgs.queries import ancestors
from shishi.orgs.views.common import staff_view
from shishi.reports import dashboard as boards
from shishi.reports.access import dashboard_unit
from shishi.reports.forms import SPANS, DashboardForm


@staff_view
def dashboard(request):
    actor = request.actor
    today = timezone.localdate()
    form = DashboardForm(request.GET)
    unit = dashboard_unit(actor, form.values["unit"])
    period = form.period(today)
    scope = Scope(unit=unit, period=period, as_of=today)
    body = boards.rendered(
        scope, "reports/_dashboard_body.html", link=boards.staff_link, may=actor.can
    )
    return render(
        request,
        "reports/dashboard.html",
        {
            "body": body,
            "scope": scope,
            "form": form,
            "spans": SPANS,
            "span": period.span,
            # The month the 月份 box offers: the period's latest month that has begun.
            "anchor": min(period.last_day, today).replace(day=1)
            if period.start <= today
            else period.start,
            "trail": [
                (u, boards.staff_link(u, period))
                for u in [*ancestors(unit, within=actor.scope_path), unit]
            ],
        },
    )
