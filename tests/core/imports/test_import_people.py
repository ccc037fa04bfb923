from __future__ import annotations

import pytest

from govcube.audit.models import AuditEvent
from govcube.directory.models import Person
from tests.core.imports.helpers import counts, data_audit_count, headers, run_import, xlsx
from tests.factories import make_uscc

pytestmark = pytest.mark.django_db

HEADER = headers("people")  # 手机号 姓名 所属节点编码 邮箱 工作单位统一社会信用代码 党员


def _rows(world):
    return [
        ["13911112222", "赵敏", world.henglong.node.code, "zhao@example.com", world.ent_a.uscc, "是"],
        [13911113333, "钱进", world.citic.node.code, None, None, None],
        [world.person_a.mobile, "李娜娜", world.henglong.node.code, None, world.ent_a.uscc, "是"],
    ]


def test_it_creates_and_updates_people(world, personas, django_capture_on_commit_callbacks):
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", xlsx(HEADER, _rows(world)))
    assert job.status == "done", job.errors
    assert counts(job) == (2, 1, 0, 0)
    zhao = Person.objects.get(mobile="13911112222")
    assert (zhao.name, zhao.email, zhao.employer, zhao.is_party_member) == (
        "赵敏",
        "zhao@example.com",
        world.ent_a,
        True,
    )
    assert zhao.street_id == world.street_a.pk
    assert Person.objects.get(mobile="13911113333").employer is None
    world.person_a.refresh_from_db()
    assert world.person_a.name == "李娜娜"
    assert AuditEvent.objects.filter(action="directory.person.created").count() == 2


def test_reimport_is_all_unchanged(world, personas, django_capture_on_commit_callbacks):
    content = xlsx(HEADER, _rows(world))
    run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", content)
    audit_before = data_audit_count()
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", content)
    assert counts(again) == (0, 0, 3, 0)
    assert data_audit_count() == audit_before


def test_row_errors_for_people(world, personas, django_capture_on_commit_callbacks):
    rows = [
        ["1391111", "短号", world.henglong.node.code, None, None, None],
        ["13911114444", "无单位", world.henglong.node.code, None, make_uscc(777), None],
        ["13911115555", "坏邮箱", world.henglong.node.code, "not-an-email", None, None],
        [world.person_b.mobile, "别的街道", world.henglong.node.code, None, None, None],
        ["13911116666", None, world.henglong.node.code, None, None, None],
    ]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", xlsx(HEADER, rows))
    by_cell = {(e["row"], e["column"]): e["message"] for e in job.errors}
    assert by_cell[(2, "手机号")] == "Enter an 11-digit mainland mobile number starting with 1."
    assert "import the enterprise first" in by_cell[(3, "工作单位统一社会信用代码")]
    assert by_cell[(4, "邮箱")] == "Enter a valid email address."
    assert "permission" in by_cell[(5, "手机号")]
    assert by_cell[(6, "姓名")] == "This field is required."
    assert not Person.objects.filter(mobile__startswith="1391111").exists()


def test_reasons_are_written_in_the_uploaders_language(world, personas, django_capture_on_commit_callbacks):
    from django.utils import translation

    rows = [["13911115555", "坏邮箱", world.henglong.node.code, "not-an-email", None, None]]
    with translation.override("zh-hans"):
        expected = translation.gettext("Enter a valid email address.")
        job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", xlsx(HEADER, rows))
    assert expected != "Enter a valid email address."
    assert job.language == "zh-hans"
    assert job.errors[0]["message"] == expected
