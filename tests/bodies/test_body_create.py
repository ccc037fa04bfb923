from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from govcube.audit.models import AuditEvent
from govcube.bodies.models import Body, BodyKind, MajorityRule, Mechanism

pytestmark = pytest.mark.django_db

URL = "/bodies/new/"


def post_data(place, buildings, **overrides) -> dict:
    data = {
        "node": place.code,
        "name": "新设楼事会",
        "kind": BodyKind.BUILDING_COMMITTEE,
        "parent": "",
        "buildings": [b.pk for b in buildings],
        "description": "",
        "quorum": "0.60",
        "majority_rule": MajorityRule.ABSOLUTE,
        "mechanisms": [Mechanism.DELIBERATION, Mechanism.OPEN_ATTENDANCE],
    }
    data.update(overrides)
    return data


def test_it_is_mounted():
    assert reverse("bodies:body_create") == URL


def test_entering_the_code_lists_the_buildings_under_the_node(personas, login, world):
    response = login(personas.street_njxl).get(URL, {"node": world.cluster.code})
    page = response.content.decode()
    assert response.status_code == 200
    assert "恒隆广场" in page and "中信泰富广场" in page and "静安寺广场" not in page


def test_htmx_gets_only_the_buildings_part(personas, login, world):
    response = login(personas.street_njxl).get(URL, {"node": world.henglong.node.code}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert 'id="body-place"' in page and "恒隆广场" in page and "中信泰富广场" not in page
    assert "<html" not in page


def test_an_official_sets_up_a_body(personas, login, world):
    client = login(personas.street_njxl)
    response = client.post(URL, post_data(world.cluster, [world.henglong, world.citic]))
    body = Body.objects.get(name="新设楼事会")
    assert response.status_code == 302 and response["Location"] == reverse("bodies:body", args=[body.pk])
    assert set(body.buildings.values_list("pk", flat=True)) == {world.henglong.pk, world.citic.pk}
    assert body.node == world.cluster and body.street_id == world.street_a.pk
    assert body.quorum == Decimal("0.60") and body.majority_rule == MajorityRule.ABSOLUTE
    assert body.mechanisms == sorted([Mechanism.DELIBERATION, Mechanism.OPEN_ATTENDANCE])
    assert AuditEvent.objects.filter(action="bodies.body.created", object_id=str(body.pk)).exists()


def test_no_mechanism_ticked_switches_on_the_kinds_defaults(personas, login, world):
    login(personas.street_njxl).post(URL, post_data(world.cluster, [], mechanisms=[], kind=BodyKind.EXPERT_PANEL))
    assert Body.objects.get(name="新设楼事会").mechanisms == [Mechanism.DELIBERATION]


def test_a_building_outside_the_node_is_a_field_error(personas, login, world):
    # 中信泰富广场 is in the official's street, but not under Hang Lung Plaza's grid.
    response = login(personas.street_njxl).post(URL, post_data(world.henglong.node, [world.henglong, world.citic]))
    assert response.status_code == 400
    assert response.context["form"].errors["buildings"] == [
        "A body covers buildings under its own place in the territory."
    ]
    assert not Body.objects.filter(name="新设楼事会").exists()


def test_a_building_beyond_the_officials_reach_is_a_field_error(personas, login, world):
    response = login(personas.street_njxl).post(URL, post_data(world.cluster, [world.jas_building]))
    assert response.status_code == 400 and "buildings" in response.context["form"].errors
    assert not Body.objects.filter(name="新设楼事会").exists()


def test_a_node_in_another_street_is_refused(personas, login, world):
    response = login(personas.street_njxl).post(URL, post_data(world.street_b, [world.jas_building]))
    assert response.status_code == 400
    assert "node" in response.context["form"].errors
    assert not Body.objects.filter(name="新设楼事会").exists()


def test_an_unknown_code_is_refused(personas, login, world):
    response = login(personas.street_njxl).post(URL, post_data(world.cluster, [], node="NOPE"))
    assert response.context["form"].errors["node"] == ["No place in your territory has this code."]


def test_a_quorum_above_one_is_refused(personas, login, world):
    response = login(personas.street_njxl).post(URL, post_data(world.cluster, [], quorum="1.50"))
    assert response.status_code == 400 and "quorum" in response.context["form"].errors
    assert not Body.objects.filter(name="新设楼事会").exists()


def test_a_working_group_inside_a_body(bodies, personas, login, world):
    response = login(personas.street_njxl).post(
        URL, post_data(world.cluster, [], kind=BodyKind.WORKING_GROUP, parent=bodies.committee.pk, name="环境组")
    )
    assert response.status_code == 302
    assert Body.objects.get(name="环境组").parent == bodies.committee


def test_without_the_permission_it_is_403(bodies, personas, login, world):
    assert login(bodies.employee).get(URL).status_code == 403
    assert login(personas.district_leader).post(URL, post_data(world.cluster, [])).status_code == 403
    assert not Body.objects.filter(name="新设楼事会").exists()
