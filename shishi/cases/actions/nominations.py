"""A unit nominates a completed project (or describes a case); the office decides."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.cases import access
from shishi.cases.access import Perm
from shishi.cases.models import Nomination, NominationPhoto, Phase, Selection, SelectionEvent
from shishi.core import uploads
from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.projects.models import DONE_STATUSES, Project

Verb = SelectionEvent.Verb


@dataclass(frozen=True)
class NominationData:
    title: str
    summary: str
    project: Project | None = None  # a completed project of the actor's subtree
    photos: list[UploadedFile] = field(default_factory=list)  # checked by the form


def project_figures(project: Project) -> list[list[str]]:
    """What a nomination shows from its project, as it stood when nominated."""
    rows = [["投资", f"{project.budget:,.2f}万元"], ["受益人数", f"{project.beneficiaries:,}人"]]
    if project.rating_count:
        rows.append(
            [
                "群众评价",
                f"{project.rating_total / project.rating_count:.1f}星（{project.rating_count}人）",
            ]
        )
    return rows


@transaction.atomic
def nominate(
    *, selection: Selection, data: NominationData, actor: Actor, now: datetime
) -> Nomination:
    """推荐: during the nomination phase; from a completed project of the actor's subtree
    (nominated once per selection; the project's lead unit is the nominating unit), or a case
    of the actor's unit described freely."""
    require(actor, Perm.NOMINATE)
    if selection.phase(timezone.localdate(now)) != Phase.NOMINATION:
        raise Refused("不在推荐申报期内")
    unit, figures = actor.unit, []
    if data.project is not None:
        project = data.project
        if not project.lead_unit.path.startswith(actor.scope_path):
            raise Refused("只能推荐本单位及下级单位牵头的项目")
        if project.status not in DONE_STATUSES:
            raise Refused("只能推荐已完成的实事项目")
        if Nomination.objects.filter(selection=selection, project=project).exists():
            raise Refused("该项目已被推荐")
        unit, figures = project.lead_unit, project_figures(project)
    title = (data.title.strip() or (data.project.title if data.project else ""))[:100]
    if not title or not data.summary.strip():
        raise Refused("请填写案例名称和案例简介")
    nomination = Nomination.objects.create(
        selection=selection,
        unit=unit,
        project=data.project,
        title=title,
        summary=data.summary.strip(),
        figures=figures,
        submitted_by=actor.person,
        submitted_at=now,
    )
    uploads.attach(NominationPhoto, data.photos, now=now, nomination=nomination)
    SelectionEvent.record(
        selection, verb=Verb.NOMINATED, now=now, actor=actor, unit=unit, note=nomination.title
    )
    return nomination


@transaction.atomic
def decide_nomination(
    *, nomination: Nomination, accept: bool, reason: str, actor: Actor, now: datetime
) -> Nomination:
    """入围 or 未入围, by the office, before the public vote opens; a rejection says why."""
    selection = nomination.selection
    access.require_run(actor, selection)
    nomination = Nomination.objects.select_for_update().get(pk=nomination.pk)
    if selection.phase(timezone.localdate(now)) not in (Phase.NOMINATION, Phase.REVIEW):
        raise Refused("投票开始后不能再改变入围结果")
    if not accept and not reason.strip():
        raise Refused("请写明未入围的原因")
    nomination.status = Nomination.Status.ACCEPTED if accept else Nomination.Status.REJECTED
    nomination.reason = reason.strip()[:300]
    nomination.decided_at = now
    nomination.save(update_fields=["status", "reason", "decided_at"])
    SelectionEvent.record(
        selection,
        verb=Verb.ACCEPTED if accept else Verb.REJECTED,
        now=now,
        actor=actor,
        unit=nomination.unit,
        note=f"{nomination.title}{'：' + nomination.reason if nomination.reason else ''}",
    )
    return nomination
