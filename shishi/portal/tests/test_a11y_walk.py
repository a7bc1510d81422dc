"""The accessibility check's URL walk cannot fall behind the URLs (a11y_pages.py): a new
public URL is either a page it visits or named as not a page; a staff URL without parameters
is visited unless named; the names in the tables exist."""

from shishi.portal.tests.a11y_pages import (
    PUBLIC_NOT_PAGES,
    PUBLIC_PAGES,
    STAFF_NOT_PAGES,
    STAFF_PAGES,
    public_routes,
    staff_routes,
)


def test_every_public_url_is_a_checked_page_or_named_as_not_a_page():
    names = {name for name, _ in public_routes()}
    assert names - set(PUBLIC_PAGES) - set(PUBLIC_NOT_PAGES) == set()
    assert set(PUBLIC_PAGES) & set(PUBLIC_NOT_PAGES) == set()


def test_the_walk_names_only_urls_that_exist():
    public = {name for name, _ in public_routes()}
    staff = {name for name, _ in staff_routes()}
    assert set(PUBLIC_PAGES) | set(PUBLIC_NOT_PAGES) <= public
    assert set(STAFF_PAGES) | set(STAFF_NOT_PAGES) <= staff


def test_staff_urls_named_as_not_pages_take_no_parameters():
    # those with parameters are not walked by themselves: only STAFF_PAGES are
    routes = dict(staff_routes())
    assert [name for name in STAFF_NOT_PAGES if "<" in routes[name]] == []
