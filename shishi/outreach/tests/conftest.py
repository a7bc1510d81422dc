"""Fixtures of the outreach tests: a fixed clock for the pages (they ask `timezone.now()`)
and helpers that build teams, lectures, activities and posts through the actions.

The tree (shishi/conftest.py): 漳州市 → 芗城区 (芝山街道 → 芝山社区, 西桥街道),
龙文区 (蓝田街道)."""

from datetime import datetime, timedelta

import pytest
from django.utils import timezone

from shishi.outreach import actions
from shishi.testing import actor_of, at

NOW = at(2024, 6, 12, 15)


@pytest.fixture
def clock(monkeypatch):
    """The pages' clock, fixed at NOW (2024-06-12 15:00, Asia/Shanghai); returns a setter."""
    current = {"now": NOW}
    monkeypatch.setattr(timezone, "now", lambda: current["now"])

    def set_now(moment: datetime) -> None:
        current["now"] = moment

    return set_now


def make_team(person, unit, *, name="芝山红色宣讲队", kind="grassroots", **fields):
    data = {"outside_members": "陈阿婆、林老师", **fields}
    return actions.save_team(
        data=actions.TeamData(name=name, kind=kind, unit=unit, **data),
        actor=actor_of(person),
        now=at(2024, 1, 5),
    )


def make_lecture(person, team, place, *, starts_at=None, now=None, **fields):
    data = {"topic": "学党史 悟思想 办实事", "audience": 80, **fields}
    return actions.save_lecture(
        data=actions.LectureData(
            team=team, starts_at=starts_at or at(2024, 3, 8, 9), place=place, **data
        ),
        actor=actor_of(person),
        now=now or NOW,
    )


def make_volunteer_team(person, unit, *, name="芝山志愿服务队", **fields):
    data = {"field": "elderly", "outside_members": "王大姐", **fields}
    return actions.save_volunteer_team(
        data=actions.VolunteerTeamData(name=name, unit=unit, **data),
        actor=actor_of(person),
        now=at(2024, 1, 5),
    )


def make_activity(person, team, place, *, starts_at=None, hours=2, volunteers=5, **fields):
    start = starts_at or at(2024, 5, 4, 9)
    data = {"title": "关爱独居老人上门服务", "served": 12, **fields}
    return actions.record_activity(
        data=actions.ActivityData(
            team=team,
            place=place,
            starts_at=start,
            ends_at=start + timedelta(hours=hours),
            volunteers=volunteers,
            **data,
        ),
        actor=actor_of(person),
        now=NOW,
    )


def make_post(person, unit, *, name="便民服务窗口党员先锋岗", kind="post", **fields):
    data = {"duties": "帮办代办、政策咨询", "outside_holders": "郑党员", **fields}
    return actions.save_post(
        data=actions.PostData(kind=kind, name=name, unit=unit, **data),
        actor=actor_of(person),
        now=at(2024, 1, 5),
    )
