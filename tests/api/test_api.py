from __future__ import annotations

import pytest

from govcube.accounts.services import api_token_create, api_token_revoke
from tests.factories import building, enterprise_in, industry, make_uscc

pytestmark = pytest.mark.django_db


@pytest.fixture
def bearer(client):
    def _as(user):
        _row, raw = api_token_create(actor=user, name="test")
        return {"HTTP_AUTHORIZATION": f"Bearer {raw}"}

    return _as


def test_anonymous_gets_401_with_a_code(client, world):
    response = client.get("/api/v1/buildings")
    assert response.status_code == 401
    assert response.json()["code"] == "unauthenticated"


def test_buildings_are_scoped_and_another_streets_building_is_404(client, personas, world, bearer):
    headers = bearer(personas.street_njxl)
    names = {b["name"] for b in client.get("/api/v1/buildings", **headers).json()["items"]}
    assert names == {"恒隆广场", "中信泰富广场"}
    assert client.get(f"/api/v1/buildings/{world.henglong.pk}", **headers).status_code == 200
    response = client.get(f"/api/v1/buildings/{world.jas_building.pk}", **headers)
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert client.get(f"/api/v1/enterprises/{world.ent_b.pk}", **headers).status_code == 404


def test_session_auth_works_for_the_browser(login, personas, world):
    client = login(personas.street_jas)
    assert {b["name"] for b in client.get("/api/v1/buildings").json()["items"]} == {"静安寺广场"}


def test_a_revoked_token_is_refused(client, personas, world):
    row, raw = api_token_create(actor=personas.street_njxl, name="ci")
    headers = {"HTTP_AUTHORIZATION": f"Bearer {raw}"}
    assert client.get("/api/v1/buildings", **headers).status_code == 200
    api_token_revoke(actor=personas.street_njxl, token_id=row.pk)
    assert client.get("/api/v1/buildings", **headers).status_code == 401


def test_tokens_are_stored_hashed(personas):
    row, raw = api_token_create(actor=personas.street_njxl, name="ci")
    assert raw not in (row.key_hash, row.key_prefix) and len(row.key_hash) == 64


def test_cursor_pagination_walks_every_row_once(client, personas, world, bearer):
    for i in range(7):
        building(world.cluster, f"分页楼{i}")
    headers = bearer(personas.street_njxl)
    seen, cursor = [], None
    while True:
        params = {"limit": 3} | ({"cursor": cursor} if cursor else {})
        page = client.get("/api/v1/buildings", params, **headers).json()
        seen += [b["id"] for b in page["items"]]
        assert page["total"] == 9
        cursor = page["next_cursor"]
        if not cursor:
            break
    assert len(seen) == len(set(seen)) == 9


@pytest.mark.parametrize(
    "params,field",
    [({"limit": 0}, "limit"), ({"limit": 101}, "limit"), ({"cursor": "%%%"}, "cursor"), ({"tier": "gold"}, "tier")],
)
def test_bad_list_parameters_name_the_field(client, personas, world, bearer, params, field):
    response = client.get("/api/v1/buildings", params, **bearer(personas.street_njxl))
    assert response.status_code in (400, 422)
    assert response.json()["field"] == field


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/enterprises",
        "/api/v1/buildings",
        "/api/v1/people",
        "/api/v1/party-organisations",
        "/api/v1/nodes",
        "/api/v1/tokens",
    ],
)
def test_list_query_count_does_not_grow(client, personas, world, bearer, count_queries, url):
    from govcube.directory.models import PartyOrganisation
    from tests.factories import person_in

    headers = bearer(personas.street_njxl)
    client.get(url, **headers)
    with count_queries() as small:
        client.get(url, **headers)
    for i in range(40):
        b = building(world.cluster, f"计数楼{i}")
        e = enterprise_in(b)
        person_in(e, f"计数{i}", f"1360000{i:04d}")
        org = PartyOrganisation(name=f"计数党支部{i}", kind="branch")
        org.set_scope(b.node)
        org.save()
        api_token_create(actor=personas.street_njxl, name=f"t{i}")
    with count_queries() as large:
        assert client.get(url, **headers).status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)


def test_creating_an_enterprise_with_a_bad_uscc_names_the_field_and_stores_nothing(client, personas, world, bearer):
    from govcube.directory.models import Enterprise

    industry("72", "商务服务业")
    before = Enterprise.objects.count()
    body = {"building_id": world.henglong.pk, "uscc": make_uscc(777)[:-1] + "0", "name": "坏代码公司", "industry": "72"}
    if body["uscc"] == make_uscc(777):
        body["uscc"] = make_uscc(777)[:-1] + "1"
    response = client.post("/api/v1/enterprises", body, content_type="application/json", **bearer(personas.street_njxl))
    assert response.status_code == 400
    assert response.json()["field"] == "uscc"
    assert Enterprise.objects.count() == before


def test_creating_an_enterprise_with_an_unknown_industry_is_refused(client, personas, world, bearer):
    body = {"building_id": world.henglong.pk, "uscc": make_uscc(778), "name": "未知行业公司", "industry": "ZZ"}
    response = client.post("/api/v1/enterprises", body, content_type="application/json", **bearer(personas.street_njxl))
    assert response.status_code == 400 and response.json()["field"] == "industry"


def test_creating_an_enterprise_in_another_street_is_404(client, personas, world, bearer):
    industry("72", "商务服务业")
    body = {"building_id": world.jas_building.pk, "uscc": make_uscc(779), "name": "越界公司", "industry": "72"}
    response = client.post("/api/v1/enterprises", body, content_type="application/json", **bearer(personas.street_njxl))
    assert response.status_code == 404


def test_an_employee_cannot_create_enterprises(client, personas, world, bearer):
    industry("72", "商务服务业")
    body = {"building_id": world.henglong.pk, "uscc": make_uscc(780), "name": "无权公司", "industry": "72"}
    response = client.post(
        "/api/v1/enterprises", body, content_type="application/json", **bearer(personas.employee_henglong_1)
    )
    assert response.status_code == 403


def test_a_tenancy_ending_before_it_starts_is_refused(client, personas, world, bearer):
    body = {"building_id": world.citic.pk, "floor": "8", "start": "2024-05-01", "end": "2024-04-01"}
    response = client.post(
        f"/api/v1/enterprises/{world.ent_a.pk}/tenancies",
        body,
        content_type="application/json",
        **bearer(personas.street_njxl),
    )
    assert response.status_code == 400 and response.json()["field"] == "end"


def test_a_stale_edit_is_refused_with_409(client, personas, world, bearer):
    headers = bearer(personas.street_njxl)
    url = f"/api/v1/buildings/{world.henglong.pk}"
    first = client.patch(url, {"version": 1, "floors": 67}, content_type="application/json", **headers)
    assert first.status_code == 200 and first.json()["version"] == 2
    stale = client.patch(url, {"version": 1, "floors": 68}, content_type="application/json", **headers)
    assert stale.status_code == 409 and stale.json()["field"] == "version"


def test_a_negative_tax_amount_is_refused(client, personas, world, bearer):
    response = client.put(
        f"/api/v1/buildings/{world.henglong.pk}/tax-records",
        {"month": "2025-01-01", "amount": "-5"},
        content_type="application/json",
        **bearer(personas.street_njxl),
    )
    assert response.status_code == 400 and response.json()["field"] == "amount"


def test_session_writes_need_the_csrf_token(personas, world):
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(personas.street_njxl)
    response = client.patch(
        f"/api/v1/buildings/{world.henglong.pk}", {"version": 1, "floors": 70}, content_type="application/json"
    )
    assert response.status_code in (401, 403)
    world.henglong.refresh_from_db()
    assert world.henglong.floors == 66


def test_people_are_listed_with_masked_mobiles(client, personas, world, bearer):
    items = client.get("/api/v1/people", **bearer(personas.street_njxl)).json()["items"]
    assert items == [{"id": world.person_a.pk, "name": "李娜", "mobile": "138****5678", "employer_id": world.ent_a.pk}]


def test_openapi_document_is_served(client):
    schema = client.get("/api/v1/openapi.json").json()
    assert "/api/v1/buildings" in schema["paths"]


def test_a_body_that_is_not_json_gets_the_house_error(client, personas, world, bearer):
    response = client.post(
        "/api/v1/enterprises", "{not json", content_type="application/json", **bearer(personas.street_njxl)
    )
    assert response.status_code == 400 and response.json()["code"] == "invalid.body"


def test_an_id_beyond_the_integer_range_is_404(client, personas, world, bearer):
    response = client.get("/api/v1/buildings/99999999999999999999999", **bearer(personas.street_njxl))
    assert response.status_code == 404


# Found by the API fuzzer (tests/api/test_fuzz.py): PostgreSQL refuses NUL in text, so a NUL in a
# body or a query parameter was a 500 there. Now it is a 400 naming the field, on any database.
def test_a_nul_character_in_the_body_is_refused_naming_the_field(client, personas, world, bearer):
    from govcube.accounts.models import ApiToken

    response = client.post(
        "/api/v1/tokens", {"name": "ci\x00"}, content_type="application/json", **bearer(personas.street_njxl)
    )
    assert response.status_code == 400
    assert response.json()["code"] == "invalid.nul" and response.json()["field"] == "name"
    assert not ApiToken.objects.filter(name__startswith="ci").exists()


def test_a_nul_character_in_a_nested_body_field_names_that_field(client, personas, world, bearer):
    body = {"month": "2025-01-01", "amount": "5", "note": ["a", "b\x00"]}
    response = client.put(
        f"/api/v1/buildings/{world.henglong.pk}/tax-records",
        body,
        content_type="application/json",
        **bearer(personas.street_njxl),
    )
    assert response.status_code == 400 and response.json()["field"] == "note"


def test_a_nul_character_in_a_query_parameter_is_refused_naming_it(client, personas, world, bearer):
    response = client.get("/api/v1/buildings", {"q": "恒隆\x00"}, **bearer(personas.street_njxl))
    assert response.status_code == 400
    assert response.json() == {"code": "invalid.nul", "message": response.json()["message"], "field": "q"}
