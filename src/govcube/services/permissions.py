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


def is_department_staff(user, department) -> bool:
    return user.is_authenticated and (
        department.coordinator_id == user.pk or department.staff.filter(pk=user.pk).exists()
    )


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
