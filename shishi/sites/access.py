"""Who may see and do what with red-education sites and their bookings.

A site is run by the staff of its unit's subtree (the county's, or the unit under it that
the site belongs to): they set closures, see its bookings, confirm or reject those waiting
(`may_decide`: a route's share only by staff who run every site of it) and check visitors
in. A unit books visits for itself (学校、党支部 …) at any site; its subtree sees those
bookings. Everything else is 404 to outsiders; sites and routes themselves are public (the
`/sites/` pages)."""

from django.core.exceptions import PermissionDenied
from django.db.models import Exists, F, OuterRef, Q, QuerySet, Value
from django.db.models.functions import Coalesce
from django.http import Http404

from shishi.orgs.access import Actor, events_in_scope, register_permissions, require
from shishi.orgs.models import Role
from shishi.sites.models import (
    OPEN_STATUSES,
    Booking,
    BookingEvent,
    Closure,
    Route,
    Site,
    SiteEvent,
    SitePhoto,
)


class Perm:
    VIEW = "sites.view"
    BOOK = "sites.book"  # book visits for the own unit
    # closures, confirming, rejecting, cancelling and checking in at the own subtree's sites
    MANAGE = "sites.manage"


register_permissions(
    {
        Role.CITY_ADMIN: {Perm.VIEW, Perm.BOOK, Perm.MANAGE},
        Role.UNIT_LEADER: {Perm.VIEW, Perm.BOOK, Perm.MANAGE},
        Role.UNIT_CLERK: {Perm.VIEW, Perm.BOOK, Perm.MANAGE},
        Role.SUPERVISOR: {Perm.VIEW},
        Role.GUIDANCE_MEMBER: {Perm.VIEW},
    }
)


def bookable_sites() -> QuerySet[Site]:
    """Sites open for booking: public, the same for everyone."""
    return Site.objects.filter(active=True)


def public_site(pk: int) -> Site:
    """A site's public page; 404 for one not open for booking."""
    site = bookable_sites().filter(pk=pk).select_related("county", "unit").first()
    if site is None:
        raise Http404("没有找到该参访点")
    return site


def public_routes() -> QuerySet[Route]:
    """Routes: public, the same for everyone."""
    return Route.objects.all()


def public_route(pk: int) -> Route:
    """A route's public page; 404 for an unknown one."""
    route = public_routes().filter(pk=pk).first()
    if route is None:
        raise Http404("没有找到该线路")
    return route


def visible_sites(actor: Actor) -> QuerySet[Site]:
    """The sites the actor's subtree runs."""
    require(actor, Perm.VIEW)
    return Site.objects.filter(unit__path__startswith=actor.scope_path)


def access_site(actor: Actor, pk: int) -> Site:
    """One site the actor's subtree runs; 404 otherwise."""
    site = visible_sites(actor).filter(pk=pk).select_related("county", "unit").first()
    if site is None:
        raise Http404("没有找到该参访点")
    return site


def access_closure(site: Site, pk: int) -> Closure:
    """One closure of a site the caller has already accessed; 404 for another site's."""
    closure = Closure.objects.filter(site=site, pk=pk).select_related("site", "site__unit").first()
    if closure is None:
        raise Http404("没有找到该闭馆安排")
    return closure


def site_photo(site: Site, pk: int) -> SitePhoto | None:
    """One photo of a site the caller has already accessed (publicly or as its staff)."""
    return SitePhoto.objects.filter(site=site, pk=pk).select_related("site", "site__unit").first()


def visible_bookings(actor: Actor) -> QuerySet[Booking]:
    """Bookings at the sites the actor's subtree runs, and those its units made."""
    require(actor, Perm.VIEW)
    return Booking.objects.filter(
        Q(site__unit__path__startswith=actor.scope_path)
        | Q(unit__path__startswith=actor.scope_path)
    )


def access_booking(actor: Actor, pk: int) -> Booking:
    """One booking the actor sees; 404 otherwise."""
    booking = (
        visible_bookings(actor)
        .filter(pk=pk)
        .select_related("site", "site__unit", "slot", "route", "unit")
        .first()
    )
    if booking is None:
        raise Http404("没有找到该预约")
    return booking


def runs_site(actor: Actor, site: Site) -> bool:
    """The actor's subtree runs the site and the role may manage it."""
    return actor.can(Perm.MANAGE) and site.unit.path.startswith(actor.scope_path)


def require_manage(actor: Actor, site: Site) -> None:
    """403 unless the actor's subtree runs the site and the role may manage it."""
    if not runs_site(actor, site):
        raise PermissionDenied("只有参访点的管理单位可以进行此操作")


def confirms_itself(actor: Actor | None, sites: list[Site]) -> bool:
    """A booking made by staff who run every one of its sites is confirmed as it is made
    (the site registering a visit agreed by phone or at the desk); any other — online, or a
    unit's booking at a site another unit runs — waits for the site's confirmation."""
    return actor is not None and all(runs_site(actor, site) for site in sites)


def may_decide(actor: Actor, group: list[Booking]) -> bool:
    """确认/退回: a booking still pending, by the staff of its site; a route's share (the
    bookings of one `group_code`, all of them passed) only by staff who run every site of
    it, so the route is confirmed or rejected as a whole."""
    return (
        bool(group)
        and all(booking.status == Booking.Status.PENDING for booking in group)
        and len({booking.group_code for booking in group}) == 1
        and all(runs_site(actor, booking.site) for booking in group)
    )


def require_decide(actor: Actor, group: list[Booking]) -> None:
    """403 for a pending share the actor sees but may not decide (the booking unit's own
    staff; 芝山 for a route with a stop 西桥 runs). A share no longer pending is left to the
    action, which says what became of it."""
    pending = all(booking.status == Booking.Status.PENDING for booking in group)
    if pending and not may_decide(actor, group):
        raise PermissionDenied("只有参访点的管理单位可以确认或退回预约")


def pending_to_decide(actor: Actor) -> QuerySet[Booking]:
    """The pending bookings the actor may confirm or reject: at sites its subtree runs,
    leaving out a route's share with a stop at a site run elsewhere (a unit above decides
    it). Empty without the permission to manage."""
    if not actor.can(Perm.MANAGE):
        return Booking.objects.none()
    elsewhere = Booking.objects.filter(
        group_code=OuterRef("group_code"), status=Booking.Status.PENDING
    ).exclude(site__unit__path__startswith=actor.scope_path)
    return Booking.objects.filter(
        status=Booking.Status.PENDING, site__unit__path__startswith=actor.scope_path
    ).exclude(~Q(group_code="") & Exists(elsewhere))


def may_cancel(actor: Actor, booking: Booking) -> bool:
    """The site's staff, or the booking unit's, while the visit has not happened (pending
    or confirmed)."""
    if booking.status not in OPEN_STATUSES:
        return False
    booked_here = booking.unit_id is not None and actor.can(Perm.BOOK) and actor.sees(booking.unit)
    return runs_site(actor, booking.site) or booked_here


def audit_events(actor: Actor) -> QuerySet[BookingEvent]:
    """Booking events for the audit log: those filed under a unit of the actor's subtree (the
    site's unit; a refused ticket under the unit that scanned it) or about its own bookings."""
    events = BookingEvent.objects.annotate(
        target_text=Coalesce(F("booking__code"), Value("票据（未识别）"))
    )
    return events_in_scope(actor, events, owner_path="booking__unit__path")


def site_audit_events(actor: Actor) -> QuerySet[SiteEvent]:
    """Closures set and lifted at the sites of the actor's subtree."""
    events = SiteEvent.objects.annotate(target_text=F("site__name"))
    return events_in_scope(actor, events, owner_path="site__unit__path")
