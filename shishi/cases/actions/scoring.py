"""A judge scores an accepted nomination on the rubric."""

from datetime import datetime

from django.db import transaction
from django.utils import timezone

from shishi.cases import access
from shishi.cases.models import Nomination, Phase, Score
from shishi.core.errors import Refused
from shishi.orgs.access import Actor


@transaction.atomic
def score_nomination(
    *, nomination: Nomination, points: dict[int, int], actor: Actor, now: datetime
) -> list[Score]:
    """评分: every line of the rubric, each within 0 and its points, during the review, by a
    judge of the selection who does not belong to the nominating unit; scored again, the new
    points replace the old."""
    selection = nomination.selection
    judge = access.judge_of(actor, selection)
    if judge is None:
        raise Refused("您不是本次评选的评委")
    if selection.phase(timezone.localdate(now)) != Phase.REVIEW:
        raise Refused("不在评审期内")
    if nomination.status != Nomination.Status.ACCEPTED:
        raise Refused("只能为入围的案例评分")
    if access.conflicted(judge, nomination):
        raise Refused("评委不能为本单位（或下级单位）推荐的案例评分")
    criteria = list(selection.criteria.all())
    if set(points) != {c.pk for c in criteria}:
        raise Refused("请为每个评分项打分")
    for criterion in criteria:
        given = points[criterion.pk]
        if not 0 <= given <= criterion.max_points:
            raise Refused(f"“{criterion.name}”的得分应在0至{criterion.max_points}分之间")
    Score.objects.filter(judge=judge, nomination=nomination).delete()
    return Score.objects.bulk_create(
        Score(
            judge=judge,
            nomination=nomination,
            criterion=criterion,
            points=points[criterion.pk],
            scored_at=now,
        )
        for criterion in criteria
    )
