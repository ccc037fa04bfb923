"""Bulk writing: PostgreSQL ``COPY`` (psycopg 3) or batched ``executemany`` on SQLite, with explicit ids.

The generator hands out primary keys itself (so rows can point at each other without a round
trip) and moves each table's id sequence past them when the table is done. Rows are tuples of
Python values in the order of the columns named for the table; JSON columns take Python values.
SQLite takes raw batched inserts rather than ``bulk_create`` because ``bulk_create`` would
overwrite the generated ``created``/``modified`` times (``auto_now``) with the present moment.
"""

from __future__ import annotations

import json
import sys
import time
from contextlib import contextmanager

from django.db import connection, models

BATCH = 5_000


class Progress:
    """One line per phase on stderr: rows done, rows/s and the time left."""

    def __init__(self, stream=None, *, enabled: bool = True):
        self.stream = stream or sys.stderr
        self.enabled = enabled
        self.phase = ""
        self.total = 0
        self.done = 0
        self.started = 0.0
        self.last_shown = 0.0
        self.timings: dict[str, tuple[int, float]] = {}

    def start(self, phase: str, total: int) -> None:
        self.phase, self.total, self.done = phase, max(total, 1), 0
        self.started = self.last_shown = time.monotonic()
        self._show()

    def add(self, rows: int) -> None:
        self.done += rows
        now = time.monotonic()
        if now - self.last_shown >= 0.5:
            self.last_shown = now
            self._show()

    def finish(self) -> None:
        elapsed = time.monotonic() - self.started
        self.timings[self.phase] = (self.done, elapsed)
        self._show(final=True)

    def _show(self, final: bool = False) -> None:
        if not self.enabled:
            return
        elapsed = max(time.monotonic() - self.started, 1e-6)
        rate = self.done / elapsed
        if final:
            tail = f"done in {elapsed:6.1f} s"
        else:
            left = (self.total - self.done) / rate if rate > 0 else 0
            tail = f"ETA {int(left) // 60:d}:{int(left) % 60:02d}"
        share = min(100, 100 * self.done // self.total)
        line = f"{self.phase:<22} {self.done:>11,}/{self.total:<11,} {share:3d}% {rate:>9,.0f} rows/s  {tail}"
        self.stream.write(("\r" + line + "\n") if final else ("\r" + line))
        self.stream.flush()


class Sink:
    """Hands out ids per model and writes rows in bulk. PostgreSQL runs one COPY at a time on a
    connection: no other query (nor a second ``table``) may run inside a ``table`` block."""

    def __init__(self, progress: Progress):
        self.progress = progress
        self.postgres = connection.vendor == "postgresql"
        self._next: dict[type, int] = {}

    def ids(self, model: type[models.Model], count: int) -> int:
        """Reserve ``count`` ids for ``model``; returns the first."""
        if model not in self._next:
            self._next[model] = (model._base_manager.aggregate(top=models.Max("pk"))["top"] or 0) + 1
        first = self._next[model]
        self._next[model] = first + count
        return first

    @contextmanager
    def table(self, model: type[models.Model], columns: list[str]):
        """Yield ``put(row)``; rows are written in batches of BATCH and when the block ends."""
        fields = [model._meta.get_field(name) for name in columns]
        json_at = [i for i, f in enumerate(fields) if isinstance(f, models.JSONField)]
        table = model._meta.db_table
        names = ", ".join(connection.ops.quote_name(f.column) for f in fields)
        buffer: list[tuple] = []
        with connection.cursor() as cursor:
            if self.postgres:
                with cursor.cursor.copy(f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN") as copy:
                    write = copy.write_row

                    def flush():
                        if json_at:
                            for row in buffer:
                                row = list(row)
                                for i in json_at:
                                    if row[i] is not None:
                                        row[i] = json.dumps(row[i], ensure_ascii=False)
                                write(row)
                        else:
                            for row in buffer:
                                write(row)
                        self.progress.add(len(buffer))
                        buffer.clear()

                    yield _Putter(buffer, flush)
                    flush()
            else:
                marks = ", ".join(["%s"] * len(fields))
                sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608 (table and column names from the model)

                def flush():
                    prepared = [
                        [f.get_db_prep_save(v, connection) for f, v in zip(fields, row, strict=True)] for row in buffer
                    ]
                    cursor.executemany(sql, prepared)
                    self.progress.add(len(buffer))
                    buffer.clear()

                yield _Putter(buffer, flush)
                flush()
            if self.postgres:
                pk = model._meta.pk.column
                cursor.execute(
                    f"SELECT setval(pg_get_serial_sequence(%s, %s), COALESCE((SELECT MAX({pk}) FROM {table}), 1))",  # noqa: S608
                    [table, pk],
                )


class _Putter:
    __slots__ = ("buffer", "flush")

    def __init__(self, buffer: list, flush):
        self.buffer = buffer
        self.flush = flush

    def __call__(self, row: tuple) -> None:
        self.buffer.append(row)
        if len(self.buffer) >= BATCH:
            self.flush()
