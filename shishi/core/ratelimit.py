"""Fixed-window rate limits for public endpoints, counted in the database so every app
process shares them. Over the limit the caller gets HTTP 429 with Retry-After."""

import functools
import ipaddress
import math
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.db.models import F
from django.http import HttpResponse
from django.template.loader import render_to_string
from django.utils import timezone

from shishi.core.models import RateBucket


class Limited(Exception):
    def __init__(self, retry_after: int):
        super().__init__(retry_after)
        self.retry_after = retry_after


def _window(now: datetime, seconds: int) -> datetime:
    epoch = int(now.timestamp())
    return datetime.fromtimestamp(epoch - epoch % seconds, tz=now.tzinfo)


def hit(key: str, *, limit: int, window: int, now: datetime | None = None) -> None:
    """Count one use of `key`; raise Limited once more than `limit` fall in one window."""
    now = now or timezone.now()
    if count(key, window=window, now=now) > limit:
        start = _window(now, window)
        raise Limited(max(1, math.ceil((start + timedelta(seconds=window) - now).total_seconds())))


def count(key: str, *, window: int, now: datetime | None = None) -> int:
    """Count one use of `key` and return the uses in the current window (no limit here:
    for a limit read elsewhere, before the attempt, with `used`)."""
    start = _window(now or timezone.now(), window)
    with transaction.atomic():
        if not RateBucket.objects.filter(key=key, window_start=start).update(count=F("count") + 1):
            try:
                with transaction.atomic():
                    RateBucket.objects.create(key=key, window_start=start, count=1)
            except IntegrityError:
                RateBucket.objects.filter(key=key, window_start=start).update(count=F("count") + 1)
        return RateBucket.objects.get(key=key, window_start=start).count


def forget(key: str) -> None:
    """Drop every count of `key` (a success that clears earlier failures)."""
    RateBucket.objects.filter(key=key).delete()


def used(key: str, *, window: int, now: datetime | None = None) -> tuple[int, int]:
    """How many uses of `key` fall in the current window, and the seconds until it ends —
    read without counting one (for a limit checked before the attempt it limits)."""
    now = now or timezone.now()
    start = _window(now, window)
    row = RateBucket.objects.filter(key=key, window_start=start).first()
    left = max(1, math.ceil((start + timedelta(seconds=window) - now).total_seconds()))
    return (row.count if row else 0), left


def wait_words(seconds: int) -> str:
    """How long to wait, as people say it: 30 秒, 58 分钟, 2 小时."""
    if seconds < 60:
        return f"{seconds} 秒"
    if seconds < 3600:
        return f"{math.ceil(seconds / 60)} 分钟"
    return f"{math.ceil(seconds / 3600)} 小时"


def too_many(request, retry_after: int) -> HttpResponse:
    """The 429 page: what happened and how long to wait, in words; Retry-After for machines."""
    # An htmx request (a 获取验证码 button) gets the sentence alone, shown in place.
    template = "includes/too_many.html" if request.headers.get("HX-Request") else "429.html"
    body = render_to_string(template, {"wait": wait_words(retry_after)}, request=request)
    response = HttpResponse(body, status=429)
    response["Retry-After"] = str(retry_after)
    return response


def _is_address(text: str) -> bool:
    try:
        ipaddress.ip_address(text)
    except ValueError:
        return False
    return True


def client_ip(request) -> str | None:
    """The caller's address. Behind SHISHI_PROXY_COUNT trusted proxies (nginx) it is taken
    from X-Forwarded-For, counted from the right, so a client cannot forge it; used by the
    rate limits and by django-axes (AXES_CLIENT_IP_CALLABLE)."""
    count = settings.PROXY_COUNT
    forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
    if count and forwarded:
        hops = [hop.strip() for hop in forwarded.split(",") if hop.strip()]
        if len(hops) >= count and _is_address(hops[-count]):
            return hops[-count]
    return request.META.get("REMOTE_ADDR") or None


def limit_ip(*, scope: str, limit: int, window: int, methods: tuple[str, ...] = ("POST",)):
    """View decorator: at most `limit` requests per client address per `window` seconds."""

    def decorator(view):
        @functools.wraps(view)
        def wrapper(request, *args, **kwargs):
            if request.method in methods:
                try:
                    hit(f"{scope}:ip:{client_ip(request) or 'unknown'}", limit=limit, window=window)
                except Limited as limited:
                    return too_many(request, limited.retry_after)
            return view(request, *args, **kwargs)

        return wrapper

    return decorator


def purge(*, now: datetime | None = None, keep: timedelta = timedelta(days=1)) -> int:
    """Delete counters of windows that ended long ago."""
    now = now or timezone.now()
    return RateBucket.objects.filter(window_start__lt=now - keep).delete()[0]
