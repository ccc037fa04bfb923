"""Reads of needs, resources, projects and claims, scoped to the acting user.

A project is seen wherever its body is seen (its territory's officials, its members, people
working in the buildings it covers); a draft only by those who run the body. A resource is
seen in its territory, by the body it was offered to, and by whoever offered it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.accounts.roles import Role
from govcube.bodies.models import MANAGING_ROLES
from govcube.bodies.permissions import body_roles
from govcube.bodies.selectors import body_list, manager_users  # noqa: F401 (manager_users: re-exported)
from govcube.work.models import Claim, ClaimStatus, Need, Project, ProjectStatus, Resource
from govcube.work.permissions import contact_enterprises, party_organisations_of


def _managed_bodies_q(user, field: str = "body") -> Q:
    scope = scope_for(user, "bodies.change_body")
    q = scope.territory_q(path=f"{field}__node__path", district=f"{field}__district_id", street=f"{field}__street_id")
    if scope.is_empty:
        q = Q(pk__in=[])
    managed = sorted(pk for pk, roles in body_roles(user).items() if roles & MANAGING_ROLES)
    if managed:
        q |= Q(**{f"{field}_id__in": managed})
    return q


def _claimant_q(user) -> Q:
    enterprises, organisations = contact_enterprises(user), party_organisations_of(user)
    q = Q(pk__in=[])
    if enterprises:
        q |= Q(claims__enterprise_id__in=sorted(enterprises))
    if organisations:
        q |= Q(claims__party_organisation_id__in=sorted(organisations))
    return q


def project_list(*, user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    visible = Q(body__in=body_list(user=user).values("pk")) & ~Q(status=ProjectStatus.DRAFT)
    ids = Project.objects.filter(visible | _managed_bodies_q(user) | _claimant_q(user)).values("pk")
    return Project.objects.filter(pk__in=ids)


def project_get(*, user, pk: int) -> Project:
    return get_object_or_404(
        project_list(user=user).select_related("body", "building", "decision__item__meeting"), pk=pk
    )


def need_list(*, user) -> QuerySet[Need]:
    if not user.is_authenticated:
        return Need.objects.none()
    return Need.objects.filter(Q(body__in=body_list(user=user).values("pk")))


def need_get(*, user, pk: int) -> Need:
    return get_object_or_404(need_list(user=user).select_related("body", "building"), pk=pk)


def resource_list(*, user) -> QuerySet[Resource]:
    if not user.is_authenticated:
        return Resource.objects.none()
    scope = scope_for(user, "bodies.view_body")
    q = (
        Q(pk__in=[])
        if scope.is_empty
        else scope.territory_q(path="enterprise__node__path", district="district_id_scope", street="street_id_scope")
    )
    q |= Q(body__in=body_list(user=user).values("pk"))
    enterprises, organisations = contact_enterprises(user), party_organisations_of(user)
    if enterprises:
        q |= Q(enterprise_id__in=sorted(enterprises))
    if organisations:
        q |= Q(party_organisation_id__in=sorted(organisations))
    return Resource.objects.filter(q)


def resource_get(*, user, pk: int) -> Resource:
    return get_object_or_404(resource_list(user=user).select_related("enterprise", "party_organisation", "body"), pk=pk)


def claim_get(*, user, project: Project, pk: int) -> Claim:
    return get_object_or_404(project.claims.select_related("enterprise", "party_organisation"), pk=pk)


# --- who to tell ------------------------------------------------------------------------------


def users_acting_for(*, enterprise_id=None, party_organisation_id=None):
    """The accounts that speak for an enterprise (its contacts) or a party organisation (its office holders)."""
    from django.utils import timezone

    from govcube.accounts.models import RoleAssignment, User
    from govcube.directory.models import Position

    if enterprise_id:
        holders = RoleAssignment.objects.active().filter(role=Role.ENTERPRISE_CONTACT, enterprise_id=enterprise_id)
        return User.objects.filter(pk__in=holders.values("user_id"), is_active=True)
    today = timezone.localdate()
    people = Position.objects.filter(party_organisation_id=party_organisation_id).filter(
        Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today)
    )
    return User.objects.filter(person_id__in=people.values("person_id"), is_active=True)


def claimant_users(project: Project) -> list:
    users = []
    for claim in project.claims.filter(status=ClaimStatus.APPROVED):
        users.extend(
            users_acting_for(enterprise_id=claim.enterprise_id, party_organisation_id=claim.party_organisation_id)
        )
    return users
