"""Reads of the working-day calendar.

The calendar is district-wide reference data, the same for everyone: it has no
territory scope, and the pages that show it are guarded by the permission
``workdays.change_workday``. Deadline arithmetic reads it through
``govcube.workdays.calendar.load_calendar()`` instead.
"""

from __future__ import annotations

import calendar as pycalendar
from dataclasses import dataclass
from datetime import date

from django.utils import timezone
from django.utils.dates import MONTHS

from govcube.workdays.models import CalendarDay, CalendarYear, DayKind

WARN_NEXT_YEAR_FROM = (12, 1)  # from 1 December the next year's calendar is expected


def required_years(today: date | None = None) -> list[int]:
    """The years that must be loaded now: this year, and next year from 1 December."""
    today = today or timezone.localdate()
    years = [today.year]
    if (today.month, today.day) >= WARN_NEXT_YEAR_FROM:
        years.append(today.year + 1)
    return years


def missing_required_years(today: date | None = None) -> list[int]:
    """Required years without a loaded calendar (one query, always fresh)."""
    years = required_years(today)
    loaded = set(CalendarYear.objects.filter(year__in=years).values_list("year", flat=True))
    return [year for year in years if year not in loaded]


@dataclass
class Cell:
    day: date
    kind: str  # "holiday" | "makeup_workday" | "weekend" | "workday"
    name: str = ""

    @property
    def is_working(self) -> bool:
        return self.kind in ("workday", DayKind.MAKEUP_WORKDAY)


@dataclass
class Month:
    number: int
    name: str
    weeks: list[list[Cell | None]]


@dataclass
class YearOverview:
    year: int
    loaded: CalendarYear | None
    days: list[CalendarDay]
    months: list[Month]

    @property
    def holiday_count(self) -> int:
        return sum(1 for day in self.days if day.kind == DayKind.HOLIDAY)

    @property
    def makeup_count(self) -> int:
        return sum(1 for day in self.days if day.kind == DayKind.MAKEUP_WORKDAY)

    @property
    def working_day_count(self) -> int:
        return sum(1 for month in self.months for week in month.weeks for cell in week if cell and cell.is_working)


def year_overview(year: int) -> YearOverview:
    """A year as twelve month grids (Monday first) plus its list of exceptions: two queries."""
    days = list(CalendarDay.objects.filter(date__year=year).order_by("date"))
    loaded = CalendarYear.objects.filter(year=year).first()
    by_date = {day.date: day for day in days}
    grid = pycalendar.Calendar(firstweekday=0)
    months = []
    for number in range(1, 13):
        weeks = []
        for week in grid.monthdatescalendar(year, number):
            weeks.append([_cell(d, by_date.get(d)) if d.month == number else None for d in week])
        months.append(Month(number, MONTHS[number], weeks))
    return YearOverview(year, loaded, days, months)


def _cell(day: date, exception: CalendarDay | None) -> Cell:
    if exception is not None:
        return Cell(day, exception.kind, exception.name)
    return Cell(day, "weekend" if day.weekday() >= 5 else "workday")


def loaded_years() -> list[CalendarYear]:
    return list(CalendarYear.objects.order_by("year"))
