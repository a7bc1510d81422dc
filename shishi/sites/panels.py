"""The sites' item on the staff home's 待我审核 panel, registered in SitesConfig.ready()."""

from django.urls import reverse

from shishi.orgs.access import Actor
from shishi.orgs.navigation import ReviewItem
from shishi.sites.access import pending_to_decide

SHOWN = 20  # items on the panel; the 待确认 tab of the booking list has them all


def bookings_to_confirm(actor: Actor) -> list[ReviewItem]:
    """待确认的参访预约 at the sites the actor's subtree runs (a route's share once, and only
    when the actor runs all its sites), nearest visit first: one query."""
    rows = (
        pending_to_decide(actor)
        .select_related("site", "slot", "route")
        .order_by("day", "slot__start", "pk")
    )
    items, seen = [], set()
    for booking in rows[: SHOWN * 4]:
        key = booking.group_code or booking.code
        if key in seen:
            continue
        seen.add(key)
        where = f"线路“{booking.route.name}”" if booking.group_code else booking.site.name
        items.append(
            ReviewItem(
                kind="参访预约",
                title=f"{booking.organisation} · {booking.headcount}人",
                detail=f"{where} {booking.slot_text}，待确认（名额已保留）；确认后预约人才能签到",
                url=reverse("sites:booking", args=[booking.pk]),
                at=booking.booked_at,
                due=booking.day,
            )
        )
        if len(items) == SHOWN:
            break
    return items
