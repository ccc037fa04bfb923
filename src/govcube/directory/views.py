from __future__ import annotations

from django.shortcuts import render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from govcube.core import access
from govcube.core.listing import paginate, xlsx_response
from govcube.directory import selectors, services
from govcube.directory.models import Industry, PartyOrganisation
from govcube.territory.selectors import building_list


def _export_allowed(request) -> bool:
    return request.GET.get("format") == "xlsx" and request.user.has_perm("core.export_data")


ENTERPRISE_COLUMNS = [
    (_("Name"), lambda e: e.name),
    (_("Unified social credit code"), lambda e: e.uscc),
    (_("Industry"), lambda e: str(e.industry)),
    (_("Headcount"), lambda e: e.headcount),
    (_("Party members"), lambda e: e.party_member_count),
    (_("Global service provider"), lambda e: e.is_global_service_provider),
]


@access.permission("directory.view_enterprise")
def enterprise_list(request):
    qs = selectors.enterprise_search(
        selectors.enterprise_list(user=request.user).select_related("industry", "node"),
        q=request.GET.get("q", "").strip(),
        industry=request.GET.get("industry", ""),
        gsp=request.GET.get("gsp", ""),
        street=request.GET.get("street", ""),
    ).order_by("name", "pk")
    if _export_allowed(request):
        return xlsx_response(filename="enterprises", columns=ENTERPRISE_COLUMNS, rows=qs.iterator(chunk_size=1000))
    sections = Industry.objects.filter(section__isnull=True).order_by("code")
    return render(request, "directory/enterprise_list.html", {"page": paginate(request, qs), "sections": sections})


@access.permission("directory.view_enterprise")
def enterprise_detail(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    tenancies = list(selectors.tenancies_of_enterprise(enterprise)[:200])
    today = timezone.localdate()
    orgs = list(enterprise.party_organisations.all()[:20])
    return render(
        request,
        "directory/enterprise_detail.html",
        {"enterprise": enterprise, "tenancies": tenancies, "today": today, "orgs": orgs},
    )


PERSON_COLUMNS = [
    (_("Name"), lambda p: p.name),
    (_("Mobile"), lambda p: p.masked_mobile),
    (_("Employer"), lambda p: p.employer.name if p.employer else ""),
]


@access.permission("directory.view_person")
def person_list(request):
    can_see_party = request.user.has_perm("directory.view_party_membership")
    qs = selectors.person_search(
        selectors.person_list(user=request.user).select_related("employer"),
        q=request.GET.get("q", "").strip(),
        party=request.GET.get("party", ""),
        can_see_party=can_see_party,
    ).order_by("name", "pk")
    if _export_allowed(request):
        columns = PERSON_COLUMNS + ([(_("Party member"), lambda p: p.is_party_member)] if can_see_party else [])
        return xlsx_response(filename="people", columns=columns, rows=qs.iterator(chunk_size=1000))
    return render(
        request, "directory/person_list.html", {"page": paginate(request, qs), "can_see_party": can_see_party}
    )


@access.permission("directory.view_person")
def person_detail(request, pk: int):
    person = selectors.person_get(user=request.user, pk=pk)
    services.person_record_viewed(actor=request.user, person=person)
    return render(
        request,
        "directory/person_detail.html",
        {
            "person": person,
            "can_see_party": request.user.has_perm("directory.view_party_membership"),
            "positions": person.positions.select_related("enterprise", "party_organisation"),
        },
    )


PARTY_COLUMNS = [
    (_("Name"), lambda o: o.name),
    (_("Kind"), lambda o: o.get_kind_display()),
    (_("Parent organisation"), lambda o: o.parent.name if o.parent else ""),
    (_("Members"), lambda o: o.member_count),
]


@access.permission("directory.view_partyorganisation")
def party_organisation_list(request):
    qs = selectors.party_organisation_list(user=request.user).select_related("parent").order_by("name", "pk")
    q = request.GET.get("q", "").strip()
    if q:
        qs = qs.filter(name__icontains=q)
    kind = request.GET.get("kind", "")
    if kind:
        qs = qs.filter(kind=kind)
    if _export_allowed(request):
        return xlsx_response(filename="party-organisations", columns=PARTY_COLUMNS, rows=qs.iterator(chunk_size=1000))
    from govcube.directory.models import PartyOrgKind

    return render(
        request,
        "directory/party_organisation_list.html",
        {"page": paginate(request, qs), "kinds": PartyOrgKind.choices},
    )


@access.permission("directory.view_partyorganisation")
def party_organisation_detail(request, pk: int):
    org = selectors.party_organisation_get(user=request.user, pk=pk)
    return render(
        request,
        "directory/party_organisation_detail.html",
        {
            "org": org,
            "children": PartyOrganisation.objects.filter(parent=org).order_by("name")[:100],
            "enterprises": selectors.enterprise_list(user=request.user)
            .filter(party_organisations=org)
            .order_by("name")[:100],
            "buildings": building_list(user=request.user).filter(party_organisations=org).order_by("name")[:100],
        },
    )
