"""workdays_seed and workdays_load."""

from __future__ import annotations

from datetime import date
from io import StringIO

import pytest
from django.core.management import CommandError, call_command

from govcube.audit.models import AuditEvent
from govcube.workdays.models import CalendarDay, CalendarYear, Source

pytestmark = pytest.mark.django_db


def run(*args) -> str:
    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_seed_is_idempotent(seeded):
    days = CalendarDay.objects.count()
    assert "nothing to do" in run("workdays_seed")
    assert CalendarDay.objects.count() == days


def test_seed_loads_a_missing_year(seeded):
    CalendarDay.objects.filter(date__year=2010).delete()
    CalendarYear.objects.filter(year=2010).delete()
    assert "loaded 1 year(s): 2010" in run("workdays_seed", "--year", "2010")
    assert CalendarYear.objects.get(year=2010).source == Source.PACKAGE
    assert CalendarDay.objects.filter(date__year=2010).exists()


def test_seed_refuses_a_year_outside_the_package():
    with pytest.raises(CommandError, match="2004–2026"):
        run("workdays_seed", "--year", "2030")


def test_load_reads_a_file_and_infers_its_year(tmp_path):
    path = tmp_path / "notice.csv"
    path.write_text("date,kind,name\n2030-10-01,holiday,国庆节\n2030-09-29,makeup_workday,国庆节\n", encoding="utf-8")
    assert "loaded 2030: 2 days" in run("workdays_load", str(path), "--note", "test")
    assert CalendarYear.objects.get(year=2030).source == Source.FILE
    assert CalendarDay.objects.get(date=date(2030, 9, 29)).source == Source.FILE
    event = AuditEvent.objects.get(action="workdays.year.loaded", object_id=str(CalendarYear.objects.get(year=2030).pk))
    assert event.actor_id is None


def test_load_reports_the_bad_row_and_stores_nothing(tmp_path):
    path = tmp_path / "2030.csv"
    path.write_text("date,kind,name\n2030-10-01,holiday,国庆节\n2030-10-02,day-off,国庆节\n", encoding="utf-8")
    with pytest.raises(CommandError, match="Row 3, column kind"):
        run("workdays_load", str(path), "--year", "2030")
    assert not CalendarDay.objects.filter(date__year=2030).exists()


def test_load_refuses_a_loaded_year_without_replace_and_a_missing_file(tmp_path, seeded):
    path = tmp_path / "2025.csv"
    path.write_text("date,kind\n2025-10-01,holiday\n", encoding="utf-8")
    with pytest.raises(CommandError, match="already loaded"):
        run("workdays_load", str(path))
    assert "loaded 2025: 1 days" in run("workdays_load", str(path), "--replace")
    with pytest.raises(CommandError, match="cannot read"):
        run("workdays_load", str(tmp_path / "missing.csv"))


def test_load_refuses_the_example_template():
    from govcube.workdays.views import EXAMPLE_FILE

    with pytest.raises(CommandError, match="example template"):
        run("workdays_load", str(EXAMPLE_FILE), "--year", "2027")
    assert not CalendarYear.objects.filter(year=2027).exists()
