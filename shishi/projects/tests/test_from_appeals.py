"""Several appeals selected on the appeal list become one project (issue: "create a project
from one or several appeals; those appeals' public timelines say so")."""

import pytest

from shishi.appeals.models import AppealEvent
from shishi.projects.models import Project
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_selected_appeals_become_one_project_and_their_timelines_say_so(desk, login, city_admin):
    # given two appeals about the same street lights
    first = desk.submit(now=at(2026, 3, 2), content="芝山路的路灯坏了一个多月，晚上很黑。")
    second = desk.submit(now=at(2026, 3, 3), content="芝山路北段路灯不亮，老人晚上不敢出门。")
    client = login(city_admin)
    # when the office opens the new-project form with both selected (the list's checkboxes)
    page = client.get("/staff/projects/new/", {"appeal": [first.code, second.code]})
    assert page.status_code == 200
    assert first.code in page.content.decode() and second.code in page.content.decode()
    form = page.context["form"]
    response = client.post(
        "/staff/projects/new/",
        {
            **{k: v for k, v in form.initial.items() if k in ("title", "targets", "source")},
            "appeal": [first.code, second.code],
            "area": "living",
            "level": "town",
            "lead_unit": desk.tree["zhishan"].pk,
            "leader": "街道办主任 张某某",
            "planned_start": "2026-03-10",
            "planned_end": "2026-06-30",
            "budget": "12.5",
            "beneficiaries": "3000",
            "cadence": "monthly",
        },
    )
    # then one project links both appeals, and each citizen's public timeline says so
    assert response.status_code == 302
    project = Project.objects.get()
    assert set(project.appeals.values_list("code", flat=True)) == {first.code, second.code}
    for appeal in (first, second):
        event = AppealEvent.objects.filter(appeal=appeal, verb=AppealEvent.Verb.IN_PROJECT).get()
        assert event.public and project.code in event.note


def test_the_appeal_list_offers_the_selection_to_those_who_may_run_projects(
    desk, login, city_admin, auditor, operator
):
    desk.submit(now=at(2026, 3, 2))
    body = login(city_admin).get("/staff/appeals/", {"queue": "all"}).content.decode()
    assert 'name="appeal"' in body and "生成实事项目" in body
    # an operator handles appeals but does not run projects
    body = login(operator).get("/staff/appeals/", {"queue": "all"}).content.decode()
    assert "生成实事项目" not in body
