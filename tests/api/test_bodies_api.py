"""The /api/v1 bodies resources: scoping, creation by street officials, members and their terms."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.services import api_token_create
from govcube.bodies.models import Body, BodyKind, BodyMember
from govcube.bodies.services import body_create
from tests.factories import person_in

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    def _as(user):
        _row, raw = api_token_create(actor=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _as


@pytest.fixture
def jas_body(world, personas):
    return body_create(
        actor=personas.street_jas,
        node=world.street_b,
        name="静安寺广场楼宇事务委员会",
        kind=BodyKind.BUILDING_COMMITTEE,
        buildings=[world.jas_building],
    )


def post(client, url, data, headers):
    return client.post(url, data, content_type="application/json", **headers)


def test_anonymous_callers_get_401(client, world):
    response = client.get("/api/v1/bodies")
    assert response.status_code == 401 and response.json()["code"] == "unauthenticated"


def test_a_body_of_another_street_is_404_and_not_listed(client, personas, committee, jas_body, bearer):
    for user in (personas.street_njxl, committee.convener, committee.employees[0]):
        headers = bearer(user)
        ids = {b["id"] for b in client.get("/api/v1/bodies", **headers).json()["items"]}
        assert committee.body.pk in ids and jas_body.pk not in ids
        response = client.get(f"/api/v1/bodies/{jas_body.pk}", **headers)
        assert response.status_code == 404 and response.json()["code"] == "not_found"
    ids = {b["id"] for b in client.get("/api/v1/bodies", **bearer(personas.street_jas)).json()["items"]}
    assert ids == {jas_body.pk}


def test_an_outsider_sees_no_body_of_the_covered_buildings(client, committee, bearer):
    headers = bearer(committee.outsider)
    assert client.get("/api/v1/bodies", **headers).json()["items"] == []
    assert client.get(f"/api/v1/bodies/{committee.body.pk}", **headers).status_code == 404


def test_the_body_shows_members_with_role_name_and_term_and_no_personal_data(client, committee, bearer):
    response = client.get(f"/api/v1/bodies/{committee.body.pk}", **bearer(committee.employees[0]))
    assert response.status_code == 200
    data = response.json()
    members = {m["name"]: m for m in data["members"]}
    assert members["陈召集"]["role"] == "convener" and members["刘秘书"]["role"] == "secretary"
    assert members["成员0"]["start"] == timezone.localdate().isoformat() and members["成员0"]["end"] is None
    assert {b["name"] for b in data["buildings"]} == {"恒隆广场", "中信泰富广场"}
    assert data["can_manage"] is False and data["my_roles"] == []
    text = json.dumps(data, ensure_ascii=False)
    assert "mobile" not in text and "1501" not in text
    convener_view = client.get(f"/api/v1/bodies/{committee.body.pk}", **bearer(committee.convener)).json()
    assert convener_view["my_roles"] == ["convener"] and convener_view["can_manage"] is True


def test_bodies_filter_by_kind_and_name_and_page_with_a_cursor(client, world, personas, committee, bearer):
    for i in range(4):
        body_create(actor=personas.street_njxl, node=world.cluster, name=f"楼群专家组{i}", kind=BodyKind.EXPERT_PANEL)
    headers = bearer(personas.street_njxl)
    panels = client.get("/api/v1/bodies", {"kind": "expert_panel"}, **headers).json()
    assert panels["total"] == 4 and {b["kind"] for b in panels["items"]} == {"expert_panel"}
    assert [b["name"] for b in client.get("/api/v1/bodies", {"q": "恒隆"}, **headers).json()["items"]] == [
        "恒隆广场楼宇事务委员会"
    ]
    seen, cursor = [], None
    while True:
        page = client.get("/api/v1/bodies", {"limit": 2} | ({"cursor": cursor} if cursor else {}), **headers).json()
        seen += [b["id"] for b in page["items"]]
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 5
    bad = client.get("/api/v1/bodies", {"kind": "club"}, **headers)
    assert bad.status_code == 422 and bad.json()["field"] == "kind"


def test_a_street_official_creates_a_body(client, world, personas, bearer):
    body = {
        "node_id": world.cluster.pk,
        "name": "恒隆楼群联合会议",
        "kind": "joint_meeting",
        "building_ids": [world.henglong.pk, world.citic.pk],
        "quorum": "0.60",
        "majority_rule": "absolute",
        "mechanisms": ["deliberation", "open_attendance"],
    }
    response = post(client, "/api/v1/bodies", body, bearer(personas.street_njxl))
    assert response.status_code == 201, response.json()
    data = response.json()
    assert data["kind"] == "joint_meeting" and data["quorum"] in ("0.60", 0.6)
    assert data["mechanisms"] == ["deliberation", "open_attendance"] and data["members"] == []
    created = Body.objects.get(pk=data["id"])
    assert set(created.buildings.values_list("pk", flat=True)) == {world.henglong.pk, world.citic.pk}
    assert created.street_id == world.street_a.pk


def test_only_officials_with_the_permission_create_bodies(client, world, committee, bearer):
    before = Body.objects.count()
    body = {"node_id": world.cluster.pk, "name": "越权委员会", "kind": "expert_panel"}
    response = post(client, "/api/v1/bodies", body, bearer(committee.convener))
    assert response.status_code == 403
    assert Body.objects.count() == before


@pytest.mark.parametrize(
    "change,status,field",
    [
        ({"quorum": "1.5"}, 400, "quorum"),
        ({"kind": "club"}, 400, "kind"),
        ({"mechanisms": ["karaoke"]}, 400, "mechanisms"),
        ({"majority_rule": "loudest"}, 400, "majority_rule"),
        ({"name": "  "}, 400, "name"),
        ({"name": None}, 422, "name"),
        ({"quorum": "lots"}, 422, "quorum"),
    ],
)
def test_bad_body_input_names_the_field_and_stores_nothing(client, world, personas, bearer, change, status, field):
    before = Body.objects.count()
    body = {"node_id": world.cluster.pk, "name": "坏输入委员会", "kind": "expert_panel"} | change
    if change.get("name", "") is None:
        del body["name"]
    response = post(client, "/api/v1/bodies", body, bearer(personas.street_njxl))
    assert response.status_code == status, response.json()
    assert response.json()["field"] == field
    assert Body.objects.count() == before


def test_a_body_cannot_cover_a_building_out_of_scope(client, world, personas, bearer):
    body = {
        "node_id": world.cluster.pk,
        "name": "越界",
        "kind": "expert_panel",
        "building_ids": [world.jas_building.pk],
    }
    assert post(client, "/api/v1/bodies", body, bearer(personas.street_njxl)).status_code == 404
    body = {"node_id": world.street_b.pk, "name": "越界", "kind": "expert_panel"}
    assert post(client, "/api/v1/bodies", body, bearer(personas.street_njxl)).status_code == 404


def test_a_body_covers_only_buildings_under_its_node(client, world, personas, bearer):
    body = {"node_id": world.block.pk, "name": "街区平台", "kind": "joint_meeting", "building_ids": [world.henglong.pk]}
    assert post(client, "/api/v1/bodies", body, bearer(personas.street_njxl)).status_code == 201
    node = world.henglong.node
    body = {"node_id": node.pk, "name": "单楼", "kind": "building_committee", "building_ids": [world.citic.pk]}
    response = post(client, "/api/v1/bodies", body, bearer(personas.street_njxl))
    assert response.status_code == 400 and response.json()["field"] == "building_ids"


def test_a_stale_body_edit_is_409(client, committee, personas, bearer):
    headers = bearer(personas.street_njxl)
    url = f"/api/v1/bodies/{committee.body.pk}"
    first = client.patch(url, {"version": 1, "quorum": "0.75"}, content_type="application/json", **headers)
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "name": "覆盖"}, content_type="application/json", **headers)
    assert stale.status_code == 409 and stale.json()["field"] == "version"
    denied = client.patch(
        url, {"version": 2, "name": "x"}, content_type="application/json", **bearer(committee.convener)
    )
    assert denied.status_code == 403


def test_members_are_added_and_their_term_ended(client, world, committee, personas, bearer):
    headers = bearer(personas.street_njxl)
    newcomer = person_in(world.ent_a, "赵新人", "13700000001")
    url = f"/api/v1/bodies/{committee.body.pk}/members"
    response = post(client, url, {"role": "member", "person_id": newcomer.pk}, headers)
    assert response.status_code == 201
    member = response.json()
    assert member["name"] == "赵新人" and member["role"] == "member" and member["kind"] == "person" and member["votes"]
    again = post(client, url, {"role": "member", "person_id": newcomer.pk}, headers)
    assert again.status_code == 400 and again.json()["field"] == "person_id"

    unit = post(client, url, {"role": "lead_unit", "enterprise_id": world.ent_a.pk}, headers)
    assert unit.status_code == 201 and unit.json()["kind"] == "enterprise"

    end_url = f"{url}/{member['id']}/end"
    too_early = post(client, end_url, {"end": (timezone.localdate() - timedelta(days=3)).isoformat()}, headers)
    assert too_early.status_code == 400 and too_early.json()["field"] == "end"
    ended = client.post(end_url, content_type="application/json", **headers)
    assert ended.status_code == 200 and ended.json()["end"] == timezone.localdate().isoformat()
    assert BodyMember.objects.get(pk=member["id"]).end == timezone.localdate()


def test_member_input_errors(client, world, committee, personas, jas_body, bearer):
    headers = bearer(personas.street_njxl)
    url = f"/api/v1/bodies/{committee.body.pk}/members"
    before = BodyMember.objects.count()
    none = post(client, url, {"role": "member"}, headers)
    assert none.status_code == 400 and none.json()["field"] == "person_id"
    both = post(
        client, url, {"role": "member", "person_id": world.person_a.pk, "enterprise_id": world.ent_a.pk}, headers
    )
    assert both.status_code == 400
    bad_role = post(client, url, {"role": "king", "person_id": world.person_a.pk}, headers)
    assert bad_role.status_code == 400 and bad_role.json()["field"] == "role"
    outside = post(client, url, {"role": "member", "person_id": world.person_b.pk}, headers)
    assert outside.status_code == 404
    other_body = post(client, f"/api/v1/bodies/{jas_body.pk}/members", {"role": "member", "person_id": 1}, headers)
    assert other_body.status_code == 404
    convener = post(client, url, {"role": "member", "person_id": world.person_a.pk}, bearer(committee.convener))
    assert convener.status_code == 403
    assert BodyMember.objects.count() == before
    member_id = committee.member_rows[committee.members[0].username].pk
    assert post(client, f"{url}/{member_id}/end", None, bearer(committee.convener)).status_code == 403
    assert post(client, f"{url}/999999/end", None, headers).status_code == 404


@pytest.mark.parametrize("persona", ["street_njxl", "employee"])
def test_body_list_query_count_does_not_grow(
    client,
    world,
    personas,
    committee,
    bearer,
    count_queries,
    persona,
):
    user = personas.street_njxl if persona == "street_njxl" else committee.employees[0]
    headers = bearer(user)
    for i in range(4):
        body_create(
            actor=personas.street_njxl,
            node=world.cluster,
            name=f"小{i}",
            kind=BodyKind.INDUSTRY_ALLIANCE,
            buildings=[world.henglong, world.citic],
        )
    client.get("/api/v1/bodies", **headers)
    with count_queries() as small:
        assert client.get("/api/v1/bodies", **headers).json()["total"] == 5
    for i in range(35):
        body_create(
            actor=personas.street_njxl,
            node=world.cluster,
            name=f"大{i}",
            kind=BodyKind.INDUSTRY_ALLIANCE,
            buildings=[world.henglong, world.citic],
        )
    with count_queries() as large:
        assert client.get("/api/v1/bodies", **headers).json()["total"] == 40
    assert len(large.captured_queries) == len(small.captured_queries)


def test_body_detail_query_count_does_not_grow_with_members(
    client,
    world,
    personas,
    committee,
    bearer,
    count_queries,
):
    from govcube.bodies.services import body_member_add

    headers = bearer(committee.employees[0])
    url = f"/api/v1/bodies/{committee.body.pk}"
    client.get(url, **headers)
    with count_queries() as small:
        client.get(url, **headers)
    for i in range(35):
        body_member_add(
            actor=personas.street_njxl,
            body=committee.body,
            role="member",
            person=person_in(world.ent_a, f"新成员{i}", f"1370000{i:04d}"),
        )
    with count_queries() as large:
        assert len(client.get(url, **headers).json()["members"]) == 40
    assert len(large.captured_queries) == len(small.captured_queries)
