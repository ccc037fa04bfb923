from __future__ import annotations

from datetime import date, datetime
from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from govcube.core.imports import parsers as p
from govcube.core.imports.parsers import CellError
from govcube.core.imports.specs import SPECS, normalise_header
from tests.factories import make_uscc


@given(st.dates(min_value=date(1900, 1, 1), max_value=date(9999, 12, 31)))
def test_dates_are_read_from_iso_text_and_from_excel_dates(day):
    assert p.parse_date(day.isoformat()) == day
    assert p.parse_date(datetime(day.year, day.month, day.day)) == day
    assert p.parse_month(day.isoformat()[:7]) == day.replace(day=1)


@pytest.mark.parametrize(
    "value", ["2025/03/01", "01-03-2025", "2025-02-30", "2025-3-1", 45000, 45000.0, datetime(2025, 3, 1, 9, 30), True]
)
def test_anything_else_is_not_a_date(value):
    with pytest.raises(CellError, match="YYYY-MM-DD"):
        p.parse_date(value)


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("是", True),
        ("否", False),
        ("Yes", True),
        ("no", False),
        (1, True),
        (0, False),
        ("1", True),
        (True, True),
        ("✓", True),
    ],
)
def test_booleans(value, expected):
    assert p.boolean(value) is expected


@pytest.mark.parametrize("value", ["也许", 2, "true-ish"])
def test_not_a_boolean(value):
    with pytest.raises(CellError):
        p.boolean(value)


@given(st.decimals(min_value=-(10**9), max_value=10**9, places=2, allow_nan=False, allow_infinity=False))
def test_numbers_round_trip_through_text_and_float(number):
    parse = p.number(max_places=2)
    assert parse(str(number)) == number
    assert parse(float(number)) == number


def test_numbers_are_strict():
    parse = p.number(max_places=2, minimum=Decimal(0))
    with pytest.raises(CellError, match="2 decimal places"):
        parse("1.234")
    with pytest.raises(CellError, match="at least 0"):
        parse(-1)
    for bad in ("abc", "NaN", "Infinity", True, date(2025, 1, 1)):
        with pytest.raises(CellError, match="Enter a number"):
            parse(bad)
    assert parse("1,234.50") == Decimal("1234.50")


def test_whole_numbers():
    parse = p.whole_number(minimum=0, maximum=300)
    assert parse(12) == parse(12.0) == parse(" 12 ") == 12
    for bad in (1.5, "1.5", "十二", True):
        with pytest.raises(CellError, match="whole number"):
            parse(bad)
    with pytest.raises(CellError, match="at most 300"):
        parse(301)


@given(st.integers(min_value=1, max_value=99_999_999))
def test_valid_credit_codes_pass_and_a_changed_check_digit_fails(n):
    code = make_uscc(n)
    assert p.uscc(code.lower()) == code
    wrong = code[:-1] + ("0" if code[-1] != "0" else "1")
    with pytest.raises(CellError):
        p.uscc(wrong)


def test_mobile_numbers_typed_as_numbers_or_with_separators():
    assert p.mobile(13812345678) == p.mobile(13812345678.0) == p.mobile("138-1234-5678") == "13812345678"
    with pytest.raises(CellError, match="11-digit"):
        p.mobile("12812345678")


def test_text_and_codes():
    assert p.text(5)(" 12 ") == "12"
    assert p.text(5)(12.0) == "12"
    with pytest.raises(CellError, match="at most 5 characters"):
        p.text(5)("123456")
    with pytest.raises(CellError, match="spaces"):
        p.code(10)("A B")


def test_headers_match_regardless_of_width_case_spaces_and_star():
    names = SPECS["buildings"].column("tax_amount").names
    assert normalise_header(" 税收(元)* ") in names
    assert normalise_header("TAX REVENUE (¥)") in names


def test_every_header_name_belongs_to_one_column_per_kind():
    for spec in SPECS.values():
        seen: dict[str, str] = {}
        for column in spec.columns:
            for name in column.names:
                assert seen.setdefault(name, column.field) == column.field, (spec.kind, name)
