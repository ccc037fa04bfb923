from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from tests.factories import enterprise_in, person_in

pytestmark = pytest.mark.django_db


def test_enterprise_page_shows_uscc_industry_and_tenancy_history(personas, login, world):
    body = login(personas.street_njxl).get(reverse("directory:enterprise", args=[world.ent_a.pk])).content.decode()
    assert world.ent_a.uscc in body and "恒隆广场" in body and "租赁和商务服务业" in body


def test_enterprise_of_another_street_is_404(personas, login, world):
    assert login(personas.street_njxl).get(reverse("directory:enterprise", args=[world.ent_b.pk])).status_code == 404


def test_enterprise_list_searches_by_chinese_substring(personas, login, world):
    body = login(personas.street_njxl).get(reverse("directory:enterprise_list"), {"q": "咨询"}).content.decode()
    assert world.ent_a.name in body


def test_people_list_masks_mobiles(personas, login, world):
    body = login(personas.street_njxl).get(reverse("directory:person_list")).content.decode()
    assert "138****5678" in body and "13812345678" not in body


def test_party_membership_is_shown_only_to_roles_that_need_it(personas, login, world):
    street = login(personas.street_njxl).get(reverse("directory:person", args=[world.person_a.pk])).content.decode()
    assert "Party member" in street
    liaison = login(personas.liaison_wang).get(reverse("directory:person", args=[world.person_a.pk])).content.decode()
    assert "Party member" not in liaison


def test_party_filter_is_ignored_for_roles_without_the_permission(personas, login, world):
    person_in(world.ent_a, "赵敏", "13700000001")
    body = login(personas.liaison_wang).get(reverse("directory:person_list"), {"party": "1"}).content.decode()
    assert "赵敏" in body  # the filter would have revealed who is a party member


@pytest.mark.parametrize("name", ["directory:enterprise_list", "directory:person_list", "directory:party_organisation_list"])
def test_list_query_counts_do_not_grow(personas, login, world, count_queries, name):
    client = login(personas.street_njxl)
    client.get(reverse(name))
    with count_queries() as small:
        client.get(reverse(name))
    from govcube.directory.models import PartyOrganisation

    for i in range(30):
        e = enterprise_in(world.henglong)
        person_in(e, f"员工{i}", f"1390000{i:04d}")
        org = PartyOrganisation(name=f"测试党支部{i}", kind="branch")
        org.set_scope(world.henglong.node)
        org.save()
    with count_queries() as large:
        assert client.get(reverse(name)).status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries) + 1


def test_export_to_xlsx_has_translated_headers_and_scoped_rows(personas, login, world):
    response = login(personas.street_njxl).get(reverse("directory:enterprise_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[0][0] == "Name"
    assert [r[0] for r in rows[1:]] == [world.ent_a.name]


def test_people_export_masks_mobiles(personas, login, world):
    response = login(personas.street_njxl).get(reverse("directory:person_list"), {"format": "xlsx"})
    rows = list(load_workbook(BytesIO(response.content)).active.iter_rows(values_only=True))
    assert rows[1][1] == "138****5678"


def test_export_needs_the_export_permission(personas, login, world):
    response = login(personas.liaison_wang).get(reverse("directory:enterprise_list"), {"format": "xlsx"})
    assert response["Content-Type"].startswith("text/html")


def test_formula_like_cells_are_neutralised():
    from govcube.core.listing import _cell

    assert _cell("=HYPERLINK(\"x\")") == "'=HYPERLINK(\"x\")"
