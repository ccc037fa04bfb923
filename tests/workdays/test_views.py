"""The calendar pages: who may open them, the forms and their errors, the upload, query counts."""

from __future__ import annotations

from datetime import date

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from govcube.workdays.models import CalendarDay, CalendarYear, DayKind

pytestmark = pytest.mark.django_db

CALENDAR = reverse("workdays:calendar")
YEAR_2030 = "date,kind,name\n2030-10-01,holiday,国庆节\n2030-09-29,makeup_workday,国庆节\n"


def csv_file(text: str, name: str = "2030.csv") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, text.encode("utf-8"), content_type="text/csv")


# --- access --------------------------------------------------------------------------------


def test_the_system_admin_sees_a_loaded_year_as_a_month_grid(personas, login, seeded):
    response = login(personas.district_admin).get(CALENDAR, {"year": 2025})
    assert response.status_code == 200
    body = response.content.decode()
    assert "国庆节" in body and "2025-10-01" in body
    assert 'data-missing-year="2025"' not in body
    assert body.count("<caption") == 12


@pytest.mark.parametrize("persona", ["street_njxl", "district_leader", "district_security", "employee_henglong_1"])
def test_everyone_else_is_refused_with_403(personas, login, persona):
    client = login(getattr(personas, persona))
    assert client.get(CALENDAR).status_code == 403
    assert client.post(reverse("workdays:day_set"), {"date": "2031-10-01", "kind": "holiday"}).status_code == 403
    assert client.post(reverse("workdays:day_remove"), {"date": "2025-10-01"}).status_code == 403
    assert client.post(reverse("workdays:upload"), {"year": 2030, "file": csv_file(YEAR_2030)}).status_code == 403
    assert client.get(reverse("workdays:example")).status_code == 403
    assert not CalendarDay.objects.filter(date__year__in=[2030, 2031]).exists()


def test_anonymous_is_sent_to_login(client, db):
    for url in (CALENDAR, reverse("workdays:example")):
        response = client.get(url)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_the_change_endpoints_answer_only_post(personas, login, db):
    client = login(personas.district_admin)
    for name in ("workdays:day_set", "workdays:day_remove", "workdays:upload"):
        assert client.get(reverse(name)).status_code == 405


# --- the unloaded-year warning ---------------------------------------------------------------


def test_an_unloaded_year_shows_a_warning_and_still_works(personas, login, seeded):
    body = login(personas.district_admin).get(CALENDAR, {"year": 2031}).content.decode()
    assert 'data-missing-year="2031"' in body
    assert "counts Monday to Friday" in body
    assert "261 working days in all" in body


def test_a_missing_required_year_is_flagged_on_any_year(personas, login, seeded, monkeypatch):
    monkeypatch.setattr("govcube.workdays.selectors.timezone.localdate", lambda: date(2026, 12, 1))
    body = login(personas.district_admin).get(CALENDAR, {"year": 2025}).content.decode()
    assert 'data-missing-year="2027"' in body
    assert "The official calendar for 2027 is not loaded." in body


def test_a_bad_year_parameter_shows_this_year(personas, login, db):
    client = login(personas.district_admin)
    for bad in ("abc", "-5", "99999", ""):
        assert client.get(CALENDAR, {"year": bad}).status_code == 200


# --- one day -------------------------------------------------------------------------------


def test_the_admin_sets_and_removes_a_day(personas, login, seeded):
    client = login(personas.district_admin)
    response = client.post(
        reverse("workdays:day_set"), {"date": "2031-10-01", "kind": "holiday", "name": "国庆节", "year": 2031}
    )
    assert response.status_code == 302 and response["Location"].endswith("?year=2031")
    assert CalendarDay.objects.get(date=date(2031, 10, 1)).kind == DayKind.HOLIDAY
    assert "国庆节" in client.get(response["Location"]).content.decode()

    response = client.post(reverse("workdays:day_remove"), {"date": "2031-10-01", "year": 2031})
    assert response.status_code == 302
    assert not CalendarDay.objects.filter(date=date(2031, 10, 1)).exists()


def test_a_refused_day_shows_the_message_next_to_the_field(personas, login, db):
    client = login(personas.district_admin)
    response = client.post(reverse("workdays:day_set"), {"date": "2031-10-08", "kind": "makeup_workday", "year": 2031})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="day-kind-error"' in body
    assert "must fall on a Saturday or a Sunday" in body
    assert not CalendarDay.objects.filter(date=date(2031, 10, 8)).exists()


def test_a_malformed_day_is_400_with_the_field_named(personas, login, db):
    client = login(personas.district_admin)
    response = client.post(reverse("workdays:day_set"), {"date": "not-a-date", "kind": "holiday"})
    assert response.status_code == 400
    assert 'id="day-date-error"' in response.content.decode()
    response = client.post(reverse("workdays:day_set"), {"date": "2031-10-01", "kind": "festival"})
    assert response.status_code == 400
    assert 'id="day-kind-error"' in response.content.decode()


def test_removing_a_day_that_is_not_there_is_404_with_a_message(personas, login, db):
    response = login(personas.district_admin).post(reverse("workdays:day_remove"), {"date": "2031-03-03"})
    assert response.status_code == 404
    assert "2031-03-03 is not in the calendar." in response.content.decode()
    response = login(personas.district_admin).post(reverse("workdays:day_remove"), {"date": "nonsense"})
    assert response.status_code == 400


# --- upload --------------------------------------------------------------------------------


def test_the_admin_uploads_a_year(personas, login, db):
    client = login(personas.district_admin)
    response = client.post(reverse("workdays:upload"), {"year": 2030, "file": csv_file(YEAR_2030), "note": "通知"})
    assert response.status_code == 302
    assert CalendarYear.objects.get(year=2030).note == "通知"
    assert CalendarDay.objects.filter(date__year=2030).count() == 2
    body = client.get(response["Location"]).content.decode()
    assert 'data-missing-year="2030"' not in body


def test_a_bad_upload_names_the_row_next_to_the_file_field_and_stores_nothing(personas, login, db):
    client = login(personas.district_admin)
    bad = YEAR_2030 + "2030-10-02,holiday,国庆节\n2030-10-02,holiday,国庆节\n"
    response = client.post(reverse("workdays:upload"), {"year": 2030, "file": csv_file(bad)})
    assert response.status_code == 400
    body = response.content.decode()
    assert 'id="upload-file-error"' in body
    assert "Row 5, column date" in body and "listed twice" in body
    assert not CalendarDay.objects.filter(date__year=2030).exists()
    assert not CalendarYear.objects.filter(year=2030).exists()


def test_uploading_over_a_loaded_year_needs_replace(personas, login, seeded):
    client = login(personas.district_admin)
    text = "date,kind,name\n2025-10-01,holiday,国庆节\n"
    response = client.post(reverse("workdays:upload"), {"year": 2025, "file": csv_file(text, "2025.csv")})
    assert response.status_code == 400
    assert 'id="upload-replace-error"' in response.content.decode()
    assert CalendarDay.objects.filter(date__year=2025).count() > 1
    response = client.post(
        reverse("workdays:upload"), {"year": 2025, "file": csv_file(text, "2025.csv"), "replace": "on"}
    )
    assert response.status_code == 302
    assert CalendarDay.objects.filter(date__year=2025).count() == 1


def test_an_upload_for_another_year_than_its_dates_is_refused(personas, login, db):
    response = login(personas.district_admin).post(
        reverse("workdays:upload"), {"year": 2029, "file": csv_file(YEAR_2030)}
    )
    assert response.status_code == 400
    assert "is not in 2029" in response.content.decode()


def test_an_upload_without_a_file_is_400(personas, login, db):
    response = login(personas.district_admin).post(reverse("workdays:upload"), {"year": 2030})
    assert response.status_code == 400
    assert 'id="upload-file-error"' in response.content.decode()


def test_the_example_template_downloads(personas, login, db):
    response = login(personas.district_admin).get(reverse("workdays:example"))
    assert response.status_code == 200
    assert b"EXAMPLE TEMPLATE" in b"".join(response.streaming_content)


# --- query count ---------------------------------------------------------------------------


def test_the_calendar_page_query_count_does_not_grow_with_days(personas, login, db, count_queries):
    client = login(personas.district_admin)
    url = f"{CALENDAR}?year=2030"
    client.get(url)
    with count_queries() as small:
        assert client.get(url).status_code == 200
    CalendarDay.objects.bulk_create(
        CalendarDay(
            date=date(2030, 1, 1).fromordinal(date(2030, 1, 1).toordinal() + i), kind=DayKind.HOLIDAY, name=f"假{i}"
        )
        for i in range(60)
    )
    CalendarYear.objects.bulk_create(
        CalendarYear(year=y, loaded_at="2026-01-01T00:00Z", source="file") for y in range(2031, 2040)
    )
    with count_queries() as large:
        response = client.get(url)
    assert "假59" in response.content.decode()
    assert len(large.captured_queries) == len(small.captured_queries)
