from __future__ import annotations

import pytest

from govcube.core.errors import DomainError, PermissionDenied
from govcube.territory.models import GridChief, GridChiefKind, NodeKind
from govcube.territory.services import building_create, grid_chief_assign, node_create

pytestmark = pytest.mark.django_db


def test_a_building_grid_gets_two_chiefs_and_never_a_third(personas, world):
    node = world.henglong.node
    actor = personas.street_njxl
    grid_chief_assign(actor=actor, node=node, kind=GridChiefKind.CONVENER, person=world.person_a)
    grid_chief_assign(actor=actor, node=node, kind=GridChiefKind.WORKER, person=world.person_a)
    with pytest.raises(DomainError) as exc:
        grid_chief_assign(actor=actor, node=node, kind=GridChiefKind.CONVENER, person=world.person_b)
    assert exc.value.code == "territory.gridchief.too_many" and exc.value.field == "kind"
    assert GridChief.objects.filter(node=node).count() == 2
    grid_chief_assign(actor=actor, node=node, kind=GridChiefKind.CONVENER, person=world.person_b, replace=True)
    assert GridChief.objects.get(node=node, kind=GridChiefKind.CONVENER).person == world.person_b


def test_the_tree_keeps_its_shape(personas, world):
    with pytest.raises(DomainError) as exc:
        node_create(
            actor=personas.street_njxl, parent=world.cluster, kind=NodeKind.STREET, name="错误街道", code="BAD1"
        )
    assert exc.value.field == "kind"


def test_a_new_building_carries_its_scope_columns(personas, world):
    b = building_create(
        actor=personas.street_njxl, parent=world.cluster, name="新楼", code="NEW1", address="南京西路1号", floors=20
    )
    assert b.street_id == world.street_a.pk and b.district_id == world.district.pk
    assert b.node.path.startswith(world.cluster.path)


def test_building_validation_names_the_field_and_stores_nothing(personas, world):
    from govcube.territory.models import Building, Node

    before = (Building.objects.count(), Node.objects.count())
    with pytest.raises(DomainError) as exc:
        building_create(
            actor=personas.street_njxl, parent=world.cluster, name="坏楼", code="BAD2", address="x", floors=999
        )
    assert exc.value.field == "floors"
    assert (Building.objects.count(), Node.objects.count()) == before


def test_another_street_cannot_add_buildings_here(personas, world):
    with pytest.raises(PermissionDenied):
        building_create(actor=personas.street_jas, parent=world.cluster, name="越界楼", code="BAD3", address="x")
