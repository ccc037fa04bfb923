"""The /api/v1 resources of project claiming."""

from __future__ import annotations

import pytest

from govcube.accounts.services import api_token_create
from govcube.work import services
from govcube.work.models import Claim, Need, Project, ProjectStatus, Resource, ResourceStatus
from tests.work.conftest import png

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


# ---------------------------------------------------------------------------------------------
# Needs and resources


def test_needs_are_recorded_and_listed_in_scope(api, committee, world, personas):
    member = api(committee.members[0])
    response = member.post(
        "/needs",
        {"body_id": committee.body.pk, "title": "会议室不足", "source": "topic", "building_id": world.henglong.pk},
    )
    assert response.status_code == 201, response.content
    need_id = response.json()["id"]
    assert response.json()["status"] == "open"
    response = member.post("/needs", {"body_id": committee.body.pk, "title": "x", "building_id": world.jas_building.pk})
    assert response.status_code == 400 and response.json()["field"] == "building_id"
    response = member.post("/needs", {"body_id": committee.body.pk, "title": ""})
    assert response.status_code == 400 and response.json()["field"] == "title"
    assert api(committee.employees[0]).post("/needs", {"body_id": committee.body.pk, "title": "x"}).status_code == 403
    assert api(personas.street_jas).post("/needs", {"body_id": committee.body.pk, "title": "x"}).status_code == 404
    assert Need.objects.count() == 1
    data = api(committee.employees[0]).get("/needs", {"status": "open"}).json()
    assert [i["id"] for i in data["items"]] == [need_id] and data["total"] == 1
    assert api(personas.street_jas).get("/needs").json()["items"] == []
    assert api(personas.street_jas).get(f"/needs/{need_id}").status_code == 404


def test_resources_are_offered_listed_and_withdrawn(api, committee, claimants, personas):
    contact = api(claimants.contact_a)
    body = {"kind": "venue", "title": "多功能厅", "enterprise_id": claimants.ent_a.pk, "body_id": committee.body.pk}
    response = contact.post("/resources", body)
    assert response.status_code == 201, response.content
    rid = response.json()["id"]
    assert response.json()["offerer"] == claimants.ent_a.name
    assert api(claimants.contact_c).post("/resources", body).status_code == 403
    response = contact.post("/resources", body | {"kind": "gold"})
    assert response.status_code == 422 and response.json()["field"] == "kind"
    response = contact.post("/resources", {"kind": "venue", "title": "x"})
    assert response.status_code == 400 and response.json()["field"] == "enterprise_id"
    assert Resource.objects.count() == 1
    assert [i["id"] for i in api(personas.street_njxl).get("/resources", {"kind": "venue"}).json()["items"]] == [rid]
    assert api(personas.street_jas).get("/resources").json()["items"] == []
    assert api(claimants.contact_c).post(f"/resources/{rid}/withdraw").status_code == 404
    response = contact.post(f"/resources/{rid}/withdraw")
    assert response.status_code == 200 and response.json()["status"] == ResourceStatus.WITHDRAWN
    assert contact.post(f"/resources/{rid}/withdraw").status_code == 409


# ---------------------------------------------------------------------------------------------
# Projects


def test_the_convener_creates_publishes_and_the_actions_follow(api, committee, world):
    need = services.need_create(actor=committee.members[0], body=committee.body, title="会议室不足")
    convener = api(committee.convener)
    response = convener.post(
        "/projects",
        {
            "body_id": committee.body.pk,
            "title": "共享会议室",
            "description": "改造空置空间",
            "need_ids": [need.pk],
            "building_id": world.henglong.pk,
            "milestones": ["设计", "施工"],
            "due_on": "2027-03-31",
        },
    )
    assert response.status_code == 201, response.content
    data = response.json()
    assert data["status"] == "draft" and data["need_ids"] == [need.pk]
    assert [m["title"] for m in data["milestones"]] == ["设计", "施工"]
    assert data["actions"] == ["publish", "cancel"]
    pid = data["id"]
    response = convener.post(f"/projects/{pid}/publish", {"version": data["version"]})
    assert response.status_code == 200 and response.json()["status"] == "open"
    assert response.json()["actions"] == ["start", "cancel"]
    response = convener.post(f"/projects/{pid}/cancel", {})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = convener.post(f"/projects/{pid}/publish")
    assert response.status_code == 409
    response = convener.post(f"/projects/{pid}/start")
    assert response.status_code == 409 and response.json()["code"] == "work.project.start.no_claim"
    response = convener.post(f"/projects/{pid}/nonsense")
    assert response.status_code == 404 and response.json()["code"] == "work.project.action.unknown"


def test_creating_is_refused_to_others_and_bad_input_names_the_field(api, committee, world, personas):
    body = {"body_id": committee.body.pk, "title": "x", "description": "y"}
    assert api(committee.members[0]).post("/projects", body).status_code == 403
    assert api(personas.street_jas).post("/projects", body).status_code == 404
    convener = api(committee.convener)
    response = convener.post("/projects", body | {"building_id": world.jas_building.pk})
    assert response.status_code == 400 and response.json()["field"] == "building_id"
    response = convener.post("/projects", body | {"need_ids": [999999]})
    assert response.status_code == 400 and response.json()["field"] == "need_ids"
    response = convener.post("/projects", body | {"description": ""})
    assert response.status_code == 400 and response.json()["field"] == "description"
    response = convener.post("/projects", body | {"starts_on": "2027-02-01", "due_on": "2027-01-01"})
    assert response.status_code == 400
    assert not Project.objects.exists()


def test_drafts_and_out_of_scope(api, committee, make_project, personas):
    draft = make_project(publish=False)
    published = make_project(title="已发布")
    employee = api(committee.employees[0])
    assert [i["id"] for i in employee.get("/projects").json()["items"]] == [published.pk]
    assert employee.get(f"/projects/{draft.pk}").status_code == 404
    assert {i["id"] for i in api(committee.convener).get("/projects").json()["items"]} == {draft.pk, published.pk}
    for user in (personas.street_jas, committee.outsider):
        assert api(user).get("/projects").json()["items"] == []
        assert api(user).get(f"/projects/{published.pk}").status_code == 404
        assert api(user).post(f"/projects/{published.pk}/claims", {"share": 10}).status_code == 404
    items = api(committee.convener).get("/projects", {"status": "draft"}).json()["items"]
    assert [i["id"] for i in items] == [draft.pk]


# ---------------------------------------------------------------------------------------------
# Claims


def test_claims_at_60_and_40_a_third_refused_and_a_withdrawal_frees_the_share(api, committee, claimants, make_project):
    project = make_project()
    path = f"/projects/{project.pk}/claims"
    a, c, d = api(claimants.contact_a), api(claimants.contact_c), api(claimants.contact_d)
    response = a.post(path, {"share": 101, "enterprise_id": claimants.ent_a.pk})
    assert response.status_code == 400 and response.json()["field"] == "share"
    assert not Claim.objects.exists()
    response = a.post(path, {"share": 60, "enterprise_id": claimants.ent_a.pk, "commitment": "设计"})
    assert response.status_code == 201, response.content
    first = response.json()
    assert first["status"] == "pending" and first["actions"] == ["withdraw"]
    assert a.post(path, {"share": 10, "enterprise_id": claimants.ent_a.pk}).status_code == 409
    assert c.post(path, {"share": 40, "enterprise_id": claimants.ent_c.pk}).status_code == 201
    response = d.post(path, {"share": 1, "enterprise_id": claimants.ent_d.pk})
    assert response.status_code == 400 and response.json()["field"] == "share"
    response = d.post(path, {"share": 10, "enterprise_id": claimants.ent_a.pk})
    assert response.status_code == 403
    convener = api(committee.convener)
    listed = convener.get(path).json()["items"]
    assert [(i["share"], i["actions"]) for i in listed] == [(60, ["approve", "reject"]), (40, ["approve", "reject"])]
    response = convener.post(f"{path}/{first['id']}/approve", {"version": first["version"]})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    response = a.post(f"{path}/{first['id']}/withdraw", {})
    assert response.status_code == 400 and response.json()["field"] == "reason"
    response = a.post(f"{path}/{first['id']}/withdraw", {"reason": "人手不足"})
    assert response.status_code == 200 and response.json()["status"] == "withdrawn"
    assert convener.get(f"/projects/{project.pk}").json()["claimed_share"] == 40
    assert d.post(path, {"share": 60, "enterprise_id": claimants.ent_d.pk}).status_code == 201
    assert convener.post(f"{path}/{first['id']}/nonsense").status_code == 404


def test_a_party_branch_claims_by_the_api(api, claimants, make_project):
    project = make_project()
    response = api(claimants.secretary).post(
        f"/projects/{project.pk}/claims", {"share": 20, "party_organisation_id": claimants.branch.pk}
    )
    assert response.status_code == 201, response.content
    assert response.json()["claimant"] == claimants.branch.name
    response = api(claimants.secretary).post(
        f"/projects/{project.pk}/claims",
        {"share": 20, "party_organisation_id": claimants.branch.pk, "enterprise_id": claimants.ent_a.pk},
    )
    assert response.status_code == 400 and response.json()["field"] == "enterprise_id"


# ---------------------------------------------------------------------------------------------
# Running the project


def test_progress_milestones_and_completion(api, running, claimants, committee):
    a = api(claimants.contact_a)
    base = f"/projects/{running.pk}"
    response = a.post(f"{base}/milestones", {"title": "验收", "due_on": "2027-01-10"})
    assert response.status_code == 201
    milestone = response.json()
    response = a.post(f"{base}/progress", {"text": "设计完成", "progress": 50, "milestone_id": milestone["id"]})
    assert response.status_code == 201, response.content
    assert response.json()["progress"] == 50 and response.json()["photos"] == []
    response = a.post(f"{base}/progress", {"text": "x", "progress": 150})
    assert response.status_code == 400 and response.json()["field"] == "progress"
    response = a.post(f"{base}/progress", {"text": "x", "milestone_id": 999999})
    assert response.status_code == 400 and response.json()["field"] == "milestone_id"
    assert api(claimants.contact_d).post(f"{base}/progress", {"text": "x"}).status_code == 403
    assert api(committee.employees[0]).get(f"{base}/progress").json()["total"] == 1
    detail = api(committee.convener).get(base).json()
    assert detail["progress"] == 50 and [m["done_at"] is not None for m in detail["milestones"]] == [False, False, True]
    ticked = a.post(f"{base}/milestones/{detail['milestones'][0]['id']}/done", {})
    assert ticked.status_code == 200 and ticked.json()["done_at"]
    response = a.post(f"{base}/complete", {"outcome": "会议室启用"})
    assert response.status_code == 200 and response.json()["status"] == ProjectStatus.COMPLETED
    assert response.json()["actions"] == []
    response = api(committee.convener).post(f"{base}/verify")
    assert response.status_code == 200 and response.json()["status"] == ProjectStatus.VERIFIED


def test_the_convener_commits_a_resource_by_the_api(api, make_project, committee, claimants):
    project = make_project()
    resource = services.resource_offer(
        actor=claimants.contact_a, kind="venue", title="多功能厅", enterprise=claimants.ent_a, body=committee.body
    )
    assert (
        api(claimants.contact_a).post(f"/projects/{project.pk}/resources", {"resource_id": resource.pk}).status_code
        == 403
    )
    response = api(committee.convener).post(f"/projects/{project.pk}/resources", {"resource_id": resource.pk})
    assert response.status_code == 200 and response.json()["project_id"] == project.pk
    response = api(committee.convener).post(f"/projects/{project.pk}/resources", {"resource_id": 999999})
    assert response.status_code == 400 and response.json()["field"] == "resource_id"


# ---------------------------------------------------------------------------------------------
# Query counts


@pytest.mark.parametrize("path", ["/needs", "/resources", "/projects"])
def test_api_lists_run_a_bounded_number_of_queries(
    api, committee, claimants, make_project, personas, count_queries, path
):
    client = api(personas.street_njxl)

    def grow(n, start):
        for i in range(start, start + n):
            services.need_create(actor=committee.members[0], body=committee.body, title=f"需求{i}")
            services.resource_offer(
                actor=claimants.contact_a, kind="venue", title=f"资源{i}", enterprise=claimants.ent_a
            )
            make_project(title=f"项目{i}")

    def count() -> int:
        client.get(path)
        with count_queries() as ctx:
            assert client.get(path).status_code == 200
        return len(ctx.captured_queries)

    grow(2, 0)
    small = count()
    grow(6, 2)
    assert count() == small and small <= 15, small


def test_the_project_detail_and_its_lists_run_a_bounded_number_of_queries(
    api, running, claimants, committee, count_queries
):
    convener = api(committee.convener)
    base = f"/projects/{running.pk}"

    def grow(n, start):
        for i in range(start, start + n):
            services.progress_post(
                actor=claimants.contact_a, project=running, text=f"进展{i}", photos=[png(f"p{i}.png")]
            )
            services.milestone_add(actor=committee.convener, project=running, title=f"节点{i}")

    def count() -> list[int]:
        counts = []
        for path in (base, f"{base}/claims", f"{base}/progress"):
            convener.get(path)
            with count_queries() as ctx:
                assert convener.get(path).status_code == 200
            counts.append(len(ctx.captured_queries))
        return counts

    grow(2, 0)
    small = count()
    grow(6, 2)
    assert count() == small and max(small) <= 20, small
