"""Reads of the directory, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.directory.models import Enterprise, PartyOrganisation, Person, Tenancy


def enterprise_list(*, user) -> QuerySet[Enterprise]:
    """Enterprises hanging in the user's territory, or that were ever tenants of a building there."""
    scope = scope_for(user, "directory.view_enterprise")
    if scope.everything:
        return Enterprise.objects.all()
    q = scope.territory_q()
    if scope.enterprise_ids:
        q |= Q(pk__in=sorted(scope.enterprise_ids))
    tenancy_q = scope.territory_q(
        path="building__node__path", district="building__district_id", street="building__street_id"
    )
    if not scope.is_empty:
        q |= Exists(Tenancy.objects.filter(tenancy_q, enterprise=OuterRef("pk")))
    return Enterprise.objects.filter(q)


def enterprise_get(*, user, pk: int) -> Enterprise:
    return get_object_or_404(enterprise_list(user=user).select_related("industry", "node"), pk=pk)


def enterprise_search(qs, *, q: str = "", industry: str = "", gsp: str = "", street: str = ""):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(uscc__icontains=q.upper()))
    if industry:
        qs = qs.filter(Q(industry_id=industry) | Q(industry__section_id=industry))
    if gsp in ("1", "true"):
        qs = qs.filter(is_global_service_provider=True)
    if street.isdigit():
        qs = qs.filter(street_id=int(street))
    return qs


def person_list(*, user) -> QuerySet[Person]:
    scope = scope_for(user, "directory.view_person")
    q = scope.territory_q()
    if scope.enterprise_ids:
        q |= Q(employer_id__in=sorted(scope.enterprise_ids))
    return Person.objects.filter(q)


def person_get(*, user, pk: int) -> Person:
    return get_object_or_404(person_list(user=user).select_related("employer", "party_organisation"), pk=pk)


def person_search(qs, *, q: str = "", party: str = "", can_see_party: bool = False):
    if q:
        qs = qs.filter(Q(name__icontains=q) | Q(employer__name__icontains=q))
    if can_see_party and party in ("1", "true"):
        qs = qs.filter(is_party_member=True)
    return qs


def party_organisation_list(*, user) -> QuerySet[PartyOrganisation]:
    scope = scope_for(user, "directory.view_partyorganisation")
    return PartyOrganisation.objects.filter(scope.territory_q())


def party_organisation_get(*, user, pk: int) -> PartyOrganisation:
    return get_object_or_404(party_organisation_list(user=user).select_related("parent", "node"), pk=pk)


def tenancies_of_building(building) -> QuerySet[Tenancy]:
    return (
        Tenancy.objects.filter(building=building)
        .select_related("enterprise", "enterprise__industry")
        .order_by("-start")
    )


def tenancies_of_enterprise(enterprise) -> QuerySet[Tenancy]:
    return Tenancy.objects.filter(enterprise=enterprise).select_related("building").order_by("-start")
