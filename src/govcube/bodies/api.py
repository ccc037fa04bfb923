"""The /api/v1 resources of governance bodies: bodies and their members.

Reads go through ``bodies.selectors`` (out of scope is 404); writes through
``bodies.services``. Outputs carry names, never mobiles or other personal data.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal

from django.http import Http404
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status

from govcube.bodies import selectors, services
from govcube.bodies.models import BodyKind, BodyMember, MajorityRule
from govcube.bodies.permissions import is_manager, is_recorder, roles_in
from govcube.core.api import ERRORS, api_login, api_policy, page_of
from govcube.core.errors import DomainError
from govcube.directory import selectors as directory
from govcube.territory.selectors import building_list, node_get

router = Router(tags=["bodies"])


@contextmanager
def api_fields(**names: str) -> Iterator[None]:
    """Name the API's input field in a service's error (``buildings`` → ``building_ids``)."""
    try:
        yield
    except DomainError as exc:
        if exc.field in names:
            exc.field = names[exc.field]
        raise


class BodyOut(Schema):
    id: int
    name: str
    kind: str
    node_id: int | None
    parent_id: int | None
    street_id: int | None
    district_id: int | None
    quorum: Decimal
    majority_rule: str
    mechanisms: list[str]
    is_active: bool
    version: int


class BodyPage(Schema):
    items: list[BodyOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class BuildingRef(Schema):
    id: int
    name: str


class MemberOut(Schema):
    id: int
    role: str
    name: str
    kind: str  # person | enterprise | party_organisation
    start: date
    end: date | None
    votes: bool


class BodyDetail(BodyOut):
    description: str
    buildings: list[BuildingRef]
    members: list[MemberOut]
    my_roles: list[str]
    can_manage: bool
    can_record: bool


class BodyFilter(Schema):
    kind: BodyKind | None = None
    q: str = ""
    limit: int = 50
    cursor: str | None = None


class BodyIn(Schema):
    node_id: int
    name: str
    kind: str
    building_ids: list[int] = []
    parent_id: int | None = None
    description: str = ""
    quorum: Decimal = Decimal("0.50")
    majority_rule: str = MajorityRule.SIMPLE.value
    mechanisms: list[str] | None = None


class BodyPatch(Schema):
    version: int
    name: str | None = None
    description: str | None = None
    quorum: Decimal | None = None
    majority_rule: str | None = None
    mechanisms: list[str] | None = None
    is_active: bool | None = None


class MemberIn(Schema):
    role: str
    person_id: int | None = None
    enterprise_id: int | None = None
    party_organisation_id: int | None = None
    start: date | None = None
    end: date | None = None


class MemberEndIn(Schema):
    end: date | None = None


def member_out(member: BodyMember) -> dict:
    kind = "person" if member.person_id else "enterprise" if member.enterprise_id else "party_organisation"
    return {
        "id": member.pk,
        "role": member.role,
        "name": member.member_name,
        "kind": kind,
        "start": member.start,
        "end": member.end,
        "votes": member.votes,
    }


def _detail(body, user) -> dict:
    data = BodyOut.from_orm(body).dict()
    data |= {
        "description": body.description,
        "buildings": list(body.buildings.order_by("name").values("id", "name")),
        "members": [member_out(m) for m in selectors.members_of(body).order_by("role", "pk")],
        "my_roles": sorted(roles_in(user, body)),
        "can_manage": is_manager(user, body),
        "can_record": is_recorder(user, body),
    }
    return data


def _buildings(user, ids: list[int]) -> list:
    wanted = sorted(set(ids))
    found = list(building_list(user=user).filter(pk__in=wanted).select_related("node"))
    if len(found) != len(wanted):
        raise Http404
    return found


@router.get("/bodies", response={200: BodyPage, **ERRORS})
@api_login
def list_bodies(request, filters: Query[BodyFilter]):
    qs = selectors.body_list(user=request.user)
    if filters.kind:
        qs = qs.filter(kind=filters.kind)
    if filters.q.strip():
        qs = qs.filter(name__icontains=filters.q.strip())
    return page_of(qs, limit=filters.limit, cursor=filters.cursor)


@router.post("/bodies", response={201: BodyDetail, **ERRORS})
@api_policy("bodies.change_body")
def create_body(request, payload: BodyIn):
    node = node_get(user=request.user, pk=payload.node_id)
    buildings = _buildings(request.user, payload.building_ids)
    parent = selectors.body_get(user=request.user, pk=payload.parent_id) if payload.parent_id else None
    with api_fields(buildings="building_ids", parent="parent_id"):
        body = services.body_create(
            actor=request.user,
            node=node,
            name=payload.name,
            kind=payload.kind,
            buildings=buildings,
            parent=parent,
            description=payload.description,
            quorum=payload.quorum,
            majority_rule=payload.majority_rule,
            mechanisms=payload.mechanisms,
        )
    return Status(201, _detail(body, request.user))


@router.get("/bodies/{body_id}", response={200: BodyDetail, **ERRORS})
@api_login
def get_body(request, body_id: int):
    return _detail(selectors.body_get(user=request.user, pk=body_id), request.user)


@router.patch("/bodies/{body_id}", response={200: BodyDetail, **ERRORS})
@api_policy("bodies.change_body")
def patch_body(request, body_id: int, payload: BodyPatch):
    body = selectors.body_get(user=request.user, pk=body_id)
    changes = {k: v for k, v in payload.dict(exclude_unset=True, exclude={"version"}).items() if v is not None}
    body = services.body_update(actor=request.user, body=body, version=payload.version, **changes)
    return _detail(body, request.user)


@router.post("/bodies/{body_id}/members", response={201: MemberOut, **ERRORS})
@api_policy("bodies.change_body")
def add_member(request, body_id: int, payload: MemberIn):
    body = selectors.body_get(user=request.user, pk=body_id)
    given = [f for f in ("person_id", "enterprise_id", "party_organisation_id") if getattr(payload, f) is not None]
    if len(given) != 1:
        raise DomainError(
            "bodies.member.who",
            _("Name one person, one enterprise or one party organisation."),
            field="person_id",
        )
    user = request.user
    person = directory.person_get(user=user, pk=payload.person_id) if payload.person_id else None
    enterprise = directory.enterprise_get(user=user, pk=payload.enterprise_id) if payload.enterprise_id else None
    organisation = (
        directory.party_organisation_get(user=user, pk=payload.party_organisation_id)
        if payload.party_organisation_id
        else None
    )
    with api_fields(person=given[0], enterprise=given[0], party_organisation=given[0]):
        member = services.body_member_add(
            actor=user,
            body=body,
            role=payload.role,
            person=person,
            enterprise=enterprise,
            party_organisation=organisation,
            start=payload.start,
            end=payload.end,
        )
    return Status(201, member_out(member))


@router.post("/bodies/{body_id}/members/{member_id}/end", response={200: MemberOut, **ERRORS})
@api_policy("bodies.change_body")
def end_member(request, body_id: int, member_id: int, payload: MemberEndIn | None = None):
    body = selectors.body_get(user=request.user, pk=body_id)
    member = get_object_or_404(selectors.members_of(body).select_related("body", "body__node"), pk=member_id)
    member = services.body_member_end(actor=request.user, member=member, end=payload.end if payload else None)
    return member_out(member)
