from __future__ import annotations

import pytest
from django.urls import reverse

from tests.factories import building, enterprise_in

pytestmark = pytest.mark.django_db


def test_it_shows_a_building_with_its_tenants_to_its_street(personas, login, world):
    client = login(personas.street_njxl)
    response = client.get(reverse("territory:building", args=[world.henglong.pk]))
    assert response.status_code == 200
    assert "恒隆测试咨询有限公司" in response.content.decode()


def test_it_hides_another_streets_building_with_404(personas, login, world):
    client = login(personas.street_jas)
    assert client.get(reverse("territory:building", args=[world.henglong.pk])).status_code == 404
    assert client.get(reverse("territory:node", args=[world.street_a.pk])).status_code == 404


def test_building_list_is_scoped_to_the_street(personas, login, world):
    body = login(personas.street_njxl).get(reverse("territory:building_list")).content.decode()
    assert "恒隆广场" in body and "中信泰富广场" in body
    assert "静安寺广场" not in body


def test_building_list_searches_chinese_substrings(personas, login, world):
    body = login(personas.district_leader).get(reverse("territory:building_list"), {"q": "泰富"}).content.decode()
    assert "中信泰富广场" in body and "恒隆广场" not in body


def test_building_list_query_count_does_not_grow(personas, login, world, count_queries):
    client = login(personas.street_njxl)
    url = reverse("territory:building_list")
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for i in range(30):
        b = building(world.cluster, f"测试楼{i}")
        enterprise_in(b)
    with count_queries() as large:
        response = client.get(url)
    assert response.status_code == 200
    assert (
        len(large.captured_queries) <= len(small.captured_queries) + 1
    )  # +1: the capped count when a next page exists


def test_building_detail_query_count_does_not_grow_with_tenants(personas, login, world, count_queries):
    client = login(personas.street_njxl)
    url = reverse("territory:building", args=[world.henglong.pk])
    client.get(url)
    with count_queries() as small:
        client.get(url)
    for _ in range(20):
        enterprise_in(world.henglong)
    with count_queries() as large:
        client.get(url)
    assert len(large.captured_queries) == len(small.captured_queries)


def test_employee_sees_own_building_but_no_people(personas, login, world):
    client = login(personas.employee_henglong_1)
    assert client.get(reverse("territory:building", args=[world.henglong.pk])).status_code == 200
    assert client.get(reverse("territory:building", args=[world.citic.pk])).status_code == 404
    assert client.get(reverse("directory:person_list")).status_code == 403


def test_anonymous_is_sent_to_login(client, world):
    response = client.get(reverse("territory:building", args=[world.henglong.pk]))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_street_official_edits_the_profile_and_sees_the_tier_follow_tax(personas, login, world):
    from govcube.territory.models import Tier

    client = login(personas.street_njxl)
    url = reverse("territory:building_edit", args=[world.henglong.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url,
        {
            "action": "profile",
            "profile-version": 1,
            "profile-name": "恒隆广场",
            "profile-address": "南京西路1266号",
            "profile-floors": 66,
        },
    )
    assert response.status_code == 302
    world.henglong.refresh_from_db()
    assert world.henglong.address == "南京西路1266号" and world.henglong.version == 2
    client.post(url, {"action": "tax", "tax-month": "2025-06", "tax-amount": "150000000"})
    world.henglong.refresh_from_db()
    assert world.henglong.tier == Tier.MONTHLY_BILLION


def test_a_negative_tax_amount_is_a_form_error_on_the_field(personas, login, world):
    client = login(personas.street_njxl)
    response = client.post(
        reverse("territory:building_edit", args=[world.henglong.pk]),
        {"action": "tax", "tax-month": "2025-06", "tax-amount": "-1"},
    )
    assert response.status_code == 200
    assert 'id="id_tax-amount-error"' in response.content.decode()
    assert not world.henglong.tax_records.exists()


def test_a_stale_profile_edit_is_refused(personas, login, world):
    client = login(personas.street_njxl)
    url = reverse("territory:building_edit", args=[world.henglong.pk])
    base = {"action": "profile", "profile-name": "恒隆广场", "profile-address": "a", "profile-version": 1}
    client.post(url, base | {"profile-address": "first"})
    response = client.post(url, base | {"profile-address": "second"})
    assert "changed by someone else" in response.content.decode()
    world.henglong.refresh_from_db()
    assert world.henglong.address == "first"


def test_a_third_grid_chief_is_a_form_error(personas, login, world):
    from govcube.territory.models import GridChief

    client = login(personas.street_njxl)
    url = reverse("territory:building_edit", args=[world.henglong.pk])
    for kind in ("convener", "worker"):
        client.post(url, {"action": "chief", "chief-kind": kind, "chief-person": world.person_a.pk})
    response = client.post(url, {"action": "chief", "chief-kind": "convener", "chief-person": world.person_a.pk})
    assert "two grid chiefs" in response.content.decode()
    assert GridChief.objects.filter(node=world.henglong.node).count() == 2


def test_editing_is_for_those_who_may_change_the_building(personas, login, world):
    assert (
        login(personas.liaison_wang).get(reverse("territory:building_edit", args=[world.henglong.pk])).status_code
        == 403
    )
    assert (
        login(personas.street_jas).get(reverse("territory:building_edit", args=[world.henglong.pk])).status_code == 404
    )


def test_breadcrumbs_only_link_what_the_user_may_open(personas, login, world):
    body = login(personas.street_njxl).get(reverse("territory:building", args=[world.henglong.pk])).content.decode()
    assert reverse("territory:node", args=[world.street_a.pk]) in body
    assert reverse("territory:node", args=[world.district.pk]) not in body


def test_the_not_found_page_is_the_house_page(personas, login, world):
    response = login(personas.street_jas).get(reverse("territory:building", args=[world.henglong.pk]))
    assert response.status_code == 404
    assert "outside the part of the district you look after" in response.content.decode()
