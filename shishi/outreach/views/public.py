"""Public pages, no sign-in: /lectures/ (the lectures announced from now on), the
党史上的今天 screen /screen/today/, its feed /screen/today.json and the entries' images.

Nothing personal is shown: teams, topics, times and places only."""

from django.http import FileResponse, Http404, JsonResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_GET

from shishi.core.errors import Refused
from shishi.orgs.views.common import paginate
from shishi.outreach import actions, queries
from shishi.outreach.models import TodayEntry

# How long one entry stays on the screen, and how often the screen asks for the feed again.
SCREEN_SECONDS = 12
REFRESH_SECONDS = 300


@require_GET
def lectures(request):
    """宣讲预告: lectures in the next 60 days, soonest first."""
    now = timezone.now()
    page = paginate(request, queries.upcoming_public(now), per_page=20, query="")
    return render(request, "outreach/public_lectures.html", {"page": page, "now": now})


def _day(request) -> tuple[int, int, str]:
    """The month-day asked for (`?date=MM-DD`), else today's; (month, day, error)."""
    asked = request.GET.get("date", "").strip()
    today = timezone.localdate()
    if not asked:
        return today.month, today.day, ""
    try:
        month, day = actions.parse_month_day(asked)
    except Refused as refusal:
        return today.month, today.day, refusal.message
    return month, day, ""


def _entry_json(entry: TodayEntry) -> dict:
    return {
        "id": entry.pk,
        "year": entry.year,
        "title": entry.title,
        "text": entry.text,
        "source": entry.source,
        "image": reverse("today_image", args=[entry.pk]) if entry.image else None,
    }


def _day_feed(month: int, day: int) -> dict:
    return {
        "date": f"{month:02d}-{day:02d}",
        "label": f"{month}月{day}日",
        "entries": [_entry_json(entry) for entry in queries.entries_of_day(month, day)],
    }


def _feed(month: int, day: int) -> dict:
    """The day's entries; on a day without any, also the next day that has some (`next`), so
    a screen has something to show every day of the year."""
    feed = _day_feed(month, day)
    feed["next"] = None
    if not feed["entries"] and (following := queries.next_day_with_entries(month, day)):
        feed["next"] = _day_feed(*following)
    return feed


@require_GET
@cache_control(max_age=60, public=True)
def today_feed(request):
    """The entries of a month-day as JSON (`?date=MM-DD`, else today's); 400 for a date no
    year has (02-30)."""
    month, day, error = _day(request)
    if error:
        return JsonResponse({"error": error}, status=400)
    return JsonResponse(_feed(month, day), json_dumps_params={"ensure_ascii": False})


@require_GET
def today_screen(request):
    """The full-screen page: cycles the day's entries in large type, refreshes itself from the
    feed and keeps showing what it has when the server cannot be reached (screen.js)."""
    month, day, error = _day(request)
    fixed = bool(request.GET.get("date")) and not error
    try:
        seconds = min(max(int(request.GET.get("seconds", SCREEN_SECONDS)), 2), 600)
    except ValueError:
        seconds = SCREEN_SECONDS
    feed_url = reverse("today_feed")
    if fixed:
        feed_url += f"?date={month:02d}-{day:02d}"
    return render(
        request,
        "outreach/screen.html",
        {
            "feed": _feed(month, day),
            "feed_url": feed_url,
            "seconds": seconds,
            "refresh": REFRESH_SECONDS,
            "fixed": fixed,
        },
    )


@require_GET
@cache_control(max_age=3600, public=True)
def today_image(request, pk: int):
    entry = queries.entry_with_image(pk)
    if entry is None:
        raise Http404("没有找到该图片")
    return FileResponse(entry.image.open("rb"))
