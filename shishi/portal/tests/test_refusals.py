"""Refusals say what happened in words: how long to wait, and that nothing was taken."""

from django.urls import reverse

from shishi.core.ratelimit import wait_words


def test_waits_are_said_in_seconds_minutes_or_hours():
    assert [wait_words(s) for s in (1, 59, 60, 61, 3480, 3600, 3601)] == [
        "1 秒",
        "59 秒",
        "1 分钟",
        "2 分钟",
        "58 分钟",
        "1 小时",
        "2 小时",
    ]


def test_too_many_code_requests_say_how_long_to_wait_and_claim_nothing_saved(tree, client):
    # given the hour's code requests from one address used up
    for n in range(10):
        client.post(reverse("portal:send_otp"), {"reporter_phone": f"1370000{n:04d}"})

    # when one more comes from the page's 获取验证码 button (htmx) and one as a plain post
    htmx = client.post(
        reverse("portal:send_otp"), {"reporter_phone": "13799999999"}, HTTP_HX_REQUEST="true"
    )
    plain = client.post(reverse("portal:send_otp"), {"reporter_phone": "13799999998"})

    # then both are 429 and say in words when to try again (the window is the clock hour,
    # so seconds near its end, minutes otherwise); none claims it was saved
    for response in (htmx, plain):
        text = response.content.decode()
        assert response.status_code == 429
        assert f"请 {wait_words(int(response['Retry-After']))}后再试" in text and "没有" in text
        assert "不会丢失" not in text
    assert "<html" not in htmx.content.decode()
