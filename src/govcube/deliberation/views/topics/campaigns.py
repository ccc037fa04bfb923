"""Topic collection campaigns (议题征集): list, create, the campaign page with counts, closing early."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govcube.bodies.permissions import is_manager
from govcube.bodies.selectors import body_get
from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import paginate
from govcube.deliberation import selectors, services
from govcube.deliberation.forms_topics import CampaignForm
from govcube.deliberation.models import Campaign, TopicStatus
from govcube.deliberation.views.topics.common import body_context, form_error
from govcube.deliberation.workflows import BUILDING_STATES

CAMPAIGN_STATES = {"upcoming": _("Upcoming"), "open": _("Open"), "closed": _("Closed")}


@access.login
def campaign_list(request, body_id: int):
    user = request.user
    body = body_get(user=user, pk=body_id)
    manages = is_manager(user, body)
    counted = Q() if manages else Q(topics__status__in=BUILDING_STATES)
    qs = (
        selectors.campaign_list(user=user, body=body)
        .annotate(topic_count=Count("topics", filter=counted))
        .order_by("-opens_at", "-pk")
    )
    page = paginate(request, qs)
    return render(
        request,
        "deliberation/campaigns/list.html",
        body_context(user, body) | {"page": page, "campaign_states": CAMPAIGN_STATES},
    )


def _default_window() -> dict:
    start = timezone.localtime().replace(minute=0, second=0, microsecond=0) + timedelta(hours=1)
    return {"opens_at": start, "closes_at": start + timedelta(days=14)}


@access.login
def campaign_new(request, body_id: int):
    user = request.user
    body = body_get(user=user, pk=body_id)
    if not is_manager(user, body):
        raise PermissionDenied
    form = CampaignForm(request.POST if request.method == "POST" else None, initial=_default_window())
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            campaign = services.campaign_create(
                actor=user,
                body=body,
                title=data["title"],
                question=data["question"],
                categories=data["categories"],
                opens_at=data["opens_at"],
                closes_at=data["closes_at"],
            )
        except DomainError as exc:
            if exc.status == 403:
                raise PermissionDenied from exc
            form_error(form, exc)
        else:
            messages.success(request, gettext("The campaign is created."))
            return redirect("deliberation:campaign_detail", pk=campaign.pk)
    context = body_context(user, body) | {"form": form}
    return render(request, "deliberation/campaigns/form.html", context, status=400 if form.errors else 200)


def _campaign_context(request, campaign: Campaign, **extra) -> dict:
    user = request.user
    body = campaign.body
    topics = selectors.topic_list(user=user, body=body).filter(campaign=campaign).order_by()
    by_state = dict(topics.values_list("status").annotate(n=Count("pk")))
    by_category = dict(topics.values_list("category").annotate(n=Count("pk")).order_by("-n")[:50])
    categories = [(name, by_category.pop(name, 0)) for name in campaign.categories]
    uncategorised = by_category.pop("", 0)
    categories += sorted(by_category.items(), key=lambda pair: (-pair[1], pair[0]))
    if uncategorised:
        categories.append((gettext("Uncategorised"), uncategorised))
    state = campaign.state
    return (
        body_context(user, body)
        | {
            "campaign": campaign,
            "state": state,
            "campaign_states": CAMPAIGN_STATES,
            "by_state": [(value, label, by_state[value]) for value, label in TopicStatus.choices if value in by_state],
            "by_category": categories,
            "total": sum(by_state.values()),
            "can_raise": state == "open" and bool(user.person_id),
        }
        | extra
    )


@access.login
def campaign_detail(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    return render(request, "deliberation/campaigns/detail.html", _campaign_context(request, campaign))


@access.login
@require_POST
def campaign_close(request, pk: int):
    campaign = selectors.campaign_get(user=request.user, pk=pk)
    try:
        services.campaign_close(actor=request.user, campaign=campaign)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        context = _campaign_context(request, campaign, error=exc.message)
        return render(request, "deliberation/campaigns/detail.html", context, status=exc.status)
    messages.success(request, gettext("The campaign is closed."))
    return redirect("deliberation:campaign_detail", pk=campaign.pk)
