"""Desk panels of the work app (see ``govcube.core.desk``)."""

from __future__ import annotations
