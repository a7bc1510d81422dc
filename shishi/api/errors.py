"""How the API answers errors: JSON `{code, message}` — a stable code for programs, a
Chinese message for people (and `fields` for a form's errors) — in one place.

| status | code | when |
|---|---|---|
| 400 | invalid | a field is missing or wrong (`fields` says which) |
| 400 | malformed | the body cannot be read |
| 400 | refused | the action refused what was asked (the message says why) |
| 401 | unauthenticated | no key, or an unknown, expired or revoked one |
| 403 | forbidden | the token's scopes do not cover this |
| 404 | not_found | nothing by that name in the token's units |
| 405 | method_not_allowed | |
| 409 | conflict | the object's state does not allow it now (core.errors.Conflict) |
| 415 | unsupported_media_type | |
| 422 | idempotency_key_reused | the key was used for a different submission |
| 429 | throttled | over the token's rate; Retry-After says when to try again |
"""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.http import Http404
from rest_framework import exceptions, status
from rest_framework.response import Response
from rest_framework.views import exception_handler as drf_exception_handler

from shishi.appeals.actions.intake import KeyReused
from shishi.core.errors import Conflict, Refused

MESSAGES = {
    exceptions.NotAuthenticated: ("unauthenticated", "请在 Authorization 头中提供接口令牌"),
    exceptions.PermissionDenied: ("forbidden", "该令牌的权限范围不含此操作"),
    exceptions.NotFound: ("not_found", "没有找到"),
    exceptions.MethodNotAllowed: ("method_not_allowed", "不支持该请求方法"),
    exceptions.NotAcceptable: ("not_acceptable", "不支持所请求的响应格式"),
    exceptions.UnsupportedMediaType: ("unsupported_media_type", "不支持该请求体格式"),
    exceptions.ParseError: ("malformed", "请求体无法解析"),
}


def error(code: str, message: str, http: int, **extra) -> Response:
    return Response({"code": code, "message": message, **extra}, status=http)


def exception_handler(exc, context) -> Response | None:
    if isinstance(exc, KeyReused):
        return error("idempotency_key_reused", exc.message, status.HTTP_422_UNPROCESSABLE_ENTITY)
    if isinstance(exc, Conflict):
        return error("conflict", exc.message, status.HTTP_409_CONFLICT)
    if isinstance(exc, Refused):
        return error("refused", exc.message, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, Http404):  # access_* raise Django's; say them as DRF's
        exc = exceptions.NotFound(str(exc))
    elif isinstance(exc, DjangoPermissionDenied):
        exc = exceptions.PermissionDenied(str(exc))
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, exceptions.ValidationError):
        fields = exc.detail if isinstance(exc.detail, dict) else {"non_field_errors": exc.detail}
        first = next(iter(fields.values()), [""])
        message = str(first[0] if isinstance(first, list) and first else first)
        response.data = {"code": "invalid", "message": message, "fields": fields}
        return response
    if isinstance(exc, exceptions.AuthenticationFailed):
        response.data = {"code": "unauthenticated", "message": str(exc.detail)}
        return response
    if isinstance(exc, exceptions.Throttled):
        wait = exc.wait or 60
        response.data = {"code": "throttled", "message": f"请求过于频繁，请{wait:.0f}秒后再试"}
        return response
    code, message = next(
        ((c, m) for kind, (c, m) in MESSAGES.items() if isinstance(exc, kind)),
        ("error", str(getattr(exc, "detail", "请求失败"))),
    )
    detail = str(getattr(exc, "detail", ""))
    # Our own PermissionDenied/NotFound carry a Chinese reason: keep it.
    if detail and any("\u4e00" <= ch <= "\u9fff" for ch in detail):
        message = detail
    response.data = {"code": code, "message": message}
    return response
