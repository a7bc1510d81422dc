"""The outreach figures: teams and posts in use (a state) per owning unit; lectures held (not
those announced), audience, activities, hours (kept in tenths) and service records of a month
per place — the same numbers the staff pages total."""

from datetime import date
from decimal import Decimal

import pytest

from shishi.core.figures import Period, Scope, add_counts, values
from shishi.outreach import figures, queries
from shishi.outreach.models import VolunteerActivity
from shishi.outreach.tests.conftest import (
    make_activity,
    make_lecture,
    make_post,
    make_team,
    make_volunteer_team,
)
from shishi.testing import at

pytestmark = pytest.mark.django_db


def test_teams_and_posts_in_use_by_kind(tree, city_admin, town_clerk):
    make_team(city_admin, tree["city"], name="市委讲师团", kind="official")
    make_team(town_clerk, tree["zhishan"])
    make_team(town_clerk, tree["zhishan"], name="停用的队", active=False)
    make_volunteer_team(town_clerk, tree["zhishan"])
    make_post(town_clerk, tree["zhishan"], kind="area")

    counts = figures.collect_teams(date(2024, 6, 1), date(2024, 7, 1), date(2024, 6, 12))

    got = values(figures.TEAMS_SOURCE, add_counts(*counts.values()))
    assert got["outreach.lecture_teams"] == 2
    assert (got["outreach.volunteer_teams"], got["outreach.posts"]) == (1, 1)
    assert counts[tree["city"].pk]["kind:official"] == 1
    assert counts[tree["zhishan"].pk]["post:area"] == 1


def test_a_months_lectures_and_hours_per_place(tree, town_clerk):
    team = make_team(town_clerk, tree["zhishan"])
    make_lecture(town_clerk, team, tree["village"], starts_at=at(2024, 6, 3, 9), audience=80)
    make_lecture(town_clerk, team, tree["zhishan"], starts_at=at(2024, 5, 30, 9), audience=50)
    # announced for later in June: not counted as held
    make_lecture(town_clerk, team, tree["zhishan"], starts_at=at(2024, 6, 20, 9), audience=0)
    volunteers = make_volunteer_team(town_clerk, tree["zhishan"])
    make_activity(town_clerk, volunteers, tree["zhishan"], starts_at=at(2024, 6, 1, 9), hours=1.5)

    counts = figures.collect(date(2024, 6, 1), date(2024, 7, 1), date(2024, 6, 12))

    village = values(figures.SOURCE, counts[tree["village"].pk])
    street = values(figures.SOURCE, counts[tree["zhishan"].pk])
    assert (village["lectures.held"], village["lectures.audience"]) == (1, 80)
    assert street["lectures.held"] == 0
    assert street["lectures.hours"] == 7.5
    assert street.text("lectures.hours") == "7.5小时"
    june = VolunteerActivity.objects.filter(starts_at__gte=at(2024, 6, 1, 0))
    assert queries.activity_totals(june).hours == Decimal("7.5")


def test_nothing_counted_is_no_data(tree):
    assert values(figures.SOURCE, None).text("lectures.held") == "无数据"


def test_the_figures_drill_to_the_lists_they_count(tree):
    scope = Scope(
        unit=tree["xiangcheng"], period=Period.month(date(2024, 6, 1)), as_of=date(2024, 6, 12)
    )

    held = figures.SOURCE.figure("lectures.held").drill(scope)
    teams = figures.TEAMS_SOURCE.figure("outreach.lecture_teams").drill(scope)

    assert (
        held.startswith("/staff/outreach/?") and "start=2024-06-01" in held and "when=held" in held
    )
    assert teams == f"/staff/outreach/teams/?unit={tree['xiangcheng'].pk}"
