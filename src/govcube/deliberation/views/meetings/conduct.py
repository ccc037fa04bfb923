"""Conducting a meeting (recorders): presence and the live quorum, observers' check-in, minutes per item,
decisions with their votes, follow-ups."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from govcube.bodies.models import VOTING_ROLES
from govcube.core import access
from govcube.core.errors import Conflict, DomainError
from govcube.deliberation import selectors, services
from govcube.deliberation.forms_meetings import CheckInForm, DecisionForm, FollowUpForm, MinutesForm, VoteForm
from govcube.deliberation.models import AgendaItem, Attendance, Meeting, MeetingStatus
from govcube.deliberation.services.decisions import quorum_of
from govcube.deliberation.views.meetings.common import (
    T,
    agenda,
    crumbs_of,
    decision_get,
    form_error,
    is_htmx,
    item_get,
    observers,
    require_recorder,
    to_int,
)
from govcube.deliberation.workflows import MEETING_FLOW


def _prepare_conduct_item(item: AgendaItem, present_voting: list, state: dict) -> None:
    prefix = f"item{item.pk}"
    text = state.get("minutes_text")
    item.minutes_form = MinutesForm(
        initial={"minutes": item.minutes if text is None else text, "version": item.version}, prefix=prefix
    )
    item.minutes_error = state.get("minutes_error", "")
    item.decision_form = state.get("decision_form") or DecisionForm(prefix=prefix)
    item.error = state.get("error", "")
    item.notice = state.get("notice", "")
    for decision in item.decision_list:
        votes = {vote.member_id: vote for vote in decision.votes.all()}
        decision.ballot = [(member, votes.get(member.pk)) for member in present_voting]
        decision.follow_up_form = state.get(f"follow_up_form_{decision.pk}") or FollowUpForm(
            prefix=f"decision{decision.pk}"
        )


def _conduct_context(request, meeting: Meeting, *, only: int | None = None, state: dict | None = None) -> dict:
    state = state or {}
    attendance = list(
        meeting.attendance.select_related(
            "member__person", "member__enterprise", "member__party_organisation"
        ).order_by("member__role", "pk")
    )
    present_voting = [row.member for row in attendance if row.present and row.member.role in VOTING_ROLES]
    items = agenda(meeting, votes=True, only=only)
    for item in items:
        _prepare_conduct_item(item, present_voting, state.get(item.pk, {}))
    in_progress = meeting.status == MeetingStatus.IN_PROGRESS
    return {
        "meeting": meeting,
        "body": meeting.body,
        "attendance": attendance,
        "items": items,
        "in_progress": in_progress,
        "minutes_open": meeting.status in (MeetingStatus.IN_PROGRESS, MeetingStatus.ENDED),
        "actions": MEETING_FLOW.available(meeting, request.user),
    }


def _render_conduct(request, meeting: Meeting, *, status: int = 200, state: dict | None = None, **extra):
    context = _conduct_context(request, meeting, state=state)
    context["crumbs"] = crumbs_of(request.user, meeting.body)
    context["quorum"] = quorum_of(meeting)
    if meeting.open_attendance:
        context.update(observers(meeting))
        context["check_in_form"] = extra.pop("check_in_form", None) or CheckInForm()
    return render(request, T + "conduct.html", context | extra, status=status)


def _item_answer(request, meeting: Meeting, item_id: int, *, notice: str = "", exc=None, **state):
    """After an action on an agenda item: its partial (htmx), the conduct page with the error, or a redirect."""
    if exc is not None:
        state.setdefault("error", exc.message)
    elif notice:
        state["notice"] = notice
    if is_htmx(request):
        context = _conduct_context(request, meeting, only=item_id, state={item_id: state})
        if not context["items"]:
            raise PermissionDenied
        return render(request, T + "partials/item_conduct.html", context | {"item": context["items"][0]})
    if exc is not None:
        return _render_conduct(request, meeting, status=exc.status, state={item_id: state})
    messages.success(request, notice)
    return redirect(reverse("deliberation:meeting_conduct", args=[meeting.pk]) + f"#item-{item_id}")


@access.login
def meeting_conduct(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_recorder(request.user, meeting)
    return _render_conduct(request, meeting)


@access.login
def meeting_quorum(request, pk: int):
    """The live quorum box; the conduct page polls it every ten seconds."""
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_recorder(request.user, meeting)
    if not is_htmx(request):
        return redirect("deliberation:meeting_conduct", pk=meeting.pk)
    return render(request, T + "partials/quorum.html", {"meeting": meeting, "quorum": quorum_of(meeting)})


@access.login
@require_POST
def presence_record(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_recorder(request.user, meeting)
    row = get_object_or_404(
        Attendance.objects.select_related("member__person", "member__enterprise", "member__party_organisation"),
        meeting=meeting,
        member_id=to_int(request.POST.get("member")),
    )
    error = ""
    try:
        updated = services.attendance_record(
            actor=request.user, meeting=meeting, member=row.member, present=request.POST.get("present") == "1"
        )
        row.present = updated.present
    except DomainError as exc:
        if not is_htmx(request):
            return _render_conduct(request, meeting, status=exc.status, error=exc.message)
        error = exc.message
    if is_htmx(request):
        context = {"meeting": meeting, "row": row, "row_error": error, "quorum": quorum_of(meeting), "oob": True}
        return render(request, T + "partials/presence_answer.html", context)
    return redirect(reverse("deliberation:meeting_conduct", args=[meeting.pk]) + "#presence")


@access.login
@require_POST
def check_in(request, pk: int):
    meeting = selectors.meeting_get(user=request.user, pk=pk)
    require_recorder(request.user, meeting)
    form = CheckInForm(request.POST)
    notice = ""
    if form.is_valid():
        try:
            registration = services.registration_check_in(
                actor=request.user, meeting=meeting, code=form.cleaned_data["code"]
            )
        except DomainError as exc:
            form_error(form, exc)
        else:
            notice = _("%(name)s is checked in.") % {"name": registration.person.name}
            form = CheckInForm()
    if is_htmx(request):
        context = {"meeting": meeting, "check_in_form": form, "check_in_notice": notice, **observers(meeting)}
        return render(request, T + "partials/observers.html", context)
    if not notice:
        return _render_conduct(request, meeting, status=400, check_in_form=form)
    messages.success(request, notice)
    return redirect(reverse("deliberation:meeting_conduct", args=[meeting.pk]) + "#observers")


@access.login
@require_POST
def minutes_save(request, item_id: int):
    item = item_get(request, item_id)
    meeting = item.meeting
    require_recorder(request.user, meeting)
    form = MinutesForm(request.POST, prefix=f"item{item.pk}")
    form.is_valid()
    text = form.cleaned_data.get("minutes", "")
    version = form.cleaned_data.get("version")
    try:
        if version is None:  # a save must say which version it edits, or it could overwrite unseen changes
            raise Conflict(
                "deliberation.minutes.stale", _("This record was changed by someone else. Reload it and try again.")
            )
        services.minutes_save(actor=request.user, item=item, minutes=text, version=version)
    except DomainError as exc:
        # Keep what the user wrote: the textarea gets their text back, with the current version, so a
        # second save (after reading the other change shown beside it) goes through.
        return _item_answer(request, meeting, item.pk, exc=exc, error="", minutes_text=text, minutes_error=exc.message)
    return _item_answer(request, meeting, item.pk, notice=_("The minutes are saved."))


@access.login
@require_POST
def decision_record(request, item_id: int):
    item = item_get(request, item_id)
    meeting = item.meeting
    require_recorder(request.user, meeting)
    form = DecisionForm(request.POST, prefix=f"item{item.pk}")
    if not form.is_valid():
        exc = DomainError("deliberation.decision.invalid", _("Check the decision form."), status=400)
        return _item_answer(request, meeting, item.pk, exc=exc, decision_form=form)
    data = form.cleaned_data
    try:
        services.decision_record(
            actor=request.user,
            item=item,
            text=data["text"],
            method=data["method"],
            votes_for=data["votes_for"] or 0,
            votes_against=data["votes_against"] or 0,
            votes_abstain=data["votes_abstain"] or 0,
        )
    except DomainError as exc:
        if exc.field in form.fields:
            form_error(form, exc)
        return _item_answer(request, meeting, item.pk, exc=exc, decision_form=form)
    return _item_answer(request, meeting, item.pk, notice=_("The decision is recorded."))


@access.login
@require_POST
def vote_cast(request, decision_id: int):
    decision = decision_get(request, decision_id)
    meeting = decision.item.meeting
    require_recorder(request.user, meeting)
    form = VoteForm(request.POST)
    try:
        if not form.is_valid():
            raise DomainError("deliberation.vote.invalid", _("Vote for, against or abstain."), status=400)
        attendance = (
            Attendance.objects.filter(meeting=meeting, member_id=form.cleaned_data["member"])
            .select_related("member")
            .first()
        )
        if attendance is None:
            raise DomainError(
                "deliberation.vote.not_member", _("Only voting members of the body can vote."), status=403
            )
        services.vote_cast(
            actor=request.user, decision=decision, member=attendance.member, choice=form.cleaned_data["choice"]
        )
    except DomainError as exc:
        return _item_answer(request, meeting, decision.item_id, exc=exc)
    return _item_answer(request, meeting, decision.item_id, notice=_("The vote is recorded."))


@access.login
@require_POST
def decision_close(request, decision_id: int):
    decision = decision_get(request, decision_id)
    meeting = decision.item.meeting
    require_recorder(request.user, meeting)
    try:
        decision = services.decision_close(actor=request.user, decision=decision)
    except DomainError as exc:
        return _item_answer(request, meeting, decision.item_id, exc=exc)
    notice = _("The vote is closed: passed.") if decision.passed else _("The vote is closed: not passed.")
    return _item_answer(request, meeting, decision.item_id, notice=notice)


@access.login
@require_POST
def follow_up_add(request, decision_id: int):
    decision = decision_get(request, decision_id)
    meeting = decision.item.meeting
    require_recorder(request.user, meeting)
    form = FollowUpForm(request.POST, prefix=f"decision{decision.pk}")
    key = f"follow_up_form_{decision.pk}"
    if not form.is_valid():
        exc = DomainError("deliberation.follow_up.invalid", _("Check the follow-up form."), status=400)
        return _item_answer(request, meeting, decision.item_id, exc=exc, **{key: form})
    try:
        services.follow_up_add(actor=request.user, decision=decision, **form.cleaned_data)
    except DomainError as exc:
        form_error(form, exc)
        return _item_answer(request, meeting, decision.item_id, exc=exc, **{key: form})
    return _item_answer(request, meeting, decision.item_id, notice=_("The follow-up is noted."))
