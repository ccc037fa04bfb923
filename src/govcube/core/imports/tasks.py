"""The background task that runs an uploaded import (it takes the job's id, not the job)."""

from __future__ import annotations

from django_tasks import task


@task()
def run_import_job(job_id: int) -> str:
    from govcube.core.imports.services import import_job_run

    job = import_job_run(job_id=job_id)
    return job.status if job is not None else "missing"
