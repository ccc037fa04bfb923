"""Who may do what on the service desk."""

from __future__ import annotations

from govcube.accounts.permissions import has_role, scope_for
from govcube.accounts.roles import Role


def is_requester_side(user, request) -> bool:
    """The enterprise's side: its contact, or the person who filed it, or anyone employed by it."""
    if not user.is_authenticated:
        return False
    if user.person_id and (user.person_id == request.requester_id or user.person.employer_id == request.enterprise_id):
        return True
    return request.enterprise_id in scope_for(user, "directory.view_enterprise").enterprise_ids


_DEPARTMENTS_ATTR = "_govcube_service_departments"


def staff_departments(user) -> frozenset[int]:
    """The departments a user works for (staff or coordinator), loaded once per request."""
    if not getattr(user, "is_authenticated", False):
        return frozenset()
    cached = getattr(user, _DEPARTMENTS_ATTR, None)
    if cached is None:
        from django.db.models import Q

        from govcube.services.models import Department

        ids = Department.objects.filter(Q(staff=user) | Q(coordinator=user)).values_list("pk", flat=True)
        cached = frozenset(ids)
        setattr(user, _DEPARTMENTS_ATTR, cached)
    return cached


def is_department_staff(user, department) -> bool:
    return department.pk in staff_departments(user)


def is_owner(user, request) -> bool:
    return user.is_authenticated and request.owner_id == user.pk


def is_dispatcher(user, request) -> bool:
    """Team lead or the department's coordinator: may assign, transfer, merge."""
    return has_role(user, Role.SERVICE_LEAD) or request.department.coordinator_id == user.pk


def is_team_lead(user) -> bool:
    return has_role(user, Role.SERVICE_LEAD)


def handles(user, request) -> bool:
    """Owner, or staff of the department (to pick it up), or a dispatcher."""
    return is_owner(user, request) or is_department_staff(user, request.department) or is_dispatcher(user, request)
