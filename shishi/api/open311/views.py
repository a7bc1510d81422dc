"""The GeoReport v2 endpoints. Plain Django views: the answers are the specification's, in
JSON or XML by the path's extension, and so are the errors (400, 403, 404; 429 over a
token's rate). `api_key` is an integration token: every call carries one (reading appeals
is not public here — they concern named citizens), and it acts as its unit as on `/api/v1/`.
"""

from datetime import datetime, time, timedelta

from django.conf import settings
from django.core import signing
from django.db import transaction
from django.utils import timezone
from django.utils.dateparse import parse_date, parse_datetime
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_GET, require_http_methods

from shishi.api.access import TokenActor, TokenRefused, actor_for_key
from shishi.api.authentication import limit_token
from shishi.api.open311 import render, services
from shishi.appeals import actions, queries
from shishi.appeals.access import Perm, visible_appeals
from shishi.appeals.models import FINAL_STATUSES
from shishi.core.errors import Refused
from shishi.core.ratelimit import Limited

REQUESTS_MAX = 1000
TOKEN_SALT = "open311-token"


class Answer(Exception):
    """An error answer, raised from deep inside a view."""

    def __init__(self, status: int, *descriptions: str, headers=None):
        super().__init__(descriptions)
        self.status, self.descriptions, self.headers = status, descriptions, headers


def endpoint(view):
    """Checks `jurisdiction_id`, turns `Answer` into the specification's error list."""

    def wrapper(request, *args, fmt: str, **kwargs):
        params = request.POST if request.method == "POST" else request.GET
        jurisdiction = params.get("jurisdiction_id", "")
        try:
            if jurisdiction and jurisdiction != settings.OPEN311_JURISDICTION:
                raise Answer(404, f"jurisdiction_id “{jurisdiction}” 不存在")
            return view(request, *args, fmt=fmt, params=params, **kwargs)
        except Answer as answer:
            return render.errors(fmt, answer.status, *answer.descriptions, headers=answer.headers)

    wrapper.__name__ = view.__name__
    wrapper.__doc__ = view.__doc__
    return wrapper


def _actor(params, *, perm: str) -> TokenActor:
    key = params.get("api_key", "")
    if not key:
        raise Answer(403, "缺少 api_key（集成令牌，由市级管理员签发）")
    try:
        actor = actor_for_key(key)
    except TokenRefused as refused:
        raise Answer(403, f"api_key 无效：{refused.message}") from refused
    if not actor.can(perm):
        raise Answer(403, "该 api_key 的权限范围不含此操作")
    try:
        limit_token(actor)
    except Limited as limited:
        raise Answer(
            429,
            f"请求过于频繁，请{limited.retry_after}秒后再试",
            headers={"Retry-After": str(limited.retry_after)},
        ) from limited
    return actor


def _category(code: str):
    found = queries.leaf_categories().filter(pk=int(code)).first() if code.isdigit() else None
    if found is None:
        raise Answer(404, f"service_code “{code}” 不存在")
    return found


@require_GET
@endpoint
def discovery(request, *, fmt: str, params):
    base = request.build_absolute_uri("/open311/v2/").rstrip("/")
    return render.respond(
        {
            "changeset": settings.OPEN311_CHANGESET,
            "contact": settings.OPEN311_CONTACT,
            "key_service": settings.OPEN311_KEY_SERVICE,
            "endpoints": [
                {
                    "specification": "http://wiki.open311.org/GeoReport_v2",
                    "url": base,
                    "changeset": settings.OPEN311_CHANGESET,
                    "type": "production",
                    "formats": ["application/json", "text/xml"],
                }
            ],
        },
        fmt=fmt,
        root="discovery",
    )


@require_GET
@endpoint
def service_list(request, *, fmt: str, params):
    rows = [services.service(c) for c in queries.leaf_categories()]
    return render.respond(rows, fmt=fmt, root="services")


@require_GET
@endpoint
def service_definition(request, code: str, *, fmt: str, params):
    return render.respond(services.definition(_category(code)), fmt=fmt, root="service_definition")


@csrf_exempt
@require_http_methods(["GET", "POST"])
@endpoint
def request_list(request, *, fmt: str, params):
    if request.method == "POST":
        return _create(request, fmt=fmt, params=params)
    actor = _actor(params, perm=Perm.VIEW)
    appeals = visible_appeals(actor)
    if ids := params.get("service_request_id", "").strip():
        # "overrides all other arguments"
        codes = [c.strip() for c in ids.split(",") if c.strip()][:REQUESTS_MAX]
        appeals = appeals.filter(code__in=codes)
    else:
        appeals = _filtered(appeals, params)
    rows = queries.with_last_change(appeals).order_by("-received_at", "-pk")[:REQUESTS_MAX]
    return render.respond([services.request(a) for a in rows], fmt=fmt, root="service_requests")


def _filtered(appeals, params):
    if code := params.get("service_code", "").strip():
        appeals = appeals.filter(category=_category(code))
    start, end = services.window(
        _moment(params, "start_date"), _moment(params, "end_date"), now=timezone.now()
    )
    if end < start:
        raise Answer(400, "end_date 不能早于 start_date")
    if end - start > timedelta(days=settings.OPEN311_WINDOW_DAYS):
        raise Answer(400, f"start_date 与 end_date 相差不能超过{settings.OPEN311_WINDOW_DAYS}天")
    appeals = appeals.filter(received_at__gte=start, received_at__lte=end)
    if wanted := params.get("status", "").strip():
        states = {s.strip() for s in wanted.split(",")}
        if not states <= {"open", "closed"}:
            raise Answer(400, "status 只能是 open、closed 或二者以逗号分隔")
        if states == {"open"}:
            appeals = appeals.exclude(status__in=FINAL_STATUSES)
        elif states == {"closed"}:
            appeals = appeals.filter(status__in=FINAL_STATUSES)
    return appeals


def _moment(params, name: str) -> datetime | None:
    given = params.get(name, "").strip()
    if not given:
        return None
    try:
        moment = parse_datetime(given.replace(" ", "+"))  # a "+" that came unencoded
        if moment is None and (day := parse_date(given)) is not None:
            moment = datetime.combine(day, time.min)
    except ValueError:
        moment = None
    if moment is None:
        raise Answer(400, f"{name} 应为 ISO 8601 时间，如 2026-12-01T08:00:00+08:00")
    return moment if timezone.is_aware(moment) else timezone.make_aware(moment)


def _create(request, *, fmt: str, params):
    actor = _actor(params, perm=Perm.INTAKE)
    code = params.get("service_code", "").strip()
    if not code:
        raise Answer(400, "缺少 service_code")
    submission, refused = services.submission(params, category=_category(code))
    if submission is None:
        raise Answer(400, *refused)
    try:
        with transaction.atomic():
            appeal, _ = actions.submit_appeal(
                submission=submission, receiver=actor.unit, by=actor, now=timezone.now()
            )
    except Refused as refusal:
        raise Answer(400, refusal.message) from refusal
    return render.respond(
        [
            {
                "service_request_id": appeal.code,
                "token": signing.Signer(salt=TOKEN_SALT).sign(appeal.code),
                "service_notice": services.received_notice(appeal),
                "account_id": None,
            }
        ],
        fmt=fmt,
        root="service_requests",
    )


@require_GET
@endpoint
def request_detail(request, code: str, *, fmt: str, params):
    actor = _actor(params, perm=Perm.VIEW)
    appeal = queries.with_last_change(visible_appeals(actor).filter(code=code)).first()
    if appeal is None:
        raise Answer(404, f"service_request_id “{code}” 不存在")
    return render.respond([services.request(appeal)], fmt=fmt, root="service_requests")


@require_GET
@endpoint
def token(request, token: str, *, fmt: str, params):
    actor = _actor(params, perm=Perm.VIEW)
    try:
        code = signing.Signer(salt=TOKEN_SALT).unsign(token)
    except signing.BadSignature:
        code = None
    if code is None or not visible_appeals(actor).filter(code=code).exists():
        raise Answer(404, "token 不存在")
    return render.respond(
        [{"service_request_id": code, "token": token}], fmt=fmt, root="service_requests"
    )
