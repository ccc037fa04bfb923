"""The meeting list and scheduling form per body, the meeting page with its agenda, actions and minutes
approval, and the open-attendance box (开放式列席)."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import F, Q, Subquery
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govcube.bodies.models import Body
from govcube.bodies.permissions import is_manager, is_member, is_recorder
from govcube.bodies.selectors import body_covers_person, body_get, body_list
from govcube.core import access
from govcube.core.errors import Conflict, DomainError
from govcube.core.listing import paginate
from govcube.deliberation import selectors, services
from govcube.deliberation.forms_meetings import AgendaItemForm, MeetingForm
from govcube.deliberation.models import AgendaItem, Meeting, MeetingStatus, RegistrationStatus, TopicStatus
from govcube.deliberation.views.meetings.common import (
    T,
    agenda,
    crumbs_of,
    form_error,
    is_htmx,
    item_get,
    observers,
    require_manager,
    to_int,
)
from govcube.deliberation.views.meetings.feed import feed_token
from govcube.deliberation.workflows import MEETING_FLOW, MINUTES_FLOW

UPCOMING_LIMIT = 50
TOPIC_CHOICES_LIMIT = 200
JOINT_CHOICES_LIMIT = 200
AGENDA_OPEN = (MeetingStatus.DRAFT, MeetingStatus.SCHEDULED, MeetingStatus.IN_PROGRESS)
MinS = AgendaItem.MinutesStatus


def _joint_choices(user, body: Body):
    """Other bodies this user manages, for a joint meeting (None when there are none)."""
    managed = [pk for pk in selectors._managed_body_ids(user, body_list(user=user)) if pk != body.pk]
    if not managed:
        return None
    return Body.objects.filter(pk__in=managed[:JOINT_CHOICES_LIMIT]).order_by("name")


def _agenda_topics(user, meeting: Meeting, joint: list[Body]):
    """Accepted topics of the meeting's bodies, for the agenda form."""
    body_ids = [meeting.body_id, *[b.pk for b in joint]]
    pks = (
        selectors.topic_list(user=user)
        .filter(body_id__in=body_ids, status=TopicStatus.ACCEPTED)
        .order_by("-created")
        .values("pk")[:TOPIC_CHOICES_LIMIT]
    )
    return selectors.topic_list(user=user).filter(pk__in=Subquery(pks)).order_by("-created")


# --- The list and the scheduling form --------------------------------------------------------


@access.login
def meeting_list(request, body_id: int):
    body = body_get(user=request.user, pk=body_id)
    now = timezone.now()
    meetings = (
        selectors.meeting_list(user=request.user, body=body)
        .select_related("body")
        .prefetch_related("joint_bodies")
        .annotate(seats_left=F("observer_seats") - F("observers_registered"))
    )
    upcoming = list(meetings.filter(ends_at__gte=now).order_by("starts_at", "pk")[:UPCOMING_LIMIT])
    past = paginate(request, meetings.filter(ends_at__lt=now).order_by("-starts_at", "-pk"))
    return render(
        request,
        T + "list.html",
        {
            "body": body,
            "crumbs": crumbs_of(request.user, body),
            "upcoming": upcoming,
            "page": past,
            "can_schedule": is_manager(request.user, body),
            "feed_token": feed_token(request.user, body),
        },
    )


@access.login
def meeting_create(request, body_id: int):
    body = body_get(user=request.user, pk=body_id)
    if not is_manager(request.user, body):
        raise PermissionDenied
    form = MeetingForm(
        request.POST if request.method == "POST" else None, joint_choices=_joint_choices(request.user, body)
    )
    status = 200
    if form.is_bound:
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                meeting = services.meeting_create(
                    actor=request.user,
                    body=body,
                    title=data["title"],
                    kind=data["kind"],
                    starts_at=data["starts_at"],
                    ends_at=data["ends_at"],
                    place=data["place"],
                    open_attendance=data["open_attendance"],
                    observer_seats=data["observer_seats"] or 0,
                    registration_closes_at=data["registration_closes_at"],
                    joint_bodies=list(data.get("joint_bodies") or []),
                )
            except DomainError as exc:
                form_error(form, exc)
                status = exc.status
            else:
                messages.success(request, _("The meeting is saved as a draft: build its agenda, then schedule it."))
                return redirect("deliberation:meeting_detail", pk=meeting.pk)
    context = {"body": body, "crumbs": crumbs_of(request.user, body), "form": form}
    return render(request, T + "form.html", context, status=status)


# --- The meeting page ------------------------------------------------------------------------


def _registration_box(request, meeting: Meeting, *, error: str = "", notice: str = "") -> dict:
    """What the open-attendance box shows this user: seats, their registration, or a Register button."""
    user = request.user
    box = {"error": error, "notice": notice, "shown": meeting.open_attendance}
    if not meeting.open_attendance:
        return box
    now = timezone.now()
    box["seats_left"] = max(meeting.observer_seats - meeting.observers_registered, 0)
    box["open"] = meeting.status == MeetingStatus.SCHEDULED and (
        meeting.registration_closes_at is None or now < meeting.registration_closes_at
    )
    mine = selectors.my_registration(user=user, meeting=meeting)
    box["mine"] = mine
    if mine is not None and mine.status == RegistrationStatus.REGISTERED:
        title = _("Check-in code %(code)s") % {"code": mine.check_in_code}
        # segno writes the SVG itself (the code is hex, the title is escaped by segno): safe to inline.
        svg = segno.make(mine.check_in_code).svg_inline(scale=4, title=title, svgclass="gc-qr")
        box["qr"] = mark_safe(svg)  # noqa: S308
    elif mine is not None:
        ahead = meeting.registrations.filter(status=RegistrationStatus.WAITING).filter(
            Q(waiting_since__lt=mine.waiting_since) | Q(waiting_since=mine.waiting_since, pk__lt=mine.pk)
        )
        box["position"] = ahead.count() + 1
    elif box["open"] and getattr(user, "person_id", None) and not is_member(user, meeting.body):
        box["can_register"] = body_covers_person(meeting.body, user.person)
    return box


def _detail_context(request, meeting: Meeting, **extra) -> dict:
    user = request.user
    body = meeting.body
    joint = list(meeting.joint_bodies.all())
    manager, recorder = is_manager(user, body), is_recorder(user, body)
    insider = manager or recorder or any(is_member(user, b) for b in (body, *joint))
    items = agenda(meeting)
    ended = meeting.status == MeetingStatus.ENDED
    for item in items:
        item.minutes_visible = insider or item.minutes_status == MinS.PUBLISHED
        item.minutes_actions = MINUTES_FLOW.available(item, user) if ended else []
    context = {
        "meeting": meeting,
        "body": body,
        "joint": joint,
        "items": items,
        "total_planned": sum(item.minutes_planned for item in items),
        "actions": MEETING_FLOW.available(meeting, user),
        "can_manage": manager,
        "can_record": recorder,
        "crumbs": crumbs_of(user, body),
        "box": extra.pop("box", None) or _registration_box(request, meeting),
        "error": extra.pop("error", ""),
    }
    if manager and meeting.status in AGENDA_OPEN:
        context["agenda_form"] = extra.pop("agenda_form", None) or AgendaItemForm(
            topics=_agenda_topics(user, meeting, joint)
        )
    if recorder and meeting.open_attendance:
        context.update(observers(meeting))
    return context | extra


def _render_detail(request, meeting: Meeting, *, status: int = 200, **extra):
    return render(request, T + "detail.html", _detail_context(request, meeting, **extra), status=status)


@access.login
def meeting_detail(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    return _render_detail(request, meeting)


@access.login
@require_POST
def meeting_action(request, pk, action: str):
    """schedule (invitations go out), start, end, cancel."""
    meeting = selectors.meeting_get(user=request.user, pk=int(pk))
    try:
        meeting = services.meeting_action(
            actor=request.user, meeting=meeting, action=action, version=to_int(request.POST.get("version"))
        )
    except DomainError as exc:
        return _render_detail(request, meeting, status=exc.status, error=exc.message)
    done = {
        "schedule": _("The meeting is scheduled; the members and observers are told."),
        "start": _("The meeting has started."),
        "end": _("The meeting has ended."),
        "cancel": _("The meeting is cancelled."),
    }
    messages.success(request, done.get(action, _("Done.")))
    if action == "start" and is_recorder(request.user, meeting.body):
        return redirect("deliberation:meeting_conduct", pk=meeting.pk)
    return redirect("deliberation:meeting_detail", pk=meeting.pk)


@access.login
@require_POST
def agenda_add(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_manager(request.user, meeting)
    topics = _agenda_topics(request.user, meeting, list(meeting.joint_bodies.all()))
    form = AgendaItemForm(request.POST, topics=topics)
    status = 400
    if form.is_valid():
        data = form.cleaned_data
        try:
            item = services.agenda_item_add(
                actor=request.user,
                meeting=meeting,
                title=data["title"],
                topic=data["topic"],
                minutes_planned=data["minutes_planned"],
            )
        except DomainError as exc:
            form_error(form, exc)
            status = exc.status
        else:
            messages.success(request, _("The item is on the agenda."))
            return redirect(reverse("deliberation:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}")
    return _render_detail(request, meeting, status=status, agenda_form=form)


@access.login
@require_POST
def minutes_action(request, item_id, action: str):
    """approve, publish, or reopen an approved draft."""
    item = item_get(request, int(item_id))
    meeting = item.meeting
    try:
        services.minutes_action(
            actor=request.user, item=item, action=action, version=to_int(request.POST.get("version"))
        )
    except DomainError as exc:
        return _render_detail(request, meeting, status=exc.status, error=exc.message)
    done = {
        "approve": _("The minutes are approved."),
        "publish": _("The minutes are published."),
        "reopen": _("The minutes are a draft again."),
    }
    messages.success(request, done.get(action, _("Done.")))
    return redirect(reverse("deliberation:meeting_detail", args=[meeting.pk]) + f"#item-{item.pk}")


# --- Open attendance -------------------------------------------------------------------------


def _registration_answer(request, meeting: Meeting, *, notice: str = "", exc: DomainError | None = None):
    meeting.refresh_from_db()
    error = exc.message if exc is not None else ""
    if is_htmx(request):
        box = _registration_box(request, meeting, error=error, notice=notice)
        return render(request, T + "partials/registration_box.html", {"meeting": meeting, "box": box})
    if exc is not None:
        box = _registration_box(request, meeting, error=error)
        return _render_detail(request, meeting, status=exc.status, box=box)
    messages.success(request, notice)
    return redirect(reverse("deliberation:meeting_detail", args=[meeting.pk]) + "#registration-box")


@access.login
@require_POST
def registration_create(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    try:
        registration = services.registration_create(actor=request.user, meeting=meeting)
    except DomainError as exc:
        return _registration_answer(request, meeting, exc=exc)
    if registration.status == RegistrationStatus.REGISTERED:
        notice = _("You are registered. Show your check-in code at the door.")
    else:
        notice = _("All seats are taken: you are on the waiting list.")
    return _registration_answer(request, meeting, notice=notice)


@access.login
@require_POST
def registration_cancel(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    mine = selectors.my_registration(user=request.user, meeting=meeting)
    try:
        if mine is None:
            raise Conflict("deliberation.registration.none", _("You are not registered for this meeting."))
        mine.meeting = meeting
        services.registration_cancel(actor=request.user, registration=mine)
    except DomainError as exc:
        return _registration_answer(request, meeting, exc=exc)
    return _registration_answer(request, meeting, notice=_("Your registration is cancelled."))
