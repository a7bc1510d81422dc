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


def test_a_stranger_pressing_for_codes_cannot_use_up_a_citizens_day(tree, client):
    from datetime import timedelta

    from django.test import Client

    from shishi.core.models import PhoneChallenge

    victim = "13912345678"
    # given a stranger asking for codes to the citizen's phone twelve times, from twelve
    # addresses: the first is sent, the others refused as resends within the minute
    answers = [
        Client(REMOTE_ADDR=f"10.0.0.{n}").post(
            reverse("portal:send_otp"), {"reporter_phone": victim}
        )
        for n in range(1, 13)
    ]
    sent = ["text-success" in answer.content.decode() for answer in answers]
    assert sent == [True] + [False] * 11
    assert all("请1分钟后再试" in answer.content.decode() for answer in answers[1:])
    assert PhoneChallenge.objects.filter(phone=victim).count() == 1

    # when, the minute over, the citizen asks for their own code
    PhoneChallenge.objects.update(
        created_at=PhoneChallenge.objects.get().created_at - timedelta(minutes=2)
    )
    own = client.post(reverse("portal:send_otp"), {"reporter_phone": victim})

    # then it is sent: the refused requests did not count against the day's quota
    assert own.status_code == 200 and "text-success" in own.content.decode()
    assert PhoneChallenge.objects.filter(phone=victim).count() == 2


def test_a_strangers_bogus_reports_with_a_citizens_phone_do_not_block_the_real_one(
    categories, tree, client
):
    from django.test import Client

    from shishi.appeals.models import Appeal
    from shishi.appeals.tests.conftest import HOUSING
    from shishi.testing import latest_code

    victim = "13912345678"
    form = {
        "kind": "help",
        "category": categories[HOUSING].pk,
        "content": "小区门口的路灯坏了一个多月，晚上很黑。",
        "reporter_phone": victim,
    }
    # given a stranger submitting eight reports with the citizen's phone and made-up codes
    stranger = Client(REMOTE_ADDR="10.9.9.9")
    tries = [stranger.post(reverse("portal:report"), {**form, "otp": f"{n:06d}"}) for n in range(8)]
    assert tries[-1].status_code == 429  # the stranger is stopped …

    # when the citizen asks for their code and reports from their own connection
    client.post(reverse("portal:send_otp"), {"reporter_phone": victim})
    done = client.post(reverse("portal:report"), {**form, "otp": latest_code(victim)})

    # then … and the citizen is not: the report is filed
    assert done.status_code == 302 and Appeal.objects.count() == 1
