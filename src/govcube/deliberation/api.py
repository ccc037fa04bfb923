"""The /api/v1 resources of the deliberation engine: campaigns, topics, meetings, registrations,
decisions and votes.

The same selectors and services as the pages: reads are scoped by ``deliberation.selectors``
(out of scope is 404), writes go through ``deliberation.services``, which check the caller's
roles in the body. A workflow action is ``POST /{resource}/{id}/{action}``, one route per action
of the declared workflow, answering the object's new state and the actions now open to the caller.
"""

from collections.abc import Callable
from datetime import datetime
from typing import Annotated

from django.db.models import Count
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator

from govcube.bodies.api import api_fields
from govcube.bodies.models import BodyMember
from govcube.bodies.permissions import is_manager, is_recorder
from govcube.bodies.selectors import body_get, body_list
from govcube.core.api import ERRORS, action_routes, api_login, page_of
from govcube.core.errors import DomainError, NotFound
from govcube.core.workflows import Workflow
from govcube.deliberation import selectors, services
from govcube.deliberation.models import (
    AgendaItem,
    Decision,
    Meeting,
    MeetingStatus,
    Registration,
    Topic,
    TopicStatus,
    TopicSupport,
    VoteMethod,
)
from govcube.deliberation.services.decisions import quorum_of
from govcube.deliberation.workflows import MEETING_FLOW, MINUTES_FLOW, TOPIC_FLOW, is_proposer

router = Router(tags=["deliberation"])


def _aware(value: datetime) -> datetime:
    """A time without an offset is read in the deployment's time zone (Asia/Shanghai)."""
    return timezone.make_aware(value) if timezone.is_naive(value) else value


LocalDatetime = Annotated[datetime, AfterValidator(_aware)]


# ---------------------------------------------------------------------------------------------
# Schemas


class StateOut(Schema):
    """A workflow action's answer: the object's new state and what the caller may do next."""

    id: int
    status: str
    version: int
    actions: list[str]


class Page(Schema):
    next_cursor: str | None
    total: int
    total_capped: bool


class CampaignOut(Schema):
    id: int
    body_id: int
    title: str
    question: str
    categories: list[str]
    opens_at: datetime
    closes_at: datetime
    closed_early_at: datetime | None
    state: str
    version: int


class CampaignDetail(CampaignOut):
    topic_counts: dict[str, int]
    actions: list[str]


class CampaignPage(Page):
    items: list[CampaignOut]


class CampaignIn(Schema):
    body_id: int
    title: str
    question: str = ""
    categories: list[str] = []
    opens_at: LocalDatetime
    closes_at: LocalDatetime


class CampaignFilter(Schema):
    body: int | None = None
    limit: int = 50
    cursor: str | None = None


class TopicOut(Schema):
    id: int
    body_id: int
    campaign_id: int | None
    title: str
    category: str
    status: str
    source: str
    proposer: str
    is_anonymous: bool
    support_count: int
    created: datetime
    version: int


class TopicDetail(TopicOut):
    text: str
    on_behalf_of: str | None
    reason: str
    outcome: str
    merged_into_id: int | None
    is_mine: bool
    supported_by_me: bool
    modified: datetime
    actions: list[str]


class TopicPage(Page):
    items: list[TopicOut]


class TopicFilter(Schema):
    body: int | None = None
    status: TopicStatus | None = None
    campaign: int | None = None
    q: str = ""
    limit: int = 50
    cursor: str | None = None


class TopicIn(Schema):
    body_id: int
    title: str
    text: str
    category: str = ""
    campaign_id: int | None = None
    on_behalf_of_employer: bool = False
    is_anonymous: bool = False


class TopicPatch(Schema):
    version: int
    title: str | None = None
    text: str | None = None
    category: str | None = None


class TopicActionIn(Schema):
    version: int | None = None
    reason: str = ""
    merged_into: int | None = None


class MeetingOut(Schema):
    id: int
    body_id: int
    title: str
    kind: str
    status: str
    starts_at: datetime
    ends_at: datetime
    place: str
    open_attendance: bool
    observer_seats: int
    seats_left: int
    registration_closes_at: datetime | None
    version: int


class FollowUpOut(Schema):
    id: int
    kind: str
    description: str
    target_type: str
    target_id: str


class DecisionOut(Schema):
    id: int
    item_id: int
    text: str
    method: str
    votes_for: int
    votes_against: int
    votes_abstain: int
    present_voting: int
    voting_members: int
    passed: bool | None
    follow_ups: list[FollowUpOut]
    version: int


class VoteOut(Schema):
    id: int
    decision_id: int
    member_id: int
    name: str
    choice: str


class DecisionDetail(DecisionOut):
    meeting_id: int
    votes: list[VoteOut]
    actions: list[str]


class ItemOut(Schema):
    id: int
    order: int
    title: str
    topic_id: int | None
    minutes_planned: int
    minutes: str | None  # only published minutes, unless the caller records for the body
    minutes_status: str
    voting_closed: bool
    decisions: list[DecisionOut]
    version: int
    actions: list[str]


class QuorumOut(Schema):
    expected: int
    present: int
    needed: int
    met: bool


class AttendanceOut(Schema):
    member_id: int
    name: str
    role: str
    present: bool


class MyRegistration(Schema):
    id: int
    status: str
    check_in_code: str
    checked_in_at: datetime | None


class MeetingDetail(MeetingOut):
    joint_body_ids: list[int]
    items: list[ItemOut]
    actions: list[str]
    can_record: bool
    quorum: QuorumOut | None
    attendance: list[AttendanceOut] | None
    my_registration: MyRegistration | None


class MeetingPage(Page):
    items: list[MeetingOut]


class MeetingFilter(Schema):
    body: int | None = None
    status: MeetingStatus | None = None
    limit: int = 50
    cursor: str | None = None


class MeetingIn(Schema):
    body_id: int
    title: str
    starts_at: LocalDatetime
    ends_at: LocalDatetime
    place: str
    kind: str = "regular"
    open_attendance: bool = False
    observer_seats: int = 0
    registration_closes_at: LocalDatetime | None = None
    joint_body_ids: list[int] = []


class VersionIn(Schema):
    version: int | None = None


class ItemIn(Schema):
    title: str = ""
    topic_id: int | None = None
    minutes_planned: int = 15


class MinutesIn(Schema):
    minutes: str
    version: int


class AttendanceIn(Schema):
    member_id: int
    present: bool


class AttendanceAnswer(AttendanceOut):
    quorum: QuorumOut


class RegistrationOut(Schema):
    id: int
    meeting_id: int
    name: str
    status: str
    waiting_since: datetime | None
    checked_in_at: datetime | None
    created: datetime
    check_in_code: str | None  # only on the caller's own registration


class RegistrationPage(Page):
    items: list[RegistrationOut]


class CheckInIn(Schema):
    code: str


class DecisionIn(Schema):
    item_id: int
    text: str
    method: str
    votes_for: int = 0
    votes_against: int = 0
    votes_abstain: int = 0


class VoteIn(Schema):
    decision_id: int
    member_id: int
    choice: str


class FollowUpIn(Schema):
    kind: str
    description: str


# ---------------------------------------------------------------------------------------------
# Helpers


def _actions(workflow: Workflow, obj, user) -> list[str]:
    return list(dict.fromkeys(t.action for t in workflow.available(obj, user)))


def _state(workflow: Workflow, obj, user) -> dict:
    return {
        "id": obj.pk,
        "status": getattr(obj, workflow.field),
        "version": obj.version,
        "actions": _actions(workflow, obj, user),
    }


def _body_or_none(user, body_id: int | None):
    return body_get(user=user, pk=body_id) if body_id is not None else None


def _campaign_detail(campaign, user) -> dict:
    data = CampaignOut.from_orm(campaign).dict()
    counts = (
        selectors.topic_list(user=user)
        .filter(campaign=campaign)
        .order_by()
        .values("status")
        .annotate(n=Count("pk"))
        .values_list("status", "n")
    )
    data["topic_counts"] = dict(counts)
    data["actions"] = ["close"] if campaign.is_open() and is_manager(user, campaign.body) else []
    return data


def _topic_row(topic: Topic, user) -> dict:
    return {
        "id": topic.pk,
        "body_id": topic.body_id,
        "campaign_id": topic.campaign_id,
        "title": topic.title,
        "category": topic.category,
        "status": topic.status,
        "source": topic.source,
        "proposer": selectors.proposer_display(topic, user),
        "is_anonymous": topic.is_anonymous,
        "support_count": topic.support_count,
        "created": topic.created,
        "version": topic.version,
    }


def _topic_detail(topic: Topic, user) -> dict:
    mine = is_proposer(user, topic)
    named = not topic.is_anonymous or mine or is_manager(user, topic.body)
    supported = bool(
        getattr(user, "person_id", None) and TopicSupport.objects.filter(topic=topic, person_id=user.person_id).exists()
    )
    return _topic_row(topic, user) | {
        "text": topic.text,
        "on_behalf_of": topic.on_behalf_of.name if named and topic.on_behalf_of_id else None,
        "reason": topic.reason,
        "outcome": topic.outcome,
        "merged_into_id": topic.merged_into_id,
        "is_mine": mine,
        "supported_by_me": supported,
        "modified": topic.modified,
        "actions": _actions(TOPIC_FLOW, topic, user),
    }


def _topic(user, pk: int) -> Topic:
    return selectors.topic_get(user=user, pk=pk)


def _meeting_row(meeting: Meeting) -> dict:
    return {
        "id": meeting.pk,
        "body_id": meeting.body_id,
        "title": meeting.title,
        "kind": meeting.kind,
        "status": meeting.status,
        "starts_at": meeting.starts_at,
        "ends_at": meeting.ends_at,
        "place": meeting.place,
        "open_attendance": meeting.open_attendance,
        "observer_seats": meeting.observer_seats,
        "seats_left": max(meeting.observer_seats - meeting.observers_registered, 0),
        "registration_closes_at": meeting.registration_closes_at,
        "version": meeting.version,
    }


def _decision_row(decision: Decision) -> dict:
    return {
        "id": decision.pk,
        "item_id": decision.item_id,
        "text": decision.text,
        "method": decision.method,
        "votes_for": decision.votes_for,
        "votes_against": decision.votes_against,
        "votes_abstain": decision.votes_abstain,
        "present_voting": decision.present_voting,
        "voting_members": decision.voting_members,
        "passed": decision.passed,
        "follow_ups": [FollowUpOut.from_orm(f).dict() for f in decision.follow_ups.all()],
        "version": decision.version,
    }


def _item_out(item: AgendaItem, user, recorder: bool) -> dict:
    published = item.minutes_status == AgendaItem.MinutesStatus.PUBLISHED
    return {
        "id": item.pk,
        "order": item.order,
        "title": item.title,
        "topic_id": item.topic_id,
        "minutes_planned": item.minutes_planned,
        "minutes": item.minutes if (recorder or published) else None,
        "minutes_status": item.minutes_status,
        "voting_closed": item.voting_closed,
        "decisions": [_decision_row(d) for d in item.decisions.all()],
        "version": item.version,
        "actions": _actions(MINUTES_FLOW, item, user),
    }


def _attendance(meeting: Meeting) -> list[dict]:
    rows = meeting.attendance.select_related("member__person", "member__enterprise", "member__party_organisation")
    return [
        {"member_id": row.member_id, "name": row.member.member_name, "role": row.member.role, "present": row.present}
        for row in rows.order_by("member__role", "member_id")
    ]


def _meeting_detail(meeting: Meeting, user) -> dict:
    recorder = is_recorder(user, meeting.body)
    mine = selectors.my_registration(user=user, meeting=meeting)
    return _meeting_row(meeting) | {
        "joint_body_ids": sorted(meeting.joint_bodies.values_list("pk", flat=True)),
        "items": [_item_out(item, user, recorder) for item in selectors.agenda_of(meeting)],
        "actions": _actions(MEETING_FLOW, meeting, user),
        "can_record": recorder,
        "quorum": quorum_of(meeting) if recorder else None,
        "attendance": _attendance(meeting) if recorder else None,
        "my_registration": (
            {
                "id": mine.pk,
                "status": mine.status,
                "check_in_code": mine.check_in_code,
                "checked_in_at": mine.checked_in_at,
            }
            if mine
            else None
        ),
    }


def _meeting(user, pk: int) -> Meeting:
    return selectors.meeting_get(user=user, pk=pk)


def _item(meeting: Meeting, item_id: int) -> AgendaItem:
    return get_object_or_404(meeting.items.select_related("topic"), pk=item_id)


def _registration_out(registration: Registration, user) -> dict:
    own = bool(getattr(user, "person_id", None)) and registration.person_id == user.person_id
    return {
        "id": registration.pk,
        "meeting_id": registration.meeting_id,
        "name": registration.person.name,
        "status": registration.status,
        "waiting_since": registration.waiting_since,
        "checked_in_at": registration.checked_in_at,
        "created": registration.created,
        "check_in_code": registration.check_in_code if own else None,
    }


def _visible_items(user):
    return AgendaItem.objects.filter(meeting__in=selectors.meeting_list(user=user).values("pk"))


def _decision(user, pk: int) -> Decision:
    visible = Decision.objects.filter(item__in=_visible_items(user).values("pk"))
    return get_object_or_404(
        visible.select_related("item__meeting__body", "item__topic").prefetch_related("follow_ups"), pk=pk
    )


def _decision_detail(decision: Decision, user) -> dict:
    votes = []
    if decision.method == VoteMethod.ROLL_CALL:
        rows = decision.votes.select_related("member__person", "member__enterprise", "member__party_organisation")
        votes = [
            {
                "id": v.pk,
                "decision_id": v.decision_id,
                "member_id": v.member_id,
                "name": v.member.member_name,
                "choice": v.choice,
            }
            for v in rows.order_by("pk")
        ]
    item = decision.item
    closable = (
        decision.method == VoteMethod.ROLL_CALL
        and decision.passed is None
        and not item.voting_closed
        and item.meeting.status == MeetingStatus.IN_PROGRESS
        and is_recorder(user, item.meeting.body)
    )
    return _decision_row(decision) | {
        "meeting_id": item.meeting_id,
        "votes": votes,
        "actions": ["close"] if closable else [],
    }


# ---------------------------------------------------------------------------------------------
# Campaigns


@router.get("/campaigns", response={200: CampaignPage, **ERRORS})
@api_login
def list_campaigns(request, filters: Query[CampaignFilter]):
    body = _body_or_none(request.user, filters.body)
    return page_of(selectors.campaign_list(user=request.user, body=body), limit=filters.limit, cursor=filters.cursor)


@router.post("/campaigns", response={201: CampaignDetail, **ERRORS})
@api_login
def create_campaign(request, payload: CampaignIn):
    body = body_get(user=request.user, pk=payload.body_id)
    with api_fields(body="body_id"):
        campaign = services.campaign_create(
            actor=request.user,
            body=body,
            title=payload.title,
            question=payload.question,
            categories=payload.categories,
            opens_at=payload.opens_at,
            closes_at=payload.closes_at,
        )
    return Status(201, _campaign_detail(campaign, request.user))


@router.get("/campaigns/{campaign_id}", response={200: CampaignDetail, **ERRORS})
@api_login
def get_campaign(request, campaign_id: int):
    return _campaign_detail(selectors.campaign_get(user=request.user, pk=campaign_id), request.user)


@router.post("/campaigns/{campaign_id}/close", response={200: CampaignDetail, **ERRORS})
@api_login
def close_campaign(request, campaign_id: int):
    campaign = selectors.campaign_get(user=request.user, pk=campaign_id)
    campaign = services.campaign_close(actor=request.user, campaign=campaign)
    return _campaign_detail(campaign, request.user)


# ---------------------------------------------------------------------------------------------
# Topics


@router.get("/topics", response={200: TopicPage, **ERRORS})
@api_login
def list_topics(request, filters: Query[TopicFilter]):
    user = request.user
    qs = selectors.topic_list(user=user, body=_body_or_none(user, filters.body))
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.campaign is not None:
        qs = qs.filter(campaign_id=filters.campaign)
    if filters.q.strip():
        qs = qs.filter(title__icontains=filters.q.strip())
    page = page_of(qs.select_related("body", "body__node", "proposer"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_topic_row(topic, user) for topic in page["items"]]
    return page


@router.post("/topics", response={201: TopicDetail, **ERRORS})
@api_login
def create_topic(request, payload: TopicIn):
    user = request.user
    body = body_get(user=user, pk=payload.body_id)
    campaign = selectors.campaign_get(user=user, pk=payload.campaign_id) if payload.campaign_id else None
    on_behalf_of = None
    person = user.person if getattr(user, "person_id", None) else None
    if payload.on_behalf_of_employer and person is not None:  # without a person the service refuses (403)
        on_behalf_of = person.employer
        if on_behalf_of is None:
            raise DomainError(
                "deliberation.topic.on_behalf_of.no_employer",
                _("Your account is not linked to an employer."),
                field="on_behalf_of_employer",
            )
    with api_fields(body="body_id", campaign="campaign_id", on_behalf_of="on_behalf_of_employer"):
        topic = services.topic_submit(
            actor=user,
            body=body,
            title=payload.title,
            text=payload.text,
            category=payload.category,
            campaign=campaign,
            on_behalf_of=on_behalf_of,
            is_anonymous=payload.is_anonymous,
        )
    return Status(201, _topic_detail(_topic(user, topic.pk), user))


@router.get("/topics/{topic_id}", response={200: TopicDetail, **ERRORS})
@api_login
def get_topic(request, topic_id: int):
    return _topic_detail(_topic(request.user, topic_id), request.user)


@router.patch("/topics/{topic_id}", response={200: TopicDetail, **ERRORS})
@api_login
def patch_topic(request, topic_id: int, payload: TopicPatch):
    user = request.user
    topic = _topic(user, topic_id)
    services.topic_edit(
        actor=user,
        topic=topic,
        version=payload.version,
        title=topic.title if payload.title is None else payload.title,
        text=topic.text if payload.text is None else payload.text,
        category=payload.category or "",
    )
    return _topic_detail(_topic(user, topic_id), user)


@router.post("/topics/{topic_id}/support", response={200: TopicDetail, **ERRORS})
@api_login
def support_topic(request, topic_id: int):
    services.topic_support(actor=request.user, topic=_topic(request.user, topic_id))
    return _topic_detail(_topic(request.user, topic_id), request.user)


@router.delete("/topics/{topic_id}/support", response={200: TopicDetail, **ERRORS})
@api_login
def unsupport_topic(request, topic_id: int):
    services.topic_unsupport(actor=request.user, topic=_topic(request.user, topic_id))
    return _topic_detail(_topic(request.user, topic_id), request.user)


def _topic_action_view(action: str) -> Callable:
    def view(request, topic_id: int, payload: TopicActionIn | None = None):
        user = request.user
        payload = payload or TopicActionIn()
        topic = _topic(user, topic_id)
        merged_into = _topic(user, payload.merged_into) if payload.merged_into is not None else None
        topic = services.topic_action(
            actor=user,
            topic=topic,
            action=action,
            reason=payload.reason,
            merged_into=merged_into,
            version=payload.version,
        )
        return _state(TOPIC_FLOW, topic, user)

    return view


action_routes(
    router,
    path="/topics/{topic_id}",
    actions=TOPIC_FLOW.actions,
    make_view=_topic_action_view,
    response=StateOut,
    name="topic",
    label="Topic workflow",
)


# ---------------------------------------------------------------------------------------------
# Meetings


@router.get("/meetings", response={200: MeetingPage, **ERRORS})
@api_login
def list_meetings(request, filters: Query[MeetingFilter]):
    body = _body_or_none(request.user, filters.body)
    qs = selectors.meeting_list(user=request.user, body=body)
    if filters.status:
        qs = qs.filter(status=filters.status)
    page = page_of(qs, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_meeting_row(m) for m in page["items"]]
    return page


@router.post("/meetings", response={201: MeetingDetail, **ERRORS})
@api_login
def create_meeting(request, payload: MeetingIn):
    user = request.user
    body = body_get(user=user, pk=payload.body_id)
    joint = [body_get(user=user, pk=pk) for pk in sorted(set(payload.joint_body_ids))]
    with api_fields(body="body_id"):
        meeting = services.meeting_create(
            actor=user,
            body=body,
            title=payload.title,
            starts_at=payload.starts_at,
            ends_at=payload.ends_at,
            place=payload.place,
            kind=payload.kind,
            open_attendance=payload.open_attendance,
            observer_seats=payload.observer_seats,
            registration_closes_at=payload.registration_closes_at,
            joint_bodies=joint,
        )
    return Status(201, _meeting_detail(_meeting(user, meeting.pk), user))


@router.get("/meetings/{meeting_id}", response={200: MeetingDetail, **ERRORS})
@api_login
def get_meeting(request, meeting_id: int):
    return _meeting_detail(_meeting(request.user, meeting_id), request.user)


def _meeting_action_view(action: str) -> Callable:
    def view(request, meeting_id: int, payload: VersionIn | None = None):
        user = request.user
        meeting = _meeting(user, meeting_id)
        meeting = services.meeting_action(
            actor=user, meeting=meeting, action=action, version=payload.version if payload else None
        )
        return _state(MEETING_FLOW, meeting, user)

    return view


action_routes(
    router,
    path="/meetings/{meeting_id}",
    actions=MEETING_FLOW.actions,
    make_view=_meeting_action_view,
    response=StateOut,
    name="meeting",
    label="Meeting workflow",
)


@router.post("/meetings/{meeting_id}/items", response={201: ItemOut, **ERRORS})
@api_login
def add_item(request, meeting_id: int, payload: ItemIn):
    user = request.user
    meeting = _meeting(user, meeting_id)
    topic = _topic(user, payload.topic_id) if payload.topic_id is not None else None
    with api_fields(topic="topic_id"):
        item = services.agenda_item_add(
            actor=user, meeting=meeting, title=payload.title, topic=topic, minutes_planned=payload.minutes_planned
        )
    return Status(201, _item_out(item, user, is_recorder(user, meeting.body)))


@router.put("/meetings/{meeting_id}/items/{item_id}/minutes", response={200: ItemOut, **ERRORS})
@api_login
def save_minutes(request, meeting_id: int, item_id: int, payload: MinutesIn):
    user = request.user
    meeting = _meeting(user, meeting_id)
    item = _item(meeting, item_id)
    item = services.minutes_save(actor=user, item=item, minutes=payload.minutes, version=payload.version)
    item.meeting = meeting
    return _item_out(item, user, is_recorder(user, meeting.body))


def _minutes_action_view(action: str) -> Callable:
    def view(request, meeting_id: int, item_id: int, payload: VersionIn | None = None):
        user = request.user
        meeting = _meeting(user, meeting_id)
        item = _item(meeting, item_id)
        item = services.minutes_action(
            actor=user, item=item, action=action, version=payload.version if payload else None
        )
        item.meeting = meeting
        return _state(MINUTES_FLOW, item, user)

    return view


action_routes(
    router,
    path="/meetings/{meeting_id}/items/{item_id}/minutes",
    actions=MINUTES_FLOW.actions,
    make_view=_minutes_action_view,
    response=StateOut,
    name="minutes",
    label="Minutes workflow",
)


@router.post("/meetings/{meeting_id}/attendance", response={200: AttendanceAnswer, **ERRORS})
@api_login
def record_attendance(request, meeting_id: int, payload: AttendanceIn):
    user = request.user
    meeting = _meeting(user, meeting_id)
    bodies = [meeting.body_id, *meeting.joint_bodies.values_list("pk", flat=True)]
    member = get_object_or_404(
        BodyMember.objects.filter(body_id__in=bodies).select_related("person", "enterprise", "party_organisation"),
        pk=payload.member_id,
    )
    with api_fields(member="member_id"):
        row = services.attendance_record(actor=user, meeting=meeting, member=member, present=payload.present)
    return {
        "member_id": member.pk,
        "name": member.member_name,
        "role": member.role,
        "present": row.present,
        "quorum": quorum_of(meeting),
    }


# ---------------------------------------------------------------------------------------------
# Registrations (open attendance)


@router.get("/meetings/{meeting_id}/registrations", response={200: RegistrationPage, **ERRORS})
@api_login
def list_registrations(request, meeting_id: int, limit: int = 50, cursor: str | None = None):
    user = request.user
    meeting = _meeting(user, meeting_id)
    if is_recorder(user, meeting.body):
        qs = selectors.registrations_of(meeting)
    elif getattr(user, "person_id", None):
        qs = meeting.registrations.filter(person_id=user.person_id).select_related("person")
    else:
        qs = Registration.objects.none()
    page = page_of(qs, limit=limit, cursor=cursor)
    page["items"] = [_registration_out(r, user) for r in page["items"]]
    return page


@router.post("/meetings/{meeting_id}/registrations", response={201: RegistrationOut, **ERRORS})
@api_login
def register(request, meeting_id: int):
    user = request.user
    registration = services.registration_create(actor=user, meeting=_meeting(user, meeting_id))
    registration.person = user.person
    return Status(201, _registration_out(registration, user))


@router.post("/meetings/{meeting_id}/registrations/{registration_id}/cancel", response={200: RegistrationOut, **ERRORS})
@api_login
def cancel_registration(request, meeting_id: int, registration_id: int):
    user = request.user
    meeting = _meeting(user, meeting_id)
    qs = meeting.registrations.select_related("person", "meeting__body")
    if not is_recorder(user, meeting.body):
        qs = qs.filter(person_id=getattr(user, "person_id", None) or 0)
    registration = get_object_or_404(qs, pk=registration_id)
    registration = services.registration_cancel(actor=user, registration=registration)
    return _registration_out(Registration.objects.select_related("person").get(pk=registration.pk), user)


@router.post("/meetings/{meeting_id}/check-in", response={200: RegistrationOut, **ERRORS})
@api_login
def check_in(request, meeting_id: int, payload: CheckInIn):
    user = request.user
    meeting = _meeting(user, meeting_id)
    registration = services.registration_check_in(actor=user, meeting=meeting, code=payload.code)
    return _registration_out(Registration.objects.select_related("person").get(pk=registration.pk), user)


# ---------------------------------------------------------------------------------------------
# Decisions, votes, follow-ups


@router.post("/decisions", response={201: DecisionDetail, **ERRORS})
@api_login
def record_decision(request, payload: DecisionIn):
    user = request.user
    item = get_object_or_404(_visible_items(user).select_related("meeting__body", "topic"), pk=payload.item_id)
    decision = services.decision_record(
        actor=user,
        item=item,
        text=payload.text,
        method=payload.method,
        votes_for=payload.votes_for,
        votes_against=payload.votes_against,
        votes_abstain=payload.votes_abstain,
    )
    return Status(201, _decision_detail(_decision(user, decision.pk), user))


@router.get("/decisions/{decision_id}", response={200: DecisionDetail, **ERRORS})
@api_login
def get_decision(request, decision_id: int):
    return _decision_detail(_decision(request.user, decision_id), request.user)


@router.post("/decisions/{decision_id}/close", response={200: DecisionDetail, **ERRORS})
@api_login
def close_decision(request, decision_id: int):
    user = request.user
    services.decision_close(actor=user, decision=_decision(user, decision_id))
    return _decision_detail(_decision(user, decision_id), user)


@router.post("/decisions/{decision_id}/follow-ups", response={201: FollowUpOut, **ERRORS})
@api_login
def add_follow_up(request, decision_id: int, payload: FollowUpIn):
    user = request.user
    follow_up = services.follow_up_add(
        actor=user, decision=_decision(user, decision_id), kind=payload.kind, description=payload.description
    )
    return Status(201, follow_up)


@router.post("/votes", response={201: VoteOut, **ERRORS})
@api_login
def cast_vote(request, payload: VoteIn):
    user = request.user
    decision = _decision(user, payload.decision_id)
    member = get_object_or_404(
        BodyMember.objects.filter(body__in=body_list(user=user).values("pk")).select_related(
            "person", "enterprise", "party_organisation"
        ),
        pk=payload.member_id,
    )
    vote = services.vote_cast(actor=user, decision=decision, member=member, choice=payload.choice)
    return Status(
        201,
        {
            "id": vote.pk,
            "decision_id": decision.pk,
            "member_id": member.pk,
            "name": member.member_name,
            "choice": vote.choice,
        },
    )


# ---------------------------------------------------------------------------------------------
# Unknown workflow actions answer a JSON 404 (declared last: the routes above match first).


def _unknown(code: str):
    raise NotFound(f"deliberation.{code}.action.unknown", _("Unknown action."))


@router.post("/topics/{topic_id}/{action}", response=ERRORS, include_in_schema=False)
@api_login
def unknown_topic_action(request, topic_id: int, action: str):
    _unknown("topic")


@router.post("/meetings/{meeting_id}/{action}", response=ERRORS, include_in_schema=False)
@api_login
def unknown_meeting_action(request, meeting_id: int, action: str):
    _unknown("meeting")


@router.post("/meetings/{meeting_id}/items/{item_id}/minutes/{action}", response=ERRORS, include_in_schema=False)
@api_login
def unknown_minutes_action(request, meeting_id: int, item_id: int, action: str):
    _unknown("minutes")
