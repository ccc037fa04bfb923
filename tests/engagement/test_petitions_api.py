"""/api/v1/petitions: list (scoped, filtered, cursor pages), create (errors per field), detail, actions."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.test import Client
from django.utils import timezone

from govcube.accounts.services import api_token_create
from govcube.engagement.models import Escalation, Petition, PetitionStatus, PetitionTarget
from govcube.services.models import Department

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate


class Api:
    """``Api(user).get(path)`` / ``.post(path, body)`` with a bearer token, on a client of its own."""

    def __init__(self, user):
        _row, raw = api_token_create(actor=user, name="test")
        self.client = Client()
        self.headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    def get(self, path, params=None):
        return self.client.get("/api/v1" + path, params or {}, **self.headers)

    def post(self, path, body=None):
        return self.client.post("/api/v1" + path, body or {}, content_type="application/json", **self.headers)


def payload(committee, world, departments, **overrides) -> dict:
    data = {
        "body_id": committee.body.pk,
        "building_id": world.henglong.pk,
        "title": "地下车库渗水",
        "text": "车库渗水三个月未解决。",
        "department_ids": [departments.housing.pk, departments.tax.pk],
    }
    data.update(overrides)
    return data


# ---------------------------------------------------------------------------------------------
# Create


def test_the_convener_creates_a_petition(committee, world, departments):
    response = Api(committee.convener).post("/petitions", payload(committee, world, departments, evidence="照片"))
    assert response.status_code == 201, response.content
    data = response.json()
    petition = Petition.objects.get()
    assert data["id"] == petition.pk and data["status"] == "submitted" and data["evidence"] == "照片"
    assert sorted(data["department_ids"]) == sorted([departments.housing.pk, departments.tax.pk])
    housing = next(t for t in data["targets"] if t["department_id"] == departments.housing.pk)
    target = petition.targets.get(department=departments.housing)
    assert (housing["acknowledge_by"], housing["answer_by"]) == (
        target.acknowledge_by.isoformat(),
        target.answer_by.isoformat(),
    )
    assert data["actions"] == ["withdraw"] and housing["actions"] == []
    assert [e["kind"] for e in data["timeline"]] == ["submitted"]


def test_a_petition_from_a_passed_decision(committee, world, departments, passed_decision):
    response = Api(committee.convener).post(
        "/petitions",
        payload(committee, world, departments, decision_id=passed_decision.pk, topic_id=passed_decision.item.topic_id),
    )
    assert response.status_code == 201, response.content
    assert response.json()["decision_id"] == passed_decision.pk
    assert response.json()["topic_id"] == passed_decision.item.topic_id


@pytest.mark.parametrize(
    ("overrides", "field", "status"),
    [
        ({"department_ids": []}, "department_ids", 400),
        ({"department_ids": [999_999]}, "department_ids", 400),
        ({"title": "  "}, "title", 400),
        ({"text": ""}, "text", 400),
        ({"title": "长" * 201}, "title", 400),
        ({"building_id": 999_999}, "building_id", 400),
        ({"answer_by": "2020-01-02"}, "answer_by", 400),
        ({"answer_by": "not a date"}, "answer_by", 422),
        ({"decision_id": 999_999}, "decision_id", 400),
        ({"topic_id": 999_999}, "topic_id", 400),
    ],
)
def test_bad_input_names_the_field_and_stores_nothing(committee, world, departments, overrides, field, status):
    response = Api(committee.convener).post("/petitions", payload(committee, world, departments, **overrides))
    assert response.status_code == status, response.content
    assert response.json()["field"] == field and response.json()["message"]
    assert not Petition.objects.exists() and not PetitionTarget.objects.exists()


def test_the_building_must_be_covered_and_the_departments_few(committee, world, departments):
    api = Api(committee.convener)
    response = api.post("/petitions", payload(committee, world, departments, building_id=world.jas_building.pk))
    assert (response.status_code, response.json()["field"]) == (400, "building_id")
    many = [
        Department.objects.create(name=f"部门{i}", short_name=f"部门{i}", district=world.district) for i in range(11)
    ]
    response = api.post("/petitions", payload(committee, world, departments, department_ids=[d.pk for d in many]))
    assert (response.status_code, response.json()["field"]) == (400, "department_ids")
    assert response.json()["code"] == "engagement.petition.departments.too_many"
    assert not Petition.objects.exists()


def test_decisions_that_cannot_be_sent_on(committee, world, departments, passed_decision, personas):
    from govcube.bodies.services import body_create

    api = Api(committee.convener)
    passed_decision.passed = None
    passed_decision.save()
    response = api.post("/petitions", payload(committee, world, departments, decision_id=passed_decision.pk))
    assert (response.status_code, response.json()["field"]) == (400, "decision_id")
    assert response.json()["code"] == "engagement.petition.decision.not_passed"
    other = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="中信泰富楼事会",
        kind="building_committee",
        buildings=[world.citic],
    )
    passed_decision.passed = True
    passed_decision.save()
    meeting = passed_decision.item.meeting
    meeting.body = other
    meeting.save()
    response = api.post("/petitions", payload(committee, world, departments, decision_id=passed_decision.pk))
    assert (response.status_code, response.json()["field"]) == (400, "decision_id")
    assert response.json()["code"] == "engagement.petition.decision.other_body"
    assert not Petition.objects.exists()


def test_the_secretary_may_send_only_a_decision_on(committee, world, departments, passed_decision):
    api = Api(committee.secretary)
    assert api.post("/petitions", payload(committee, world, departments)).status_code == 403
    response = api.post("/petitions", payload(committee, world, departments, decision_id=passed_decision.pk))
    assert response.status_code == 201, response.content


def test_who_may_create(committee, world, departments, personas):
    assert Api(committee.members[0]).post("/petitions", payload(committee, world, departments)).status_code == 403
    assert Api(committee.outsider).post("/petitions", payload(committee, world, departments)).status_code == 404
    assert Api(personas.street_jas).post("/petitions", payload(committee, world, departments)).status_code == 404
    assert not Petition.objects.exists()


# ---------------------------------------------------------------------------------------------
# Read


def test_the_list_is_scoped_and_filtered(committee, departments, personas, send, world):
    first = send()
    second = send(title="税务减免咨询", departments=[departments.tax])
    Petition.objects.filter(pk=second.pk).update(escalation=Escalation.STREET)
    PetitionTarget.objects.filter(petition=first).update(
        acknowledge_by=TODAY() - timedelta(days=6), answer_by=TODAY() - timedelta(days=2)
    )

    def ids(user, **params):
        return [item["id"] for item in Api(user).get("/petitions", params).json()["items"]]

    assert ids(personas.street_njxl) == [first.pk, second.pk]
    assert ids(personas.street_jas) == [] and ids(committee.outsider) == []
    assert ids(departments.tax_staff) == [second.pk] and ids(committee.employees[0]) == [first.pk, second.pk]
    assert ids(personas.street_njxl, escalated="true") == [second.pk]
    assert ids(personas.street_njxl, escalated="false") == [first.pk]
    assert ids(personas.street_njxl, overdue="true") == [first.pk]
    assert ids(personas.street_njxl, department=departments.tax.pk) == [second.pk]
    assert ids(personas.street_njxl, building=world.citic.pk) == []
    assert ids(personas.street_njxl, body=committee.body.pk, status="submitted") == [first.pk, second.pk]
    assert ids(personas.street_njxl, status="accepted") == []
    row = Api(personas.street_njxl).get("/petitions").json()["items"][0]
    assert row["overdue"] is True and row["next_answer_by"] == (TODAY() - timedelta(days=2)).isoformat()


def test_the_list_pages_by_cursor(personas, send):
    made = [send(title=f"提请{i}").pk for i in range(5)]
    api = Api(personas.street_njxl)
    page = api.get("/petitions", {"limit": 2}).json()
    seen = [i["id"] for i in page["items"]]
    while page["next_cursor"]:
        page = api.get("/petitions", {"limit": 2, "cursor": page["next_cursor"]}).json()
        seen += [i["id"] for i in page["items"]]
    assert seen == made and page["total"] == 5
    assert api.get("/petitions", {"limit": 101}).status_code == 400
    assert api.get("/petitions", {"cursor": "!!"}).json()["field"] == "cursor"


def test_the_detail_is_404_outside(committee, departments, personas, send):
    petition = send()
    for user in (personas.street_jas, committee.outsider, departments.tax_staff):
        assert Api(user).get(f"/petitions/{petition.pk}").status_code == 404
    assert Api(departments.housing_staff).get(f"/petitions/{petition.pk}").status_code == 200
    assert Api(personas.street_njxl).get("/petitions/999999").status_code == 404


# ---------------------------------------------------------------------------------------------
# Actions


def test_a_petition_through_the_api(committee, departments, send):
    petition = send()
    target = petition.targets.get()
    staff, convener = Api(departments.housing_staff), Api(committee.convener)
    data = staff.get(f"/petitions/{petition.pk}").json()
    assert data["targets"][0]["actions"] == ["acknowledge", "answer"] and data["actions"] == []
    base = f"/petitions/{petition.pk}/targets/{target.pk}"
    data = staff.post(f"{base}/acknowledge", {"version": target.version}).json()
    assert data["targets"][0]["status"] == "acknowledged" and data["targets"][0]["actions"] == ["answer"]
    response = staff.post(f"{base}/answer", {"answer": "", "version": data["targets"][0]["version"]})
    assert (response.status_code, response.json()["field"]) == (400, "answer")
    response = staff.post(f"{base}/answer", {"answer": "已安排维修", "version": 1})
    assert response.status_code == 409 and response.json()["field"] == "version"
    data = staff.post(f"{base}/answer", {"answer": "已安排维修", "version": data["targets"][0]["version"]}).json()
    assert data["status"] == "answered" and data["targets"][0]["answer"] == "已安排维修"

    data = convener.get(f"/petitions/{petition.pk}").json()
    assert data["actions"] == ["accept", "contest", "close"]
    response = convener.post(f"/petitions/{petition.pk}/contest", {"reason": "", "version": data["version"]})
    assert (response.status_code, response.json()["field"]) == (400, "reason")
    data = convener.post(f"/petitions/{petition.pk}/contest", {"reason": "渗水仍在", "version": data["version"]}).json()
    assert data["status"] == "contested" and data["contested"] and data["contest_reason"] == "渗水仍在"
    assert data["targets"][0]["round"] == 2 and data["actions"] == ["withdraw"]
    target_version = data["targets"][0]["version"]
    data = staff.post(f"{base}/answer", {"answer": "已更换防水层", "version": target_version}).json()
    assert data["status"] == "answered"
    data = convener.get(f"/petitions/{petition.pk}").json()
    assert data["actions"] == ["accept", "close"]
    response = convener.post(f"/petitions/{petition.pk}/contest", {"reason": "再次", "version": data["version"]})
    assert response.status_code == 409 and response.json()["code"] == "engagement.petition.contest.once"
    data = convener.post(f"/petitions/{petition.pk}/accept", {"version": data["version"]}).json()
    assert data["status"] == PetitionStatus.ACCEPTED and data["actions"] == []
    assert [e["kind"] for e in data["timeline"]][-2:] == ["all_answered", "accept"]


def test_refusals_through_the_api(committee, departments, send):
    petition = send(departments=[departments.housing, departments.tax])
    housing = petition.targets.get(department=departments.housing)
    response = Api(departments.tax_staff).post(
        f"/petitions/{petition.pk}/targets/{housing.pk}/answer", {"answer": "越权答复"}
    )
    assert response.status_code == 403
    assert Api(committee.members[0]).post(f"/petitions/{petition.pk}/withdraw", {"reason": "x"}).status_code == 403
    assert Api(committee.convener).post(f"/petitions/{petition.pk}/accept", {}).status_code == 409
    assert Api(committee.convener).post(f"/petitions/{petition.pk}/targets/999999/answer", {}).status_code == 404
    housing.refresh_from_db()
    petition.refresh_from_db()
    assert (housing.answer, petition.status) == ("", PetitionStatus.SUBMITTED)


def test_withdrawing_through_the_api(committee, send):
    petition = send()
    data = Api(committee.convener).post(f"/petitions/{petition.pk}/withdraw", {"reason": "物业已解决"}).json()
    assert data["status"] == "withdrawn" and data["closing_note"] == "物业已解决"
    assert data["targets"][0]["actions"] == [] and data["targets"][0]["overdue"] is False


# ---------------------------------------------------------------------------------------------
# Query counts


def _queries(count_queries, api, path) -> tuple[int, dict]:
    api.get(path)
    with count_queries() as ctx:
        data = api.get(path).json()
    return len(ctx.captured_queries), data


def test_list_and_detail_queries_do_not_grow(committee, departments, personas, send, count_queries, world):
    official, staff = Api(personas.street_njxl), Api(departments.housing_staff)
    extra = [
        Department.objects.create(name=f"部门{i}", short_name=f"部门{i}", district=world.district) for i in range(8)
    ]
    small = send(title="少", departments=[departments.housing])
    large = send(title="多", departments=[departments.housing, departments.tax, *extra])
    for i in range(3):
        send(title=f"提请{i}", departments=[departments.housing, departments.tax])
    few, data = _queries(count_queries, official, "/petitions?limit=100")
    few_staff, _ = _queries(count_queries, staff, "/petitions?limit=100&overdue=false")
    assert len(data["items"]) == 5
    for i in range(12):
        send(title=f"更多{i}", departments=[departments.housing, departments.tax])
    many, data = _queries(count_queries, official, "/petitions?limit=100")
    many_staff, _ = _queries(count_queries, staff, "/petitions?limit=100&overdue=false")
    assert len(data["items"]) == 17
    assert (many, many_staff) == (few, few_staff) and many <= 12, (few, many, few_staff, many_staff)
    one, _ = _queries(count_queries, staff, f"/petitions/{small.pk}")
    ten, data = _queries(count_queries, staff, f"/petitions/{large.pk}")
    assert len(data["targets"]) == 10 and ten == one <= 15, (one, ten)


def test_a_city_wide_role_sees_everything(world, personas, send, cadres):
    """A role held at the city reaches every petition (and every visit: the scope's empty filter
    must not vanish when it is combined with the user's own rows)."""
    from govcube.accounts.roles import Role
    from govcube.engagement.models import VisitKind
    from govcube.engagement.services import visit_plan
    from tests.factories import user_with_role

    petition = send()
    wang, _zhao, _assignment = cadres
    visit = visit_plan(
        actor=wang,
        building=world.henglong,
        kind=VisitKind.objects.get(code="enterprise"),
        planned_for=TODAY() + timedelta(days=1),
    )
    city = Api(user_with_role("city_leader", Role.DISTRICT_LEADER, world.city))
    assert [i["id"] for i in city.get("/petitions").json()["items"]] == [petition.pk]
    assert [i["id"] for i in city.get("/visits").json()["items"]] == [visit.pk]
    assert city.get(f"/petitions/{petition.pk}").status_code == 200
