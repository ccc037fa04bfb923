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
