"""Helpers shared by the topic and campaign pages."""

from __future__ import annotations

from django.urls import reverse
from django.utils import timezone

from govcube.bodies.models import Body, Mechanism
from govcube.bodies.permissions import is_manager
from govcube.core.errors import DomainError
from govcube.deliberation.models import Campaign, Topic
from govcube.territory.selectors import node_list


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def body_context(user, body: Body) -> dict:
    """Breadcrumbs along the territory down to the body, and what the user may do in it."""
    crumbs = []
    node = body.node
    if node is not None:
        paths = [node.path[: node.steplen * depth] for depth in range(1, node.depth + 1)]
        crumbs = list(node_list(user=user).filter(path__in=paths).order_by("depth"))
    return {
        "body": body,
        "crumbs": crumbs,
        "body_url": reverse("bodies:body", args=[body.pk]),
        "manages": is_manager(user, body),
        "collects_topics": body.has(Mechanism.TOPIC_COLLECTION),
    }


def form_error(form, exc: DomainError) -> None:
    """The service's message next to its field; a hidden field's (a stale version) above the form."""
    field = form.fields.get(exc.field or "")
    form.add_error(exc.field if field is not None and not field.widget.is_hidden else None, exc.message)


def open_campaigns(body: Body):
    now = timezone.now()
    return Campaign.objects.filter(body=body, closed_early_at__isnull=True, opens_at__lte=now, closes_at__gt=now)


def shows_proposer(topic: Topic, user) -> bool:
    """Mirrors ``selectors.proposer_display``: may this user see who raised the topic?"""
    return not topic.is_anonymous or user.person_id == topic.proposer_id or is_manager(user, topic.body)
