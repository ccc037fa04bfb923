"""Writes to the working-day calendar: validated, permission-checked, audited, all-or-nothing.

``actor=None`` is the system itself (the data migration and the management commands):
no permission check, and the audit event carries no user.
Every change invalidates the in-memory calendar (see ``govcube.workdays.calendar``).
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.core.errors import DomainError, NotFound
from govcube.core.services import require_perm, validate
from govcube.workdays.calendar import clear_local_cache, invalidate_calendar
from govcube.workdays.files import YearRow, check_year_rows
from govcube.workdays.models import CalendarDay, CalendarYear, DayKind, Source

PERMISSION = "workdays.change_workday"
NOTE_MAX_LENGTH = 200


def _require(actor) -> None:
    if actor is not None:
        require_perm(actor, PERMISSION)


def _calendar_changed() -> None:
    # This process sees its own change at once; the others after the commit.
    clear_local_cache()
    transaction.on_commit(invalidate_calendar)


def _day_snapshot(day: CalendarDay | None) -> dict | None:
    if day is None:
        return None
    return {"date": day.date, "kind": day.kind, "name": day.name, "source": day.source}


def calendar_day_set(*, actor, date: date, kind: str, name: str = "") -> CalendarDay:
    """Mark one day as an official holiday or a make-up working day (creating or correcting it)."""
    _require(actor)
    if kind not in DayKind.values:
        raise DomainError("workdays.day.kind.invalid", _("Choose holiday or make-up working day."), field="kind")
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        before = _day_snapshot(day)
        if day is None:
            day = CalendarDay(date=date)
        day.kind, day.name, day.source = kind, (name or "").strip(), Source.MANUAL
        validate(day, "workdays.day")
        day.save()
        audit_record(
            actor=actor,
            action="workdays.day.set",
            obj=day,
            object_repr=day.date.isoformat(),
            before=before,
            after=_day_snapshot(day),
        )
        _calendar_changed()
    return day


def calendar_day_remove(*, actor, date: date) -> None:
    """Remove an exception: the day goes back to the Monday–Friday rule."""
    _require(actor)
    with transaction.atomic():
        day = CalendarDay.objects.select_for_update().filter(date=date).first()
        if day is None:
            raise NotFound("workdays.day.not_found", _("%(date)s is not in the calendar.") % {"date": date})
        before = _day_snapshot(day)
        pk = day.pk
        day.delete()
        audit_record(
            actor=actor,
            action="workdays.day.removed",
            object_type="workdays.calendarday",
            object_id=str(pk),
            object_repr=date.isoformat(),
            before=before,
        )
        _calendar_changed()


def calendar_year_load(
    *,
    actor,
    year: int,
    rows: Iterable[YearRow],
    source: str = Source.FILE,
    note: str = "",
    replace: bool = False,
) -> CalendarYear:
    """Load a whole year at once: its exceptions are replaced by ``rows`` and the year is marked loaded.

    All or nothing: the rows are checked first (see ``files.check_year_rows``) and any problem
    raises a DomainError naming the row and column, storing nothing. A year already loaded is
    only replaced with ``replace=True`` (its hand-made corrections are replaced too).
    """
    _require(actor)
    rows = check_year_rows(year, rows)
    if source not in Source.values:
        raise DomainError("workdays.year.source.invalid", _("Unknown source."), field="source")
    note = (note or "").strip()
    if len(note) > NOTE_MAX_LENGTH:
        raise DomainError(
            "workdays.year.note.too_long",
            _("At most %(count)s characters.") % {"count": NOTE_MAX_LENGTH},
            field="note",
        )
    with transaction.atomic():
        existing = CalendarYear.objects.select_for_update().filter(year=year).first()
        if existing is not None and not replace:
            raise DomainError(
                "workdays.year.already_loaded",
                _("The calendar for %(year)s is already loaded. Tick “replace” to load it again.") % {"year": year},
                field="replace",
            )
        in_year = CalendarDay.objects.filter(date__year=year)
        before = {
            "loaded": existing is not None,
            "source": existing.source if existing else None,
            "days": in_year.count(),
        }
        in_year.delete()
        CalendarDay.objects.bulk_create(
            [CalendarDay(date=row.date, kind=row.kind, name=row.name, source=source) for row in rows]
        )
        loaded, _created = CalendarYear.objects.update_or_create(
            year=year, defaults={"loaded_at": timezone.now(), "source": source, "note": note}
        )
        audit_record(
            actor=actor,
            action="workdays.year.loaded",
            obj=loaded,
            before=before,
            after={
                "source": source,
                "days": len(rows),
                "holidays": sum(1 for row in rows if row.kind == DayKind.HOLIDAY),
                "makeup_workdays": sum(1 for row in rows if row.kind == DayKind.MAKEUP_WORKDAY),
                "note": note,
            },
        )
        _calendar_changed()
    return loaded


# --- The chinese-calendar package -----------------------------------------------------------


def package_years() -> range:
    """The years the installed ``chinese-calendar`` package covers (2004–2026 for 1.11.0)."""
    from chinese_calendar.constants import holidays

    return range(min(holidays).year, max(holidays).year + 1)


def package_rows(year: int) -> list[YearRow]:
    """The year's holidays and make-up working days as the package lists them, named in Chinese."""
    from chinese_calendar.constants import Holiday, holidays, workdays

    def chinese(value: str) -> str:
        try:
            return Holiday(value).chinese
        except ValueError:
            return value

    rows = [YearRow(day, DayKind.HOLIDAY, chinese(name)) for day, name in holidays.items() if day.year == year]
    rows += [YearRow(day, DayKind.MAKEUP_WORKDAY, chinese(name)) for day, name in workdays.items() if day.year == year]
    return sorted(rows, key=lambda row: row.date)


def calendar_seed_from_package(*, actor=None, years: Iterable[int] | None = None) -> list[int]:
    """Load the package's years that are not loaded yet; returns the years loaded.

    Idempotent: a loaded year (from the package, a file or by hand) is never touched.
    """
    _require(actor)
    covered = set(package_years())
    wanted = sorted(covered if years is None else {int(y) for y in years})
    outside = [y for y in wanted if y not in covered]
    if outside:
        raise DomainError(
            "workdays.seed.not_covered",
            _("The chinese-calendar package covers %(first)s–%(last)s only, not %(year)s.")
            % {"first": min(covered), "last": max(covered), "year": outside[0]},
            field="years",
        )
    done = set(CalendarYear.objects.filter(year__in=wanted).values_list("year", flat=True))
    loaded = []
    for year in wanted:
        if year in done:
            continue
        calendar_year_load(
            actor=actor,
            year=year,
            rows=package_rows(year),
            source=Source.PACKAGE,
            note="chinese-calendar",
        )
        loaded.append(year)
    return loaded
