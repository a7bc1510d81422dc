"""The operator dispatches in the browser through the searchable picker: typing narrows the
units without choosing one for them, the citizen's town comes first, and the chosen unit is
the one the appeal goes to."""

import pytest

from shishi.appeals.models import Appeal
from shishi.appeals.tests.helpers import at
from shishi.orgs.factories import TEST_PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_operator_filters_the_unit_picker_and_dispatches(browser_page, desk, operator):
    # given an appeal from 芝山街道 waiting at the city
    appeal = desk.submit(
        now=at(2024, 3, 4, 9), county=desk.tree["xiangcheng"], town=desk.tree["zhishan"]
    )
    page = browser_page
    page.goto(f"{page.base_url}/staff/login/")
    page.fill("#id_username", operator.username)
    page.fill("#id_password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{page.base_url}/staff/")
    page.goto(f"{page.base_url}/staff/appeals/{appeal.code}/")
    form = page.get_by_test_id("dispatch-form")
    picker = form.locator("#id_to_unit")

    # the citizen's town and county come first
    assert picker.locator("optgroup").first.get_attribute("label") == "推荐"
    assert picker.locator("option").nth(1).inner_text().startswith("芝山街道")

    # when the operator types part of a name
    form.get_by_placeholder("输入单位名称筛选").first.fill("西桥")

    # then only matching units are left and none is chosen for them
    labels = [t.strip("\u3000") for t in picker.locator("option").all_inner_texts()]
    assert labels == ["请选择主办单位", "西桥街道"]
    assert picker.input_value() == ""

    # when they choose it and dispatch, it goes there
    picker.select_option(label="\u3000\u3000西桥街道")
    form.locator("button[type=submit]").click()
    assert "已派至西桥街道" in page.locator(".alert-success").inner_text()
    assert Appeal.objects.get(pk=appeal.pk).holder == desk.tree["xiqiao"]
