from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import paginate, xlsx_response
from govcube.directory import selectors, services
from govcube.directory.forms import EnterpriseEditForm, EnterpriseForm, TenancyForm
from govcube.directory.models import Industry, PartyOrganisation
from govcube.territory.selectors import building_get, building_list


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
    can_edit = request.user.has_perm("directory.change_enterprise", enterprise)
    return render(
        request,
        "directory/enterprise_detail.html",
        {"enterprise": enterprise, "tenancies": tenancies, "today": today, "orgs": orgs, "can_edit": can_edit},
    )


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


@access.permission("directory.change_enterprise")
def enterprise_create(request, building_pk: int):
    """Register an enterprise as a tenant of a building."""
    building = building_get(user=request.user, pk=building_pk)
    form = EnterpriseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        floor, start = data.pop("floor"), data.pop("start")
        try:
            with transaction.atomic():
                enterprise = services.enterprise_create(actor=request.user, node=building.node, **data)
                services.tenancy_create(
                    actor=request.user, enterprise=enterprise, building=building, floor=floor, start=start
                )
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, gettext("The enterprise was registered."))
            return redirect("directory:enterprise", pk=enterprise.pk)
    return render(request, "directory/enterprise_form.html", {"form": form, "building": building})


@access.permission("directory.change_enterprise")
def enterprise_edit(request, pk: int):
    enterprise = selectors.enterprise_get(user=request.user, pk=pk)
    if not request.user.has_perm("directory.change_enterprise", enterprise):
        raise PermissionDenied
    initial = {name: getattr(enterprise, name) for name in EnterpriseEditForm.base_fields if name != "industry"}
    initial["industry"] = enterprise.industry_id
    action = request.POST.get("action", "") if request.method == "POST" else ""
    form = EnterpriseEditForm(request.POST if action == "profile" else None, initial=initial, prefix="profile")
    buildings = list(building_list(user=request.user, permission="directory.change_tenancy").order_by("name")[:500])
    tenancy_form = TenancyForm(request.POST if action == "tenancy" else None, buildings=buildings, prefix="tenancy")
    try:
        if action == "profile" and form.is_valid():
            data = dict(form.cleaned_data)
            services.enterprise_update(actor=request.user, enterprise=enterprise, version=data.pop("version"), **data)
            messages.success(request, gettext("Saved."))
            return redirect("directory:enterprise", pk=enterprise.pk)
        if action == "tenancy" and tenancy_form.is_valid():
            data = tenancy_form.cleaned_data
            building = next((b for b in buildings if b.pk == data["building"]), None)
            if building is None:
                raise DomainError(
                    "directory.tenancy.building.unknown", gettext("Choose a building from the list."), field="building"
                )
            services.tenancy_create(
                actor=request.user,
                enterprise=enterprise,
                building=building,
                floor=data["floor"],
                start=data["start"],
                end=data["end"],
            )
            messages.success(request, gettext("The tenancy was recorded."))
            return redirect("directory:enterprise", pk=enterprise.pk)
    except DomainError as exc:
        _form_error(form if action == "profile" else tenancy_form, exc)
    return render(
        request,
        "directory/enterprise_edit.html",
        {"enterprise": enterprise, "form": form, "tenancy_form": tenancy_form},
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
