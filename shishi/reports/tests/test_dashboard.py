"""Dashboards read the summary tables: the numbers equal the metrics' on the hand-computed
March of appeals/tests/test_metrics.py, every card opens a list holding exactly those rows,
the query count does not grow with the data, and the subtree rule holds."""

import re
from datetime import date

import pytest
from django.core.cache import cache
from django.urls import reverse

from shishi.appeals import metrics
from shishi.appeals.models import Appeal
from shishi.appeals.tests.test_metrics import AFTER_MARCH, MARCH, _dispatched
from shishi.core.figures import Period, Scope, Values
from shishi.reports import dashboard, summary
from shishi.reports.models import Refresh, Summary
from shishi.testing import at

pytestmark = pytest.mark.django_db

MARCH_PAGE = {"span": "month", "month": "2024-03"}


def _refresh(months=(MARCH,)):
    summary.refresh(list(months), now=at(2024, 4, 15, 8))


def _scope(unit, period=None) -> Scope:
    return Scope(unit=unit, period=period or Period.month(MARCH), as_of=AFTER_MARCH)


def test_the_summary_holds_the_metrics_figures_per_unit_and_rolled_up(march):
    # given March summarised on 04-15
    _refresh()

    # when the city's March is read from the summary tables
    reading = summary.read(_scope(march["city"]))

    # then each unit's counts are the metrics' figures of that unit
    start, end = metrics.month_bounds(MARCH)
    direct = metrics.unit_figures(start=start, end=end, today=AFTER_MARCH)
    per_unit = reading["appeals"].per_unit
    for unit_id, figures in direct.items():
        assert metrics.Figures.of(per_unit[unit_id]) == figures
    # and 芗城区's subtree is 芝山 + 西桥: 响应率 (4 + 3) / (5 + 3), 满意率 (2 + 3) / (3 + 3)
    xiangcheng = reading.roll_up("appeals", [march["xiangcheng"]])[march["xiangcheng"].pk]
    figures = metrics.Figures.of(xiangcheng)
    assert figures.response == pytest.approx(7 / 8)
    assert figures.satisfied_rate == pytest.approx(5 / 6)


def test_a_period_nobody_counted_shows_no_data_never_zero(march):
    # given nothing summarised for 2023
    reading = summary.read(_scope(march["city"], Period.year(date(2023, 6, 1))))

    # then every appeals figure is 无数据
    values: Values = reading["appeals"].values
    assert set(values.values()) == {None}
    assert values.text("appeals.received") == "无数据"
    assert len(reading.missing) == 12


def test_the_city_dashboard_prints_the_figures_and_their_definitions(march, login, city_admin):
    _refresh()
    page = login(city_admin).get(reverse("reports:dashboard"), MARCH_PAGE)
    assert page.status_code == 200
    html = page.content.decode()

    # then the city's 响应率 is every unit's: (4 + 3 + 1) signed on time / (5 + 3 + 2) = 80.0%
    cards = page.context["board"].panels[0].cards
    assert {c.label: c.text for c in cards}["响应率"] == "80.0%"
    # and each number carries its definition and how it rolls up
    assert "按时签收的派单" in html and "分子、分母分别逐级相加后相除" in html
    # and the rankings of the peer groups are there, with 约谈 marked by the metrics' rule
    assert "诉求办理排名（2024年3月）" in html


def test_every_card_opens_the_list_that_holds_exactly_its_rows(march, login, city_admin):
    _refresh()
    client = login(city_admin)
    board = client.get(reverse("reports:dashboard"), MARCH_PAGE).context["board"]
    cards = {c.label: c for c in board.panels[0].cards}

    # 受理诉求: the appeals received in March (F came in February, G in April)
    listed = client.get(cards["受理诉求"].url)
    received = Appeal.objects.filter(
        received_at__gte=at(2024, 3, 1, 0), received_at__lt=at(2024, 4, 1, 0)
    )
    assert _codes(listed) == set(received.values_list("code", flat=True))
    assert cards["受理诉求"].text == f"{received.count()}件"
    # 超期未答复: in hand, due in March and past: A2, A5, F and C2 = 4
    overdue = client.get(cards["超期未答复"].url)
    assert cards["超期未答复"].text == "4件"
    assert len(_codes(overdue)) == 4


def _codes(response) -> set[str]:
    return set(
        re.findall(r'href="/staff/appeals/([A-Z]{2}\d{8}-\d{5})/"', response.content.decode())
    )


def test_the_dashboard_costs_the_same_queries_whatever_the_data(
    march, desk, login, city_admin, django_assert_num_queries
):
    client = login(city_admin)
    _refresh()
    client.get(reverse("reports:dashboard"), MARCH_PAGE)  # warm the session and caches
    cache.clear()  # the board itself built again
    with django_assert_num_queries(QUERIES) as captured:
        client.get(reverse("reports:dashboard"), MARCH_PAGE)
    # when March gets ten more appeals in three units
    for to in ("zhishan", "xiqiao", "lantian") * 3 + ("zhishan",):
        _dispatched(desk, to)
    _refresh()
    with django_assert_num_queries(len(captured)):
        client.get(reverse("reports:dashboard"), MARCH_PAGE)


# The dashboard's queries: session and membership (3), the scope (1), the summary's stamp (2),
# the summary and its refreshes (2), the sub-units (1), the category labels (1), the
# rankings' peer groups and their units (5), the units above for the breadcrumbs (1), the
# navigation's counts.
QUERIES = 18
# Seen again before the next recount: the board comes from the cache.
QUERIES_CACHED = 8


def test_a_board_seen_again_comes_from_the_cache_until_the_figures_are_recounted(
    march, desk, login, city_admin, django_assert_num_queries
):
    client = login(city_admin)
    _refresh()
    first = client.get(reverse("reports:dashboard"), MARCH_PAGE)
    with django_assert_num_queries(QUERIES_CACHED):
        again = client.get(reverse("reports:dashboard"), MARCH_PAGE)
    received = _card_text(first, "受理诉求")
    assert _card_text(again, "受理诉求") == received

    # when March gets another appeal and is recounted (at the same moment, even)
    _dispatched(desk, "zhishan")
    _refresh()

    # then the board is built again with it
    now = _card_text(client.get(reverse("reports:dashboard"), MARCH_PAGE), "受理诉求")
    assert _number(now) == _number(received) + 1


def test_a_cached_board_never_shows_links_the_viewer_may_not_open(march):
    _refresh()
    scope = _scope(march["city"])
    template = "reports/_dashboard_body.html"
    everything = dashboard.rendered(scope, template, link=dashboard.staff_link, may=lambda p: True)
    nothing = dashboard.rendered(scope, template, link=dashboard.staff_link, may=lambda p: False)

    assert "/staff/appeals/?" in everything
    assert "/staff/appeals/?" not in nothing


def _number(text: str) -> int:
    return int(re.match(r"[\d,]+", text).group(0).replace(",", ""))


def _card_text(page, label: str) -> str:
    html = page.content.decode()
    match = re.search(re.escape(label) + r"</div>\s*<div[^>]*>([^<]+)<", html)
    assert match, f"no card {label}"
    return match.group(1).strip()


def test_a_unit_below_may_be_opened_and_one_outside_is_not_found(march, login, county_leader):
    _refresh()
    client = login(county_leader)  # 芗城区
    inside = client.get(reverse("reports:dashboard"), {**MARCH_PAGE, "unit": march["zhishan"].pk})
    assert inside.status_code == 200
    assert inside.context["scope"].unit == march["zhishan"]
    outside = client.get(reverse("reports:dashboard"), {**MARCH_PAGE, "unit": march["lantian"].pk})
    assert outside.status_code == 404


def test_the_auditor_reads_no_dashboard(march, login, auditor):
    assert login(auditor).get(reverse("reports:dashboard")).status_code == 403


def test_a_bad_period_is_named_and_the_page_still_answers(march, login, city_admin):
    page = login(city_admin).get(
        reverse("reports:dashboard"), {"span": "month", "month": "2024-13"}
    )
    assert page.status_code == 200
    assert "未予采用：月份：2024-13" in page.content.decode()


def test_the_public_page_has_no_links_into_staff_pages_and_no_rankings(march, client):
    _refresh()
    page = client.get(reverse("portal:stats"))
    assert page.status_code == 200
    html = page.content.decode()
    board_html = html[html.index("数据公开") :]
    assert "/staff/appeals/" not in board_html and "排名" not in board_html
    assert all(card.url is None for panel in page.context["board"].panels for card in panel.cards)


def test_a_refresh_replaces_the_month_and_records_when(march):
    _refresh()
    _refresh()
    assert Refresh.objects.filter(source="appeals", month=MARCH).count() == 1
    rows = Summary.objects.filter(source="appeals", month=MARCH)
    assert rows.count() == len({r.unit_id for r in rows})


def test_a_state_module_keeps_a_past_month_as_it_was(march):
    # given projects (a state) counted in April; refreshing March later writes nothing
    summary.refresh([date(2024, 3, 1)], now=at(2024, 4, 15, 8), only="projects")
    assert not Refresh.objects.filter(source="projects", month=MARCH).exists()


def test_the_public_scope_is_the_city_this_year(march):
    scope = dashboard.public_scope(date(2024, 5, 20))
    assert scope.unit == march["city"]
    assert (scope.period.start, scope.period.end) == (date(2024, 1, 1), date(2024, 6, 1))


def test_the_public_page_costs_the_same_queries_whatever_the_data(
    march, desk, client, django_assert_num_queries
):
    _refresh()
    with django_assert_num_queries(PUBLIC_QUERIES) as captured:
        client.get(reverse("portal:stats"))
    for to in ("zhishan", "xiqiao", "lantian") * 3:
        _dispatched(desk, to)
    _refresh()
    with django_assert_num_queries(len(captured)):
        client.get(reverse("portal:stats"))


# The city (1), the summary's stamp (2), the summary and its refreshes (2), the counties (1),
# the category labels (1).
PUBLIC_QUERIES = 7


def test_a_number_links_only_to_a_list_the_viewer_may_open(march, login, city_admin, town_clerk):
    _refresh()
    # a town clerk may not open the ranking page: 响应率 is shown, without a link
    clerk = login(town_clerk).get(reverse("reports:dashboard"), MARCH_PAGE).context["board"]
    cards = {c.label: c for c in clerk.panels[0].cards}
    assert cards["响应率"].url is None and cards["受理诉求"].url is not None
    # the ranking ranks one month: a quarter's rates link nowhere
    quarter = {"span": "quarter", "month": "2024-03"}
    admin = login(city_admin).get(reverse("reports:dashboard"), quarter).context["board"]
    assert {c.label: c for c in admin.panels[0].cards}["响应率"].url is None
