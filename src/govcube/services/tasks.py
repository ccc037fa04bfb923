from __future__ import annotations

from django_tasks import task


@task()
def run_sla_sweep() -> int:
    from govcube.services.sweep import sla_sweep

    return sla_sweep()
