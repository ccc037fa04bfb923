"""The working-day calendar page: a year as month grids, its exceptions, and the forms to change it."""

from __future__ import annotations

from pathlib import Path

from django.contrib import messages
from django.http import FileResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import WEEKDAYS_ABBR
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from govcube.core import access
from govcube.core.errors import DomainError
from govcube.workdays import selectors, services
from govcube.workdays.calendar import office_hours_from_settings
from govcube.workdays.files import parse_year_file
from govcube.workdays.forms import DayRemoveForm, DaySetForm, YearUploadForm
from govcube.workdays.models import MAX_YEAR, MIN_YEAR, DayKind, Source

PERMISSION = "workdays.change_workday"
EXAMPLE_FILE = Path(__file__).resolve().parent / "data" / "2027.example.csv"


def _year(raw: str | None) -> int:
    """The year asked for; anything unusable means this year (a bad parameter never fails the page)."""
    try:
        year = int(raw or "")
    except ValueError:
        return timezone.localdate().year
    return year if MIN_YEAR <= year <= MAX_YEAR else timezone.localdate().year


def _page_url(year: int) -> str:
    return f"{reverse('workdays:calendar')}?year={year}"


def _ranges(years: list[int]) -> list[str]:
    """[2004, 2005, 2006, 2009] → ["2004–2006", "2009"]."""
    out: list[list[int]] = []
    for year in sorted(years):
        if out and year == out[-1][1] + 1:
            out[-1][1] = year
        else:
            out.append([year, year])
    return [str(a) if a == b else f"{a}–{b}" for a, b in out]


def _render(request, year: int, *, day_form=None, upload_form=None, error: str = "", status: int = 200):
    overview = selectors.year_overview(year)
    loaded = {row.year for row in selectors.loaded_years()}
    missing_required = [y for y in selectors.required_years() if y not in loaded]
    try:
        office_hours = str(office_hours_from_settings())
    except ValueError:
        office_hours = ""
    context = {
        "overview": overview,
        "year": year,
        "previous_year": year - 1 if year > MIN_YEAR else None,
        "next_year": year + 1 if year < MAX_YEAR else None,
        "loaded_ranges": _ranges(sorted(loaded)),
        "missing_required": missing_required,
        "office_hours": office_hours,
        "weekday_names": [WEEKDAYS_ABBR[i] for i in range(7)],
        "day_form": day_form or DaySetForm(),
        "upload_form": upload_form or YearUploadForm(initial={"year": year}),
        "kinds": DayKind,
        "error": error,
    }
    return render(request, "workdays/calendar.html", context, status=status)


@access.permission(PERMISSION)
@require_safe
def calendar(request):
    return _render(request, _year(request.GET.get("year")))


def _field(form, exc: DomainError) -> str | None:
    return exc.field if exc.field in form.fields else None


@access.permission(PERMISSION)
@require_POST
def day_set(request):
    form = DaySetForm(request.POST)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        day = form.cleaned_data["date"]
        try:
            services.calendar_day_set(
                actor=request.user, date=day, kind=form.cleaned_data["kind"], name=form.cleaned_data["name"]
            )
        except DomainError as exc:
            form.add_error(_field(form, exc), exc.message)
        else:
            messages.success(request, _("%(date)s was saved.") % {"date": day.isoformat()})
            return redirect(_page_url(day.year))
    return _render(request, year, day_form=form, status=400)


@access.permission(PERMISSION)
@require_POST
def day_remove(request):
    form = DayRemoveForm(request.POST)
    year = _year(request.POST.get("year"))
    if not form.is_valid():
        return _render(request, year, error=_("Choose a valid date to remove."), status=400)
    day = form.cleaned_data["date"]
    try:
        services.calendar_day_remove(actor=request.user, date=day)
    except DomainError as exc:
        return _render(request, year, error=exc.message, status=exc.status)
    messages.success(request, _("%(date)s now follows the Monday–Friday rule.") % {"date": day.isoformat()})
    return redirect(_page_url(day.year))


@access.permission(PERMISSION)
@require_POST
def upload(request):
    form = YearUploadForm(request.POST, request.FILES)
    year = _year(request.POST.get("year"))
    if form.is_valid():
        year = form.cleaned_data["year"]
        upload_file = form.cleaned_data["file"]
        try:
            parsed = parse_year_file(upload_file.read(), filename=upload_file.name)
            if parsed.year is not None and parsed.year != year:
                raise DomainError(
                    "workdays.file.year_mismatch",
                    _("The file declares the year %(declared)s, not %(year)s.")
                    % {"declared": parsed.year, "year": year},
                    field="year",
                )
            services.calendar_year_load(
                actor=request.user,
                year=year,
                rows=parsed.rows,
                source=Source.FILE,
                note=form.cleaned_data["note"],
                replace=form.cleaned_data["replace"],
            )
        except DomainError as exc:
            form.add_error(_field(form, exc), exc.message)
        else:
            messages.success(
                request,
                _("The calendar for %(year)s was loaded: %(count)s days.") % {"year": year, "count": len(parsed.rows)},
            )
            return redirect(_page_url(year))
    return _render(request, year, upload_form=form, status=400)


@access.permission(PERMISSION)
@require_safe
def example_file(request):
    """The example template (NOT an official calendar) to fill in from the State Council's notice."""
    return FileResponse(
        EXAMPLE_FILE.open("rb"), as_attachment=True, filename="2027.example.csv", content_type="text/csv"
    )
