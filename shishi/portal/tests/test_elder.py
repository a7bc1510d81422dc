"""长者模式 (适老化): a link in the public header switches it, the browser keeps it, and the
pages render with <html class="elder"> from the first byte."""

import pytest

from shishi.portal.elder import ELDER_COOKIE

pytestmark = pytest.mark.django_db


def test_the_switch_turns_the_mode_on_and_returns_to_the_page(client, tree):
    # when a visitor on /report/ follows 长者模式
    response = client.get("/elder/", {"on": "1", "next": "/report/"})
    # then they are back on the page and the browser keeps the choice for a year
    assert response.status_code == 302 and response["Location"] == "/report/"
    cookie = response.cookies[ELDER_COOKIE]
    assert cookie.value == "1" and cookie["max-age"] == 365 * 24 * 3600
    page = client.get("/report/").content.decode()
    assert '<html lang="zh-CN" class="elder">' in page
    assert "退出长者模式" in page


def test_the_switch_turns_the_mode_off(client, tree):
    client.cookies[ELDER_COOKIE] = "1"
    client.get("/elder/", {"on": "0", "next": "/"})
    page = client.get("/").content.decode()
    assert '<html lang="zh-CN">' in page and "长者模式" in page


def test_the_switch_never_sends_a_visitor_to_another_site(client):
    response = client.get("/elder/", {"on": "1", "next": "https://evil.example/"})
    assert response["Location"] == "/"


def test_staff_pages_keep_their_layout(client, town_clerk):
    client.cookies[ELDER_COOKIE] = "1"
    client.force_login(town_clerk)
    assert 'class="elder"' not in client.get("/staff/").content.decode()
