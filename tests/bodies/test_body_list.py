from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from govcube.bodies.models import BodyKind, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import building, person_in

pytestmark = pytest.mark.django_db

URL = "/bodies/"


def test_it_is_mounted_at_bodies():
    assert reverse("bodies:body_list") == URL


def test_it_lists_the_bodies_of_the_officials_street_only(bodies, personas, login):
    page = login(personas.street_njxl).get(URL).content.decode()
    assert "恒隆广场楼宇事务委员会" in page
    assert "静安寺商圈治理联盟" not in page
    page = login(personas.street_jas).get(URL).content.decode()
    assert "静安寺商圈治理联盟" in page and "恒隆广场楼宇事务委员会" not in page


def test_someone_working_in_a_covered_building_sees_the_body(bodies, login):
    page = login(bodies.employee).get(URL).content.decode()
    assert "恒隆广场楼宇事务委员会" in page and "静安寺商圈治理联盟" not in page


def test_someone_without_any_role_sees_an_empty_list(bodies, personas, login):
    response = login(personas.nobody).get(URL)
    assert response.status_code == 200
    assert "恒隆广场楼宇事务委员会" not in response.content.decode()


def test_anonymous_is_sent_to_login(client, bodies):
    response = client.get(URL)
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_it_filters_by_kind(bodies, personas, login, world):
    body_create(actor=personas.street_njxl, node=world.street_a, name="南京西路专家咨询组", kind=BodyKind.EXPERT_PANEL)
    client = login(personas.district_admin)
    page = client.get(URL, {"kind": BodyKind.EXPERT_PANEL}).content.decode()
    assert "南京西路专家咨询组" in page and "恒隆广场楼宇事务委员会" not in page
    page = client.get(URL, {"kind": "no-such-kind"}).content.decode()
    assert "南京西路专家咨询组" in page and "恒隆广场楼宇事务委员会" in page


def test_it_searches_chinese_substrings(bodies, personas, login):
    page = login(personas.district_admin).get(URL, {"q": "治理联盟"}).content.decode()
    assert "静安寺商圈治理联盟" in page and "恒隆广场楼宇事务委员会" not in page


def test_an_htmx_request_gets_only_the_results(bodies, personas, login):
    response = login(personas.street_njxl).get(URL, {"q": "恒隆"}, HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200
    assert 'id="body-results"' in page and "恒隆广场楼宇事务委员会" in page
    assert "<html" not in page


def test_it_shows_counts_of_buildings_and_members(bodies, personas, login):
    page = login(personas.street_njxl).get(URL).content.decode()
    row = page[page.index("恒隆广场楼宇事务委员会") :]
    row = row[: row.index("</tr>")]
    assert '<td class="num">2</td><td class="num">2</td>' in row


def test_list_query_count_does_not_grow_with_bodies(bodies, personas, login, world, count_queries):
    client = login(personas.street_njxl)
    client.get(URL)
    with count_queries() as small:
        client.get(URL)
    for i in range(30):
        b = building(world.cluster, f"测试楼{i}")
        body = body_create(
            actor=personas.street_njxl,
            node=world.cluster,
            name=f"测试委员会{i}",
            kind=BodyKind.BUILDING_COMMITTEE,
            buildings=[b],
            parent=bodies.committee,
        )
        body_member_add(actor=personas.street_njxl, body=body, role=MemberRole.MEMBER, person=world.person_a)
    with count_queries() as large:
        response = client.get(URL)
    assert response.status_code == 200 and response.context["page"].has_next
    assert len(large.captured_queries) <= len(small.captured_queries) + 1  # +1: the capped count of a next page


def test_it_exports_the_scoped_list_to_excel(bodies, personas, login):
    response = login(personas.street_njxl).get(URL, {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    assert 'filename="bodies-' in response["Content-Disposition"]
    sheet = load_workbook(BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("Name", "Kind", "Territory")
    names = [row[0] for row in rows[1:]]
    assert names == ["恒隆广场楼宇事务委员会"]
    assert rows[1][1] == "Building affairs committee" and rows[1][4] == 2 and rows[1][5] == 2


def test_export_keeps_the_filters(bodies, personas, login):
    response = login(personas.district_admin).get(URL, {"format": "xlsx", "kind": BodyKind.GOVERNANCE_ALLIANCE})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert [row[0] for row in rows[1:]] == ["静安寺商圈治理联盟"]


def test_export_is_refused_without_the_export_permission(bodies, login):
    response = login(bodies.employee).get(URL, {"format": "xlsx"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/html")


def test_a_person_without_account_link_sees_nothing_by_coverage(bodies, personas, login, world):
    # A person record in a covered building does not make a user without that link see the body.
    person_in(world.ent_a, "无账号", "13700000001")
    page = login(personas.employee_henglong_1).get(URL).content.decode()
    assert "恒隆广场楼宇事务委员会" not in page
