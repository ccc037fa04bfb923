from __future__ import annotations

from datetime import date
from decimal import Decimal

import pytest

from govcube.audit.models import AuditEvent
from govcube.territory.models import Building, Node, TaxRecord, Tier
from tests.core.imports.helpers import counts, data_audit_count, headers, run_import, xlsx

pytestmark = pytest.mark.django_db

HEADER = headers("buildings", "code", "parent_code", "name", "address", "floors", "floor_area", "is_key")


def _rows(world):
    return [
        ["NEW-B1", world.cluster.code, "示例大厦", "南京西路1号", 30, 52000.5, "是"],
        ["NEW-B2", world.block.code, "示例中心", "南京西路2号", None, None, "否"],
        [world.henglong.node.code, world.cluster.code, "恒隆广场", "恒隆广场地址", 67, None, "yes"],
    ]


def test_it_creates_and_updates_buildings(world, personas, django_capture_on_commit_callbacks):
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(HEADER, _rows(world)))
    assert job.status == "done", job.failure
    assert counts(job) == (2, 1, 0, 0)
    b1 = Building.objects.get(node__code="NEW-B1")
    world.cluster.refresh_from_db()  # siblings are ordered by code, so inserting one may shift paths
    world.block.refresh_from_db()
    assert (b1.name, b1.floors, b1.floor_area, b1.is_key) == ("示例大厦", 30, Decimal("52000.50"), True)
    assert b1.street_id == world.street_a.pk and b1.node.path[: -Node.steplen] == world.cluster.path
    assert Building.objects.get(node__code="NEW-B2").node.path[: -Node.steplen] == world.block.path
    world.henglong.refresh_from_db()
    assert world.henglong.floors == 67
    assert AuditEvent.objects.filter(action="territory.building.created").count() == 2
    assert AuditEvent.objects.filter(action="territory.building.updated").count() == 1


def test_reimporting_the_same_file_changes_nothing(world, personas, django_capture_on_commit_callbacks):
    content = xlsx(HEADER, _rows(world))
    run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", content)
    versions = dict(Building.objects.values_list("pk", "version"))
    audit_before = data_audit_count()
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", content)
    assert again.status == "done"
    assert counts(again) == (0, 0, 3, 0)
    assert data_audit_count() == audit_before
    assert dict(Building.objects.values_list("pk", "version")) == versions


def test_another_streets_node_is_a_row_error_and_nothing_is_stored(world, personas, django_capture_on_commit_callbacks):
    rows = [
        ["NEW-B1", world.cluster.code, "示例大厦", "南京西路1号", 30, None, "否"],
        ["JAS-B9", world.street_b.code, "别的街道的楼", "静安寺1号", 10, None, "否"],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(HEADER, rows))
    assert job.status == "failed"
    assert job.error_count == 1
    [error] = job.errors
    assert error["row"] == 3 and error["column"] == "上级节点编码" and error["letter"] == "B"
    assert "permission" in error["message"]
    assert not Node.objects.filter(code__in=["NEW-B1", "JAS-B9"]).exists()
    assert job.created_count == 0


def test_changing_another_streets_building_is_refused_even_if_unchanged(
    world, personas, django_capture_on_commit_callbacks
):
    b = world.jas_building
    rows = [[b.node.code, world.street_b.code, b.name, b.address, b.floors, None, "否"]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(HEADER, rows))
    assert job.status == "failed"
    assert job.errors[0]["column"] == "楼宇编码"
    assert "outside your part of the territory" in job.errors[0]["message"]


def test_a_building_cannot_be_moved_by_import(world, personas, django_capture_on_commit_callbacks):
    b = world.henglong
    rows = [[b.node.code, world.block.code, b.name, b.address, b.floors, None, "是"]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(HEADER, rows))
    assert job.status == "failed"
    assert job.errors[0]["column"] == "上级节点编码"
    assert world.cluster.code in job.errors[0]["message"]


def test_unknown_parent_code_and_non_building_code_are_named(world, personas, django_capture_on_commit_callbacks):
    rows = [
        ["NEW-B1", "NO-SUCH-NODE", "示例大厦", "南京西路1号", 30, None, "否"],
        [world.cluster.code, world.block.code, "不是楼宇", "地址", 1, None, "否"],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(HEADER, rows))
    messages = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert messages[(2, "上级节点编码")] == "No territory node has this code."
    assert messages[(3, "楼宇编码")] == "This code belongs to a territory node that is not a building."


TAX_HEADER = headers("buildings", "code", "parent_code", "name", "address", "tax_month", "tax_amount")


def test_tax_rows_record_months_and_compute_the_tier(world, personas, django_capture_on_commit_callbacks):
    b = world.henglong
    rows = [
        [b.node.code, world.cluster.code, b.name, b.address, "2025-01", 120_000_000],
        [b.node.code, world.cluster.code, b.name, b.address, date(2025, 2, 1), 90_000_000.5],
    ]
    content = xlsx(TAX_HEADER, rows)
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", content)
    assert job.status == "done", job.errors
    assert counts(job) == (0, 2, 0, 0)
    assert TaxRecord.objects.get(building=b, month=date(2025, 2, 1)).amount == Decimal("90000000.50")
    b.refresh_from_db()
    assert b.tier == Tier.MONTHLY_BILLION
    audit_before = data_audit_count()
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", content)
    assert counts(again) == (0, 0, 2, 0)
    assert data_audit_count() == audit_before


def test_negative_tax_is_refused_with_the_services_message(world, personas, django_capture_on_commit_callbacks):
    b = world.henglong
    rows = [[b.node.code, world.cluster.code, b.name, b.address, "2025-01", -5]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(TAX_HEADER, rows))
    assert job.status == "failed"
    assert job.errors == [
        {"row": 2, "column": "税收（元）", "letter": "F", "message": "Tax revenue cannot be negative."}
    ]
    assert not TaxRecord.objects.exists()


def test_tax_month_without_amount_and_conflicting_rows_are_reported(
    world, personas, django_capture_on_commit_callbacks
):
    b = world.henglong
    rows = [
        [b.node.code, world.cluster.code, b.name, b.address, "2025-01", None],
        [b.node.code, world.cluster.code, b.name, b.address, "2025-02", 1],
        [b.node.code, world.cluster.code, "另一个名字", b.address, "2025-03", 1],
        [b.node.code, world.cluster.code, b.name, b.address, "2025-02", 1],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(TAX_HEADER, rows))
    by_row = {e["row"]: e for e in job.errors}
    assert by_row[2]["column"] == "税收（元）"
    assert "row 3" in by_row[4]["message"] and by_row[4]["column"] == "楼宇编码"
    assert "repeats row 3" in by_row[5]["message"]
    assert job.error_count == 3


def test_english_headers_are_accepted(world, personas, django_capture_on_commit_callbacks):
    header = ["Code", "Parent code", "Name", "Address", "Key building"]
    rows = [["NEW-EN", world.cluster.code, "Example Tower", "1 Nanjing Road West", "no"]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", xlsx(header, rows))
    assert job.status == "done", job.errors
    assert Building.objects.get(node__code="NEW-EN").name == "Example Tower"


def test_a_column_left_out_leaves_the_field_alone_but_an_empty_one_clears_it(
    world, personas, django_capture_on_commit_callbacks
):
    b = world.henglong
    Building.objects.filter(pk=b.pk).update(name_en="Hang Lung Plaza")
    without = xlsx(
        headers("buildings", "code", "parent_code", "name", "address"),
        [[b.node.code, world.cluster.code, b.name, b.address]],
    )
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "buildings", without)
    assert counts(job) == (0, 0, 1, 0)
    header = headers("buildings", "code", "parent_code", "name", "address", "name_en")
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "buildings",
        xlsx(header, [[b.node.code, world.cluster.code, b.name, b.address, None]]),
    )
    assert counts(job) == (0, 1, 0, 0)
    b.refresh_from_db()
    assert b.name_en == ""
