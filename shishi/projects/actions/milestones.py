"""实施节点: a project's milestones; their weights drive its progress."""

from datetime import date, datetime

from django.db import transaction
from django.db.models import Q, Sum

from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.projects import events
from shishi.projects.actions.common import lock, today_of
from shishi.projects.allowed import FROM, Step
from shishi.projects.models import Milestone, Project

Verb = events.Verb


def _recompute_progress(project: Project) -> int:
    weights = project.milestones.aggregate(
        total=Sum("weight"), done=Sum("weight", filter=Q(done_at__isnull=False))
    )
    total, done = weights["total"] or 0, weights["done"] or 0
    progress = round(done * 100 / total) if total else 0
    Project.objects.filter(pk=project.pk).update(progress=progress)
    project.progress = progress
    return progress


@transaction.atomic
def add_milestone(
    *, actor: Actor | None, project: Project, title: str, weight: int, due: date, now: datetime
) -> Milestone:
    project = lock(project)
    if project.status not in FROM[Step.ADD_MILESTONE]:
        raise Refused("项目已完成或取消，不能再增加节点")
    if not 1 <= weight <= 100:
        raise Refused("节点权重应为1至100")
    if not project.planned_start <= due <= project.planned_end:
        raise Refused("节点日期应在项目计划开始与完成日期之间")
    milestone = Milestone.objects.create(project=project, title=title, weight=weight, due=due)
    _recompute_progress(project)
    events.record(
        project, verb=Verb.MILESTONE_ADDED, actor=actor, now=now, note=f"{title}（{due:%Y-%m-%d}）"
    )
    return milestone


@transaction.atomic
def remove_milestone(*, actor: Actor, milestone: Milestone, now: datetime) -> None:
    project = lock(milestone.project)
    if project.status not in FROM[Step.REMOVE_MILESTONE]:
        raise Refused("项目审核通过后不能删除节点")
    milestone.delete()
    _recompute_progress(project)
    events.record(project, verb=Verb.MILESTONE_REMOVED, actor=actor, now=now, note=milestone.title)


@transaction.atomic
def complete_milestone(*, actor: Actor | None, milestone: Milestone, now: datetime) -> int:
    """Mark a step done; the project's progress follows the weights of done steps."""
    project = lock(milestone.project)
    if project.status not in FROM[Step.COMPLETE_MILESTONE]:
        raise Refused("项目实施中才能完成节点")
    if not Milestone.objects.filter(pk=milestone.pk, done_at__isnull=True).update(done_at=now):
        raise Refused("该节点已完成")
    progress = _recompute_progress(project)
    late = today_of(now) > milestone.due
    events.record(
        project,
        verb=Verb.MILESTONE_DONE,
        actor=actor,
        now=now,
        public=True,
        note=f"{milestone.title}已完成{'（超期）' if late else ''}，总体进度{progress}%",
    )
    return progress
