"""Large and failing imports: bounded error lists, nothing partial, reasonable time."""

from __future__ import annotations

import time

import pytest
from django.urls import reverse

from govcube.core.errors import DomainError
from govcube.core.imports import engine
from govcube.core.imports.models import ERROR_CAP
from govcube.directory import services as directory_services
from govcube.directory.models import Enterprise, Person
from tests.core.imports.helpers import headers, read_xlsx, run_import, xlsx
from tests.factories import industry, make_uscc

pytestmark = pytest.mark.django_db


def test_ten_thousand_bad_rows_give_a_bounded_error_list_and_store_nothing(
    world, personas, login, django_capture_on_commit_callbacks
):
    industry("L")
    header = headers("enterprises")
    good = [make_uscc(8000), "上海唯一正确有限公司", "L", world.henglong.node.code, 10, 1, "否", "否"]
    bad = [
        [f"9131010600{n:05d}XY", f"上海坏代码{n}有限公司", "L", world.henglong.node.code, 10, 1, "否", "否"]
        for n in range(10_000)
    ]
    content = xlsx(header, [good, *bad], write_only=True)
    started = time.monotonic()
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "enterprises", content)
    elapsed = time.monotonic() - started
    assert elapsed < 60, f"took {elapsed:.1f}s"
    assert job.status == "failed"
    assert (job.total_rows, job.error_count, job.created_count) == (10_001, 10_000, 0)
    assert len(job.errors) == ERROR_CAP and job.errors_truncated
    assert job.errors[0]["row"] == 3 and job.errors[0]["column"] == "统一社会信用代码"
    assert not Enterprise.objects.filter(name__startswith="上海唯一").exists()
    page = login(personas.street_njxl).get(reverse("imports:import_detail", args=[job.pk]))
    body = page.content.decode()
    assert body.count('<tr><td class="num">') == ERROR_CAP
    assert "10,000 rows have errors" in body
    report = read_xlsx(bytes(job.report))
    assert len(report) == 10_002
    assert report[1][-1] is None and report[-1][-1].startswith("统一社会信用代码: ")


def test_a_row_failing_while_storing_rolls_back_the_whole_file(
    world, personas, monkeypatch, django_capture_on_commit_callbacks
):
    """If something changed between the check and the store, nothing of the file stays."""
    calls = {"n": 0}
    real = directory_services.person_create

    def flaky(**kwargs):
        calls["n"] += 1
        if calls["n"] == 4:  # the check made 2 calls; the second row fails while storing
            raise DomainError("directory.person.mobile.unique", "Someone saved this person meanwhile.", field="mobile")
        return real(**kwargs)

    monkeypatch.setattr(directory_services, "person_create", flaky)
    rows = [["13911110001", "甲", world.henglong.node.code], ["13911110002", "乙", world.henglong.node.code]]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
    )
    assert job.status == "failed"
    assert job.errors == [
        {"row": 3, "column": "手机号", "letter": "A", "message": "Someone saved this person meanwhile."}
    ]
    assert not Person.objects.filter(mobile__in=["13911110001", "13911110002"]).exists()
    assert job.created_count == 0


def test_an_unexpected_crash_fails_the_job_with_a_message(
    world, personas, monkeypatch, caplog, django_capture_on_commit_callbacks
):
    def boom(*args, **kwargs):
        raise RuntimeError("disk on fire")

    monkeypatch.setattr(engine, "_run_chunk", boom)
    rows = [["13911110001", "甲", world.henglong.node.code]]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
    )
    assert job.status == "failed"
    assert "unexpected problem" in job.failure
    assert "disk on fire" not in job.failure
    assert any("stopped" in record.message for record in caplog.records)


def test_progress_is_recorded_between_chunks(world, personas, monkeypatch, django_capture_on_commit_callbacks):
    from govcube.core.imports import services

    seen = []
    real = services._record_progress
    monkeypatch.setattr(engine, "CHUNK_SIZE", 2)
    monkeypatch.setattr(
        services,
        "_record_progress",
        lambda job_id, done, total: (seen.append((done, total)), real(job_id, done, total)),
    )
    rows = [[f"1391111000{n}", f"人{n}", world.henglong.node.code] for n in range(5)]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
    )
    assert seen == [(0, 5), (2, 5), (4, 5), (5, 5)]
    assert (job.progress, job.total_rows, job.percent) == (5, 5, 100)


def test_a_job_is_run_only_once(world, personas, django_capture_on_commit_callbacks):
    from govcube.core.imports.services import import_job_run

    rows = [["13911110001", "甲", world.henglong.node.code]]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
    )
    assert job.status == "done"
    again = import_job_run(job_id=job.pk)
    assert again.status == "done" and again.created_count == 1
    assert import_job_run(job_id=999_999) is None


def test_a_job_started_by_another_worker_meanwhile_is_left_alone(world, personas, monkeypatch):
    from govcube.core.imports import services
    from govcube.core.imports.models import ImportJob

    job = ImportJob.objects.create(kind="people", filename="x.xlsx", content=b"", created_by=personas.street_njxl)
    real = services._transition

    def racing(job_, action, **kwargs):
        if action == "start":
            ImportJob.objects.filter(pk=job_.pk).update(status="running")
        return real(job_, action, **kwargs)

    monkeypatch.setattr(services, "_transition", racing)
    assert services.import_job_run(job_id=job.pk).status == "running"
