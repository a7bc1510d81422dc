"""The auditor reads every module's events in the audit log, within their subtree only."""

import pytest

from shishi.appeals.models import AppealEvent
from shishi.orgs.factories import PersonFactory
from shishi.orgs.models import Role
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_auditor_reads_appeal_events_in_the_audit_log(desk, login, auditor):
    # given an appeal handled in 芝山街道
    appeal = desk.in_town(now=at(2026, 3, 2))
    # when the city auditor opens the appeals tab of the audit log
    response = login(auditor).get("/staff/audit/", {"source": "appeals", "q": appeal.code})
    # then its events are listed by code, though the auditor cannot open the appeal itself
    assert response.status_code == 200
    rows = list(response.context["page"].object_list)
    assert {e.verb for e in rows} >= {
        AppealEvent.Verb.RECEIVED,
        AppealEvent.Verb.DISPATCHED,
        AppealEvent.Verb.SIGNED,
    }
    assert all(e.target_text == appeal.code for e in rows)
    assert login(auditor).get(f"/staff/appeals/{appeal.code}/").status_code == 403


def test_a_county_auditor_does_not_read_another_countys_appeal_events(desk, login, tree):
    # given an appeal held by 蓝田街道 (龙文区) and an auditor of 芗城区
    appeal = desk.submit(now=at(2026, 3, 2))
    desk.dispatch(appeal, to="lantian", now=at(2026, 3, 2, 11))
    county_auditor = PersonFactory(
        username="xc_auditor", unit=tree["xiangcheng"], role=Role.AUDITOR
    )
    # when they search the appeals tab for it
    response = login(county_auditor).get("/staff/audit/", {"source": "appeals", "q": appeal.code})
    # then nothing is shown
    assert list(response.context["page"].object_list) == []


def test_people_without_the_audit_permission_are_refused(login, town_clerk):
    assert login(town_clerk).get("/staff/audit/", {"source": "projects"}).status_code == 403
