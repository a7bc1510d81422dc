"""The appeals block of the staff home (工作台): presentation that needs access and reads,
so it sits above both (registered in AppealsConfig.ready())."""

from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from shishi.appeals import queries
from shishi.appeals.access import Perm, replies_to_approve, visible_appeals, visible_reviews
from shishi.appeals.metrics import (
    Figures,
    last_complete_month,
    legend,
    month_bounds,
    unit_figures,
)
from shishi.appeals.models import Review
from shishi.orgs.access import Actor
from shishi.orgs.models import Unit
from shishi.orgs.navigation import ReviewItem

# Each source lists at most this many on the 待我审核 panel (the oldest first).
REVIEW_ITEMS = 20


def home_panel(actor: Actor) -> dict:
    """This unit's queues and the subtree's last complete month (the figures units are
    ranked by): five queries (the queues' counts, the overdue in scope, three for the
    month's figures)."""
    today = timezone.localdate()
    appeals = visible_appeals(actor)
    start, end = month_bounds(last_complete_month(today))
    month = Figures()
    for figures in unit_figures(
        start=start, end=end, today=today, within=actor.scope_path
    ).values():
        month.add(figures)
    queues = queries.queues_for(actor)
    if actor.can(Perm.HANDLE):
        queues = [q for q in queues if q in queries.QUEUES and q.key != "all"]
        counts = queries.queue_counts(
            appeals, unit=actor.unit, today=today, keys=[q.key for q in queues]
        )
        overdue_in_scope = appeals.overdue(today).count()
    elif actor.can(Perm.SUPERVISE):
        queues = queries.SUPERVISION_QUEUES
        counts = queries.supervision_counts(appeals, today=today)
        overdue_in_scope = counts["all_overdue"]
    else:
        counts, overdue_in_scope = {}, appeals.overdue(today).count()
    return {
        "counts": counts,
        "queues": queues,
        "overdue_in_scope": overdue_in_scope,
        "month": month,
        "month_start": start,
        "legend": legend(),
    }


def replies_to_review(actor: Actor) -> list[ReviewItem]:
    """待我审核: the clerks' replies waiting for this leader before the citizen sees them."""
    drafts = replies_to_approve(actor).select_related("appeal", "by").order_by("at")[:REVIEW_ITEMS]
    return [
        ReviewItem(
            kind="答复",
            title=reply.appeal.title,
            detail=f"{reply.appeal.code} · {reply.by.name}提交的答复，同意后发给群众",
            url=reverse("appeals:detail", args=[reply.appeal.code]),
            at=reply.at,
            due=reply.appeal.handle_due,
        )
        for reply in drafts
    ]


def extensions_to_review(actor: Actor) -> list[ReviewItem]:
    """待我审核: the subtree's extension requests short enough for this leader to decide."""
    requests = (
        visible_reviews(actor)
        .filter(
            decision=Review.Decision.PENDING,
            type=Review.Type.EXTENSION,
            days__lte=settings.APPEAL_LEADER_EXTENSION_DAYS,
        )
        .select_related("appeal", "unit")
        .order_by("requested_at")[:REVIEW_ITEMS]
    )
    return [
        ReviewItem(
            kind="延期申请",
            title=review.appeal.title,
            detail=f"{review.appeal.code} · {review.unit.name}申请延期{review.days}个工作日："
            f"{review.reason}",
            url=reverse("appeals:reviews"),
            at=review.requested_at,
            due=review.appeal.handle_due,
        )
        for review in requests
    ]


def unit_interviews(actor: Actor, unit: Unit) -> dict:
    """The unit page's 约谈记录 (the unit is access-checked by its page): one query."""
    return {"interviews": queries.interviews_of(unit)}
