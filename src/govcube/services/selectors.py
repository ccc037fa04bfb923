"""Reads of the service desk, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.services.models import OPEN_STATUSES, ServiceItem, ServiceRequest
from govcube.services.permissions import staff_departments


def departments_of(user) -> list[int]:
    return sorted(staff_departments(user))


def request_list(*, user) -> QuerySet[ServiceRequest]:
    """The enterprise's own requests; a department's requests for its staff; everything in scope for the
    team lead, district leadership and street officials (``services.view_servicerequest``)."""
    q = Q(pk__in=[])
    scope = scope_for(user, "services.view_servicerequest")
    if not scope.is_empty:
        q |= scope.territory_q(path="building__node__path", district="district_id_scope", street="street_id_scope")
    enterprise_ids = set(scope_for(user, "directory.view_enterprise").enterprise_ids)
    if getattr(user, "person_id", None) and user.person.employer_id:
        enterprise_ids.add(user.person.employer_id)
        q |= Q(requester_id=user.person_id)
    if enterprise_ids:
        q |= Q(enterprise_id__in=sorted(enterprise_ids))
    departments = departments_of(user)
    if departments:
        q |= Q(department_id__in=departments)
    if user.is_authenticated:
        q |= Q(owner=user)
    return ServiceRequest.objects.filter(q)


def request_get(*, user, pk: int) -> ServiceRequest:
    return get_object_or_404(
        request_list(user=user).select_related(
            "enterprise", "requester", "building", "item", "policy", "department", "owner"
        ),
        pk=pk,
    )


def catalogue(*, include_inactive: bool = False) -> QuerySet[ServiceItem]:
    """The items offered (and, for the catalogue's editors, those no longer offered)."""
    qs = ServiceItem.objects.all() if include_inactive else ServiceItem.objects.filter(is_active=True)
    return qs.select_related("department").order_by("domain", "code")


def possible_duplicates(
    *, enterprise, item, title: str = "", exclude_pk: int | None = None
) -> QuerySet[ServiceRequest]:
    """Open requests of the same enterprise for the same service, or with a title that shares its start."""
    q = Q(enterprise=enterprise, item=item)
    stem = (title or "").strip()[:4]
    if len(stem) >= 2:
        q |= Q(enterprise=enterprise, title__icontains=stem)
    qs = ServiceRequest.objects.filter(q, status__in=OPEN_STATUSES).order_by("-submitted_at")
    return qs.exclude(pk=exclude_pk) if exclude_pk else qs
