"""Public pages of 红色教育参访 (`/sites/`): the sites on a map and by county with the
seats free this week, a site's page with its slots, booking a site or a whole route (the
contact phone confirmed by an SMS code), the visitor's tickets (QR) and cancelling them.

The visitor has no account: the codes booked in this browser are kept in the session; from
another browser a booking is found by its code and the phone's last four digits."""

from urllib.parse import urlsplit

from django.conf import settings
from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core import otp
from shishi.core.errors import Refused
from shishi.core.masking import mask_phone
from shishi.core.ratelimit import Limited, client_ip, limit_ip, too_many
from shishi.core.uploads import serve
from shishi.core.validators import is_mobile, normalise_mobile
from shishi.orgs.views.common import run_action, run_form_action
from shishi.sites import access, actions, forms, queries, tickets
from shishi.sites.models import OPEN_STATUSES, Booking

OTP_PURPOSE = "sites-book"
SESSION_KEY = "sites_bookings"
KEEP = 20  # codes remembered per browser


def _remember(request, codes: list[str]) -> None:
    kept = [c for c in request.session.get(SESSION_KEY, []) if c not in codes]
    request.session[SESSION_KEY] = [*codes, *kept][:KEEP]


def _mine(request, code: str) -> list[Booking]:
    """The bookings of `code` (one, or a route's group) if this browser booked or found
    them; 404 otherwise (a guessed code shows nothing)."""
    if code not in request.session.get(SESSION_KEY, []):
        raise Http404("没有找到该预约")
    found = queries.bookings_by_codes([code])
    if not found:
        raise Http404("没有找到该预约")
    return queries.group_of(found[0])


def _tile_url() -> str:
    """The map tiles (`SITES_TILE_URL`, default OpenStreetMap's; WGS84 like the sites)."""
    return getattr(settings, "SITES_TILE_URL", "https://tile.openstreetmap.org/{z}/{x}/{y}.png")


def _map_context() -> dict:
    return {"tile_url": _tile_url()}


def _with_tiles(response):
    """Let the page load images from the tile server (and nothing else from outside): the
    site-wide CSP allows images from this site only."""
    parts = urlsplit(_tile_url())
    host = parts.netloc.replace("{s}.", "*.")
    response._csp_update = {"img-src": [f"{parts.scheme}://{host}"]}
    return response


def index(request):
    """参访点: a map of the sites (tiles from the internet; the list below always works) and
    the sites by county with the seats free over the next 7 days."""
    now = timezone.now()
    groups = queries.by_county(access.bookable_sites(), now=now)
    page = render(
        request,
        "sites/public/index.html",
        {
            "groups": groups,
            "total": sum(len(sites) for _, sites in groups),
            "routes": access.public_routes().count(),
            **_map_context(),
        },
    )
    return _with_tiles(page)


def site_page(request, pk: int):
    """A site: what it is, where, when it opens, the next 14 days' slots with seats free."""
    site = access.public_site(pk)
    now = timezone.now()
    page = render(
        request,
        "sites/public/site.html",
        {
            "site": site,
            "days": queries.site_days(site, first=timezone.localdate(now), count=14, now=now),
            "routes": queries.routes_through(site),
            "photos": queries.photos_of(site),
            **_map_context(),
        },
    )
    return _with_tiles(page)


def photo(request, pk: int, photo: int):
    """A site's photo, for its public page."""
    site = access.public_site(pk)
    return serve(access.site_photo(site, photo))


def _visitor(data) -> actions.Visitor:
    return actions.Visitor(
        organisation=data["organisation"],
        contact_name=data["contact_name"],
        contact_phone=data["contact_phone"],
        headcount=data["headcount"],
    )


def _confirmed(request, form) -> bool:
    """The texted code: refused, it is the code field's error. At most 5 tries an hour from
    one address for one phone (`core.otp`)."""
    phone = form.cleaned_data["contact_phone"]
    try:
        otp.verify_code(
            phone=phone,
            purpose=OTP_PURPOSE,
            code=form.cleaned_data["otp"],
            requester=client_ip(request) or "unknown",
        )
    except Limited:
        form.add_error("otp", "尝试次数过多，请1小时后再试")
        return False
    except Refused as refusal:
        form.add_error("otp", refusal.message)
        return False
    return True


@limit_ip(scope="sites-book", limit=30, window=3600)
def book(request, pk: int):
    """预约参观: the public form for one site's slot."""
    site = access.public_site(pk)
    initial = {"day": request.GET.get("day"), "start": request.GET.get("start")}
    form = forms.PublicBookingForm(request.POST or None, initial=initial)
    form.set_starts(site)
    if request.method == "POST" and form.is_valid() and _confirmed(request, form):
        data = form.cleaned_data

        def do():
            booking = actions.book_visit(
                site=site,
                day=data["day"],
                start=data["start"],
                visitor=_visitor(data),
                actor=None,
                now=timezone.now(),
            )
            _remember(request, [booking.code])
            return booking

        done = run_form_action(
            request,
            form,
            do,
            success="预约已提交，名额已为您保留。参访点确认后将短信通知您，电子票二维码随之生效",
            back=lambda booking: reverse("sites_public:ticket", args=[booking.code]),
        )
        if done:
            return done
    now = timezone.now()
    return render(
        request,
        "sites/public/book.html",
        {
            "site": site,
            "form": form,
            "days": queries.site_days(site, first=timezone.localdate(now), count=14, now=now),
        },
    )


def routes(request):
    """线路: every route with its stops in order."""
    return render(
        request,
        "sites/public/routes.html",
        {"routes": queries.routes_with_stops(access.public_routes())},
    )


@limit_ip(scope="sites-book", limit=30, window=3600)
def route_page(request, pk: int):
    """A route and its booking form: every stop on its day, all or nothing."""
    route = access.public_route(pk)
    form = forms.PublicRouteForm(request.POST or None)
    if request.method == "POST" and form.is_valid() and _confirmed(request, form):
        data = form.cleaned_data

        def do():
            bookings = actions.book_route(
                route=route,
                first_day=data["day"],
                visitor=_visitor(data),
                actor=None,
                now=timezone.now(),
            )
            _remember(request, [b.code for b in bookings])
            return bookings

        done = run_form_action(
            request,
            form,
            do,
            success="线路预约已提交，名额已为您保留。确认后将短信通知您，每个参访点一张电子票",
            back=lambda bookings: reverse("sites_public:ticket", args=[bookings[0].code]),
        )
        if done:
            return done
    page = render(
        request,
        "sites/public/route.html",
        {"route": route, "stops": queries.stops_of(route), "form": form, **_map_context()},
    )
    return _with_tiles(page)


@require_POST
@limit_ip(scope="sites-otp", limit=10, window=3600)
def send_code(request):
    """htmx: text a one-time code to the contact phone typed in a booking form."""
    phone = normalise_mobile(request.POST.get("contact_phone", ""))
    if not is_mobile(phone):
        return _code_status(request, error="请先填写正确的11位手机号码")
    try:
        otp.send_code(phone=phone, purpose=OTP_PURPOSE, purpose_label="预约红色教育参访")
    except Limited as limited:
        return too_many(request, limited.retry_after)
    except Refused as refusal:
        return _code_status(request, error=refusal.message)
    return _code_status(request)


def _code_status(request, *, error: str = ""):
    return render(request, "sites/public/_code_sent.html", {"error": error})


@limit_ip(scope="sites-find", limit=20, window=3600)
def my_bookings(request):
    """我的预约: the bookings made or found in this browser, and finding one by its code and
    the contact phone's last four digits."""
    form = forms.FindBookingForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        found = queries.find_for_visitor(form.cleaned_data["code"], form.cleaned_data["phone_tail"])
        if found is None:
            form.add_error(None, "预约号与手机后4位不匹配，请核对")
        else:
            group = queries.group_of(found)
            _remember(request, [b.code for b in group])
            return redirect("sites_public:ticket", code=group[0].code)
    mine = queries.bookings_by_codes(request.session.get(SESSION_KEY, []))
    return render(request, "sites/public/mine.html", {"form": form, "bookings": mine})


def ticket(request, code: str):
    """电子票: each booking of the group with its status; the QR code only once the site has
    confirmed it (a pending ticket says it waits; a rejected one says why); cancellation."""
    group = _mine(request, code)
    rows = [(b, tickets.qr_svg(b) if b.status == Booking.Status.BOOKED else None) for b in group]
    first = group[0]
    can_move = len(group) == 1 and first.is_open and not first.group_code
    move = None
    if can_move:
        move = forms.RescheduleForm(
            initial={"day": first.day, "start": f"{first.slot.start:%H:%M}"}
        )
        move.set_starts(first.site)
    return render(
        request,
        "sites/public/ticket.html",
        {
            "rows": rows,
            "first": first,
            "phone": mask_phone(first.contact_phone),
            "can_cancel": any(b.is_open for b in group),
            "reschedule_form": move,
        },
    )


@require_POST
@limit_ip(scope="sites-book", limit=30, window=3600)
def reschedule(request, code: str):
    """改期 by the visitor: a single site's booking to another slot of the site."""
    group = _mine(request, code)
    back = reverse("sites_public:ticket", args=[code])
    form = forms.RescheduleForm(request.POST)
    form.set_starts(group[0].site)
    return run_action(
        request,
        lambda: actions.reschedule_booking(
            booking=group[0],
            day=form.cleaned_data["day"],
            start=form.cleaned_data["start"],
            actor=None,
            now=timezone.now(),
        ),
        success=lambda b: (
            f"已改期至 {b.slot_text}，"
            + (
                "新的时段待参访点确认，确认后短信通知您"
                if b.status == Booking.Status.PENDING
                else "请使用下面的新电子票"
            )
        ),
        back=back,
        form=form,
    )


@require_POST
def cancel(request, code: str):
    """取消预约 by the visitor: every booking of the group still to come."""
    group = _mine(request, code)
    open_ones = [b for b in group if b.status in OPEN_STATUSES]
    back = reverse("sites_public:ticket", args=[code])
    if not open_ones:
        messages.error(request, "没有可以取消的预约")
        return redirect(back)
    return run_action(
        request,
        lambda: actions.cancel_bookings(
            bookings=open_ones,
            actor=None,
            reason=request.POST.get("reason", "预约人取消"),
            now=timezone.now(),
        ),
        success="预约已取消，感谢您及时告知",
        back=back,
    )
