"""Reads of the deliberation engine, scoped to the acting user and to each topic state's visibility."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles, is_manager
from govcube.bodies.selectors import body_list
from govcube.deliberation.models import (
    AgendaItem,
    Campaign,
    Meeting,
    MeetingStatus,
    Registration,
    RegistrationStatus,
    Topic,
)
from govcube.deliberation.workflows import BUILDING_STATES, PUBLIC_STATES


def _managed_body_ids(user, bodies: QuerySet) -> list[int]:
    """Bodies the user manages: as convener/deputy, or as an official over their territory."""
    from govcube.accounts.permissions import scope_for

    managed = [body_id for body_id, roles in body_roles(user).items() if roles & MANAGING_ROLES]
    scope = scope_for(user, "bodies.change_body")
    if not scope.is_empty:
        managed += list(bodies.filter(scope.territory_q()).values_list("pk", flat=True))
    return sorted(set(managed))


def topic_list(*, user, body=None) -> QuerySet[Topic]:
    """Topics the user may see: all of the bodies they manage; in other visible bodies those whose
    state is visible to the building (or public); and always their own."""
    bodies = body_list(user=user)
    if body is not None:
        bodies = bodies.filter(pk=body.pk)
    managed = _managed_body_ids(user, bodies)
    q = Q(body__in=bodies.values("pk"), status__in=BUILDING_STATES)
    if managed:
        q |= Q(body_id__in=managed)
    if getattr(user, "person_id", None):
        q |= Q(proposer_id=user.person_id) & (Q(body=body) if body is not None else Q())
    return Topic.objects.filter(q)


def topic_get(*, user, pk: int) -> Topic:
    return get_object_or_404(
        topic_list(user=user).select_related("body", "proposer", "on_behalf_of", "campaign", "merged_into"), pk=pk
    )


def public_topic_list() -> QuerySet[Topic]:
    """What anyone may see on the public pages: topics in public states."""
    return Topic.objects.filter(status__in=PUBLIC_STATES)


def proposer_display(topic: Topic, user) -> str:
    """The proposer's name, or "anonymous" for those who may not see it."""
    from django.utils.translation import gettext as _

    if (
        not topic.is_anonymous
        or (getattr(user, "person_id", None) == topic.proposer_id)
        or is_manager(user, topic.body)
    ):
        return topic.proposer.name
    return _("Anonymous")


def campaign_list(*, user, body=None) -> QuerySet[Campaign]:
    bodies = body_list(user=user)
    qs = Campaign.objects.filter(body__in=bodies.values("pk"))
    return qs.filter(body=body) if body is not None else qs


def campaign_get(*, user, pk: int) -> Campaign:
    return get_object_or_404(campaign_list(user=user).select_related("body"), pk=pk)


def meeting_list(*, user, body=None) -> QuerySet[Meeting]:
    """Meetings of the bodies the user may see (joint meetings included); drafts only for those who manage them."""
    bodies = body_list(user=user)
    if body is not None:
        bodies = bodies.filter(pk=body.pk)
    body_ids = bodies.values("pk")
    managed = _managed_body_ids(user, bodies)
    q = (Q(body__in=body_ids) | Q(joint_bodies__in=body_ids)) & ~Q(status=MeetingStatus.DRAFT)
    if managed:
        q |= Q(body_id__in=managed)
    return Meeting.objects.filter(pk__in=Meeting.objects.filter(q).values("pk"))


def meeting_get(*, user, pk: int) -> Meeting:
    return get_object_or_404(meeting_list(user=user).select_related("body"), pk=pk)


def agenda_of(meeting: Meeting) -> QuerySet[AgendaItem]:
    return meeting.items.select_related("topic").prefetch_related("decisions__follow_ups").order_by("order", "pk")


def registrations_of(meeting: Meeting) -> QuerySet[Registration]:
    return (
        meeting.registrations.exclude(status=RegistrationStatus.CANCELLED)
        .select_related("person")
        .order_by("status", "waiting_since", "created")
    )


def my_registration(*, user, meeting: Meeting) -> Registration | None:
    if not getattr(user, "person_id", None):
        return None
    return meeting.registrations.exclude(status=RegistrationStatus.CANCELLED).filter(person_id=user.person_id).first()
