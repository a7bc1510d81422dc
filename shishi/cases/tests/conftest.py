"""A selection on a fixed calendar (2026): nominations 1–10 June, review to 20 June, the
public vote 21–30 June; the city office (city_admin) runs it.

The projects' fixtures (`office` walks a project through the real actions) come from the
projects tests."""

from datetime import date

import pytest

from shishi.cases import actions
from shishi.projects.tests.conftest import categories, desk, office  # noqa: F401  (fixtures)
from shishi.testing import actor_of, at

NOMINATING = at(2026, 6, 5)
REVIEWING = at(2026, 6, 15)
VOTING = at(2026, 6, 25)
AFTER = at(2026, 7, 2)
RUBRIC = (("为民服务成效", 40), ("群众满意程度", 30), ("创新示范作用", 20), ("可复制可推广", 10))


def selection_data(**fields) -> actions.SelectionData:
    values = {
        "title": "2026年度“我为群众办实事”典型案例",
        "description": "评选年度为民办实事典型案例。",
        "nominate_from": date(2026, 6, 1),
        "nominate_until": date(2026, 6, 10),
        "review_until": date(2026, 6, 20),
        "vote_until": date(2026, 6, 30),
        "winners": 2,
        "judge_weight": 60,
        "votes_per_day": 2,
        "criteria": RUBRIC,
        **fields,
    }
    return actions.SelectionData(**values)


@pytest.fixture
def selection(city_admin):
    return actions.create_selection(
        data=selection_data(), actor=actor_of(city_admin), now=at(2026, 5, 20)
    )


def free_case(selection, person, title: str, *, now=NOMINATING):
    return actions.nominate(
        selection=selection,
        data=actions.NominationData(title=title, summary=f"{title}的做法和成效。"),
        actor=actor_of(person),
        now=now,
    )


def accept(selection, nomination, admin, *, now=REVIEWING):
    return actions.decide_nomination(
        nomination=nomination, accept=True, reason="", actor=actor_of(admin), now=now
    )
