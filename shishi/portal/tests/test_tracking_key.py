"""查询进度: the random link in the SMS opens the timeline; code + last four digits is a
fallback limited per requester, each failure recorded, the code closed after too many."""

from datetime import timedelta

import pytest
from django.test import Client, override_settings
from django.urls import reverse
from django.utils import timezone

from shishi.appeals.models import AppealEvent
from shishi.appeals.tests.helpers import sms_to

pytestmark = pytest.mark.django_db
PHONE = "13912345678"  # the desk's reporter


def _try(client, appeal, last4):
    return client.post(reverse("portal:track"), {"code": appeal.code, "last4": last4})


def test_the_link_in_the_sms_opens_the_timeline_and_a_made_up_one_does_not(desk, client):
    # given an appeal; its reporter was texted a link with its random key
    appeal = desk.submit(now=timezone.now())
    (text,) = [t for t in sms_to(PHONE) if "已受理" in t]
    link = text.split("查询办理进度：")[1].split("（")[0]
    assert link.endswith(f"/t/{appeal.tracking_key}") and len(appeal.tracking_key) >= 22

    # when the reporter follows it, then their timeline opens
    opened = client.get(link.removeprefix("https://12345.zhangzhou.gov.cn"), follow=True)
    assert opened.status_code == 200 and opened.context["appeal"] == appeal

    # and a made-up key opens nothing
    assert Client().get("/t/" + "A" * 22).status_code == 404


def test_a_strangers_guesses_are_recorded_and_do_not_lock_the_owner_out(desk, client):
    appeal = desk.submit(now=timezone.now())
    # given a stranger guessing the last four digits ten times
    stranger = Client(REMOTE_ADDR="10.6.6.6")
    answers = [_try(stranger, appeal, f"{n:04d}") for n in range(11)]
    assert answers[-1].status_code == 429

    # then each failure is on the appeal's timeline for staff, with the address
    failed = AppealEvent.objects.filter(appeal=appeal, verb=AppealEvent.Verb.TRACK_FAILED)
    assert failed.count() == 10 and "10.6.6.6" in failed.first().note
    assert not failed.filter(public=True).exists()

    # when the owner checks from their own connection, then they get in
    assert _try(client, appeal, PHONE[-4:]).status_code == 302


@override_settings(APPEAL_TRACK_FAILURES=5)
def test_a_code_that_failed_too_often_is_closed_to_the_fallback_but_not_to_the_link(desk, client):
    appeal = desk.submit(now=timezone.now())
    # given five failed checks from five addresses
    for n in range(5):
        _try(Client(REMOTE_ADDR=f"10.7.7.{n}"), appeal, "0000")

    # when even the right last four digits are given, then the fallback says it is closed
    refused = _try(client, appeal, PHONE[-4:])
    assert refused.status_code == 404 and "查询链接" in refused.content.decode()

    # and the SMS link still opens the timeline
    assert client.get(f"/t/{appeal.tracking_key}", follow=True).status_code == 200


def test_the_window_to_judge_never_closes_because_no_code_could_be_sent(desk, client, settings):
    from shishi.appeals import actions
    from shishi.appeals.models import Appeal, Status
    from shishi.core import workdays

    # given an answered appeal whose window to judge ends today
    appeal = desk.replied(now=timezone.now())
    today = timezone.localdate()
    Appeal.objects.filter(pk=appeal.pk).update(callback_due=today)
    client.get(f"/t/{appeal.tracking_key}")

    # when the reporter asks for a code and their phone's codes for the day are used up
    settings.OTP_PER_PHONE_PER_DAY = 0
    refused = client.post(f"/track/{appeal.code}/code/")

    # then the window moves to the next working day, said on their timeline
    assert refused.status_code == 429
    appeal.refresh_from_db()
    assert appeal.callback_due == workdays.add_workdays(today, 1)
    assert AppealEvent.objects.filter(
        appeal=appeal, verb=AppealEvent.Verb.EVALUATION_EXTENDED, public=True
    ).exists()
    # and the closer leaves it open tonight
    actions.close_unevaluated(now=timezone.now() + timedelta(hours=1))
    assert Appeal.objects.get(pk=appeal.pk).status == Status.REPLIED
