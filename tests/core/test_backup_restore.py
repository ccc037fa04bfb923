"""The backup and restore drill, end to end: ``manage.py backup`` / ``restore`` run in subprocesses against
real database files (SQLite, always) and scratch databases (PostgreSQL, when DATABASE_URL points at one).

The assertions read the manifest, the JSON restore record and the databases themselves, not the printed
text, which is translated (zh-Hans by default)."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tarfile
import uuid
import warnings
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import pytest

ROOT = Path(__file__).resolve().parents[2]
DATABASE_URL = os.environ.get("DATABASE_URL", "")
ON_POSTGRESQL = DATABASE_URL.split(":", 1)[0] in {"postgres", "postgresql", "pgsql"}
PHOTO = b"\xff\xd8\xff\xe0 drill photo bytes"

# Audited data written through the real services (the factories only lay out the territory).
SEED = """
from tests.factories import make_world
from govcube.accounts.services import _role_assign, _user_create

world = make_world()
for i in range(3):
    user = _user_create(actor=None, username=f"drill_user_{i}", password="Drill-Password-42!x")
    _role_assign(actor=None, user=user, role="street_official", node=world.street_a)
"""


def manage(*args: str, database_url: str, var: Path, check: bool = True) -> subprocess.CompletedProcess:
    env = {
        key: value
        for key, value in os.environ.items()
        if key not in {"GOVCUBE_ENV", "DEBUG", "SECRET_KEY", "ALLOWED_HOSTS", "MEDIA_ROOT"}
    }
    env |= {
        "DATABASE_URL": database_url,
        "GOVCUBE_VAR_DIR": str(var),
        "MEDIA_ROOT": str(var / "media"),
        "LOG_LEVEL": "WARNING",
    }
    result = subprocess.run(
        [sys.executable, str(ROOT / "manage.py"), *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=180,
    )
    if check:
        assert result.returncode == 0, f"manage.py {' '.join(args)}:\n{result.stdout}\n{result.stderr}"
    return result


def sha256(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def sqlite_counts(path: Path, tables) -> dict[str, int]:
    with sqlite3.connect(path) as conn:
        return {table: conn.execute(f'SELECT COUNT(*) FROM "{table}"').fetchone()[0] for table in tables}


def restore(dump: Path, *, database_url: str, var: Path, record: Path) -> tuple[subprocess.CompletedProcess, dict]:
    result = manage(
        "restore", str(dump), "--yes", "--record", str(record), database_url=database_url, var=var, check=False
    )
    data = json.loads(record.read_text(encoding="utf-8")) if record.exists() else {}
    return result, data


def make_source(var: Path, database_url: str) -> None:
    manage("migrate", "--noinput", "--verbosity", "0", database_url=database_url, var=var)
    manage("shell", "-c", SEED, database_url=database_url, var=var)
    (var / "media" / "visits").mkdir(parents=True)
    (var / "media" / "visits" / "photo.jpg").write_bytes(PHOTO)


@dataclass
class Drill:
    var: Path
    source: Path
    dump: Path
    manifest: dict
    output: str

    @property
    def source_url(self) -> str:
        return f"sqlite:///{self.source}"


@pytest.fixture(scope="module")
def drill(tmp_path_factory) -> Drill:
    var = tmp_path_factory.mktemp("drill")
    source = var / "source.sqlite3"
    make_source(var, f"sqlite:///{source}")
    dump = var / "backups" / "drill.sqlite3"
    result = manage("backup", "--media", "--output", str(dump), database_url=f"sqlite:///{source}", var=var)
    manifest = json.loads((var / "backups" / "drill.sqlite3.manifest.json").read_text(encoding="utf-8"))
    return Drill(var, source, dump, manifest, result.stdout)


def test_the_manifest_describes_the_backed_up_database(drill):
    manifest = drill.manifest
    assert manifest["format"] == "govcube-backup" and manifest["vendor"] == "sqlite"
    assert str(drill.dump) in drill.output
    assert manifest["dump"] == {
        "file": "drill.sqlite3",
        "bytes": drill.dump.stat().st_size,
        "sha256": sha256(drill.dump),
    }
    assert drill.dump.stat().st_mode & 0o077 == 0  # personal data: readable by the owner only
    with sqlite3.connect(drill.source) as conn:
        latest = dict(conn.execute("SELECT app, name FROM django_migrations ORDER BY id").fetchall())
        last_event = conn.execute("SELECT id, hash FROM audit_auditevent ORDER BY id DESC LIMIT 1").fetchone()
    assert manifest["migrations"] == latest
    assert manifest["tables"] == sqlite_counts(drill.source, manifest["tables"])
    assert manifest["tables"]["accounts_user"] == 3 and manifest["tables"]["accounts_roleassignment"] == 3
    assert manifest["tables"]["accounts_user_groups"] == 0  # many-to-many tables are counted too
    assert manifest["audit"] == {"events": 6, "last_id": last_event[0], "last_hash": last_event[1]}
    assert manifest["rows"] == sum(manifest["tables"].values())


def test_media_are_archived_beside_the_dump(drill):
    archive = drill.var / "backups" / "drill.sqlite3.media.tar.gz"
    assert drill.manifest["media"]["files"] == 1 and drill.manifest["media"]["sha256"] == sha256(archive)
    with tarfile.open(archive) as tar:
        assert tar.extractfile("visits/photo.jpg").read() == PHOTO


def test_restore_into_an_empty_file_gives_everything_back(drill, tmp_path):
    target = tmp_path / "restored.sqlite3"
    result, record = restore(drill.dump, database_url=f"sqlite:///{target}", var=drill.var, record=tmp_path / "r.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert str(drill.dump) in result.stdout  # the printed record names the backup
    assert record["ok"] and record["checksum_ok"] and record["counts_ok"] and record["audit_ok"]
    assert record["rows_restored"] == record["rows_expected"] == drill.manifest["rows"]
    assert record["count_mismatches"] == [] and record["migrations_applied"] == []
    assert record["audit_events"] == 6 and record["audit_head_ok"]
    assert record["started"] <= record["finished"] and record["seconds"]["total"] > 0
    assert sqlite_counts(target, drill.manifest["tables"]) == drill.manifest["tables"]
    with sqlite3.connect(target) as conn:
        users = [row[0] for row in conn.execute("SELECT username FROM accounts_user ORDER BY username")]
    assert users == ["drill_user_0", "drill_user_1", "drill_user_2"]


def test_restore_refuses_a_database_that_is_not_empty(drill, tmp_path):
    before = sha256(drill.source)
    result, record = restore(drill.dump, database_url=drill.source_url, var=drill.var, record=tmp_path / "r.json")
    assert result.returncode != 0
    assert str(drill.source) in result.stderr  # the message names the database it refused
    assert record == {}
    assert sha256(drill.source) == before


def _tampered_copy(drill: Drill, directory: Path, statement: str, *, fix_checksum: bool) -> Path:
    dump = directory / "tampered.sqlite3"
    shutil.copyfile(drill.dump, dump)
    with sqlite3.connect(dump) as conn:
        conn.execute(statement)
    manifest = dict(drill.manifest)
    if fix_checksum:
        manifest["dump"] = {**manifest["dump"], "sha256": sha256(dump)}
    (directory / "tampered.sqlite3.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    return dump


def test_an_edited_audit_row_fails_the_audit_check(drill, tmp_path):
    # The checksum is made to match, so only the hash chain can notice the forged row.
    dump = _tampered_copy(
        drill,
        tmp_path,
        "UPDATE audit_auditevent SET object_repr = 'forged' WHERE id = (SELECT MIN(id) FROM audit_auditevent)",
        fix_checksum=True,
    )
    target = tmp_path / "restored.sqlite3"
    result, record = restore(dump, database_url=f"sqlite:///{target}", var=drill.var, record=tmp_path / "r.json")
    assert result.returncode != 0
    assert record["checksum_ok"] and record["counts_ok"]
    assert not record["audit_ok"] and not record["ok"]
    first_id = drill.manifest["audit"]["last_id"] - drill.manifest["audit"]["events"] + 1
    assert any(f"event {first_id}:" in problem for problem in record["audit_problems"]), record["audit_problems"]


def test_a_dump_that_differs_from_its_manifest_fails_the_checksum(drill, tmp_path):
    dump = _tampered_copy(
        drill,
        tmp_path,
        "UPDATE accounts_user SET display_name = 'edited' WHERE username = 'drill_user_0'",
        fix_checksum=False,
    )
    target = tmp_path / "restored.sqlite3"
    result, record = restore(dump, database_url=f"sqlite:///{target}", var=drill.var, record=tmp_path / "r.json")
    assert result.returncode != 0
    assert not record["checksum_ok"] and record["counts_ok"] and record["audit_ok"] and not record["ok"]


def test_a_backup_from_a_newer_release_is_refused_before_anything_is_written(drill, tmp_path):
    from django.db import connection

    from govcube.core.backup import BackupError, backup_open

    dump = tmp_path / "future.sqlite3"
    dump.write_bytes(b"")
    manifest = {**drill.manifest, "vendor": connection.vendor}
    manifest["migrations"] = {**manifest["migrations"], "audit": "9999_from_the_future"}
    (tmp_path / "future.sqlite3.manifest.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(BackupError) as refused:
        backup_open(dump)
    assert "audit.9999_from_the_future" in str(refused.value) and "core." not in str(refused.value)

    (tmp_path / "future.sqlite3.manifest.json").unlink()
    with pytest.raises(BackupError, match="future.sqlite3.manifest.json"):
        backup_open(dump)


# --- PostgreSQL ------------------------------------------------------------------------------------


@pytest.fixture
def scratch_databases():
    """Two empty databases on the DATABASE_URL server, dropped at the end."""
    import psycopg
    from psycopg import sql

    parts = urlsplit(DATABASE_URL)
    admin = urlunsplit(parts._replace(path="/postgres"))
    names = [f"govcube_drill_{os.getpid()}_{uuid.uuid4().hex[:8]}_{role}" for role in ("source", "target")]
    with psycopg.connect(admin, autocommit=True) as conn:
        for name in names:
            conn.execute(sql.SQL("CREATE DATABASE {}").format(sql.Identifier(name)))
    try:
        yield [urlunsplit(parts._replace(path=f"/{name}")) for name in names]
    finally:
        # DROP DATABASE waits for every session on the server to acknowledge it; a stuck session elsewhere
        # must not hang the suite: give up after a while and say which databases are left.
        with psycopg.connect(admin, autocommit=True) as conn:
            conn.execute("SET statement_timeout = '60s'")
            for name in names:
                try:
                    conn.execute(sql.SQL("DROP DATABASE IF EXISTS {} WITH (FORCE)").format(sql.Identifier(name)))
                except psycopg.errors.QueryCanceled:
                    warnings.warn(f"could not drop the scratch database {name}; drop it by hand", stacklevel=1)


@pytest.mark.postgres
@pytest.mark.skipif(not ON_POSTGRESQL, reason="DATABASE_URL does not point at PostgreSQL")
def test_postgresql_drill(scratch_databases, tmp_path):
    import psycopg

    source_url, target_url = scratch_databases
    make_source(tmp_path, source_url)
    dump = tmp_path / "backups" / "drill.dump"
    manage("backup", "--output", str(dump), database_url=source_url, var=tmp_path)
    manifest = json.loads((tmp_path / "backups" / "drill.dump.manifest.json").read_text(encoding="utf-8"))
    assert manifest["vendor"] == "postgresql" and manifest["audit"]["events"] == 6
    assert dump.read_bytes()[:5] == b"PGDMP"  # pg_dump's custom format

    result, record = restore(dump, database_url=target_url, var=tmp_path, record=tmp_path / "r.json")
    assert result.returncode == 0, result.stdout + result.stderr
    assert record["ok"] and record["count_mismatches"] == [] and record["audit_events"] == 6
    assert record["rows_restored"] == manifest["rows"] > 0

    with psycopg.connect(target_url, autocommit=True) as conn:
        assert conn.execute("SELECT COUNT(*) FROM accounts_user").fetchone()[0] == 3
        # The append-only trigger came back with the data.
        with pytest.raises(psycopg.errors.RaiseException, match="append-only"):
            conn.execute("UPDATE audit_auditevent SET action = 'forged'")

    result, record = restore(dump, database_url=source_url, var=tmp_path, record=tmp_path / "again.json")
    assert result.returncode != 0 and record == {}
