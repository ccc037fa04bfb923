"""Open attendance (开放式列席): observers register for seats, with a waiting list that moves up."""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.selectors import users_of_people
from govcube.audit.services import audit_record
from govcube.bodies.permissions import is_member, is_recorder
from govcube.bodies.selectors import body_covers_person
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.deliberation.models import Meeting, MeetingStatus, Registration
from govcube.deliberation.models import RegistrationStatus as R
from govcube.notifications.services import notify


def _users_of(person_ids):

    return users_of_people(person_ids)


def registration_create(*, actor, meeting: Meeting) -> Registration:
    """Register the actor as an observer: a seat if one is left, else the waiting list.

    The meeting row is locked while seats are counted, so concurrent registrations can never
    exceed the limit (and a check constraint backs it in the database).
    """
    person = getattr(actor, "person", None) if getattr(actor, "person_id", None) else None
    if person is None:
        raise DomainError(
            "deliberation.registration.no_person",
            _("Your account is not linked to a person, so you cannot register."),
            status=403,
        )
    with transaction.atomic():
        locked = Meeting.objects.select_for_update().get(pk=meeting.pk)
        if not locked.open_attendance:
            raise Conflict("deliberation.registration.not_open", _("This meeting is not open to observers."))
        if locked.status != MeetingStatus.SCHEDULED:
            raise Conflict(
                "deliberation.registration.not_scheduled", _("Registration is only possible for a scheduled meeting.")
            )
        if locked.registration_closes_at and timezone.now() >= locked.registration_closes_at:
            raise Conflict("deliberation.registration.closed", _("Registration for this meeting has closed."))
        if is_member(actor, locked.body):
            raise Conflict(
                "deliberation.registration.member", _("You are a member of this body and attend as a member.")
            )
        if not body_covers_person(locked.body, person):
            raise PermissionDenied(
                "deliberation.registration.not_covered",
                _("Only people working in the buildings this body covers can observe."),
            )
        seat = locked.observers_registered < locked.observer_seats
        try:
            with transaction.atomic():
                registration = Registration.objects.create(
                    meeting=locked,
                    person=person,
                    status=R.REGISTERED if seat else R.WAITING,
                    waiting_since=None if seat else timezone.now(),
                    check_in_code=Registration.new_code(),
                )
        except IntegrityError:
            raise Conflict(
                "deliberation.registration.twice", _("You are already registered for this meeting.")
            ) from None
        if seat:
            Meeting.objects.filter(pk=locked.pk).update(observers_registered=F("observers_registered") + 1)
        audit_record(
            actor=actor,
            action="deliberation.registration.created",
            obj=locked,
            after={"person": person.pk, "status": registration.status},
        )
        notify(
            recipients=[actor],
            code=f"deliberation.registration.{registration.status}",
            obj=locked,
            params={"object": locked.title, "code": registration.check_in_code},
        )
    return registration


def registration_cancel(*, actor, registration: Registration) -> Registration:
    """Cancel a registration; a freed seat goes to the first person waiting."""
    if not (actor.person_id == registration.person_id or is_recorder(actor, registration.meeting.body)):
        raise PermissionDenied("deliberation.registration.cancel.denied")
    with transaction.atomic():
        meeting = Meeting.objects.select_for_update().get(pk=registration.meeting_id)
        registration = Registration.objects.select_for_update().get(pk=registration.pk)
        if registration.status == R.CANCELLED:
            raise Conflict("deliberation.registration.cancelled", _("This registration is already cancelled."))
        had_seat = registration.status == R.REGISTERED
        registration.status = R.CANCELLED
        registration.save(update_fields=["status", "modified"])
        audit_record(
            actor=actor,
            action="deliberation.registration.cancelled",
            obj=meeting,
            after={"person": registration.person_id},
        )
        if had_seat:
            Meeting.objects.filter(pk=meeting.pk).update(observers_registered=F("observers_registered") - 1)
            _promote_waiting(actor, meeting)
    return registration


def _promote_waiting(actor, meeting: Meeting) -> None:
    """Move the longest-waiting person into the freed seat (inside the caller's lock)."""
    nxt = (
        Registration.objects.select_for_update()
        .filter(meeting=meeting, status=R.WAITING)
        .order_by("waiting_since", "pk")
        .first()
    )
    if nxt is None:
        return
    nxt.status = R.REGISTERED
    nxt.save(update_fields=["status", "modified"])
    Meeting.objects.filter(pk=meeting.pk).update(observers_registered=F("observers_registered") + 1)
    audit_record(actor=actor, action="deliberation.registration.promoted", obj=meeting, after={"person": nxt.person_id})
    notify(
        recipients=_users_of([nxt.person_id]),
        code="deliberation.registration.promoted",
        obj=meeting,
        params={"object": meeting.title, "code": nxt.check_in_code},
    )


def registration_check_in(*, actor, meeting: Meeting, code: str) -> Registration:
    """The secretary (or the observer scanning the door's code) checks an observer in by code."""
    if not is_recorder(actor, meeting.body):
        raise PermissionDenied("deliberation.registration.check_in.denied")
    code = (code or "").strip().upper()
    with transaction.atomic():
        registration = Registration.objects.select_for_update().filter(meeting=meeting, check_in_code=code).first()
        if registration is None or registration.status != R.REGISTERED:
            raise DomainError(
                "deliberation.registration.code.unknown",
                _("No registered observer has this check-in code."),
                field="code",
            )
        if registration.checked_in_at is not None:
            raise Conflict(
                "deliberation.registration.code.used", _("This observer has already checked in."), field="code"
            )
        registration.checked_in_at = timezone.now()
        registration.save(update_fields=["checked_in_at", "modified"])
        audit_record(
            actor=actor,
            action="deliberation.registration.checked_in",
            obj=meeting,
            after={"person": registration.person_id},
        )
    return registration
