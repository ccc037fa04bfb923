"""Problems with the file itself: a clear 400 naming the file field, and nothing stored."""

from __future__ import annotations

import zipfile
from io import BytesIO

import pytest
from django.urls import reverse

from govcube.core.imports import workbook
from govcube.core.imports.models import ImportJob
from tests.core.imports.helpers import headers, run_import, upload, xlsx

pytestmark = pytest.mark.django_db

URL = reverse("imports:import_list")


def _post(client, content: bytes, *, kind="enterprises", name="data.xlsx", capture=None):
    data = {"kind": kind, "mode": "all_or_nothing", "file": upload(content, name)}
    if capture is None:
        return client.post(URL, data)
    with capture(execute=True):
        return client.post(URL, data)


def test_wrong_headers_name_the_missing_and_unknown_columns(personas, login):
    content = xlsx(["名称", "Foo", "行业代码"], [["上海某某有限公司", "x", "L"]])
    response = _post(login(personas.street_njxl), content)
    assert response.status_code == 400
    body = response.content.decode()
    assert "Missing columns: 统一社会信用代码 (USCC)、所属节点编码 (Node code)." in body
    assert "Unknown columns: Foo." in body
    assert 'aria-invalid="true"' in body
    assert not ImportJob.objects.exists()


def test_a_column_given_twice_is_refused(personas, login):
    content = xlsx([*headers("tenancies"), "USCC"], [])
    response = _post(login(personas.street_njxl), content, kind="tenancies")
    assert response.status_code == 400
    assert "Columns given twice: USCC." in response.content.decode()


def test_a_text_file_renamed_xlsx_is_refused(personas, login):
    response = _post(login(personas.street_njxl), "统一社会信用代码,名称\n123,某某\n".encode(), name="data.xlsx")
    assert response.status_code == 400
    assert "The file is not an Excel workbook (.xlsx)." in response.content.decode()
    assert not ImportJob.objects.exists()


def test_an_old_xls_file_gets_its_own_advice(personas, login):
    response = _post(login(personas.street_njxl), workbook.OLE_SIGNATURE + b"\0" * 600)
    assert response.status_code == 400
    assert "old .xls workbook" in response.content.decode()


def test_a_zip_that_is_not_a_workbook_is_refused(personas, login):
    buffer = BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("hello.txt", "hi")
    response = _post(login(personas.street_njxl), buffer.getvalue())
    assert response.status_code == 400
    assert "not an Excel workbook" in response.content.decode()


def test_a_damaged_workbook_is_refused(personas, login):
    good = xlsx(headers("enterprises"), [])
    buffer = BytesIO()
    with zipfile.ZipFile(BytesIO(good)) as source, zipfile.ZipFile(buffer, "w") as target:
        for item in source.infolist():
            data = source.read(item.filename)
            target.writestr(item, b"<broken" if item.filename == "xl/workbook.xml" else data)
    response = _post(login(personas.street_njxl), buffer.getvalue())
    assert response.status_code == 400
    assert "cannot be read" in response.content.decode()


def test_a_file_over_the_size_limit_is_refused(personas, login, settings):
    settings.GOVCUBE_MAX_IMPORT_BYTES = 2048
    content = xlsx(headers("enterprises"), [["x" * 50] * 8 for _ in range(200)])
    assert len(content) > 2048
    response = _post(login(personas.street_njxl), content)
    assert response.status_code == 400
    assert "larger than 2.0" in response.content.decode()
    assert not ImportJob.objects.exists()


def test_missing_file_and_bad_kind_are_form_errors(personas, login):
    client = login(personas.street_njxl)
    response = client.post(URL, {"kind": "spaceships", "mode": "all_or_nothing"})
    assert response.status_code == 400
    body = response.content.decode()
    assert "spaceships is not one of the available choices" in body
    assert "This field is required." in body


def test_a_sheet_without_rows_fails_clearly(personas, django_capture_on_commit_callbacks):
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "enterprises",
        xlsx(headers("enterprises"), [[None], []]),
    )
    assert job.status == "failed"
    assert job.failure == "The worksheet has no rows below the header row."


def test_too_many_rows_fail_the_job_before_anything_is_stored(
    world, personas, monkeypatch, django_capture_on_commit_callbacks
):
    monkeypatch.setattr(workbook, "MAX_ROWS", 3)
    rows = [[f"13911110{n:03d}", f"人{n}", world.henglong.node.code] for n in range(4)]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
        mode="valid_rows",
    )
    assert job.status == "failed"
    assert "more than 3 rows" in job.failure
    from govcube.directory.models import Person

    assert not Person.objects.filter(mobile__startswith="13911110").exists()


def test_empty_rows_are_skipped_and_row_numbers_stay_those_of_excel(
    world, personas, django_capture_on_commit_callbacks
):
    rows = [
        ["13911110001", "甲", world.henglong.node.code],
        [],
        [None, "  ", None],
        ["139", "乙", world.henglong.node.code],
    ]
    job = run_import(
        django_capture_on_commit_callbacks,
        personas.street_njxl,
        "people",
        xlsx(headers("people", "mobile", "name", "node_code"), rows),
    )
    assert job.total_rows == 2
    assert [e["row"] for e in job.errors] == [5]
