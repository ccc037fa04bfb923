"""Declared workflows of the deliberation engine.

The topic table follows OpenSlides' motion states: each state says who may see the topic,
and whether it may be supported, edited by its proposer or withdrawn.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.translation import gettext_lazy as _

from govcube.accounts.selectors import users_of_people
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.core.workflows import Transition, Workflow
from govcube.deliberation.models import AgendaItem
from govcube.deliberation.models import MeetingStatus as MS
from govcube.deliberation.models import TopicStatus as S

MinS = AgendaItem.MinutesStatus


@dataclass(frozen=True)
class StateRules:
    visibility: str  # "private": proposer and managers; "building": people of the covered buildings; "public": anyone
    supportable: bool
    editable: bool
    withdrawable: bool


TOPIC_STATES: dict[str, StateRules] = {
    S.SUBMITTED: StateRules("building", supportable=True, editable=True, withdrawable=True),
    S.SCREENING: StateRules("building", supportable=True, editable=False, withdrawable=True),
    S.ACCEPTED: StateRules("public", supportable=True, editable=False, withdrawable=False),
    S.MERGED: StateRules("building", supportable=False, editable=False, withdrawable=False),
    S.DECLINED: StateRules("private", supportable=False, editable=False, withdrawable=False),
    S.REFERRED: StateRules("building", supportable=False, editable=False, withdrawable=False),
    S.ON_AGENDA: StateRules("public", supportable=True, editable=False, withdrawable=False),
    S.DELIBERATED: StateRules("public", supportable=False, editable=False, withdrawable=False),
    S.DECIDED: StateRules("public", supportable=False, editable=False, withdrawable=False),
    S.CLOSED: StateRules("public", supportable=False, editable=False, withdrawable=False),
    S.WITHDRAWN: StateRules("private", supportable=False, editable=False, withdrawable=False),
}
PUBLIC_STATES = [state for state, rules in TOPIC_STATES.items() if rules.visibility == "public"]
BUILDING_STATES = [state for state, rules in TOPIC_STATES.items() if rules.visibility in ("public", "building")]


def manages_topic(user, topic) -> bool:
    return is_manager(user, topic.body)


def records_topic(user, topic) -> bool:
    return is_recorder(user, topic.body)


def is_proposer(user, topic) -> bool:
    return bool(user.is_authenticated and user.person_id and user.person_id == topic.proposer_id)


def topic_followers(topic, actor):
    """The proposer and the supporters who have accounts."""

    people = [topic.proposer_id, *topic.supports.values_list("person_id", flat=True)]
    return users_of_people(people)


TOPIC_FLOW = Workflow(
    "deliberation.topic",
    [
        Transition(
            S.SUBMITTED,
            "screen",
            S.SCREENING,
            allowed=manages_topic,
            label=_("Start screening"),
            notify=topic_followers,
        ),
        Transition(
            (S.SUBMITTED, S.SCREENING),
            "accept",
            S.ACCEPTED,
            allowed=manages_topic,
            label=_("Accept"),
            notify=topic_followers,
        ),
        Transition(
            (S.SUBMITTED, S.SCREENING),
            "decline",
            S.DECLINED,
            allowed=manages_topic,
            requires=("reason",),
            label=_("Decline"),
            notify=topic_followers,
        ),
        Transition(
            (S.SUBMITTED, S.SCREENING),
            "merge",
            S.MERGED,
            allowed=manages_topic,
            requires=("merged_into",),
            label=_("Merge into another topic"),
            notify=topic_followers,
        ),
        Transition(
            (S.SUBMITTED, S.SCREENING),
            "refer",
            S.REFERRED,
            allowed=manages_topic,
            requires=("reason",),
            label=_("Refer elsewhere"),
            notify=topic_followers,
        ),
        Transition((S.SUBMITTED, S.SCREENING), "withdraw", S.WITHDRAWN, allowed=is_proposer, label=_("Withdraw")),
        Transition(
            S.ACCEPTED,
            "schedule",
            S.ON_AGENDA,
            allowed=manages_topic,
            label=_("Put on an agenda"),
            notify=topic_followers,
        ),
        Transition(S.ON_AGENDA, "unschedule", S.ACCEPTED, allowed=manages_topic, label=_("Take off the agenda")),
        Transition(
            S.ON_AGENDA,
            "deliberate",
            S.DELIBERATED,
            allowed=records_topic,
            label=_("Mark deliberated"),
            notify=topic_followers,
        ),
        Transition(
            (S.ON_AGENDA, S.DELIBERATED),
            "decide",
            S.DECIDED,
            allowed=records_topic,
            label=_("Record the decision"),
            notify=topic_followers,
        ),
        Transition(
            (S.DELIBERATED, S.DECIDED),
            "close",
            S.CLOSED,
            allowed=manages_topic,
            label=_("Close"),
            notify=topic_followers,
        ),
    ],
)


def manages_meeting(user, meeting) -> bool:
    return is_manager(user, meeting.body)


def records_meeting(user, meeting) -> bool:
    return is_recorder(user, meeting.body)


def meeting_people(meeting, actor):
    """Members with accounts and registered observers."""
    from govcube.deliberation.models import RegistrationStatus

    members = meeting.attendance.values_list("member__person_id", flat=True)
    observers = meeting.registrations.filter(status=RegistrationStatus.REGISTERED).values_list("person_id", flat=True)
    return users_of_people([*members, *observers])


MEETING_FLOW = Workflow(
    "deliberation.meeting",
    [
        Transition(
            MS.DRAFT,
            "schedule",
            MS.SCHEDULED,
            allowed=manages_meeting,
            label=_("Schedule and invite"),
            notify=meeting_people,
        ),
        Transition(MS.SCHEDULED, "start", MS.IN_PROGRESS, allowed=records_meeting, label=_("Start the meeting")),
        Transition(MS.IN_PROGRESS, "end", MS.ENDED, allowed=records_meeting, label=_("End the meeting")),
        Transition(
            (MS.DRAFT, MS.SCHEDULED),
            "cancel",
            MS.CANCELLED,
            allowed=manages_meeting,
            label=_("Cancel"),
            notify=meeting_people,
        ),
    ],
)


def manages_item(user, item) -> bool:
    return is_manager(user, item.meeting.body)


def minutes_readers(item, actor):
    """When minutes are published: the members, the observers and the proposer of the item's topic."""
    users = list(meeting_people(item.meeting, actor))
    if item.topic_id:
        users += list(topic_followers(item.topic, actor))
    return users


MINUTES_FLOW = Workflow(
    "deliberation.minutes",
    [
        Transition(MinS.DRAFT, "approve", MinS.APPROVED, allowed=manages_item, label=_("Approve the minutes")),
        Transition(MinS.APPROVED, "reopen", MinS.DRAFT, allowed=manages_item, label=_("Reopen the draft")),
        Transition(
            MinS.APPROVED,
            "publish",
            MinS.PUBLISHED,
            allowed=manages_item,
            label=_("Publish the minutes"),
            notify=minutes_readers,
        ),
    ],
    field="minutes_status",
)
