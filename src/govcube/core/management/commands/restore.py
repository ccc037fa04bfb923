"""``manage.py restore PATH [--yes] [--record FILE]``: restore a backup into an empty database and prove it."""

from __future__ import annotations

import json
from datetime import datetime
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone
from django.utils.translation import gettext as _

from govcube.core.backup import (
    BackupError,
    RestoreRecord,
    backup_open,
    describe_database,
    restore_run,
    restore_target_check,
)

SHOWN_PROBLEMS = 20


def _when(value: datetime | str | None) -> str:
    if isinstance(value, str):
        try:
            value = datetime.fromisoformat(value)
        except ValueError:
            return value
    return timezone.localtime(value).strftime("%Y-%m-%d %H:%M:%S") if value else "-"


class Command(BaseCommand):
    help = (
        "Restore a backup written by `manage.py backup` into the configured database, which must be empty; "
        "then migrate, verify the audit chain, compare row counts with the manifest and print the restore record."
    )

    def add_arguments(self, parser):
        parser.add_argument("path", type=Path, help="the dump file (its .manifest.json beside it)")
        parser.add_argument("--yes", action="store_true", help="do not ask for confirmation")
        parser.add_argument("--record", type=Path, help="also write the restore record as JSON to this file")

    def handle(self, *args, path: Path, yes: bool, record: Path | None, **options):
        try:
            backup = backup_open(path)
            restore_target_check()
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        if not yes and not self._confirm(path):
            raise CommandError(_("Restore cancelled."))
        try:
            result = restore_run(backup)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        self._print(result)
        if record is not None:
            record.write_text(json.dumps(result.as_dict(), indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        if not result.ok:
            raise CommandError(_("The restore failed its checks; see the restore record above."))

    def _confirm(self, path: Path) -> bool:
        question = _("Restore %(path)s into %(database)s? Type 'yes' to continue: ") % {
            "path": path,
            "database": describe_database(),
        }
        try:
            return input(question).strip().lower() == "yes"
        except EOFError:
            return False

    def _print(self, record: RestoreRecord) -> None:
        ok, failed = self.style.SUCCESS(_("OK")), self.style.ERROR(_("FAILED"))
        seconds = record.seconds
        lines = [
            _("Restore record"),
            _("  backup: %(path)s (made %(created)s, %(vendor)s)")
            % {"path": record.backup, "created": _when(record.backup_created), "vendor": record.vendor},
            _("  database: %(database)s") % {"database": record.database},
            _("  started: %(time)s") % {"time": _when(record.started)},
            _("  finished: %(time)s") % {"time": _when(record.finished)},
            _("  duration: %(total).1f s (restore %(restore).1f s, migrate %(migrate).1f s, checks %(checks).1f s)")
            % seconds,
            _("  dump checksum: %(result)s") % {"result": ok if record.checksum_ok else failed},
            _("  rows restored: %(restored)s of %(expected)s in %(tables)s tables: %(result)s")
            % {
                "restored": record.rows_restored,
                "expected": record.rows_expected,
                "tables": record.tables,
                "result": ok if record.counts_ok else failed,
            },
        ]
        lines += [
            _("    %(table)s: %(restored)s rows, the backup had %(expected)s") % mismatch
            for mismatch in record.count_mismatches
        ]
        lines.append(
            _("  migrations applied: %(migrations)s")
            % {"migrations": ", ".join(record.migrations_applied) or _("none needed")}
        )
        lines.append(
            _("  audit chain: %(result)s (%(events)s events verified, %(expected)s in the backup; head %(head)s)")
            % {
                "result": ok if record.audit_ok else failed,
                "events": record.audit_events,
                "expected": record.audit_expected_events,
                "head": _("as in the manifest") if record.audit_head_ok else _("differs from the manifest"),
            }
        )
        lines += [f"    {problem}" for problem in record.audit_problems[:SHOWN_PROBLEMS]]
        if record.audit_problem_count > SHOWN_PROBLEMS:
            lines.append(
                _("    … and %(count)s more problems") % {"count": record.audit_problem_count - SHOWN_PROBLEMS}
            )
        if record.error:
            lines.append(_("  error: %(error)s") % {"error": record.error})
        lines.append(_("  result: %(result)s") % {"result": ok if record.ok else failed})
        for line in lines:
            self.stdout.write(line)
