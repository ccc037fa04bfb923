"""The /api/v1 resources of the work app."""

from ninja import Router

router = Router(tags=["work"])
