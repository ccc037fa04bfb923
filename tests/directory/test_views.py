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


@pytest.mark.parametrize(
    "name", ["directory:enterprise_list", "directory:person_list", "directory:party_organisation_list"]
)
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

    assert _cell('=HYPERLINK("x")') == '\'=HYPERLINK("x")'


def _enterprise_form(**overrides):
    from tests.factories import make_uscc

    data = {
        "uscc": make_uscc(4242),
        "name": "上海新入驻科技有限公司",
        "industry": "L",
        "headcount": 30,
        "party_member_count": 3,
        "floor": "21",
        "start": "2026-01-05",
    }
    return data | overrides


def test_registering_an_enterprise_in_a_building(personas, login, world):
    from govcube.directory.models import Enterprise

    client = login(personas.street_njxl)
    response = client.post(reverse("directory:enterprise_create", args=[world.citic.pk]), _enterprise_form())
    assert response.status_code == 302
    e = Enterprise.objects.get(name="上海新入驻科技有限公司")
    assert e.street_id == world.street_a.pk and e.tenancies.get().building == world.citic


@pytest.mark.parametrize(
    "overrides,field",
    [
        ({"uscc": "91310106000000019X"}, "uscc"),
        ({"industry": "99Z"}, "industry"),
        ({"party_member_count": 31}, None),
    ],
)
def test_bad_enterprise_input_is_named_and_nothing_stored(personas, login, world, overrides, field):
    from govcube.directory.models import Enterprise, Tenancy

    client = login(personas.street_njxl)
    before = (Enterprise.objects.count(), Tenancy.objects.count())
    response = client.post(reverse("directory:enterprise_create", args=[world.citic.pk]), _enterprise_form(**overrides))
    assert response.status_code == 200
    body = response.content.decode()
    assert (
        (f'id="id_{field}-error"' in body) if field else ("There cannot be more party members than employees." in body)
    )
    assert (Enterprise.objects.count(), Tenancy.objects.count()) == before


def test_a_tenancy_ending_before_it_starts_is_a_form_error(personas, login, world):
    client = login(personas.street_njxl)
    response = client.post(
        reverse("directory:enterprise_edit", args=[world.ent_a.pk]),
        {
            "action": "tenancy",
            "tenancy-building": world.citic.pk,
            "tenancy-floor": "5",
            "tenancy-start": "2025-05-01",
            "tenancy-end": "2025-04-01",
        },
    )
    assert 'id="id_tenancy-end-error"' in response.content.decode()
    assert world.ent_a.tenancies.count() == 1


def test_moving_an_enterprise_keeps_its_history(personas, login, world):
    client = login(personas.street_njxl)
    url = reverse("directory:enterprise_edit", args=[world.ent_a.pk])
    client.post(
        url,
        {"action": "tenancy", "tenancy-building": world.citic.pk, "tenancy-floor": "12", "tenancy-start": "2026-03-01"},
    )
    tenancy = world.ent_a.tenancies.get(building=world.henglong)
    from datetime import date

    from govcube.directory.services import tenancy_end

    tenancy_end(actor=personas.street_njxl, tenancy=tenancy, end=date(2026, 2, 28))
    body = client.get(reverse("territory:building", args=[world.henglong.pk])).content.decode()
    assert "No current tenants." in body and world.ent_a.name in body  # now among the past tenants


def test_registering_in_another_street_is_404(personas, login, world):
    assert (
        login(personas.street_njxl)
        .get(reverse("directory:enterprise_create", args=[world.jas_building.pk]))
        .status_code
        == 404
    )
