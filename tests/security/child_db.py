"""Helpers for tests that run a driver script in a child process against a database of its own: a SQLite file
under a temporary BINHDANG_DATA_DIR, or a PostgreSQL database created with a unique name and dropped afterwards
(parallel runs never collide). Used by test_crash_safety.py and test_races.py."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
HERE = Path(__file__).resolve().parent
REPORT_DRIVER = HERE / "crash_driver.py"
RACE_DRIVER = HERE / "race_driver.py"
SERVER = "postgres://postgres@127.0.0.1:5432"

Snapshot = dict[str, list[dict[str, Any]]]


def child_env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TESTS_DIR=str(ROOT / "tests"), **extra)
    return env


@contextmanager
def database(backend: str, tmp: Path) -> Iterator[dict[str, str]]:
    """The environment of a child process using a fresh database of the backend ("sqlite" or "postgres")."""
    if backend == "sqlite":
        yield child_env(BINHDANG_DATA_DIR=str(tmp / "data"))
        return
    with postgres_database() as url:
        yield child_env(BINHDANG_DATA_DIR=str(tmp / "data"), DATABASE_URL=url)


@contextmanager
def postgres_database() -> Iterator[str]:
    """A PostgreSQL database of its own, dropped afterwards."""
    import psycopg

    name = f"test_child_{os.getpid()}_{uuid.uuid4().hex[:8]}"
    try:
        admin = psycopg.connect(f"{SERVER}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        # The test command requires the server (scripts/test checks it first): its absence is a failure.
        raise AssertionError("no PostgreSQL server at 127.0.0.1:5432") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            yield f"{SERVER}/{name}"
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def run_script(env: dict[str, str], args: list[str], timeout: float = 300) -> str:
    """Run a driver to its end; it must succeed. Its standard output, stripped."""
    done = subprocess.run(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def report_step(env: dict[str, str], tmp: Path, step: str) -> str:
    return run_script(env, [str(REPORT_DRIVER), step, str(tmp)])


def snapshot(env: dict[str, str], tmp: Path) -> Snapshot:
    """Every row of the reporting, plans and analytics tables and the users (crash_driver.py ``snapshot``)."""
    rows: Snapshot = json.loads(report_step(env, tmp, "snapshot"))
    return rows


def rows(snap: Snapshot, label: str, **match: Any) -> list[dict[str, Any]]:
    return [row for row in snap[label] if all(row[k] == v for k, v in match.items())]


def changed_tables(before: Snapshot, after: Snapshot) -> set[str]:
    return {label for label in before.keys() | after.keys() if before.get(label) != after.get(label)}
