"""/healthz warns (without failing) while the calendar of this year, or next year from 1 December, is missing."""

from __future__ import annotations

from datetime import date

import pytest

from govcube.workdays.health import calendar_check
from govcube.workdays.models import CalendarYear
from govcube.workdays.selectors import required_years

pytestmark = pytest.mark.django_db


def on(monkeypatch, day: date) -> None:
    monkeypatch.setattr("govcube.workdays.selectors.timezone.localdate", lambda: day)


def test_next_year_is_required_from_the_first_of_december():
    assert required_years(date(2026, 11, 30)) == [2026]
    assert required_years(date(2026, 12, 1)) == [2026, 2027]
    assert required_years(date(2027, 1, 1)) == [2027]


def test_all_is_well_when_the_required_years_are_loaded(seeded, monkeypatch):
    on(monkeypatch, date(2026, 11, 30))
    check = calendar_check()
    assert check.ok and not check.warning


def test_a_missing_next_year_is_a_warning_from_december(seeded, monkeypatch):
    on(monkeypatch, date(2026, 12, 1))
    check = calendar_check()
    assert check.ok and check.warning
    assert check.detail == "calendar missing for 2027"


def test_a_missing_current_year_is_a_warning(seeded, monkeypatch):
    on(monkeypatch, date(2031, 3, 1))
    check = calendar_check()
    assert (check.ok, check.warning, check.detail) == (True, True, "calendar missing for 2031")


def test_loading_the_year_clears_the_warning(seeded, monkeypatch):
    on(monkeypatch, date(2026, 12, 1))
    CalendarYear.objects.create(year=2027, loaded_at="2026-11-20T10:00Z", source="file")
    assert not calendar_check().warning


def test_healthz_shows_the_warning_and_stays_200(client, seeded, monkeypatch):
    on(monkeypatch, date(2026, 12, 1))
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.json()
    assert body["checks"]["workdays"] == {"ok": True, "warning": True, "detail": "calendar missing for 2027"}


def test_a_bad_office_hours_setting_fails_the_system_check(settings):
    from govcube.workdays.checks import check_office_hours

    assert check_office_hours() == []
    settings.GOVCUBE_OFFICE_HOURS = "9-12"
    errors = check_office_hours()
    assert [e.id for e in errors] == ["workdays.E001"]
