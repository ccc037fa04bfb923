"""The /api/v1 resources of the evaluation app."""

from ninja import Router

router = Router(tags=["evaluation"])
