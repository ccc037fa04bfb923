"""Desk panels of the deliberation engine (see ``govcube.core.desk``).

Conveners and deputies see the topics waiting for screening and their open campaigns;
anyone linked to a person sees their latest topics. Each panel runs at most three queries
(the user's body roles are loaded once per request and shared). The rows are scoped by
construction: topics and campaigns of the bodies the user convenes, or the user's own topics.
"""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles
from govcube.core.desk import DeskItem, Panel, register
from govcube.deliberation.models import Campaign, Topic, TopicStatus

SCREEN_LIMIT = 10
CAMPAIGN_LIMIT = 10
MINE_LIMIT = 5
COUNT_CAP = 1000
WAITING_STATES = (TopicStatus.SUBMITTED, TopicStatus.SCREENING)


def convened_body_ids(user) -> list[int]:
    """Bodies in which the user is convener or deputy convener (by their person's memberships)."""
    return sorted(body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES)


def topics_to_screen(user) -> Panel | None:
    body_ids = convened_body_ids(user)
    if not body_ids:
        return None
    waiting = Topic.objects.filter(body_id__in=body_ids, body__is_active=True, status__in=WAITING_STATES)
    rows = list(waiting.select_related("body").order_by("created", "pk")[:SCREEN_LIMIT])
    count = waiting.order_by()[: COUNT_CAP + 1].count() if len(rows) == SCREEN_LIMIT else len(rows)
    several = len(body_ids) > 1
    items = [
        DeskItem(
            label=f"{topic.title} · {topic.body.name}" if several else topic.title,
            url=reverse("deliberation:topic_detail", args=[topic.pk]),
            meta=f"{topic.get_status_display()} · {timezone.localtime(topic.created):%Y-%m-%d}",
        )
        for topic in rows
    ]
    shown = f"{COUNT_CAP:,}+" if count > COUNT_CAP else f"{count:,}"
    more_url = "" if several else reverse("deliberation:topic_list", args=[body_ids[0]])
    return Panel(
        title=_("Topics to screen (%(count)s)") % {"count": shown},
        items=items,
        empty=_("No topic is waiting to be screened."),
        more_url=more_url,
        order=10,
    )


def open_campaigns(user) -> Panel | None:
    body_ids = convened_body_ids(user)
    if not body_ids:
        return None
    now = timezone.now()
    rows = list(
        Campaign.objects.filter(
            body_id__in=body_ids, closed_early_at__isnull=True, opens_at__lte=now, closes_at__gt=now
        )
        .select_related("body")
        .annotate(topic_count=Count("topics"))
        .order_by("closes_at", "pk")[:CAMPAIGN_LIMIT]
    )
    items = []
    for campaign in rows:
        closes = timezone.localtime(campaign.closes_at)
        meta = _("%(count)s topics · closes %(date)s") % {"count": campaign.topic_count, "date": f"{closes:%Y-%m-%d}"}
        items.append(
            DeskItem(
                label=f"{campaign.title} · {campaign.body.name}",
                url=reverse("deliberation:campaign_detail", args=[campaign.pk]),
                meta=meta,
                tone="warning" if campaign.closes_at - now < timedelta(days=2) else "",
            )
        )
    return Panel(
        title=_("Open campaigns"),
        items=items,
        empty=_("No topic collection campaign is open."),
        more_url=reverse("deliberation:campaign_list", args=[body_ids[0]]) if len(body_ids) == 1 else "",
        order=20,
    )


def my_topics(user) -> Panel | None:
    if not getattr(user, "person_id", None):
        return None
    rows = list(Topic.objects.filter(proposer_id=user.person_id).order_by("-created", "-pk")[:MINE_LIMIT])
    items = [
        DeskItem(
            label=topic.title,
            url=reverse("deliberation:topic_detail", args=[topic.pk]),
            meta=str(topic.get_status_display()),
        )
        for topic in rows
    ]
    return Panel(
        title=_("My topics"),
        items=items,
        empty=_("You have not raised a topic yet."),
        more_url=reverse("deliberation:topic_mine") if rows else "",
        order=60,
    )


register("deliberation.topics_to_screen", topics_to_screen)
register("deliberation.open_campaigns", open_campaigns)
register("deliberation.my_topics", my_topics)
