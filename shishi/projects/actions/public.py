"""The public's part: objections during disclosure (公示异议) and ratings (群众评价)."""

from datetime import datetime

from django.db import IntegrityError, transaction
from django.db.models import F

from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.projects import events, notifications
from shishi.projects.actions.common import lock, today_of
from shishi.projects.models import RATABLE_STATUSES, Objection, Project, Rating, Status

Verb = events.Verb


@transaction.atomic
def file_objection(*, project: Project, phone: str, content: str, now: datetime) -> Objection:
    """A member of the public objects during disclosure (their phone already confirmed)."""
    project = lock(project)
    if project.status != Status.DISCLOSED or (
        project.disclosure_until and today_of(now) > project.disclosure_until
    ):
        raise Refused("该项目不在公示期内，不能提出异议")
    if len(content.strip()) < 10:
        raise Refused("异议内容不少于10个字")
    objection = Objection.objects.create(
        project=project, phone=phone, content=content.strip(), created_at=now
    )
    events.record(
        project,
        verb=Verb.OBJECTION_FILED,
        now=now,
        label=events.PUBLIC_LABEL,
        note=content[:100],
    )
    notifications.objection_filed(project)
    return objection


@transaction.atomic
def answer_objection(
    *, actor: Actor, objection: Objection, answer: str, now: datetime
) -> Objection:
    if len(answer.strip()) < 10:
        raise Refused("答复内容不少于10个字")
    if not Objection.objects.filter(pk=objection.pk, answered_at__isnull=True).update(
        answer=answer.strip(), answered_at=now, answered_by=actor.person
    ):
        raise Refused("该异议已答复")
    objection.refresh_from_db()
    events.record(
        objection.project,
        verb=Verb.OBJECTION_ANSWERED,
        actor=actor,
        now=now,
        public=True,
        note=f"异议：{objection.content[:60]} 答复：{answer.strip()[:100]}",
    )
    notifications.objection_answered(objection)
    return objection


@transaction.atomic
def rate_project(
    *, project: Project, phone: str, stars: int, comment: str, now: datetime
) -> Rating:
    """One rating per phone per project (a database constraint); counts at once, the comment
    is shown after moderation."""
    project = lock(project)
    if project.status not in RATABLE_STATUSES:
        raise Refused("项目完成后才能评价")
    if not 1 <= stars <= 5:
        raise Refused("请选择1至5星")
    try:
        with transaction.atomic():
            rating = Rating.objects.create(
                project=project,
                phone=phone,
                stars=stars,
                comment=comment.strip()[:300],
                created_at=now,
            )
    except IntegrityError as error:
        raise Refused("该手机号已评价过这个项目") from error
    Project.objects.filter(pk=project.pk).update(
        rating_count=F("rating_count") + 1, rating_total=F("rating_total") + stars
    )
    events.rated(project=project, stars=stars, now=now)
    return rating


@transaction.atomic
def moderate_rating(*, actor: Actor, rating: Rating, show: bool, now: datetime) -> Rating:
    rating.moderation = Rating.Moderation.SHOWN if show else Rating.Moderation.HIDDEN
    rating.save(update_fields=["moderation"])
    events.rating_moderated(
        project=rating.project, actor=actor, rating_id=rating.pk, shown=show, now=now
    )
    return rating
