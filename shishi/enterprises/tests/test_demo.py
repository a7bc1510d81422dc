"""The desk's demo: enterprises of every county, walked through the actions, nothing dated
after the (fixed) day it is loaded, every credit code valid; loading twice changes nothing."""

import pytest
from django.utils import timezone

from shishi.core.validators import credit_code_problem
from shishi.enterprises import demo
from shishi.enterprises.models import Benefit, Enterprise, EnterpriseEvent, Pairing, Problem, Visit
from shishi.orgs.demo import load_demo
from shishi.testing import at

pytestmark = pytest.mark.django_db
NOW = at(2026, 6, 12, 15)


def test_the_demo_loads_once_with_nothing_in_the_future(monkeypatch):
    monkeypatch.setattr(timezone, "now", lambda: NOW)
    load_demo()

    first = demo.demo_summary()
    counts = (Enterprise.objects.count(), Visit.objects.count(), Benefit.objects.count())
    again = demo.demo_summary()

    assert "企业 31 家" in first and "未重复载入" in again
    assert counts == (Enterprise.objects.count(), Visit.objects.count(), Benefit.objects.count())
    assert Enterprise.objects.values("county").distinct().count() == 11
    assert all(
        credit_code_problem(c) is None
        for c in Enterprise.objects.values_list("credit_code", flat=True)
    )
    assert Pairing.objects.filter(ends_on__isnull=True).count() == 31
    assert Problem.objects.exists()
    assert Pairing.objects.filter(supervision__gt=0).exists()  # some cadres are overdue
    today = NOW.date()
    assert not Visit.objects.filter(visited_on__gt=today).exists()
    assert not Benefit.objects.filter(granted_on__gt=today).exists()
    assert not Pairing.objects.filter(starts_on__gt=today).exists()
    assert not EnterpriseEvent.objects.filter(at__gt=NOW).exists()
    assert Pairing.objects.filter(cadre__username="zs_clerk").exists()
