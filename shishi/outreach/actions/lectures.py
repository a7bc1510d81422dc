"""Lecture teams (宣讲队伍) and their lectures (宣讲活动)."""

from dataclasses import dataclass, field
from datetime import datetime

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Person, Unit
from shishi.outreach import access, events
from shishi.outreach.access import Perm
from shishi.outreach.actions.common import (
    check_owner,
    check_people,
    check_place,
    clean_phone,
    required,
)
from shishi.outreach.models import Lecture, LecturePhoto, LectureTeam, split_names

Verb = events.Verb


@dataclass(frozen=True)
class TeamData:
    name: str
    kind: str  # LectureTeam.Kind
    unit: Unit
    topics: str = ""
    members: tuple[Person, ...] = ()  # people of `unit` or below it
    outside_members: str = ""  # names of lecturers without an account
    contact_phone: str = ""
    active: bool = True


@transaction.atomic
def save_team(
    *, data: TeamData, actor: Actor, now: datetime, team: LectureTeam | None = None
) -> LectureTeam:
    """建立或修改宣讲队伍: for a unit of the actor's subtree, with a name unique in it."""
    if team is not None:
        access.require_edit(actor, team.unit)
    require(actor, Perm.EDIT)
    check_owner(actor, data.unit, "建立宣讲队伍")
    name = required(data.name, "请填写队伍名称")[:60]
    if data.kind not in LectureTeam.Kind.values:
        raise Refused("请选择队伍类型")
    twin = LectureTeam.objects.filter(unit=data.unit, name=name)
    if team is not None:
        twin = twin.exclude(pk=team.pk)
    if twin.exists():
        raise Refused(f"{data.unit.name}已有名为“{name}”的宣讲队伍")
    check_people(data.unit, data.members, "队员")
    if not data.members and not split_names(data.outside_members):
        raise Refused("请至少填写一名队员（有账号的勾选，其他队员填写姓名）")
    team = team or LectureTeam(created_at=now)
    team.name, team.kind, team.unit = name, data.kind, data.unit
    team.topics = data.topics.strip()
    team.outside_members = "、".join(split_names(data.outside_members))[:500]
    team.contact_phone = clean_phone(data.contact_phone)
    team.active = data.active
    team.save()
    team.members.set(data.members)
    events.record(
        team.unit,
        verb=Verb.TEAM_SAVED,
        actor=actor,
        now=now,
        target=team.name,
        note=f"{team.get_kind_display()}，队员{len(data.members) + len(team.outside_names)}人",
    )
    return team


@dataclass(frozen=True)
class LectureData:
    team: LectureTeam
    topic: str
    starts_at: datetime
    place: Unit
    mode: str = Lecture.Mode.OFFLINE
    venue: str = ""
    audience: int = 0
    summary: str = ""
    public: bool = True
    photos: list[UploadedFile] = field(default_factory=list)  # checked by the form


@transaction.atomic
def save_lecture(
    *, data: LectureData, actor: Actor, now: datetime, lecture: Lecture | None = None
) -> Lecture:
    """登记宣讲活动 (or change one): a lecture of a team of the actor's subtree, at a place in
    it. One still to come is announced at /lectures/ and has no audience yet."""
    if lecture is not None:
        access.require_edit(actor, lecture.team.unit)
    require(actor, Perm.EDIT)
    team = data.team
    if not actor.sees(team.unit):
        raise Refused("只能为本单位及下级单位的宣讲队伍登记宣讲")
    if not team.active and (lecture is None or lecture.team_id != team.pk):
        raise Refused(f"“{team.name}”已停用，不能登记新的宣讲")
    topic = required(data.topic, "请填写宣讲主题")[:100]
    check_place(actor, team.unit, data.place)
    if data.mode not in Lecture.Mode.values:
        raise Refused("请选择线上或线下")
    if data.audience < 0:
        raise Refused("受众人数不能为负数")
    if data.starts_at > now and data.audience:
        raise Refused("宣讲尚未举行，受众人数请在宣讲结束后填写")
    lecture = lecture or Lecture(recorded_by=actor.person, recorded_at=now)
    lecture.team, lecture.topic, lecture.starts_at = team, topic, data.starts_at
    lecture.place, lecture.mode = data.place, data.mode
    lecture.venue = data.venue.strip()[:100]
    lecture.audience = data.audience
    lecture.summary = data.summary.strip()
    lecture.public = data.public
    lecture.save()
    for upload in data.photos:
        photo = LecturePhoto(
            lecture=lecture,
            name=upload.name[:120],
            content_type=upload.content_type or "image/jpeg",
            size=upload.size,
            uploaded_at=now,
        )
        photo.file.save(upload.name, upload, save=False)
        photo.save()
    when = timezone.localtime(lecture.starts_at)
    events.record(
        team.unit,
        verb=Verb.LECTURE_SAVED,
        actor=actor,
        now=now,
        target=f"{team.name}：{topic}"[:120],
        note=f"{when:%Y-%m-%d %H:%M}，{lecture.place.name}，受众{lecture.audience}人",
    )
    return lecture


@transaction.atomic
def remove_lecture(*, lecture: Lecture, actor: Actor, now: datetime) -> None:
    """删除宣讲活动 (entered by mistake); the audit row stays, the photos go after commit."""
    access.require_edit(actor, lecture.team.unit)
    events.record(
        lecture.team.unit,
        verb=Verb.LECTURE_REMOVED,
        actor=actor,
        now=now,
        target=f"{lecture.team.name}：{lecture.topic}"[:120],
        note=f"{timezone.localtime(lecture.starts_at):%Y-%m-%d %H:%M}",
    )
    stored = [photo.file for photo in lecture.photos.all()]
    lecture.delete()
    transaction.on_commit(lambda: [file.delete(save=False) for file in stored])
