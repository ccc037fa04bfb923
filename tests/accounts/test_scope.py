"""Subtree scoping: a role held at a node reaches that node and below, and nothing else."""

from __future__ import annotations

import pytest

from govcube.directory.selectors import enterprise_list, person_list
from govcube.territory.selectors import building_list, node_list

pytestmark = pytest.mark.django_db


def names(qs):
    return set(qs.values_list("name", flat=True))


def test_street_role_sees_its_grids_and_buildings_only(personas, world):
    user = personas.street_njxl
    assert names(building_list(user=user)) == {"恒隆广场", "中信泰富广场"}
    visible_nodes = names(node_list(user=user))
    assert {"南京西路街道", "南京西路商圈街区网格", "恒隆楼群网格", "恒隆广场"} <= visible_nodes
    assert "静安寺街道" not in visible_nodes and "静安寺广场" not in visible_nodes
    assert "静安区" not in visible_nodes


def test_district_role_sees_all_streets(personas, world):
    assert names(building_list(user=personas.district_leader)) == {"恒隆广场", "中信泰富广场", "静安寺广场"}


def test_grid_role_sees_its_building_only(personas, world):
    assert names(building_list(user=personas.grid_chief_henglong)) == {"恒隆广场"}
    assert names(node_list(user=personas.grid_chief_henglong)) == {"恒隆广场"}


def test_enterprise_contact_sees_own_enterprise_and_its_building(personas, world):
    assert names(enterprise_list(user=personas.contact_a)) == {world.ent_a.name}
    assert names(building_list(user=personas.contact_a)) == {"恒隆广场"}


def test_people_follow_the_territory(personas, world):
    assert names(person_list(user=personas.street_njxl)) == {"李娜"}
    assert names(person_list(user=personas.street_jas)) == {"王芳"}
    assert names(person_list(user=personas.employee_henglong_1)) == set()


def test_no_role_sees_nothing(personas, world):
    assert not building_list(user=personas.nobody).exists()
    assert not enterprise_list(user=personas.nobody).exists()


def test_a_past_tenant_stays_visible_from_the_building_it_left(personas, world):
    from datetime import date

    from govcube.directory.models import Tenancy

    # ent_b (静安寺街道) once rented in 恒隆广场.
    Tenancy.objects.create(
        enterprise=world.ent_b, building=world.henglong, floor="3", start=date(2018, 1, 1), end=date(2019, 12, 31)
    )
    assert world.ent_b.name in names(enterprise_list(user=personas.street_njxl))


def test_an_expired_role_grants_nothing(personas, world):
    from datetime import date

    from govcube.accounts.models import RoleAssignment
    from govcube.accounts.permissions import forget_assignments

    RoleAssignment.objects.filter(user=personas.street_njxl).update(valid_to=date(2020, 1, 1))
    forget_assignments(personas.street_njxl)
    assert not building_list(user=personas.street_njxl).exists()
    assert not personas.street_njxl.has_perm("territory.view_building")


def test_object_permissions_follow_scope(personas, world):
    user = personas.street_njxl
    assert user.has_perm("territory.change_building", world.henglong)
    assert not user.has_perm("territory.change_building", world.jas_building)
    assert not personas.employee_henglong_1.has_perm("territory.change_building", world.henglong)
