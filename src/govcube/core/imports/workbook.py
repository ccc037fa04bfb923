"""Reading uploaded workbooks safely, matching their header row, and writing workbooks back
(the per-kind template and the error report)."""

from __future__ import annotations

import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime
from io import BytesIO

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from govcube.core.errors import DomainError
from govcube.core.imports.specs import ERROR_HEADERS, RowSpec, normalise_header

MAX_ROWS = 50_000
MAX_COLUMNS = 200
# An xlsx is a zip: refuse workbooks that unpack to far more than any real one (zip bombs).
UNPACK_FACTOR = 30
ZIP_SIGNATURE = b"PK\x03\x04"
OLE_SIGNATURE = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"  # .xls, and password-protected workbooks
XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _file_error(code: str, message: str) -> DomainError:
    return DomainError(f"imports.file.{code}", message, field="file")


def check_bytes(content: bytes) -> None:
    """Size, signature and zip structure, before openpyxl sees the file."""
    limit = settings.GOVCUBE_MAX_IMPORT_BYTES
    if len(content) > limit:
        raise _file_error(
            "too_large",
            _("The file is larger than %(limit)s; split it into smaller files.") % {"limit": filesizeformat(limit)},
        )
    if not content:
        raise _file_error("empty", _("The file is empty."))
    if content.startswith(OLE_SIGNATURE):
        raise _file_error(
            "old_format",
            _(
                "This is an old .xls workbook or a password-protected one; open it in Excel and save it "
                "as an unprotected Excel workbook (.xlsx)."
            ),
        )
    if not content.startswith(ZIP_SIGNATURE):
        raise _file_error("not_xlsx", _("The file is not an Excel workbook (.xlsx)."))
    try:
        with zipfile.ZipFile(BytesIO(content)) as archive:
            names = set(archive.namelist())
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError):
        raise _file_error("not_xlsx", _("The file is not an Excel workbook (.xlsx).")) from None
    if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
        raise _file_error("not_xlsx", _("The file is not an Excel workbook (.xlsx)."))
    if unpacked > UNPACK_FACTOR * limit:
        raise _file_error("too_large", _("The workbook is too large once unpacked; split it into smaller files."))


def open_sheet(content: bytes):
    """The first worksheet of a checked upload, opened read-only (values, not formulas)."""
    check_bytes(content)
    try:
        book = load_workbook(BytesIO(content), read_only=True, data_only=True)
    except Exception:  # openpyxl raises many kinds of errors for damaged files
        raise _file_error(
            "unreadable", _("The workbook cannot be read; open it in Excel, save it again as .xlsx and retry.")
        ) from None
    if not book.worksheets:
        raise _file_error("empty", _("The workbook has no worksheet."))
    return book, book.worksheets[0]


@dataclass(frozen=True)
class HeaderMap:
    """Where each known column sits in the file, and the header text the user wrote for it."""

    index: dict[str, int]  # field → 0-based column index
    text: dict[str, str]  # field → header as written in the file
    width: int  # columns to read

    @property
    def fields(self) -> frozenset[str]:
        return frozenset(self.index)

    def letter(self, field: str) -> str:
        return get_column_letter(self.index[field] + 1)


def header_row(sheet) -> tuple:
    for row in sheet.iter_rows(min_row=1, max_row=1, max_col=MAX_COLUMNS, values_only=True):
        return tuple(row)
    return ()


def match_header(spec: RowSpec, raw: tuple) -> HeaderMap:
    """Map the header row onto the spec; every problem is named in one error before any row is read."""
    by_name = {name: column for column in spec.columns for name in column.names}
    index: dict[str, int] = {}
    text: dict[str, str] = {}
    unknown: list[str] = []
    repeated: list[str] = []
    width = 0
    for position, cell in enumerate(raw):
        name = normalise_header(cell)
        if not name:
            continue
        if name in ERROR_HEADERS:
            continue
        column = by_name.get(name)
        if column is None:
            unknown.append(str(cell).strip())
            continue
        if column.field in index:
            repeated.append(str(cell).strip())
            continue
        index[column.field] = position
        text[column.field] = str(cell).strip()
        width = max(width, position + 1)
    missing = [column.label for column in spec.columns if column.header_must_be_present and column.field not in index]
    problems = []
    if missing:
        problems.append(_("Missing columns: %(columns)s.") % {"columns": "、".join(missing)})
    if unknown:
        problems.append(_("Unknown columns: %(columns)s.") % {"columns": "、".join(unknown)})
    if repeated:
        problems.append(_("Columns given twice: %(columns)s.") % {"columns": "、".join(repeated)})
    if problems:
        intro = _("The first row of the first worksheet must hold the column headers of the %(kind)s template.") % {
            "kind": spec.title
        }
        raise DomainError("imports.header.invalid", " ".join([intro, *problems]), field="file")
    return HeaderMap(index=index, text=text, width=width)


def data_rows(sheet, width: int) -> Iterator[tuple[int, tuple]]:
    """(Excel row number, values) of every non-empty row below the header; refuses more than MAX_ROWS."""
    count = 0
    for number, values in enumerate(sheet.iter_rows(min_row=2, max_col=width, values_only=True), start=2):
        if all(value is None or (isinstance(value, str) and not value.strip()) for value in values):
            continue
        count += 1
        if count > MAX_ROWS:
            raise _file_error(
                "too_many_rows",
                _("The worksheet has more than %(max)s rows; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
            )
        yield number, tuple(values) + (None,) * (width - len(values))


def inspect_upload(spec: RowSpec, content: bytes) -> HeaderMap:
    """Everything that can be checked at once when a file is uploaded: the file itself and its header row."""
    book, sheet = open_sheet(content)
    try:
        rows = sheet.max_row
        if rows is not None and rows - 1 > MAX_ROWS * 2:
            # The sheet's own dimension says it is far too big; empty rows are not counted later, hence the margin.
            raise _file_error(
                "too_many_rows",
                _("The worksheet has more than %(max)s rows; split it into smaller files.") % {"max": f"{MAX_ROWS:,}"},
            )
        return match_header(spec, header_row(sheet))
    finally:
        book.close()


# --- Writing --------------------------------------------------------------------------


def _to_bytes(book: Workbook) -> bytes:
    buffer = BytesIO()
    book.save(buffer)
    return buffer.getvalue()


def template_workbook(spec: RowSpec) -> bytes:
    """The template: Chinese headers and one example row on the first sheet, the columns explained on the second."""
    book = Workbook()
    sheet = book.active
    sheet.title = spec.sheet_title
    bold = Font(bold=True)
    for position, column in enumerate(spec.columns, start=1):
        letter = get_column_letter(position)
        header = sheet.cell(row=1, column=position, value=column.zh)
        header.font = bold
        example = sheet.cell(row=2, column=position, value=column.example)
        if isinstance(column.example, date):
            example.number_format = "yyyy-mm-dd"
        if column.as_text:
            sheet.column_dimensions[letter].number_format = "@"
            example.number_format = "@"
        sheet.column_dimensions[letter].width = max(12, len(column.zh) * 2 + 4)
    sheet.freeze_panes = "A2"

    notes = book.create_sheet(_("Instructions")[:31])
    notes.append([_("Column"), _("English header"), _("Required"), _("What to enter")])
    for cell in notes[1]:
        cell.font = bold
    for column in spec.columns:
        required = _("Yes") if column.required else (_("See description") if column.header_required else _("No"))
        notes.append([column.zh, column.en, required, str(column.help)])
    notes.append([])
    notes.append([_("Replace the example row with your data. Row 1 must keep the headers.")])
    for note in spec.notes:
        notes.append([str(note)])
    notes.append([_("Dates: an Excel date or YYYY-MM-DD. Yes/no: 是/否, yes/no or 1/0.")])
    notes.column_dimensions["A"].width = 24
    notes.column_dimensions["B"].width = 24
    notes.column_dimensions["C"].width = 12
    notes.column_dimensions["D"].width = 90
    return _to_bytes(book)


def _report_cell(sheet, value):
    cell = WriteOnlyCell(sheet, value=value)
    if isinstance(value, str) and value.startswith("="):
        cell.data_type = "s"  # keep text that looks like a formula as text
    elif isinstance(value, datetime) and (value.hour, value.minute, value.second) == (0, 0, 0):
        cell.number_format = "yyyy-mm-dd"
    return cell


def error_report(content: bytes, *, errors_by_row: dict[int, list[str]], error_header: str) -> bytes:
    """The uploaded rows as they were, at the same row numbers, with the row's errors in a last column."""
    book, source = open_sheet(content)
    try:
        header = list(header_row(source))
        while header and (header[-1] is None or not str(header[-1]).strip()):
            header.pop()
        kept = [position for position, cell in enumerate(header) if normalise_header(cell) not in ERROR_HEADERS]
        width = max(kept) + 1 if kept else 0
        out = Workbook(write_only=True)
        sheet = out.create_sheet(source.title[:31] or "Sheet1")
        bold_header = [WriteOnlyCell(sheet, value=header[position]) for position in kept]
        error_cell = WriteOnlyCell(sheet, value=error_header)
        for cell in [*bold_header, error_cell]:
            cell.font = Font(bold=True)
        sheet.append([*bold_header, error_cell])
        for number, values in enumerate(source.iter_rows(min_row=2, max_col=max(width, 1), values_only=True), start=2):
            cells = [_report_cell(sheet, values[position] if position < len(values) else None) for position in kept]
            sheet.append([*cells, "；".join(errors_by_row.get(number, []))])
        return _to_bytes(out)
    finally:
        book.close()
