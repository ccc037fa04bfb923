"""Meetings (协商议事): scheduling, agenda, presence, minutes."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import VOTING_ROLES, Body, BodyMember, Mechanism
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.core.errors import Conflict, DomainError, PermissionDenied, check_version
from govcube.core.services import validate
from govcube.core.workflows import transition_apply
from govcube.deliberation.models import AgendaItem, Attendance, Meeting, MeetingKind, MeetingStatus, Topic, TopicStatus
from govcube.deliberation.sanitise import sanitise_html
from govcube.deliberation.workflows import MEETING_FLOW, MINUTES_FLOW, TOPIC_FLOW

MAX_DURATION = timedelta(hours=12)


def meeting_create(
    *,
    actor,
    body: Body,
    title: str,
    starts_at,
    ends_at,
    place: str,
    kind: str = MeetingKind.REGULAR,
    open_attendance: bool = False,
    observer_seats: int = 0,
    registration_closes_at=None,
    joint_bodies=(),
) -> Meeting:
    if not is_manager(actor, body):
        raise PermissionDenied("deliberation.meeting.create.denied")
    now = timezone.now()
    if starts_at is None or starts_at <= now:
        raise DomainError(
            "deliberation.meeting.starts_at.past", _("A meeting cannot be scheduled in the past."), field="starts_at"
        )
    if ends_at is None or ends_at <= starts_at:
        raise DomainError(
            "deliberation.meeting.ends_at.before_start", _("A meeting must end after it starts."), field="ends_at"
        )
    if ends_at - starts_at > MAX_DURATION:
        raise DomainError(
            "deliberation.meeting.ends_at.too_long", _("A meeting lasts twelve hours at most."), field="ends_at"
        )
    if open_attendance:
        if not body.has(Mechanism.OPEN_ATTENDANCE):
            raise DomainError(
                "deliberation.meeting.open_attendance.off",
                _("Open attendance is not switched on for this body."),
                field="open_attendance",
            )
        if observer_seats < 1:
            raise DomainError(
                "deliberation.meeting.observer_seats.none",
                _("An open meeting needs at least one observer seat."),
                field="observer_seats",
            )
        registration_closes_at = registration_closes_at or starts_at
        if registration_closes_at > starts_at:
            raise DomainError(
                "deliberation.meeting.registration_closes_at.after_start",
                _("Registration must close before the meeting starts."),
                field="registration_closes_at",
            )
    else:
        observer_seats, registration_closes_at = 0, None
    meeting = Meeting(
        body=body,
        title=(title or "").strip(),
        kind=kind,
        starts_at=starts_at,
        ends_at=ends_at,
        place=(place or "").strip(),
        open_attendance=open_attendance,
        observer_seats=observer_seats,
        registration_closes_at=registration_closes_at,
    )
    validate(meeting, "deliberation.meeting")
    joint = [b for b in joint_bodies if b.pk != body.pk]
    for other in joint:
        if not is_manager(actor, other):
            raise PermissionDenied(
                "deliberation.meeting.joint.denied", _("You must manage every body of a joint meeting.")
            )
    with transaction.atomic():
        meeting.save()
        meeting.joint_bodies.set(joint)
        expected = BodyMember.objects.active(starts_at.date()).filter(body_id__in=[body.pk, *[b.pk for b in joint]])
        Attendance.objects.bulk_create([Attendance(meeting=meeting, member=m) for m in _one_row_each(expected, body)])
        audit_record(
            actor=actor,
            action="deliberation.meeting.created",
            obj=meeting,
            after={
                "title": meeting.title,
                "starts_at": starts_at,
                "open_attendance": open_attendance,
                "seats": observer_seats,
            },
        )
    return meeting


def _one_row_each(members, host: Body) -> list[BodyMember]:
    """One expected row per person or organisation: someone in several bodies of a joint meeting is
    one voter and counts once towards the quorum (their voting row first, then the host body's)."""
    chosen: dict[tuple, BodyMember] = {}
    for member in sorted(members, key=lambda m: (m.role not in VOTING_ROLES, m.body_id != host.pk, m.pk)):
        chosen.setdefault((member.person_id, member.enterprise_id, member.party_organisation_id), member)
    return sorted(chosen.values(), key=lambda m: m.pk)


def meeting_action(*, actor, meeting: Meeting, action: str, version: int | None = None) -> Meeting:
    """schedule (invitations go out), start, end, cancel."""
    return transition_apply(workflow=MEETING_FLOW, obj=meeting, action=action, actor=actor, version=version)


def agenda_item_add(
    *, actor, meeting: Meeting, title: str = "", topic: Topic | None = None, minutes_planned: int = 15
) -> AgendaItem:
    if not is_manager(actor, meeting.body):
        raise PermissionDenied("deliberation.agenda.add.denied")
    meeting.refresh_from_db(fields=["status"])
    if meeting.status not in (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS):
        raise Conflict("deliberation.agenda.add.closed", _("The agenda of this meeting can no longer change."))
    if topic is not None:
        allowed_bodies = {meeting.body_id, *meeting.joint_bodies.values_list("pk", flat=True)}
        if topic.body_id not in allowed_bodies:
            raise DomainError(
                "deliberation.agenda.topic.other_body", _("This topic belongs to another body."), field="topic"
            )
        topic.refresh_from_db(fields=["status"])
        if topic.status != TopicStatus.ACCEPTED:
            raise DomainError(
                "deliberation.agenda.topic.not_accepted",
                _("Only accepted topics can be put on an agenda."),
                field="topic",
            )
        title = title or topic.title
    title = (title or "").strip()
    if not title:
        raise DomainError("deliberation.agenda.title.required", _("Give the agenda item a title."), field="title")
    with transaction.atomic():
        order = (meeting.items.order_by("-order").values_list("order", flat=True).first() or 0) + 1
        item = AgendaItem(meeting=meeting, order=order, topic=topic, title=title[:200], minutes_planned=minutes_planned)
        validate(item, "deliberation.agenda")
        item.save()
        audit_record(
            actor=actor,
            action="deliberation.agenda.item_added",
            obj=meeting,
            after={"item": item.pk, "title": item.title, "topic": getattr(topic, "pk", None)},
        )
        if topic is not None:
            transition_apply(workflow=TOPIC_FLOW, obj=topic, action="schedule", actor=actor)
    return item


def attendance_record(*, actor, meeting: Meeting, member: BodyMember, present: bool) -> Attendance:
    if not is_recorder(actor, meeting.body):
        raise PermissionDenied("deliberation.attendance.denied")
    meeting.refresh_from_db(fields=["status"])
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise Conflict(
            "deliberation.attendance.not_in_progress", _("Presence is recorded while the meeting is in progress.")
        )
    with transaction.atomic():
        row = Attendance.objects.select_for_update().filter(meeting=meeting, member=member).first()
        if row is None:
            raise DomainError(
                "deliberation.attendance.not_expected",
                _("This person is not a member expected at this meeting."),
                field="member",
            )
        row.present = present
        row.recorded_at = timezone.now()
        row.save(update_fields=["present", "recorded_at"])
        audit_record(
            actor=actor,
            action="deliberation.attendance.recorded",
            obj=meeting,
            after={"member": member.pk, "present": present},
        )
    return row


def minutes_save(*, actor, item: AgendaItem, minutes: str, version: int | None) -> AgendaItem:
    """Save the draft minutes of an item; a second secretary saving over a newer version gets a 409."""
    if not is_recorder(actor, item.meeting.body):
        raise PermissionDenied("deliberation.minutes.denied")
    with transaction.atomic():
        locked = AgendaItem.objects.select_for_update().get(pk=item.pk)
        check_version(locked, version, "deliberation.minutes.stale")
        if locked.minutes_status != AgendaItem.MinutesStatus.DRAFT:
            raise Conflict("deliberation.minutes.locked", _("Approved minutes can no longer be edited."))
        locked.minutes = sanitise_html(minutes)
        locked.version += 1
        locked.save(update_fields=["minutes", "version", "modified"])
        audit_record(
            actor=actor,
            action="deliberation.minutes.saved",
            obj=item.meeting,
            after={"item": item.pk, "version": locked.version},
        )
    return locked


def minutes_action(*, actor, item: AgendaItem, action: str, version: int | None = None) -> AgendaItem:
    """approve, publish (or reopen an approved draft)."""
    return transition_apply(workflow=MINUTES_FLOW, obj=item, action=action, actor=actor, version=version)
