"""Who may do what with needs, resources, projects and claims."""

from __future__ import annotations

from django.db.models import Q
from django.utils import timezone

from govcube.accounts.permissions import active_assignments
from govcube.accounts.roles import Role


def contact_enterprises(user) -> set[int]:
    """The enterprises a user speaks for (as their enterprise contact): they offer resources and claim projects."""
    if not getattr(user, "is_authenticated", False):
        return set()
    return {a.enterprise_id for a in active_assignments(user) if a.role == Role.ENTERPRISE_CONTACT and a.enterprise_id}


_ORGANISATIONS_ATTR = "_govcube_party_organisations"


def party_organisations_of(user) -> set[int]:
    """The party organisations whose position (secretary, committee member…) the user's person holds today.

    Loaded once per request and cached on the user, like body roles (a page asks once per claim)."""
    if not getattr(user, "is_authenticated", False) or not user.person_id:
        return set()
    cached = getattr(user, _ORGANISATIONS_ATTR, None)
    if cached is None:
        from govcube.directory.models import Position

        today = timezone.localdate()
        cached = set(
            Position.objects.filter(person_id=user.person_id, party_organisation__isnull=False)
            .filter(Q(start__isnull=True) | Q(start__lte=today), Q(end__isnull=True) | Q(end__gte=today))
            .values_list("party_organisation_id", flat=True)
        )
        setattr(user, _ORGANISATIONS_ATTR, cached)
    return set(cached)


def forget_party_organisations(user) -> None:
    if hasattr(user, _ORGANISATIONS_ATTR):
        delattr(user, _ORGANISATIONS_ATTR)


def acts_for(user, *, enterprise=None, party_organisation=None) -> bool:
    if enterprise is not None:
        return enterprise.pk in contact_enterprises(user)
    if party_organisation is not None:
        return party_organisation.pk in party_organisations_of(user)
    return False


def acts_for_claim(user, claim) -> bool:
    if claim.enterprise_id:
        return claim.enterprise_id in contact_enterprises(user)
    return claim.party_organisation_id in party_organisations_of(user)


def is_project_manager(user, project) -> bool:
    """The body's convener or deputy (or an official over its territory) runs its projects."""
    from govcube.bodies.permissions import is_manager

    return bool(getattr(user, "is_authenticated", False)) and is_manager(user, project.body)


def is_approved_claimant(user, project) -> bool:
    from govcube.work.models import ClaimStatus

    if not getattr(user, "is_authenticated", False):
        return False
    enterprises, organisations = contact_enterprises(user), party_organisations_of(user)
    if not enterprises and not organisations:
        return False
    return (
        project.claims.filter(status=ClaimStatus.APPROVED)
        .filter(Q(enterprise_id__in=enterprises) | Q(party_organisation_id__in=organisations))
        .exists()
    )


def works_on(user, project) -> bool:
    """May post progress and milestones: the manager or an approved claimant."""
    return is_project_manager(user, project) or is_approved_claimant(user, project)
