"""Adding a site and changing its settings (capacity, opening days and hours, location …)
— by the staff of the unit that runs it."""

from dataclasses import dataclass, fields
from datetime import datetime, time
from decimal import Decimal

from django.core.files.uploadedfile import UploadedFile
from django.db import transaction

from shishi.core.errors import Refused
from shishi.core.uploads import attach
from shishi.orgs.access import Actor, require
from shishi.orgs.models import Unit
from shishi.sites.access import Perm, require_manage
from shishi.sites.models import Site, SiteEvent, SitePhoto

Verb = SiteEvent.Verb
COUNTY_KINDS = (Unit.Kind.COUNTY, Unit.Kind.DISTRICT, Unit.Kind.ZONE)


@dataclass(frozen=True)
class SiteData:
    name: str
    kind: str  # Site.Kind
    unit: Unit  # 管理单位: a county-level unit or one under it
    address: str
    latitude: Decimal
    longitude: Decimal
    capacity: int
    open_days: str  # ISO weekday digits, "234567"
    opens_at: time
    closes_at: time
    slot_minutes: int
    description: str = ""
    phone: str = ""
    active: bool = True


def county_of(unit: Unit) -> Unit | None:
    """The county-level unit the unit is, or is under (None above the counties)."""
    if unit.kind in COUNTY_KINDS:
        return unit
    step = Unit.PATH_SEGMENT + 1
    prefixes = [unit.path[:end] for end in range(step, len(unit.path), step)]
    return Unit.objects.filter(path__in=prefixes, kind__in=COUNTY_KINDS).order_by("-depth").first()


def _check(data: SiteData) -> None:
    if not data.name.strip():
        raise Refused("请填写参访点名称")
    if data.kind not in Site.Kind.values:
        raise Refused("请选择参访点类型")
    if not data.address.strip():
        raise Refused("请填写地址")
    if not (-90 <= data.latitude <= 90 and -180 <= data.longitude <= 180):
        raise Refused("经纬度超出范围，请填写WGS84坐标（如 24.5228, 117.6520）")
    if data.capacity < 1:
        raise Refused("每时段接待人数至少为1人")
    if not data.open_days or any(d not in "1234567" for d in data.open_days):
        raise Refused("请至少选择一个开放日")
    if data.slot_minutes < 15:
        raise Refused("每个时段至少15分钟")
    if data.closes_at <= data.opens_at:
        raise Refused("闭馆时间须晚于开放时间")
    probe = Site(opens_at=data.opens_at, closes_at=data.closes_at, slot_minutes=data.slot_minutes)
    if not probe.slot_starts():
        raise Refused("开放时间内排不下一个完整时段，请缩短时段或延长开放时间")


@transaction.atomic
def save_site(*, site: Site | None, data: SiteData, actor: Actor, now: datetime) -> Site:
    """新增参访点 (`site` None) or change one: run by a unit of the actor's subtree, within a
    county. Slots already opened keep the capacity they had (bookings stay valid)."""
    require(actor, Perm.MANAGE)
    if site is not None:
        require_manage(actor, site)
    if not actor.sees(data.unit):
        raise Refused("管理单位须为本单位或下级单位")
    county = county_of(data.unit)
    if county is None:
        raise Refused("管理单位须为县（市、区）或其下级单位")
    _check(data)
    name = data.name.strip()[:100]
    taken = Site.objects.filter(name=name).exclude(pk=site.pk if site else None).exists()
    if taken:
        raise Refused(f"已有名为“{name}”的参访点")
    values = {f.name: getattr(data, f.name) for f in fields(SiteData)}
    values |= {
        "name": name,
        "address": data.address.strip()[:200],
        "open_days": "".join(sorted(set(data.open_days))),
        "county": county,
    }
    if site is None:
        site = Site.objects.create(**values)
        SiteEvent.record(
            site, verb=Verb.CREATED, now=now, actor=actor, unit=site.unit, note=site.name
        )
        return site
    labels = {f.name: f.verbose_name for f in Site._meta.fields}
    changed = [labels[key] for key, value in values.items() if getattr(site, key) != value]
    for key, value in values.items():
        setattr(site, key, value)
    site.save()
    if changed:
        SiteEvent.record(
            site,
            verb=Verb.UPDATED,
            now=now,
            actor=actor,
            unit=site.unit,
            note="修改：" + "、".join(changed),
        )
    return site


MAX_PHOTOS = 12


@transaction.atomic
def add_photos(
    *, site: Site, photos: list[UploadedFile], actor: Actor, now: datetime
) -> list[SitePhoto]:
    """上传照片 (checked by the form): shown on the public page, at most MAX_PHOTOS a site."""
    require_manage(actor, site)
    if not photos:
        raise Refused("请选择要上传的照片")
    have = SitePhoto.objects.filter(site=site).count()
    if have + len(photos) > MAX_PHOTOS:
        raise Refused(f"每个参访点最多{MAX_PHOTOS}张照片，已有{have}张")
    rows = attach(SitePhoto, photos, now=now, site=site)
    SiteEvent.record(
        site,
        verb=Verb.PHOTOS_ADDED,
        now=now,
        actor=actor,
        unit=site.unit,
        note="、".join(row.name for row in rows),
    )
    return rows


@transaction.atomic
def remove_photo(*, photo: SitePhoto, actor: Actor, now: datetime) -> None:
    """删除照片: the row now, the file once the removal has committed."""
    site = photo.site
    require_manage(actor, site)
    SiteEvent.record(
        site, verb=Verb.PHOTO_REMOVED, now=now, actor=actor, unit=site.unit, note=photo.name
    )
    stored = photo.file
    photo.delete()
    transaction.on_commit(lambda: stored.delete(save=False))
