"""Staff see on an appeal's timeline whether its SMS arrived (短信已送达 / 发送失败)."""

import pytest
from django.urls import reverse
from django.utils import timezone

from shishi.appeals.tests.helpers import at
from shishi.core import outbox, receipts
from shishi.core.models import OutboxMessage

pytestmark = pytest.mark.django_db


def test_the_timeline_shows_staff_which_sms_arrived_and_which_failed(desk, login, operator):
    # given an appeal whose 受理 SMS went out, and its receipt came back
    appeal = desk.submit(now=at(2024, 3, 4, 9))
    outbox.deliver_due()
    received = OutboxMessage.objects.get(ref=f"appeal:{appeal.pk}", kind="appeals.received")
    OutboxMessage.objects.filter(pk=received.pk).update(provider_id="biz-1")
    receipts.apply([receipts.Receipt("biz-1", delivered=True)], now=timezone.now())
    # and a second SMS about it that the provider could not deliver
    failed = outbox.enqueue(
        channel="sms",
        recipient="13800000031",
        body="通知",
        ref=f"appeal:{appeal.pk}",
    )
    OutboxMessage.objects.filter(pk=failed.pk).update(
        status=OutboxMessage.Status.FAILED, last_error="未送达：空号"
    )
    client = login(operator)

    # when staff open the appeal, whose timeline loads the deliveries
    page = client.get(reverse("appeals:detail", args=[appeal.code])).content.decode()
    deliveries = client.get(reverse("appeals:sms_deliveries", args=[appeal.code]))

    # then both are said, with the failure's reason
    assert reverse("appeals:sms_deliveries", args=[appeal.code]) in page
    text = deliveries.content.decode()
    assert "短信已送达" in text and "诉求受理告知" in text
    assert "发送失败" in text and "空号" in text


def test_an_outsider_cannot_read_an_appeals_sms(desk, login, outsider):
    appeal = desk.submit(now=at(2024, 3, 4, 9))

    response = login(outsider).get(reverse("appeals:sms_deliveries", args=[appeal.code]))

    assert response.status_code == 404
