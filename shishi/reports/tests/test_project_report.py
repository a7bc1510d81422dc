"""实事项目推进情况周报/月报: the rows of each list on a hand-built city, the viewer's subtree
as its limit, the page (parameters, links, pinned queries) and the DOCX read back.

The city, on a fixed clock (projects entered Monday 2 November 2026, started Thursday 12th;
weekly reports due on Fridays, the November monthly report on Wednesday 25th). Today is
Monday 30 November; the week looked at is 23–29 November (week 48).

芗城区 (county_leader) sees:
- A 芝山街道, weekly: 40% before the week, 55% filed on time on Friday 27th and approved;
- B 西桥街道, weekly: 10% before, 25% filed a day late on Saturday 28th;
- C 芝山街道, monthly: the November report (due 25th) never filed;
- D 芝山社区, weekly: the week's report (due 27th) never filed;
- E 芝山街道, weekly: 50% again on time (no movement), a milestone due 20 November not done;
- F 芝山街道, weekly: completed Saturday 21st, accepted Tuesday 24th.
Outside it: G 蓝田街道 (龙文区), co-run by 芝山街道 — moved, late milestone, filed late.
"""

import io
from dataclasses import dataclass
from datetime import date, datetime

import docx as python_docx
import pytest
from django.test import Client
from django.urls import include, path, reverse
from django.utils import timezone

from shishi import urls as root_urls
from shishi.projects import actions
from shishi.projects.access import visible_projects
from shishi.projects.models import Cadence, Project, Status
from shishi.projects.tests.conftest import Office
from shishi.reports import project_report, project_urls
from shishi.reports.project_report import Period
from shishi.testing import actor_of, at

# The reports app is mounted at /staff/reports/; until shishi/urls.py does it, this module's
# URLconf mounts the project report there itself.
MOUNTED = any(getattr(p, "namespace", None) == "reports" for p in root_urls.urlpatterns)
urlpatterns = [*root_urls.urlpatterns]
if not MOUNTED:
    urlpatterns.append(path("staff/reports/", include((project_urls.urlpatterns, "reports"))))
pytestmark = pytest.mark.urls(__name__)

ENTERED = at(2026, 11, 2, 9)  # started ten days later (Office.walk), Thursday 12 November
NOW = at(2026, 11, 30, 10)
TODAY = date(2026, 11, 30)
WEEK_48 = date(2026, 11, 25)
TEXT = "本期完成主体工程施工，各项工作按计划推进。"
PAGE = "/staff/reports/projects/"
DOCX = "/staff/reports/projects/report.docx"


@pytest.fixture
def office(tree, town_clerk, town_leader, county_leader, city_admin) -> Office:
    return Office(
        tree=tree,
        clerk=actor_of(town_clerk),
        leader=actor_of(town_leader),
        county=actor_of(county_leader),
        admin=actor_of(city_admin),
    )


@pytest.fixture
def clock(monkeypatch):
    """The pages' today is Monday 30 November 2026."""
    monkeypatch.setattr(timezone, "now", lambda: NOW)


def _project(
    office: Office,
    title: str,
    *,
    lead: str = "zhishan",
    cadence: str = Cadence.WEEKLY,
    milestone_due: date = date(2026, 12, 20),
    co_units: tuple[str, ...] = (),
) -> Project:
    """A project in progress from 12 November with one milestone."""
    actor = office.clerk if lead == "zhishan" else office.admin
    data = office.data(
        lead=lead, title=title, cadence=cadence, co_units=[office.tree[c] for c in co_units]
    )
    project = actions.create_project(actor=actor, data=data, now=ENTERED)
    actions.add_milestone(
        actor=actor, project=project, title="主体施工", weight=1, due=milestone_due, now=ENTERED
    )
    return office.walk(project, to=Status.IN_PROGRESS, now=ENTERED)


def _file(office: Office, project: Project, week: date, *, percent: int, now: datetime):
    return actions.file_report(
        actor=office.runner(project),
        project=project,
        slot=project.slots.get(period_start=week),
        text=TEXT,
        percent=percent,
        problems="",
        next_steps="",
        now=now,
    )


@dataclass
class City:
    a: Project
    b: Project
    c: Project
    d: Project
    e: Project
    f: Project
    g: Project


@pytest.fixture
def city(office) -> City:
    a = _project(office, "芝山街道背街小巷路灯补亮")
    b = _project(office, "西桥街道农贸市场提升改造", lead="xiqiao")
    c = _project(office, "芝山街道老旧小区改造", cadence=Cadence.MONTHLY)
    d = _project(office, "芝山社区居家养老服务站建设", lead="village")
    e = _project(office, "芝山街道口袋公园建设", milestone_due=date(2026, 11, 20))
    f = _project(office, "芝山街道公厕改造提升")
    g = _project(
        office,
        "蓝田街道污水管网改造",
        lead="lantian",
        milestone_due=date(2026, 11, 20),
        co_units=("zhishan",),
    )
    weekly = {a: (30, 40), b: (10, 10), d: (20, 20), e: (50, 50), f: (30, 80), g: (10, 10)}
    for project, (first, _) in weekly.items():
        _file(office, project, date(2026, 11, 9), percent=first, now=at(2026, 11, 13, 16))
    actions.open_slots(today=date(2026, 11, 16))
    for project, (_, second) in weekly.items():
        _file(office, project, date(2026, 11, 16), percent=second, now=at(2026, 11, 20, 16))
    office.walk(f, to=Status.COMPLETED, now=at(2026, 11, 20, 10))  # Saturday 21st
    office.walk(f, to=Status.ACCEPTED, now=at(2026, 11, 23, 10))  # Tuesday 24th
    actions.open_slots(today=date(2026, 11, 23))
    week = date(2026, 11, 23)
    report = _file(office, a, week, percent=55, now=at(2026, 11, 27, 15))
    actions.review_report(
        actor=office.leader, report=report, approve=True, note="", now=at(2026, 11, 27, 17)
    )
    _file(office, e, week, percent=50, now=at(2026, 11, 27, 15))
    _file(office, b, week, percent=25, now=at(2026, 11, 28, 10))
    _file(office, g, week, percent=35, now=at(2026, 11, 28, 10))
    actions.open_slots(today=TODAY)
    return City(a=a, b=b, c=c, d=d, e=e, f=f, g=g)


def _week(office, *, viewer: str = "county", day: date = WEEK_48, kind: str = "week"):
    return project_report.build(getattr(office, viewer), kind=kind, day=day, today=TODAY)


def _titles(rows) -> list[str]:
    return [row.project.title for row in rows]


def _units(rows) -> list[tuple[str, int, list[str]]]:
    return [(r.unit.name, r.count, [p.title for p, _ in r.projects]) for r in rows]


# --- The period -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "day", "start", "end", "title"),
    [
        (
            "week",
            date(2026, 11, 25),
            date(2026, 11, 23),
            date(2026, 11, 29),
            "实事项目推进情况周报（2026年第48周，11月23日—11月29日）",
        ),
        # ISO week 1 of 2026 begins in December 2025
        (
            "week",
            date(2026, 1, 1),
            date(2025, 12, 29),
            date(2026, 1, 4),
            "实事项目推进情况周报（2026年第1周，2025年12月29日—1月4日）",
        ),
        (
            "month",
            date(2026, 2, 14),
            date(2026, 2, 1),
            date(2026, 2, 28),
            "实事项目推进情况月报（2026年2月）",
        ),
        (
            "month",
            date(2026, 12, 31),
            date(2026, 12, 1),
            date(2026, 12, 31),
            "实事项目推进情况月报（2026年12月）",
        ),
    ],
)
def test_the_period_is_the_iso_week_or_calendar_month_containing_the_day(
    kind, day, start, end, title
):
    period = Period.containing(day, kind)

    assert (period.start, period.end, period.title) == (start, end, title)
    assert period.previous.end.toordinal() == start.toordinal() - 1
    assert period.following.start.toordinal() == end.toordinal() + 1


# --- The rows ---------------------------------------------------------------------------------


def test_moved_lists_projects_whose_reported_progress_changed_in_the_week(office, city):
    report = _week(office)

    assert [(m.project.title, m.before, m.after, m.filed, m.review) for m in report.moved] == [
        (city.a.title, 40, 55, date(2026, 11, 27), "已审核"),
        (city.b.title, 10, 25, date(2026, 11, 28), "待审核"),
    ]


def test_finished_lists_completion_and_acceptance_events_of_the_period(office, city):
    week = _week(office)
    month = _week(office, kind="month")

    assert [(f.project.title, f.what, f.day) for f in week.finished] == [
        (city.f.title, "验收通过", date(2026, 11, 24))
    ]
    assert [(f.project.title, f.what, f.day) for f in month.finished] == [
        (city.f.title, "项目完成", date(2026, 11, 21)),
        (city.f.title, "验收通过", date(2026, 11, 24)),
    ]


def test_overdue_lists_projects_in_progress_late_as_of_today_longest_first(office, city):
    report = _week(office)

    assert [(o.project.title, o.days) for o in report.overdue] == [
        (city.e.title, 10),  # milestone due 20 November
        (city.c.title, 5),  # monthly report due 25 November
        (city.d.title, 3),  # weekly report due 27 November
    ]
    assert [(o.milestones, o.reports) for o in report.overdue] == [(1, 0), (0, 1), (0, 1)]
    assert report.overdue[0].items == ["节点“主体施工”（11月20日到期）"]
    assert report.overdue[1].items == ["2026年11月月报（11月25日截止）未报送"]
    assert report.overdue[2].items == ["11月23日当周周报（11月27日截止）未报送"]


def test_several_reports_not_filed_are_one_item_from_the_oldest(office, city):
    # a week later D owes the reports of weeks 48 and 49
    later = date(2026, 12, 7)
    report = project_report.build(office.county, kind="week", day=later, today=later)

    row = next(o for o in report.overdue if o.project == city.d)
    assert row.items == ["周报2期未报送（最早为11月23日当周，11月27日截止）"]
    assert (row.reports, row.days) == (2, 10)


def test_missing_and_late_filed_are_grouped_by_lead_unit(office, city):
    report = _week(office)

    assert _units(report.missing) == [
        ("芝山街道", 1, [city.c.title]),
        ("芝山社区", 1, [city.d.title]),
    ]
    assert _units(report.late_filed) == [("西桥街道", 1, [city.b.title])]


def test_totals_count_the_weeks_due_reports_and_the_on_time_rate(office, city):
    totals = _week(office).totals

    assert (totals.in_progress, totals.due, totals.on_time, totals.late, totals.missing) == (
        5,
        5,
        2,
        1,
        2,
    )
    assert totals.rate == pytest.approx(0.4)
    assert totals.rate_text == "40%"


def test_a_month_counts_every_report_due_in_it(office, city):
    report = _week(office, kind="month")

    totals = report.totals
    assert (totals.due, totals.on_time, totals.late, totals.missing) == (15, 12, 1, 2)
    assert totals.rate_text == "80%"
    # before November nothing was reported: every report of the month moved from 0%
    assert sorted((m.project.title, m.before, m.after) for m in report.moved) == sorted(
        [
            (city.a.title, 0, 55),
            (city.b.title, 0, 25),
            (city.d.title, 0, 20),
            (city.e.title, 0, 50),
            (city.f.title, 0, 80),
        ]
    )


def test_the_rate_is_none_not_zero_when_nothing_was_due(office, city):
    # the week of 2 November: no project had started, no report was due
    report = _week(office, day=date(2026, 11, 4))

    assert (report.totals.due, report.totals.rate, report.totals.rate_text) == (0, None, "无数据")


def test_a_report_due_today_is_not_yet_due(office, city):
    # on Friday 27 November the week's reports are due today: D has not failed yet
    friday = date(2026, 11, 27)
    report = project_report.build(office.county, kind="week", day=friday, today=friday)

    assert report.totals.due == 1  # C's monthly report, due Wednesday 25th
    assert _units(report.missing) == [("芝山街道", 1, [city.c.title])]


def test_a_unit_outside_the_viewers_subtree_never_appears(office, city):
    # given G, led by 蓝田街道 (龙文区) and co-run by 芝山街道, is visible to the county
    assert visible_projects(office.county).filter(pk=city.g.pk).exists()

    # when the county and the city office look at the week
    county, whole_city = _week(office), _week(office, viewer="admin")

    # then only the city office's report has G, led outside the county
    rows = [county.moved, county.finished, county.overdue]
    assert all(city.g.title not in _titles(r) for r in rows)
    assert all(r.unit.name != "蓝田街道" for r in county.missing + county.late_filed)
    assert city.g.title in _titles(whole_city.moved)
    assert city.g.title in _titles(whole_city.overdue)
    assert ("蓝田街道", 1, [city.g.title]) in _units(whole_city.late_filed)


def test_a_town_sees_its_own_and_its_villages_projects_only(office, city):
    report = _week(office, viewer="clerk")

    assert _titles(report.moved) == [city.a.title]
    assert _titles(report.overdue) == [city.e.title, city.c.title, city.d.title]
    assert report.late_filed == []
    assert (report.totals.due, report.totals.missing) == (4, 2)


# --- The page ---------------------------------------------------------------------------------


def test_the_page_shows_every_list_with_links_to_the_projects(
    office, city, county_leader, login, clock
):
    response = login(county_leader).get(PAGE, {"kind": "week", "day": "2026-11-25"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "实事项目推进情况周报" in html
    assert "2026年第48周，11月23日—11月29日" in html
    for project in (city.a, city.b, city.c, city.d, city.e, city.f):
        assert reverse("projects:detail", args=[project.code]) in html
    assert city.g.title not in html
    assert "蓝田街道" not in html
    assert ">40%<" in html
    assert 'href="?kind=week&amp;day=2026-11-16"' in html  # 上一周
    assert 'href="?kind=week&amp;day=2026-11-30"' in html  # 下一周: this week
    assert 'href="?kind=month&amp;day=2026-11-25"' in html  # 月报 of the same day


def test_the_current_period_has_no_next_link(office, city, county_leader, login, clock):
    response = login(county_leader).get(PAGE)

    assert response.status_code == 200
    assert response.context["period"] == Period.containing(TODAY, "week")
    assert 'data-testid="next"' not in response.content.decode()


def test_the_page_says_no_data_when_nothing_was_due(office, city, county_leader, login, clock):
    response = login(county_leader).get(PAGE, {"day": "2026-11-04"})

    html = response.content.decode()
    assert response.context["totals"].rate is None
    assert 'data-testid="rate">无数据<' in html
    assert "0%" not in html.split('data-testid="rate">')[1][:20]


@pytest.mark.parametrize(
    ("params", "said"),
    [
        ({"kind": "year"}, "报告类型“year”无效：只能是周报（week）或月报（month）"),
        ({"day": "2026-13-45"}, "日期“2026-13-45”无效：请按“2026-11-25”的格式填写一个有效日期"),
        ({"day": "2027-01-04"}, "日期“2027-01-04”无效：不能晚于今天"),
    ],
)
def test_a_bad_parameter_is_named_and_the_default_shown(
    office, city, county_leader, login, clock, params, said
):
    response = login(county_leader).get(PAGE, params)

    assert response.status_code == 200
    html = response.content.decode()
    assert said in html
    assert response.context["period"] == Period.containing(TODAY, "week")
    assert "已改为显示2026年第49周，11月30日—12月6日的周报" in html


def test_a_bad_parameter_still_gives_the_default_docx(office, city, county_leader, login, clock):
    response = login(county_leader).get(DOCX, {"kind": "year", "day": "nonsense"})

    assert response.status_code == 200
    assert "2026年第49周" in _docx_text(response)


def test_a_role_without_project_view_is_refused(office, city, auditor, login, clock):
    client = login(auditor)

    assert client.get(PAGE).status_code == 403
    assert client.get(DOCX).status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(db):
    response = Client().get(PAGE)

    assert response.status_code == 302
    assert "/login/" in response["Location"]


# --- Queries ----------------------------------------------------------------------------------


def _many(office: Office, count: int) -> None:
    """`count` weekly projects of 芝山街道, 西桥街道 and 芝山社区, in turn moved, filed late
    and missing in week 48, every fourth with a late milestone; the first also accepted."""
    leads = ("zhishan", "xiqiao", "village")
    projects = [
        _project(
            office,
            f"测试项目{n}",
            lead=leads[n % 3],
            milestone_due=date(2026, 11, 20) if n % 4 == 3 else date(2026, 12, 20),
        )
        for n in range(count)
    ]
    actions.open_slots(today=date(2026, 11, 16))
    for project in projects:
        _file(office, project, date(2026, 11, 16), percent=10, now=at(2026, 11, 20, 16))
    actions.open_slots(today=date(2026, 11, 23))
    for n, project in enumerate(projects):
        if n % 3 == 0:
            _file(office, project, date(2026, 11, 23), percent=30, now=at(2026, 11, 27, 9))
        elif n % 3 == 1:
            _file(office, project, date(2026, 11, 23), percent=20, now=at(2026, 11, 28, 9))
    office.walk(projects[0], to=Status.ACCEPTED, now=at(2026, 11, 26, 10))


@pytest.mark.parametrize("count", [3, 12])
def test_the_page_takes_the_same_queries_whatever_the_number_of_projects(
    office, county_leader, login, clock, django_assert_num_queries, count
):
    _many(office, count)
    client = login(county_leader)
    client.get(PAGE, {"day": "2026-11-25"})  # sessions and caches warm

    with django_assert_num_queries(14):
        response = client.get(PAGE, {"day": "2026-11-25"})

    report = response.context["report"]
    assert report.moved and report.finished and report.overdue
    assert report.missing and report.late_filed


def test_building_the_report_takes_eight_queries(office, city, django_assert_num_queries):
    with django_assert_num_queries(8):
        _week(office)


# --- The DOCX ---------------------------------------------------------------------------------


def _docx(response) -> python_docx.Document:
    return python_docx.Document(io.BytesIO(b"".join(response.streaming_content)))


def _docx_text(response) -> str:
    return "\n".join(p.text for p in _docx(response).paragraphs)


def _tables(document) -> dict[str, list[list[str]]]:
    """Each table's rows (cell texts) under its header row's first three cells."""
    tables = {}
    for table in document.tables:
        rows = [[cell.text for cell in row.cells] for row in table.rows]
        tables["|".join(rows[0][:3])] = rows[1:]
    return tables


def test_the_docx_has_the_pages_rows(office, city, county_leader, login, clock):
    response = login(county_leader).get(DOCX, {"kind": "week", "day": "2026-11-25"})

    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert "filename*=utf-8''" in disposition.lower()
    document = _docx(response)
    text = "\n".join(p.text for p in document.paragraphs)
    assert "实事项目推进情况周报（2026年第48周，11月23日—11月29日）" in text
    assert "按时报送率40%" in text
    assert "一、总体情况" in text  # numbered by the renderer, not by the text
    assert "芗城区" in text  # the issuer
    tables = _tables(document)
    assert tables["项目|牵头单位|原进度"] == [
        [city.a.title, "芝山街道", "40", "55", "2026-11-27", "已审核"],
        [city.b.title, "西桥街道", "10", "25", "2026-11-28", "待审核"],
    ]
    assert tables["项目|牵头单位|事项"] == [[city.f.title, "芝山街道", "验收通过", "2026-11-24"]]
    assert tables["项目|牵头单位|逾期节点"] == [
        [city.e.title, "芝山街道", "1", "0", "2026-11-20", "10"],
        [city.c.title, "芝山街道", "0", "1", "2026-11-25", "5"],
        [city.d.title, "芝山社区", "0", "1", "2026-11-27", "3"],
    ]
    assert tables["牵头单位|未报送期数|项目"] == [
        ["芝山街道", "1", city.c.title],
        ["芝山社区", "1", city.d.title],
    ]
    assert tables["牵头单位|迟报期数|项目"] == [["西桥街道", "1", city.b.title]]
    assert "蓝田" not in text + str(tables)


def test_every_table_of_the_document_goes_to_the_annex(office, city):
    document = project_report.document(_week(office))

    assert document.number == ""
    assert document.issuer == "芗城区"
    assert all(table.sheet for table in document.tables)
    texts = [getattr(block, "text", "") for block in document.blocks]
    assert not any(text.startswith(("一、", "二、", "（一）")) for text in texts)
