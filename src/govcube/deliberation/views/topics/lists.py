"""Topic lists: per body, and the user's own."""

from __future__ import annotations

from django.shortcuts import render

from govcube.bodies.selectors import body_get
from govcube.core import access
from govcube.core.listing import paginate
from govcube.deliberation import selectors
from govcube.deliberation.models import Topic, TopicStatus
from govcube.deliberation.views.topics.common import body_context


def _topic_filters(request) -> dict:
    state = request.GET.get("state", "")
    campaign = request.GET.get("campaign", "")
    return {
        "state": state if state in TopicStatus.values else "",
        "category": request.GET.get("category", "").strip()[:50],
        "campaign": int(campaign) if campaign.isdigit() else None,
        "q": request.GET.get("q", "").strip()[:100],
    }


def _filtered(qs, filters: dict):
    if filters["state"]:
        qs = qs.filter(status=filters["state"])
    if filters["category"]:
        qs = qs.filter(category=filters["category"])
    if filters["campaign"]:
        qs = qs.filter(campaign_id=filters["campaign"])
    if filters["q"]:
        qs = qs.filter(title__icontains=filters["q"])
    return qs


@access.login
def topic_list(request, body_id: int):
    user = request.user
    body = body_get(user=user, pk=body_id)
    visible = selectors.topic_list(user=user, body=body)
    filters = _topic_filters(request)
    qs = _filtered(visible, filters).select_related("proposer", "campaign").order_by("-created", "-pk")
    page = paginate(request, qs)
    for topic in page.rows:
        topic.body = body  # already loaded: the proposer check needs it
        topic.proposer_label = selectors.proposer_display(topic, user)
    categories = list(
        visible.exclude(category="").order_by("category").values_list("category", flat=True).distinct()[:50]
    )
    context = body_context(user, body) | {
        "page": page,
        "filters": filters,
        "states": TopicStatus.choices,
        "categories": categories,
        "campaigns": list(selectors.campaign_list(user=user, body=body).order_by("-opens_at")[:50]),
    }
    return render(request, "deliberation/topics/list.html", context)


@access.login
def topic_mine(request):
    user = request.user
    mine = (
        selectors.topic_list(user=user).filter(proposer_id=user.person_id) if user.person_id else Topic.objects.none()
    )
    page = paginate(request, mine.select_related("body", "campaign").order_by("-created", "-pk"))
    return render(request, "deliberation/topics/mine.html", {"page": page, "has_person": bool(user.person_id)})
