"""Writes of special petitions (专项提请).

A committee sends a matter the building cannot solve to one or more departments. Each
department acknowledges and answers before deadlines counted in Chinese working days (the
department's own numbers of days; a requested date that falls on a holiday moves to the next
working day). The hourly sweep reminds before the answer is due, and escalates an overdue
answer to the street and then to the district. When every department has answered the
committee accepts the answer, contests it once (with reasons; the departments answer again),
or closes the matter as unresolved. Every step lands on the petition's timeline and in the
audit trail.
"""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.accounts.roles import Role
from govcube.accounts.selectors import users_holding
from govcube.audit.services import audit_record
from govcube.bodies.models import Mechanism
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.services import validate
from govcube.core.workflows import transition_apply
from govcube.engagement.models import (
    OPEN_PETITION_STATUSES,
    Escalation,
    Petition,
    PetitionEvent,
    PetitionReminder,
    PetitionTarget,
    TargetStatus,
)
from govcube.engagement.workflows import (
    PETITION_FLOW,
    TARGET_FLOW,
    _committee_users,
    _department_users,
)
from govcube.notifications.services import notify
from govcube.workdays import calendar as wd

MAX_DEPARTMENTS = 10
MAX_TITLE = 200
MAX_TEXT = 10_000
# Working days before the answer is due when the department is reminded.
REMIND_BEFORE = 2
# Working days after the answer was due when an overdue petition goes up to the district.
ESCALATE_TO_DISTRICT_AFTER = 5
USER_ACTIONS = ("accept", "contest", "close", "withdraw")


def petition_deadlines(department, start: date, requested: date | None = None) -> tuple[date, date]:
    """(acknowledge by, answer by) for a petition sent to ``department`` on ``start``.

    Both are counted in working days after ``start`` with the department's own numbers. A
    later answer date the committee asks for is kept, moved to the next working day when it
    falls on a holiday or weekend (a make-up working Saturday counts as a working day).
    """
    acknowledge_by = wd.add_working_days(start, department.petition_acknowledge_days)
    answer_by = wd.add_working_days(start, department.petition_answer_days)
    if requested is not None:
        answer_by = max(answer_by, wd.next_working_day(requested))
    # A department configured to acknowledge later than it answers acknowledges by the answer at the latest.
    return min(acknowledge_by, answer_by), answer_by


def _event(petition, kind: str, actor=None, text: str = "", target=None) -> PetitionEvent:
    return PetitionEvent.objects.create(petition=petition, target=target, kind=kind, actor=actor, text=text[:5000])


def _clean(value: str, field: str, limit: int, required_message: str) -> str:
    value = (value or "").strip()
    if not value:
        raise DomainError(f"engagement.petition.{field}.required", required_message, field=field)
    if len(value) > limit:
        raise DomainError(
            f"engagement.petition.{field}.too_long",
            _("This is too long (%(limit)s characters at most).") % {"limit": f"{limit:,}"},
            field=field,
        )
    return value


def petition_submit(
    *,
    actor,
    body,
    building,
    title: str,
    text: str,
    departments,
    evidence: str = "",
    decision=None,
    topic=None,
    answer_by: date | None = None,
    submitted_at: datetime | None = None,
) -> Petition:
    """The committee (its convener, or its recorder carrying out a decision of its meeting) submits a petition.

    ``submitted_at`` records a petition sent earlier (on paper, or the demo's history): its
    deadlines count from that day. It cannot be in the future; the default is now.
    """
    if not (is_manager(actor, body) or (decision is not None and is_recorder(actor, body))):
        raise PermissionDenied("engagement.petition.submit.denied")
    if not body.has(Mechanism.SPECIAL_PETITION):
        raise DomainError(
            "engagement.petition.body.mechanism", _("This body does not run special petitions."), field="body"
        )
    if not body.buildings.filter(pk=building.pk).exists():
        raise DomainError(
            "engagement.petition.building.not_covered", _("Choose a building this committee covers."), field="building"
        )
    title = _clean(title, "title", MAX_TITLE, _("Give the petition a title."))
    text = _clean(text, "text", MAX_TEXT, _("Describe the matter the building cannot solve."))
    evidence = (evidence or "").strip()
    if len(evidence) > MAX_TEXT:
        raise DomainError(
            "engagement.petition.evidence.too_long",
            _("This is too long (%(limit)s characters at most).") % {"limit": f"{MAX_TEXT:,}"},
            field="evidence",
        )
    departments = list(dict.fromkeys(departments or []))
    if not departments:
        raise DomainError(
            "engagement.petition.departments.required", _("Choose at least one department."), field="departments"
        )
    if len(departments) > MAX_DEPARTMENTS:
        raise DomainError(
            "engagement.petition.departments.too_many",
            _("Send a petition to at most %(count)s departments.") % {"count": MAX_DEPARTMENTS},
            field="departments",
        )
    if decision is not None:
        if decision.item.meeting.body_id != body.pk:
            raise DomainError(
                "engagement.petition.decision.other_body",
                _("Choose a decision of this committee's meetings."),
                field="decision",
            )
        if decision.passed is not True:
            raise DomainError(
                "engagement.petition.decision.not_passed", _("Only a passed decision can be sent on."), field="decision"
            )
    if topic is not None and topic.body_id != body.pk:
        raise DomainError("engagement.petition.topic.other_body", _("Choose a topic of this committee."), field="topic")
    now = timezone.now()
    if submitted_at is not None and submitted_at > now:
        raise DomainError(
            "engagement.petition.submitted_at.future", _("This moment is in the future."), field="submitted_at"
        )
    submitted_at = submitted_at or now
    today = timezone.localdate(submitted_at)
    if answer_by is not None and answer_by < today:
        raise DomainError(
            "engagement.petition.answer_by.past", _("The answer date cannot be in the past."), field="answer_by"
        )
    petition = Petition(
        body=body,
        building=building,
        title=title,
        text=text,
        evidence=evidence,
        decision=decision,
        topic=topic,
        submitted_by=actor,
        submitted_at=submitted_at,
    )
    petition.scope_to(building)
    validate(petition, "engagement.petition", exclude=["submitted_by"])
    with transaction.atomic():
        petition.save()
        targets = []
        for department in departments:
            acknowledge_by, due = petition_deadlines(department, today, answer_by)
            targets.append(
                PetitionTarget.objects.create(
                    petition=petition, department=department, acknowledge_by=acknowledge_by, answer_by=due
                )
            )
        _event(petition, "submitted", actor, text=", ".join(d.name for d in departments))
        _link_sources(petition, decision, topic)
        audit_record(
            actor=actor,
            action="engagement.petition.submitted",
            obj=petition,
            after={
                "title": title,
                "departments": [d.pk for d in departments],
                "decision": getattr(decision, "pk", None),
                "answer_by": {t.department_id: t.answer_by for t in targets},
            },
        )
        for target in targets:
            notify(
                recipients=_department_users(target, actor),
                code="engagement.petition.submitted",
                obj=petition,
                params={"object": title, "due": target.answer_by.isoformat()},
            )
    return petition


def _link_sources(petition: Petition, decision, topic) -> None:
    """Fill the typed link points the decision and the topic keep for what carries them out."""
    from govcube.deliberation.models import FollowUp, FollowUpKind, Topic

    if decision is not None:
        open_link = FollowUp.objects.filter(decision=decision, kind=FollowUpKind.PETITION, target_id="").first()
        if open_link is not None:
            FollowUp.objects.filter(pk=open_link.pk).update(target_type="engagement.petition", target_id=petition.pk)
        else:
            FollowUp.objects.create(
                decision=decision,
                kind=FollowUpKind.PETITION,
                description=petition.title[:300],
                target_type="engagement.petition",
                target_id=str(petition.pk),
            )
    if topic is not None:
        Topic.objects.filter(pk=topic.pk, link_type="").update(link_type="engagement.petition", link_id=petition.pk)


def target_acknowledge(*, actor, target: PetitionTarget, version: int | None = None) -> PetitionTarget:
    _require_open(Petition.objects.only("status").get(pk=target.petition_id))  # fresh, not a cached copy

    def apply(locked, transition, payload):
        locked.acknowledged_at = timezone.now()
        locked.acknowledged_by = actor
        _event(locked.petition, "acknowledged", actor, target=locked)

    return transition_apply(
        workflow=TARGET_FLOW, obj=target, action="acknowledge", actor=actor, version=version, apply=apply
    )


def target_answer(*, actor, target: PetitionTarget, answer: str, version: int | None = None) -> PetitionTarget:
    """A department answers; the last answer moves the petition to the committee for its verdict."""
    _require_open(Petition.objects.only("status").get(pk=target.petition_id))  # fresh, not a cached copy
    answer = (answer or "").strip()
    if len(answer) > MAX_TEXT:
        raise DomainError(
            "engagement.petition_target.answer.too_long",
            _("This is too long (%(limit)s characters at most).") % {"limit": f"{MAX_TEXT:,}"},
            field="answer",
        )
    today = timezone.localdate()

    def apply(locked, transition, payload):
        now = timezone.now()
        if locked.acknowledged_at is None:
            locked.acknowledged_at, locked.acknowledged_by = now, actor
        locked.answered_at, locked.answered_by, locked.answer = now, actor, answer
        locked.answered_late = today > locked.answer_by
        _event(locked.petition, "answered", actor, text=answer, target=locked)

    with transaction.atomic():
        target = transition_apply(
            workflow=TARGET_FLOW,
            obj=target,
            action="answer",
            actor=actor,
            version=version,
            payload={"answer": answer[:200]},
            apply=apply,
        )
        petition = Petition.objects.select_for_update().get(pk=target.petition_id)
        if not petition.targets.exclude(status=TargetStatus.ANSWERED).exists():
            first_round = petition.answered_on_time is None

            def settle(locked, transition, payload):
                if first_round:
                    locked.answered_on_time = not locked.targets.filter(answered_late=True).exists()
                _event(locked, "all_answered")

            transition_apply(workflow=PETITION_FLOW, obj=petition, action="all_answered", actor=actor, apply=settle)
    return target


def _require_open(petition: Petition) -> None:
    if petition.status not in OPEN_PETITION_STATUSES:
        raise Conflict("engagement.petition.settled", _("This petition is no longer waiting for an answer."))


def petition_action(
    *, actor, petition: Petition, action: str, reason: str = "", version: int | None = None
) -> Petition:
    """The committee's verdict on the answers (accept, contest once, close) or withdrawing the petition."""
    if action not in USER_ACTIONS:
        raise DomainError(f"engagement.petition.{action}.unknown", _("Unknown action."), status=400)
    reason = (reason or "").strip()[:MAX_TEXT]
    today = timezone.localdate()

    def apply(locked, transition, payload):
        if action == "contest":
            if locked.contested_once:
                raise Conflict(
                    "engagement.petition.contest.once",
                    _("An answer can be contested only once; accept it or close the petition as unresolved."),
                )
            locked.contested_once = True
            locked.contest_reason = reason
            for target in locked.targets.select_related("department"):
                _acknowledge_by, due = petition_deadlines(target.department, today)

                def reopen(t, transition, payload, due=due):
                    t.round += 1
                    t.answer_by = due
                    t.acknowledge_by = min(t.acknowledge_by, due)
                    t.escalation = Escalation.NONE

                transition_apply(workflow=TARGET_FLOW, obj=target, action="reopen", actor=actor, apply=reopen)
            locked.escalation = Escalation.NONE
        else:
            locked.settled_at = timezone.now()
            locked.closing_note = reason
        _event(locked, action, actor, text=reason)

    with transaction.atomic():
        petition = transition_apply(
            workflow=PETITION_FLOW,
            obj=petition,
            action=action,
            actor=actor,
            version=version,
            payload={"reason": reason} if reason or action in ("contest", "close", "withdraw") else {},
            apply=apply,
        )
        if action in ("accept", "close"):
            from govcube.evaluation.services import request_ratings

            request_ratings(obj=petition, body=petition.body, title=petition.title)
    return petition


# --- the sweep ----------------------------------------------------------------------------------


def _send_once(target: PetitionTarget, kind: str, due: date, recipients, params: dict) -> bool:
    try:
        with transaction.atomic():
            PetitionReminder.objects.create(target=target, kind=kind, due=due)
            recipients = [user for user in recipients if user is not None]
            if recipients:
                notify(
                    recipients=recipients,
                    code=f"engagement.petition.{kind}",
                    obj=target.petition,
                    params=params,
                )
    except IntegrityError:
        return False
    return True


def _escalate(target: PetitionTarget, level: int) -> None:
    PetitionTarget.objects.filter(pk=target.pk, escalation__lt=level).update(escalation=level)
    Petition.objects.filter(pk=target.petition_id, escalation__lt=level).update(escalation=level)
    kind = "escalated_street" if level == Escalation.STREET else "escalated_district"
    _event(target.petition, kind, target=target)  # the timeline names the department from the target
    audit_record(
        actor=None,
        action=f"engagement.petition.{kind}",
        obj=target.petition,
        after={"department": target.department_id, "answer_by": target.answer_by, "level": level},
    )


def petition_sweep(today: date | None = None) -> int:
    """Remind departments of answers coming due and escalate overdue ones; idempotent (see PetitionReminder)."""
    today = today or timezone.localdate()
    horizon = wd.add_working_days(today, REMIND_BEFORE)
    sent = 0
    targets = (
        PetitionTarget.objects.filter(petition__status__in=OPEN_PETITION_STATUSES)
        .exclude(status=TargetStatus.ANSWERED)
        # answers coming due, and acknowledgements overdue well before the answer is
        .filter(Q(answer_by__lte=horizon) | Q(status=TargetStatus.SENT, acknowledge_by__lt=today))
        .select_related("petition__building__node", "petition__body", "department__coordinator")
        .order_by("pk")
    )
    for target in targets.iterator(chunk_size=500):
        petition = target.petition
        params = {
            "object": petition.title,
            "department": target.department.name,
            "due": target.answer_by.isoformat(),
        }
        department = _department_users(target, None)
        if target.status == TargetStatus.SENT and target.acknowledge_by < today:
            sent += _send_once(target, "acknowledge_overdue", target.acknowledge_by, department, params)
        if target.answer_by >= today:
            if target.answer_by <= horizon:
                sent += _send_once(target, "answer_soon", target.answer_by, department, params)
            continue
        # overdue: the department and the committee hear of it, and it goes up to the street
        with transaction.atomic():
            if _send_once(
                target, "answer_overdue", target.answer_by, department + _committee_users(petition, None), params
            ):
                sent += 1
                street = users_holding(Role.STREET_OFFICIAL, over=petition.building.node)
                _send_once(target, "escalated_street", target.answer_by, street, params)
                _escalate(target, Escalation.STREET)
        if wd.working_days_between(target.answer_by, today) > ESCALATE_TO_DISTRICT_AFTER:
            with transaction.atomic():
                district = users_holding(Role.DISTRICT_LEADER, over=petition.building.node)
                if _send_once(target, "escalated_district", target.answer_by, district, params):
                    sent += 1
                    _escalate(target, Escalation.DISTRICT)
    return sent
