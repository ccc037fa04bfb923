"""The topic page: text, proposer, support box (htmx), timeline, outcome and the actions open to this user."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST

from govcube.audit.models import AuditEvent
from govcube.core import access
from govcube.core.errors import Conflict, DomainError
from govcube.deliberation import selectors, services
from govcube.deliberation.forms_topics import TopicActionForm
from govcube.deliberation.models import MeetingStatus, Topic, TopicStatus, TopicSupport
from govcube.deliberation.views.topics.common import body_context, is_htmx, shows_proposer
from govcube.deliberation.workflows import TOPIC_FLOW, TOPIC_STATES

MERGE_TARGET_STATES = [TopicStatus.SUBMITTED, TopicStatus.SCREENING, TopicStatus.ACCEPTED, TopicStatus.ON_AGENDA]
TIMELINE_LIMIT = 100
# Support clicks are counted in the support box; listing each supporter would also name them.
TIMELINE_HIDDEN = ("deliberation.topic.supported", "deliberation.topic.unsupported")
TIMELINE_LABELS = {
    "deliberation.topic.submitted": _("submitted"),
    "deliberation.topic.edited": _("edited"),
    "deliberation.topic.screen": _("screening started"),
    "deliberation.topic.accept": _("accepted"),
    "deliberation.topic.decline": _("declined"),
    "deliberation.topic.merge": _("merged into another topic"),
    "deliberation.topic.refer": _("referred elsewhere"),
    "deliberation.topic.withdraw": _("withdrawn"),
    "deliberation.topic.schedule": _("put on an agenda"),
    "deliberation.topic.unschedule": _("taken off the agenda"),
    "deliberation.topic.deliberate": _("deliberated"),
    "deliberation.topic.decide": _("decision recorded"),
    "deliberation.topic.close": _("closed"),
}
ACTION_STYLES = {
    "screen": "primary",
    "accept": "success",
    "decline": "outline-danger",
    "merge": "outline-primary",
    "refer": "outline-primary",
    "withdraw": "outline-secondary",
    "schedule": "primary",
    "unschedule": "outline-secondary",
    "close": "outline-secondary",
}
DETAIL = "deliberation/topics/detail.html"


@dataclass
class TimelineRow:
    when: datetime
    action: str
    actor: str


def _timeline(topic: Topic, user) -> list[TimelineRow]:
    from govcube.accounts.models import User
    from govcube.notifications.messages import action_label

    events = list(
        AuditEvent.objects.filter(object_type="deliberation.topic", object_id=str(topic.pk))
        .exclude(action__in=TIMELINE_HIDDEN)
        .order_by("id")[:TIMELINE_LIMIT]
    )
    hidden_actors: set[int] = set()
    if not shows_proposer(topic, user):
        hidden_actors = set(User.objects.filter(person_id=topic.proposer_id).values_list("pk", flat=True))
    rows = []
    for event in events:
        label = TIMELINE_LABELS.get(event.action) or action_label(event.action.rsplit(".", 1)[-1])
        actor = gettext("Anonymous") if event.actor_id in hidden_actors else event.actor_name
        rows.append(TimelineRow(when=event.created, action=str(label), actor=actor))
    return rows


def _support_context(request, topic: Topic, error: str = "") -> dict:
    person_id = request.user.person_id
    supported = bool(person_id) and TopicSupport.objects.filter(topic=topic, person_id=person_id).exists()
    can_toggle = bool(person_id) and person_id != topic.proposer_id and TOPIC_STATES[topic.status].supportable
    return {"topic": topic, "supported": supported, "can_toggle": can_toggle, "support_error": error}


def _detail_context(request, topic: Topic, **extra) -> dict:
    user = request.user
    body = topic.body
    transitions = TOPIC_FLOW.available(topic, user)
    names = {t.action for t in transitions}
    merge_targets, schedule_meetings = [], []
    visible = selectors.topic_list(user=user, body=body)  # built once: it resolves the user's bodies
    if "merge" in names:
        merge_targets = list(
            visible.filter(status__in=MERGE_TARGET_STATES).exclude(pk=topic.pk).order_by("-created")[:100]
        )
    if "schedule" in names:
        schedule_meetings = list(
            selectors.meeting_list(user=user, body=body)
            .filter(status__in=[MeetingStatus.DRAFT, MeetingStatus.SCHEDULED])
            .order_by("starts_at")[:20]
        )
    meetings = list(selectors.meeting_list(user=user).filter(items__topic=topic).distinct().order_by("starts_at")[:20])
    for meeting in meetings:
        meeting.url = reverse("deliberation:meeting_detail", args=[meeting.pk])
    merged_here = list(visible.filter(merged_into=topic).order_by("created")[:20])
    return (
        body_context(user, body)
        | _support_context(request, topic)
        | {
            "topic": topic,
            "proposer": selectors.proposer_display(topic, user),
            "timeline": _timeline(topic, user),
            "actions": [
                {"name": t.action, "label": t.label, "style": ACTION_STYLES.get(t.action, "primary")}
                for t in transitions
                if t.action != "decide"
            ],
            "decide_in_meeting": "decide" in names,
            "merge_targets": merge_targets,
            "schedule_meetings": schedule_meetings,
            "meetings": meetings,
            "merged_here": merged_here,
            "can_edit": user.person_id == topic.proposer_id and TOPIC_STATES[topic.status].editable,
            "decided": topic.status in (TopicStatus.DECIDED, TopicStatus.CLOSED) or bool(topic.outcome),
        }
        | extra
    )


@access.login
def topic_detail(request, pk: int):
    topic = selectors.topic_get(user=request.user, pk=pk)
    return render(request, DETAIL, _detail_context(request, topic))


def _toggle_support(request, pk: int, service):
    topic = selectors.topic_get(user=request.user, pk=pk)
    error = ""
    try:
        topic = service(actor=request.user, topic=topic)
    except DomainError as exc:
        error = exc.message
    if is_htmx(request):
        # htmx swaps 2xx answers only: a refusal is shown inside the box.
        return render(request, f"{DETAIL}#support-box", _support_context(request, topic, error))
    if error:
        messages.error(request, error)
    return redirect("deliberation:topic_detail", pk=topic.pk)


@access.login
@require_POST
def topic_support(request, pk: int):
    return _toggle_support(request, pk, services.topic_support)


@access.login
@require_POST
def topic_unsupport(request, pk: int):
    return _toggle_support(request, pk, services.topic_unsupport)


def _apply_action(request, topic: Topic, action: str, data: dict) -> None:
    user = request.user
    if action == "decide":
        raise Conflict(
            "deliberation.topic.decide.in_meeting",
            gettext("A decision is recorded in the meeting, on the topic's agenda item."),
        )
    if action == "schedule":
        meeting = None
        if data.get("meeting"):
            meeting = selectors.meeting_list(user=user, body=topic.body).filter(pk=data["meeting"]).first()
        if meeting is None:
            raise DomainError(
                "deliberation.topic.schedule.meeting_required", gettext("Choose a meeting."), field="meeting"
            )
        services.agenda_item_add(actor=user, meeting=meeting, topic=topic)
        return
    merged_into = None
    if action == "merge" and data.get("merged_into"):
        merged_into = selectors.topic_list(user=user, body=topic.body).filter(pk=data["merged_into"]).first()
    services.topic_action(
        actor=user,
        topic=topic,
        action=action,
        reason=data.get("reason") or "",
        merged_into=merged_into,
        version=data.get("version"),
    )


@access.login
@require_POST
def topic_action(request, pk: int, action: str):
    if action not in TOPIC_FLOW.actions:
        raise Http404
    topic = selectors.topic_get(user=request.user, pk=pk)
    form = TopicActionForm(request.POST)
    data = form.cleaned_data if form.is_valid() else {}
    try:
        if not data:
            field, errors = next(iter(form.errors.items()))
            raise DomainError("deliberation.topic.action.invalid", errors[0], field=field)
        _apply_action(request, topic, action, data)
    except DomainError as exc:
        if exc.status == 403:
            raise PermissionDenied from exc
        posted = {"action": action, "reason": request.POST.get("reason", "")[:2000]}
        if exc.status == 409 or not exc.field:
            extra = {"conflict": exc.message, "posted": posted}
        else:
            extra = {"action_error": {"action": action, "field": exc.field, "message": exc.message}, "posted": posted}
        return render(request, DETAIL, _detail_context(request, topic, **extra), status=exc.status)
    transition = TOPIC_FLOW.find(topic.status, action)
    label = transition.label if transition else action
    messages.success(request, gettext("Done: %(action)s.") % {"action": label})
    return redirect("deliberation:topic_detail", pk=topic.pk)
