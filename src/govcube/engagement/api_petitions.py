"""The /api/v1 resources of special petitions (专项提请), mounted by ``engagement.api``'s router.

The same selectors and services as the pages: reads through ``selectors.petition_list`` (out of
scope is 404), writes through the petition services (which check the permission, the state and
the version). A workflow action answers the petition with its departments, its timeline and the
actions now open to the caller.
"""

from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from govcube.bodies.api import api_fields
from govcube.bodies.selectors import body_get
from govcube.core.api import ERRORS, api_login, page_of
from govcube.core.errors import DomainError
from govcube.engagement import selectors, services
from govcube.engagement.models import OPEN_PETITION_STATUSES, Escalation, Petition, PetitionStatus, TargetStatus
from govcube.engagement.services.petitions import USER_ACTIONS
from govcube.engagement.views import cadre_name
from govcube.engagement.views_petitions import TARGET_ACTIONS, source_decision, source_topic, with_targets
from govcube.engagement.workflows import PETITION_FLOW, TARGET_FLOW

router = Router(tags=["petitions"])

FIELDS = {
    "body": "body_id",
    "building": "building_id",
    "departments": "department_ids",
    "decision": "decision_id",
    "topic": "topic_id",
}


# ---------------------------------------------------------------------------------------------
# Schemas


class PetitionOut(Schema):
    id: int
    title: str
    body_id: int
    body: str
    building_id: int
    building: str
    status: str
    escalation: int
    contested: bool
    submitted_at: datetime
    next_answer_by: date | None
    overdue: bool
    department_ids: list[int]
    version: int


class PetitionPage(Schema):
    items: list[PetitionOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class PetitionFilter(Schema):
    status: PetitionStatus | None = None
    body: int | None = None
    building: int | None = None
    department: int | None = None
    overdue: bool = False
    escalated: bool | None = None
    limit: int = 50
    cursor: str | None = None


class TargetOut(Schema):
    id: int
    department_id: int
    department: str
    status: str
    round: int
    acknowledge_by: date
    answer_by: date
    acknowledged_at: datetime | None
    answered_at: datetime | None
    answered_by: str | None
    answer: str
    answered_late: bool
    escalation: int
    overdue: bool
    version: int
    actions: list[str]


class EventOut(Schema):
    kind: str
    at: datetime
    actor: str | None
    target_id: int | None
    department: str | None
    text: str


class PetitionDetail(PetitionOut):
    text: str
    evidence: str
    decision_id: int | None
    topic_id: int | None
    submitted_by_id: int | None
    contest_reason: str
    closing_note: str
    answered_on_time: bool | None
    settled_at: datetime | None
    targets: list[TargetOut]
    timeline: list[EventOut]
    actions: list[str]


class PetitionIn(Schema):
    body_id: int
    building_id: int
    title: str
    text: str
    department_ids: list[int] = []
    evidence: str = ""
    decision_id: int | None = None
    topic_id: int | None = None
    answer_by: date | None = None


class ReasonIn(Schema):
    reason: str = ""
    version: int | None = None


class VersionIn(Schema):
    version: int | None = None


class AnswerIn(Schema):
    answer: str = ""
    version: int | None = None


# ---------------------------------------------------------------------------------------------
# Helpers


def _row(p: Petition, today: date, targets: list | None = None) -> dict:
    """A list row; ``targets`` prefetched (``with_targets``) unless given."""
    targets = list(p.targets.all()) if targets is None else targets
    is_open = p.status in OPEN_PETITION_STATUSES
    waiting = [t for t in targets if t.status != TargetStatus.ANSWERED] if is_open else []
    return {
        "id": p.pk,
        "title": p.title,
        "body_id": p.body_id,
        "body": p.body.name,
        "building_id": p.building_id,
        "building": p.building.name,
        "status": p.status,
        "escalation": p.escalation,
        "contested": p.contested_once,
        "submitted_at": p.submitted_at,
        "next_answer_by": min((t.answer_by for t in waiting), default=None),
        "overdue": any(t.is_overdue(today) for t in waiting),
        "department_ids": [t.department_id for t in targets],
        "version": p.version,
    }


def _actions(p: Petition, user) -> list[str]:
    return [
        t.action
        for t in PETITION_FLOW.available(p, user)
        if t.action in USER_ACTIONS and not (t.action == "contest" and p.contested_once)
    ]


def _detail(p: Petition, user) -> dict:
    today = timezone.localdate()
    is_open = p.status in OPEN_PETITION_STATUSES
    targets = list(p.targets.select_related("department", "answered_by__person").order_by("department__name", "pk"))
    events = p.events.select_related("actor__person", "target__department").order_by("created", "pk")[:200]
    return _row(p, today, targets) | {
        "text": p.text,
        "evidence": p.evidence,
        "decision_id": p.decision_id,
        "topic_id": p.topic_id,
        "submitted_by_id": p.submitted_by_id,
        "contest_reason": p.contest_reason,
        "closing_note": p.closing_note,
        "answered_on_time": p.answered_on_time,
        "settled_at": p.settled_at,
        "targets": [
            {
                "id": t.pk,
                "department_id": t.department_id,
                "department": t.department.name,
                "status": t.status,
                "round": t.round,
                "acknowledge_by": t.acknowledge_by,
                "answer_by": t.answer_by,
                "acknowledged_at": t.acknowledged_at,
                "answered_at": t.answered_at,
                "answered_by": cadre_name(t.answered_by) if t.answered_by_id else None,
                "answer": t.answer,
                "answered_late": t.answered_late,
                "escalation": t.escalation,
                "overdue": is_open and t.is_overdue(today),
                "version": t.version,
                "actions": [tr.action for tr in TARGET_FLOW.available(t, user) if tr.action in TARGET_ACTIONS]
                if is_open
                else [],
            }
            for t in targets
        ],
        "timeline": [
            {
                "kind": e.kind,
                "at": e.created,
                "actor": cadre_name(e.actor) if e.actor_id else None,
                "target_id": e.target_id,
                "department": e.target.department.name if e.target_id else None,
                "text": e.text,
            }
            for e in events
        ],
        "actions": _actions(p, user),
    }


def _petition(user, pk: int) -> Petition:
    return selectors.petition_get(user=user, pk=pk)


def _target(petition: Petition, target_id: int):
    target = petition.targets.select_related("petition").filter(pk=target_id).first()
    if target is None:
        from django.http import Http404

        raise Http404
    return target


def _departments(ids: list[int]) -> list:
    from govcube.services.models import Department

    wanted = list(dict.fromkeys(ids))
    found = {d.pk: d for d in Department.objects.filter(pk__in=wanted)}
    if len(found) != len(wanted):
        raise DomainError(
            "engagement.petition.departments.unknown", _("Choose departments from the list."), field="departments"
        )
    return [found[pk] for pk in wanted]


# ---------------------------------------------------------------------------------------------
# Petitions


@router.get("/petitions", response={200: PetitionPage, **ERRORS})
@api_login
def list_petitions(request, filters: Query[PetitionFilter]):
    qs = selectors.petition_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.body is not None:
        qs = qs.filter(body_id=filters.body)
    if filters.building is not None:
        qs = qs.filter(building_id=filters.building)
    if filters.department is not None:
        qs = qs.filter(targets__department_id=filters.department)
    if filters.overdue:
        qs = selectors.overdue_petitions(qs)
    if filters.escalated is True:
        qs = qs.filter(escalation__gt=Escalation.NONE)
    elif filters.escalated is False:
        qs = qs.filter(escalation=Escalation.NONE)
    page = page_of(with_targets(qs.select_related("body", "building")), limit=filters.limit, cursor=filters.cursor)
    today = timezone.localdate()
    page["items"] = [_row(p, today) for p in page["items"]]
    return page


@router.post("/petitions", response={201: PetitionDetail, **ERRORS})
@api_login
def create_petition(request, payload: PetitionIn):
    from govcube.territory.models import Building

    user = request.user
    body = body_get(user=user, pk=payload.body_id)
    with api_fields(**FIELDS):
        building = Building.objects.filter(pk=payload.building_id).first()
        if building is None:
            raise DomainError(
                "engagement.petition.building.not_covered",
                _("Choose a building this committee covers."),
                field="building",
            )
        petition = services.petition_submit(
            actor=user,
            body=body,
            building=building,
            title=payload.title,
            text=payload.text,
            evidence=payload.evidence,
            departments=_departments(payload.department_ids),
            decision=source_decision(user, body, payload.decision_id),
            topic=source_topic(user, payload.topic_id),
            answer_by=payload.answer_by,
        )
    return Status(201, _detail(_petition(user, petition.pk), user))


@router.get("/petitions/{petition_id}", response={200: PetitionDetail, **ERRORS})
@api_login
def get_petition(request, petition_id: int):
    return _detail(_petition(request.user, petition_id), request.user)


def _act(request, petition_id: int, action: str, payload: ReasonIn) -> dict:
    user = request.user
    petition = _petition(user, petition_id)
    services.petition_action(
        actor=user, petition=petition, action=action, reason=payload.reason, version=payload.version
    )
    return _detail(_petition(user, petition_id), user)


@router.post("/petitions/{petition_id}/accept", response={200: PetitionDetail, **ERRORS})
@api_login
def accept_petition(request, petition_id: int, payload: ReasonIn):
    return _act(request, petition_id, "accept", payload)


@router.post("/petitions/{petition_id}/contest", response={200: PetitionDetail, **ERRORS})
@api_login
def contest_petition(request, petition_id: int, payload: ReasonIn):
    return _act(request, petition_id, "contest", payload)


@router.post("/petitions/{petition_id}/close", response={200: PetitionDetail, **ERRORS})
@api_login
def close_petition(request, petition_id: int, payload: ReasonIn):
    return _act(request, petition_id, "close", payload)


@router.post("/petitions/{petition_id}/withdraw", response={200: PetitionDetail, **ERRORS})
@api_login
def withdraw_petition(request, petition_id: int, payload: ReasonIn):
    return _act(request, petition_id, "withdraw", payload)


@router.post("/petitions/{petition_id}/targets/{target_id}/acknowledge", response={200: PetitionDetail, **ERRORS})
@api_login
def acknowledge_target(request, petition_id: int, target_id: int, payload: VersionIn):
    user = request.user
    target = _target(_petition(user, petition_id), target_id)
    services.target_acknowledge(actor=user, target=target, version=payload.version)
    return _detail(_petition(user, petition_id), user)


@router.post("/petitions/{petition_id}/targets/{target_id}/answer", response={200: PetitionDetail, **ERRORS})
@api_login
def answer_target(request, petition_id: int, target_id: int, payload: AnswerIn):
    user = request.user
    target = _target(_petition(user, petition_id), target_id)
    services.target_answer(actor=user, target=target, answer=payload.answer, version=payload.version)
    return _detail(_petition(user, petition_id), user)
