"""One-time codes (core.otp): the daily quota per phone counts only codes actually sent."""

from datetime import timedelta

import pytest
from django.test import override_settings

from shishi.core import otp
from shishi.core.errors import Refused
from shishi.core.models import PhoneChallenge
from shishi.core.ratelimit import Limited
from shishi.testing import at

pytestmark = pytest.mark.django_db
PHONE = "13912345678"


def _send(now):
    return otp.send_code(phone=PHONE, purpose="report", purpose_label="反映问题", now=now)


@override_settings(OTP_PER_PHONE_PER_DAY=3)
def test_requests_refused_as_resends_do_not_use_up_the_citizens_quota():
    start = at(2026, 12, 2, 9)
    # given a code sent, and a stranger pressing 获取验证码 for that phone 20 times at once
    _send(start)
    for second in range(1, 21):
        with pytest.raises(Refused):
            _send(start + timedelta(seconds=second))

    # then the citizen still gets the day's other two codes, a minute apart
    _send(start + timedelta(minutes=2))
    _send(start + timedelta(minutes=4))
    assert PhoneChallenge.objects.count() == 3

    # and only a fourth code sent is over the quota, refused without being counted or sent
    for minutes in (6, 8):
        with pytest.raises(Limited):
            _send(start + timedelta(minutes=minutes))
    assert PhoneChallenge.objects.count() == 3
