"""Working-day arithmetic on China's official calendar. Every deadline in GovCube uses it.

The core is pure: a ``Calendar`` holds the official holidays, the make-up working days
(调休上班), the years whose calendar is loaded and the office hours; its methods touch no
database. ``load_calendar()`` builds one from the ``workdays`` tables and keeps it in
memory; services invalidate it when the calendar changes (a version token in Django's
cache tells the other processes).

Rules:

* a make-up working day is a working day; an official holiday is not; otherwise Monday
  to Friday are working days and Saturday and Sunday are not. A year that is not loaded
  has no exceptions, so it falls back to Monday–Friday (``missing_years`` tells which);
* dates are ``datetime.date``; instants are timezone-aware ``datetime`` (a naive datetime
  is refused with ``ValueError``); results are aware datetimes in Asia/Shanghai;
* office hours come from ``settings.GOVCUBE_OFFICE_HOURS`` ("09:00-12:00,13:00-18:00").

Counting is O(log n): the number of working days up to a date is the number of weekdays
(a closed formula) minus the holidays on weekdays plus the make-up days on weekends up to
it (two bisections). Adding days or hours searches that monotone count.

The module-level functions (``is_working_day(d)`` …) are shorthands for the same methods
of ``load_calendar()``; pass ``calendar=`` to use another one.
"""

from __future__ import annotations

import re
import threading
import time as monotonic_time
import uuid
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta
from decimal import Decimal
from zoneinfo import ZoneInfo

TZ = ZoneInfo("Asia/Shanghai")
DEFAULT_OFFICE_HOURS = "09:00-12:00,13:00-18:00"
_US_PER_SECOND = 1_000_000
_US_PER_DAY = 86_400 * _US_PER_SECOND

Pause = tuple[datetime, datetime | None]  # (from, to); to=None: still paused


# --- Office hours ---------------------------------------------------------------------------

_PERIOD = re.compile(r"^(\d{2}):(\d{2})-(\d{2}):(\d{2})$")


@dataclass(frozen=True)
class OfficeHours:
    """The office periods of a working day, as microseconds after midnight (local time)."""

    periods: tuple[tuple[int, int], ...]

    @classmethod
    def parse(cls, text: str) -> OfficeHours:
        """Parse "09:00-12:00,13:00-18:00" strictly: HH:MM-HH:MM, in order, not overlapping.

        Raises ``ValueError`` naming the bad part. "24:00" is allowed as an end.
        """
        parts = [part.strip() for part in (text or "").split(",")]
        if parts == [""]:
            raise ValueError("office hours are empty; expected e.g. 09:00-12:00,13:00-18:00")
        periods: list[tuple[int, int]] = []
        for part in parts:
            match = _PERIOD.match(part)
            if not match:
                raise ValueError(f"office hours period {part!r} is not HH:MM-HH:MM")
            h1, m1, h2, m2 = (int(g) for g in match.groups())
            if h1 > 23 or m1 > 59 or m2 > 59 or h2 > 24 or (h2 == 24 and m2):
                raise ValueError(f"office hours period {part!r} is not a valid time range")
            start = (h1 * 60 + m1) * 60 * _US_PER_SECOND
            end = (h2 * 60 + m2) * 60 * _US_PER_SECOND
            if start >= end:
                raise ValueError(f"office hours period {part!r} ends before it starts")
            if periods and start < periods[-1][1]:
                raise ValueError(f"office hours period {part!r} overlaps or precedes the one before it")
            periods.append((start, end))
        return cls(tuple(periods))

    @property
    def day_length(self) -> int:
        """Office time of one working day, in microseconds."""
        return sum(end - start for start, end in self.periods)

    @property
    def opens(self) -> time:
        return _clock(self.periods[0][0])

    @property
    def closes(self) -> time:
        return _clock(self.periods[-1][1])

    def elapsed(self, us_of_day: int) -> int:
        """Office time from midnight to this moment of a working day, in microseconds."""
        return sum(max(0, min(us_of_day, end) - start) for start, end in self.periods)

    def moment(self, office_us: int) -> int:
        """The earliest moment of a working day by which ``office_us`` of office time has passed."""
        for start, end in self.periods:
            length = end - start
            if office_us <= length:
                return start + office_us
            office_us -= length
        return self.periods[-1][1]

    def __str__(self) -> str:
        return ",".join(f"{_clock(s):%H:%M}-{_hhmm(e)}" for s, e in self.periods)


def _clock(us_of_day: int) -> time:
    seconds, micro = divmod(us_of_day, _US_PER_SECOND)
    if seconds >= 86_400:
        return time.max
    return time(seconds // 3600, seconds // 60 % 60, seconds % 60, micro)


def _hhmm(us_of_day: int) -> str:
    return "24:00" if us_of_day >= _US_PER_DAY else f"{_clock(us_of_day):%H:%M}"


# --- The calendar ---------------------------------------------------------------------------


def _weekdays_through(ordinal: int) -> int:
    """Mondays–Fridays among the days 1..ordinal (day 1, 0001-01-01, was a Monday)."""
    weeks, rest = divmod(ordinal, 7)
    return weeks * 5 + min(rest, 5)


def _as_date(value: date | datetime) -> date:
    if isinstance(value, datetime):
        return local(value).date()
    if isinstance(value, date):
        return value
    raise TypeError(f"expected a date or datetime, got {type(value).__name__}")


def local(moment: datetime) -> datetime:
    """The instant in Asia/Shanghai; a naive datetime is a bug and is refused."""
    if not isinstance(moment, datetime):
        raise TypeError(f"expected a datetime, got {type(moment).__name__}")
    if moment.tzinfo is None or moment.utcoffset() is None:
        raise ValueError("working-time arithmetic needs a timezone-aware datetime")
    return moment.astimezone(TZ)


def _to_us(amount: float | int | Decimal | timedelta) -> int:
    if isinstance(amount, timedelta):
        return (amount.days * 86_400 + amount.seconds) * _US_PER_SECOND + amount.microseconds
    return int(round(Decimal(str(amount)) * 3600 * _US_PER_SECOND))


@dataclass(frozen=True, eq=False)
class Calendar:
    """Official exceptions, loaded years and office hours. Pure: no database inside."""

    holidays: frozenset[date] = frozenset()
    makeup_days: frozenset[date] = frozenset()
    loaded_years: frozenset[int] = frozenset()
    office_hours: OfficeHours = field(default_factory=lambda: OfficeHours.parse(DEFAULT_OFFICE_HOURS))
    _weekday_holidays: tuple[int, ...] = field(init=False, repr=False)
    _weekend_makeups: tuple[int, ...] = field(init=False, repr=False)

    def __post_init__(self) -> None:
        for name in ("holidays", "makeup_days", "loaded_years"):
            object.__setattr__(self, name, frozenset(getattr(self, name)))
        both = self.holidays & self.makeup_days
        if both:
            raise ValueError(f"{min(both)} is both a holiday and a make-up working day")
        weekday_holidays = sorted(d.toordinal() for d in self.holidays if d.weekday() < 5)
        weekend_makeups = sorted(d.toordinal() for d in self.makeup_days if d.weekday() >= 5)
        object.__setattr__(self, "_weekday_holidays", tuple(weekday_holidays))
        object.__setattr__(self, "_weekend_makeups", tuple(weekend_makeups))

    # -- years ----------------------------------------------------------------------------

    def is_year_loaded(self, year: int) -> bool:
        return year in self.loaded_years

    def missing_years(self, years: Iterable[int]) -> list[int]:
        """The given years whose calendar is not loaded (they count Monday–Friday)."""
        return sorted({int(y) for y in years} - self.loaded_years)

    # -- days -----------------------------------------------------------------------------

    def is_working_day(self, day: date | datetime) -> bool:
        day = _as_date(day)
        if day in self.makeup_days:
            return True
        if day in self.holidays:
            return False
        return day.weekday() < 5

    def _rank(self, ordinal: int) -> int:
        """Working days among all days up to and including this one (a monotone count)."""
        return (
            _weekdays_through(ordinal)
            - bisect_right(self._weekday_holidays, ordinal)
            + bisect_right(self._weekend_makeups, ordinal)
        )

    def _first_with_rank(self, rank: int, hint: int) -> int:
        """The smallest ordinal whose rank reaches ``rank`` (always a working day), searched near ``hint``."""
        step = 16
        lo, hi = hint - step, hint + step
        while self._rank(lo) >= rank:
            step *= 2
            lo = hint - step
        while self._rank(hi) < rank:
            step *= 2
            hi = hint + step
        while hi - lo > 1:  # invariant: rank(lo) < rank <= rank(hi)
            mid = (lo + hi) // 2
            if self._rank(mid) >= rank:
                hi = mid
            else:
                lo = mid
        return hi

    def working_days_between(self, start: date | datetime, end: date | datetime) -> int:
        """Working days after ``start`` up to and including ``end``; negative when ``end`` is earlier.

        ``working_days_between(d, add_working_days(d, n)) == n`` for every n >= 0, and the count is
        additive: between(a, b) + between(b, c) == between(a, c).
        """
        return self._rank(_as_date(end).toordinal()) - self._rank(_as_date(start).toordinal())

    def add_working_days(self, start: date | datetime, days: int) -> date | datetime:
        """The ``days``-th working day after ``start`` (``start`` itself is not counted).

        Negative ``days`` go back: the |days|-th working day before ``start``. ``days == 0``
        returns ``start`` unchanged. A datetime keeps its local time of day and comes back
        as an aware datetime in Asia/Shanghai.
        """
        if isinstance(days, bool) or not isinstance(days, int):
            raise TypeError("days must be an integer")
        if isinstance(start, datetime):
            moment = local(start)
            if days == 0:
                return moment
            result = self.add_working_days(moment.date(), days)
            return datetime.combine(result, moment.timetz())
        day = _as_date(start)
        if days == 0:
            return day
        ordinal = day.toordinal()
        rank = self._rank(ordinal)
        if days > 0:
            target = rank + days
            hint = ordinal + days * 7 // 5
        else:
            target = rank + days + (0 if self.is_working_day(day) else 1)
            hint = ordinal + days * 7 // 5
        return date.fromordinal(self._first_with_rank(target, hint))

    def next_working_day(self, day: date | datetime, *, include_today: bool = True) -> date:
        """``day`` itself when it is a working day (and ``include_today``), else the next one."""
        day = _as_date(day)
        if include_today and self.is_working_day(day):
            return day
        return self.add_working_days(day, 1)

    # -- office time ----------------------------------------------------------------------

    def close_of_business(self, day: date) -> datetime:
        """The end of office hours on that day, as an aware datetime."""
        return datetime.combine(day, self.office_hours.closes, tzinfo=TZ)

    def _office_clock(self, moment: datetime) -> int:
        """Office time (µs) from the epoch to this instant: a monotone, continuous clock."""
        moment = local(moment)
        day = moment.date()
        ordinal = day.toordinal()
        elapsed = 0
        if self.is_working_day(day):
            us_of_day = ((moment.hour * 60 + moment.minute) * 60 + moment.second) * _US_PER_SECOND
            elapsed = self.office_hours.elapsed(us_of_day + moment.microsecond)
        return self._rank(ordinal - 1) * self.office_hours.day_length + elapsed

    def _instant_at(self, clock: int, hint: int) -> datetime:
        """The earliest instant at which the office clock reads ``clock`` (> 0)."""
        length = self.office_hours.day_length
        rank, rest = divmod(clock, length)
        if rest == 0:  # exactly the close of the rank-th working day
            rest = length
        else:
            rank += 1
        ordinal = self._first_with_rank(rank, hint)
        us_of_day = self.office_hours.moment(rest)
        return datetime.combine(date.fromordinal(ordinal), time(tzinfo=TZ)) + timedelta(microseconds=us_of_day)

    def add_working_hours(self, start: datetime, hours: float | int | Decimal | timedelta) -> datetime:
        """The earliest instant by which ``hours`` of office time have passed since ``start``.

        Outside office hours the clock waits for the next office period: Friday 17:00 plus
        2 hours is Monday 10:00 on an ordinary week (09:00-12:00,13:00-18:00); a result at
        the end of a period is that end (12:00, not 13:00). ``hours`` may be a timedelta of
        office time; negative amounts are refused.
        """
        amount = _to_us(hours)
        if amount < 0:
            raise ValueError("hours must not be negative")
        moment = local(start)
        if amount == 0:
            return moment
        target = self._office_clock(moment) + amount
        hint = moment.date().toordinal() + amount * 7 // (5 * self.office_hours.day_length)
        return max(moment, self._instant_at(target, hint))

    def working_time_between(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> timedelta:
        """Office time from ``start`` to ``end`` on working days, minus the pauses.

        ``pauses`` are (from, to) instants, ``to=None`` meaning "still paused"; they may
        overlap each other and reach outside [start, end]. An ``end`` before ``start``
        counts nothing.
        """
        start, end = local(start), local(end)
        if end <= start:
            return timedelta(0)
        total = self._office_clock(end) - self._office_clock(start)
        for p_from, p_to in _merge_pauses(pauses, start, end):
            total -= self._office_clock(p_to) - self._office_clock(p_from)
        return timedelta(microseconds=total)

    def working_hours_between(self, start: datetime, end: datetime, pauses: Iterable[Pause] = ()) -> float:
        """``working_time_between`` in hours."""
        return self.working_time_between(start, end, pauses) / timedelta(hours=1)


def _merge_pauses(pauses: Iterable[Pause], start: datetime, end: datetime) -> list[tuple[datetime, datetime]]:
    clipped = []
    for pause in pauses:
        p_from, p_to = pause
        p_from = max(local(p_from), start)
        p_to = end if p_to is None else min(local(p_to), end)
        if p_to > p_from:
            clipped.append((p_from, p_to))
    clipped.sort()
    merged: list[tuple[datetime, datetime]] = []
    for p_from, p_to in clipped:
        if merged and p_from <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], p_to))
        else:
            merged.append((p_from, p_to))
    return merged


# --- Loading and caching --------------------------------------------------------------------

VERSION_CACHE_KEY = "govcube:workdays:calendar-version"
RECHECK_SECONDS = 5.0  # how often a process asks the shared cache whether the calendar changed
MAX_AGE_SECONDS = 300.0  # rebuild at least this often, whatever the shared cache says


@dataclass
class _Entry:
    calendar: Calendar
    version: str | None
    built: float
    checked: float


_lock = threading.Lock()
_entry: _Entry | None = None


def office_hours_from_settings() -> OfficeHours:
    from django.conf import settings

    return OfficeHours.parse(getattr(settings, "GOVCUBE_OFFICE_HOURS", DEFAULT_OFFICE_HOURS))


def build_calendar() -> Calendar:
    """Read the workdays tables (two queries) into a fresh Calendar."""
    from govcube.workdays.models import CalendarDay, CalendarYear, DayKind

    holidays, makeups = set(), set()
    for day, kind in CalendarDay.objects.values_list("date", "kind"):
        (makeups if kind == DayKind.MAKEUP_WORKDAY else holidays).add(day)
    years = frozenset(CalendarYear.objects.values_list("year", flat=True))
    return Calendar(holidays, makeups, years, office_hours_from_settings())


def _shared_version() -> str | None:
    from django.core.cache import cache

    return cache.get(VERSION_CACHE_KEY)


def load_calendar() -> Calendar:
    """The current calendar, built once and cached in memory (refreshed when it changes)."""
    global _entry
    now = monotonic_time.monotonic()
    entry = _entry
    if entry is not None and now - entry.built < MAX_AGE_SECONDS:
        if now - entry.checked < RECHECK_SECONDS:
            return entry.calendar
        version = _shared_version()
        if version == entry.version:
            entry.checked = now
            return entry.calendar
    with _lock:
        version = _shared_version()  # read before building: a change racing the build forces a rebuild
        calendar = build_calendar()
        _entry = _Entry(calendar, version, now, now)
    return calendar


def clear_local_cache() -> None:
    """Forget this process's copy (the next ``load_calendar`` reads the tables)."""
    global _entry
    with _lock:
        _entry = None


def invalidate_calendar() -> None:
    """The calendar changed: forget this process's copy and tell the others (call after commit)."""
    from django.core.cache import cache

    clear_local_cache()
    cache.set(VERSION_CACHE_KEY, uuid.uuid4().hex, None)


# --- Shorthands on the current calendar -----------------------------------------------------


def is_working_day(day: date | datetime, *, calendar: Calendar | None = None) -> bool:
    return (calendar or load_calendar()).is_working_day(day)


def add_working_days(start: date | datetime, days: int, *, calendar: Calendar | None = None) -> date | datetime:
    return (calendar or load_calendar()).add_working_days(start, days)


def next_working_day(day: date | datetime, *, include_today: bool = True, calendar: Calendar | None = None) -> date:
    return (calendar or load_calendar()).next_working_day(day, include_today=include_today)


def working_days_between(start: date | datetime, end: date | datetime, *, calendar: Calendar | None = None) -> int:
    return (calendar or load_calendar()).working_days_between(start, end)


def add_working_hours(
    start: datetime, hours: float | int | Decimal | timedelta, *, calendar: Calendar | None = None
) -> datetime:
    return (calendar or load_calendar()).add_working_hours(start, hours)


def working_time_between(
    start: datetime, end: datetime, pauses: Iterable[Pause] = (), *, calendar: Calendar | None = None
) -> timedelta:
    return (calendar or load_calendar()).working_time_between(start, end, pauses)


def close_of_business(day: date, *, calendar: Calendar | None = None) -> datetime:
    return (calendar or load_calendar()).close_of_business(day)


def is_year_loaded(year: int, *, calendar: Calendar | None = None) -> bool:
    return (calendar or load_calendar()).is_year_loaded(year)


def missing_years(years: Iterable[int], *, calendar: Calendar | None = None) -> list[int]:
    return (calendar or load_calendar()).missing_years(years)
