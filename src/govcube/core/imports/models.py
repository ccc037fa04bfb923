"""An import job: one uploaded workbook, its progress and its outcome."""

from __future__ import annotations

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from govcube.core.models import TimeStampedModel

# At most this many row errors are kept on the job (the error report has them all).
ERROR_CAP = 1000


class ImportKind(models.TextChoices):
    BUILDINGS = "buildings", _("Buildings")
    ENTERPRISES = "enterprises", _("Enterprises")
    TENANCIES = "tenancies", _("Tenancies")
    PEOPLE = "people", _("People")


class ImportMode(models.TextChoices):
    ALL_OR_NOTHING = "all_or_nothing", _("All or nothing: store nothing if any row has an error")
    VALID_ROWS = "valid_rows", _("Import the valid rows and report the others")


class ImportStatus(models.TextChoices):
    UPLOADED = "uploaded", _("Waiting")
    RUNNING = "running", _("Running")
    DONE = "done", _("Done")
    FAILED = "failed", _("Failed")


class ImportJob(TimeStampedModel):
    kind = models.CharField(_("kind"), max_length=20, choices=ImportKind.choices)
    mode = models.CharField(_("mode"), max_length=20, choices=ImportMode.choices, default=ImportMode.ALL_OR_NOTHING)
    status = models.CharField(
        _("status"), max_length=20, choices=ImportStatus.choices, default=ImportStatus.UPLOADED, editable=False
    )
    filename = models.CharField(_("file name"), max_length=255)
    size = models.PositiveIntegerField(_("size (bytes)"), default=0)
    # The workbook itself: kept in the database so any worker can read it (no shared disk needed).
    content = models.BinaryField(_("file"), editable=False)
    language = models.CharField(_("language"), max_length=10, default="zh-hans")
    request_id = models.CharField(_("request id"), max_length=64, blank=True, editable=False)
    ip = models.GenericIPAddressField(_("IP address"), null=True, blank=True, editable=False)
    total_rows = models.PositiveIntegerField(_("rows"), default=0)
    progress = models.PositiveIntegerField(_("rows checked"), default=0)
    created_count = models.PositiveIntegerField(_("created"), default=0)
    updated_count = models.PositiveIntegerField(_("updated"), default=0)
    unchanged_count = models.PositiveIntegerField(_("unchanged"), default=0)
    error_count = models.PositiveIntegerField(_("rows with errors"), default=0)
    # The first errors (row, column, letter, message), capped; the full list is in the report.
    errors = models.JSONField(_("errors"), default=list, blank=True)
    failure = models.TextField(_("reason for failure"), blank=True)
    report = models.BinaryField(_("error report"), null=True, blank=True, editable=False)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("uploaded by"), on_delete=models.PROTECT, related_name="+"
    )
    district = models.ForeignKey(
        "territory.Node", verbose_name=_("district"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    street = models.ForeignKey(
        "territory.Node", verbose_name=_("street"), null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    started = models.DateTimeField(_("started"), null=True, blank=True)
    finished = models.DateTimeField(_("finished"), null=True, blank=True)

    class Meta:
        verbose_name = _("import job")
        verbose_name_plural = _("import jobs")
        ordering = ["-created", "-id"]
        indexes = [models.Index(fields=["created_by", "-created"], name="importjob_user_created")]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} · {self.filename}"

    @property
    def is_active(self) -> bool:
        return self.status in (ImportStatus.UPLOADED, ImportStatus.RUNNING)

    @property
    def percent(self) -> int:
        if not self.total_rows:
            return 0 if self.is_active else 100
        return min(100, round(100 * self.progress / self.total_rows))

    @property
    def stored(self) -> bool:
        """Whether anything of this file was written (an all-or-nothing import with errors stores nothing)."""
        return self.status == ImportStatus.DONE

    @property
    def errors_truncated(self) -> bool:
        return len(self.errors) >= ERROR_CAP
