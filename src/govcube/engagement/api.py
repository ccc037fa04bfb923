"""The /api/v1 resources of building liaison and visits.

The same selectors and services as the pages: reads are scoped by ``engagement.selectors`` (out
of scope is 404), writes go through ``engagement.services`` (which check the permission). A visit's
workflow action answers the visit with the actions now open to the caller.
"""

from datetime import date, datetime

from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from govcube.bodies.api import api_fields
from govcube.core.api import ERRORS, api_login, page_of
from govcube.core.errors import DomainError
from govcube.directory.models import Tenancy
from govcube.engagement import selectors, services
from govcube.engagement.models import FollowUp, LiaisonAssignment, Visit, VisitKind, VisitStatus
from govcube.engagement.views import cadre_name, liaison_cadres
from govcube.engagement.workflows import VISIT_FLOW
from govcube.territory.selectors import building_get

router = Router(tags=["engagement"])

MANAGE = "engagement.change_liaisonassignment"


# ---------------------------------------------------------------------------------------------
# Schemas


class PageOut(Schema):
    next_cursor: str | None
    total: int
    total_capped: bool


class LiaisonOut(Schema):
    id: int
    building_id: int
    building: str
    cadre_id: int
    cadre: str
    start: date
    end: date | None
    monthly_quota: int
    handed_over: bool


class LiaisonPage(PageOut):
    items: list[LiaisonOut]


class LiaisonFilter(Schema):
    building: int | None = None
    cadre: int | None = None
    limit: int = 50
    cursor: str | None = None


class LiaisonIn(Schema):
    building_id: int
    cadre_id: int
    start: date | None = None
    end: date | None = None
    monthly_quota: int = 2


class HandoverIn(Schema):
    cadre_id: int
    on: date | None = None


class EndIn(Schema):
    end: date | None = None


class VisitOut(Schema):
    id: int
    building_id: int
    building: str
    cadre_id: int
    kind: str
    status: str
    planned_for: date
    visited_at: datetime | None
    enterprise_id: int | None
    place: str
    overdue: bool
    version: int


class VisitDetail(VisitOut):
    people: str
    findings: str
    follow_up: str
    cancel_reason: str
    link_type: str
    link_id: str
    actions: list[str]


class VisitPage(PageOut):
    items: list[VisitOut]


class VisitFilter(Schema):
    status: VisitStatus | None = None
    building: int | None = None
    kind: str | None = None
    overdue: bool = False
    limit: int = 50
    cursor: str | None = None


class VisitIn(Schema):
    building_id: int
    kind: str  # the kind's code, e.g. "enterprise"
    planned_for: date
    enterprise_id: int | None = None
    place: str = ""


class RecordIn(Schema):
    findings: str = ""
    people: str = ""
    place: str = ""
    follow_up: FollowUp = FollowUp.NOTE
    version: int | None = None


class CancelIn(Schema):
    reason: str = ""
    version: int | None = None


class VisitTopicIn(Schema):
    body_id: int
    title: str
    text: str = ""


class VisitRequestIn(Schema):
    item_id: int
    title: str
    description: str = ""


class LinkOut(Schema):
    visit: VisitDetail
    link_type: str
    link_id: int


# ---------------------------------------------------------------------------------------------
# Helpers


def _liaison_row(a: LiaisonAssignment) -> dict:
    return {
        "id": a.pk,
        "building_id": a.building_id,
        "building": a.building.name,
        "cadre_id": a.cadre_id,
        "cadre": cadre_name(a.cadre),
        "start": a.start,
        "end": a.end,
        "monthly_quota": a.monthly_quota,
        "handed_over": a.handed_over,
    }


def _visit_row(v: Visit) -> dict:
    return {
        "id": v.pk,
        "building_id": v.building_id,
        "building": v.building.name,
        "cadre_id": v.cadre_id,
        "kind": v.kind.code,
        "status": v.status,
        "planned_for": v.planned_for,
        "visited_at": v.visited_at,
        "enterprise_id": v.enterprise_id,
        "place": v.place,
        "overdue": v.is_overdue,
        "version": v.version,
    }


def _visit_detail(v: Visit, user) -> dict:
    return _visit_row(v) | {
        "people": v.people,
        "findings": v.findings,
        "follow_up": v.follow_up,
        "cancel_reason": v.cancel_reason,
        "link_type": v.link_type,
        "link_id": v.link_id,
        "actions": list(dict.fromkeys(t.action for t in VISIT_FLOW.available(v, user))),
    }


def _visit(user, pk: int) -> Visit:
    return selectors.visit_get(user=user, pk=pk)


def _assignment(user, pk: int) -> LiaisonAssignment:
    return get_object_or_404(selectors.liaison_list(user=user).select_related("building__node", "cadre__person"), pk=pk)


def _cadre(building, cadre_id: int, field: str = "cadre_id"):
    """A user holding the liaison-cadre role at a node covering the building."""
    found = liaison_cadres([building]).get(cadre_id)
    if found is None or building.pk not in found[1]:
        raise DomainError(
            "engagement.liaison.cadre.not_covering",
            _("Choose a liaison cadre whose role covers this building."),
            field=field,
        )
    return found[0]


# ---------------------------------------------------------------------------------------------
# Liaison


@router.get("/liaisons", response={200: LiaisonPage, **ERRORS})
@api_login
def list_liaisons(request, filters: Query[LiaisonFilter]):
    qs = selectors.liaison_list(user=request.user)
    if filters.building is not None:
        qs = qs.filter(building_id=filters.building)
    if filters.cadre is not None:
        qs = qs.filter(cadre_id=filters.cadre)
    page = page_of(qs.select_related("building", "cadre__person"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_liaison_row(a) for a in page["items"]]
    return page


@router.post("/liaisons", response={201: LiaisonOut, **ERRORS})
@api_login
def create_liaison(request, payload: LiaisonIn):
    building = building_get(user=request.user, pk=payload.building_id, permission=MANAGE)
    cadre = _cadre(building, payload.cadre_id)
    with api_fields(cadre="cadre_id", building="building_id"):
        assignment = services.liaison_assign(
            actor=request.user,
            building=building,
            cadre=cadre,
            start=payload.start,
            end=payload.end,
            monthly_quota=payload.monthly_quota,
        )
    return Status(201, _liaison_row(assignment))


@router.post("/liaisons/{liaison_id}/handover", response={201: LiaisonOut, **ERRORS})
@api_login
def handover_liaison(request, liaison_id: int, payload: HandoverIn):
    assignment = _assignment(request.user, liaison_id)
    cadre = _cadre(assignment.building, payload.cadre_id)
    with api_fields(cadre="cadre_id"):
        successor = services.liaison_handover(actor=request.user, assignment=assignment, to_cadre=cadre, on=payload.on)
    return Status(201, _liaison_row(successor))


@router.post("/liaisons/{liaison_id}/end", response={200: LiaisonOut, **ERRORS})
@api_login
def end_liaison(request, liaison_id: int, payload: EndIn):
    assignment = _assignment(request.user, liaison_id)
    return _liaison_row(services.liaison_end(actor=request.user, assignment=assignment, end=payload.end))


# ---------------------------------------------------------------------------------------------
# Visits


@router.get("/visits", response={200: VisitPage, **ERRORS})
@api_login
def list_visits(request, filters: Query[VisitFilter]):
    qs = selectors.visit_list(user=request.user)
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.building is not None:
        qs = qs.filter(building_id=filters.building)
    if filters.kind:
        qs = qs.filter(kind__code=filters.kind)
    if filters.overdue:
        qs = selectors.overdue_visits(qs)
    page = page_of(qs.select_related("building", "kind"), limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_visit_row(v) for v in page["items"]]
    return page


@router.post("/visits", response={201: VisitDetail, **ERRORS})
@api_login
def plan_visit(request, payload: VisitIn):
    user = request.user
    building = building_get(user=user, pk=payload.building_id)
    kind = VisitKind.objects.filter(code=payload.kind).first()
    if kind is None:
        raise DomainError("engagement.visit.kind.unknown", _("Unknown kind of visit."), field="kind")
    enterprise = None
    if payload.enterprise_id is not None:
        tenancy = (
            Tenancy.objects.current()
            .filter(building=building, enterprise_id=payload.enterprise_id)
            .select_related("enterprise")
            .first()
        )
        if tenancy is None:
            raise DomainError(
                "engagement.visit.enterprise.not_tenant",
                _("This enterprise is not a tenant of the building."),
                field="enterprise_id",
            )
        enterprise = tenancy.enterprise
    with api_fields(enterprise="enterprise_id"):
        visit = services.visit_plan(
            actor=user,
            building=building,
            kind=kind,
            planned_for=payload.planned_for,
            enterprise=enterprise,
            place=payload.place,
        )
    return Status(201, _visit_detail(_visit(user, visit.pk), user))


@router.get("/visits/{visit_id}", response={200: VisitDetail, **ERRORS})
@api_login
def get_visit(request, visit_id: int):
    return _visit_detail(_visit(request.user, visit_id), request.user)


@router.post("/visits/{visit_id}/record", response={200: VisitDetail, **ERRORS})
@api_login
def record_visit(request, visit_id: int, payload: RecordIn):
    user = request.user
    visit = _visit(user, visit_id)
    services.visit_record(
        actor=user,
        visit=visit,
        findings=payload.findings,
        people=payload.people,
        place=payload.place,
        follow_up=payload.follow_up,
        version=payload.version,
    )
    return _visit_detail(_visit(user, visit_id), user)


@router.post("/visits/{visit_id}/cancel", response={200: VisitDetail, **ERRORS})
@api_login
def cancel_visit(request, visit_id: int, payload: CancelIn):
    user = request.user
    visit = _visit(user, visit_id)
    services.visit_cancel(actor=user, visit=visit, reason=payload.reason, version=payload.version)
    return _visit_detail(_visit(user, visit_id), user)


@router.post("/visits/{visit_id}/topic", response={201: LinkOut, **ERRORS})
@api_login
def visit_to_topic(request, visit_id: int, payload: VisitTopicIn):
    from govcube.bodies.models import Body

    user = request.user
    visit = _visit(user, visit_id)
    body = Body.objects.filter(pk=payload.body_id, buildings=visit.building_id).first()
    if body is None:
        raise DomainError("engagement.visit.topic.body", _("Choose a body that covers this building."), field="body_id")
    with api_fields(body="body_id"):
        topic = services.visit_finding_to_topic(
            actor=user, visit=visit, body=body, title=payload.title, text=payload.text
        )
    return Status(
        201,
        {"visit": _visit_detail(_visit(user, visit_id), user), "link_type": "deliberation.topic", "link_id": topic.pk},
    )


@router.post("/visits/{visit_id}/service-request", response={201: LinkOut, **ERRORS})
@api_login
def visit_to_request(request, visit_id: int, payload: VisitRequestIn):
    from govcube.services.selectors import catalogue

    user = request.user
    visit = _visit(user, visit_id)
    item = catalogue().filter(pk=payload.item_id).first()
    if item is None:
        raise DomainError("engagement.visit.request.item", _("Choose a service from the catalogue."), field="item_id")
    with api_fields(item="item_id"):
        service_request = services.visit_finding_to_request(
            actor=user, visit=visit, item=item, title=payload.title, description=payload.description
        )
    return Status(
        201,
        {
            "visit": _visit_detail(_visit(user, visit_id), user),
            "link_type": "services.servicerequest",
            "link_id": service_request.pk,
        },
    )


# ---------------------------------------------------------------------------------------------
# Special petitions live in their own module, mounted here.

from govcube.engagement.api_petitions import router as petitions_router  # noqa: E402

router.add_router("", petitions_router)
