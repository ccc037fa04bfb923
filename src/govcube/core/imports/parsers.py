"""Strict cell parsers: a value comes back, or ``CellError`` with a translated reason.

Parsers see non-empty cells only (the column decides what an empty cell means). Excel hands
numbers over as int or float, dates as datetime; text typed into a cell arrives as str.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from govcube.directory.validators import normalise_uscc, validate_mobile, validate_uscc

Parser = Callable[[object], object]

ISO_DATE_RE = re.compile(r"^(\d{4})-(\d{2})-(\d{2})$")
ISO_MONTH_RE = re.compile(r"^(\d{4})-(\d{2})$")
TRUE_WORDS = {"是", "yes", "y", "true", "1", "✓", "√"}
FALSE_WORDS = {"否", "no", "n", "false", "0"}


class CellError(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.message = str(message)


def is_empty(value: object) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _integral_text(value: object) -> str | None:
    """An Excel number that is a whole number, as text (13812345678.0 → "13812345678")."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return None


def text(max_length: int) -> Parser:
    def parse(value: object) -> str:
        if isinstance(value, (datetime, date)):
            raise CellError(_("Enter text here, not a date."))
        result = _integral_text(value)
        if result is None:
            result = str(value).strip()
        if len(result) > max_length:
            raise CellError(
                _("Enter at most %(max)d characters (this cell has %(length)d).")
                % {"max": max_length, "length": len(result)}
            )
        return result

    return parse


def code(max_length: int) -> Parser:
    """A code typed or pasted as text or as a whole number; inner spaces are not allowed."""
    plain = text(max_length)

    def parse(value: object) -> str:
        result = plain(value)
        if any(ch.isspace() for ch in result):
            raise CellError(_("A code cannot contain spaces."))
        return result

    return parse


def uscc(value: object) -> str:
    if not isinstance(value, str):
        raise CellError(_("Enter the unified social credit code as text (18 characters)."))
    result = normalise_uscc(value).upper()
    try:
        validate_uscc(result)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return result


def mobile(value: object) -> str:
    result = _integral_text(value)
    if result is None:
        if not isinstance(value, str):
            raise CellError(_("Enter an 11-digit mainland mobile number starting with 1."))
        result = value.strip().replace(" ", "").replace("-", "")
    try:
        validate_mobile(result)
    except ValidationError as exc:
        raise CellError(exc.messages[0]) from None
    return result


def _as_date(value: object) -> date | None:
    if isinstance(value, datetime):
        if (value.hour, value.minute, value.second, value.microsecond) != (0, 0, 0, 0):
            return None
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, str):
        match = ISO_DATE_RE.match(value.strip())
        if match:
            try:
                return date(*(int(part) for part in match.groups()))
            except ValueError:
                return None
    return None


def parse_date(value: object) -> date:
    result = _as_date(value)
    if result is None:
        raise CellError(_("Enter a date as an Excel date or as YYYY-MM-DD (for example 2025-03-01)."))
    return result


def parse_month(value: object) -> date:
    """A month: an Excel date, YYYY-MM-DD or YYYY-MM; stored as its first day."""
    if isinstance(value, str):
        match = ISO_MONTH_RE.match(value.strip())
        if match:
            year, month = (int(part) for part in match.groups())
            if 1 <= month <= 12:
                return date(year, month, 1)
    result = _as_date(value)
    if result is None:
        raise CellError(_("Enter a month as an Excel date, YYYY-MM or YYYY-MM-DD (for example 2025-03)."))
    return result.replace(day=1)


def number(*, max_places: int, minimum: Decimal | None = None, maximum: Decimal | None = None) -> Parser:
    def parse(value: object) -> Decimal:
        if isinstance(value, (bool, datetime, date)):
            raise CellError(_("Enter a number."))
        try:
            if isinstance(value, float):
                number = Decimal(repr(value))
            elif isinstance(value, int):
                number = Decimal(value)
            else:
                number = Decimal(str(value).strip().replace(",", ""))
        except InvalidOperation:
            raise CellError(_("Enter a number.")) from None
        if not number.is_finite():
            raise CellError(_("Enter a number."))
        exponent = number.normalize().as_tuple().exponent
        if isinstance(exponent, int) and -exponent > max_places:
            raise CellError(_("Enter at most %(places)d decimal places.") % {"places": max_places})
        if minimum is not None and number < minimum:
            raise CellError(_("Enter a number of at least %(min)s.") % {"min": minimum})
        if maximum is not None and number > maximum:
            raise CellError(_("Enter a number of at most %(max)s.") % {"max": maximum})
        return number

    return parse


def whole_number(*, minimum: int = 0, maximum: int | None = None) -> Parser:
    def parse(value: object) -> int:
        result = _integral_text(value)
        if result is None and isinstance(value, str) and re.fullmatch(r"-?\d+", value.strip()):
            result = value.strip()
        if result is None:
            raise CellError(_("Enter a whole number."))
        number = int(result)
        if number < minimum:
            raise CellError(_("Enter a whole number of at least %(min)d.") % {"min": minimum})
        if maximum is not None and number > maximum:
            raise CellError(_("Enter a whole number of at most %(max)d.") % {"max": maximum})
        return number

    return parse


def boolean(value: object) -> bool:
    if isinstance(value, bool):
        return value
    if isinstance(value, (int, float)) and value in (0, 1):
        return bool(value)
    word = str(value).strip().lower()
    if word in TRUE_WORDS:
        return True
    if word in FALSE_WORDS:
        return False
    raise CellError(_("Enter 是 or 否 (yes or no, 1 or 0)."))
