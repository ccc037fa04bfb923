"""The import job's life cycle: upload (checked at once), run in the background, finish or fail.

States move by a declared transition table (state, action → next state), each move audited as
``core.importjob.<action>``. (``core.workflows.transition_apply`` is meant for this, but it
cannot be imported at the moment; see ``IMPORT_FLOW``.)
"""

from __future__ import annotations

import logging
import os
from functools import partial

from django.conf import settings
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from govcube.accounts.permissions import active_assignments
from govcube.accounts.roles import ROLE_PERMISSIONS
from govcube.audit.services import audit_record
from govcube.core.errors import Conflict, DomainError
from govcube.core.imports import engine, workbook
from govcube.core.imports.models import ImportJob, ImportKind, ImportMode, ImportStatus
from govcube.core.imports.specs import SPECS
from govcube.core.middleware import current_ip, current_request_id
from govcube.core.services import require_perm

logger = logging.getLogger(__name__)

IMPORT_PERMISSION = "core.import_data"

# (state, action) → next state.
IMPORT_FLOW: dict[tuple[str, str], str] = {
    (ImportStatus.UPLOADED, "start"): ImportStatus.RUNNING,
    (ImportStatus.UPLOADED, "fail"): ImportStatus.FAILED,
    (ImportStatus.RUNNING, "finish"): ImportStatus.DONE,
    (ImportStatus.RUNNING, "fail"): ImportStatus.FAILED,
}
SUMMARY_FIELDS = ("total_rows", "created_count", "updated_count", "unchanged_count", "error_count")


def _uploader_scope(actor) -> tuple[int | None, int | None]:
    """The district and street of the role that lets this user import (for listing and the audit)."""
    for assignment in active_assignments(actor):
        if IMPORT_PERMISSION in ROLE_PERMISSIONS.get(assignment.role, frozenset()) and assignment.node is not None:
            return assignment.node.district_id, assignment.node.street_id
    return None, None


def _read_upload(upload) -> bytes:
    if upload is None:
        raise DomainError("imports.file.required", _("Choose an .xlsx file to import."), field="file")
    limit = settings.GOVCUBE_MAX_IMPORT_BYTES
    if upload.size is not None and upload.size > limit:
        raise DomainError(
            "imports.file.too_large",
            _("The file is larger than %(limit)s; split it into smaller files.") % {"limit": filesizeformat(limit)},
            field="file",
        )
    upload.seek(0)
    return upload.read(limit + 1)


def import_job_create(*, actor, kind: str, mode: str, upload) -> ImportJob:
    """Check the file and its header row now (a clear error, nothing stored); the rows are imported in the background."""
    require_perm(actor, IMPORT_PERMISSION)
    if kind not in ImportKind.values:
        raise DomainError("imports.kind.invalid", _("Choose what the file contains."), field="kind")
    if mode not in ImportMode.values:
        raise DomainError("imports.mode.invalid", _("Choose how to treat rows with errors."), field="mode")
    content = _read_upload(upload)
    workbook.inspect_upload(SPECS[kind], content)
    district_id, street_id = _uploader_scope(actor)
    with transaction.atomic():
        job = ImportJob.objects.create(
            kind=kind,
            mode=mode,
            filename=os.path.basename(upload.name or "")[:255] or "upload.xlsx",
            size=len(content),
            content=content,
            language=translation.get_language() or settings.LANGUAGE_CODE,
            request_id=current_request_id.get(),
            ip=current_ip.get(),
            created_by=actor,
            district_id=district_id,
            street_id=street_id,
        )
        audit_record(
            actor=actor,
            action="core.importjob.uploaded",
            obj=job,
            after={"kind": kind, "mode": mode, "filename": job.filename, "size": job.size},
        )
        from govcube.core.imports.tasks import run_import_job

        transaction.on_commit(partial(run_import_job.enqueue, job.pk))
    return job


def _transition(job: ImportJob, action: str, *, actor, fields: dict) -> ImportJob:
    with transaction.atomic():
        locked = ImportJob.objects.select_for_update().defer("content").get(pk=job.pk)
        target = IMPORT_FLOW.get((locked.status, action))
        if target is None:
            raise Conflict(
                f"core.importjob.{action}.not_allowed_in_state",
                _("This action is not possible in the current state."),
                field="status",
            )
        before = locked.status
        locked.status = target
        for name, value in fields.items():
            setattr(locked, name, value)
        locked.save(update_fields=["status", "modified", *fields])
        summary = {name: fields[name] for name in SUMMARY_FIELDS if name in fields}
        if "failure" in fields:
            summary["failure"] = fields["failure"]
        audit_record(
            actor=actor,
            action=f"core.importjob.{action}",
            obj=locked,
            before={"status": before},
            after={"status": target, **summary},
        )
    return locked


def _record_progress(job_id: int, done: int, total: int) -> None:
    """Rows checked so far: a counter, not a state, written between the short check transactions."""
    ImportJob.objects.filter(pk=job_id).update(progress=done, total_rows=total, modified=timezone.now())


def _result_fields(job: ImportJob, content: bytes, outcome: engine.Outcome) -> dict:
    errors = outcome.errors
    fields = {
        "total_rows": outcome.total,
        "progress": outcome.total,
        "created_count": outcome.created if outcome.stored else 0,
        "updated_count": outcome.updated if outcome.stored else 0,
        "unchanged_count": outcome.unchanged if outcome.stored else 0,
        "error_count": outcome.error_rows,
        "errors": errors.entries if errors else [],
        "finished": timezone.now(),
    }
    if outcome.error_rows:
        fields["report"] = workbook.error_report(content, errors_by_row=errors.by_row, error_header=_("Error"))
    if not outcome.stored:
        fields["failure"] = ngettext(
            "Nothing was stored: %(count)d row has errors. Correct it and import the file again, "
            "or choose to import only the valid rows.",
            "Nothing was stored: %(count)d rows have errors. Correct them and import the file again, "
            "or choose to import only the valid rows.",
            outcome.error_rows,
        ) % {"count": outcome.error_rows}
    return fields


def import_job_run(*, job_id: int) -> ImportJob | None:
    """Run an uploaded job (the background task calls this); a job already started is left alone."""
    job = ImportJob.objects.select_related("created_by").filter(pk=job_id).first()
    if job is None or job.status != ImportStatus.UPLOADED:
        return job
    actor = job.created_by
    content = bytes(job.content)
    request_token = current_request_id.set(job.request_id)
    ip_token = current_ip.set(job.ip)
    try:
        with translation.override(job.language):
            try:
                job = _transition(job, "start", actor=actor, fields={"started": timezone.now()})
            except Conflict:  # another worker started it a moment ago
                return ImportJob.objects.defer("content", "report").get(pk=job_id)
            try:
                outcome = engine.run(
                    kind=job.kind,
                    mode=job.mode,
                    content=content,
                    actor=actor,
                    progress=partial(_record_progress, job.pk),
                )
            except DomainError as exc:
                return _transition(
                    job, "fail", actor=actor, fields={"failure": exc.message, "finished": timezone.now()}
                )
            except Exception:
                logger.exception("import job %s stopped", job.pk)
                message = _(
                    "The import stopped because of an unexpected problem. Importing the same file again is safe: "
                    "rows already stored are recognised as unchanged."
                )
                return _transition(job, "fail", actor=actor, fields={"failure": message, "finished": timezone.now()})
            fields = _result_fields(job, content, outcome)
            return _transition(job, "finish" if outcome.stored else "fail", actor=actor, fields=fields)
    finally:
        current_request_id.reset(request_token)
        current_ip.reset(ip_token)
