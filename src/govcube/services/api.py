"""/api/v1 for the service desk: the catalogue, requests and their actions, ratings, extensions."""

from datetime import datetime
from decimal import Decimal

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from govcube.core.api import ERRORS, api_login, page_of
from govcube.directory.selectors import enterprise_get
from govcube.services import selectors, services, sla
from govcube.services.models import Department, Extension, RequestStatus
from govcube.services.workflows import REQUEST_FLOW
from govcube.territory.selectors import building_get

router = Router(tags=["services"])


class PolicyOut(Schema):
    number: int
    first_response_hours: Decimal
    update_hours: Decimal
    resolution_days: int


class CatalogItemOut(Schema):
    id: int
    domain: str
    code: str
    name: str
    department: str
    documents: list[str]
    guide: str
    policy: PolicyOut | None

    @staticmethod
    def resolve_department(obj):
        return obj.department.name

    @staticmethod
    def resolve_policy(obj):
        return obj.current_policy


class ClockOut(Schema):
    due: datetime | None
    met_at: datetime | None = None
    remaining_hours: float | None = None
    tone: str | None = None


class RequestOut(Schema):
    id: int
    number: str
    title: str
    status: str
    channel: str
    enterprise_id: int
    building_id: int
    item_id: int
    department: str
    owner: str | None
    submitted_at: datetime
    first_response: ClockOut
    resolution: ClockOut
    paused: bool
    reopen_count: int
    escalation_level: int
    version: int
    actions: list[str]


class RequestDetailOut(RequestOut):
    description: str
    answer: str


class RequestPage(Schema):
    items: list[RequestOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class RequestIn(Schema):
    enterprise_id: int
    building_id: int
    item_id: int
    title: str
    description: str


class ActionIn(Schema):
    version: int | None = None
    message: str = ""
    answer: str = ""
    reason: str = ""
    department_id: int | None = None
    merged_into_id: int | None = None


class MessageIn(Schema):
    text: str
    internal: bool = False


class RequestRatingIn(Schema):
    score: int
    solved: bool = True
    comment: str = ""


class ExtensionIn(Schema):
    days: int
    reason: str


class ExtensionOut(Schema):
    id: int
    request_id: int
    days: int
    reason: str
    status: str


class RequestFilter(Schema):
    status: RequestStatus | None = None
    department: int | None = None
    item: int | None = None
    limit: int = 50
    cursor: str | None = None


def _out(request, user) -> dict:
    first = sla.remaining(request.first_response_due) if request.first_responded_at is None else None
    resolution = sla.remaining(request.resolution_due, paused_at=request.paused_at) if request.is_open else None
    return {
        **{
            f: getattr(request, f)
            for f in (
                "id",
                "number",
                "title",
                "status",
                "channel",
                "enterprise_id",
                "building_id",
                "item_id",
                "submitted_at",
                "reopen_count",
                "escalation_level",
                "version",
            )
        },
        "department": request.department.name,
        "owner": str(request.owner) if request.owner_id else None,
        "first_response": {
            "due": request.first_response_due,
            "met_at": request.first_responded_at,
            "remaining_hours": first.hours if first else None,
            "tone": first.tone if first else None,
        },
        "resolution": {
            "due": request.resolution_due,
            "met_at": request.resolved_at,
            "remaining_hours": resolution.hours if resolution else None,
            "tone": resolution.tone if resolution else None,
        },
        "paused": request.paused_at is not None,
        "actions": [t.action for t in REQUEST_FLOW.available(request, user)],
        "description": request.description,
        "answer": request.answer,
    }


@router.get("/service-catalog", response={200: list[CatalogItemOut], **ERRORS})
@api_login
def list_catalogue(request):
    return list(selectors.catalogue().prefetch_related("policies")[:500])


@router.get("/service-requests", response={200: RequestPage, **ERRORS})
@api_login
def list_requests(request, filters: Query[RequestFilter]):
    qs = selectors.request_list(user=request.user).select_related("department", "owner")
    if filters.status:
        qs = qs.filter(status=filters.status)
    if filters.department:
        qs = qs.filter(department_id=filters.department)
    if filters.item:
        qs = qs.filter(item_id=filters.item)
    page = page_of(qs, limit=filters.limit, cursor=filters.cursor)
    page["items"] = [_out(r, request.user) for r in page["items"]]
    return page


@router.post("/service-requests", response={201: RequestDetailOut, **ERRORS})
@api_login
def create_request(request, payload: RequestIn):
    enterprise = enterprise_get(user=request.user, pk=payload.enterprise_id)
    building = building_get(user=request.user, pk=payload.building_id)
    item = get_object_or_404(selectors.catalogue(), pk=payload.item_id)
    created = services.request_submit(
        actor=request.user,
        enterprise=enterprise,
        building=building,
        item=item,
        title=payload.title,
        description=payload.description,
    )
    return Status(201, _out(selectors.request_get(user=request.user, pk=created.pk), request.user))


@router.get("/service-requests/{request_id}", response={200: RequestDetailOut, **ERRORS})
@api_login
def get_request(request, request_id: int):
    return _out(selectors.request_get(user=request.user, pk=request_id), request.user)


@router.post("/service-requests/{request_id}/messages", response={201: dict, **ERRORS})
@api_login
def post_message(request, request_id: int, payload: MessageIn):
    target = selectors.request_get(user=request.user, pk=request_id)
    message = services.message_post(actor=request.user, request=target, text=payload.text, internal=payload.internal)
    return Status(201, {"id": message.pk})


@router.post("/service-requests/{request_id}/rating", response={201: dict, **ERRORS})
@api_login
def rate_request(request, request_id: int, payload: RequestRatingIn):
    target = selectors.request_get(user=request.user, pk=request_id)
    rating = services.rating_submit(
        actor=request.user, request=target, score=payload.score, comment=payload.comment, solved=payload.solved
    )
    return Status(201, {"id": rating.pk, "review": rating.review_status or None})


@router.post("/service-requests/{request_id}/extensions", response={201: ExtensionOut, **ERRORS})
@api_login
def ask_extension(request, request_id: int, payload: ExtensionIn):
    target = selectors.request_get(user=request.user, pk=request_id)
    return Status(
        201, services.extension_request(actor=request.user, request=target, days=payload.days, reason=payload.reason)
    )


@router.post("/extensions/{extension_id}/{decision}", response={200: ExtensionOut, **ERRORS})
@api_login
def decide_extension(request, extension_id: int, decision: str):
    extension = get_object_or_404(
        Extension.objects.filter(request__in=selectors.request_list(user=request.user)), pk=extension_id
    )
    if decision not in ("approve", "refuse"):
        from govcube.core.errors import NotFound

        raise NotFound()
    return services.extension_decide(actor=request.user, extension=extension, approve=decision == "approve")


@router.post("/service-requests/{request_id}/{action}", response={200: RequestDetailOut, **ERRORS})
@api_login
def act_on_request(request, request_id: int, action: str, payload: ActionIn):
    target = selectors.request_get(user=request.user, pk=request_id)
    extra = {"message": payload.message, "answer": payload.answer, "reason": payload.reason}
    if payload.department_id is not None:
        extra["department"] = get_object_or_404(Department.objects.all(), pk=payload.department_id)
    if payload.merged_into_id is not None:
        extra["merged_into"] = selectors.request_get(user=request.user, pk=payload.merged_into_id)
    if action == "escalate":
        services.request_escalate(actor=request.user, request=target, note=payload.reason)
    else:
        services.request_action(actor=request.user, request=target, action=action, version=payload.version, **extra)
    return _out(selectors.request_get(user=request.user, pk=request_id), request.user)
