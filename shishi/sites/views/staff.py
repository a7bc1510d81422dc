"""Staff pages of 红色教育: the sites the actor's subtree runs (days, slots, closures), the
bookings it sees (its sites' and its units' own; the 待确认 tab), booking a visit for a
unit, a booking's ticket, confirming or rejecting it, cancellation, and check-in by
scanning (the phone's camera, or a photo of the ticket) or typing a ticket."""

from django.contrib import messages
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from shishi.core.errors import Refused
from shishi.core.masking import mask_phone
from shishi.orgs.access import require, visible_units
from shishi.orgs.queries import active_units
from shishi.orgs.views.common import paginate, run_action, run_form_action, staff_view
from shishi.sites import access, actions, forms, queries, tickets
from shishi.sites.access import Perm
from shishi.sites.models import OPEN_STATUSES, Booking, Site


def _site_page(site) -> str:
    return reverse("sites:site", args=[site.pk])


def _booking_page(booking) -> str:
    return reverse("sites:booking", args=[booking.pk])


@staff_view
def site_list(request):
    """参访点: the sites the actor's subtree runs, by county, kind or name."""
    actor, today = request.actor, timezone.localdate()
    form = forms.SiteFilterForm(request.GET)
    filters = form.values
    rows = queries.site_list(
        access.visible_sites(actor),
        county=filters["county"],
        kind=filters["kind"],
        q=filters["q"],
        sort=filters["sort"] or "name",
        today=today,
    )
    page = paginate(request, rows, per_page=30, query=form.query())
    return render(
        request,
        "sites/list.html",
        {
            "page": page,
            "filters": filters,
            "filter_form": form,
            "kinds": Site.Kind.choices,
            "counties": queries.counties_of(access.visible_sites(actor)),
            "sorts": form.fields["sort"].choices,
            "can_manage": actor.can(Perm.MANAGE),
        },
    )


@staff_view
def site_detail(request, pk: int):
    """A site: its facts, the next 14 days' slots with seats booked and free, closures."""
    actor, now = request.actor, timezone.now()
    site = access.access_site(actor, pk)
    today = timezone.localdate(now)
    return render(
        request,
        "sites/site.html",
        {
            "site": site,
            "days": queries.site_days(site, first=today, count=14, now=now),
            "closures": queries.closures_of(site, today=today),
            "routes": queries.routes_through(site),
            "can_manage": access.runs_site(actor, site),
            "can_book": actor.can(Perm.BOOK),
            "closure_form": forms.ClosureForm(initial={"start": today, "end": today}),
            "photos": queries.photos_of(site),
            "photo_form": forms.PhotoForm(),
        },
    )


def _site_form(request, actor, site=None):
    initial = forms.SiteForm.initial_of(site) if site else {"unit": actor.unit, "active": True}
    return forms.SiteForm(
        request.POST or None, units=active_units(visible_units(actor)), initial=initial
    )


def _site_data(data) -> actions.SiteData:
    return actions.SiteData(**{**data, "open_days": "".join(data["open_days"])})


@staff_view
def site_new(request):
    """新增参访点: run by a unit of the actor's subtree."""
    actor = request.actor
    require(actor, Perm.MANAGE)
    form = _site_form(request, actor)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.save_site(
                site=None, data=_site_data(form.cleaned_data), actor=actor, now=timezone.now()
            ),
            success="参访点已新增，公众页面即可预约",
            back=_site_page,
        )
        if done:
            return done
    return render(request, "sites/site_form.html", {"form": form, "site": None})


@staff_view
def site_edit(request, pk: int):
    """修改参访点: capacity, opening days and hours, location … (slots already booked keep
    their capacity)."""
    actor = request.actor
    site = access.access_site(actor, pk)
    access.require_manage(actor, site)
    form = _site_form(request, actor, site)
    if request.method == "POST" and form.is_valid():
        done = run_form_action(
            request,
            form,
            lambda: actions.save_site(
                site=site, data=_site_data(form.cleaned_data), actor=actor, now=timezone.now()
            ),
            success="参访点信息已保存",
            back=_site_page,
        )
        if done:
            return done
    return render(request, "sites/site_form.html", {"form": form, "site": site})


@staff_view
@require_POST
def photos_add(request, pk: int):
    actor = request.actor
    site = access.access_site(actor, pk)
    access.require_manage(actor, site)
    form = forms.PhotoForm(request.POST, request.FILES)
    return run_action(
        request,
        lambda: actions.add_photos(
            site=site, photos=form.cleaned_data["photos"], actor=actor, now=timezone.now()
        ),
        success=lambda rows: f"已上传{len(rows)}张照片，公众页面可见",
        back=_site_page(site),
        form=form,
    )


@staff_view
@require_POST
def photo_remove(request, pk: int, photo: int):
    actor = request.actor
    site = access.access_site(actor, pk)
    access.require_manage(actor, site)
    found = access.site_photo(site, photo)
    if found is None:
        raise Http404("没有找到该照片")
    return run_action(
        request,
        lambda: actions.remove_photo(photo=found, actor=actor, now=timezone.now()),
        success="照片已删除",
        back=_site_page(site),
    )


@staff_view
@require_POST
def closure_add(request, pk: int):
    actor = request.actor
    site = access.access_site(actor, pk)
    access.require_manage(actor, site)
    form = forms.ClosureForm(request.POST)
    return run_action(
        request,
        lambda: actions.add_closure(
            site=site,
            start=form.cleaned_data["start"],
            end=form.cleaned_data["end"],
            reason=form.cleaned_data["reason"],
            actor=actor,
            now=timezone.now(),
        ),
        success="闭馆安排已设置，这些日期不再接受预约",
        back=_site_page(site),
        form=form,
    )


@staff_view
@require_POST
def closure_remove(request, pk: int, closure: int):
    actor = request.actor
    site = access.access_site(actor, pk)
    access.require_manage(actor, site)
    found = access.access_closure(site, closure)
    return run_action(
        request,
        lambda: actions.remove_closure(closure=found, actor=actor, now=timezone.now()),
        success="闭馆安排已取消，这些日期可以预约了",
        back=_site_page(site),
    )


@staff_view
def booking_list(request):
    """参访预约: bookings at the actor's sites and by its units, by site, status, days."""
    actor = request.actor
    form = forms.BookingFilterForm(request.GET, today=timezone.localdate())
    filters = form.values
    visible = access.visible_bookings(actor)
    rows = queries.booking_list(
        visible,
        site=filters["site"],
        status=filters["status"],
        start=filters["start"],
        end=filters["end"],
        q=filters["q"],
        sort=filters["sort"] or "day",
    )
    page = paginate(request, rows, per_page=30, query=form.query())
    page.object_list = [(b, mask_phone(b.contact_phone)) for b in page.object_list]
    return render(
        request,
        "sites/bookings.html",
        {
            "page": page,
            "pending": queries.pending_count(visible),
            "filters": filters,
            "filter_form": form,
            "statuses": Booking.Status.choices,
            "sorts": form.fields["sort"].choices,
            "sites": queries.sites_of(access.visible_sites(actor)),
            "totals": queries.day_totals(
                queries.booking_list(
                    visible,
                    site=filters["site"],
                    status=filters["status"],
                    start=filters["start"],
                    end=filters["end"],
                    q=filters["q"],
                    sort="day",
                )
            ),
            "can_book": actor.can(Perm.BOOK),
        },
    )


def _booked_message(booking: Booking) -> str:
    if booking.status == Booking.Status.PENDING:
        return (
            f"预约已提交，预约号 {booking.code}，名额已保留，待{booking.site.unit.name}确认；"
            "已短信通知联系人"
        )
    return f"预约成功，预约号 {booking.code}，已短信通知联系人"


@staff_view
def booking_new(request, pk: int):
    """单位预约: a visit for a unit of the actor's subtree at any site open for booking."""
    actor = request.actor
    require(actor, Perm.BOOK)
    site = access.public_site(pk)
    initial = {"unit": actor.unit, "organisation": actor.unit.name, "day": request.GET.get("day")}
    if request.GET.get("start"):
        initial["start"] = request.GET["start"]
    form = forms.StaffBookingForm(
        request.POST or None, units=active_units(visible_units(actor)), initial=initial
    )
    form.set_starts(site)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.book_visit(
                site=site,
                day=data["day"],
                start=data["start"],
                visitor=actions.Visitor(
                    organisation=data["organisation"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    headcount=data["headcount"],
                    unit=data["unit"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=_booked_message,
            back=_booking_page,
        )
        if done:
            return done
    now = timezone.now()
    return render(
        request,
        "sites/booking_new.html",
        {
            "site": site,
            "form": form,
            "days": queries.site_days(site, first=timezone.localdate(now), count=14, now=now),
        },
    )


@staff_view
def route_book(request, pk: int):
    """单位预约线路: every stop of a route for a unit of the actor's subtree, all or none."""
    actor = request.actor
    require(actor, Perm.BOOK)
    route = access.public_route(pk)
    form = forms.StaffRouteForm(
        request.POST or None,
        units=active_units(visible_units(actor)),
        initial={"unit": actor.unit, "organisation": actor.unit.name},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        done = run_form_action(
            request,
            form,
            lambda: actions.book_route(
                route=route,
                first_day=data["day"],
                visitor=actions.Visitor(
                    organisation=data["organisation"],
                    contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                    headcount=data["headcount"],
                    unit=data["unit"],
                ),
                actor=actor,
                now=timezone.now(),
            ),
            success=lambda bookings: (
                f"线路预约成功（{bookings[0].group_code}），共{len(bookings)}个参访点，"
                + (
                    "待参访点的管理单位确认，"
                    if bookings[0].status == Booking.Status.PENDING
                    else ""
                )
                + "已短信通知联系人"
            ),
            back=lambda bookings: _booking_page(bookings[0]),
        )
        if done:
            return done
    return render(
        request,
        "sites/route_book.html",
        {"route": route, "stops": queries.stops_of(route), "form": form},
    )


@staff_view
def booking_detail(request, pk: int):
    """A booking: the visit, its ticket (QR and code, once confirmed), the timeline,
    confirming or rejecting it (a route's share as a whole), cancellation."""
    actor = request.actor
    booking = access.access_booking(actor, pk)
    group = queries.group_of(booking)
    return render(
        request,
        "sites/booking.html",
        {
            "booking": booking,
            "phone": mask_phone(booking.contact_phone),
            "qr": tickets.qr_svg(booking) if booking.status == Booking.Status.BOOKED else None,
            "events": queries.timeline(booking),
            "group": group if booking.group_code else [],
            "can_decide": access.may_decide(actor, group),
            "can_cancel": access.may_cancel(actor, booking),
            "runs_site": access.runs_site(actor, booking.site),
            "cancel_form": forms.CancelForm(),
            "reject_form": forms.RejectForm(),
            "reschedule_form": _reschedule_form(booking),
        },
    )


def _share_text(bookings: list[Booking]) -> str:
    return f"线路预约（{len(bookings)}个参访点）" if bookings[0].group_code else "预约"


@staff_view
@require_POST
def booking_confirm(request, pk: int):
    actor = request.actor
    booking = access.access_booking(actor, pk)
    access.require_decide(actor, queries.group_of(booking))
    return run_action(
        request,
        lambda: actions.confirm_booking(booking=booking, actor=actor, now=timezone.now()),
        success=lambda group: f"{_share_text(group)}已确认，已短信通知预约人；电子票二维码已生效",
        back=_booking_page(booking),
    )


@staff_view
@require_POST
def booking_reject(request, pk: int):
    actor = request.actor
    booking = access.access_booking(actor, pk)
    access.require_decide(actor, queries.group_of(booking))
    form = forms.RejectForm(request.POST)
    return run_action(
        request,
        lambda: actions.reject_booking(
            booking=booking, actor=actor, reason=form.cleaned_data["reason"], now=timezone.now()
        ),
        success=lambda group: f"{_share_text(group)}已退回，名额已释放，已短信告知预约人原因",
        back=_booking_page(booking),
        form=form,
    )


def _reschedule_form(booking, data=None):
    form = forms.RescheduleForm(
        data, initial={"day": booking.day, "start": f"{booking.slot.start:%H:%M}"}
    )
    form.set_starts(booking.site)
    return form


@staff_view
@require_POST
def booking_reschedule(request, pk: int):
    actor = request.actor
    booking = access.access_booking(actor, pk)
    form = _reschedule_form(booking, request.POST)
    return run_action(
        request,
        lambda: actions.reschedule_booking(
            booking=booking,
            day=form.cleaned_data["day"],
            start=form.cleaned_data["start"],
            actor=actor,
            now=timezone.now(),
        ),
        success=lambda b: f"已改期至 {b.slot_text}，已短信通知联系人（原电子票作废）",
        back=_booking_page(booking),
        form=form,
    )


@staff_view
@require_POST
def booking_cancel(request, pk: int):
    actor = request.actor
    booking = access.access_booking(actor, pk)
    if not access.may_cancel(actor, booking) and booking.status in OPEN_STATUSES:
        access.require_manage(actor, booking.site)
    form = forms.CancelForm(request.POST)
    return run_action(
        request,
        lambda: actions.cancel_bookings(
            bookings=[booking], actor=actor, reason=form.cleaned_data["reason"], now=timezone.now()
        ),
        success="预约已取消，名额已释放，已短信通知预约人",
        back=_booking_page(booking),
        form=form,
    )


@staff_view
def check_in(request):
    """扫码签到: a scanned QR code opens this page with its token (`?t=`); the page's own
    扫码 (camera) or 从照片识别 (a photo) puts the decoded ticket in the form and sends it
    (`static/shishi/sites/scan.js`); or the booking code is typed. First 查验 shows the
    booking, then 确认签到 with the people who came."""
    actor = request.actor
    require(actor, Perm.MANAGE)
    form = forms.CheckInForm(request.POST or None, initial={"ticket": request.GET.get("t", "")})
    booking = None
    if request.method == "POST" and form.is_valid():
        data, now = form.cleaned_data, timezone.now()
        try:
            booking = actions.find_ticket(presented=data["ticket"], actor=actor, now=now)
        except Refused as refusal:
            form.add_error("ticket", refusal.message)
        if booking is not None and data["arrived"] is not None:
            try:
                done = actions.check_in(
                    presented=data["ticket"], arrived=data["arrived"], actor=actor, now=now
                )
            except Refused as refusal:
                form.add_error("arrived", refusal.message)
            else:
                messages.success(
                    request, f"{done.organisation}（{done.code}）签到成功，实到 {done.arrived} 人"
                )
                return redirect("sites:checkin")
    return render(
        request,
        "sites/checkin.html",
        {
            "form": form,
            "booking": booking,
            "phone": mask_phone(booking.contact_phone) if booking else "",
            "arrivals": queries.arrivals(access.visible_sites(actor), today=timezone.localdate()),
        },
    )
