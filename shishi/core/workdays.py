"""Working-day arithmetic (工作日): the one place that knows holidays and 调休.

Counting is strictly after the start day: a duty received on Friday with 1 working day is
due on Monday. Make-up days (调休补班, e.g. Sunday 2021-09-26) are working days.

Source of truth, in order:
1. `HolidayOverride` rows an administrator entered (per date, workday or not);
2. the `chinesecalendar` package for the years it knows;
3. for other years: Monday–Friday. Until an administrator confirms that a year's schedule is
   fully entered (`CalendarYear`), its dates are *estimated* — callers store
   `is_estimated(...)` beside the deadline and show a warning, and a system check says so.
"""

import functools
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

import chinese_calendar
from django.core.cache import cache

_CACHE_KEY = "shishi:workdays:overrides"
_CACHE_SECONDS = 60


class YearSource(StrEnum):
    PACKAGE = "package"  # the calendar package knows the year (admin rows still win)
    OVERRIDES = "overrides"  # unknown to the package; an admin entered and confirmed the year
    WEEKDAYS = "weekdays"  # unknown and nothing entered: Monday–Friday, estimated


@dataclass(frozen=True)
class Deadline:
    """A due date and whether it rests on a guessed calendar."""

    due: date
    estimated: bool


def _calendar() -> tuple[dict[date, bool], frozenset[int]]:
    """(override per date, years an administrator confirmed as fully entered), cached."""
    cached = cache.get(_CACHE_KEY)
    if cached is None:
        from shishi.core.models import CalendarYear, HolidayOverride

        cached = (
            dict(HolidayOverride.objects.values_list("date", "is_workday")),
            frozenset(CalendarYear.objects.values_list("year", flat=True)),
        )
        cache.set(_CACHE_KEY, cached, _CACHE_SECONDS)
    return cached


def _overrides() -> dict[date, bool]:
    return _calendar()[0]


def forget_overrides() -> None:
    """Drop the cached overrides; called whenever an override row changes."""
    cache.delete(_CACHE_KEY)


@functools.cache
def _package_range() -> tuple[int, int]:
    years = {day.year for day in chinese_calendar.holidays}
    return min(years), max(years)


def package_knows(year: int) -> bool:
    """Whether the installed `chinesecalendar` has the State Council's schedule for `year`."""
    first, last = _package_range()
    return first <= year <= last


def year_source(year: int) -> YearSource:
    if package_knows(year):
        return YearSource.PACKAGE
    if year in _calendar()[1]:
        return YearSource.OVERRIDES
    return YearSource.WEEKDAYS


def is_workday(day: date) -> bool:
    overrides = _overrides()
    if day in overrides:
        return overrides[day]
    if package_knows(day.year):
        return chinese_calendar.is_workday(day)
    return day.weekday() < 5


def add_workdays(start: date, days: int) -> date:
    """The date `days` working days after `start` (start itself never counts)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = start
    remaining = days
    while remaining:
        current += timedelta(days=1)
        if is_workday(current):
            remaining -= 1
    return current


def sub_workdays(end: date, days: int) -> date:
    """The latest date X with exactly `days` working days in (X, end] (inverse of add)."""
    if days < 0:
        raise ValueError("days must not be negative")
    current = end
    remaining = days
    while remaining:
        if is_workday(current):
            remaining -= 1
        current -= timedelta(days=1)
    return current


def workdays_between(start: date, end: date) -> int:
    """Working days in (start, end]; negative when end is before start."""
    if end < start:
        return -workdays_between(end, start)
    return sum(
        1 for offset in range(1, (end - start).days + 1) if is_workday(start + timedelta(offset))
    )


def is_estimated(start: date, end: date) -> bool:
    """True when any year between the two dates falls back to plain weekdays."""
    low, high = sorted((start, end))
    return any(year_source(year) is YearSource.WEEKDAYS for year in range(low.year, high.year + 1))


def calendar_gaps(today: date, *, horizon: timedelta = timedelta(days=60)) -> list[int]:
    """Years from `today` to `today + horizon` whose deadlines would be estimated.

    Deadlines reach about this far ahead (13 working days plus an extension), so a gap in
    the window already produces guessed due dates.
    """
    return [
        year
        for year in range(today.year, (today + horizon).year + 1)
        if year_source(year) is YearSource.WEEKDAYS
    ]


def deadline(start: date, days: int) -> Deadline:
    """The due date `days` working days after `start`, flagged when the calendar is guessed."""
    due = add_workdays(start, days)
    return Deadline(due=due, estimated=is_estimated(start, due))
