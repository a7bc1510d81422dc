"""/api/v1/projects/ and the reference lists: within the token's units only; a period's
progress report filed by the lead unit's token, checked by the same form as the page."""

import pytest

from shishi.projects.access import Perm
from shishi.projects.models import ProgressReport, Status

URL = "/api/v1/projects/"
REPORT = {"text": "本周完成路灯基础浇筑二十处，进度符合计划。", "percent": 40}


@pytest.fixture
def running(office):
    """A project of 芝山街道 in progress, with its first report period open."""
    project = office.new(to=Status.IN_PROGRESS)
    return project, project.slots.order_by("period_start").first()


@pytest.mark.django_db
def test_projects_are_listed_and_read_within_the_tokens_units(api, tree, running):
    project, slot = running
    own, other = api(tree["xiangcheng"]), api(tree["longwen"])

    listed = own.get(URL).json()
    detail = own.get(f"{URL}{project.code}/").json()

    assert [p["code"] for p in listed["results"]] == [project.code]
    assert detail["lead_unit_code"] == tree["zhishan"].code
    assert [s["id"] for s in detail["slots_to_file"]] == [slot.pk]
    assert other.get(URL).json()["results"] == []
    assert other.get(f"{URL}{project.code}/").status_code == 404


@pytest.mark.django_db
def test_the_lead_units_token_files_a_report_through_the_form(api, tree, running):
    project, slot = running
    town = api(tree["zhishan"])
    url = f"{URL}{project.code}/slots/{slot.pk}/report/"

    short = town.post(url, {"text": "好", "percent": 140}, format="json")
    filed = town.post(url, REPORT, format="json")
    again = town.post(url, REPORT, format="json")

    assert short.status_code == 400 and set(short.json()["fields"]) == {"text", "percent"}
    assert filed.status_code == 200
    assert filed.json()["reports"][0]["percent"] == 40
    report = ProgressReport.objects.get()
    assert (report.filed_by, report.review) == (town.token.person, ProgressReport.Review.PENDING)
    assert again.status_code == 409


@pytest.mark.django_db
def test_only_the_lead_unit_with_the_scope_files(api, tree, running):
    project, slot = running
    url = f"{URL}{project.code}/slots/{slot.pk}/report/"

    county = api(tree["xiangcheng"]).post(url, REPORT, format="json")  # above, not the lead
    reader = api(tree["zhishan"], scopes=[Perm.VIEW]).post(url, REPORT, format="json")
    no_slot = api(tree["zhishan"]).post(f"{URL}{project.code}/slots/999999/report/", REPORT)

    assert county.status_code == 404
    assert reader.status_code == 403
    assert no_slot.status_code == 400 and no_slot.json()["fields"] == {"slot": ["没有该报送期"]}
    assert not ProgressReport.objects.exists()


@pytest.mark.django_db
def test_units_and_categories_for_filling_calls(api, tree, categories):
    client = api(tree["xiangcheng"])

    units = client.get("/api/v1/units/").json()["results"]
    listed = client.get("/api/v1/categories/").json()

    # the county's subtree in tree order (a village under its street), nothing of 龙文区
    assert [u["code"] for u in units] == [
        tree[name].code for name in ("xiangcheng", "zhishan", "village", "xiqiao")
    ]
    assert {c["full_name"] for c in listed} >= {"城乡建设/住房保障"}
