"""Decisions and votes: quorum, one member one vote, the body's majority rule."""

from __future__ import annotations

import math
from decimal import Decimal

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from govcube.audit.services import audit_record
from govcube.bodies.models import VOTING_ROLES, BodyMember, MajorityRule
from govcube.bodies.permissions import is_recorder
from govcube.core.errors import Conflict, DomainError, PermissionDenied
from govcube.core.workflows import transition_apply
from govcube.deliberation.models import (
    AgendaItem,
    Attendance,
    Decision,
    FollowUp,
    FollowUpKind,
    Meeting,
    MeetingStatus,
    TopicStatus,
    Vote,
    VoteChoice,
    VoteMethod,
)
from govcube.deliberation.workflows import TOPIC_FLOW


def quorum_needed(quorum, expected: int) -> int:
    """How many voting members must be present: the quorum share of those expected, rounded up, at least one.

    Computed in exact decimals: in floating point 0.28 × 25 is 7.000000000000001, which would wrongly
    ask for 8 members instead of 7.
    """
    if not expected:
        return 1
    return max(1, math.ceil(Decimal(str(quorum)) * expected))


def quorum_of(meeting: Meeting) -> dict:
    """Voting members expected, present, the number needed, and whether the quorum is met (two queries)."""
    rows = Attendance.objects.filter(meeting=meeting, member__role__in=sorted(VOTING_ROLES))
    expected = rows.count()
    present = rows.filter(present=True).count()
    needed = quorum_needed(meeting.body.quorum, expected)
    return {"expected": expected, "present": present, "needed": needed, "met": present >= needed}


def passes(rule: str, votes_for: int, votes_against: int, present: int) -> bool:
    if rule == MajorityRule.ABSOLUTE:
        return votes_for * 2 > present
    if rule == MajorityRule.TWO_THIRDS:
        return votes_for * 3 >= present * 2 and votes_for > 0
    return votes_for > votes_against


def _require_open_item(actor, item: AgendaItem) -> Meeting:
    """The item's meeting, read fresh (the caller's copies may be stale), checked open for decisions."""
    item.refresh_from_db(fields=["voting_closed"])
    meeting = Meeting.objects.select_related("body").get(pk=item.meeting_id)
    if not is_recorder(actor, meeting.body):
        raise PermissionDenied("deliberation.decision.denied")
    if meeting.status != MeetingStatus.IN_PROGRESS:
        raise Conflict(
            "deliberation.decision.not_in_progress", _("Decisions are taken while the meeting is in progress.")
        )
    if item.voting_closed:
        raise Conflict("deliberation.decision.item_closed", _("Voting on this agenda item is closed."))
    return meeting


def decision_record(
    *,
    actor,
    item: AgendaItem,
    text: str,
    method: str,
    votes_for: int = 0,
    votes_against: int = 0,
    votes_abstain: int = 0,
) -> Decision:
    """Record a decision. A show of hands or a ballot comes with its tally; a roll call is then voted member by member."""
    meeting = _require_open_item(actor, item)
    text = (text or "").strip()
    if not text:
        raise DomainError("deliberation.decision.text.required", _("Write down what was decided."), field="text")
    if method not in VoteMethod.values:
        raise DomainError("deliberation.decision.method.unknown", _("Choose how the vote was taken."), field="method")
    quorum = quorum_of(meeting)
    if not quorum["met"]:
        raise Conflict(
            "deliberation.decision.no_quorum",
            _("No quorum: %(present)s of %(expected)s voting members are present, %(needed)s are needed.") % quorum,
        )
    tally = (votes_for, votes_against, votes_abstain)
    if method == VoteMethod.ROLL_CALL:
        tally = (0, 0, 0)
    elif min(tally) < 0 or sum(tally) > quorum["present"]:
        raise DomainError(
            "deliberation.decision.votes.too_many",
            _("The votes cannot add up to more than the %(present)s voting members present.") % quorum,
            field="votes_for",
        )
    decision = Decision(
        item=item,
        text=text,
        method=method,
        votes_for=tally[0],
        votes_against=tally[1],
        votes_abstain=tally[2],
        present_voting=quorum["present"],
        voting_members=quorum["expected"],
        recorded_by=actor,
        passed=None
        if method == VoteMethod.ROLL_CALL
        else passes(meeting.body.majority_rule, tally[0], tally[1], quorum["present"]),
    )
    with transaction.atomic():
        decision.save()
        audit_record(
            actor=actor,
            action="deliberation.decision.recorded",
            obj=meeting,
            after={
                "item": item.pk,
                "decision": decision.pk,
                "method": method,
                "for": tally[0],
                "against": tally[1],
                "abstain": tally[2],
                "passed": decision.passed,
            },
        )
        if decision.passed is not None:
            _topic_decided(actor, item, decision)
    return decision


def vote_cast(*, actor, decision: Decision, member: BodyMember, choice: str) -> Vote:
    """One roll-call vote. Members vote once; observers and absent members do not vote."""
    item = decision.item
    if _is_self(actor, member):
        item.refresh_from_db(fields=["voting_closed"])
        meeting = Meeting.objects.select_related("body").get(pk=item.meeting_id)
        if meeting.status != MeetingStatus.IN_PROGRESS or item.voting_closed:
            raise Conflict("deliberation.vote.closed", _("Voting on this agenda item is closed."))
    else:
        meeting = _require_open_item(actor, item)
    if decision.method != VoteMethod.ROLL_CALL or decision.passed is not None:
        raise Conflict("deliberation.vote.not_open", _("This decision is not open for a roll-call vote."))
    if choice not in VoteChoice.values:
        raise DomainError("deliberation.vote.choice.unknown", _("Vote for, against or abstain."), field="choice")
    attendance = Attendance.objects.filter(meeting=meeting, member=member).select_related("member").first()
    if attendance is None or member.role not in VOTING_ROLES:
        raise PermissionDenied("deliberation.vote.not_member", _("Only voting members of the body can vote."))
    if not attendance.present:
        raise Conflict("deliberation.vote.absent", _("Only members recorded as present can vote."))
    try:
        with transaction.atomic():
            # One person (or organisation) one vote, also when they sit in several bodies of a joint
            # meeting: votes on a decision are serialised on its row, then checked by voter.
            Decision.objects.select_for_update().filter(pk=decision.pk).first()
            if Vote.objects.filter(_same_voter(member), decision=decision).exists():
                raise Conflict("deliberation.vote.twice", _("This member has already voted."))
            vote = Vote.objects.create(decision=decision, member=member, choice=choice)
            audit_record(
                actor=actor,
                action="deliberation.vote.cast",
                obj=meeting,
                after={"decision": decision.pk, "member": member.pk},
            )
    except IntegrityError:
        raise Conflict("deliberation.vote.twice", _("This member has already voted.")) from None
    return vote


def _same_voter(member: BodyMember) -> Q:
    """Votes cast through any membership row of the same person or organisation."""
    if member.person_id:
        return Q(member__person_id=member.person_id)
    if member.enterprise_id:
        return Q(member__enterprise_id=member.enterprise_id)
    return Q(member__party_organisation_id=member.party_organisation_id)


def _is_self(actor, member: BodyMember) -> bool:
    return bool(actor.person_id and actor.person_id == member.person_id)


def decision_close(*, actor, decision: Decision) -> Decision:
    """Count a roll call and settle whether it passed."""
    meeting = _require_open_item(actor, decision.item)
    if decision.passed is not None:
        raise Conflict("deliberation.decision.closed", _("This decision is already settled."))
    with transaction.atomic():
        decision = Decision.objects.select_for_update().get(pk=decision.pk)
        counts = {choice: decision.votes.filter(choice=choice).count() for choice in VoteChoice.values}
        decision.votes_for, decision.votes_against, decision.votes_abstain = (
            counts["for"],
            counts["against"],
            counts["abstain"],
        )
        decision.passed = passes(
            meeting.body.majority_rule, decision.votes_for, decision.votes_against, decision.present_voting
        )
        decision.version += 1
        decision.save()
        audit_record(
            actor=actor,
            action="deliberation.decision.closed",
            obj=meeting,
            after={"decision": decision.pk, **counts, "passed": decision.passed},
        )
        _topic_decided(actor, decision.item, decision)
    return decision


def _topic_decided(actor, item: AgendaItem, decision: Decision) -> None:
    topic = item.topic
    if topic is not None:
        topic.refresh_from_db(fields=["status"])  # the caller's copy may predate the agenda
    if topic is None or topic.status not in (TopicStatus.ON_AGENDA, TopicStatus.DELIBERATED):
        return

    def apply(locked, transition, payload):
        locked.outcome = decision.text

    transition_apply(
        workflow=TOPIC_FLOW,
        obj=topic,
        action="decide",
        actor=actor,
        apply=apply,
        payload={"decision": decision.pk, "passed": decision.passed},
    )


def follow_up_add(*, actor, decision: Decision, kind: str, description: str) -> FollowUp:
    """Note what will carry a decision out (a project, task, petition or service request, linked when they exist)."""
    if not is_recorder(actor, decision.item.meeting.body):
        raise PermissionDenied("deliberation.follow_up.denied")
    if kind not in FollowUpKind.values:
        raise DomainError(
            "deliberation.follow_up.kind.unknown", _("Choose what kind of follow-up this is."), field="kind"
        )
    description = (description or "").strip()
    if not description:
        raise DomainError(
            "deliberation.follow_up.description.required", _("Describe the follow-up."), field="description"
        )
    with transaction.atomic():
        follow_up = FollowUp.objects.create(decision=decision, kind=kind, description=description[:300])
        audit_record(
            actor=actor,
            action="deliberation.follow_up.added",
            obj=decision.item.meeting,
            after={"decision": decision.pk, "kind": kind},
        )
    return follow_up
