"""Reads of governance bodies, scoped to the acting user."""

from __future__ import annotations

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.shortcuts import get_object_or_404

from govcube.accounts.permissions import scope_for
from govcube.bodies.models import Body, BodyMember
from govcube.bodies.permissions import body_roles
from govcube.directory.models import Tenancy
from govcube.territory.models import Building


def buildings_of_person(person) -> list[int]:
    """The buildings a person works in: their employer's current tenancies, or the building they hang on."""
    if person is None:
        return []
    ids: set[int] = set()
    if person.employer_id:
        ids |= set(
            Tenancy.objects.current().filter(enterprise_id=person.employer_id).values_list("building_id", flat=True)
        )
    if person.node_id:
        ids |= set(Building.objects.filter(node_id=person.node_id).values_list("pk", flat=True))
    return sorted(ids)


def body_list(*, user) -> QuerySet[Body]:
    """Bodies in the user's territory, bodies they belong to, and bodies covering the building they work in."""
    scope = scope_for(user, "bodies.view_body")
    q = scope.territory_q() if not scope.is_empty else Q(pk__in=[])
    member_of = sorted(body_roles(user))
    if member_of:
        q |= Q(pk__in=member_of)
    person = getattr(user, "person", None) if getattr(user, "person_id", None) else None
    buildings = buildings_of_person(person)
    if buildings:
        q |= Exists(Body.buildings.through.objects.filter(body_id=OuterRef("pk"), building_id__in=buildings))
    return Body.objects.filter(q)


def body_get(*, user, pk: int) -> Body:
    return get_object_or_404(body_list(user=user).select_related("node", "parent"), pk=pk)


def body_covers_person(body: Body, person) -> bool:
    """May this person take part as someone working in the body's buildings (submit topics, observe)?"""
    if person is None:
        return False
    buildings = buildings_of_person(person)
    return bool(buildings) and body.buildings.filter(pk__in=buildings).exists()


def members_of(body: Body, on=None) -> QuerySet[BodyMember]:
    return BodyMember.objects.active(on).filter(body=body).select_related("person", "enterprise", "party_organisation")


def manager_users(body: Body) -> list:
    """The accounts of the body's convener and deputies today (who to tell about its petitions and projects)."""
    from govcube.accounts.selectors import users_of_people
    from govcube.bodies.models import MANAGING_ROLES

    people = BodyMember.objects.active().filter(body=body, role__in=MANAGING_ROLES, person__isnull=False)
    return list(users_of_people(people.values_list("person_id", flat=True)))
