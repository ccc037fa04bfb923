"""Running one import: parse every row, check every row, then store all of them or the valid ones.

Mode ``all_or_nothing``: the rows are first checked by running the real upserts in short
transactions that are always rolled back (so the site is never locked for long and progress
can be shown); only if no row has an error are the changed rows written again, in one
transaction, which is rolled back as a whole if any row fails now. Mode ``valid_rows``: the
rows are written in short transactions, each row in its own savepoint; a bad row is rolled back
and reported, the others stay.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from govcube.core.errors import DomainError, PermissionDenied
from govcube.core.imports.handlers import CREATED, HANDLERS, UNCHANGED, UPDATED, Context, Handler, RowError
from govcube.core.imports.models import ERROR_CAP, ImportMode
from govcube.core.imports.parsers import CellError
from govcube.core.imports.specs import SPECS, RowSpec
from govcube.core.imports.workbook import HeaderMap, data_rows, header_row, match_header, open_sheet

CHUNK_SIZE = 200

ProgressCallback = Callable[[int, int], None]  # (rows checked, rows in all)


@dataclass
class ParsedRow:
    number: int  # the row number Excel shows
    values: dict
    present: frozenset[str]
    failed: bool = False
    outcome: str | None = None


@dataclass
class ErrorLog:
    """Every row's errors (for the report) and the first ERROR_CAP of them as a list (for the page)."""

    spec: RowSpec
    header: HeaderMap
    entries: list[dict] = field(default_factory=list)
    by_row: dict[int, list[str]] = field(default_factory=dict)

    def add(self, row: int, field_name: str | None, message: str) -> None:
        column = field_name if field_name in self.header.index else None
        header_text = self.header.text[column] if column else ""
        if len(self.entries) < ERROR_CAP:
            self.entries.append(
                {
                    "row": row,
                    "column": header_text,
                    "letter": self.header.letter(column) if column else "",
                    "message": message,
                }
            )
        self.by_row.setdefault(row, []).append(f"{header_text}: {message}" if header_text else message)

    @property
    def row_count(self) -> int:
        return len(self.by_row)


@dataclass
class Outcome:
    total: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    stored: bool = True
    errors: ErrorLog | None = None

    @property
    def error_rows(self) -> int:
        return self.errors.row_count if self.errors else 0


def _parse(spec: RowSpec, handler: Handler, header: HeaderMap, sheet, errors: ErrorLog) -> list[ParsedRow]:
    rows: list[ParsedRow] = []
    absent = {column.field: column.empty for column in spec.columns if column.field not in header.index}
    seen_keys: dict[tuple, int] = {}
    seen_objects: dict[object, tuple[int, tuple]] = {}
    readers = [(name, position, spec.column(name).read) for name, position in header.index.items()]
    for number, raw in data_rows(sheet, header.width):
        row = ParsedRow(number=number, values=dict(absent), present=header.fields)
        for name, position, read in readers:
            try:
                row.values[name] = read(raw[position])
            except CellError as exc:
                errors.add(number, name, exc.message)
                row.failed = True
        if not row.failed:
            try:
                handler.check(row.values, row.present)
                _check_repeats(handler, row, seen_keys, seen_objects)
            except RowError as exc:
                errors.add(number, exc.field, exc.message)
                row.failed = True
        rows.append(row)
    return rows


def _check_repeats(handler: Handler, row: ParsedRow, seen_keys: dict, seen_objects: dict) -> None:
    key = handler.key(row.values)
    if key in seen_keys:
        raise RowError(
            handler.key_field, _("This row repeats row %(row)d: the same record twice.") % {"row": seen_keys[key]}
        )
    seen_keys[key] = row.number
    consistency = handler.consistency(row.values)
    if consistency is not None:
        object_key, agreed = consistency
        first = seen_objects.setdefault(object_key, (row.number, agreed))
        if first[1] != agreed:
            raise RowError(
                handler.key_field,
                _("This row describes the same record as row %(row)d with different details.") % {"row": first[0]},
            )


def _apply_row(spec: RowSpec, handler: Handler, ctx: Context, row: ParsedRow, errors: ErrorLog) -> str | None:
    """Run one row's upsert in a savepoint; a failing row is rolled back and its error recorded."""
    try:
        with transaction.atomic():
            return handler.apply(ctx, row.values, row.present)
    except RowError as exc:
        errors.add(row.number, exc.field, exc.message)
    except PermissionDenied:
        errors.add(
            row.number, handler.key_field, _("You do not have permission to change this record or to add it here.")
        )
    except DomainError as exc:
        column = spec.column_for_error_field(exc.field)
        errors.add(row.number, column.field if column else None, exc.message)
    except IntegrityError:
        errors.add(row.number, None, _("This row conflicts with data changed at the same time; import the file again."))
    row.failed = True
    return None


def _run_chunk(spec, handler, ctx, rows: list[ParsedRow], errors: ErrorLog, *, keep: bool) -> None:
    with transaction.atomic():
        for row in rows:
            if not row.failed:
                row.outcome = _apply_row(spec, handler, ctx, row, errors)
        if not keep:
            transaction.set_rollback(True)


def _count(outcome: Outcome, rows: list[ParsedRow]) -> None:
    for row in rows:
        if row.failed:
            continue
        if row.outcome == CREATED:
            outcome.created += 1
        elif row.outcome == UPDATED:
            outcome.updated += 1
        elif row.outcome == UNCHANGED:
            outcome.unchanged += 1


def run(*, kind: str, mode: str, content: bytes, actor, progress: ProgressCallback | None = None) -> Outcome:
    """Import one workbook; a problem with the file itself raises DomainError (field "file")."""
    spec, handler = SPECS[kind], HANDLERS[kind]
    book, sheet = open_sheet(content)
    try:
        header = match_header(spec, header_row(sheet))
        errors = ErrorLog(spec=spec, header=header)
        rows = _parse(spec, handler, header, sheet, errors)
    finally:
        book.close()
    if not rows:
        raise DomainError("imports.file.no_rows", _("The worksheet has no rows below the header row."), field="file")
    report = progress or (lambda done, total: None)
    outcome = Outcome(total=len(rows), errors=errors)
    report(0, len(rows))
    ctx = Context(actor=actor)
    keep = mode == ImportMode.VALID_ROWS
    for start in range(0, len(rows), CHUNK_SIZE):
        chunk = rows[start : start + CHUNK_SIZE]
        _run_chunk(spec, handler, ctx, chunk, errors, keep=keep)
        report(start + len(chunk), len(rows))
    if not keep:
        if errors.row_count:
            outcome.stored = False
            return outcome
        _store_all(spec, handler, ctx, rows, errors)
        if errors.row_count:
            outcome.stored = False
            return outcome
    _count(outcome, rows)
    return outcome


def _store_all(spec, handler, ctx, rows: list[ParsedRow], errors: ErrorLog) -> None:
    """All or nothing: write the rows the check found changed, in one transaction."""
    with transaction.atomic():
        for row in rows:
            if row.outcome in (CREATED, UPDATED):
                row.outcome = _apply_row(spec, handler, ctx, row, errors)
        if errors.row_count:
            transaction.set_rollback(True)
