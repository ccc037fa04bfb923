"""What the meeting views share: htmx detection, scoped look-ups of items and decisions, the agenda read."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404

from govcube.bodies.models import Body
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.core.errors import DomainError
from govcube.deliberation import selectors
from govcube.deliberation.models import AgendaItem, Decision, Meeting, MeetingStatus, RegistrationStatus
from govcube.territory.selectors import node_ancestors

T = "deliberation/meetings/"
AGENDA_LIMIT = 200
REGISTRATIONS_LIMIT = 500


def is_htmx(request) -> bool:
    return request.headers.get("HX-Request") == "true"


def to_int(raw) -> int | None:
    try:
        return int(raw)
    except (TypeError, ValueError):
        return None


def form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def require_manager(user, meeting: Meeting) -> None:
    if not is_manager(user, meeting.body):
        raise PermissionDenied


def require_recorder(user, meeting: Meeting) -> None:
    if not is_recorder(user, meeting.body):
        raise PermissionDenied


def crumbs_of(user, body: Body) -> list:
    """The territory above the body, as far as the user may open it."""
    node = body.node
    if node is None:
        return []
    crumbs = node_ancestors(user=user, node=node)
    if user.has_perm("territory.view_node", node):
        crumbs.append(node)
    return crumbs


def item_get(request, item_id) -> AgendaItem:
    visible = selectors.meeting_list(user=request.user).values("pk")
    return get_object_or_404(
        AgendaItem.objects.select_related("meeting__body", "topic"), meeting__in=visible, pk=item_id
    )


def decision_get(request, decision_id) -> Decision:
    visible = selectors.meeting_list(user=request.user).values("pk")
    return get_object_or_404(
        Decision.objects.select_related("item__meeting__body"), item__meeting__in=visible, pk=decision_id
    )


def agenda(meeting: Meeting, *, votes: bool = False, only: int | None = None) -> list[AgendaItem]:
    """The ordered agenda with topics, decisions and follow-ups (and votes): a fixed number of queries."""
    qs = selectors.agenda_of(meeting)
    if votes:
        qs = qs.prefetch_related("decisions__votes")
    if only is not None:
        qs = qs.filter(pk=only)
    items = list(qs[:AGENDA_LIMIT])
    for item in items:
        item.meeting = meeting  # the workflow predicates read item.meeting.body: no query per item
        item.decision_list = list(item.decisions.all())
    return items


def observers(meeting: Meeting) -> dict:
    """The registrations a recorder sees: registered (with check-in) and the waiting list in order."""
    rows = list(selectors.registrations_of(meeting)[:REGISTRATIONS_LIMIT])
    return {
        "registered": [r for r in rows if r.status == RegistrationStatus.REGISTERED],
        "waiting": [r for r in rows if r.status == RegistrationStatus.WAITING],
        "checked_in": sum(1 for r in rows if r.checked_in_at),
        "can_check_in": meeting.status in (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS),
    }
