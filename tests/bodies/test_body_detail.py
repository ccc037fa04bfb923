from __future__ import annotations

import pytest
from django.urls import reverse

from govcube.bodies.models import BodyKind, MemberRole
from govcube.bodies.services import body_create, body_member_add
from tests.factories import enterprise_in, person_in

pytestmark = pytest.mark.django_db


def url(body) -> str:
    return reverse("bodies:body", args=[body.pk])


def test_it_shows_kind_rules_buildings_and_members_by_role(bodies, personas, login, world):
    response = login(personas.street_njxl).get(url(bodies.committee))
    assert response.status_code == 200
    page = response.content.decode()
    assert "恒隆广场楼宇事务委员会" in page and "Building affairs committee" in page
    assert "50% of the voting members" in page and "More for than against" in page
    assert reverse("territory:building", args=[world.henglong.pk]) in page
    assert reverse("territory:building", args=[world.citic.pk]) in page
    groups = [g["role"] for g in response.context["groups"]]
    assert groups == [MemberRole.CONVENER, MemberRole.SECRETARY]
    assert 'data-testid="role-convener"' in page and "陈召集" in page
    assert "Term:" in page
    # a building committee runs all eight mechanisms
    assert all(on for _value, _label, on in response.context["mechanisms"])


def test_it_shows_the_territory_breadcrumb(bodies, personas, login, world):
    page = login(personas.street_njxl).get(url(bodies.committee)).content.decode()
    crumbs = page[page.index('class="breadcrumb"') : page.index("</ol>")]
    assert reverse("territory:node", args=[world.street_a.pk]) in crumbs
    assert reverse("territory:node", args=[world.cluster.pk]) in crumbs
    assert "恒隆楼群网格" in crumbs


def test_it_links_the_bodys_topics_campaigns_and_meetings(bodies, personas, login):
    page = login(personas.street_njxl).get(url(bodies.committee)).content.decode()
    pk = bodies.committee.pk
    for part in ("topics", "campaigns", "meetings"):
        assert f'href="/deliberation/bodies/{pk}/{part}/"' in page


def test_another_streets_body_is_404(bodies, personas, login):
    assert login(personas.street_jas).get(url(bodies.committee)).status_code == 404
    assert login(personas.street_njxl).get(url(bodies.other_street)).status_code == 404


def test_an_unknown_body_is_404(bodies, personas, login):
    assert login(personas.district_admin).get(reverse("bodies:body", args=[999999])).status_code == 404


def test_a_covered_employee_sees_the_page_without_management_buttons(bodies, login):
    response = login(bodies.employee).get(url(bodies.committee))
    page = response.content.decode()
    assert response.status_code == 200 and "陈召集" in page
    assert reverse("bodies:member_add", args=[bodies.committee.pk]) not in page
    assert reverse("bodies:body_edit", args=[bodies.committee.pk]) not in page
    assert "End today" not in page


def test_the_street_official_gets_the_management_buttons(bodies, personas, login):
    page = login(personas.street_njxl).get(url(bodies.committee)).content.decode()
    assert reverse("bodies:member_add", args=[bodies.committee.pk]) in page
    assert reverse("bodies:body_edit", args=[bodies.committee.pk]) in page
    assert reverse("bodies:member_end", args=[bodies.committee.pk, bodies.convener_row.pk]) in page


def test_it_shows_the_parent_and_the_working_groups(bodies, personas, login, world):
    group = body_create(
        actor=personas.street_njxl,
        node=world.cluster,
        name="恒隆环境工作组",
        kind=BodyKind.WORKING_GROUP,
        parent=bodies.committee,
    )
    client = login(personas.street_njxl)
    page = client.get(url(bodies.committee)).content.decode()
    children = page[page.index('data-testid="children"') :]
    assert url(group) in children[: children.index("</dd>")]
    page = client.get(url(group)).content.decode()
    assert f'href="{url(bodies.committee)}"' in page and "Part of" in page


def test_an_htmx_request_gets_the_members_partial(bodies, personas, login):
    response = login(personas.street_njxl).get(url(bodies.committee), HTTP_HX_REQUEST="true")
    page = response.content.decode()
    assert response.status_code == 200 and 'id="body-members"' in page and "<html" not in page


def test_body_page_query_count_does_not_grow_with_members(bodies, personas, login, world, count_queries):
    client = login(personas.street_njxl)
    body_member_add(
        actor=personas.street_njxl, body=bodies.committee, role=MemberRole.LEAD_UNIT, enterprise=world.ent_a
    )
    client.get(url(bodies.committee))
    with count_queries() as small:
        client.get(url(bodies.committee))
    roles = [MemberRole.MEMBER, MemberRole.DEPUTY, MemberRole.EXPERT, MemberRole.OBSERVER]
    for i in range(24):
        person = person_in(world.ent_a, f"成员{i}", f"1390000{i:04d}")
        body_member_add(actor=personas.street_njxl, body=bodies.committee, role=roles[i % 4], person=person)
    ent = enterprise_in(world.citic)
    body_member_add(actor=personas.street_njxl, body=bodies.committee, role=MemberRole.MEMBER_UNIT, enterprise=ent)
    with count_queries() as large:
        response = client.get(url(bodies.committee))
    assert response.context["member_total"] == 28
    assert len(large.captured_queries) == len(small.captured_queries)


def test_anonymous_is_sent_to_login(client, bodies):
    response = client.get(url(bodies.committee))
    assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_body_page_links_to_the_mechanisms_the_body_runs(committee, login):
    client = login(committee.convener)
    html = client.get(f"/bodies/{committee.body.pk}/").content.decode()
    for testid in ("link-petitions", "link-projects", "link-rounds"):
        assert f'data-testid="{testid}"' in html
    assert f"/engagement/bodies/{committee.body.pk}/petitions/new/" in html
