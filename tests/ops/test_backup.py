"""`binhdang backup` and `binhdang restore`, run as real commands in subprocesses, on SQLite and PostgreSQL.

The source database is the demo database (`binhdang demo --no-serve`: migrations, the administrative
units, the five golden seed plans loaded through plan_load, users and a synthetic reporting history);
after a restore into an empty database every model's table is compared row by row, ordered by pk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

ROOT = Path(__file__).resolve().parents[2]
DUMP = Path(__file__).with_name("dump_tables.py")
PG_URL = os.environ.get("BINHDANG_TEST_PG_URL", "postgres://postgres@127.0.0.1:5432")


def run(args: list[str], database_url: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "DATABASE_URL": database_url,
        "DJANGO_SETTINGS_MODULE": "binhdang.settings",
        "PYTHONPATH": os.pathsep.join([str(ROOT), str(ROOT / "tests")]),
        "BINHDANG_DATA_DIR": str(data_dir),
    }
    result = subprocess.run(
        [sys.executable, *args], cwd=ROOT, env=env, capture_output=True, text=True, check=False, timeout=600
    )
    if check and result.returncode != 0:
        raise AssertionError(f"{args} failed ({result.returncode}):\n{result.stdout}\n{result.stderr}")
    return result


def cli(args: list[str], database_url: str, data_dir: Path, check: bool = True) -> subprocess.CompletedProcess[str]:
    return run(["-m", "binhdang.cli", *args], database_url, data_dir, check)


def dump(database_url: str, data_dir: Path, out: Path) -> dict[str, Any]:
    run([str(DUMP), str(out)], database_url, data_dir)
    tables: dict[str, Any] = json.loads(out.read_text(encoding="utf-8"))
    return tables


def assert_same_tables(source: dict[str, Any], restored: dict[str, Any]) -> None:
    assert sorted(source) == sorted(restored)
    for table, data in source.items():
        other = restored[table]
        assert data["columns"] == other["columns"], table
        assert len(data["rows"]) == len(other["rows"]), f"{table}: {len(data['rows'])} != {len(other['rows'])} rows"
        for row, other_row in zip(data["rows"], other["rows"], strict=True):
            assert row == other_row, f"{table}: {row!r} != {other_row!r}"


def assert_world_is_real(tables: dict[str, Any]) -> None:
    """The comparison is only worth something if the source holds plans, reports and their values."""
    assert len(tables["plans_plan"]["rows"]) >= 5
    assert any(name.startswith("reporting_") and data["rows"] for name, data in tables.items())
    assert sum(len(data["rows"]) for data in tables.values()) > 1000


# ------------------------------------------------------------------------------------------------ SQLite


@pytest.fixture(scope="module")
def sqlite_source(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, Path]:
    data_dir = tmp_path_factory.mktemp("ops-sqlite")
    url = f"sqlite:///{data_dir / 'source.sqlite3'}"
    cli(["demo", "--no-serve"], url, data_dir)
    return url, data_dir


@pytest.fixture(scope="module")
def sqlite_backup(sqlite_source: tuple[str, Path]) -> Path:
    url, data_dir = sqlite_source
    path = data_dir / "backups" / "source.sqlite3"
    result = cli(["backup", "-o", str(path)], url, data_dir)
    assert "Backup written" in result.stdout
    return path


def test_sqlite_backup_writes_a_manifest(sqlite_backup: Path) -> None:
    manifest = json.loads(sqlite_backup.with_name(sqlite_backup.name + ".manifest.json").read_text("utf-8"))
    assert manifest["format"] == "binhdang.backup/1"
    assert manifest["engine"] == "sqlite"
    assert manifest["django_version"].startswith("5.2")
    assert ["plans", "0001_initial"] in manifest["migrations"]
    assert manifest["tables"]["plans_plan"] >= 5
    assert manifest["rows"] == sum(manifest["tables"].values())
    assert manifest["created_at"].endswith("+00:00")


def test_sqlite_restore_into_an_empty_database_gives_every_row_back(
    sqlite_source: tuple[str, Path], sqlite_backup: Path, tmp_path: Path
) -> None:
    url, data_dir = sqlite_source
    target = f"sqlite:///{tmp_path / 'restored.sqlite3'}"
    result = cli(["restore", str(sqlite_backup), "--yes"], target, tmp_path)
    assert "every count matches" in result.stdout
    source = dump(url, data_dir, tmp_path / "source.json")
    assert_world_is_real(source)
    assert_same_tables(source, dump(target, tmp_path, tmp_path / "restored.json"))


def test_default_backup_file_goes_to_the_data_folder(sqlite_source: tuple[str, Path], tmp_path: Path) -> None:
    url, _ = sqlite_source
    result = cli(["backup"], url, tmp_path)
    files = list((tmp_path / "backups").glob("binhdang-*.sqlite3"))
    assert len(files) == 1, result.stdout
    assert files[0].with_name(files[0].name + ".manifest.json").exists()
    assert not list((tmp_path / "backups").glob("*.partial"))


def test_restore_refuses_a_database_that_is_not_empty(sqlite_source: tuple[str, Path], sqlite_backup: Path) -> None:
    url, data_dir = sqlite_source
    result = cli(["restore", str(sqlite_backup), "--yes"], url, data_dir, check=False)
    assert result.returncode != 0
    assert "is not empty" in result.stderr
    assert "--force" in result.stderr


def test_restore_force_overwrites_a_database_that_is_not_empty(sqlite_backup: Path, tmp_path: Path) -> None:
    target = f"sqlite:///{tmp_path / 'busy.sqlite3'}"
    cli(["migrate", "auth"], target, tmp_path)
    result = cli(["restore", str(sqlite_backup), "--yes", "--force"], target, tmp_path)
    assert "every count matches" in result.stdout


def test_restore_fails_loudly_when_counts_differ_from_the_manifest(sqlite_backup: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    copy.write_bytes(sqlite_backup.read_bytes())
    manifest = json.loads(sqlite_backup.with_name(sqlite_backup.name + ".manifest.json").read_text("utf-8"))
    manifest["tables"]["plans_plan"] += 1
    manifest["tables"]["ghost_table"] = 3
    copy.with_name(copy.name + ".manifest.json").write_text(json.dumps(manifest), "utf-8")
    result = cli(["restore", str(copy), "--yes"], f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, check=False)
    assert result.returncode != 0
    assert "does not match the backup's manifest" in result.stderr
    assert "table plans_plan has" in result.stderr
    assert "table ghost_table is missing" in result.stderr


def test_restore_refuses_a_damaged_file(sqlite_backup: Path, tmp_path: Path) -> None:
    copy = tmp_path / "copy.sqlite3"
    data = bytearray(sqlite_backup.read_bytes())
    data[len(data) // 2] ^= 0xFF
    copy.write_bytes(bytes(data))
    copy.with_name(copy.name + ".manifest.json").write_bytes(
        sqlite_backup.with_name(sqlite_backup.name + ".manifest.json").read_bytes()
    )
    result = cli(["restore", str(copy), "--yes"], f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, check=False)
    assert result.returncode != 0
    assert "checksum" in result.stderr
    assert not (tmp_path / "r.sqlite3").exists() or (tmp_path / "r.sqlite3").stat().st_size == 0


def test_restore_needs_the_manifest(sqlite_backup: Path, tmp_path: Path) -> None:
    copy = tmp_path / "alone.sqlite3"
    copy.write_bytes(sqlite_backup.read_bytes())
    result = cli(["restore", str(copy), "--yes"], f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, check=False)
    assert result.returncode != 0
    assert "manifest" in result.stderr


def test_restore_asks_for_yes_without_a_terminal(sqlite_backup: Path, tmp_path: Path) -> None:
    result = cli(["restore", str(sqlite_backup)], f"sqlite:///{tmp_path / 'r.sqlite3'}", tmp_path, check=False)
    assert result.returncode != 0
    assert "--yes" in result.stderr


def test_postgres_tools_never_see_the_password_on_the_command_line(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    from binhdang.ops import backup

    seen: dict[str, Any] = {}

    def fake_run(args: list[str], env: dict[str, str], **_: Any) -> subprocess.CompletedProcess[str]:
        seen["args"], seen["env"] = args, env
        return subprocess.CompletedProcess(args, 0, "", "")

    monkeypatch.setattr(backup.subprocess, "run", fake_run)
    settings_dict = {
        "ENGINE": "django.db.backends.postgresql",
        "NAME": "binhdang",
        "USER": "binhdang",
        "PASSWORD": "s3cret-Pa55",
        "HOST": "db.example.org",
        "PORT": 5433,
        "OPTIONS": {"sslmode": "require", "pool": True},
    }
    backup._pg_restore(tmp_path / "x.pgdump", settings_dict, clean=False)
    assert not any("s3cret" in arg for arg in seen["args"])
    assert seen["env"]["PGPASSWORD"] == "s3cret-Pa55"
    assert seen["env"]["PGHOST"] == "db.example.org"
    assert seen["env"]["PGPORT"] == "5433"
    assert seen["env"]["PGSSLMODE"] == "require"
    assert "--dbname=binhdang" in seen["args"]


# -------------------------------------------------------------------------------------------- PostgreSQL


def _pg_admin() -> Any:
    import psycopg

    try:
        return psycopg.connect(f"{PG_URL}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        # The test command requires the server (scripts/test checks it first): its absence is a failure.
        raise AssertionError(f"PostgreSQL is not reachable at {PG_URL}: {exc}") from exc


@pytest.fixture(scope="module")
def pg_databases() -> Iterator[tuple[str, str]]:
    admin = _pg_admin()
    suffix = uuid.uuid4().hex[:8]
    names = (f"binhdang_ops_src_{suffix}", f"binhdang_ops_dst_{suffix}")
    try:
        for name in names:
            admin.execute(f'CREATE DATABASE "{name}"')
        yield f"{PG_URL}/{names[0]}", f"{PG_URL}/{names[1]}"
    finally:
        for name in names:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
        admin.close()


def test_postgresql_restore_into_an_empty_database_gives_every_row_back(
    pg_databases: tuple[str, str], tmp_path: Path
) -> None:
    source, target = pg_databases
    cli(["demo", "--no-serve"], source, tmp_path)
    path = tmp_path / "source.pgdump"
    cli(["backup", "-o", str(path)], source, tmp_path)
    assert path.read_bytes().startswith(b"PGDMP")
    manifest = json.loads(path.with_name(path.name + ".manifest.json").read_text("utf-8"))
    assert manifest["engine"] == "postgresql"
    assert "@" in manifest["database"] and ":" not in manifest["database"].split("@")[0].removeprefix("postgresql://")

    result = cli(["restore", str(path), "--yes"], target, tmp_path)
    assert "every count matches" in result.stdout
    source_rows = dump(source, tmp_path, tmp_path / "source.json")
    assert_world_is_real(source_rows)
    assert_same_tables(source_rows, dump(target, tmp_path, tmp_path / "restored.json"))

    again = cli(["restore", str(path), "--yes"], target, tmp_path, check=False)
    assert again.returncode != 0
    assert "is not empty" in again.stderr

    sqlite_target = cli(["restore", str(path), "--yes"], f"sqlite:///{tmp_path / 'x.sqlite3'}", tmp_path, check=False)
    assert sqlite_target.returncode != 0
    assert "postgresql backup and the database is sqlite" in sqlite_target.stderr
