"""`shishi seed-scale` leaves the summary tables equal to a recount of what it added."""

import io
from collections import Counter
from datetime import timedelta

import pytest
from django.core.management import call_command
from django.db.models import Count
from django.utils import timezone

from shishi.appeals import actions
from shishi.appeals.models import Appeal, Verdict
from shishi.core.figures import Period, Scope
from shishi.reports import summary
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_the_summary_of_seeded_data_equals_a_recount(desk):
    made = at(2026, 10, 20, 9)
    for n in range(3):
        appeal = desk.replied(now=made - timedelta(days=20 + n))
        actions.record_verdict(
            appeal=appeal, verdict=Verdict.SATISFIED, actor=None, now=made - timedelta(days=10)
        )
    desk.in_town(now=made)
    call_command("seed-scale", appeals=300, stdout=io.StringIO())

    city = desk.tree["city"]
    months = summary.recent_months(timezone.localdate(), count=38)  # as the command recounts
    scope = Scope(
        unit=city, period=Period.months_from(months[0], months[-1]), as_of=timezone.localdate()
    )
    reading = summary.read(scope)["appeals"]
    first = at(months[0].year, months[0].month, 1, 0)
    statuses = Counter(
        dict(
            Appeal.objects.filter(received_at__gte=first)
            .values_list("status")
            .annotate(n=Count("pk"))
            .order_by()
        )
    )
    from_summary = Counter(
        {k.split(":", 1)[1]: n for k, n in reading.total.items() if k.startswith("status:") and n}
    )
    assert sum(statuses.values()) == 304
    assert from_summary == statuses
