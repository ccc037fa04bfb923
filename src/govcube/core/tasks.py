from __future__ import annotations

from django_tasks import task


@task()
def purge_idempotency_records() -> int:
    from govcube.core.idempotency import purge_idempotency_records as purge

    return purge()
