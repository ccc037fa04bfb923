"""Backup and restore of the database (``manage.py backup`` / ``manage.py restore``).

A backup is up to three files side by side:

- the dump: PostgreSQL's custom format (``pg_dump --format=custom``), or on SQLite a copy made with
  SQLite's online backup API; both are consistent snapshots taken while the application runs;
- ``<dump>.manifest.json``: what the dump holds — the migration state, the row count of every model's
  table and the audit chain's head, read from the same snapshot — and the dump's SHA-256;
- with ``--media``, ``<dump>.media.tar.gz``: the uploaded files under MEDIA_ROOT.

A restore goes only into an empty database, brings the schema forward with ``migrate``, then checks
what it got back against the manifest (row counts, the audit chain and its head) and returns a restore
record — start, end, duration, rows, checks — the record MLPS level 3 asks of a restore drill.
"""

from __future__ import annotations

import hashlib
import json
import logging
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import time
from collections.abc import Callable
from contextlib import closing
from dataclasses import asdict, dataclass, field
from datetime import datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.core.management import call_command
from django.db import connection, transaction
from django.db.migrations.loader import MigrationLoader
from django.db.migrations.recorder import MigrationRecorder
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = "govcube-backup"
FORMAT_VERSION = 1
MANIFEST_SUFFIX = ".manifest.json"
MEDIA_SUFFIX = ".media.tar.gz"
DUMP_SUFFIXES = {"postgresql": ".dump", "sqlite": ".sqlite3"}
AUDIT_TABLE = "audit_auditevent"
MIGRATIONS_TABLE = "django_migrations"
MAX_PROBLEMS = 1000  # audit problems kept in a restore record
MANIFEST_KEYS = {"vendor", "created", "dump", "migrations", "tables", "audit"}

logger = logging.getLogger(__name__)


class BackupError(Exception):
    """A backup or restore cannot go on; the (translated) message says why."""


def manifest_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MANIFEST_SUFFIX)


def media_archive_path(dump: Path) -> Path:
    return dump.with_name(dump.name + MEDIA_SUFFIX)


# --- What a database holds ----------------------------------------------------------------------


@dataclass
class DatabaseState:
    tables: dict[str, int]  # row count per existing table
    migrations: dict[str, str]  # app label -> latest applied migration
    audit_head: dict | None  # {"id", "hash"} of the last audit event


def model_tables() -> list[str]:
    """The tables of every installed model, many-to-many tables included."""
    tables = set()
    for model in apps.get_models(include_auto_created=True):
        if model._meta.managed and not model._meta.proxy:
            tables.add(model._meta.db_table)
    return sorted(tables)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def read_state(cursor, existing: set[str], tables: list[str] | None = None) -> DatabaseState:
    """Count rows and read the migration state and audit head through any DB-API cursor."""
    counts = {}
    for table in tables if tables is not None else model_tables():
        if table in existing:
            cursor.execute(f"SELECT COUNT(*) FROM {_quote(table)}")  # noqa: S608 -- a model's table name
            counts[table] = cursor.fetchone()[0]
    migrations = {}
    if MIGRATIONS_TABLE in existing:
        cursor.execute("SELECT app, name FROM django_migrations ORDER BY id")
        for app, name in cursor.fetchall():
            migrations[app] = name
    head = None
    if AUDIT_TABLE in existing:
        cursor.execute("SELECT id, hash FROM audit_auditevent ORDER BY id DESC LIMIT 1")
        row = cursor.fetchone()
        if row is not None:
            head = {"id": row[0], "hash": row[1]}
    return DatabaseState(counts, migrations, head)


def _django_tables(cursor) -> set[str]:
    return set(connection.introspection.table_names(cursor))


def _sqlite_tables(cursor) -> set[str]:
    cursor.execute("SELECT name FROM sqlite_master WHERE type = 'table'")
    return {row[0] for row in cursor.fetchall()}


def tables_of_ours() -> list[str]:
    """GovCube's tables (and Django's migration table) present in the configured database."""
    with connection.cursor() as cursor:
        existing = _django_tables(cursor)
    return sorted(existing & (set(model_tables()) | {MIGRATIONS_TABLE}))


def _vendor() -> str:
    if connection.vendor not in DUMP_SUFFIXES:
        raise BackupError(_("Backups support PostgreSQL and SQLite, not %(vendor)s.") % {"vendor": connection.vendor})
    return connection.vendor


def describe_database() -> str:
    config = connection.settings_dict
    if connection.vendor == "sqlite":
        return str(config["NAME"])
    return f"{config['NAME']} @ {config.get('HOST') or 'localhost'}:{config.get('PORT') or 5432}"


# --- Files --------------------------------------------------------------------------------------


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def _file_facts(path: Path) -> dict:
    return {"file": path.name, "bytes": path.stat().st_size, "sha256": _sha256(path)}


def _write_atomically(final: Path, write: Callable[[Path], object]):
    """Write through a private (0600) temporary file renamed into place: no half-written backup."""
    fd, name = tempfile.mkstemp(prefix=f".{final.name}.", suffix=".partial", dir=final.parent)
    os.close(fd)
    temporary = Path(name)
    try:
        result = write(temporary)
        os.replace(temporary, final)
        return result
    finally:
        temporary.unlink(missing_ok=True)


# --- Database clients ---------------------------------------------------------------------------


def _sqlite_file(*, must_exist: bool) -> Path:
    name = str(connection.settings_dict["NAME"] or "")
    if not name or name == ":memory:" or "mode=memory" in name:
        raise BackupError(_("The configured SQLite database is in memory; there is no file to back up or restore."))
    path = Path(name)
    if must_exist and not path.is_file():
        raise BackupError(_("The SQLite database %(path)s does not exist.") % {"path": path})
    return path


def _pg_program(program: str) -> str:
    found = shutil.which(program)
    if found is None:
        raise BackupError(
            _("%(program)s was not found: install the PostgreSQL client tools of the server's major version.")
            % {"program": program}
        )
    return found


def _pg_connection() -> tuple[list[str], dict[str, str]]:
    """pg_dump/pg_restore connection options; the password travels in the environment only."""
    config = connection.settings_dict
    if not config.get("NAME"):
        raise BackupError(_("The database settings name no database."))
    args = [
        f"--{option}={config[key]}"
        for option, key in (("host", "HOST"), ("port", "PORT"), ("username", "USER"))
        if config.get(key)
    ]
    args.append(f"--dbname={config['NAME']}")
    env = dict(os.environ)
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    options = config.get("OPTIONS") or {}
    for key, variable in (
        ("sslmode", "PGSSLMODE"),
        ("sslrootcert", "PGSSLROOTCERT"),
        ("sslcert", "PGSSLCERT"),
        ("sslkey", "PGSSLKEY"),
        ("passfile", "PGPASSFILE"),
    ):
        if options.get(key):
            env[variable] = str(options[key])
    return args, env


def _run(args: list[str], env: dict[str, str]) -> None:
    result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603 -- our arguments
    if result.returncode != 0:
        raise BackupError(
            _("%(program)s failed (exit status %(status)s): %(error)s")
            % {"program": Path(args[0]).name, "status": result.returncode, "error": result.stderr.strip()[-2000:]}
        )


# --- Backup -------------------------------------------------------------------------------------


def _dump_postgresql(target: Path) -> DatabaseState:
    """pg_dump from a snapshot exported by our own transaction, so the manifest describes the dump."""
    pg_dump = _pg_program("pg_dump")
    args, env = _pg_connection()
    if connection.in_atomic_block:
        raise BackupError(_("A backup cannot run inside a transaction."))
    connection.ensure_connection()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
        cursor.execute("SELECT pg_export_snapshot()")
        snapshot = cursor.fetchone()[0]
        _run([pg_dump, "--format=custom", f"--file={target}", f"--snapshot={snapshot}", *args], env)
        return read_state(cursor, _django_tables(cursor))


def _dump_sqlite(target: Path) -> DatabaseState:
    """SQLite's online backup: a consistent copy while the application keeps writing."""
    source_path = _sqlite_file(must_exist=True)
    with closing(sqlite3.connect(source_path, timeout=20)) as source, closing(sqlite3.connect(target)) as copy:
        source.backup(copy)
        copy.execute("PRAGMA journal_mode=DELETE")  # one self-contained file, no -wal beside it
        cursor = copy.cursor()
        return read_state(cursor, _sqlite_tables(cursor))


def _archive_media(target: Path) -> dict:
    root = Path(settings.MEDIA_ROOT)
    files = 0
    with tarfile.open(target, "w:gz") as tar:
        if root.is_dir():
            for path in sorted(root.rglob("*")):
                tar.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
                files += path.is_file()
    return {"files": files}


def default_output(created: datetime, vendor: str) -> Path:
    stamp = timezone.localtime(created).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"govcube-{stamp}{DUMP_SUFFIXES[vendor]}"


@dataclass
class BackupResult:
    dump: Path
    manifest_file: Path
    media_file: Path | None
    manifest: dict
    seconds: float


def backup_create(*, output: Path | None = None, media: bool = False) -> BackupResult:
    """Write the dump, then the media archive, then the manifest (its presence marks a whole backup)."""
    started = time.monotonic()
    created = timezone.now()
    vendor = _vendor()
    dump = Path(output) if output else default_output(created, vendor)
    media_file = media_archive_path(dump) if media else None
    for path in (dump, manifest_path(dump), media_file):
        if path is not None and path.exists():
            raise BackupError(_("%(path)s already exists; choose another --output.") % {"path": path})
    dump.parent.mkdir(parents=True, exist_ok=True)

    dumper = _dump_postgresql if vendor == "postgresql" else _dump_sqlite
    state: DatabaseState = _write_atomically(dump, dumper)
    media_facts = None
    if media_file is not None:
        media_facts = _write_atomically(media_file, _archive_media) | _file_facts(media_file)

    manifest = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "vendor": vendor,
        "created": timezone.localtime(created).isoformat(timespec="seconds"),
        "database": describe_database(),
        "dump": _file_facts(dump),
        "media": media_facts,
        "migrations": state.migrations,
        "tables": state.tables,
        "rows": sum(state.tables.values()),
        "audit": {
            "events": state.tables.get(AUDIT_TABLE, 0),
            "last_id": state.audit_head["id"] if state.audit_head else None,
            "last_hash": state.audit_head["hash"] if state.audit_head else None,
        },
    }
    manifest["seconds"] = round(time.monotonic() - started, 3)
    text = json.dumps(manifest, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    _write_atomically(manifest_path(dump), lambda path: path.write_text(text, encoding="utf-8"))
    return BackupResult(dump, manifest_path(dump), media_file, manifest, manifest["seconds"])


# --- Restore ------------------------------------------------------------------------------------


@dataclass
class Backup:
    dump: Path
    manifest: dict


def _check_migrations_known(migrations: dict[str, str]) -> None:
    """Refuse a dump from a newer release: this code could not bring it forward."""
    loader = MigrationLoader(None, ignore_no_migrations=True)
    known = set(loader.disk_migrations)
    for replaced in loader.replacements.values():
        known.update(replaced.replaces)
    installed = {config.label for config in apps.get_app_configs()}
    newer = sorted(f"{app}.{name}" for app, name in migrations.items() if app in installed and (app, name) not in known)
    if newer:
        raise BackupError(
            _(
                "The backup comes from a newer GovCube release (unknown migrations: %(migrations)s); "
                "restore it with that release."
            )
            % {"migrations": ", ".join(newer)}
        )


def backup_open(path: Path) -> Backup:
    """Read and check a backup's manifest before anything is written."""
    dump, manifest_file = Path(path), manifest_path(Path(path))
    if not dump.is_file():
        raise BackupError(_("There is no backup file at %(path)s.") % {"path": dump})
    if not manifest_file.is_file():
        raise BackupError(
            _("The manifest %(path)s is missing; a backup is complete only with its manifest.")
            % {"path": manifest_file}
        )
    try:
        manifest = json.loads(manifest_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        manifest = None
    if (
        not isinstance(manifest, dict)
        or (manifest.get("format"), manifest.get("format_version")) != (FORMAT, FORMAT_VERSION)
        or not MANIFEST_KEYS.issubset(manifest)
    ):
        raise BackupError(_("%(path)s is not a GovCube backup manifest of a known version.") % {"path": manifest_file})
    if manifest["vendor"] != _vendor():
        raise BackupError(
            _("This is a %(backup)s backup; the configured database is %(database)s.")
            % {"backup": manifest["vendor"], "database": connection.vendor}
        )
    _check_migrations_known(manifest["migrations"])
    return Backup(dump, manifest)


def restore_target_check() -> None:
    """A restore goes only into an empty database; there is deliberately no way to force it."""
    found = tables_of_ours()
    if found:
        raise BackupError(
            _(
                "The database %(database)s is not empty (%(count)s GovCube tables, e.g. %(example)s). A restore goes "
                "only into an empty database: an operator drops and re-creates it first (PostgreSQL: dropdb and "
                "createdb; SQLite: a new file in DATABASE_URL), then runs the restore again."
            )
            % {"database": describe_database(), "count": len(found), "example": found[0]}
        )


def _restore_postgresql(dump: Path) -> None:
    """pg_restore into the empty database in one transaction (a failure leaves it empty).

    The audit table's trigger refuses UPDATE and DELETE only, and pg_restore loads rows with COPY
    (inserts) before it creates triggers; with no --clean nothing is deleted, so it never fires.
    """
    pg_restore = _pg_program("pg_restore")
    args, env = _pg_connection()
    connection.close()  # hold no transaction or lock of ours while pg_restore works
    _run(
        [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction", *args, str(dump)],
        env,
    )


def _restore_sqlite(dump: Path) -> None:
    """Copy the dump page by page into the configured file with SQLite's backup API."""
    target_path = _sqlite_file(must_exist=False)
    connection.close()
    source_uri = dump.resolve().as_uri() + "?mode=ro"
    with closing(sqlite3.connect(source_uri, uri=True)) as source, closing(sqlite3.connect(target_path)) as target:
        source.backup(target)


@dataclass
class RestoreRecord:
    backup: str
    backup_created: str
    vendor: str
    database: str
    started: datetime
    finished: datetime | None = None
    seconds: dict[str, float] = field(default_factory=dict)
    error: str = ""
    checksum_ok: bool = False
    tables: int = 0
    rows_expected: int = 0
    rows_restored: int = 0
    count_mismatches: list[dict] = field(default_factory=list)
    migrations_applied: list[str] = field(default_factory=list)
    audit_events: int = 0
    audit_expected_events: int = 0
    audit_problems: list[str] = field(default_factory=list)  # the first MAX_PROBLEMS
    audit_problem_count: int = 0
    audit_head_ok: bool = False

    @property
    def counts_ok(self) -> bool:
        return not self.error and not self.count_mismatches

    @property
    def audit_ok(self) -> bool:
        return not self.error and not self.audit_problems and self.audit_head_ok

    @property
    def ok(self) -> bool:
        return self.checksum_ok and self.counts_ok and self.audit_ok

    def as_dict(self) -> dict:
        data = asdict(self)
        data["started"] = timezone.localtime(self.started).isoformat(timespec="seconds")
        data["finished"] = timezone.localtime(self.finished).isoformat(timespec="seconds") if self.finished else None
        data.update(counts_ok=self.counts_ok, audit_ok=self.audit_ok, ok=self.ok)
        return data


def _check_checksum(record: RestoreRecord, backup: Backup) -> None:
    record.checksum_ok = _sha256(backup.dump) == backup.manifest["dump"]["sha256"]


def _compare_counts(record: RestoreRecord, expected: dict[str, int]) -> None:
    """Counted right after the data came back, before migrate: what the dump held, nothing else.
    A table the backup did not have counts 0 on both sides."""
    tables = sorted(set(model_tables()) | set(expected))
    with connection.cursor() as cursor:
        state = read_state(cursor, _django_tables(cursor), tables)
    record.tables = len(state.tables)
    record.rows_expected = sum(expected.values())
    record.rows_restored = sum(state.tables.values())
    for table in tables:
        if expected.get(table, 0) != state.tables.get(table, 0):
            record.count_mismatches.append(
                {"table": table, "expected": expected.get(table, 0), "restored": state.tables.get(table, 0)}
            )


def _migrate(record: RestoreRecord) -> None:
    before = set(MigrationRecorder(connection).applied_migrations())
    call_command("migrate", interactive=False, verbosity=0)
    after = MigrationRecorder(connection).applied_migrations()
    record.migrations_applied = [f"{app}.{name}" for app, name in after if (app, name) not in before]


def _verify_audit(record: RestoreRecord, expected: dict) -> None:
    from govcube.audit.models import AuditEvent
    from govcube.audit.services import audit_verify

    result = audit_verify()
    record.audit_events = result.checked
    record.audit_expected_events = expected.get("events") or 0
    record.audit_problem_count = len(result.problems)
    record.audit_problems = result.problems[:MAX_PROBLEMS]
    head = AuditEvent.objects.order_by("-id").values_list("id", "hash").first()
    record.audit_head_ok = head == (
        (expected["last_id"], expected["last_hash"]) if expected.get("last_id") is not None else None
    )


def _timed(record: RestoreRecord, step: str, function, *args) -> None:
    started = time.monotonic()
    try:
        function(*args)
    finally:
        record.seconds[step] = round(record.seconds.get(step, 0) + time.monotonic() - started, 3)


def restore_run(backup: Backup) -> RestoreRecord:
    """Restore, migrate, check; the record says what happened even when a step failed."""
    vendor = _vendor()
    restore_target_check()
    record = RestoreRecord(
        backup=str(backup.dump),
        backup_created=backup.manifest.get("created", ""),
        vendor=vendor,
        database=describe_database(),
        started=timezone.now(),
    )
    started = time.monotonic()
    record.seconds = {"restore": 0.0, "migrate": 0.0, "checks": 0.0}
    try:
        _timed(record, "checks", _check_checksum, record, backup)
        _timed(record, "restore", _restore_postgresql if vendor == "postgresql" else _restore_sqlite, backup.dump)
        _timed(record, "checks", _compare_counts, record, backup.manifest["tables"])
        _timed(record, "migrate", _migrate, record)
        _timed(record, "checks", _verify_audit, record, backup.manifest["audit"])
    except BackupError as exc:
        record.error = str(exc)
    except Exception as exc:  # a failed migration or check fails the restore; the record still tells
        logger.exception("restore of %s failed", backup.dump)
        record.error = f"{type(exc).__name__}: {exc}"
    record.finished = timezone.now()
    record.seconds["total"] = round(time.monotonic() - started, 3)
    return record
