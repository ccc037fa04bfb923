"""Topic collection campaigns (议题征集)."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import Body, Mechanism
from govcube.bodies.permissions import is_manager
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.services import validate
from govcube.deliberation.models import Campaign

MAX_CATEGORIES = 20


def campaign_create(
    *, actor, body: Body, title: str, opens_at, closes_at, question: str = "", categories: list[str] | None = None
) -> Campaign:
    if not is_manager(actor, body):
        raise PermissionDenied("deliberation.campaign.create.denied")
    if not body.has(Mechanism.TOPIC_COLLECTION):
        raise DomainError("deliberation.campaign.body.closed", _("This body does not collect topics."), field="body")
    if opens_at and closes_at and closes_at <= opens_at:
        raise DomainError(
            "deliberation.campaign.closes_at.before_open", _("A campaign must close after it opens."), field="closes_at"
        )
    if closes_at and closes_at <= timezone.now():
        raise DomainError(
            "deliberation.campaign.closes_at.past", _("The closing time is already past."), field="closes_at"
        )
    categories = [c.strip()[:50] for c in (categories or []) if c and c.strip()]
    if len(categories) > MAX_CATEGORIES:
        raise DomainError(
            "deliberation.campaign.categories.too_many", _("Twenty categories at most."), field="categories"
        )
    campaign = Campaign(
        body=body,
        title=(title or "").strip(),
        question=(question or "").strip(),
        categories=categories,
        opens_at=opens_at,
        closes_at=closes_at,
        created_by=actor,
    )
    validate(campaign, "deliberation.campaign", exclude=["created_by"])
    with transaction.atomic():
        campaign.save()
        audit_record(
            actor=actor,
            action="deliberation.campaign.created",
            obj=campaign,
            after={"title": campaign.title, "body": body.pk},
        )
    return campaign


def campaign_close(*, actor, campaign: Campaign) -> Campaign:
    """Close a campaign early; one that has not opened yet cannot be closed."""
    if not is_manager(actor, campaign.body):
        raise PermissionDenied("deliberation.campaign.close.denied")
    now = timezone.now()
    if now < campaign.opens_at:
        raise Conflict(
            "deliberation.campaign.close.not_open", _("This campaign has not opened yet."), field="closes_at"
        )
    if not campaign.is_open(now):
        raise Conflict("deliberation.campaign.close.closed", _("This campaign is already closed."))
    with transaction.atomic():
        campaign.closed_early_at = now
        campaign.version += 1
        campaign.save(update_fields=["closed_early_at", "version", "modified"])
        audit_record(actor=actor, action="deliberation.campaign.closed", obj=campaign)
    return campaign
