"""Fixtures of the sites tests: a fixed clock for the pages (they ask `timezone.now()`),
sites and a route, and a helper that books through the actions (and, unless told
`confirm=False`, has a clerk of the site's unit confirm the booking, as most tests start
from a confirmed visit).

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道),
龙文区 (蓝田街道). The 红军攻克漳州纪念馆 is run by 芝山街道 (town_clerk checks visitors
in); 西桥 runs a site of its own (the outsider's). NOW is Monday 2026-06-29 08:00: the sites
close on Mondays, so the first open day is Tuesday 06-30, then 七一."""

from datetime import date, datetime, time
from decimal import Decimal

import pytest
from django.utils import timezone

from shishi.sites import actions
from shishi.sites.models import Route, RouteStop, Site
from shishi.testing import actor_of, at

NOW = at(2026, 6, 29, 8)
TUESDAY = date(2026, 6, 30)
JULY_1 = date(2026, 7, 1)
NINE = time(9)


@pytest.fixture
def clock(monkeypatch):
    """The pages' clock, fixed at NOW; returns a setter."""
    current = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])

    def set_now(moment: datetime) -> None:
        current["now"] = moment

    return set_now


def make_site(unit, county, *, name="毛主席率领红军攻克漳州纪念馆", capacity=50, **fields) -> Site:
    values = {
        "kind": Site.Kind.MEMORIAL,
        "address": "芗城区芝山南麓",
        "latitude": Decimal("24.522800"),
        "longitude": Decimal("117.652000"),
        "open_days": "234567",
        "opens_at": time(9),
        "closes_at": time(17),
        "slot_minutes": 60,
        "description": "1932年4月红军东路军攻克漳州。",
        **fields,
    }
    return Site.objects.create(name=name, county=county, unit=unit, capacity=capacity, **values)


@pytest.fixture
def site(tree, town_clerk) -> Site:
    """Run by 芝山街道 (its clerk confirms and checks in)."""
    return make_site(tree["zhishan"], tree["xiangcheng"])


@pytest.fixture
def sibling_site(tree, outsider) -> Site:
    """Run by 西桥街道 (the outsider's)."""
    return make_site(tree["xiqiao"], tree["xiangcheng"], name="西桥革命烈士纪念碑", capacity=30)


@pytest.fixture
def route(tree, site, sibling_site) -> Route:
    """Day 1: the 纪念馆 then the 纪念碑; day 2: the 纪念馆 again."""
    route = Route.objects.create(name="芗城红色一日游")
    RouteStop.objects.create(route=route, site=site, day=1, order=1)
    RouteStop.objects.create(route=route, site=sibling_site, day=1, order=2)
    RouteStop.objects.create(route=route, site=site, day=2, order=1)
    return route


def png(name="photo.png"):
    """A small real PNG upload (uploads are checked by content)."""
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from PIL import Image

    buffer = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 30, 30)).save(buffer, "PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


def visitor(headcount=20, **fields) -> actions.Visitor:
    values = {
        "organisation": "漳州第一中学",
        "contact_name": "陈老师",
        "contact_phone": "13900001111",
        **fields,
    }
    return actions.Visitor(headcount=headcount, **values)


def site_clerk(site: Site):
    """A clerk of the unit running `site` (the tree has one per town)."""
    from shishi.orgs.models import Membership, Role

    return (
        Membership.objects.filter(unit=site.unit, role=Role.UNIT_CLERK)
        .select_related("person")
        .first()
        .person
    )


def book(
    site, *, day=JULY_1, start=NINE, headcount=20, person=None, now=NOW, confirm=True, **fields
):
    """A booking through the action: public unless `person` (then for their unit); a
    pending one confirmed by the site's clerk unless `confirm=False`."""
    actor = actor_of(person) if person else None
    if actor and "unit" not in fields:
        fields["unit"] = actor.unit
    booking = actions.book_visit(
        site=site,
        day=day,
        start=start,
        visitor=visitor(headcount, **fields),
        actor=actor,
        now=now,
    )
    if confirm and booking.status == booking.Status.PENDING:
        actions.confirm_booking(booking=booking, actor=actor_of(site_clerk(site)), now=now)
    return booking


@pytest.fixture
def browser_page(live_server, settings):
    """A fresh page in headless Debian chromium, pointed at the live test server; map tiles
    from an address that refuses at once (the tests run offline, as a site's office may)."""
    import os

    from playwright.sync_api import sync_playwright

    from shishi.browser import launch

    settings.SITES_TILE_URL = "http://127.0.0.1:9/{z}/{x}/{y}.png"
    # Playwright runs an event loop in this thread; the ORM calls the tests make are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
