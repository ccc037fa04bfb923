from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from govcube.core.periodic import JOBS, Job, enqueue_due

TZ = ZoneInfo("Asia/Shanghai")


def test_an_interval_job_is_due_after_its_interval():
    job = Job("x", "x", every=timedelta(minutes=5))
    now = datetime(2026, 11, 30, 10, 0, tzinfo=TZ)
    assert job.due(None, now)
    assert not job.due(now - timedelta(minutes=4), now)
    assert job.due(now - timedelta(minutes=5), now)


def test_a_daily_job_runs_once_after_its_time():
    job = Job("x", "x", daily_at=time(7, 30))
    before = datetime(2026, 11, 30, 7, 0, tzinfo=TZ)
    after = datetime(2026, 11, 30, 7, 31, tzinfo=TZ)
    assert not job.due(None, before)
    assert job.due(None, after)
    assert not job.due(after, after + timedelta(hours=3))
    assert job.due(after, after + timedelta(days=1))


@pytest.mark.django_db
def test_the_scheduler_runs_the_sla_sweep():
    from govcube.services.models import SweepRun

    last: dict = {}
    names = enqueue_due(last, datetime(2026, 11, 30, 8, 0, tzinfo=TZ))  # the immediate backend runs them at once
    assert "sla_sweep" in names and "daily_digest" in names
    assert SweepRun.objects.filter(name="sla", ok=True).exists()
    assert enqueue_due(last, datetime(2026, 11, 30, 8, 1, tzinfo=TZ)) == []
    assert {job.name for job in JOBS} == {
        "sla_sweep",
        "petition_sweep",
        "webhook_retries",
        "daily_digest",
        "idempotency_purge",
        "overdue_visits",
    }
