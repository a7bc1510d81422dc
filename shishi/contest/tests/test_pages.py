"""The pages as people use them: the board and notes show a participant only its own rows,
the ranking shows the formula and 无数据, refusals come back as messages naming the
problem, and the lists cost a fixed number of queries."""

from datetime import date, timedelta

import pytest
from django.contrib.messages import get_messages
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from shishi.contest import actions, scoring
from shishi.contest.models import Contest, Submission
from shishi.contest.tests.conftest import PDF, accept, indicator, participant, submission, submit
from shishi.orgs.factories import PersonFactory, UnitFactory
from shishi.orgs.models import Role, Unit
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


@pytest.fixture
def month1(contest, tree, zone, city_admin, county_clerk, longwen_clerk, zone_clerk):
    actions.open_round(contest=contest, month=1, actor=actor_of(city_admin), now=at(2026, 2, 2))
    submit(contest, tree["xiangcheng"], county_clerk, 1, 10, 2, 90, now=at(2026, 2, 3))
    submit(contest, tree["longwen"], longwen_clerk, 1, 20, 3, 95, now=at(2026, 2, 3))
    accept(contest, tree["xiangcheng"], 1, city_admin, now=at(2026, 2, 4))
    accept(contest, tree["longwen"], 1, city_admin, now=at(2026, 2, 4))
    return contest


def _messages(response) -> list[str]:
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_the_office_board_lists_everyone_and_a_participant_only_itself(
    month1, login, city_admin, county_clerk
):
    url = reverse("contest:board", args=[month1.pk, 1])
    office = login(city_admin).get(url)
    mine = login(county_clerk).get(url)

    assert [s.participant.unit.name for s in office.context["rows"]] == [
        "芗城区",
        "龙文区",
        "漳州高新区",
    ]
    assert [s.participant.unit.name for s in mine.context["rows"]] == ["芗城区"]
    assert "龙文区" not in mine.content.decode()


def test_the_board_filters_overdue_ones(month1, login, city_admin):
    response = login(city_admin).get(
        reverse("contest:board", args=[month1.pk, 1]), {"status": "overdue"}
    )
    assert [s.participant.unit.name for s in response.context["rows"]] == ["漳州高新区"]
    assert response.context["counts"].overdue == 1


def test_the_ranking_page_shows_the_formula_and_no_data_for_the_unscored(
    month1, login, county_clerk
):
    response = login(county_clerk).get(reverse("contest:ranking", args=[month1.pk]))
    page = response.content.decode()

    assert scoring.FORMULA in page
    ranked = [(row.rank, row.name) for row, _ in response.context["rows"]]
    assert ranked == [(1, "龙文区"), (2, "芗城区"), (None, "漳州高新区")]
    assert "无数据" in page


def test_a_bad_value_comes_back_naming_the_indicator(month1, login, tree, zone, zone_clerk):
    row = submission(month1, zone, 1)
    Submission.objects.filter(pk=row.pk).update(due=timezone.localdate() + timedelta(days=10))
    client = login(zone_clerk)
    data = {
        f"v_{indicator(month1, '新开工项目').pk}": "3.5",
        f"v_{indicator(month1, '单位能耗').pk}": "2",
        f"v_{indicator(month1, '优良天数比例').pk}": "90",
        "files": [SimpleUploadedFile("报表.pdf", PDF, content_type="application/pdf")],
    }
    response = client.post(reverse("contest:submit", args=[row.pk]), data)
    assert _messages(response) == ["“新开工项目”应为整数"]

    data[f"v_{indicator(month1, '新开工项目').pk}"] = "3"
    data["files"] = [SimpleUploadedFile("报表.pdf", PDF, content_type="application/pdf")]
    response = client.post(reverse("contest:submit", args=[row.pk]), data)
    assert _messages(response)[-1] == "已报送，等待竞赛组织单位审核"
    assert submission(month1, zone, 1).status == Submission.Status.SUBMITTED


def test_a_late_submission_through_the_page_is_refused(month1, login, zone, zone_clerk):
    row = submission(month1, zone, 1)  # due 2026-02-06, long past
    response = login(zone_clerk).post(reverse("contest:submit", args=[row.pk]), {})
    assert "请先申请延期" in _messages(response)[0]


def test_weights_not_adding_up_are_refused_on_the_page(tree, login, city_admin):
    client = login(city_admin)
    client.post(
        reverse("contest:new"), {"year": 2030, "name": "竞赛", "due_workday": 5, "bottom_n": 2}
    )
    contest = Contest.objects.get(year=2030)
    dims = {f"dim_{d.pk}": "20" for d in contest.dimensions.all()}
    response = client.post(reverse("contest:weights", args=[contest.pk]), dims)
    assert _messages(response)[-1] == "各维度权重之和应为100%，现为140%"


def test_a_participant_reads_only_its_own_notes(month1, login, city_admin, tree, county_clerk):
    admin = actor_of(city_admin)
    for unit, text in ((tree["xiangcheng"], "芗城项目推进快"), (tree["longwen"], "龙文招商待加强")):
        actions.write_note(
            participant=participant(month1, unit), quarter=1, text=text, actor=admin,
            now=at(2026, 4, 2),
        )  # fmt: skip
    page = login(county_clerk).get(reverse("contest:notes", args=[month1.pk])).content.decode()
    assert "芗城项目推进快" in page
    assert "龙文招商待加强" not in page


def test_empty_states_say_what_to_do(contest, login, city_admin, county_clerk):
    ranking = login(city_admin).get(reverse("contest:ranking", args=[contest.pk]))
    assert "暂无排名" in ranking.content.decode()
    board = login(city_admin).get(reverse("contest:board", args=[contest.pk, 3]))
    assert "调度尚未发起" in board.content.decode()
    assert "发起调度" in board.content.decode()


@pytest.mark.parametrize("page", ["board", "ranking", "year"])
def test_pages_cost_a_fixed_number_of_queries(month1, login, city_admin, tree, page):
    client = login(city_admin)
    url = {
        "board": reverse("contest:board", args=[month1.pk, 1]),
        "ranking": reverse("contest:ranking", args=[month1.pk]),
        "year": reverse("contest:year", args=[month1.pk]),
    }[page]
    client.get(url)
    with CaptureQueriesContext(connection) as first:
        client.get(url)
    # a fourth participant and another month change nothing
    extra = UnitFactory(name="古雷开发区", kind=Unit.Kind.ZONE, parent=tree["city"])
    actions.add_participants(
        contest=month1, units=[extra], actor=actor_of(city_admin), now=at(2026, 3, 1)
    )
    actions.open_round(contest=month1, month=2, actor=actor_of(city_admin), now=at(2026, 3, 2))
    with CaptureQueriesContext(connection) as second:
        client.get(url)
    assert len(second) == len(first)


def test_a_refused_submission_shows_what_was_typed_again(month1, login, zone, zone_clerk):
    row = submission(month1, zone, 1)
    Submission.objects.filter(pk=row.pk).update(due=timezone.localdate() + timedelta(days=10))
    client = login(zone_clerk)
    new = indicator(month1, "新开工项目").pk
    client.post(reverse("contest:submit", args=[row.pk]), {f"v_{new}": "七", "note": "说明"})
    page = client.get(reverse("contest:submission", args=[row.pk]))

    assert page.context["values_form"][f"v_{new}"].value() == "七"
    assert page.context["values_form"]["note"].value() == "说明"


def test_the_office_renames_a_dimension_and_edits_an_indicator_before_the_first_month(
    contest, login, city_admin
):
    client = login(city_admin)
    page = client.get(reverse("contest:contest", args=[contest.pk]))
    assert "改名" in page.content.decode()
    dim = contest.dimensions.get(name="比环境")
    client.post(
        reverse("contest:dimension_edit", args=[contest.pk, dim.pk]), {"name": "比生态", "order": 2}
    )
    air = indicator(contest, "优良天数比例")
    client.post(
        reverse("contest:indicator_edit", args=[contest.pk, air.pk]),
        {"dimension": dim.pk, "name": "优良天数比例", "unit": "%", "direction": "higher",
         "data_type": "percent", "order": 1},
    )  # fmt: skip
    dim.refresh_from_db()
    assert dim.name == "比生态"
    assert indicator(contest, "优良天数比例").unit == "%"


def test_the_home_page_lists_what_waits_for_the_office(month1, login, city_admin, tree, zone,
                                                       zone_clerk):  # fmt: skip
    actions.request_extension(
        submission=submission(month1, zone, 1), until=date(2026, 2, 12), reason="数据未出",
        actor=actor_of(zone_clerk), now=at(2026, 2, 9),
    )  # fmt: skip
    page = login(city_admin).get(reverse("staff:home")).content.decode()
    assert "漳州高新区 1月数据申请延期" in page


def test_a_zone_inside_a_participating_district_sees_only_its_own_rows(
    contest, login, tree, city_admin, longwen_clerk
):
    admin = actor_of(city_admin)
    lantian_zone = UnitFactory(name="蓝田开发区", kind=Unit.Kind.ZONE, parent=tree["longwen"])
    zone_staff = PersonFactory(username="ltz", unit=lantian_zone, role=Role.UNIT_CLERK)
    actions.add_participants(contest=contest, units=[lantian_zone], actor=admin, now=at(2026, 1, 6))
    actions.open_round(contest=contest, month=1, actor=admin, now=at(2026, 2, 2))
    url = reverse("contest:board", args=[contest.pk, 1])

    zone_rows = login(zone_staff).get(url).context["rows"]
    district_rows = login(longwen_clerk).get(url).context["rows"]

    assert [s.participant.unit.name for s in zone_rows] == ["蓝田开发区"]
    assert [s.participant.unit.name for s in district_rows] == ["龙文区"]


def test_notes_filter_by_quarter_and_name_a_bad_value(month1, login, city_admin, tree):
    admin = actor_of(city_admin)
    xc = participant(month1, tree["xiangcheng"])
    actions.write_note(
        participant=xc, quarter=1, text="一季度点评", actor=admin, now=at(2026, 4, 2)
    )
    actions.write_note(
        participant=xc, quarter=2, text="二季度点评", actor=admin, now=at(2026, 7, 2)
    )
    client = login(city_admin)
    url = reverse("contest:notes", args=[month1.pk])

    second = client.get(url, {"quarter": 2})
    bad = client.get(url, {"quarter": "九"})

    assert [n.text for n in second.context["notes"]] == ["二季度点评"]
    assert len(bad.context["notes"]) == 2
    assert "季度：九" in bad.content.decode()
