"""Backup and restore of the whole database, SQLite or PostgreSQL, with a manifest to verify against.

A backup is two files side by side: the database copy (`.sqlite3`, made with SQLite's online backup API,
or `.pgdump`, pg_dump's custom format) and `<file>.manifest.json`: versions, applied migrations, and the
row count of every table, counted in the same snapshot the copy was taken from. A restore goes only into
an empty database (unless forced), then counts every table again and fails loudly on any difference.
docs/backup.md is the operator's guide.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import os
import shutil
import sqlite3
import subprocess
from collections.abc import Iterable
from dataclasses import dataclass, field
from importlib import metadata
from pathlib import Path
from typing import Any

import django
from django.conf import settings
from django.db import connections

FORMAT = "binhdang.backup/1"
SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"
# Connection options Django may carry in OPTIONS that libpq (and so pg_dump) also understands.
LIBPQ_OPTIONS = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "application_name": "PGAPPNAME",
    "options": "PGOPTIONS",
}


class BackupError(Exception):
    """Anything that stops a backup or a restore; the message is written for the operator."""


@dataclass
class BackupResult:
    path: Path
    manifest_path: Path
    manifest: dict[str, Any]


@dataclass
class RestoreResult:
    path: Path
    tables: dict[str, int]
    extra_tables: list[str] = field(default_factory=list)


def engine_of(settings_dict: dict[str, Any]) -> str:
    engine = str(settings_dict["ENGINE"])
    if engine.endswith("sqlite3"):
        return "sqlite"
    if "postgresql" in engine or "postgis" in engine:
        return "postgresql"
    raise BackupError(f"Backups support SQLite and PostgreSQL only, not {engine}.")


def manifest_path_for(path: Path) -> Path:
    return path.with_name(path.name + ".manifest.json")


def default_backup_path(engine: str, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    suffix = ".sqlite3" if engine == "sqlite" else ".pgdump"
    return Path(settings.DATA_DIR) / "backups" / f"binhdang-{stamp}{suffix}"


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def _version() -> str:
    try:
        return metadata.version("binhdang")
    except metadata.PackageNotFoundError:
        return "unknown"


# ---------------------------------------------------------------------------------------------- SQLite


def _sqlite_readonly(path: Path) -> sqlite3.Connection:
    return sqlite3.connect(path.resolve().as_uri() + "?mode=ro", uri=True)


def _sqlite_tables(conn: sqlite3.Connection) -> list[str]:
    rows = conn.execute(
        "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name"
    ).fetchall()
    return [str(row[0]) for row in rows]


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    counts = {}
    for table in _sqlite_tables(conn):
        quoted = '"' + table.replace('"', '""') + '"'
        counts[table] = int(conn.execute(f"SELECT COUNT(*) FROM {quoted}").fetchone()[0])  # noqa: S608
    return counts


def _sqlite_migrations(conn: sqlite3.Connection, tables: Iterable[str]) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    rows = conn.execute("SELECT app, name FROM django_migrations ORDER BY app, name").fetchall()
    return [[str(app), str(name)] for app, name in rows]


def _sqlite_backup(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, int], list[list[str]]]:
    source_path = Path(str(settings_dict["NAME"]))
    if not source_path.exists():
        raise BackupError(f"The SQLite database {source_path} does not exist.")
    source = _sqlite_readonly(source_path)
    try:
        dest = sqlite3.connect(target)
        try:
            # The online backup API copies a consistent snapshot while the application keeps writing.
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()
    # Count in the copy itself: exactly the snapshot that was saved.
    copy = _sqlite_readonly(target)
    try:
        counts = _sqlite_counts(copy)
        return counts, _sqlite_migrations(copy, counts)
    finally:
        copy.close()


def _sqlite_is_empty(path: Path) -> bool:
    if not path.exists() or path.stat().st_size == 0:
        return True
    conn = _sqlite_readonly(path)
    try:
        return not _sqlite_tables(conn)
    finally:
        conn.close()


def _sqlite_restore(backup: Path, settings_dict: dict[str, Any]) -> None:
    target = Path(str(settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    source = _sqlite_readonly(backup)
    try:
        dest = sqlite3.connect(target)
        try:
            source.backup(dest)
        finally:
            dest.close()
    finally:
        source.close()


# ------------------------------------------------------------------------------------------ PostgreSQL


def _pg_connect_kwargs(settings_dict: dict[str, Any]) -> dict[str, Any]:
    kwargs: dict[str, Any] = {"dbname": settings_dict.get("NAME") or "postgres"}
    for key, name in (("USER", "user"), ("PASSWORD", "password"), ("HOST", "host"), ("PORT", "port")):
        if settings_dict.get(key):
            kwargs[name] = str(settings_dict[key])
    for option in LIBPQ_OPTIONS:
        value = (settings_dict.get("OPTIONS") or {}).get(option)
        if value is not None:
            kwargs[option] = str(value)
    return kwargs


def _pg_env(settings_dict: dict[str, Any]) -> dict[str, str]:
    """The environment for pg_dump/pg_restore: the password travels in PGPASSWORD, never in argv."""
    env = dict(os.environ)
    kwargs = _pg_connect_kwargs(settings_dict)
    for name, var in (
        ("dbname", "PGDATABASE"),
        ("user", "PGUSER"),
        ("password", "PGPASSWORD"),
        ("host", "PGHOST"),
        ("port", "PGPORT"),
    ):
        if name in kwargs:
            env[var] = str(kwargs[name])
    for option, var in LIBPQ_OPTIONS.items():
        if option in kwargs:
            env[var] = str(kwargs[option])
    return env


def _pg_tool(name: str) -> str:
    found = shutil.which(name)
    if not found:
        raise BackupError(f"{name} is not installed or not on PATH (Debian: apt install postgresql-client).")
    return found


def _pg_tables(cursor: Any) -> list[tuple[str, str]]:
    cursor.execute(
        "SELECT schemaname, tablename FROM pg_tables "
        "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND schemaname NOT LIKE 'pg\\_%' "
        "ORDER BY schemaname, tablename"
    )
    return [(str(schema), str(table)) for schema, table in cursor.fetchall()]


def _pg_label(schema: str, table: str) -> str:
    return table if schema == "public" else f"{schema}.{table}"


def _pg_counts(cursor: Any) -> dict[str, int]:
    from psycopg import sql

    counts = {}
    for schema, table in _pg_tables(cursor):
        cursor.execute(sql.SQL("SELECT COUNT(*) FROM {}.{}").format(sql.Identifier(schema), sql.Identifier(table)))
        counts[_pg_label(schema, table)] = int(cursor.fetchone()[0])
    return counts


def _pg_migrations(cursor: Any, tables: Iterable[str]) -> list[list[str]]:
    if "django_migrations" not in tables:
        return []
    cursor.execute("SELECT app, name FROM django_migrations ORDER BY app, name")
    return [[str(app), str(name)] for app, name in cursor.fetchall()]


def _pg_backup(settings_dict: dict[str, Any], target: Path) -> tuple[dict[str, int], list[list[str]]]:
    import psycopg

    pg_dump = _pg_tool("pg_dump")
    with psycopg.connect(**_pg_connect_kwargs(settings_dict)) as conn:
        conn.isolation_level = psycopg.IsolationLevel.REPEATABLE_READ
        conn.read_only = True
        with conn.cursor() as cursor:
            # One snapshot for the counts and for pg_dump, so the manifest describes exactly the dump.
            row = cursor.execute("SELECT pg_export_snapshot()").fetchone()
            if row is None:
                raise BackupError("PostgreSQL did not export a snapshot.")
            snapshot = str(row[0])
            counts = _pg_counts(cursor)
            migrations = _pg_migrations(cursor, counts)
            result = subprocess.run(  # noqa: S603
                [pg_dump, "--format=custom", f"--snapshot={snapshot}", f"--file={target}"],
                env=_pg_env(settings_dict),
                capture_output=True,
                text=True,
                check=False,
            )
        conn.rollback()
    if result.returncode != 0:
        raise BackupError(f"pg_dump failed ({result.returncode}): {result.stderr.strip()}")
    return counts, migrations


def _pg_is_empty(settings_dict: dict[str, Any]) -> bool:
    import psycopg

    with psycopg.connect(**_pg_connect_kwargs(settings_dict)) as conn, conn.cursor() as cursor:
        return not _pg_tables(cursor)


def _pg_restore(backup: Path, settings_dict: dict[str, Any], clean: bool) -> None:
    pg_restore = _pg_tool("pg_restore")
    args = [pg_restore, "--no-owner", "--no-privileges", "--exit-on-error", "--single-transaction"]
    if clean:
        args += ["--clean", "--if-exists"]
    name = str(settings_dict.get("NAME") or "")
    args += [f"--dbname={name}", str(backup)]
    result = subprocess.run(args, env=_pg_env(settings_dict), capture_output=True, text=True, check=False)  # noqa: S603
    if result.returncode != 0:
        raise BackupError(f"pg_restore failed ({result.returncode}): {result.stderr.strip()}")


def _pg_current_counts(settings_dict: dict[str, Any]) -> dict[str, int]:
    import psycopg

    with psycopg.connect(**_pg_connect_kwargs(settings_dict)) as conn, conn.cursor() as cursor:
        return _pg_counts(cursor)


# -------------------------------------------------------------------------------------------- commands


def database_label(settings_dict: dict[str, Any]) -> str:
    """The database as people name it, without any password."""
    if engine_of(settings_dict) == "sqlite":
        return str(settings_dict["NAME"])
    host = settings_dict.get("HOST") or "localhost"
    port = settings_dict.get("PORT") or 5432
    return f"postgresql://{settings_dict.get('USER') or ''}@{host}:{port}/{settings_dict.get('NAME')}"


def backup_create(output: Path | None = None, using: str = "default") -> BackupResult:
    settings_dict = connections[using].settings_dict
    engine = engine_of(settings_dict)
    path = (output or default_backup_path(engine)).resolve()
    path.parent.mkdir(parents=True, exist_ok=True)
    manifest_path = manifest_path_for(path)
    # Write beside the target and rename, so a failed backup never leaves a file that looks complete.
    partial = path.with_name(path.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        if engine == "sqlite":
            counts, migrations = _sqlite_backup(settings_dict, partial)
        else:
            counts, migrations = _pg_backup(settings_dict, partial)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    manifest: dict[str, Any] = {
        "format": FORMAT,
        "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
        "engine": engine,
        "database": database_label(settings_dict),
        "file": path.name,
        "size": partial.stat().st_size,
        "sha256": _sha256(partial),
        "django_version": django.get_version(),
        "binhdang_version": _version(),
        "migrations": migrations,
        "tables": counts,
        "rows": sum(counts.values()),
    }
    os.replace(partial, path)
    manifest_path.write_text(json.dumps(manifest, ensure_ascii=False, indent=2) + "\n", encoding="utf-8")
    return BackupResult(path=path, manifest_path=manifest_path, manifest=manifest)


def manifest_read(path: Path) -> dict[str, Any]:
    manifest_path = manifest_path_for(path)
    if not manifest_path.exists():
        raise BackupError(f"The manifest {manifest_path} is missing; a backup is the file and its manifest together.")
    try:
        manifest: dict[str, Any] = json.loads(manifest_path.read_text(encoding="utf-8"))
    except ValueError as exc:
        raise BackupError(f"The manifest {manifest_path} is not valid JSON: {exc}") from exc
    if manifest.get("format") != FORMAT or not isinstance(manifest.get("tables"), dict):
        raise BackupError(f"{manifest_path} is not a {FORMAT} manifest.")
    return manifest


def backup_check_file(path: Path, manifest: dict[str, Any]) -> None:
    if not path.exists():
        raise BackupError(f"The backup file {path} does not exist.")
    with path.open("rb") as handle:
        header = handle.read(16)
    expected = SQLITE_HEADER if manifest["engine"] == "sqlite" else PGDUMP_HEADER
    if not header.startswith(expected):
        raise BackupError(f"{path} is not a {manifest['engine']} backup.")
    if manifest.get("sha256") and _sha256(path) != manifest["sha256"]:
        raise BackupError(f"{path} does not match the checksum in its manifest: the file is damaged or was changed.")


def database_is_empty(using: str = "default") -> bool:
    settings_dict = connections[using].settings_dict
    if engine_of(settings_dict) == "sqlite":
        return _sqlite_is_empty(Path(str(settings_dict["NAME"])))
    return _pg_is_empty(settings_dict)


def current_counts(using: str = "default") -> dict[str, int]:
    settings_dict = connections[using].settings_dict
    if engine_of(settings_dict) == "sqlite":
        conn = _sqlite_readonly(Path(str(settings_dict["NAME"])))
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()
    return _pg_current_counts(settings_dict)


def verify_counts(expected: dict[str, int], actual: dict[str, int]) -> list[str]:
    """Every difference between the manifest's row counts and the database's, as sentences."""
    problems = []
    for table, count in sorted(expected.items()):
        if table not in actual:
            problems.append(f"table {table} is missing (expected {count} rows)")
        elif actual[table] != count:
            problems.append(f"table {table} has {actual[table]} rows, the backup had {count}")
    return problems


def backup_restore(path: Path, *, force: bool = False, using: str = "default") -> RestoreResult:
    path = path.resolve()
    manifest = manifest_read(path)
    backup_check_file(path, manifest)
    settings_dict = connections[using].settings_dict
    engine = engine_of(settings_dict)
    if manifest["engine"] != engine:
        raise BackupError(
            f"This is a {manifest['engine']} backup and the database is {engine}; "
            "restore into the same kind of database (use `binhdang dumpdata`/`loaddata` to move between them)."
        )
    connections[using].close()
    empty = database_is_empty(using)
    if not empty and not force:
        raise BackupError(
            f"The database {database_label(settings_dict)} is not empty. Restore only goes into an empty "
            "database: create a new one (or point DATABASE_URL at one), or pass --force to overwrite this one."
        )
    if engine == "sqlite":
        _sqlite_restore(path, settings_dict)
    else:
        _pg_restore(path, settings_dict, clean=not empty)
    actual = current_counts(using)
    expected: dict[str, int] = {str(k): int(v) for k, v in manifest["tables"].items()}
    problems = verify_counts(expected, actual)
    if problems:
        raise BackupError("The restored database does not match the backup's manifest:\n  " + "\n  ".join(problems))
    return RestoreResult(path=path, tables=actual, extra_tables=sorted(set(actual) - set(expected)))
