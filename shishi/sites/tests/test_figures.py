"""What bookings tell the reports (core.figures): batches and person-visits by the day of the
visit, no-show rate, utilisation of the seats offered, per unit running the site."""

from datetime import date

import pytest

from shishi.core.figures import figure, sources
from shishi.sites import actions
from shishi.sites.figures import SOURCE, collect
from shishi.sites.tests.conftest import NOW, book
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def test_the_module_is_registered_with_its_figures():
    assert SOURCE in sources()
    assert figure("sites.visits").label == "参访人次"


def test_july_counts_the_visits_of_july_for_the_unit_running_the_site(
    site, sibling_site, tree, town_clerk, django_assert_num_queries
):
    came = book(site, headcount=30)
    book(site, headcount=10)  # never came: a no-show
    book(site, day=date(2026, 6, 30))  # June: not counted in July
    cancelled = book(site, day=date(2026, 7, 2))
    actions.cancel_bookings(bookings=[cancelled], actor=None, reason="", now=NOW)
    actions.check_in(
        presented=came.code, arrived=28, actor=actor_of(town_clerk), now=at(2026, 7, 1, 9)
    )
    actions.close_no_shows(now=at(2026, 7, 2, 1))

    with django_assert_num_queries(3):
        counts = collect(date(2026, 7, 1), date(2026, 8, 1), date(2026, 7, 20))

    zhishan = counts[tree["zhishan"].pk]
    assert zhishan["batches"] == 1 and zhishan["visits"] == 28
    assert zhishan["booked"] == 2 and zhishan["no_show"] == 1
    assert zhishan["seats_booked"] == 40
    # July 2026: 27 days open (Tuesday to Sunday), 8 slots of 50
    assert zhishan["seats_offered"] == 27 * 8 * 50
    assert zhishan["kind:memorial"] == 1
    assert figure("sites.no_show_rate").value(zhishan) == 0.5
    # the sibling site's seats count for 西桥, which had no visitors
    assert counts[tree["xiqiao"].pk]["seats_offered"] == 27 * 8 * 30
    assert figure("sites.no_show_rate").value(counts[tree["xiqiao"].pk]) is None


def test_the_bulletin_lists_the_sites_visited_busiest_first(
    site, sibling_site, tree, town_clerk, outsider
):
    from shishi.core.documents import Table
    from shishi.core.figures import Period, Scope
    from shishi.sites.figures import bulletin

    for target, clerk, came in ((site, town_clerk, 30), (sibling_site, outsider, 12)):
        booking = book(target, headcount=came)
        actions.check_in(
            presented=booking.code, arrived=came, actor=actor_of(clerk), now=at(2026, 7, 1, 9)
        )
    book(site, day=date(2026, 7, 2))
    actions.close_no_shows(now=at(2026, 7, 3, 1))
    july = Scope(tree["city"], Period.month(date(2026, 7, 1)), date(2026, 8, 3))

    blocks = bulletin(july)

    table = next(b for b in blocks if isinstance(b, Table))
    assert table.rows == [
        ("毛主席率领红军攻克漳州纪念馆", "芗城区", 1, 30, 1),
        ("西桥革命烈士纪念碑", "芗城区", 1, 12, 0),
    ]
    assert "共接待参访2批、42人次" in blocks[1].text
    june = Scope(tree["city"], Period.month(date(2026, 6, 1)), date(2026, 7, 3))
    assert bulletin(june) == []
