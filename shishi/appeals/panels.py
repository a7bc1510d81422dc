"""The appeals block of the staff home (工作台): presentation that needs access and reads,
so it sits above both (registered in AppealsConfig.ready())."""

from django.utils import timezone

from shishi.appeals import queries
from shishi.appeals.access import Perm, visible_appeals
from shishi.appeals.metrics import (
    Figures,
    last_complete_month,
    legend,
    month_bounds,
    unit_figures,
)
from shishi.orgs.access import Actor


def home_panel(actor: Actor) -> dict:
    """This unit's queues and the subtree's last complete month (the figures units are
    ranked by): four queries (one for every count, three for the month's figures)."""
    today = timezone.localdate()
    appeals = visible_appeals(actor)
    start, end = month_bounds(last_complete_month(today))
    month = Figures()
    for figures in unit_figures(
        start=start, end=end, today=today, within=actor.scope_path
    ).values():
        month.add(figures)
    if actor.can(Perm.HANDLE):
        counts = queries.queue_counts(appeals, unit=actor.unit, today=today, overdue_in_scope=True)
        overdue_in_scope = counts.pop("overdue_in_scope")
    else:
        counts, overdue_in_scope = {}, appeals.overdue(today).count()
    return {
        "counts": counts,
        "queues": queries.QUEUES,
        "overdue_in_scope": overdue_in_scope,
        "month": month,
        "month_start": start,
        "legend": legend(),
    }
