"""Seed the years the chinese-calendar package covers (2004–2026 for 1.11.0).

Idempotent and fast: years already loaded are skipped, each remaining year is one
bulk insert. Self-contained on purpose (a migration must not depend on today's services);
the same data is loaded at run time by ``calendar_seed_from_package`` / ``manage.py workdays_seed``.
"""

from django.db import migrations
from django.utils import timezone


def seed(apps, schema_editor):
    try:
        from chinese_calendar.constants import Holiday, holidays, workdays
    except ImportError:  # the package is a dependency; without it the years stay unloaded (flagged)
        return
    CalendarDay = apps.get_model("workdays", "CalendarDay")
    CalendarYear = apps.get_model("workdays", "CalendarYear")
    db = schema_editor.connection.alias

    def chinese(value):
        try:
            return Holiday(value).chinese
        except ValueError:
            return value

    years = range(min(holidays).year, max(holidays).year + 1)
    done = set(CalendarYear.objects.using(db).filter(year__in=years).values_list("year", flat=True))
    todo = [year for year in years if year not in done]
    if not todo:
        return
    now = timezone.now()
    rows = [(day, "holiday", name) for day, name in holidays.items() if day.year in todo]
    rows += [(day, "makeup_workday", name) for day, name in workdays.items() if day.year in todo]
    CalendarDay.objects.using(db).filter(date__year__in=todo).delete()
    CalendarDay.objects.using(db).bulk_create(
        [
            CalendarDay(date=day, kind=kind, name=chinese(name), source="package", created=now, modified=now)
            for day, kind, name in sorted(rows)
        ],
        batch_size=500,
    )
    CalendarYear.objects.using(db).bulk_create(
        [CalendarYear(year=year, loaded_at=now, source="package", note="chinese-calendar") for year in todo]
    )


class Migration(migrations.Migration):
    dependencies = [("workdays", "0001_initial")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop, elidable=True)]
