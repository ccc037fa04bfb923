"""MLPS level 3: system administrator, security administrator and auditor are separate."""

from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.accounts.roles import Role
from govcube.accounts.services import role_assign
from govcube.core.errors import DomainError, PermissionDenied
from tests.factories import user_with_role

pytestmark = pytest.mark.django_db


def test_only_the_security_admin_assigns_roles(personas, world):
    target = user_with_role("new_official")
    for actor in (personas.district_admin, personas.district_auditor, personas.street_njxl):
        with pytest.raises(PermissionDenied):
            role_assign(actor=actor, user=target, role=Role.STREET_OFFICIAL, node=world.street_a)
    assignment = role_assign(
        actor=personas.district_security, user=target, role=Role.STREET_OFFICIAL, node=world.street_a
    )
    assert assignment.pk


@pytest.mark.parametrize(
    "first,second",
    [
        (Role.SYSTEM_ADMIN, Role.AUDITOR),
        (Role.AUDITOR, Role.SECURITY_ADMIN),
        (Role.STREET_OFFICIAL, Role.AUDITOR),
        (Role.SECURITY_ADMIN, Role.STREET_OFFICIAL),
    ],
)
def test_an_administrator_role_is_never_combined(personas, world, first, second):
    target = user_with_role("someone", first, world.district)
    with pytest.raises(DomainError) as exc:
        role_assign(actor=personas.district_security, user=target, role=second, node=world.district)
    assert exc.value.code == "accounts.role.separation_of_duties"


def test_the_security_admin_cannot_give_themselves_a_role(personas, world):
    with pytest.raises(DomainError):
        role_assign(
            actor=personas.district_security, user=personas.district_security, role=Role.AUDITOR, node=world.district
        )


def test_each_administrator_sees_only_their_own_pages(personas, login, world):
    pages = {
        "system": reverse("territory:building_list"),
        "security": reverse("accounts:user_list"),
        "audit": reverse("audit:event_list"),
    }
    expected = {
        personas.district_admin: {"system"},
        personas.district_security: {"security"},
        personas.district_auditor: {"audit"},
    }
    for user, allowed in expected.items():
        client = login(user)
        for name, url in pages.items():
            status = client.get(url).status_code
            assert (status == 200) == (name in allowed), (user.username, name, status)


def test_the_auditor_cannot_read_personal_records(personas, login, world):
    assert (
        login(personas.district_auditor).get(reverse("directory:person", args=[world.person_a.pk])).status_code == 403
    )
