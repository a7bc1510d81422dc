"""The desk's test setting: enterprises of 芗城区 (the county office `county_clerk`), the
芝山街道 clerk `town_clerk` as a paired cadre."""

import os
from dataclasses import dataclass
from datetime import date

import pytest

from shishi.enterprises import actions
from shishi.enterprises.models import Enterprise, Industry, Pairing, Size
from shishi.testing import actor_of, at

NOW = at(2026, 3, 2)  # a Monday
# Real, valid 统一社会信用代码 (GB 32100-2015 check characters).
CODES = ["91350100M000100Y43", "91110000802100433B", "91440300708461136T", "91110108551385082Q"]


def enterprise_data(county, **overrides) -> actions.EnterpriseData:
    values = {
        "credit_code": CODES[0],
        "name": "漳州片仔癀药业股份有限公司",
        "county": county,
        "industry": Industry.C,
        "size": Size.LARGE,
        "contact_name": "陈经理",
        "contact_phone": "13905961234",
        "address": "芗城区琥珀路1号",
    } | overrides
    return actions.EnterpriseData(**values)


@dataclass
class Desk:
    enterprise: Enterprise
    pairing: Pairing
    office: object  # Actor of the county office
    cadre: object  # Actor of the paired cadre


@pytest.fixture
def desk(tree, county_clerk, town_clerk) -> Desk:
    office = actor_of(county_clerk)
    enterprise = actions.register_enterprise(
        data=enterprise_data(tree["xiangcheng"]), actor=office, now=NOW
    )
    pairing = actions.pair_cadre(
        enterprise=enterprise,
        cadre=town_clerk,
        unit=tree["zhishan"],
        starts_on=date(2026, 3, 2),
        actor=office,
        now=NOW,
    )
    return Desk(enterprise=enterprise, pairing=pairing, office=office, cadre=actor_of(town_clerk))


@pytest.fixture
def browser_page(live_server):
    """A fresh page in headless Debian chromium, pointed at the live test server."""
    from playwright.sync_api import sync_playwright

    from shishi.browser import launch

    # Playwright runs an event loop in this thread; the ORM calls the tests make are sync.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        browser = launch(playwright)
        context = browser.new_context(locale="zh-CN", viewport={"width": 1366, "height": 900})
        page = context.new_page()
        page.set_default_timeout(15_000)
        page.base_url = live_server.url
        yield page
        context.close()
        browser.close()
