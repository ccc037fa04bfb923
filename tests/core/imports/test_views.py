from __future__ import annotations

from io import BytesIO

import pytest
from django.urls import reverse
from openpyxl import Workbook, load_workbook

from govcube.audit.models import AuditEvent
from govcube.core.imports.models import ImportJob
from govcube.core.imports.specs import SPECS
from tests.core.imports.helpers import headers, read_xlsx, run_import, upload, xlsx

pytestmark = pytest.mark.django_db

LIST = reverse("imports:import_list")
PEOPLE = headers("people", "mobile", "name", "node_code")


def _job(user, **fields) -> ImportJob:
    values = {"kind": "people", "filename": "people.xlsx", "content": b"", "created_by": user}
    values.update(fields)
    return ImportJob.objects.create(**values)


def test_the_list_shows_the_form_templates_and_my_jobs_only(personas, login):
    _job(personas.street_njxl, filename="mine.xlsx")
    _job(personas.street_jas, filename="theirs.xlsx")
    response = login(personas.street_njxl).get(LIST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "mine.xlsx" in body and "theirs.xlsx" not in body
    for kind in SPECS:
        assert reverse("imports:import_template", args=[kind]) in body
    assert '<label class="form-label" for="id_file">' in body
    assert 'for="id_kind"' in body and 'for="id_mode_0"' in body


def test_uploading_redirects_to_the_job_which_shows_the_result(
    world, personas, login, django_capture_on_commit_callbacks
):
    client = login(personas.street_njxl)
    content = xlsx(
        PEOPLE, [["13911117777", "孙悦", world.henglong.node.code], ["139", "坏号", world.henglong.node.code]]
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(LIST, {"kind": "people", "mode": "valid_rows", "file": upload(content, "人员.xlsx")})
    job = ImportJob.objects.get()
    assert (job.street_id, job.district_id, job.language) == (world.street_a.pk, world.district.pk, "en")
    assert response.status_code == 302 and response["Location"] == reverse("imports:import_detail", args=[job.pk])
    page = client.get(response["Location"])
    body = page.content.decode()
    assert page.status_code == 200
    assert 'data-testid="created">1<' in body and 'data-testid="errors">1<' in body
    assert "Enter an 11-digit mainland mobile number starting with 1." in body
    assert "hx-trigger" not in body, "a finished job is not polled"
    assert reverse("imports:import_report", args=[job.pk]) in body
    actions = list(
        AuditEvent.objects.filter(action__startswith="core.importjob.").order_by("id").values_list("action", flat=True)
    )
    assert actions == ["core.importjob.uploaded", "core.importjob.start", "core.importjob.finish"]


def test_a_running_job_is_polled_with_htmx_and_the_partial_has_the_progress(personas, login):
    job = _job(personas.street_njxl, status="running", total_rows=200, progress=50)
    client = login(personas.street_njxl)
    full = client.get(reverse("imports:import_detail", args=[job.pk])).content.decode()
    assert 'hx-trigger="every 1s"' in full and "<html" in full
    partial = client.get(reverse("imports:import_detail", args=[job.pk]), headers={"HX-Request": "true"})
    body = partial.content.decode()
    assert "<html" not in body
    assert 'aria-valuenow="25"' in body and "Checking rows: 50 of 200" in body
    assert 'hx-get="{}"'.format(reverse("imports:import_detail", args=[job.pk])) in body
    ImportJob.objects.filter(pk=job.pk).update(status="done", progress=200, created_count=200)
    done = client.get(reverse("imports:import_detail", args=[job.pk]), headers={"HX-Request": "true"}).content.decode()
    assert "hx-trigger" not in done and "All rows were imported." in done


def test_another_users_job_is_404(personas, login, django_capture_on_commit_callbacks, world):
    content = xlsx(PEOPLE, [["139", "坏号", world.henglong.node.code]])
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", content)
    assert job.report
    client = login(personas.street_jas)
    assert client.get(reverse("imports:import_detail", args=[job.pk])).status_code == 404
    assert client.get(reverse("imports:import_report", args=[job.pk])).status_code == 404


def test_without_the_import_permission_it_is_403_and_anonymous_goes_to_login(personas, login, client):
    assert client.get(LIST).status_code == 302
    nobody = login(personas.grid_chief_henglong)
    assert nobody.get(LIST).status_code == 403
    assert nobody.get(reverse("imports:import_template", args=["people"])).status_code == 403


def test_the_list_query_count_does_not_grow_with_jobs(personas, login, count_queries):
    client = login(personas.street_njxl)
    _job(personas.street_njxl)
    client.get(LIST)
    with count_queries() as small:
        client.get(LIST)
    for n in range(40):
        _job(personas.street_njxl, filename=f"f{n}.xlsx", content=b"x" * 1000, errors=[{"row": 2}] * 5)
    with count_queries() as large:
        response = client.get(LIST)
    assert response.status_code == 200
    assert len(large.captured_queries) <= len(small.captured_queries) + 1  # +1: the capped count of a second page
    assert not any("content" in q["sql"] for q in large.captured_queries if "core_importjob" in q["sql"])


@pytest.mark.parametrize("kind", sorted(SPECS))
def test_the_template_opens_with_the_expected_headers_and_an_example_row(personas, login, kind):
    response = login(personas.street_njxl).get(reverse("imports:import_template", args=[kind]))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = load_workbook(BytesIO(response.content))
    rows = list(book.worksheets[0].iter_rows(values_only=True))
    spec = SPECS[kind]
    assert list(rows[0]) == [column.zh for column in spec.columns]
    assert len(rows) == 2
    for column, value in zip(spec.columns, rows[1], strict=True):
        column.read(value)  # the example row passes every parser
    assert len(book.worksheets) == 2


def test_an_unknown_template_is_404(personas, login):
    assert login(personas.street_njxl).get("/imports/templates/spaceships.xlsx").status_code == 404


def test_the_error_report_has_the_rows_and_an_error_column(world, personas, login, django_capture_on_commit_callbacks):
    rows = [
        ["13911118888", "周到", world.henglong.node.code],
        [],
        ["1391111", "坏号", world.henglong.node.code],
        ["13911118889", "=1+1", world.henglong.node.code],
    ]
    book = Workbook()
    book.active.append(PEOPLE)
    for row in rows:
        book.active.append(row)
    book.active["B5"].data_type = "s"  # text that looks like a formula, as Excel stores '=1+1
    buffer = BytesIO()
    book.save(buffer)
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", buffer.getvalue())
    response = login(personas.street_njxl).get(reverse("imports:import_report", args=[job.pk]))
    assert response.status_code == 200
    report = read_xlsx(response.content)
    assert report[0] == (*PEOPLE, "Error")
    assert report[1][:3] == ("13911118888", "周到", world.henglong.node.code) and report[1][3] is None
    assert report[3][0] == "1391111" and report[3][3].startswith("手机号: Enter an 11-digit")
    assert report[4][1] == "=1+1", "text that looks like a formula stays text"
    assert report[2] == (None, None, None, None)


def test_a_corrected_error_report_can_be_imported_again(world, personas, django_capture_on_commit_callbacks):
    rows = [["13911118888", "周到", world.henglong.node.code], ["1391111", "坏号", world.henglong.node.code]]
    job = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", xlsx(PEOPLE, rows))
    report = read_xlsx(bytes(job.report))
    fixed = [list(report[0]), list(report[1]), ["13911119999", *report[2][1:]]]
    again = run_import(django_capture_on_commit_callbacks, personas.street_njxl, "people", xlsx(fixed[0], fixed[1:]))
    assert again.status == "done" and again.created_count == 2
