"""Base models shared by every GovCube app."""

from __future__ import annotations

from django.db import models
from django.utils.translation import gettext_lazy as _


class TimeStampedModel(models.Model):
    created = models.DateTimeField(_("created"), auto_now_add=True, db_index=True)
    modified = models.DateTimeField(_("modified"), auto_now=True)

    class Meta:
        abstract = True


class TerritoryScoped(models.Model):
    """Integer scope columns copied from the territory (see DESIGN's performance contract), so lists
    filter by an indexed integer, and ``district_id``/``street_id`` as the audit and the selectors read them."""

    district_id_scope = models.BigIntegerField(null=True, blank=True, db_column="district_scope", editable=False)
    street_id_scope = models.BigIntegerField(null=True, blank=True, db_column="street_scope", editable=False)

    class Meta:
        abstract = True

    @property
    def district_id(self):
        return self.district_id_scope

    @property
    def street_id(self):
        return self.street_id_scope

    def scope_to(self, place) -> None:
        """Take the scope of a building or territory node."""
        self.district_id_scope, self.street_id_scope = place.district_id, place.street_id


class VersionedModel(TimeStampedModel):
    """A row edited by people: edits carry the version they read (409 when stale)."""

    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        abstract = True


from govcube.core.idempotency import IdempotencyRecord  # noqa: E402, F401
from govcube.core.imports.models import ImportJob  # noqa: E402, F401
