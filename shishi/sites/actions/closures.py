"""闭馆 — a site's staff close it for a run of days (with the reason bookers are told), or
lift a closure."""

from datetime import date, datetime

from django.db import transaction
from django.utils import timezone

from shishi.core.errors import Refused
from shishi.orgs.access import Actor
from shishi.sites.access import require_manage
from shishi.sites.models import Booking, Closure, Site, SiteEvent

Verb = SiteEvent.Verb


@transaction.atomic
def add_closure(
    *, site: Site, start: date, end: date, reason: str, actor: Actor, now: datetime
) -> Closure:
    """设置闭馆: from today on; refused while visits are booked in those days (the booking
    units are called first and cancel, so nobody arrives at a closed door)."""
    require_manage(actor, site)
    reason = reason.strip()
    if not reason:
        raise Refused("请填写闭馆原因（预约时会告知群众）")
    if end < start:
        raise Refused("闭馆结束日期不能早于开始日期")
    if start < timezone.localdate(now):
        raise Refused("闭馆开始日期不能早于今天")
    booked = Booking.objects.filter(
        site=site, day__gte=start, day__lte=end, status=Booking.Status.BOOKED
    ).count()
    if booked:
        raise Refused(f"闭馆期间已有{booked}个预约，请先联系预约单位取消后再设置闭馆")
    closure = Closure.objects.create(site=site, start=start, end=end, reason=reason[:100])
    SiteEvent.record(
        site,
        verb=Verb.CLOSURE_ADDED,
        now=now,
        actor=actor,
        unit=site.unit,
        note=f"{start:%Y-%m-%d}至{end:%Y-%m-%d}：{closure.reason}",
    )
    return closure


@transaction.atomic
def remove_closure(*, closure: Closure, actor: Actor, now: datetime) -> None:
    """取消闭馆: the days can be booked again."""
    site = closure.site
    require_manage(actor, site)
    SiteEvent.record(
        site,
        verb=Verb.CLOSURE_REMOVED,
        now=now,
        actor=actor,
        unit=site.unit,
        note=f"{closure.start:%Y-%m-%d}至{closure.end:%Y-%m-%d}：{closure.reason}",
    )
    closure.delete()
