from __future__ import annotations

import pytest
from chinese_calendar.constants import holidays as package_holidays
from chinese_calendar.constants import workdays as package_workdays

from govcube.workdays.calendar import Calendar, clear_local_cache, load_calendar
from govcube.workdays.models import CalendarYear
from govcube.workdays.services import calendar_seed_from_package

PACKAGE_YEARS = range(2004, 2027)


@pytest.fixture(autouse=True)
def _fresh_calendar_cache():
    """The in-memory calendar must never carry one test's (rolled-back) rows into another."""
    clear_local_cache()
    yield
    clear_local_cache()


@pytest.fixture
def seeded(db):
    """The package years, as the data migration loads them (re-seeded if a flush emptied the tables)."""
    if CalendarYear.objects.filter(year__in=PACKAGE_YEARS).count() != len(PACKAGE_YEARS):
        calendar_seed_from_package(actor=None)
        clear_local_cache()
    return load_calendar()


@pytest.fixture(scope="session")
def package_calendar() -> Calendar:
    """A pure Calendar straight from the package (no database)."""
    return Calendar(
        holidays=frozenset(package_holidays),
        makeup_days=frozenset(package_workdays),
        loaded_years=frozenset(PACKAGE_YEARS),
    )
