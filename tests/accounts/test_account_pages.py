from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.accounts.models import RoleAssignment, User
from govcube.audit.models import AuditEvent

pytestmark = pytest.mark.django_db


def test_security_admin_creates_an_account_and_assigns_a_role(personas, login, world):
    client = login(personas.district_security)
    response = client.post(
        reverse("accounts:user_create"),
        {"username": "new_cadre", "display_name": "新干部", "language": "zh-hans", "password": "Strong-Passw0rd!"},
    )
    assert response.status_code == 302
    user = User.objects.get(username="new_cadre")
    response = client.post(
        reverse("accounts:user_detail", args=[user.pk]),
        {"role": "liaison_cadre", "node_code": world.henglong.node.code},
    )
    assert response.status_code == 302
    assert RoleAssignment.objects.filter(user=user, role="liaison_cadre", node=world.henglong.node).exists()
    assert AuditEvent.objects.filter(action="accounts.role.assigned", object_id=str(user.pk)).exists()


def test_a_weak_password_is_shown_next_to_the_field_and_nothing_stored(personas, login):
    client = login(personas.district_security)
    response = client.post(reverse("accounts:user_create"), {"username": "weak", "language": "en", "password": "short"})
    assert response.status_code == 200
    assert 'id="id_password-error"' in response.content.decode()
    assert not User.objects.filter(username="weak").exists()


def test_an_unknown_territory_code_is_named(personas, login):
    client = login(personas.district_security)
    response = client.post(
        reverse("accounts:user_detail", args=[personas.nobody.pk]), {"role": "street_official", "node_code": "NOPE"}
    )
    assert "No place in the territory has this code." in response.content.decode()
    assert not RoleAssignment.objects.filter(user=personas.nobody).exists()


def test_revoking_a_role_ends_it(personas, login, world):
    client = login(personas.district_security)
    assignment = RoleAssignment.objects.get(user=personas.street_jas)
    assert client.post(reverse("accounts:role_revoke", args=[personas.street_jas.pk, assignment.pk])).status_code == 302
    assert not personas.street_jas.has_perm("territory.view_building")
    assert not RoleAssignment.objects.active().filter(user=personas.street_jas).exists()


@pytest.mark.parametrize("persona", ["street_njxl", "district_admin", "district_auditor"])
def test_only_the_security_admin_manages_accounts(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(reverse("accounts:user_list")).status_code == 403
    assert client.get(reverse("accounts:user_create")).status_code == 403


def test_user_list_query_count_does_not_grow(personas, login, count_queries, world):
    from tests.factories import user_with_role

    client = login(personas.district_security)
    client.get(reverse("accounts:user_list"))
    with count_queries() as small:
        client.get(reverse("accounts:user_list"))
    for i in range(30):
        user_with_role(f"extra{i}", "employee", world.henglong.node)
    with count_queries() as large:
        client.get(reverse("accounts:user_list"))
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


def test_my_account_page_creates_and_revokes_a_token(personas, login):
    client = login(personas.street_njxl)
    client.post(reverse("accounts:token_create"), {"name": "报表脚本"})
    page = client.get(reverse("accounts:me")).content.decode()
    assert 'data-testid="new-token"' in page and "gc_" in page
    token = personas.street_njxl.api_tokens.get()
    client.post(reverse("accounts:token_revoke", args=[token.pk]))
    token.refresh_from_db()
    assert token.revoked is not None
    assert 'data-testid="new-token"' not in client.get(reverse("accounts:me")).content.decode()
