"""The working-day calendar: only the exceptions are stored.

A weekday is a working day and a weekend day is not, unless a ``CalendarDay`` says
otherwise (an official holiday, or a make-up working day on a weekend). A year counts
as loaded when it has a ``CalendarYear`` row; a year without one falls back to
Monday–Friday and is flagged on /healthz and on the calendar page.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TimeStampedModel

MIN_YEAR = 1990
MAX_YEAR = 2200


class DayKind(models.TextChoices):
    HOLIDAY = "holiday", _("Official holiday")
    MAKEUP_WORKDAY = "makeup_workday", _("Make-up working day")


class Source(models.TextChoices):
    PACKAGE = "package", _("chinese-calendar package")
    FILE = "file", _("File (State Council notice)")
    MANUAL = "manual", _("Entered by hand")


class CalendarDay(TimeStampedModel):
    date = models.DateField(_("date"), unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=DayKind.choices)
    name = models.CharField(_("name"), max_length=100, blank=True, help_text=_("For example 国庆节 (National Day)."))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices, default=Source.MANUAL)

    class Meta:
        ordering = ["date"]
        verbose_name = _("calendar day")
        verbose_name_plural = _("calendar days")
        constraints = [
            models.CheckConstraint(condition=models.Q(kind__in=DayKind.values), name="workdays_day_kind_valid"),
            models.CheckConstraint(condition=models.Q(source__in=Source.values), name="workdays_day_source_valid"),
        ]

    def __str__(self) -> str:
        return f"{self.date:%Y-%m-%d} {self.get_kind_display()} {self.name}".strip()

    def clean(self) -> None:
        super().clean()
        if self.date and not (MIN_YEAR <= self.date.year <= MAX_YEAR):
            message = _("Dates from %(min)s to %(max)s only.") % {"min": MIN_YEAR, "max": MAX_YEAR}
            raise ValidationError({"date": ValidationError(message, code="out_of_range")})
        if self.date and self.kind == DayKind.MAKEUP_WORKDAY and self.date.weekday() < 5:
            message = _("A make-up working day must fall on a Saturday or a Sunday.")
            raise ValidationError({"kind": ValidationError(message, code="makeup_on_weekday")})


class CalendarYear(models.Model):
    """A year whose official calendar is loaded (its holidays and make-up days are all present)."""

    year = models.PositiveSmallIntegerField(
        _("year"), unique=True, validators=[MinValueValidator(MIN_YEAR), MaxValueValidator(MAX_YEAR)]
    )
    loaded_at = models.DateTimeField(_("loaded at"))
    source = models.CharField(_("source"), max_length=10, choices=Source.choices)
    note = models.CharField(_("note"), max_length=200, blank=True)

    class Meta:
        ordering = ["year"]
        verbose_name = _("calendar year")
        verbose_name_plural = _("calendar years")

    def __str__(self) -> str:
        return str(self.year)
