"""The loaded calendar agrees with the chinese-calendar package on every covered date."""

from __future__ import annotations

from datetime import date, timedelta

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from govcube.workdays.models import CalendarDay, CalendarYear, DayKind, Source

pytestmark = pytest.mark.django_db

COVERED = st.dates(min_value=date(2004, 1, 1), max_value=date(2026, 12, 31))


def test_the_migration_loaded_every_covered_year_from_the_package(seeded):
    years = dict(CalendarYear.objects.values_list("year", "source"))
    assert set(years) >= set(range(2004, 2027))
    assert {years[y] for y in range(2004, 2027)} == {Source.PACKAGE}
    national_day = CalendarDay.objects.get(date=date(2025, 10, 1))
    assert (national_day.kind, national_day.name) == (DayKind.HOLIDAY, "国庆节")
    assert CalendarDay.objects.get(date=date(2025, 9, 28)).kind == DayKind.MAKEUP_WORKDAY


def test_random_covered_dates_agree_with_the_package(seeded):
    calendar = seeded

    @settings(max_examples=2000, database=None, deadline=None)
    @given(COVERED)
    def agrees(day):
        assert calendar.is_working_day(day) == chinese_calendar.is_workday(day)

    agrees()


def test_every_covered_date_agrees_with_the_package(seeded):
    calendar = seeded
    day, last = date(2004, 1, 1), date(2026, 12, 31)
    disagreements = []
    while day <= last:
        if calendar.is_working_day(day) != chinese_calendar.is_workday(day):
            disagreements.append(day)
        day += timedelta(days=1)
    assert disagreements == []


def test_counting_agrees_with_the_package_over_random_spans(seeded):
    calendar = seeded

    @settings(max_examples=300, database=None, deadline=None)
    @given(COVERED, st.integers(min_value=0, max_value=120))
    def counts(start, span):
        end = min(start + timedelta(days=span), date(2026, 12, 31))
        expected = len(chinese_calendar.get_workdays(start + timedelta(days=1), end)) if end > start else 0
        assert calendar.working_days_between(start, end) == expected

    counts()


def test_every_covered_year_is_loaded_and_later_ones_are_not(seeded):
    assert seeded.missing_years(range(2004, 2027)) == []
    assert seeded.is_year_loaded(2026)
    assert not seeded.is_year_loaded(2031)
