from __future__ import annotations

import pytest

from govcube.accounts.services import api_token_create

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer():
    def _as(user):
        _row, raw = api_token_create(actor=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _as


def _file(client, desk, world, headers):
    body = {
        "enterprise_id": world.ent_a.pk,
        "building_id": world.henglong.pk,
        "item_id": desk.permit.pk,
        "title": "外籍员工工作许可",
        "description": "需要了解材料。",
    }
    return client.post("/api/v1/service-requests", body, content_type="application/json", **headers)


def test_the_story_through_the_api(client, desk, world, bearer):
    contact, member = bearer(desk.contact), bearer(desk.hr_member)
    response = _file(client, desk, world, contact)
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "assigned" and data["owner"] == "service_hr" and data["actions"] == ["withdraw"]
    rid = data["id"]
    data = client.post(f"/api/v1/service-requests/{rid}/accept", {}, content_type="application/json", **member).json()
    assert data["status"] == "in_progress" and "resolve" in data["actions"]
    data = client.post(
        f"/api/v1/service-requests/{rid}/ask", {"message": "请补充材料"}, content_type="application/json", **member
    ).json()
    assert data["status"] == "waiting" and data["paused"] is True
    assert (
        client.post(
            f"/api/v1/service-requests/{rid}/messages", {"text": "已补充"}, content_type="application/json", **contact
        ).status_code
        == 201
    )
    assert client.get(f"/api/v1/service-requests/{rid}", **member).json()["status"] == "in_progress"
    response = client.post(f"/api/v1/service-requests/{rid}/resolve", {}, content_type="application/json", **member)
    assert response.status_code == 400 and response.json()["field"] == "answer"
    client.post(
        f"/api/v1/service-requests/{rid}/resolve", {"answer": "已办结"}, content_type="application/json", **member
    )
    response = client.post(
        f"/api/v1/service-requests/{rid}/rating", {"score": 5}, content_type="application/json", **member
    )
    assert response.status_code == 403
    assert (
        client.post(
            f"/api/v1/service-requests/{rid}/rating", {"score": 5}, content_type="application/json", **contact
        ).status_code
        == 201
    )
    assert client.get(f"/api/v1/service-requests/{rid}", **contact).json()["status"] == "closed"


def test_requests_are_scoped(client, desk, world, personas, bearer):
    rid = _file(client, desk, world, bearer(desk.contact)).json()["id"]
    assert client.get(f"/api/v1/service-requests/{rid}", **bearer(desk.tax_member)).status_code == 404
    assert client.get(f"/api/v1/service-requests/{rid}", **bearer(personas.street_jas)).status_code == 404
    assert client.get(f"/api/v1/service-requests/{rid}", **bearer(personas.street_njxl)).status_code == 200


def test_an_unknown_action_is_400(client, desk, world, bearer):
    rid = _file(client, desk, world, bearer(desk.contact)).json()["id"]
    response = client.post(
        f"/api/v1/service-requests/{rid}/explode", {}, content_type="application/json", **bearer(desk.hr_member)
    )
    assert response.status_code == 400


def test_list_query_count_does_not_grow(client, desk, world, bearer, count_queries):
    headers = bearer(desk.contact)
    _file(client, desk, world, headers)
    client.get("/api/v1/service-requests", **headers)
    with count_queries() as small:
        client.get("/api/v1/service-requests", **headers)
    for _ in range(30):
        _file(client, desk, world, headers)
    with count_queries() as large:
        assert client.get("/api/v1/service-requests", **headers).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_catalogue_lists_items_with_their_policy(client, desk, bearer):
    items = client.get("/api/v1/service-catalog", **bearer(desk.contact)).json()
    permit = next(i for i in items if i["code"] == "talent.work_permit")
    assert permit["policy"]["resolution_days"] == 5 and permit["department"] == "静安区人力资源和社会保障局"
