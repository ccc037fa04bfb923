from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from govcube.core import access
from govcube.core.errors import DomainError
from govcube.core.listing import paginate, xlsx_response
from govcube.directory.models import PartyOrganisation
from govcube.directory.selectors import person_list, tenancies_of_building
from govcube.territory import selectors, services
from govcube.territory.forms import BuildingForm, GridChiefForm, TaxRecordForm
from govcube.territory.models import GridChief, Tier


@access.permission("territory.view_node")
def tree(request):
    roots = selectors.node_roots(user=request.user)
    return render(request, "territory/tree.html", {"roots": roots})


@access.permission("territory.view_node")
def node_detail(request, pk: int):
    node = selectors.node_get(user=request.user, pk=pk)
    if node.kind == "building_grid" and hasattr(node, "building"):
        return building_detail(request, node.building.pk)
    children = list(selectors.node_children(user=request.user, node=node).select_related("building"))
    buildings = (
        selectors.building_list(user=request.user)
        .filter(node__path__startswith=node.path)
        .order_by("-tier", "name")[:50]
    )
    chiefs = GridChief.objects.filter(node=node).select_related("person")
    return render(
        request,
        "territory/node_detail.html",
        {
            "node": node,
            "crumbs": selectors.node_ancestors(user=request.user, node=node),
            "children": children,
            "buildings": buildings,
            "chiefs": chiefs,
        },
    )


BUILDING_COLUMNS = [
    (_("Name"), lambda b: b.name),
    (_("Street"), lambda b: b.street.name),
    (_("Address"), lambda b: b.address),
    (_("Tier"), lambda b: b.get_tier_display()),
    (_("Key building"), lambda b: b.is_key),
    (_("Floors"), lambda b: b.floors),
    (_("Floor area (m²)"), lambda b: b.floor_area),
    (_("Annual tax revenue"), lambda b: b.annual_tax),
]


@access.permission("territory.view_building")
def building_list(request):
    qs = selectors.building_search(
        selectors.building_list(user=request.user).select_related("street"),
        q=request.GET.get("q", "").strip(),
        tier=request.GET.get("tier", ""),
        is_key=request.GET.get("key", ""),
        street=request.GET.get("street", ""),
    ).order_by("name", "pk")
    if request.GET.get("format") == "xlsx" and request.user.has_perm("core.export_data"):
        return xlsx_response(filename="buildings", columns=BUILDING_COLUMNS, rows=qs.iterator(chunk_size=1000))
    page = paginate(request, qs)
    return render(request, "territory/building_list.html", {"page": page, "tiers": Tier.choices})


@access.permission("territory.view_building")
def building_detail(request, pk: int):
    building = selectors.building_get(user=request.user, pk=pk)
    today = timezone.localdate()
    tenancies = list(tenancies_of_building(building)[:500])
    current = [t for t in tenancies if t.is_current(today)]
    past = [t for t in tenancies if not t.is_current(today)]
    orgs = PartyOrganisation.objects.filter(buildings=building).select_related("parent")
    chiefs = GridChief.objects.filter(node=building.node).select_related("person")
    tax = (
        list(building.tax_records.filter(month__year=building.tier_year).order_by("month"))
        if building.tier_year
        else []
    )
    return render(
        request,
        "territory/building_detail.html",
        {
            "building": building,
            "crumbs": selectors.node_ancestors(user=request.user, node=building.node),
            "current": current,
            "past": past,
            "orgs": orgs,
            "chiefs": chiefs,
            "tax": tax,
            "can_edit": request.user.has_perm("territory.change_building", building),
            "can_add_enterprise": request.user.has_perm("directory.change_enterprise", building),
        },
    )


def _form_error(form, exc: DomainError) -> None:
    form.add_error(exc.field if exc.field in form.fields else None, exc.message)


def _apply_building_form(request, building, action: str, data: dict, people: list) -> None:
    if action == "profile":
        version = data.pop("version")
        services.building_update(actor=request.user, building=building, version=version, **data)
    elif action == "tax":
        services.tax_record_set(actor=request.user, building=building, month=data["month"], amount=data["amount"])
    else:
        person = next((p for p in people if p.pk == data["person"]), None)
        if person is None:
            raise DomainError(
                "territory.gridchief.person.unknown", gettext("Choose a person from the list."), field="person"
            )
        services.grid_chief_assign(
            actor=request.user, node=building.node, kind=data["kind"], person=person, replace=data["replace"]
        )


@access.permission("territory.change_building")
def building_edit(request, pk: int):
    """Profile, monthly tax revenue and grid chiefs of one building, each its own small form."""
    building = selectors.building_get(user=request.user, pk=pk)
    if not request.user.has_perm("territory.change_building", building):
        raise PermissionDenied
    action = request.POST.get("action", "") if request.method == "POST" else ""
    people = list(
        person_list(user=request.user)
        .filter(node__path__startswith=building.node.path)
        .select_related("employer")[:200]
    )
    initial = {name: getattr(building, name) for name in BuildingForm.base_fields}
    forms = {
        "profile": BuildingForm(request.POST if action == "profile" else None, initial=initial, prefix="profile"),
        "tax": TaxRecordForm(request.POST if action == "tax" else None, prefix="tax"),
        "chief": GridChiefForm(request.POST if action == "chief" else None, people=people, prefix="chief"),
    }
    form = forms.get(action)
    if form is not None and form.is_valid():
        try:
            _apply_building_form(request, building, action, dict(form.cleaned_data), people)
        except DomainError as exc:
            _form_error(form, exc)
        else:
            messages.success(request, gettext("Saved."))
            return redirect("territory:building_edit", pk=building.pk)
    context = {"building": building, "crumbs": selectors.node_ancestors(user=request.user, node=building.node)}
    return render(request, "territory/building_edit.html", context | forms)
