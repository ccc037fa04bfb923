"""Reads of needs, resources, projects and claims, scoped to the acting user.

A project is seen wherever its body is seen (its territory's officials, its members, people
working in the buildings it covers, and those who speak for an enterprise or a party organisation
in those buildings: they are the ones who claim it); a draft only by those who run the body.
Needs are seen the same way. A resource is seen in its territory, by the body it was offered to,
and by whoever offered it.
"""

from __future__ import annotations

from django.db.models import Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.accounts.roles import Role
from govcube.bodies.models import MANAGING_ROLES, Body
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


def _offerer_body_ids(user):
    """Bodies covering a building where an enterprise the user speaks for is a tenant, or a building
    a party organisation they hold office in covers (directly or through its enterprises): a
    subquery of body ids, or None when the user speaks for no one."""
    from govcube.directory.models import PartyOrganisation, Tenancy

    enterprises, organisations = sorted(contact_enterprises(user)), sorted(party_organisations_of(user))
    if not enterprises and not organisations:
        return None
    buildings = Q(pk__in=[])
    if enterprises:
        tenants = Tenancy.objects.current().filter(enterprise_id__in=enterprises)
        buildings |= Q(building_id__in=tenants.values("building_id"))
    if organisations:
        covered = PartyOrganisation.buildings.through.objects.filter(partyorganisation_id__in=organisations)
        buildings |= Q(building_id__in=covered.values("building_id"))
        tenants = Tenancy.objects.current().filter(enterprise__party_organisations__in=organisations)
        buildings |= Q(building_id__in=tenants.values("building_id"))
    return Body.buildings.through.objects.filter(buildings).values("body_id")


def _seen_bodies_q(user, field: str = "body") -> Q:
    q = Q(**{f"{field}__in": body_list(user=user).values("pk")})
    offered = _offerer_body_ids(user)
    if offered is not None:
        q |= Q(**{f"{field}__in": offered})
    return q


def bodies_seen(*, user) -> QuerySet[Body]:
    """The bodies whose needs and (published) projects the user sees."""
    if not user.is_authenticated:
        return Body.objects.none()
    return Body.objects.filter(_seen_bodies_q(user, field="pk"))


def project_list(*, user) -> QuerySet[Project]:
    if not user.is_authenticated:
        return Project.objects.none()
    visible = _seen_bodies_q(user) & ~Q(status=ProjectStatus.DRAFT)
    ids = Project.objects.filter(visible | _managed_bodies_q(user) | _claimant_q(user)).values("pk")
    return Project.objects.filter(pk__in=ids)


def project_get(*, user, pk: int) -> Project:
    return get_object_or_404(
        project_list(user=user).select_related("body__node", "building", "decision__item__meeting"), pk=pk
    )


def managed_bodies(*, user) -> QuerySet[Body]:
    """Active bodies the user runs: as convener or deputy, or as an official over their territory."""
    if not user.is_authenticated:
        return Body.objects.none()
    scope = scope_for(user, "bodies.change_body")
    q = Q(pk__in=[]) if scope.is_empty else scope.territory_q()
    managed = sorted(pk for pk, roles in body_roles(user).items() if roles & MANAGING_ROLES)
    if managed:
        q |= Q(pk__in=managed)
    return Body.objects.filter(q, is_active=True)


def need_list(*, user) -> QuerySet[Need]:
    if not user.is_authenticated:
        return Need.objects.none()
    return Need.objects.filter(_seen_bodies_q(user))


def need_get(*, user, pk: int) -> Need:
    return get_object_or_404(need_list(user=user).select_related("body__node", "building"), pk=pk)


def resource_list(*, user) -> QuerySet[Resource]:
    if not user.is_authenticated:
        return Resource.objects.none()
    scope = scope_for(user, "bodies.view_body")
    q = Q(pk__in=[])
    if not scope.is_empty:
        for path in ("enterprise__node__path", "party_organisation__node__path"):
            q |= scope.territory_q(path=path, district="district_id_scope", street="street_id_scope")
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


def progress_photo_visible(name: str, user) -> bool | None:
    """For /media/: is ``name`` a progress photo (else None), and may the user see its project?"""
    from govcube.work.models import ProgressPhoto

    project_id = ProgressPhoto.objects.filter(image=name).values_list("update__project_id", flat=True).first()
    if project_id is None:
        return None
    return project_list(user=user).filter(pk=project_id).exists()
