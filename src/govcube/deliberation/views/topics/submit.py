"""Raising a topic (a phone-first form) and editing one's own topic while it is editable."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext

from govcube.bodies.models import Body, Mechanism
from govcube.bodies.permissions import is_member
from govcube.bodies.selectors import body_covers_person, body_list
from govcube.core import access
from govcube.core.errors import DomainError
from govcube.deliberation import selectors, services
from govcube.deliberation.forms_topics import TopicEditForm, TopicForm, html_to_plain, plain_to_html
from govcube.deliberation.models import Campaign
from govcube.deliberation.views.topics.common import body_context, form_error, open_campaigns
from govcube.deliberation.workflows import TOPIC_STATES


def _submit_body(request, body_id: int) -> tuple[Body | None, str]:
    """The body to raise a topic in, or why this user cannot (the body's existence is public)."""
    user = request.user
    body = body_list(user=user).select_related("node").filter(pk=body_id, is_active=True).first()
    if body is None:
        if not Body.objects.filter(pk=body_id, is_active=True).exists():
            raise Http404
        return None, gettext("Only people working in the buildings this body covers can raise topics here.")
    if not body.has(Mechanism.TOPIC_COLLECTION):
        return None, gettext("This body does not collect topics.")
    if not user.person_id:
        return None, gettext("Your account is not linked to a person, so you cannot take part.")
    if not (body_covers_person(body, user.person) or is_member(user, body)):
        return None, gettext("Only people working in the buildings this body covers can raise topics here.")
    return body, ""


def _campaign_for(request, body: Body) -> Campaign | None:
    """The campaign named by ?campaign= (it must be this body's), else the body's one open campaign."""
    raw = request.POST.get("campaign") or request.GET.get("campaign") or ""
    if raw:
        campaign = None
        if raw.isdigit():
            campaign = selectors.campaign_list(user=request.user, body=body).filter(pk=int(raw)).first()
        if campaign is None:
            raise Http404
        return campaign
    open_now = list(open_campaigns(body)[:2])
    return open_now[0] if len(open_now) == 1 else None


@access.login
def topic_new(request, body_id: int):
    body, refusal = _submit_body(request, body_id)
    if body is None:
        return render(request, "deliberation/topics/cannot_submit.html", {"message": refusal}, status=403)
    campaign = _campaign_for(request, body)
    person = request.user.person
    employer = person.employer if person.employer_id else None
    form = TopicForm(
        request.POST if request.method == "POST" else None,
        categories=campaign.categories if campaign else None,
        employer_name=employer.name if employer else "",
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            topic = services.topic_submit(
                actor=request.user,
                body=body,
                title=data["title"],
                text=plain_to_html(data["text"]),
                category=data.get("category") or "",
                campaign=campaign,
                on_behalf_of=employer if data.get("on_behalf_of") else None,
                is_anonymous=data["is_anonymous"],
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            messages.success(request, gettext("Your topic is submitted. You will be told when it has been screened."))
            return redirect("deliberation:topic_detail", pk=topic.pk)
    context = body_context(request.user, body) | {"form": form, "campaign": campaign}
    return render(request, "deliberation/topics/form.html", context, status=400 if form.errors else 200)


@access.login
def topic_edit(request, pk: int):
    user = request.user
    topic = selectors.topic_get(user=user, pk=pk)
    if not (user.person_id and user.person_id == topic.proposer_id):
        raise PermissionDenied
    if not TOPIC_STATES[topic.status].editable:
        messages.error(request, gettext("The topic can no longer be edited."))
        return redirect("deliberation:topic_detail", pk=topic.pk)
    initial = {
        "version": topic.version,
        "title": topic.title,
        "text": html_to_plain(topic.text),
        "category": topic.category,
    }
    categories = topic.campaign.categories if topic.campaign else None
    form = TopicEditForm(request.POST if request.method == "POST" else None, initial=initial, categories=categories)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.topic_edit(
                    actor=user,
                    topic=topic,
                    version=data["version"],
                    title=data["title"],
                    text=plain_to_html(data["text"]),
                    category=data.get("category") or "",
                )
            except DomainError as exc:
                status = exc.status
                form_error(form, exc)
            else:
                messages.success(request, gettext("Saved."))
                return redirect("deliberation:topic_detail", pk=topic.pk)
    context = body_context(user, topic.body) | {"form": form, "topic": topic, "campaign": topic.campaign}
    return render(request, "deliberation/topics/form.html", context, status=status)
