"""The issue's bad-input and failure cases for the service desk that need real dates, real
concurrency or a crash half-way."""

from __future__ import annotations

from datetime import datetime, timedelta

import pytest
from django.db import connection
from django.utils import timezone

from govcube.core.errors import Conflict
from govcube.notifications.models import Notification
from govcube.services import services as s
from govcube.services.models import ReminderSent, RequestStatus, ServiceRequest
from govcube.services.sla import resolution_due
from govcube.services.sweep import sla_sweep
from govcube.workdays.calendar import TZ
from tests.deliberation.test_concurrency import fresh, run_together


def test_a_deadline_across_spring_festival_counts_the_make_up_saturday(db):
    # Filed on Fri 2026-02-13: Sat 14 Feb is a make-up working day (1), 15–23 Feb are the holiday,
    # then Tue 24 (2), Wed 25 (3), Thu 26 (4), Fri 27 (5): due at the close of business on 27 Feb.
    due = resolution_due(datetime(2026, 2, 13, 10, 0, tzinfo=TZ), 5)
    assert due.astimezone(TZ).strftime("%Y-%m-%d %H:%M") == "2026-02-27 18:00"


def _file(desk, world):
    return s.request_submit(
        actor=desk.contact,
        enterprise=world.ent_a,
        building=world.henglong,
        item=desk.permit,
        title="外籍员工工作许可",
        description="需要了解材料。",
    )


@pytest.mark.django_db
def test_a_sweep_killed_half_way_and_run_again_misses_nothing_and_repeats_nothing(desk, world, monkeypatch):
    requests = [_file(desk, world) for _ in range(4)]
    late = max(r.resolution_due for r in requests) + timedelta(days=5)
    monkeypatch.setattr(timezone, "now", lambda: late)

    import govcube.services.sweep as sweep

    real_send = sweep._send_once
    calls = {"n": 0}

    def crash_after_three(*args, **kwargs):
        calls["n"] += 1
        if calls["n"] > 3:
            raise RuntimeError("worker killed")
        return real_send(*args, **kwargs)

    monkeypatch.setattr(sweep, "_send_once", crash_after_three)
    with pytest.raises(RuntimeError):
        sla_sweep(late)
    assert ReminderSent.objects.count() == 3
    monkeypatch.setattr(sweep, "_send_once", real_send)
    sla_sweep(late)
    # Each request: first response and resolution both breached → breach + lead escalation each,
    # and the resolution a working day late → district escalation: 5 reminders per request.
    assert ReminderSent.objects.count() == 5 * len(requests)
    sent = Notification.objects.filter(code__startswith="services.sla.").count()
    assert sla_sweep(late) == 0
    assert Notification.objects.filter(code__startswith="services.sla.").count() == sent


@pytest.mark.postgres
@pytest.mark.skipif(connection.vendor != "postgresql", reason="concurrency needs PostgreSQL")
@pytest.mark.django_db(transaction=True)
def test_two_staff_accepting_at_the_same_instant_one_wins_the_other_is_told_who(desk, world):
    request = _file(desk, world)
    results = run_together(
        [
            lambda: s.request_action(
                actor=fresh(desk.hr_member), request=ServiceRequest.objects.get(pk=request.pk), action="accept"
            ),
            lambda: s.request_action(
                actor=fresh(desk.hr_coordinator), request=ServiceRequest.objects.get(pk=request.pk), action="accept"
            ),
        ]
    )
    outcomes = sorted(kind for kind, _value in results)
    assert outcomes == ["error", "ok"]
    error = next(value for kind, value in results if kind == "error")
    winner = next(value for kind, value in results if kind == "ok")
    assert isinstance(error, Conflict) and winner.owner.username in error.message
    assert ServiceRequest.objects.get(pk=request.pk).status == RequestStatus.IN_PROGRESS
