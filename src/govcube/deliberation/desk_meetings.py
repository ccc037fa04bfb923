"""Desk panels of the meetings: upcoming meetings for members, my registrations for observers,
minutes waiting for approval for conveners. Each panel runs at most two queries, whatever the data size.

Registered on import (``DeliberationConfig.ready`` imports this module).
"""

from __future__ import annotations

from django.db.models import Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles
from govcube.core.desk import DeskItem, Panel, register
from govcube.deliberation.models import AgendaItem, Meeting, MeetingStatus, Registration, RegistrationStatus

UPCOMING_LIMIT = 5
REGISTRATIONS_LIMIT = 5
MINUTES_LIMIT = 10
LIVE = (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)


def _when(meeting: Meeting) -> str:
    return timezone.localtime(meeting.starts_at).strftime("%Y-%m-%d %H:%M")


def _meeting_url(meeting_id: int, anchor: str = "") -> str:
    return reverse("deliberation:meeting_detail", args=[meeting_id]) + anchor


def upcoming_meetings_panel(user) -> Panel | None:
    """Members: the next meetings of their bodies (joint meetings included)."""
    body_ids = sorted(body_roles(user))
    if not body_ids:
        return None
    ids = Meeting.objects.filter(
        Q(body_id__in=body_ids) | Q(joint_bodies__in=body_ids), status__in=LIVE, ends_at__gte=timezone.now()
    ).values("pk")
    meetings = Meeting.objects.filter(pk__in=ids).order_by("starts_at", "pk")[:UPCOMING_LIMIT]
    items = [
        DeskItem(
            label=meeting.title,
            url=_meeting_url(meeting.pk),
            meta=f"{_when(meeting)} · {meeting.get_status_display()}",
            tone="warning" if meeting.status == MeetingStatus.IN_PROGRESS else "",
        )
        for meeting in meetings
    ]
    more = reverse("deliberation:meeting_list", args=[body_ids[0]]) if len(body_ids) == 1 else ""
    return Panel(title=_("Upcoming meetings"), items=items, empty=_("No meetings coming up."), more_url=more, order=30)


def my_registrations_panel(user) -> Panel | None:
    """Observers: the meetings they registered for or wait for."""
    if not getattr(user, "person_id", None):
        return None
    registrations = list(
        Registration.objects.filter(
            person_id=user.person_id,
            status__in=(RegistrationStatus.REGISTERED, RegistrationStatus.WAITING),
            meeting__status__in=LIVE,
            meeting__ends_at__gte=timezone.now(),
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "pk")[:REGISTRATIONS_LIMIT]
    )
    if not registrations:
        return None
    items = [
        DeskItem(
            label=r.meeting.title,
            url=_meeting_url(r.meeting_id, "#registration-box"),
            meta=f"{_when(r.meeting)} · {r.get_status_display()}",
            tone="warning" if r.status == RegistrationStatus.WAITING else "",
        )
        for r in registrations
    ]
    return Panel(title=_("My registrations"), items=items, order=35)


def minutes_to_approve_panel(user) -> Panel | None:
    """Conveners and deputies: agenda items of ended meetings whose minutes are still a draft."""
    managed = sorted(body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES)
    if not managed:
        return None
    items = (
        AgendaItem.objects.filter(
            meeting__body_id__in=managed,
            meeting__status=MeetingStatus.ENDED,
            minutes_status=AgendaItem.MinutesStatus.DRAFT,
        )
        .select_related("meeting")
        .order_by("meeting__starts_at", "order", "pk")[:MINUTES_LIMIT]
    )
    return Panel(
        title=_("Minutes to approve"),
        items=[
            DeskItem(
                label=f"{item.meeting.title} · {item.title}",
                url=_meeting_url(item.meeting_id, f"#item-{item.pk}"),
                meta=_when(item.meeting),
            )
            for item in items
        ],
        empty=_("No minutes wait for your approval."),
        order=32,
    )


register("deliberation.meetings.upcoming", upcoming_meetings_panel)
register("deliberation.meetings.registrations", my_registrations_panel)
register("deliberation.meetings.minutes", minutes_to_approve_panel)
