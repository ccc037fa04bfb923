from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from govcube.core.health import Check

STALE_AFTER = timedelta(minutes=15)


def sla_sweep_check() -> Check:
    """A warning when the SLA sweep has not run successfully lately: reminders would stop."""
    from govcube.services.sweep import last_successful_run

    run = last_successful_run()
    if run is None:
        return Check(True, "the SLA sweep has never run", warning=True)
    age = timezone.now() - run.started
    detail = f"last run {timezone.localtime(run.started):%Y-%m-%d %H:%M}, {run.sent} sent"
    return Check(True, detail, warning=age > STALE_AFTER)
