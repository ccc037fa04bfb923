"""``manage.py backup [--output PATH] [--media]``: a dump of the database with its manifest."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from govcube.core.backup import BackupError, backup_create


def _size(n: int) -> str:
    return f"{n / 1024 / 1024:.1f} MB" if n >= 1024 * 1024 else f"{n / 1024:.1f} KB"


class Command(BaseCommand):
    help = (
        "Back up the database while the application runs: PostgreSQL with pg_dump (custom format), SQLite with "
        "its online backup API; beside the dump a manifest (migration state, row counts, audit chain head)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--output",
            type=Path,
            help="the dump file to write (default: var/backups/govcube-<time>.dump, or .sqlite3 on SQLite)",
        )
        parser.add_argument("--media", action="store_true", help="also archive MEDIA_ROOT as <output>.media.tar.gz")

    def handle(self, *args, output: Path | None, media: bool, **options):
        try:
            result = backup_create(output=output, media=media)
        except BackupError as exc:
            raise CommandError(str(exc)) from None
        manifest = result.manifest
        self.stdout.write(self.style.SUCCESS(_("Backup written in %(seconds).1f s.") % {"seconds": result.seconds}))
        self.stdout.write(
            _("  dump: %(path)s (%(size)s; %(rows)s rows in %(tables)s tables)")
            % {
                "path": result.dump,
                "size": _size(manifest["dump"]["bytes"]),
                "rows": manifest["rows"],
                "tables": len(manifest["tables"]),
            }
        )
        self.stdout.write(_("  manifest: %(path)s") % {"path": result.manifest_file})
        if result.media_file is not None:
            self.stdout.write(
                _("  media: %(path)s (%(files)s files, %(size)s)")
                % {
                    "path": result.media_file,
                    "files": manifest["media"]["files"],
                    "size": _size(manifest["media"]["bytes"]),
                }
            )
        audit = manifest["audit"]
        self.stdout.write(
            _("  audit trail: %(events)s events, last event %(id)s")
            % {"events": audit["events"], "id": audit["last_id"] if audit["last_id"] is not None else "-"}
        )
