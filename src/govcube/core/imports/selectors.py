"""Reads of import jobs: a user sees the jobs they uploaded; anyone else's is a 404."""

from __future__ import annotations

from django.db.models import QuerySet
from django.shortcuts import get_object_or_404

from govcube.core.imports.models import ImportJob

LIST_FIELDS = (
    "id",
    "kind",
    "mode",
    "status",
    "filename",
    "size",
    "total_rows",
    "progress",
    "created_count",
    "updated_count",
    "unchanged_count",
    "error_count",
    "created",
    "finished",
    "created_by_id",
)


def import_job_list(*, user) -> QuerySet[ImportJob]:
    """The user's own jobs, newest first, without the stored workbooks."""
    return ImportJob.objects.filter(created_by=user).only(*LIST_FIELDS).order_by("-created", "-id")


def import_job_get(*, user, pk: int) -> ImportJob:
    """One of the user's jobs with its error list (the workbook and the report stay unloaded)."""
    return get_object_or_404(ImportJob.objects.filter(created_by=user).defer("content", "report"), pk=pk)


def import_job_report(*, user, pk: int) -> ImportJob:
    """One of the user's jobs with its error report; a job without one is a 404."""
    return get_object_or_404(
        ImportJob.objects.filter(created_by=user, report__isnull=False).only("id", "kind", "report", "created_by_id"),
        pk=pk,
    )
