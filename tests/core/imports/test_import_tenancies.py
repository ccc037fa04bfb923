from __future__ import annotations

from datetime import date

import pytest

from govcube.audit.models import AuditEvent
from govcube.directory.models import Enterprise, Tenancy
from tests.core.imports.helpers import counts, data_audit_count, headers, run_import, xlsx

pytestmark = pytest.mark.django_db

HEADER = headers("tenancies")  # 统一社会信用代码 楼宇编码 楼层 起始日期 终止日期


def test_it_creates_tenancies_and_ends_known_ones(world, personas, django_capture_on_commit_callbacks):
    rows = [
        [world.ent_a.uscc, world.citic.node.code, "21", date(2025, 1, 1), None],
        [world.ent_a.uscc, world.henglong.node.code, 10, "2020-01-01", "2024-12-31"],
    ]
    content = xlsx(HEADER, rows)
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "tenancies", content)
    assert job.status == "done", job.errors
    assert counts(job) == (1, 1, 0, 0)
    assert Tenancy.objects.get(enterprise=world.ent_a, building=world.citic).floor == "21"
    assert Tenancy.objects.get(enterprise=world.ent_a, building=world.henglong).end == date(2024, 12, 31)
    assert Enterprise.objects.get(pk=world.ent_a.pk).node == world.citic.node, (
        "the enterprise follows its current tenancy"
    )
    audit_before = data_audit_count()
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "tenancies", content)
    assert counts(again) == (0, 0, 2, 0)
    assert data_audit_count() == audit_before


def test_an_end_before_the_start_is_a_row_error(world, personas, django_capture_on_commit_callbacks):
    rows = [[world.ent_a.uscc, world.citic.node.code, "21", "2025-03-01", "2025-02-28"]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "tenancies", xlsx(HEADER, rows))
    assert job.status == "failed"
    assert job.errors == [
        {"row": 2, "column": "终止日期", "letter": "E", "message": "The end date cannot be before the start date."}
    ]
    assert not Tenancy.objects.filter(building=world.citic).exists()


def test_an_end_before_the_start_of_a_known_tenancy_uses_the_service_message(
    world, personas, django_capture_on_commit_callbacks
):
    tenancy = Tenancy.objects.get(enterprise=world.ent_a, building=world.henglong)
    rows = [[world.ent_a.uscc, world.henglong.node.code, "10", date(2020, 1, 1), None]]
    Tenancy.objects.filter(pk=tenancy.pk).update(end=date(2023, 1, 1))
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "tenancies", xlsx(HEADER, rows))
    assert counts(job) == (0, 1, 0, 0)
    tenancy.refresh_from_db()
    assert tenancy.end is None
    assert AuditEvent.objects.filter(action="directory.tenancy.reopened").count() == 1


def test_bad_dates_unknown_enterprise_and_other_streets_building(world, personas, django_capture_on_commit_callbacks):
    from tests.factories import make_uscc

    rows = [
        [world.ent_a.uscc, world.citic.node.code, "1", "01/03/2025", None],
        [make_uscc(4242), world.citic.node.code, "1", "2025-03-01", None],
        [world.ent_a.uscc, world.jas_building.node.code, "1", "2025-03-01", None],
        [world.ent_a.uscc, "NO-SUCH", "1", "2025-02-30", None],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "tenancies", xlsx(HEADER, rows))
    by_cell = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert by_cell[(2, "起始日期")].startswith("Enter a date")
    assert "import the enterprise first" in by_cell[(3, "统一社会信用代码")]
    assert "permission" in by_cell[(4, "楼宇编码")]
    assert by_cell[(5, "起始日期")].startswith("Enter a date")
    assert job.error_count == 4
