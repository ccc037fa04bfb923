"""Routing: item → department → the member on the rota for the building (fallback: the coordinator)."""

from __future__ import annotations

from django.db.models import Count, Q
from django.utils import timezone

from govcube.services.models import OPEN_STATUSES, Department, RotaEntry


def owner_for(department: Department, building):
    """The member who looks after this building for the department today, else the coordinator."""
    today = timezone.localdate()
    entry = (
        RotaEntry.objects.filter(department=department, building=building, start__lte=today)
        .filter(Q(end__isnull=True) | Q(end__gte=today))
        .select_related("member")
        .order_by("-start", "pk")
        .first()
    )
    if entry is not None and entry.member.is_active:
        return entry.member
    return department.coordinator


def workload(department: Department):
    """Open requests per staff member of a department (one query)."""
    return (
        department.staff.filter(is_active=True)
        .annotate(
            open_requests=Count(
                "owned_requests",
                filter=Q(owned_requests__status__in=OPEN_STATUSES, owned_requests__department=department),
            )
        )
        .order_by("-open_requests", "username")
    )
