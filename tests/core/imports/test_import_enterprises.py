from __future__ import annotations

import pytest

from govcube.audit.models import AuditEvent
from govcube.directory.models import Enterprise
from tests.core.imports.helpers import counts, data_audit_count, headers, run_import, xlsx
from tests.factories import industry, make_uscc

pytestmark = pytest.mark.django_db

HEADER = headers("enterprises")  # 统一社会信用代码 名称 行业代码 所属节点编码 从业人数 党员人数 全球服务商 重点企业


@pytest.fixture
def industries(db):
    return industry("L", "租赁和商务服务业"), industry("I", "信息传输、软件和信息技术服务业")


def _rows(world):
    return [
        [make_uscc(9001), "上海新企业一有限公司", "I", world.citic.node.code, 200, 20, "是", "否"],
        [make_uscc(9002), "上海新企业二有限公司", "l", world.henglong.node.code, None, None, None, None],
        [world.ent_a.uscc, "恒隆测试咨询（上海）有限公司", "L", world.henglong.node.code, 80, 5, "否", "1"],
    ]


def test_it_creates_and_updates_enterprises(world, personas, industries, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", xlsx(HEADER, _rows(world))
    )
    assert job.status == "done", job.errors
    assert counts(job) == (2, 1, 0, 0)
    first = Enterprise.objects.get(uscc=make_uscc(9001))
    assert (first.industry_id, first.headcount, first.party_member_count) == ("I", 200, 20)
    assert first.is_global_service_provider and first.node == world.citic.node and first.street_id == world.street_a.pk
    second = Enterprise.objects.get(uscc=make_uscc(9002))
    assert (second.industry_id, second.headcount, second.is_key_enterprise) == ("L", 0, False)
    world.ent_a.refresh_from_db()
    assert (world.ent_a.name, world.ent_a.headcount, world.ent_a.is_key_enterprise) == (
        "恒隆测试咨询（上海）有限公司",
        80,
        True,
    )
    assert AuditEvent.objects.filter(action="directory.enterprise.created").count() == 2


def test_reimport_is_all_unchanged_without_audit_events(
    world, personas, industries, django_capture_on_commit_callbacks
):
    content = xlsx(HEADER, _rows(world))
    run_import(django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", content)
    audit_before = data_audit_count()
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", content)
    assert counts(again) == (0, 0, 3, 0)
    assert data_audit_count() == audit_before


def test_a_bad_credit_code_names_row_column_and_reason(world, personas, industries, django_capture_on_commit_callbacks):
    good = make_uscc(9001)
    bad = good[:-1] + ("0" if good[-1] != "0" else "1")
    rows = [
        [good, "上海新企业一有限公司", "I", world.citic.node.code, 10, 1, "否", "否"],
        [bad, "上海坏代码有限公司", "I", world.citic.node.code, 10, 1, "否", "否"],
        ["12345", "上海太短有限公司", "I", world.citic.node.code, 10, 1, "否", "否"],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", xlsx(HEADER, rows))
    assert job.status == "failed"
    assert job.errors == [
        {
            "row": 3,
            "column": "统一社会信用代码",
            "letter": "A",
            "message": "The check digit of this unified social credit code is wrong.",
        },
        {
            "row": 4,
            "column": "统一社会信用代码",
            "letter": "A",
            "message": "A unified social credit code has 18 characters.",
        },
    ]
    assert not Enterprise.objects.filter(uscc=good).exists(), "all or nothing: the good row is not stored either"
    assert "2 rows have errors" in job.failure


def test_valid_rows_mode_stores_only_the_valid_rows(world, personas, industries, django_capture_on_commit_callbacks):
    rows = [
        [make_uscc(9001), "上海新企业一有限公司", "I", world.citic.node.code, 10, 1, "否", "否"],
        [make_uscc(9002), "上海未知行业有限公司", "ZZ", world.citic.node.code, 10, 1, "否", "否"],
        [make_uscc(9003), "上海党员太多有限公司", "I", world.citic.node.code, 10, 11, "否", "否"],
        [make_uscc(9004), "上海新企业四有限公司", "I", world.citic.node.code, "很多", 1, "也许", "否"],
        [make_uscc(9005), "上海新企业五有限公司", "L", world.henglong.node.code, 10, 1, "否", "否"],
    ]
    job = run_import(
        django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", xlsx(HEADER, rows), mode="valid_rows"
    )
    assert job.status == "done"
    assert counts(job) == (2, 0, 0, 3)
    assert set(
        Enterprise.objects.filter(uscc__in=[make_uscc(n) for n in range(9001, 9006)]).values_list("uscc", flat=True)
    ) == {
        make_uscc(9001),
        make_uscc(9005),
    }
    by_cell = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert by_cell[(3, "行业代码")] == "Unknown industry code (GB/T 4754)."
    assert "more party members" in by_cell[(4, "党员人数")]
    assert by_cell[(5, "从业人数")] == "Enter a whole number."
    assert by_cell[(5, "全球服务商")].startswith("Enter 是 or 否")
    assert job.report, "an error report is kept for download"


def test_a_new_enterprise_needs_a_node_in_scope(world, personas, industries, django_capture_on_commit_callbacks):
    rows = [
        [make_uscc(9001), "上海无节点有限公司", "I", None, 10, 1, "否", "否"],
        [make_uscc(9002), "上海别的街道有限公司", "I", world.jas_building.node.code, 10, 1, "否", "否"],
        [world.ent_b.uscc, world.ent_b.name, "L", world.jas_building.node.code, 99, 1, "否", "否"],
    ]
    job = run_import(
        django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", xlsx(HEADER, rows), mode="valid_rows"
    )
    by_row = {e["row"]: e for e in job.errors}
    assert by_row[2]["column"] == "所属节点编码"
    assert by_row[3]["column"] == "所属节点编码" and "permission" in by_row[3]["message"]
    assert by_row[4]["column"] == "统一社会信用代码" and "permission" in by_row[4]["message"]
    world.ent_b.refresh_from_db()
    assert world.ent_b.headcount == 50


def test_a_credit_code_twice_in_one_file_is_refused(world, personas, industries, django_capture_on_commit_callbacks):
    uscc = make_uscc(9001)
    rows = [
        [uscc, "一", "I", world.citic.node.code, 10, 1, "否", "否"],
        [uscc.lower(), "二", "I", world.citic.node.code, 10, 1, "否", "否"],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", xlsx(HEADER, rows))
    assert job.errors[0]["row"] == 3 and "repeats row 2" in job.errors[0]["message"]
