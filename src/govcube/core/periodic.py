"""Periodic jobs: what the scheduler enqueues for the task worker, and how often.

``manage.py run_scheduler`` (one process per deployment; ``make run`` starts one) enqueues each
job when it is due; the worker runs it. Every job is idempotent (running it twice sends
nothing twice), so a second scheduler or a restart costs nothing but a repeated sweep.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta

from django.utils import timezone
from django.utils.module_loading import import_string


@dataclass(frozen=True)
class Job:
    name: str
    task: str  # dotted path of a django-tasks task taking no arguments
    every: timedelta | None = None  # run every …
    daily_at: time | None = None  # … or once a day at this local time

    def due(self, last: datetime | None, now: datetime) -> bool:
        if self.every is not None:
            return last is None or now - last >= self.every
        local = timezone.localtime(now)
        today_at = local.replace(hour=self.daily_at.hour, minute=self.daily_at.minute, second=0, microsecond=0)
        return local >= today_at and (last is None or timezone.localtime(last) < today_at)


JOBS = [
    Job("sla_sweep", "govcube.services.tasks.run_sla_sweep", every=timedelta(minutes=5)),
    Job("petition_sweep", "govcube.engagement.tasks.run_petition_sweep", every=timedelta(hours=1)),
    Job("overdue_visits", "govcube.engagement.tasks.run_overdue_visit_sweep", daily_at=time(8, 0)),
    Job("webhook_retries", "govcube.notifications.tasks.retry_due_webhooks", every=timedelta(minutes=5)),
    Job("daily_digest", "govcube.notifications.tasks.send_daily_digest", daily_at=time(7, 30)),
    Job("idempotency_purge", "govcube.core.tasks.purge_idempotency_records", daily_at=time(3, 0)),
]


def enqueue_due(last_runs: dict[str, datetime], now: datetime | None = None) -> list[str]:
    """Enqueue the jobs that are due; updates ``last_runs`` in place and returns their names."""
    now = now or timezone.now()
    enqueued = []
    for job in JOBS:
        if job.due(last_runs.get(job.name), now):
            import_string(job.task).enqueue()
            last_runs[job.name] = now
            enqueued.append(job.name)
    return enqueued
