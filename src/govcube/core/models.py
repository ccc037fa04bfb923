"""Base models shared by every GovCube app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class VersionedModel(TimeStampedModel):
    """A row edited by people: edits carry the version they read (409 when stale)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


from govcube.core.imports.models import ImportJob  # noqa: E402, F401
