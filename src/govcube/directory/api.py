from datetime import date

from django.shortcuts import get_object_or_404
from ninja import Query, Router, Schema, Status

from govcube.core.api import ERRORS, api_policy, page_of
from govcube.directory import selectors, services
from govcube.territory.selectors import building_get

router = Router(tags=["directory"])


class EnterpriseOut(Schema):
    id: int
    uscc: str
    name: str
    industry_id: str
    headcount: int
    party_member_count: int
    is_global_service_provider: bool
    is_key_enterprise: bool
    node_id: int | None
    street_id: int | None
    version: int


class EnterprisePage(Schema):
    items: list[EnterpriseOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class EnterpriseIn(Schema):
    building_id: int
    uscc: str
    name: str
    industry: str
    headcount: int = 0
    party_member_count: int = 0
    is_global_service_provider: bool = False


class EnterpriseFilter(Schema):
    q: str = ""
    industry: str = ""
    street: int | None = None
    global_service_provider: bool | None = None
    limit: int = 50
    cursor: str | None = None


class TenancyIn(Schema):
    building_id: int
    floor: str = ""
    start: date
    end: date | None = None


class TenancyOut(Schema):
    id: int
    enterprise_id: int
    building_id: int
    floor: str
    start: date
    end: date | None


class PersonOut(Schema):
    id: int
    name: str
    mobile: str
    employer_id: int | None


class PersonPage(Schema):
    items: list[PersonOut]
    next_cursor: str | None
    total: int
    total_capped: bool


class PartyOrgOut(Schema):
    id: int
    name: str
    kind: str
    parent_id: int | None
    member_count: int


class PartyOrgPage(Schema):
    items: list[PartyOrgOut]
    next_cursor: str | None
    total: int
    total_capped: bool


@router.get("/enterprises", response={200: EnterprisePage, **ERRORS})
@api_policy("directory.view_enterprise")
def list_enterprises(request, filters: Query[EnterpriseFilter]):
    qs = selectors.enterprise_search(
        selectors.enterprise_list(user=request.user),
        q=filters.q,
        industry=filters.industry,
        street=str(filters.street or ""),
        gsp="1" if filters.global_service_provider else "",
    )
    return page_of(qs, limit=filters.limit, cursor=filters.cursor)


@router.post("/enterprises", response={201: EnterpriseOut, **ERRORS})
@api_policy("directory.change_enterprise")
def create_enterprise(request, payload: EnterpriseIn):
    building = building_get(user=request.user, pk=payload.building_id)
    enterprise = services.enterprise_create(
        actor=request.user,
        node=building.node,
        uscc=payload.uscc,
        name=payload.name,
        industry=payload.industry,
        headcount=payload.headcount,
        party_member_count=payload.party_member_count,
        is_global_service_provider=payload.is_global_service_provider,
    )
    return Status(201, enterprise)


@router.get("/enterprises/{enterprise_id}", response={200: EnterpriseOut, **ERRORS})
@api_policy("directory.view_enterprise")
def get_enterprise(request, enterprise_id: int):
    return selectors.enterprise_get(user=request.user, pk=enterprise_id)


@router.get("/enterprises/{enterprise_id}/tenancies", response={200: list[TenancyOut], **ERRORS})
@api_policy("directory.view_enterprise")
def list_tenancies(request, enterprise_id: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=enterprise_id)
    return list(selectors.tenancies_of_enterprise(enterprise)[:200])


@router.post("/enterprises/{enterprise_id}/tenancies", response={201: TenancyOut, **ERRORS})
@api_policy("directory.change_tenancy")
def create_tenancy(request, enterprise_id: int, payload: TenancyIn):
    enterprise = selectors.enterprise_get(user=request.user, pk=enterprise_id)
    building = building_get(user=request.user, pk=payload.building_id)
    tenancy = services.tenancy_create(
        actor=request.user,
        enterprise=enterprise,
        building=building,
        floor=payload.floor,
        start=payload.start,
        end=payload.end,
    )
    return Status(201, tenancy)


@router.get("/people", response={200: PersonPage, **ERRORS})
@api_policy("directory.view_person")
def list_people(request, q: str = "", limit: int = 50, cursor: str | None = None):
    page = page_of(selectors.person_search(selectors.person_list(user=request.user), q=q), limit=limit, cursor=cursor)
    page["items"] = [
        {"id": p.id, "name": p.name, "mobile": p.masked_mobile, "employer_id": p.employer_id} for p in page["items"]
    ]
    return page


@router.get("/party-organisations", response={200: PartyOrgPage, **ERRORS})
@api_policy("directory.view_partyorganisation")
def list_party_organisations(request, limit: int = 50, cursor: str | None = None):
    return page_of(selectors.party_organisation_list(user=request.user), limit=limit, cursor=cursor)


@router.get("/party-organisations/{org_id}", response={200: PartyOrgOut, **ERRORS})
@api_policy("directory.view_partyorganisation")
def get_party_organisation(request, org_id: int):
    return get_object_or_404(selectors.party_organisation_list(user=request.user), pk=org_id)
