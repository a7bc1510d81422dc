"""What the unit competition puts on the staff home's 待我审核 panel, registered in
ContestConfig.ready()."""

from django.urls import reverse

from shishi.contest.access import above_paths
from shishi.contest.models import Contest, Extension, Submission
from shishi.orgs.access import Actor
from shishi.orgs.navigation import ReviewItem

SHOWN = 20


def to_review(actor: Actor) -> list[ReviewItem]:
    """Submissions waiting for the office's review and extension requests waiting for a
    decision, in the contests organised at or below the actor's unit (two queries); never
    the actor's own unit's."""
    open_contests = Contest.objects.filter(
        organiser__path__startswith=actor.scope_path, status=Contest.Status.OPEN
    )
    submissions = (
        Submission.objects.filter(
            round__contest__in=open_contests, status=Submission.Status.SUBMITTED
        )
        .exclude(participant__unit__path__in=above_paths(actor))
        .select_related("round__contest", "participant__unit")
        .order_by("submitted_at")[:SHOWN]
    )
    extensions = (
        Extension.objects.filter(
            submission__round__contest__in=open_contests, status=Extension.Status.PENDING
        )
        .exclude(submission__participant__unit__path__in=above_paths(actor))
        .select_related("submission__round__contest", "submission__participant__unit")
        .order_by("requested_at")[:SHOWN]
    )
    items = [
        ReviewItem(
            kind="竞赛数据",
            title=f"{s.participant.unit.name} {s.round.month}月数据",
            detail=f"{s.round.contest.name}，报送于{s.submitted_at:%Y-%m-%d}，审核采用后计入排名",
            url=reverse("contest:submission", args=[s.pk]),
            at=s.submitted_at,
            due=None,
        )
        for s in submissions
    ]
    items += [
        ReviewItem(
            kind="竞赛延期",
            title=f"{e.submission.participant.unit.name} {e.submission.round.month}月数据申请延期",
            detail=f"申请延至{e.until:%Y-%m-%d}：{e.reason}",
            url=reverse("contest:submission", args=[e.submission_id]),
            at=e.requested_at,
            due=e.submission.due,
        )
        for e in extensions
    ]
    return items
