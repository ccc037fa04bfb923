"""Working-day and office-hour arithmetic on a pure Calendar (no database)."""

from __future__ import annotations

import time
from datetime import UTC, date, datetime, timedelta

import pytest
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from govcube.workdays.calendar import TZ, Calendar, OfficeHours

ANY_DAY = st.dates(min_value=date(2000, 1, 1), max_value=date(2035, 12, 31))
STEPS = st.integers(min_value=1, max_value=400)
PROPERTY = settings(max_examples=300, database=None, deadline=None)
PACKAGE = Calendar(holidays=frozenset(package_holidays), makeup_days=frozenset(package_workdays))


def at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=TZ)


def d(text: str) -> date:
    return date.fromisoformat(text)


# --- random calendars: the properties hold for any set of exceptions ------------------------


@st.composite
def calendars(draw) -> Calendar:
    days = draw(st.sets(ANY_DAY, max_size=80))
    makeups = {day for day in days if day.weekday() >= 5 and draw(st.booleans())}
    return Calendar(holidays=frozenset(days - makeups), makeup_days=frozenset(makeups))


@PROPERTY
@given(calendars(), ANY_DAY, STEPS)
def test_adding_working_days_lands_on_a_working_day_and_counts_back(calendar, start, n):
    result = calendar.add_working_days(start, n)
    assert result > start
    assert calendar.is_working_day(result)
    assert calendar.working_days_between(start, result) == n
    # nothing earlier would do: one day before, fewer than n working days have passed
    assert calendar.working_days_between(start, result - timedelta(days=1)) == n - 1


@PROPERTY
@given(calendars(), ANY_DAY, STEPS, STEPS)
def test_adding_working_days_is_monotonic_and_additive(calendar, start, n, m):
    assume(n < m)
    assert calendar.add_working_days(start, n) < calendar.add_working_days(start, m)
    assert calendar.add_working_days(calendar.add_working_days(start, n), m) == calendar.add_working_days(start, n + m)


@PROPERTY
@given(calendars(), ANY_DAY, ANY_DAY)
def test_counting_matches_a_day_by_day_walk(calendar, a, b):
    assume(abs((b - a).days) <= 400)
    low, high = sorted((a, b))
    walked = sum(calendar.is_working_day(low + timedelta(days=i)) for i in range(1, (high - low).days + 1))
    assert calendar.working_days_between(low, high) == walked
    assert calendar.working_days_between(high, low) == -walked


@PROPERTY
@given(calendars(), ANY_DAY, STEPS)
def test_going_back_from_a_working_day_undoes_going_forward(calendar, start, n):
    start = calendar.next_working_day(start)
    forward = calendar.add_working_days(start, n)
    assert calendar.add_working_days(forward, -n) == start
    back = calendar.add_working_days(start, -n)
    assert calendar.is_working_day(back) and back < start


def test_on_the_package_calendar_adding_then_counting_gives_n(package_calendar):
    @PROPERTY
    @given(st.dates(min_value=date(2004, 1, 1), max_value=date(2025, 12, 31)), STEPS)
    def holds(start, n):
        result = package_calendar.add_working_days(start, n)
        assert package_calendar.is_working_day(result)
        assert package_calendar.working_days_between(start, result) == n

    holds()


def test_zero_days_changes_nothing(package_calendar):
    assert package_calendar.add_working_days(d("2025-10-01"), 0) == d("2025-10-01")


def test_days_must_be_an_integer(package_calendar):
    with pytest.raises(TypeError):
        package_calendar.add_working_days(d("2025-10-01"), 1.5)


# --- the National Day week of 2025 ---------------------------------------------------------
# 2025-10-01 … 10-08 are holidays; Sunday 09-28 and Saturday 10-11 are make-up working days.


def test_a_national_day_week_is_skipped(package_calendar):
    cal = package_calendar
    assert cal.add_working_days(d("2025-09-30"), 1) == d("2025-10-09")
    assert cal.working_days_between(d("2025-09-30"), d("2025-10-09")) == 1
    assert cal.add_working_days(d("2025-10-08"), -1) == d("2025-09-30")


def test_a_make_up_saturday_and_sunday_are_working_days(package_calendar):
    cal = package_calendar
    assert cal.is_working_day(d("2025-09-28"))  # Sunday, make-up
    assert cal.is_working_day(d("2025-10-11"))  # Saturday, make-up
    assert not cal.is_working_day(d("2025-10-12"))  # an ordinary Sunday
    assert cal.add_working_days(d("2025-09-26"), 1) == d("2025-09-28")  # Friday + 1 = the make-up Sunday
    assert cal.add_working_days(d("2025-10-10"), 1) == d("2025-10-11")


def test_a_datetime_keeps_its_time_of_day_in_shanghai(package_calendar):
    start = datetime(2025, 9, 30, 7, 30, tzinfo=UTC)  # 15:30 in Shanghai
    result = package_calendar.add_working_days(start, 1)
    assert result == at("2025-10-09 15:30")
    assert result.utcoffset() == timedelta(hours=8)


# --- office hours: 09:00-12:00, 13:00-18:00 -------------------------------------------------


def test_office_hours_stop_over_lunch(package_calendar):
    cal = package_calendar
    assert cal.add_working_hours(at("2025-09-29 11:00"), 1) == at("2025-09-29 12:00")
    assert cal.add_working_hours(at("2025-09-29 11:00"), 1.5) == at("2025-09-29 13:30")
    assert cal.add_working_hours(at("2025-09-29 12:30"), 1) == at("2025-09-29 14:00")  # lunch waits for 13:00
    assert cal.working_time_between(at("2025-09-29 11:30"), at("2025-09-29 13:30")) == timedelta(hours=1)
    assert cal.working_time_between(at("2025-09-29 12:10"), at("2025-09-29 12:50")) == timedelta(0)


def test_office_hours_carry_over_a_national_day_week(package_calendar):
    cal = package_calendar
    assert cal.add_working_hours(at("2025-09-30 17:00"), 2) == at("2025-10-09 10:00")
    assert cal.add_working_hours(at("2025-09-29 11:00"), 8) == at("2025-09-30 11:00")
    assert cal.working_time_between(at("2025-09-29 11:00"), at("2025-10-09 10:00")) == timedelta(hours=15)
    assert cal.working_time_between(at("2025-10-01 09:00"), at("2025-10-08 18:00")) == timedelta(0)


def test_office_hours_count_on_a_make_up_sunday(package_calendar):
    cal = package_calendar
    assert cal.add_working_hours(at("2025-09-26 17:00"), 2) == at("2025-09-28 10:00")  # Fri → make-up Sunday
    assert cal.working_time_between(at("2025-09-27 00:00"), at("2025-09-29 00:00")) == timedelta(hours=8)


def test_a_result_at_the_end_of_a_period_is_that_end(package_calendar):
    cal = package_calendar
    assert cal.add_working_hours(at("2025-09-29 09:00"), 3) == at("2025-09-29 12:00")
    assert cal.add_working_hours(at("2025-09-29 09:00"), 8) == at("2025-09-29 18:00")
    assert cal.add_working_hours(at("2025-09-29 20:00"), timedelta(minutes=30)) == at("2025-09-30 09:30")


def test_zero_hours_is_the_start_and_negative_hours_are_refused(package_calendar):
    assert package_calendar.add_working_hours(at("2025-10-04 10:00"), 0) == at("2025-10-04 10:00")
    with pytest.raises(ValueError):
        package_calendar.add_working_hours(at("2025-10-04 10:00"), -1)


def test_naive_datetimes_are_refused(package_calendar):
    with pytest.raises(ValueError):
        package_calendar.add_working_hours(datetime(2025, 9, 29, 9, 0), 1)
    with pytest.raises(ValueError):
        package_calendar.working_time_between(datetime(2025, 9, 29, 9), at("2025-09-29 10:00"))


@PROPERTY
@given(
    st.datetimes(min_value=datetime(2004, 1, 1), max_value=datetime(2026, 6, 30), timezones=st.just(TZ)),
    st.integers(min_value=1, max_value=60 * 400),
)
def test_adding_hours_then_measuring_gives_the_hours_back(start, minutes):
    calendar = PACKAGE
    end = calendar.add_working_hours(start, timedelta(minutes=minutes))
    assert end > start
    assert calendar.working_time_between(start, end) == timedelta(minutes=minutes)


# --- pauses (an SLA clock waiting on an enterprise) -----------------------------------------


def test_pauses_are_not_counted(package_calendar):
    cal = package_calendar
    start, end = at("2025-09-29 09:00"), at("2025-09-30 18:00")  # 16 office hours
    assert cal.working_time_between(start, end) == timedelta(hours=16)
    pause = (at("2025-09-29 14:00"), at("2025-09-30 10:00"))  # 4 h on the 29th + 1 h on the 30th
    assert cal.working_time_between(start, end, [pause]) == timedelta(hours=11)


def test_overlapping_open_and_outside_pauses(package_calendar):
    cal = package_calendar
    start, end = at("2025-09-29 09:00"), at("2025-09-29 18:00")
    pauses = [
        (at("2025-09-29 08:00"), at("2025-09-29 10:00")),  # starts before the clock: 1 h
        (at("2025-09-29 09:30"), at("2025-09-29 10:30")),  # overlaps the first: +0.5 h
        (at("2025-09-29 17:00"), None),  # still paused: 1 h
        (at("2025-09-30 09:00"), at("2025-09-30 10:00")),  # after the end: nothing
    ]
    assert cal.working_time_between(start, end, pauses) == timedelta(hours=5.5)  # 8 - 1.5 - 1
    assert cal.working_hours_between(start, end, pauses) == 5.5


def test_an_end_before_the_start_counts_nothing(package_calendar):
    assert package_calendar.working_time_between(at("2025-09-30 10:00"), at("2025-09-29 10:00")) == timedelta(0)


# --- a year without data ----------------------------------------------------------------


def test_an_unloaded_year_counts_monday_to_friday(package_calendar):
    cal = package_calendar
    assert cal.missing_years([2026, 2031]) == [2031]
    assert cal.is_working_day(d("2031-10-01"))  # a Wednesday: a working day until 2031 is loaded
    assert not cal.is_working_day(d("2031-10-04"))  # Saturday
    assert cal.add_working_days(d("2031-10-03"), 1) == d("2031-10-06")  # Friday + 1 = Monday
    assert cal.working_days_between(d("2030-12-31"), d("2031-12-31")) == 261
    assert cal.add_working_hours(at("2031-10-03 17:00"), 2) == at("2031-10-06 10:00")
    assert cal.working_time_between(at("2031-01-01 00:00"), at("2032-01-01 00:00")) == timedelta(hours=8 * 261)


def test_arithmetic_runs_from_a_loaded_year_into_an_unloaded_one(package_calendar):
    result = package_calendar.add_working_days(d("2026-12-01"), 60)
    assert result.year == 2027 and result.weekday() < 5


# --- office hours are parsed strictly ---------------------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "",
        "9:00-12:00",
        "09:00-12:00;13:00-18:00",
        "12:00-09:00",
        "09:00-12:00,11:00-18:00",
        "25:00-26:00",
        "09:60-10:00",
        "09:00-24:30",
    ],
)
def test_bad_office_hours_are_refused(text):
    with pytest.raises(ValueError):
        OfficeHours.parse(text)


def test_office_hours_parse_and_print():
    hours = OfficeHours.parse(" 08:30-12:00 , 13:30-24:00 ")
    assert str(hours) == "08:30-12:00,13:30-24:00"
    assert hours.day_length == int(14 * 3600e6)


def test_other_office_hours_change_the_arithmetic(package_calendar):
    cal = Calendar(
        holidays=package_calendar.holidays,
        makeup_days=package_calendar.makeup_days,
        office_hours=OfficeHours.parse("08:30-17:30"),
    )
    assert cal.add_working_hours(at("2025-09-29 12:00"), 6) == at("2025-09-30 09:00")  # 5.5 h + 0.5 h


def test_a_day_cannot_be_both_a_holiday_and_a_make_up_day():
    with pytest.raises(ValueError):
        Calendar(holidays={d("2025-10-04")}, makeup_days={d("2025-10-04")})


# --- speed ------------------------------------------------------------------------------


def test_arithmetic_is_fast(package_calendar):
    cal = package_calendar
    started = time.perf_counter()
    for i in range(2000):
        cal.add_working_days(d("2020-01-01") + timedelta(days=i % 365), 250)
        cal.add_working_hours(at("2020-01-01 10:00") + timedelta(hours=i), 2000)
        cal.working_time_between(at("2004-01-01 10:00"), at("2026-12-31 10:00") - timedelta(hours=i))
    assert time.perf_counter() - started < 2.0  # about 25 µs per call on this machine
