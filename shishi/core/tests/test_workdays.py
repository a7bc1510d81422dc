from datetime import date

import pytest

from shishi.core import workdays
from shishi.core.checks import calendar_warnings
from shishi.core.models import CalendarYear, HolidayOverride

pytestmark = pytest.mark.django_db


class TestNationalDay2021:
    """10-01..10-07 off; Sunday 09-26 and Saturday 10-09 are make-up working days."""

    def test_one_day_after_the_eve_of_the_holiday_is_the_first_day_back(self):
        assert workdays.add_workdays(date(2021, 9, 30), 1) == date(2021, 10, 8)

    def test_make_up_sunday_before_the_holiday_counts(self):
        assert workdays.add_workdays(date(2021, 9, 25), 1) == date(2021, 9, 26)

    def test_make_up_saturday_after_the_holiday_counts(self):
        assert workdays.add_workdays(date(2021, 10, 8), 1) == date(2021, 10, 9)

    def test_no_holiday_day_is_a_workday(self):
        assert not any(workdays.is_workday(date(2021, 10, d)) for d in range(1, 8))

    def test_span_over_the_holiday(self):
        # 09-29, 09-30, 10-08, 10-09, 10-11 are the five working days after 09-28
        assert workdays.add_workdays(date(2021, 9, 28), 5) == date(2021, 10, 11)
        assert workdays.workdays_between(date(2021, 9, 28), date(2021, 10, 11)) == 5


class TestSpringFestival2024:
    """02-10..02-17 off; Sundays 02-04 and 02-18 are make-up working days."""

    def test_the_friday_before_leads_to_the_make_up_sunday(self):
        assert workdays.add_workdays(date(2024, 2, 9), 1) == date(2024, 2, 18)

    def test_make_up_sunday_before(self):
        assert workdays.add_workdays(date(2024, 2, 3), 1) == date(2024, 2, 4)

    def test_thirteen_days_across_the_festival(self):
        # given an appeal received on 2024-02-05 with 13 handling days
        due = workdays.add_workdays(date(2024, 2, 5), 13)
        # then: 02-06..02-09 (4), 02-18..02-23 (6), 02-26..02-28 (3)
        assert due == date(2024, 2, 28)
        assert workdays.workdays_between(date(2024, 2, 5), due) == 13


class TestCountingStrictlyAfterTheStart:
    def test_zero_days_is_the_start_itself(self):
        assert workdays.add_workdays(date(2026, 11, 23), 0) == date(2026, 11, 23)

    def test_friday_plus_one_is_monday(self):
        assert workdays.add_workdays(date(2026, 11, 27), 1) == date(2026, 11, 30)

    def test_a_saturday_start_counts_from_monday(self):
        assert workdays.add_workdays(date(2026, 11, 28), 1) == date(2026, 11, 30)

    def test_between_excludes_the_start_and_includes_the_end(self):
        assert workdays.workdays_between(date(2026, 11, 23), date(2026, 11, 24)) == 1
        assert workdays.workdays_between(date(2026, 11, 23), date(2026, 11, 23)) == 0
        assert workdays.workdays_between(date(2026, 11, 24), date(2026, 11, 23)) == -1

    def test_negative_days_are_refused(self):
        with pytest.raises(ValueError):
            workdays.add_workdays(date(2026, 11, 23), -1)


class TestUnknownYear2027:
    def test_falls_back_to_weekdays_without_crashing(self):
        # 2027-01-01 is a Friday; nobody has entered 2027's holidays
        result = workdays.deadline(date(2026, 12, 31), 1)
        assert result.due == date(2027, 1, 1)
        assert result.estimated is True
        assert workdays.year_source(2027) is workdays.YearSource.WEEKDAYS

    def test_weekends_are_still_off(self):
        assert workdays.add_workdays(date(2027, 1, 1), 1) == date(2027, 1, 4)

    def test_deadline_inside_a_known_year_is_not_estimated(self):
        assert workdays.deadline(date(2026, 3, 2), 5).estimated is False

    def test_admin_rows_and_confirmation_replace_the_guess(self):
        # given the admin entered New Year's Day 2027 as a holiday
        HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
        # then the holiday is skipped at once, but the year is still a guess …
        result = workdays.deadline(date(2026, 12, 31), 1)
        assert result.due == date(2027, 1, 4)
        assert result.estimated is True
        # … until the admin confirms the whole year is entered
        CalendarYear.objects.create(year=2027)
        assert workdays.deadline(date(2026, 12, 31), 1).estimated is False

    def test_overrides_win_over_the_package(self):
        # given 2021-10-08 (a working Friday) declared a local day off
        HolidayOverride.objects.create(date=date(2021, 10, 8), is_workday=False)
        assert workdays.add_workdays(date(2021, 9, 30), 1) == date(2021, 10, 9)

    def test_system_check_warns_about_the_gap_and_stops_once_confirmed(self):
        warnings = calendar_warnings(date(2026, 11, 28))
        assert [w.id for w in warnings] == ["shishi.W001"]
        assert "2027" in warnings[0].msg
        # one entered day is not the whole schedule
        HolidayOverride.objects.create(date=date(2027, 1, 1), is_workday=False, note="元旦")
        assert len(calendar_warnings(date(2026, 11, 28))) == 1
        CalendarYear.objects.create(year=2027)
        assert calendar_warnings(date(2026, 11, 28)) == []

    def test_no_warning_when_the_horizon_stays_in_a_known_year(self):
        assert calendar_warnings(date(2026, 3, 1)) == []


def test_calendar_page_flags_an_estimated_deadline(login, town_clerk):
    # when a clerk computes 5 working days from 2026-12-28 (into unknown 2027)
    response = login(town_clerk).get("/staff/calendar/", {"start": "2026-12-28", "days": 5})
    # then the result is shown with the 估算 flag
    assert response.status_code == 200
    body = response.content.decode()
    assert "2027年1月4日" in body
    assert "估算" in body


def test_an_admin_confirms_a_year_on_the_calendar_page(login, city_admin, town_clerk):
    # a clerk may not
    assert (
        login(town_clerk).post("/staff/calendar/2027/confirm/", {"confirmed": "1"}).status_code
        == 403
    )
    # the city admin does, and 2027 deadlines stop being estimates
    response = login(city_admin).post("/staff/calendar/2027/confirm/", {"confirmed": "1"})
    assert response.status_code == 302
    assert workdays.year_source(2027) is workdays.YearSource.OVERRIDES
    # taking it back makes them estimates again
    login(city_admin).post("/staff/calendar/2027/confirm/", {"confirmed": "0"})
    assert workdays.year_source(2027) is workdays.YearSource.WEEKDAYS
