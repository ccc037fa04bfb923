from __future__ import annotations

from django_tasks import task


@task()
def run_petition_sweep() -> int:
    from govcube.engagement.services import petition_sweep

    return petition_sweep()


@task()
def run_overdue_visit_sweep() -> int:
    from govcube.engagement.services import overdue_visit_sweep

    return overdue_visit_sweep()
