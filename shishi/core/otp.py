"""One-time codes sent by SMS (through the outbox) to confirm a citizen's phone number."""

import secrets
from datetime import datetime, timedelta

from django.conf import settings
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.crypto import constant_time_compare, salted_hmac

from shishi.core import notifications, outbox, ratelimit
from shishi.core.errors import Refused
from shishi.core.models import PhoneChallenge

LIFETIME = timedelta(minutes=10)
MAX_ATTEMPTS = 5
RESEND_AFTER = timedelta(seconds=60)
DAY = 86400
TRIES_PER_HOUR = 5


def _digest(phone: str, purpose: str, code: str) -> str:
    return salted_hmac("shishi.otp", f"{phone}:{purpose}:{code}", algorithm="sha256").hexdigest()


@transaction.atomic
def send_code(
    *, phone: str, purpose: str, purpose_label: str, now: datetime | None = None
) -> PhoneChallenge:
    """Create a challenge and queue the SMS. Refuses a resend within a minute (Refused), and
    more than `OTP_PER_PHONE_PER_DAY` codes to one phone (ratelimit.Limited). Only codes
    actually sent count against that quota: requests refused as resends, or by the quota
    itself, do not — so a stranger pressing 获取验证码 cannot use up a citizen's day."""
    now = now or timezone.now()
    recent = PhoneChallenge.objects.filter(
        phone=phone, purpose=purpose, created_at__gt=now - RESEND_AFTER
    ).exists()
    if recent:
        raise Refused("验证码已发送，请1分钟后再试")
    # Counted inside this transaction: a refusal here rolls its own count back.
    ratelimit.hit(f"otp:phone:{phone}", limit=settings.OTP_PER_PHONE_PER_DAY, window=DAY, now=now)
    code = f"{secrets.randbelow(1_000_000):06d}"
    challenge = PhoneChallenge.objects.create(
        phone=phone,
        purpose=purpose,
        code_hash=_digest(phone, purpose, code),
        created_at=now,
        expires_at=now + LIFETIME,
    )
    outbox.enqueue(
        channel="sms", recipient=phone, sms=notifications.CODE(purpose=purpose_label, code=code)
    )
    return challenge


def verify_code(
    *,
    phone: str,
    purpose: str,
    code: str,
    requester: str | None = None,
    now: datetime | None = None,
) -> None:
    """Accept the newest open code for this phone and purpose once, or refuse.

    Given the `requester` (the caller's address), the try is first counted against that
    requester and phone — at most `TRIES_PER_HOUR` (ratelimit.Limited past it). Keyed by who
    asks, a stranger's wrong tries never lock the phone's owner out; a guesser gets
    `MAX_ATTEMPTS` per code whatever address they use.
    Not one transaction on purpose: a wrong guess must stay counted when we refuse.
    """
    now = now or timezone.now()
    if requester is not None:
        key = f"otp-try:{purpose}:{requester}:{phone}"
        ratelimit.hit(key, limit=TRIES_PER_HOUR, window=3600, now=now)
    challenge = (
        PhoneChallenge.objects.filter(
            phone=phone, purpose=purpose, verified_at__isnull=True, expires_at__gt=now
        )
        .order_by("-created_at")
        .first()
    )
    if challenge is None:
        raise Refused("验证码已失效，请重新获取")
    if challenge.attempts >= MAX_ATTEMPTS:
        raise Refused("验证码错误次数过多，请重新获取")
    if not constant_time_compare(_digest(phone, purpose, code.strip()), challenge.code_hash):
        PhoneChallenge.objects.filter(pk=challenge.pk).update(attempts=F("attempts") + 1)
        raise Refused("验证码不正确")
    used = PhoneChallenge.objects.filter(pk=challenge.pk, verified_at__isnull=True).update(
        verified_at=now
    )
    if not used:  # the same code was just used by a concurrent request
        raise Refused("验证码已失效，请重新获取")
