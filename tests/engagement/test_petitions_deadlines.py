"""Petition deadlines on the real 2026 calendar (the data migration's, from chinese-calendar).

Spring Festival 2026: holidays Sun 2026-02-15 … Mon 2026-02-23 (weekdays 02-16…02-20 and 02-23),
make-up working days Sat 2026-02-14 and Sat 2026-02-28. Mid-Autumn and National Day 2026: Fri
2026-09-25 and Thu 2026-10-01 … Wed 2026-10-07 off, make-up working days Sun 2026-09-20 and Sat
2026-10-10. The housing bureau acknowledges in 2 working days and answers in 10; the tax bureau
in 1 and 5.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from govcube.core.errors import DomainError
from govcube.engagement.models import Petition
from govcube.engagement.services import petition_deadlines
from govcube.services.models import Department
from govcube.workdays import calendar as wd
from govcube.workdays.models import CalendarDay, DayKind
from tests.engagement.conftest import on_day

pytestmark = pytest.mark.django_db


def deadlines(petition) -> dict[str, tuple[date, date]]:
    return {t.department.short_name: (t.acknowledge_by, t.answer_by) for t in petition.targets.all()}


def test_the_seeded_calendar_has_the_2026_holidays_and_make_up_days():
    kinds = dict(CalendarDay.objects.filter(date__year=2026).values_list("date", "kind"))
    for day in ["2026-02-14", "2026-02-28", "2026-09-20", "2026-10-10"]:
        assert kinds[date.fromisoformat(day)] == DayKind.MAKEUP_WORKDAY, day
    for day in ["2026-02-16", "2026-02-20", "2026-02-23", "2026-09-25", "2026-10-01", "2026-10-07"]:
        assert kinds[date.fromisoformat(day)] != DayKind.MAKEUP_WORKDAY, day
        assert not wd.is_working_day(date.fromisoformat(day)), day


def test_sent_on_the_last_friday_before_spring_festival(send, departments, monkeypatch):
    on_day(monkeypatch, date(2026, 2, 13))
    petition = send(departments=[departments.housing, departments.tax])
    assert deadlines(petition) == {
        # 2 / 10 working days: the make-up Saturday 02-14, then from Tue 02-24 (after the holiday)
        "区房管局": (date(2026, 2, 24), date(2026, 3, 5)),
        # the make-up Saturday 02-14 is the first working day after Friday
        "区税务局": (date(2026, 2, 14), date(2026, 2, 27)),
    }


def test_sent_on_the_make_up_saturday_the_day_before_the_holiday(send, departments, monkeypatch):
    on_day(monkeypatch, date(2026, 2, 14))
    petition = send(departments=[departments.housing, departments.tax])
    assert deadlines(petition) == {
        "区房管局": (date(2026, 2, 25), date(2026, 3, 6)),
        # the fifth working day after 02-14 is the make-up Saturday 02-28
        "区税务局": (date(2026, 2, 24), date(2026, 2, 28)),
    }


def test_sent_the_day_before_national_day(send, departments, monkeypatch):
    on_day(monkeypatch, date(2026, 9, 30))
    petition = send(departments=[departments.housing, departments.tax])
    assert deadlines(petition) == {
        "区房管局": (date(2026, 10, 9), date(2026, 10, 20)),
        # 10-08, 10-09, the make-up Saturday 10-10, 10-12, 10-13
        "区税务局": (date(2026, 10, 8), date(2026, 10, 13)),
    }


@pytest.mark.parametrize(
    ("sent", "requested", "answer_by"),
    [
        (date(2026, 2, 5), date(2026, 2, 18), date(2026, 2, 24)),  # a Spring Festival holiday → Tue 02-24
        (date(2026, 2, 5), date(2026, 2, 15), date(2026, 2, 24)),  # the Sunday the holiday starts
        (date(2026, 2, 5), date(2026, 2, 28), date(2026, 2, 28)),  # a make-up Saturday is a working day
        (date(2026, 2, 12), date(2026, 3, 1), date(2026, 3, 2)),  # an ordinary Sunday → Monday
        (date(2026, 9, 21), date(2026, 10, 1), date(2026, 10, 8)),  # National Day → Thu 10-08
        (date(2026, 9, 21), date(2026, 9, 25), date(2026, 9, 29)),  # earlier than the bureau's own date: kept
    ],
)
def test_a_requested_answer_date_moves_off_holidays(send, departments, monkeypatch, sent, requested, answer_by):
    on_day(monkeypatch, sent)
    petition = send(departments=[departments.tax], answer_by=requested)
    assert petition.targets.get().answer_by == answer_by


def test_a_requested_date_in_the_past_is_refused_and_nothing_is_stored(send, departments, monkeypatch):
    on_day(monkeypatch, date(2026, 2, 13))
    with pytest.raises(DomainError) as excinfo:
        send(answer_by=date(2026, 2, 12))
    assert excinfo.value.field == "answer_by"
    assert not Petition.objects.exists()


def test_a_department_acknowledging_later_than_it_answers_acknowledges_by_the_answer(departments):
    slow = Department(name="慢", short_name="慢", petition_acknowledge_days=20, petition_answer_days=5)
    acknowledge_by, answer_by = petition_deadlines(slow, date(2026, 9, 30))
    assert acknowledge_by == answer_by == date(2026, 10, 13)


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    start=st.dates(min_value=date(2026, 1, 5), max_value=date(2026, 11, 30)),
    acknowledge=st.integers(min_value=1, max_value=20),
    answer=st.integers(min_value=1, max_value=60),
    later=st.none() | st.integers(min_value=0, max_value=40),
)
def test_deadlines_are_working_days_counted_from_the_day_sent(db, start, acknowledge, answer, later):
    department = Department(petition_acknowledge_days=acknowledge, petition_answer_days=answer)
    requested = start + timedelta(days=later) if later is not None else None
    acknowledge_by, answer_by = petition_deadlines(department, start, requested)
    assert wd.is_working_day(acknowledge_by) and wd.is_working_day(answer_by)
    assert acknowledge_by <= answer_by
    assert wd.working_days_between(start, acknowledge_by) == min(acknowledge, wd.working_days_between(start, answer_by))
    own = wd.working_days_between(start, answer_by) == answer
    if requested is None:
        assert own
    else:
        # the department's own date, or the first working day on or after the requested one
        first_on_or_after = answer_by >= requested and not any(
            wd.is_working_day(requested + timedelta(days=n)) for n in range((answer_by - requested).days)
        )
        assert own or first_on_or_after
        assert wd.working_days_between(start, answer_by) >= answer
