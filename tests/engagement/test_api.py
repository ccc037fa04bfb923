from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from govcube.accounts.services import api_token_create
from govcube.engagement import services
from govcube.engagement.models import LiaisonAssignment, Visit, VisitKind, VisitStatus
from tests.services.conftest import desk as service_desk  # noqa: F401  (the service catalogue fixture)

pytestmark = pytest.mark.django_db


@pytest.fixture
def api(client):
    """``api(user).get(path)`` / ``.post(path, body)`` with a bearer token."""

    class _Api:
        def __init__(self, user):
            _row, raw = api_token_create(actor=user, name="test")
            self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

        def get(self, path, params=None):
            return client.get("/api/v1" + path, params or {}, **self.headers)

        def post(self, path, body=None):
            return client.post("/api/v1" + path, body or {}, content_type="application/json", **self.headers)

    return _Api


def day(days: int) -> str:
    return (timezone.localdate() + timedelta(days=days)).isoformat()


def plan(cadre, building, days=1, **kwargs):
    kind = VisitKind.objects.get(code="enterprise")
    return services.visit_plan(
        actor=cadre, building=building, kind=kind, planned_for=timezone.localdate() + timedelta(days=days), **kwargs
    )


# ---------------------------------------------------------------------------------------------
# Liaisons


def test_liaisons_are_listed_in_scope(api, personas, world, cadres):
    wang, _zhao, assignment = cadres
    data = api(personas.street_njxl).get("/liaisons").json()
    assert [(i["id"], i["cadre_id"]) for i in data["items"]] == [(assignment.pk, wang.pk)] and data["total"] == 1
    assert api(personas.street_jas).get("/liaisons").json()["items"] == []
    assert [i["id"] for i in api(wang).get("/liaisons").json()["items"]] == [assignment.pk]


def test_the_street_assigns_a_cadre(api, personas, world, cadres):
    _wang, zhao, _a = cadres
    response = api(personas.street_njxl).post(
        "/liaisons", {"building_id": world.citic.pk, "cadre_id": zhao.pk, "monthly_quota": 4}
    )
    assert response.status_code == 201, response.content
    assert response.json()["monthly_quota"] == 4 and response.json()["building"] == "中信泰富广场"


def test_assigning_is_refused_outside_the_street_and_without_covering_role(api, personas, world, cadres):
    _wang, zhao, _a = cadres
    response = api(personas.street_jas).post("/liaisons", {"building_id": world.citic.pk, "cadre_id": zhao.pk})
    assert response.status_code == 404
    response = api(personas.street_njxl).post(
        "/liaisons", {"building_id": world.citic.pk, "cadre_id": personas.liaison_wang.pk}
    )
    assert response.status_code == 400 and response.json()["field"] == "cadre_id"
    response = api(zhao).post("/liaisons", {"building_id": world.henglong.pk, "cadre_id": zhao.pk})
    assert response.status_code in (403, 404)
    assert not LiaisonAssignment.objects.filter(building=world.citic).exists()


def test_a_hand_over_moves_open_visits_and_ending_with_open_visits_is_a_conflict(api, personas, world, cadres):
    wang, zhao, assignment = cadres
    visit = plan(wang, world.henglong)
    official = api(personas.street_njxl)
    response = official.post(f"/liaisons/{assignment.pk}/end", {})
    assert response.status_code == 409
    assert response.json()["code"] == "engagement.liaison.end.open_visits" and response.json()["message"]
    response = official.post(f"/liaisons/{assignment.pk}/handover", {"cadre_id": zhao.pk})
    assert response.status_code == 201 and response.json()["cadre_id"] == zhao.pk
    visit.refresh_from_db()
    assert visit.cadre == zhao
    successor = response.json()["id"]
    assert official.post(f"/liaisons/{successor}/handover", {"cadre_id": zhao.pk}).json()["field"] == "cadre_id"
    assert api(personas.street_jas).post(f"/liaisons/{successor}/end", {}).status_code == 404


def test_ending_an_assignment_without_open_visits(api, personas, cadres):
    _wang, _zhao, assignment = cadres
    response = api(personas.street_njxl).post(f"/liaisons/{assignment.pk}/end", {})
    assert response.status_code == 200 and response.json()["end"] == day(0)


# ---------------------------------------------------------------------------------------------
# Visits


def test_the_cadre_plans_records_and_passes_a_finding_on_as_a_topic(api, personas, world, cadres):
    from govcube.bodies.services import body_create

    wang, _zhao, _a = cadres
    cadre = api(wang)
    response = cadre.post(
        "/visits",
        {
            "building_id": world.henglong.pk,
            "kind": "enterprise",
            "planned_for": day(1),
            "enterprise_id": world.ent_a.pk,
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "planned" and data["actions"] == ["record", "cancel"]
    vid = data["id"]
    response = cadre.post(f"/visits/{vid}/record", {"findings": ""})
    assert response.status_code == 400 and response.json()["field"] == "findings"
    response = cadre.post(f"/visits/{vid}/record", {"findings": "午间电梯拥挤", "follow_up": "topic", "version": 1})
    assert response.status_code == 200, response.content
    assert response.json()["status"] == "done" and response.json()["actions"] == []
    body = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="恒隆广场楼宇事务委员会",
        kind="building_committee",
        buildings=[world.henglong],
    )
    other = body_create(
        actor=personas.street_jas, node=world.street_b, name="静安寺楼宇", kind="building_committee", buildings=[]
    )
    response = cadre.post(f"/visits/{vid}/topic", {"body_id": other.pk, "title": "电梯"})
    assert response.status_code == 400 and response.json()["field"] == "body_id"
    response = cadre.post(f"/visits/{vid}/topic", {"body_id": body.pk, "title": "电梯"})
    assert response.status_code == 201, response.content
    assert response.json()["visit"]["link_type"] == "deliberation.topic"
    assert response.json()["visit"]["link_id"] == str(response.json()["link_id"])
    assert cadre.post(f"/visits/{vid}/topic", {"body_id": body.pk, "title": "again"}).status_code == 409


def test_a_finding_becomes_a_service_request(api, world, cadres, service_desk):  # noqa: F811
    wang, _zhao, _a = cadres
    visit = plan(wang, world.henglong, enterprise=world.ent_a)
    cadre = api(wang)
    assert (
        cadre.post(f"/visits/{visit.pk}/service-request", {"item_id": service_desk.permit.pk, "title": "x"}).status_code
        == 409
    )
    services.visit_record(actor=wang, visit=visit, findings="需要办理工作许可")
    response = cadre.post(f"/visits/{visit.pk}/service-request", {"item_id": 999999, "title": "工作许可"})
    assert response.status_code == 400 and response.json()["field"] == "item_id"
    response = cadre.post(
        f"/visits/{visit.pk}/service-request", {"item_id": service_desk.permit.pk, "title": "工作许可"}
    )
    assert response.status_code == 201, response.content
    assert response.json()["link_type"] == "services.servicerequest"


def test_planning_is_refused_for_a_non_liaison_in_the_past_and_outside_the_scope(api, world, cadres):
    wang, zhao, _a = cadres
    body = {"building_id": world.henglong.pk, "kind": "enterprise", "planned_for": day(1)}
    assert api(zhao).post("/visits", body).status_code == 403
    response = api(wang).post("/visits", body | {"planned_for": day(-1)})
    assert response.status_code == 400 and response.json()["field"] == "planned_for"
    response = api(wang).post("/visits", body | {"kind": "nope"})
    assert response.status_code == 400 and response.json()["field"] == "kind"
    response = api(wang).post("/visits", body | {"enterprise_id": world.ent_b.pk})
    assert response.status_code == 400 and response.json()["field"] == "enterprise_id"
    assert api(wang).post("/visits", body | {"building_id": world.jas_building.pk}).status_code == 404
    assert not Visit.objects.exists()


def test_cancel_needs_a_reason_and_only_the_cadre_acts(api, personas, world, cadres):
    wang, zhao, _a = cadres
    visit = plan(wang, world.henglong)
    assert api(zhao).post(f"/visits/{visit.pk}/cancel", {"reason": "x"}).status_code == 403
    assert api(zhao).get(f"/visits/{visit.pk}").json()["actions"] == []
    response = api(wang).post(f"/visits/{visit.pk}/cancel", {})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = api(wang).post(f"/visits/{visit.pk}/cancel", {"reason": "企业搬迁"})
    assert response.status_code == 200 and response.json()["status"] == VisitStatus.CANCELLED
    assert api(wang).post(f"/visits/{visit.pk}/record", {"findings": "x"}).status_code == 409
    assert api(personas.street_jas).get(f"/visits/{visit.pk}").status_code == 404


def test_visits_are_listed_in_scope_with_filters(api, personas, world, cadres):
    wang, _zhao, _a = cadres
    late, later = plan(wang, world.henglong, 1), plan(wang, world.henglong, 9)
    Visit.objects.filter(pk=late.pk).update(planned_for=timezone.localdate() - timedelta(days=2))
    official = api(personas.street_njxl)
    assert {i["id"] for i in official.get("/visits").json()["items"]} == {late.pk, later.pk}
    items = official.get("/visits", {"overdue": "true"}).json()["items"]
    assert [(i["id"], i["overdue"]) for i in items] == [(late.pk, True)]
    assert official.get("/visits", {"status": "done"}).json()["items"] == []
    assert official.get("/visits", {"kind": "employees"}).json()["items"] == []
    assert api(personas.street_jas).get("/visits").json()["items"] == []
    assert official.get("/visits", {"status": "bogus"}).status_code == 422


def test_the_api_needs_a_login(client):
    assert client.get("/api/v1/visits").status_code == 401
    assert client.post("/api/v1/liaisons", {}, content_type="application/json").status_code == 401
