"""Reads of liaison and visits, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404
from django.utils import timezone

from govcube.accounts.permissions import scope_for
from govcube.engagement.models import LiaisonAssignment, Visit, VisitStatus
from govcube.territory.models import Building


def is_liaison_for(user, building_ids) -> bool:
    return (
        bool(user and user.is_authenticated)
        and LiaisonAssignment.objects.active().filter(cadre=user, building_id__in=list(building_ids)).exists()
    )


def _territory(user):
    return scope_for(user, "engagement.view_visit").territory_q(
        path="building__node__path", district="district_id_scope", street="street_id_scope"
    )


def liaison_list(*, user) -> QuerySet[LiaisonAssignment]:
    """Assignments in the user's territory, and the user's own."""
    q = _territory(user)
    if user.is_authenticated:
        q |= Q(cadre=user)
    return LiaisonAssignment.objects.filter(q)


def visit_list(*, user) -> QuerySet[Visit]:
    q = _territory(user)
    if user.is_authenticated:
        q |= Q(cadre=user)
    return Visit.objects.filter(q)


def visit_get(*, user, pk: int) -> Visit:
    return get_object_or_404(
        visit_list(user=user).select_related("building", "cadre__person", "kind", "enterprise"), pk=pk
    )


def overdue_visits(qs: QuerySet[Visit]) -> QuerySet[Visit]:
    return qs.filter(status=VisitStatus.PLANNED, planned_for__lt=timezone.localdate())


def key_buildings_without_liaison(*, user) -> QuerySet[Building]:
    """Key buildings in the user's territory with no active liaison cadre (the cockpit shows them)."""
    from govcube.territory.selectors import building_list

    covered = LiaisonAssignment.objects.active().values("building_id")
    return building_list(user=user).filter(is_key=True).exclude(pk__in=covered)


def my_buildings(*, user) -> QuerySet[LiaisonAssignment]:
    return LiaisonAssignment.objects.active().filter(cadre=user).select_related("building").order_by("building__name")
