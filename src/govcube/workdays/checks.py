"""System checks: a bad OFFICE_HOURS setting fails loudly at start-up."""

from __future__ import annotations

from django.conf import settings
from django.core.checks import Error

from govcube.workdays.calendar import OfficeHours


def check_office_hours(app_configs=None, **kwargs) -> list[Error]:
    value = getattr(settings, "GOVCUBE_OFFICE_HOURS", None)
    try:
        OfficeHours.parse(value)
    except (TypeError, ValueError) as exc:
        return [
            Error(
                f"GOVCUBE_OFFICE_HOURS (environment variable OFFICE_HOURS) is invalid: {exc}.",
                hint='Use HH:MM-HH:MM periods separated by commas, e.g. "09:00-12:00,13:00-18:00".',
                id="workdays.E001",
            )
        ]
    return []
