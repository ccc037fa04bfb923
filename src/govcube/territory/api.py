from datetime import date
from decimal import Decimal

from ninja import Query, Router, Schema

from govcube.core.api import ERRORS, api_policy, page_of
from govcube.territory import selectors, services
from govcube.territory.models import Tier

router = Router(tags=["territory"])


class NodeOut(Schema):
    id: int
    kind: str
    name: str
    code: str
    depth: int
    district_id: int | None
    street_id: int | None


class BuildingOut(Schema):
    id: int
    node_id: int
    name: str
    name_en: str
    address: str
    latitude: Decimal | None
    longitude: Decimal | None
    floors: int | None
    floor_area: Decimal | None
    is_key: bool
    tier: str
    tier_year: int | None
    annual_tax: Decimal
    street_id: int
    district_id: int
    version: int


class BuildingPage(Schema):
    items: list[BuildingOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class NodePage(Schema):
    items: list[NodeOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class BuildingFilter(Schema):
    q: str = ""
    tier: Tier | None = None
    is_key: bool | None = None
    street: int | None = None
    limit: int = 50
    cursor: str | None = None


class BuildingPatch(Schema):
    version: int
    name: str | None = None
    name_en: str | None = None
    address: str | None = None
    floors: int | None = None
    floor_area: Decimal | None = None
    is_key: bool | None = None


class TaxRecordIn(Schema):
    month: date
    amount: Decimal


@router.get("/nodes", response={200: NodePage, **ERRORS})
@api_policy("territory.view_node")
def list_nodes(request, limit: int = 50, cursor: str | None = None, parent: int | None = None):
    qs = selectors.node_list(user=request.user)
    if parent is not None:
        node = selectors.node_get(user=request.user, pk=parent)
        qs = qs.filter(path__startswith=node.path, depth=node.depth + 1)
    return page_of(qs, limit=limit, cursor=cursor)


@router.get("/nodes/{node_id}", response={200: NodeOut, **ERRORS})
@api_policy("territory.view_node")
def get_node(request, node_id: int):
    return selectors.node_get(user=request.user, pk=node_id)


@router.get("/buildings", response={200: BuildingPage, **ERRORS})
@api_policy("territory.view_building")
def list_buildings(request, filters: Query[BuildingFilter]):
    qs = selectors.building_search(
        selectors.building_list(user=request.user),
        q=filters.q,
        tier=filters.tier or "",
        is_key="1" if filters.is_key else "",
        street=str(filters.street or ""),
    )
    return page_of(qs, limit=filters.limit, cursor=filters.cursor)


@router.get("/buildings/{building_id}", response={200: BuildingOut, **ERRORS})
@api_policy("territory.view_building")
def get_building(request, building_id: int):
    return selectors.building_get(user=request.user, pk=building_id)


@router.patch("/buildings/{building_id}", response={200: BuildingOut, **ERRORS})
@api_policy("territory.change_building")
def patch_building(request, building_id: int, payload: BuildingPatch):
    building = selectors.building_get(user=request.user, pk=building_id)
    changes = payload.dict(exclude_unset=True, exclude={"version"})
    return services.building_update(actor=request.user, building=building, version=payload.version, **changes)


@router.put("/buildings/{building_id}/tax-records", response={200: BuildingOut, **ERRORS})
@api_policy("territory.change_taxrecord")
def put_tax_record(request, building_id: int, payload: TaxRecordIn):
    building = selectors.building_get(user=request.user, pk=building_id)
    services.tax_record_set(actor=request.user, building=building, month=payload.month, amount=payload.amount)
    return selectors.building_get(user=request.user, pk=building_id)
