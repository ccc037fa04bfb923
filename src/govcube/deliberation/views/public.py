"""Public pages of the deliberation engine: what was raised, decided and delivered, readable by anyone.

Every read goes through ``govcube.deliberation.public_selectors``, which decides what is public;
these views only parse the request and render. No person's name, mobile, attendance or
registration reaches these pages.
"""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, path, reverse
from django.utils import timezone
from django.views.decorators.http import require_safe

from govcube.core import access
from govcube.core.listing import paginate
from govcube.deliberation import public_selectors as selectors
from govcube.deliberation.models import MeetingStatus, TopicStatus
from govcube.deliberation.sanitise import sanitise_html
from govcube.evaluation.selectors import public_record

TOPIC_BADGES = {
    TopicStatus.ACCEPTED: "text-bg-primary",
    TopicStatus.ON_AGENDA: "text-bg-info",
    TopicStatus.DELIBERATED: "text-bg-warning",
    TopicStatus.DECIDED: "text-bg-success",
    TopicStatus.CLOSED: "text-bg-secondary",
}
MEETING_BADGES = {
    MeetingStatus.SCHEDULED: "text-bg-primary",
    MeetingStatus.IN_PROGRESS: "text-bg-warning",
    MeetingStatus.ENDED: "text-bg-secondary",
}


def _is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def member_meeting_url(pk: int) -> str:
    """The members' meeting page (it asks anonymous visitors to sign in), where observers register."""
    try:
        return reverse("deliberation:meeting_detail", args=[pk])
    except NoReverseMatch:
        root = reverse("deliberation:public_index").removesuffix("public/")
        return f"{root}meetings/{pk}/"


def _with_badges(topics):
    for topic in topics:
        topic.badge = TOPIC_BADGES.get(topic.status, "text-bg-secondary")
    return topics


def _meeting_rows(meetings, now):
    for meeting in meetings:
        meeting.badge = MEETING_BADGES.get(meeting.status, "text-bg-secondary")
        meeting.seats_left = selectors.seats_left(meeting)
        meeting.registration_open = selectors.registration_open(meeting, now)
        meeting.member_url = member_meeting_url(meeting.pk)
    return meetings


@access.public
@require_safe
def public_index(request):
    """Bodies with public content, grouped by street, with counts; a search over names, streets and buildings."""
    search = request.GET.get("q", "").strip()[: selectors.MAX_SEARCH]
    context = {"page": paginate(request, selectors.public_body_list(search=search)), "q": search}
    if _is_htmx(request):
        return render(request, "deliberation/public/index.html#results", context)
    return render(request, "deliberation/public/index.html", context)


@access.public
@require_safe
def public_body(request, pk: int):
    """A body's public record: upcoming meetings with agendas, public topics, published decisions, and
    its record in numbers (topics, decisions, projects, petitions, ratings, evaluation results)."""
    body = selectors.public_body_get(pk)
    now = timezone.now()
    page = paginate(request, selectors.public_body_topics(body))
    _with_badges(page.rows)
    context = {
        "body": body,
        "buildings": list(body.buildings.all()),
        "upcoming": _meeting_rows(selectors.public_upcoming_meetings(body), now),
        "past": _meeting_rows(selectors.public_past_meetings(body), now),
        "page": page,
        "decisions": selectors.public_body_decisions(body),
    }
    if _is_htmx(request):
        return render(request, "deliberation/public/body.html#topics", context)
    context["record"] = public_record(body)
    return render(request, "deliberation/public/body.html", context)


@access.public
@require_safe
def public_topic(request, pk: int):
    """A public topic: its text, who raised it (an enterprise or "an employee"), status, outcome and meetings."""
    topic = selectors.public_topic_get(pk)
    _with_badges([topic])
    items = selectors.public_topic_meetings(topic)
    for item in items:
        item.meeting.badge = MEETING_BADGES.get(item.meeting.status, "text-bg-secondary")
    context = {
        "topic": topic,
        "text": sanitise_html(topic.text),
        "proposer": selectors.public_proposer_label(topic),
        "items": items,
    }
    return render(request, "deliberation/public/topic.html", context)


@access.public
@require_safe
def public_meeting(request, pk: int):
    """A meeting past its draft: agenda; once ended, the published minutes and decisions per item."""
    meeting = selectors.public_meeting_get(pk)
    _meeting_rows([meeting], timezone.now())
    context = {
        "meeting": meeting,
        "joint_bodies": list(meeting.joint_bodies.all()),
        "agenda": selectors.public_agenda(meeting),
        "ended": meeting.status == MeetingStatus.ENDED,
    }
    return render(request, "deliberation/public/meeting.html", context)


urlpatterns: list = [
    path("public/", public_index, name="public_index"),
    path("public/bodies/<int:pk>/", public_body, name="public_body"),
    path("public/topics/<int:pk>/", public_topic, name="public_topic"),
    path("public/meetings/<int:pk>/", public_meeting, name="public_meeting"),
]
