"""The city dashboard in a real browser: the charts are drawn and a number opens its list."""

import pytest

from shishi.appeals.models import Appeal
from shishi.appeals.tests.conftest import categories, desk  # noqa: F401  (fixtures of march)
from shishi.appeals.tests.test_metrics import MARCH, march  # noqa: F401
from shishi.reports import summary
from shishi.testing import at, sign_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


@pytest.mark.usefixtures("march")
def test_the_city_dashboard_draws_its_charts_and_drills_down_to_the_list(browser_page, city_admin):
    # given March of the metrics fixture, summarised
    summary.refresh([MARCH], now=at(2024, 4, 15, 8))
    received = Appeal.objects.filter(
        received_at__gte=at(2024, 3, 1, 0), received_at__lt=at(2024, 4, 1, 0)
    ).count()
    page = browser_page
    errors = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    sign_in(page, "city_admin")

    # when the city admin opens the dashboard for March 2024
    page.goto(f"{page.base_url}/staff/reports/?span=month&month=2024-03")

    # then the charts are drawn (ECharts puts a canvas in each)
    page.wait_for_selector("[data-drawn='1'] canvas", state="attached")
    assert page.locator("[data-chart]").count() == page.locator("[data-drawn='1']").count() > 4
    assert errors == []
    # and 受理诉求 opens the list of exactly those appeals, saying how it is filtered
    card = page.get_by_test_id("panel-appeals").get_by_test_id("card").filter(has_text="受理诉求")
    assert f"{received}件" in card.inner_text()
    card.click()
    page.wait_for_url("**/staff/appeals/?**")
    assert page.locator("table.appeal-table tbody tr").count() == received
    assert "漳州市" in page.get_by_test_id("drill-filters").inner_text()
