"""Reading a year file: every problem names its row and column (pure parsing, no database)."""

from __future__ import annotations

from datetime import date

import pytest

from govcube.core.errors import DomainError
from govcube.workdays.files import MAX_FILE_BYTES, YearRow, check_year_rows, parse_year_file
from govcube.workdays.models import DayKind

GOOD = "date,kind,name\n2027-01-01,holiday,元旦\n2027-02-13,makeup_workday,春节\n"


def problem(content, *, year=2027, filename="2027.csv") -> DomainError:
    with pytest.raises(DomainError) as caught:
        check_year_rows(year, parse_year_file(content, filename=filename).rows)
    assert caught.value.field == "file"
    return caught.value


def test_a_good_csv_is_read_with_comments_blank_lines_and_aliases():
    text = "# notice 2027\n\ndate,kind,name\n2027-01-01,休,元旦\n2027/2/13,班,春节\n"
    parsed = parse_year_file(text)
    assert parsed.rows == [
        YearRow(date(2027, 1, 1), DayKind.HOLIDAY, "元旦", 4),
        YearRow(date(2027, 2, 13), DayKind.MAKEUP_WORKDAY, "春节", 5),
    ]
    assert check_year_rows(2027, parsed.rows) == parsed.rows


def test_columns_may_come_in_any_order_and_name_is_optional():
    rows = parse_year_file("kind,date\nholiday,2027-01-01\n").rows
    assert rows == [YearRow(date(2027, 1, 1), DayKind.HOLIDAY, "", 2)]


def test_utf8_with_bom_and_gb18030_from_excel_are_read():
    assert parse_year_file(("\ufeff" + GOOD).encode("utf-8")).rows[0].name == "元旦"
    assert parse_year_file(GOOD.encode("gb18030")).rows[0].name == "元旦"


def test_a_json_file_is_read():
    parsed = parse_year_file('{"year": 2027, "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}')
    assert parsed.year == 2027
    assert parsed.rows == [YearRow(date(2027, 1, 1), DayKind.HOLIDAY, "元旦", 1)]


@pytest.mark.parametrize(
    ("content", "code", "words"),
    [
        (GOOD + "2027-10-01,vacation,国庆节\n", "workdays.file.kind", ["Row 4", "column kind", "vacation"]),
        (GOOD + "2027-13-01,holiday,国庆节\n", "workdays.file.date", ["Row 4", "column date", "2027-13-01"]),
        (GOOD + "01/10/2027,holiday,国庆节\n", "workdays.file.date", ["Row 4", "column date"]),
        (GOOD + "2028-01-01,holiday,元旦\n", "workdays.file.outside_year", ["Row 4", "column date", "2027"]),
        (GOOD + "2027-01-01,holiday,元旦\n", "workdays.file.duplicate", ["Row 4", "column date", "row 2"]),
        (GOOD + "2027-02-15,makeup_workday,春节\n", "workdays.file.makeup_on_weekday", ["Row 4", "column kind"]),
        (GOOD + "2027-10-01,holiday,国庆节,extra\n", "workdays.file.columns", ["Row 4", "too many columns"]),
        ("day,kind\n2027-01-01,holiday\n", "workdays.file.header", ["Row 1", "column day"]),
        ("date,name\n2027-01-01,元旦\n", "workdays.file.header", ["Row 1", "column kind"]),
        ("date,kind,name\n2027-02-13,makeup_workday,春节\n", "workdays.file.no_holiday", ["2027"]),
        ("# only a comment\n", "workdays.file.empty", []),
        ("date,kind,name\n", "workdays.file.empty", []),
        (
            '{"days": [{"date": "2027-01-01", "kind": "holiday", "when": 1}]}',
            "workdays.file.columns",
            ["Row 1", "when"],
        ),
        ('{"days": [', "workdays.file.json", []),
        (b"\xff\xfe\x00\x00" * 10, "workdays.file.encoding", []),
        (b"x" * (MAX_FILE_BYTES + 1), "workdays.file.too_large", []),
    ],
)
def test_a_bad_file_is_refused_naming_the_row_and_column(content, code, words):
    error = problem(content)
    assert error.code == code
    for word in words:
        assert word in error.message


def test_a_name_longer_than_100_characters_is_refused():
    error = problem(GOOD + "2027-10-01,holiday," + "国" * 101 + "\n")
    assert error.code == "workdays.file.name" and "Row 4" in error.message


def test_the_example_template_is_refused_until_its_marker_line_is_deleted():
    from govcube.workdays.views import EXAMPLE_FILE

    text = EXAMPLE_FILE.read_text(encoding="utf-8")
    assert text.startswith("# EXAMPLE TEMPLATE")
    assert problem(text).code == "workdays.file.example"
    without_marker = "\n".join(text.splitlines()[1:])
    assert check_year_rows(2027, parse_year_file(without_marker).rows)  # the format itself is valid


def test_a_year_outside_the_supported_range_is_refused():
    with pytest.raises(DomainError) as caught:
        check_year_rows(1800, [])
    assert caught.value.field == "year"
