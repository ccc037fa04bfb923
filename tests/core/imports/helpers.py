"""Building test workbooks in memory and running imports the way the page does."""

from __future__ import annotations

from io import BytesIO

from django.core.files.uploadedfile import SimpleUploadedFile
from openpyxl import Workbook, load_workbook

from govcube.audit.models import AuditEvent
from govcube.core.imports.models import ImportJob
from govcube.core.imports.services import import_job_create
from govcube.core.imports.specs import SPECS

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def headers(kind: str, *fields: str) -> list[str]:
    """The Chinese headers of the given columns (all columns when none are named)."""
    spec = SPECS[kind]
    columns = [spec.column(name) for name in fields] if fields else list(spec.columns)
    return [column.zh for column in columns]


def xlsx(header: list, rows: list[list], *, write_only: bool = False) -> bytes:
    book = Workbook(write_only=write_only)
    sheet = book.create_sheet() if write_only else book.active
    sheet.append(header)
    for row in rows:
        sheet.append(row)
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def upload(content: bytes, name: str = "data.xlsx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=XLSX)


def run_import(capture, user, kind: str, content: bytes, mode: str = "all_or_nothing") -> ImportJob:
    """Upload through the service; the background task runs when the transaction commits."""
    with capture(execute=True):
        job = import_job_create(actor=user, kind=kind, mode=mode, upload=upload(content))
    job.refresh_from_db()
    return job


def read_xlsx(content: bytes) -> list[tuple]:
    sheet = load_workbook(BytesIO(content), read_only=True, data_only=True).worksheets[0]
    return [tuple(row) for row in sheet.iter_rows(values_only=True)]


def data_audit_count() -> int:
    """Audit events written for the imported records (the job's own life cycle excluded)."""
    return AuditEvent.objects.exclude(action__startswith="core.importjob.").count()


def counts(job: ImportJob) -> tuple[int, int, int, int]:
    return job.created_count, job.updated_count, job.unchanged_count, job.error_count
