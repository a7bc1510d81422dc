"""The campaign's registered figures are the coverage counts: on a hand-built case the
summary's numbers equal `queries.by_level` and no data stays 无数据."""

from datetime import date

import pytest

from shishi.campaign import actions, figures, queries
from shishi.campaign.tests.test_directives import _issue, _of, _report
from shishi.core.figures import values
from shishi.testing import actor_of, at

pytestmark = pytest.mark.django_db


def test_the_figures_are_the_coverage_of_every_directive(
    tree, city_admin, town_clerk, outsider, lantian_clerk
):
    # given one directive to the three streets: 芝山 done on time, 西桥 waiting, 蓝田 nothing
    directive = _issue(actor_of(city_admin), tree)
    done = _report(_of(directive, tree["zhishan"]), town_clerk, now=at(2024, 3, 8))
    actions.approve_assignment(assignment=done, actor=actor_of(city_admin), now=at(2024, 3, 8, 15))
    _report(_of(directive, tree["xiqiao"]), outsider, now=at(2024, 3, 8))

    # when counted on 03-15 (the deadline was 03-11)
    counts = figures.collect(date(2024, 3, 1), date(2024, 4, 1), date(2024, 3, 15))

    # then per unit and in total they are the coverage counts
    total = {}
    for unit_counts in counts.values():
        for key, n in unit_counts.items():
            total[key] = total.get(key, 0) + n
    city = queries.total(directive, today=date(2024, 3, 15), within=tree["city"].path)
    got = values(figures.SOURCE, total)
    assert got["campaign.assigned"] == city.assigned == 3
    assert got["campaign.done"] == 1
    assert got["campaign.done_rate"] == pytest.approx(1 / 3)
    assert got["campaign.overdue"] == city.overdue == 1
    assert total["status:submitted"] == 1


def test_nothing_assigned_is_no_data_not_zero():
    got = values(figures.SOURCE, {})
    assert got["campaign.done_rate"] is None
    assert got.text("campaign.done_rate") == "无数据"


def test_study_figures_count_sessions_and_attendance_held_in_the_month(
    tree, city_admin, town_clerk, town_leader
):
    # given two sessions in March (one with two members and five others) and one in April
    def record(held_on, **fields):
        actions.record_session(
            data=actions.SessionData(
                unit=tree["zhishan"], kind="party_day", held_on=held_on, topic="主题党日", **fields
            ),
            actor=actor_of(town_clerk),
            now=at(2024, 5, 1),
        )

    record(date(2024, 3, 1), mode="group", attendees=(town_clerk, town_leader), extra_attendees=5)
    record(date(2024, 3, 31), mode="self")
    record(date(2024, 4, 1), mode="group")

    # when March is counted
    counts = figures.collect_study(date(2024, 3, 1), date(2024, 4, 1), date(2024, 4, 15))

    # then per unit: sessions, attendance, by kind and mode
    got = values(figures.STUDY_SOURCE, counts[tree["zhishan"].pk])
    assert (got["study.sessions"], got["study.attendance"]) == (2, 7)
    assert counts[tree["zhishan"].pk]["kind:party_day"] == 2
    assert counts[tree["zhishan"].pk]["mode:self"] == 1
    assert list(counts) == [tree["zhishan"].pk]
