"""What SMS cost (短信发送): counted per unit and kind for the office's dashboards, and kept
out of the documents and pages about the campaign's work."""

import pytest
from django.utils import timezone

from shishi.core import outbox, sms
from shishi.core.figures import Period, source, values
from shishi.core.models import OutboxMessage
from shishi.reports import bulletin, overview

pytestmark = pytest.mark.django_db
Status = OutboxMessage.Status


def _merged(code: str) -> sms.Sms:
    return sms.kinds()["appeals.merged"](code=code)


def test_the_costs_figure_counts_billed_sms_per_unit_and_kind(tree):
    # given SMS to the county's staff this month: two sent, one delivered, one not yet sent
    county = tree["xiangcheng"]
    statuses = [Status.SENT, Status.DELIVERED, Status.PENDING]
    for status in statuses:
        message = outbox.enqueue(
            channel="sms",
            recipient="13800000021",
            sms=_merged(code="ZZ1"),
            unit_id=county.pk,
        )
        OutboxMessage.objects.filter(pk=message.pk).update(status=status, sent_at=timezone.now())
    # when the reports collect this month
    month = Period.month(timezone.localdate())
    counts = source("sms").collect(month.start, month.end, timezone.localdate())

    # then the county is charged two, both of the kind 诉求合并告知
    assert counts == {county.pk: {"sent": 2, "kind:appeals.merged": 2, "delivered": 1}}
    shown = values(source("sms"), counts[county.pk])
    assert shown["sms.sent"] == 2
    assert shown["sms.delivered_rate"] == 1.0


def test_the_sms_costs_stay_out_of_the_overview_the_bulletin_and_public_stats(tree, client):
    day = timezone.localdate()
    texts = [block.text for block in overview.compose(day).blocks if hasattr(block, "text")]
    texts += [
        block.text
        for block in bulletin.compose(day.replace(day=1), today=day).blocks
        if hasattr(block, "text")
    ]

    assert texts
    assert not any("短信" in text for text in texts)
    assert "短信发送" not in client.get("/stats/").content.decode()
