"""Desk panels of the evaluation app (see ``govcube.core.desk``)."""

from __future__ import annotations
