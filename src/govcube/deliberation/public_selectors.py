"""Reads for the public pages: what anyone may see without an account.

Public means: topics in a public state (``workflows.PUBLIC_STATES``); meetings once they are
scheduled (never drafts, never cancelled ones) with their agendas; minutes, decisions and a
topic's outcome only once the meeting has ended and the item's minutes are published.
Nothing here hands out people: no proposers, members, attendance, registrations or
individual votes. The public pages show a proposer only as an enterprise's name or as
"an employee of the building" (``public_proposer_label``).
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.db.models import Case, Exists, F, IntegerField, OuterRef, Prefetch, Q, QuerySet, Subquery, When
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.bodies.models import Body
from govcube.deliberation.models import AgendaItem, Decision, Meeting, MeetingStatus, Topic
from govcube.deliberation.sanitise import sanitise_html
from govcube.deliberation.workflows import PUBLIC_STATES
from govcube.territory.models import Building

PUBLIC_MEETING_STATES = (MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS, MeetingStatus.ENDED)
PUBLISHED = AgendaItem.MinutesStatus.PUBLISHED
MAX_SEARCH = 100
UPCOMING_LIMIT = 20
PAST_MEETINGS_LIMIT = 20
DECISIONS_LIMIT = 30
JointLink = Meeting.joint_bodies.through
BodyBuilding = Body.buildings.through


class SubqueryCount(Subquery):
    """COUNT(*) of a correlated subquery, one scalar per outer row (no join fan-out, no GROUP BY)."""

    template = "(SELECT COUNT(*) FROM (%(subquery)s) _count)"
    output_field = IntegerField()


def public_topics() -> QuerySet[Topic]:
    """Topics in a public state, with ``outcome_published``: whether their outcome may be shown yet."""
    return Topic.objects.filter(status__in=PUBLIC_STATES).annotate(
        outcome_published=Exists(
            AgendaItem.objects.filter(
                topic=OuterRef("pk"), minutes_status=PUBLISHED, meeting__status=MeetingStatus.ENDED
            )
        )
    )


def public_meetings() -> QuerySet[Meeting]:
    return Meeting.objects.filter(status__in=PUBLIC_MEETING_STATES)


def public_decisions() -> QuerySet[Decision]:
    """Decisions of ended meetings whose item's minutes are published (never the individual votes)."""
    return Decision.objects.filter(
        item__minutes_status=PUBLISHED, item__meeting__status=MeetingStatus.ENDED
    ).prefetch_related("follow_ups")


def _body_meetings(body: Body) -> QuerySet[Meeting]:
    joint = JointLink.objects.filter(body_id=body.pk).values("meeting_id")
    return public_meetings().filter(Q(body_id=body.pk) | Q(pk__in=joint))


def public_body_list(*, search: str = "") -> QuerySet[Body]:
    """Bodies with something public (a topic in a public state or a meeting past its draft, not cancelled),
    ordered by street, with counts of public topics, upcoming meetings and published decisions."""
    outer = OuterRef("pk")
    topics = Topic.objects.filter(body_id=outer, status__in=PUBLIC_STATES)
    meetings = Meeting.objects.filter(
        Q(body_id=outer) | Exists(JointLink.objects.filter(body_id=OuterRef(outer), meeting_id=OuterRef("pk"))),
        status__in=PUBLIC_MEETING_STATES,
    )
    upcoming = meetings.filter(status=MeetingStatus.SCHEDULED)
    decisions = public_decisions().filter(
        Q(item__meeting__body_id=outer)
        | Exists(JointLink.objects.filter(body_id=OuterRef(outer), meeting_id=OuterRef("item__meeting_id")))
    )
    qs = Body.objects.filter(Exists(topics) | Exists(meetings))
    search = (search or "").strip()[:MAX_SEARCH]
    if search:
        in_building = BodyBuilding.objects.filter(body_id=OuterRef("pk"), building__name__icontains=search)
        qs = qs.filter(Q(name__icontains=search) | Q(street__name__icontains=search) | Exists(in_building))
    return (
        qs.select_related("street", "district")
        .annotate(
            topic_count=SubqueryCount(topics.values("pk")),
            upcoming_count=SubqueryCount(upcoming.values("pk")),
            decision_count=SubqueryCount(decisions.values("pk")),
        )
        .prefetch_related(Prefetch("buildings", queryset=Building.objects.only("pk", "name").order_by("name")))
        .order_by(F("street__name").asc(nulls_first=True), "name", "pk")
    )


def public_body_get(pk: int) -> Body:
    """A body with public content (with its counts and covered buildings), or 404."""
    return get_object_or_404(public_body_list(), pk=pk)


def _agenda_items() -> QuerySet[AgendaItem]:
    """Agenda items with the id of their topic only when that topic is public."""
    return AgendaItem.objects.annotate(
        public_topic_id=Case(When(topic__status__in=PUBLIC_STATES, then=F("topic_id")), default=None)
    ).order_by("order", "pk")


def public_upcoming_meetings(body: Body) -> list[Meeting]:
    """Scheduled meetings (soonest first) with their published agendas (``meeting.agenda``)."""
    items = _agenda_items().only("pk", "meeting_id", "order", "title", "minutes_planned", "topic_id")
    return list(
        _body_meetings(body)
        .filter(status=MeetingStatus.SCHEDULED)
        .select_related("body")
        .prefetch_related(Prefetch("items", queryset=items, to_attr="agenda"))
        .order_by("starts_at", "pk")[:UPCOMING_LIMIT]
    )


def public_past_meetings(body: Body) -> list[Meeting]:
    return list(
        _body_meetings(body)
        .filter(status__in=(MeetingStatus.IN_PROGRESS, MeetingStatus.ENDED))
        .select_related("body")
        .order_by("-starts_at", "-pk")[:PAST_MEETINGS_LIMIT]
    )


def public_body_topics(body: Body) -> QuerySet[Topic]:
    return public_topics().filter(body=body).order_by("-created", "-pk")


def public_body_decisions(body: Body) -> list[Decision]:
    """The latest published decisions of the body's meetings (its own and joint ones)."""
    return list(
        public_decisions()
        .filter(item__meeting__in=_body_meetings(body).values("pk"))
        .select_related("item__meeting")
        .annotate(
            public_topic_id=Case(When(item__topic__status__in=PUBLIC_STATES, then=F("item__topic_id")), default=None)
        )
        .order_by("-item__meeting__starts_at", "item__order", "pk")[:DECISIONS_LIMIT]
    )


def public_topic_get(pk: int) -> Topic:
    """A topic in a public state, or 404; the proposer is not loaded, only their employer's name."""
    qs = (
        public_topics()
        .select_related("body", "on_behalf_of")
        .annotate(proposer_employer_name=F("proposer__employer__name"))
    )
    return get_object_or_404(qs, pk=pk)


def public_proposer_label(topic: Topic) -> str:
    """Who raised a topic, for the public: an enterprise's name, never a person's.

    Anonymous topics, and proposers without an employer, show as "an employee of the building".
    """
    if not topic.is_anonymous:
        if topic.on_behalf_of_id and topic.on_behalf_of:
            return topic.on_behalf_of.name
        name = getattr(topic, "proposer_employer_name", None)
        if name:
            return name
    return _("An employee of the building")


def public_topic_meetings(topic: Topic) -> list[AgendaItem]:
    """Where the topic is on a public agenda, with the item's published decisions (``public_decisions``)."""
    return list(
        AgendaItem.objects.filter(topic=topic, meeting__status__in=PUBLIC_MEETING_STATES)
        .select_related("meeting")
        .defer("minutes")
        .prefetch_related(Prefetch("decisions", queryset=public_decisions().order_by("pk"), to_attr="public_decisions"))
        .order_by("meeting__starts_at", "pk")
    )


def public_meeting_get(pk: int) -> Meeting:
    """A scheduled, running or ended meeting, or 404 (drafts and cancelled meetings are not public)."""
    return get_object_or_404(
        public_meetings()
        .select_related("body")
        .prefetch_related(Prefetch("joint_bodies", queryset=Body.objects.only("pk", "name").order_by("name"))),
        pk=pk,
    )


@dataclass(frozen=True)
class PublicAgendaItem:
    """What the public sees of an agenda item: minutes and decisions only when published."""

    order: int
    title: str
    minutes_planned: int
    topic_id: int | None
    published: bool = False  # the meeting ended and the item's minutes are published
    minutes: str = ""  # sanitised HTML
    decisions: list = field(default_factory=list)


def public_agenda(meeting: Meeting) -> list[PublicAgendaItem]:
    ended = meeting.status == MeetingStatus.ENDED
    decisions = public_decisions().order_by("pk")
    rows = (
        _agenda_items()
        .filter(meeting=meeting)
        .prefetch_related(Prefetch("decisions", queryset=decisions, to_attr="public_decisions"))
    )
    agenda = []
    for item in rows:
        published = ended and item.minutes_status == PUBLISHED
        agenda.append(
            PublicAgendaItem(
                order=item.order,
                title=item.title,
                minutes_planned=item.minutes_planned,
                topic_id=item.public_topic_id,
                published=published,
                minutes=sanitise_html(item.minutes) if published else "",
                decisions=list(item.public_decisions) if published else [],
            )
        )
    return agenda


def seats_left(meeting: Meeting) -> int:
    return max(0, meeting.observer_seats - meeting.observers_registered)


def registration_open(meeting: Meeting, now=None) -> bool:
    """Whether observers may still register (registering itself needs an account)."""
    now = now or timezone.now()
    return bool(
        meeting.open_attendance
        and meeting.status == MeetingStatus.SCHEDULED
        and (meeting.registration_closes_at is None or now < meeting.registration_closes_at)
    )
