"""Calendar services: permission, audit, all-or-nothing loading, idempotent seeding, cache invalidation."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.cache import cache

from govcube.audit.models import AuditEvent
from govcube.core.errors import DomainError, NotFound, PermissionDenied
from govcube.workdays import calendar as wd
from govcube.workdays.files import YearRow, parse_year_file
from govcube.workdays.models import CalendarDay, CalendarYear, DayKind, Source
from govcube.workdays.services import (
    calendar_day_remove,
    calendar_day_set,
    calendar_seed_from_package,
    calendar_year_load,
)

pytestmark = pytest.mark.django_db

YEAR_2030 = "date,kind,name\n2030-10-01,holiday,国庆节\n2030-10-02,holiday,国庆节\n2030-09-29,makeup_workday,国庆节\n"


def rows(text: str) -> list[YearRow]:
    return parse_year_file(text).rows


# --- single days ----------------------------------------------------------------------------


def test_an_admin_sets_a_holiday_and_the_arithmetic_follows_at_once(personas, seeded):
    assert wd.is_working_day(date(2031, 10, 1))
    day = calendar_day_set(actor=personas.district_admin, date=date(2031, 10, 1), kind=DayKind.HOLIDAY, name="国庆节")
    assert (day.source, day.name) == (Source.MANUAL, "国庆节")
    assert not wd.is_working_day(date(2031, 10, 1))
    assert wd.add_working_days(date(2031, 9, 30), 1) == date(2031, 10, 2)
    event = AuditEvent.objects.get(action="workdays.day.set")
    assert event.actor_id == personas.district_admin.pk
    assert event.before is None and event.after["kind"] == "holiday"


def test_setting_an_existing_day_corrects_it_and_audits_the_before(personas, seeded):
    calendar_day_set(actor=personas.district_admin, date=date(2025, 10, 1), kind=DayKind.HOLIDAY, name="National Day")
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "National Day"
    event = AuditEvent.objects.filter(action="workdays.day.set").latest("id")
    assert event.before["name"] == "国庆节" and event.before["source"] == "package"


def test_a_make_up_day_on_a_weekday_is_refused_on_the_kind_field(personas, db):
    with pytest.raises(DomainError) as caught:
        calendar_day_set(actor=personas.district_admin, date=date(2031, 10, 8), kind=DayKind.MAKEUP_WORKDAY)
    assert caught.value.field == "kind"
    assert not CalendarDay.objects.filter(date=date(2031, 10, 8)).exists()


def test_an_unknown_kind_is_refused(personas, db):
    with pytest.raises(DomainError) as caught:
        calendar_day_set(actor=personas.district_admin, date=date(2031, 10, 8), kind="festival")
    assert caught.value.field == "kind"


def test_a_street_official_may_not_change_the_calendar(personas, db):
    with pytest.raises(PermissionDenied):
        calendar_day_set(actor=personas.street_njxl, date=date(2031, 10, 1), kind=DayKind.HOLIDAY)
    with pytest.raises(PermissionDenied):
        calendar_year_load(actor=personas.district_leader, year=2030, rows=rows(YEAR_2030))
    with pytest.raises(PermissionDenied):
        calendar_seed_from_package(actor=personas.street_njxl)
    assert not CalendarDay.objects.filter(date__year__in=[2030, 2031]).exists()


def test_removing_a_day_returns_it_to_the_weekday_rule(personas, seeded):
    assert not wd.is_working_day(date(2025, 10, 1))
    calendar_day_remove(actor=personas.district_admin, date=date(2025, 10, 1))
    assert wd.is_working_day(date(2025, 10, 1))  # a Wednesday
    event = AuditEvent.objects.get(action="workdays.day.removed")
    assert event.before["name"] == "国庆节" and event.object_repr == "2025-10-01"


def test_removing_a_day_that_is_not_there_is_404(personas, db):
    with pytest.raises(NotFound):
        calendar_day_remove(actor=personas.district_admin, date=date(2031, 3, 3))


# --- whole years ----------------------------------------------------------------------------


def test_a_year_loads_from_a_file_and_stops_falling_back(personas, seeded):
    assert wd.missing_years([2030]) == [2030]
    loaded = calendar_year_load(
        actor=personas.district_admin, year=2030, rows=rows(YEAR_2030), note="国办发明电〔2029〕1号"
    )
    assert (loaded.source, loaded.note) == (Source.FILE, "国办发明电〔2029〕1号")
    assert wd.missing_years([2030]) == []
    assert wd.is_working_day(date(2030, 9, 29))  # make-up Sunday
    assert not wd.is_working_day(date(2030, 10, 1))
    event = AuditEvent.objects.get(action="workdays.year.loaded", object_id=str(loaded.pk))
    assert event.after["days"] == 3 and event.after["makeup_workdays"] == 1


def test_a_bad_file_stores_nothing(personas, db):
    bad = YEAR_2030 + "2030-10-03,holiday,国庆节\n2030-10-08,makeup_workday,国庆节\n"  # row 6: a Tuesday
    events = AuditEvent.objects.count()
    with pytest.raises(DomainError) as caught:
        calendar_year_load(actor=personas.district_admin, year=2030, rows=rows(bad))
    assert "Row 6" in caught.value.message and "column kind" in caught.value.message
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert not CalendarYear.objects.filter(year=2030).exists()
    assert AuditEvent.objects.count() == events


def test_a_loaded_year_is_replaced_only_on_request_and_wholly(personas, db):
    admin = personas.district_admin
    calendar_year_load(actor=admin, year=2030, rows=rows(YEAR_2030))
    calendar_day_set(actor=admin, date=date(2030, 5, 1), kind=DayKind.HOLIDAY, name="劳动节")
    with pytest.raises(DomainError) as caught:
        calendar_year_load(actor=admin, year=2030, rows=rows("date,kind\n2030-01-01,holiday\n"))
    assert caught.value.field == "replace"
    assert CalendarDay.objects.filter(date__year=2030).count() == 4

    with pytest.raises(DomainError):  # a bad replacement keeps the year as it was
        calendar_year_load(
            actor=admin, year=2030, rows=rows("date,kind\n2030-01-01,holiday\n2031-01-01,holiday\n"), replace=True
        )
    assert CalendarDay.objects.filter(date__year=2030).count() == 4

    calendar_year_load(actor=admin, year=2030, rows=rows("date,kind\n2030-01-01,holiday\n"), replace=True)
    assert list(CalendarDay.objects.filter(date__year=2030).values_list("date", flat=True)) == [date(2030, 1, 1)]


# --- seeding from the package -----------------------------------------------------------------


def test_seeding_from_the_package_is_idempotent_and_leaves_loaded_years_alone(personas, seeded):
    calendar_day_set(actor=personas.district_admin, date=date(2025, 10, 1), kind=DayKind.HOLIDAY, name="changed")
    days = CalendarDay.objects.count()
    assert calendar_seed_from_package(actor=personas.district_admin) == []
    assert CalendarDay.objects.count() == days
    assert CalendarDay.objects.get(date=date(2025, 10, 1)).name == "changed"


def test_seeding_loads_a_missing_year(db):
    CalendarDay.objects.filter(date__year=2024).delete()
    CalendarYear.objects.filter(year=2024).delete()
    assert calendar_seed_from_package(actor=None, years=[2024]) == [2024]
    assert CalendarDay.objects.get(date=date(2024, 10, 1)).name == "国庆节"
    assert CalendarDay.objects.get(date=date(2024, 9, 29)).kind == DayKind.MAKEUP_WORKDAY
    assert CalendarYear.objects.get(year=2024).source == Source.PACKAGE


def test_seeding_a_year_the_package_does_not_cover_is_refused(db):
    with pytest.raises(DomainError) as caught:
        calendar_seed_from_package(actor=None, years=[2027])
    assert "2027" in caught.value.message


# --- the in-memory calendar -----------------------------------------------------------------


def test_other_processes_learn_of_a_change_after_the_commit(personas, db, django_capture_on_commit_callbacks):
    before = cache.get(wd.VERSION_CACHE_KEY)
    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        calendar_day_set(actor=personas.district_admin, date=date(2031, 10, 1), kind=DayKind.HOLIDAY)
    assert len(callbacks) == 1
    assert cache.get(wd.VERSION_CACHE_KEY) not in (None, before)


def test_a_changed_version_in_the_shared_cache_rebuilds_the_calendar(db, monkeypatch):
    first = wd.load_calendar()
    assert wd.load_calendar() is first  # cached
    CalendarDay.objects.create(date=date(2031, 10, 1), kind=DayKind.HOLIDAY)  # written "by another process"
    cache.set(wd.VERSION_CACHE_KEY, "changed-elsewhere")
    monkeypatch.setattr(wd, "RECHECK_SECONDS", 0.0)
    rebuilt = wd.load_calendar()
    assert rebuilt is not first
    assert not rebuilt.is_working_day(date(2031, 10, 1))


def test_changing_the_office_hours_setting_takes_effect(db, settings):
    assert str(wd.load_calendar().office_hours) == "09:00-12:00,13:00-18:00"
    settings.GOVCUBE_OFFICE_HOURS = "08:30-17:00"
    assert str(wd.load_calendar().office_hours) == "08:30-17:00"
