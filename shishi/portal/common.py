"""What the public pages share: texting a one-time code from an htmx button."""

from django.http import HttpResponse
from django.shortcuts import render

from shishi.core import otp
from shishi.core.errors import Refused
from shishi.core.ratelimit import Limited, too_many

TYPE_A_PHONE = "请先填写正确的11位手机号码"


def code_status(request, *, error: str = "", to: str = "", status: int = 200) -> HttpResponse:
    """The line under a 获取验证码 button: sent (to a masked number), or why not."""
    return render(request, "portal/_code_sent.html", {"error": error, "to": to}, status=status)


def text_code(
    request,
    *,
    phone: str,
    purpose: str,
    purpose_label: str,
    shown_as: str = "",
    on_limited=None,
) -> HttpResponse:
    """htmx: text a one-time code to `phone` (`core.otp`'s daily quota per number) and answer with
    the status line; `shown_as` is the masked number to name when the citizen did not type it."""
    try:
        otp.send_code(phone=phone, purpose=purpose, purpose_label=purpose_label)
    except Limited as limited:
        if on_limited is not None:
            on_limited()  # e.g. an evaluation window that must not end while codes are refused
        return too_many(request, limited.retry_after)
    except Refused as refusal:
        return code_status(request, error=refusal.message)
    return code_status(request, to=shown_as)
