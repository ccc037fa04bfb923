"""Reading a year of the official calendar from a small file.

When the State Council publishes next year's holiday arrangements (国务院办公厅关于
YYYY年部分节假日安排的通知), a district administrator types them into a file and uploads it
on /workdays/ (or runs ``manage.py workdays_load FILE``). Two formats are accepted:

CSV (UTF-8, with or without a BOM; GB18030 as saved by a Chinese Excel also works)::

    # Lines starting with "#" are comments; blank lines are ignored.
    date,kind,name
    2027-01-01,holiday,元旦
    2027-02-07,makeup_workday,春节

* the first non-comment line is the header; ``date`` and ``kind`` are required, ``name``
  is optional; columns may come in any order;
* ``date`` is YYYY-MM-DD (YYYY/M/D as Excel writes it is accepted too);
* ``kind`` is ``holiday`` (also 休 or 放假) for a day off — list every day of the
  holiday period, weekends included, as the notice does — or ``makeup_workday`` (also
  班 or 上班) for a weekend day worked in exchange (调休上班); a weekday needs no row;
* ``name`` is the holiday's name, e.g. 国庆节, at most 100 characters.

JSON::

    {"year": 2027, "days": [{"date": "2027-01-01", "kind": "holiday", "name": "元旦"}]}

The whole file is checked before anything is stored: every problem is reported as
"Row N, column C: …" (N is the line of the file, or the entry of the JSON list) and a
file with any problem stores nothing. A file still containing the words "EXAMPLE
TEMPLATE" (see ``data/2027.example.csv``) is refused.
"""

from __future__ import annotations

import csv
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from django.utils.translation import gettext as _

from govcube.core.errors import DomainError
from govcube.workdays.models import MAX_YEAR, MIN_YEAR, DayKind

MAX_FILE_BYTES = 64 * 1024
MAX_ROWS = 366
NAME_MAX_LENGTH = 100
EXAMPLE_MARKER = "EXAMPLE TEMPLATE"
COLUMNS = ("date", "kind", "name")
KIND_ALIASES = {
    "holiday": DayKind.HOLIDAY,
    "休": DayKind.HOLIDAY,
    "放假": DayKind.HOLIDAY,
    "makeup_workday": DayKind.MAKEUP_WORKDAY,
    "班": DayKind.MAKEUP_WORKDAY,
    "上班": DayKind.MAKEUP_WORKDAY,
}
_DATE = re.compile(r"^(\d{4})[-/](\d{1,2})[-/](\d{1,2})$")


@dataclass(frozen=True)
class YearRow:
    """One exception of a year; ``row`` is where it came from, for error messages."""

    date: date
    kind: str
    name: str = ""
    row: int | None = None


@dataclass(frozen=True)
class YearFile:
    year: int | None  # declared by the file itself (JSON "year"), else None
    rows: list[YearRow]

    @property
    def years(self) -> set[int]:
        return {row.date.year for row in self.rows}


def row_error(code: str, row: int | None, column: str, problem: str) -> DomainError:
    if row is None:
        message = _("Column %(column)s: %(problem)s") % {"column": column, "problem": problem}
    else:
        message = _("Row %(row)s, column %(column)s: %(problem)s") % {
            "row": row,
            "column": column,
            "problem": problem,
        }
    return DomainError(f"workdays.file.{code}", message, field="file")


def file_error(code: str, message: str) -> DomainError:
    return DomainError(f"workdays.file.{code}", message, field="file")


# --- Parsing ------------------------------------------------------------------------------


def decode(content: bytes | str) -> str:
    if isinstance(content, str):
        return content
    if len(content) > MAX_FILE_BYTES:
        raise file_error(
            "too_large", _("The file is too large (at most %(size)s KB).") % {"size": MAX_FILE_BYTES // 1024}
        )
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise file_error("encoding", _("The file is not a text file in UTF-8."))


def parse_year_file(content: bytes | str, *, filename: str = "") -> YearFile:
    """Parse a CSV or JSON year file into rows; format errors raise a DomainError naming row and column."""
    text = decode(content)
    if EXAMPLE_MARKER in text:
        raise file_error(
            "example",
            _(
                "This is the example template, not an official calendar. Replace its rows with the "
                "State Council's notice and delete the EXAMPLE TEMPLATE line."
            ),
        )
    stripped = text.lstrip()
    if filename.lower().endswith(".json") or stripped.startswith(("{", "[")):
        result = _parse_json(stripped)
    else:
        result = _parse_csv(text)
    if not result.rows:
        raise file_error("empty", _("The file lists no days."))
    if len(result.rows) > MAX_ROWS:
        raise file_error("too_many_rows", _("A year has at most %(count)s days.") % {"count": MAX_ROWS})
    return result


def _parse_csv(text: str) -> YearFile:
    header: list[str] | None = None
    rows: list[YearRow] = []
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        cells = [cell.strip() for cell in next(csv.reader([line]))]
        if header is None:
            header = _read_header(cells, number)
            continue
        if len(cells) > len(header):
            raise row_error("columns", number, str(len(header) + 1), _("too many columns."))
        record = dict(zip(header, cells + [""] * (len(header) - len(cells)), strict=True))
        rows.append(_read_row(record, number))
    if header is None:
        raise file_error("empty", _("The file lists no days."))
    return YearFile(None, rows)


def _read_header(cells: list[str], number: int) -> list[str]:
    header = [cell.lstrip("\ufeff").lower() for cell in cells]
    for column in header:
        if column not in COLUMNS:
            raise row_error(
                "header",
                number,
                column or "?",
                _("unknown column; the header must be %(header)s.") % {"header": ",".join(COLUMNS)},
            )
    for required in ("date", "kind"):
        if required not in header:
            raise row_error(
                "header",
                number,
                required,
                _("missing; the header must be %(header)s.") % {"header": ",".join(COLUMNS)},
            )
    if len(set(header)) != len(header):
        raise row_error("header", number, ",".join(header), _("a column appears twice."))
    return header


def _parse_json(text: str) -> YearFile:
    try:
        data = json.loads(text)
    except ValueError as exc:
        raise file_error("json", _("The file is not valid JSON (line %(line)s).") % {"line": exc.lineno}) from None
    year = None
    if isinstance(data, dict):
        year = data.get("year")
        if year is not None and (isinstance(year, bool) or not isinstance(year, int)):
            raise row_error("year", None, "year", _("must be a whole number."))
        data = data.get("days")
    if not isinstance(data, list):
        raise file_error("json", _('The JSON must be a list of days or {"year": …, "days": […]}.'))
    rows = []
    for index, entry in enumerate(data, start=1):
        if not isinstance(entry, dict):
            raise row_error("row", index, "date", _("each day must be an object with date, kind and name."))
        unknown = sorted(set(entry) - set(COLUMNS))
        if unknown:
            raise row_error("columns", index, unknown[0], _("unknown field."))
        record = {key: "" if entry.get(key) is None else str(entry.get(key)).strip() for key in COLUMNS}
        rows.append(_read_row(record, index))
    return YearFile(year, rows)


def _read_row(record: dict[str, str], number: int) -> YearRow:
    day = parse_date(record.get("date", ""))
    if day is None:
        raise row_error(
            "date", number, "date", _("%(value)r is not a date like 2027-10-01.") % {"value": record.get("date", "")}
        )
    kind = KIND_ALIASES.get(record.get("kind", "").lower())
    if kind is None:
        raise row_error(
            "kind",
            number,
            "kind",
            _("%(value)r is not a kind of day; use holiday or makeup_workday.") % {"value": record.get("kind", "")},
        )
    return YearRow(day, str(kind), record.get("name", ""), number)


def parse_date(value: str) -> date | None:
    match = _DATE.match(value.strip())
    if not match:
        return None
    try:
        return date(*(int(part) for part in match.groups()))
    except ValueError:
        return None


# --- Checking a year's rows ---------------------------------------------------------------


def check_year_rows(year: int, rows: Iterable[YearRow]) -> list[YearRow]:
    """Everything a year's list must satisfy; the first problem raises a DomainError naming its row."""
    if isinstance(year, bool) or not isinstance(year, int) or not (MIN_YEAR <= year <= MAX_YEAR):
        raise DomainError(
            "workdays.year.out_of_range",
            _("The year must be between %(min)s and %(max)s.") % {"min": MIN_YEAR, "max": MAX_YEAR},
            field="year",
        )
    rows = list(rows)
    seen: dict[date, int | None] = {}
    for index, row in enumerate(rows, start=1):
        number = row.row if row.row is not None else index
        if row.kind not in DayKind.values:
            raise row_error(
                "kind",
                number,
                "kind",
                _("%(value)r is not a kind of day; use holiday or makeup_workday.") % {"value": row.kind},
            )
        if row.date.year != year:
            raise row_error(
                "outside_year",
                number,
                "date",
                _("%(date)s is not in %(year)s.") % {"date": row.date.isoformat(), "year": year},
            )
        if row.date in seen:
            raise row_error(
                "duplicate",
                number,
                "date",
                _("%(date)s is listed twice (first on row %(first)s).")
                % {"date": row.date.isoformat(), "first": seen[row.date]},
            )
        seen[row.date] = number
        if row.kind == DayKind.MAKEUP_WORKDAY and row.date.weekday() < 5:
            raise row_error(
                "makeup_on_weekday",
                number,
                "kind",
                _("%(date)s is a weekday; a make-up working day must fall on a Saturday or a Sunday.")
                % {"date": row.date.isoformat()},
            )
        if len(row.name) > NAME_MAX_LENGTH:
            raise row_error("name", number, "name", _("at most %(count)s characters.") % {"count": NAME_MAX_LENGTH})
    if not any(row.kind == DayKind.HOLIDAY for row in rows):
        raise file_error(
            "no_holiday", _("The list for %(year)s has no holiday; every year has official holidays.") % {"year": year}
        )
    return rows
