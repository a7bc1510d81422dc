"""Recording a study session (学习活动) with its attendees and evidence, and removing one."""

from dataclasses import dataclass, field
from datetime import date, datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.campaign import access
from shishi.campaign.access import Perm
from shishi.campaign.models import StudyEvent, StudyFile, StudySession
from shishi.core import uploads
from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Membership, Person, Unit

Verb = StudyEvent.Verb


@dataclass(frozen=True)
class SessionData:
    unit: Unit
    kind: str  # StudySession.Kind
    mode: str  # StudySession.Mode (五学)
    held_on: date
    topic: str
    place: str = ""
    attendees: tuple[Person, ...] = ()  # members of `unit` (a membership there)
    extra_attendees: int = 0  # people without an account
    minutes: str = ""
    files: list[UploadedFile] = field(default_factory=list)  # checked by the form


@transaction.atomic
def record_session(*, data: SessionData, actor: Actor, now: datetime) -> StudySession:
    """登记学习活动: for a unit of the actor's subtree, held today or before, attended by
    members of that unit (and people without accounts, counted)."""
    require(actor, Perm.STUDY)
    if not actor.sees(data.unit):
        raise Refused("只能登记本单位及下级单位的学习活动")
    if data.held_on > timezone.localdate(now):
        raise Refused("活动日期不能晚于今天，请在活动结束后登记")
    if not data.topic.strip():
        raise Refused("请填写学习主题")
    if data.kind not in StudySession.Kind.values or data.mode not in StudySession.Mode.values:
        raise Refused("请选择活动类型和学习方式")
    if data.extra_attendees < 0:
        raise Refused("其他参加人数不能为负数")
    wanted = {person.pk: person for person in data.attendees}
    members = set(
        Membership.objects.filter(unit=data.unit, person_id__in=wanted).values_list(
            "person_id", flat=True
        )
    )
    strangers = [person.name for pk, person in wanted.items() if pk not in members]
    if strangers:
        raise Refused(f"{'、'.join(strangers)}不是{data.unit.name}的人员，不能列为参加人员")
    session = StudySession.objects.create(
        unit=data.unit,
        kind=data.kind,
        mode=data.mode,
        held_on=data.held_on,
        topic=data.topic.strip()[:100],
        place=data.place.strip()[:100],
        extra_attendees=data.extra_attendees,
        minutes=data.minutes.strip(),
        recorded_by=actor.person,
        recorded_at=now,
    )
    session.attendees.set(wanted.values())
    uploads.attach(StudyFile, data.files, now=now, session=session)
    StudyEvent.record(
        session,
        verb=Verb.RECORDED,
        now=now,
        actor=actor,
        unit=session.unit,
        note=f"{session.get_kind_display()}：{session.topic}（{session.held_on:%Y-%m-%d}）",
    )
    return session


@transaction.atomic
def remove_session(*, session: StudySession, actor: Actor, now: datetime) -> None:
    """删除: by the session's unit (or its recorder); the audit row stays."""
    access.require_remove_session(actor, session)
    if session.rectifications.exists():
        raise Refused("已根据这次会议查摆的问题提出整改事项，不能删除")
    StudyEvent.record(
        session,
        verb=Verb.REMOVED,
        now=now,
        actor=actor,
        unit=session.unit,
        note=f"{session.get_kind_display()}：{session.topic}（{session.held_on:%Y-%m-%d}）",
    )
    stored = [item.file for item in session.files.all()]
    session.delete()
    # The files go once the rows are gone for good (a rollback keeps both).
    transaction.on_commit(lambda: [file.delete(save=False) for file in stored])
