"""Service levels on the Chinese working-day calendar: three clocks, paused while waiting.

* first response: ``policy.first_response_hours`` working hours after submission;
* update: while a request is handled, the enterprise hears from us at least every
  ``policy.update_hours`` working hours (reset by every message to the enterprise);
* resolution: the close of business of the ``policy.resolution_days``-th working day after
  submission, moved later by approved extensions and by the working time spent waiting
  on the enterprise.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.utils import timezone

from govcube.workdays import calendar as wd


def first_response_due(submitted_at: datetime, policy) -> datetime:
    return wd.add_working_hours(submitted_at, policy.first_response_hours)


def update_due(from_moment: datetime, policy) -> datetime:
    return wd.add_working_hours(from_moment, policy.update_hours)


def resolution_due(submitted_at: datetime, days: int) -> datetime:
    """Close of business on the ``days``-th working day after the day of submission."""
    day = wd.add_working_days(wd.local(submitted_at).date(), days)
    return wd.close_of_business(day)


def shift_by_working_time(due: datetime, working: timedelta) -> datetime:
    """The due moment moved later by an amount of working time (used after a pause)."""
    if working <= timedelta(0):
        return due
    return wd.add_working_hours(due, working)


def paused_working_time(paused_at: datetime, resumed_at: datetime) -> timedelta:
    return wd.working_time_between(paused_at, resumed_at)


@dataclass(frozen=True)
class Remaining:
    """Working time left on a clock (negative once overdue) and its colour."""

    seconds: int
    tone: str  # "ok", "soon" or "overdue"

    @property
    def hours(self) -> float:
        return round(self.seconds / 3600, 1)


def remaining(
    due: datetime | None, *, warn_hours: float = 2.0, now: datetime | None = None, paused_at: datetime | None = None
) -> Remaining | None:
    """Working time between now (or the moment the clock paused) and the due moment."""
    if due is None:
        return None
    moment = paused_at or now or timezone.now()
    if moment <= due:
        seconds = int(wd.working_time_between(moment, due).total_seconds())
        tone = "soon" if seconds <= warn_hours * 3600 else "ok"
    else:
        seconds = -int(wd.working_time_between(due, moment).total_seconds())
        tone = "overdue"
    return Remaining(seconds, tone)
