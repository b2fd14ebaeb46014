"""Crash safety: a child process is SIGKILLed in the middle of a write transaction; nothing is half-written and
what was committed before survives. The child runs a small driver against a temporary database (a SQLite file
under a temporary BINHDANG_DATA_DIR, or a PostgreSQL database created and dropped here); a post_save receiver
inside the transaction tells the parent "I am mid-transaction" and sleeps until killed.

Three writes are killed: a plan load (the driver below), and an Excel report import and a report acceptance
(tests/security/crash_driver.py). For the reporting ones every row of the reporting, plans and analytics tables
and the users is compared before and after the kill, and the same write then succeeds normally."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
REPORT_DRIVER = Path(__file__).resolve().parent / "crash_driver.py"
SERVER = "postgres://postgres@127.0.0.1:5432"

DRIVER = textwrap.dedent(
    """
    import os, sys, time
    import django
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
    django.setup()
    from django.core.management import call_command
    from django.db.models.signals import post_save
    sys.path.insert(0, os.environ["TESTS_DIR"])
    from conftest import minimal_plan
    from binhdang.plans.interchange import plan_load
    from binhdang.plans.models import Plan

    step, flag = sys.argv[1], sys.argv[2]
    if step == "setup":
        call_command("migrate", verbosity=0)
        from binhdang.places.refdata import units_load
        units_load()
        doc = minimal_plan("2025:19", title="Kế hoạch đã lưu")
        doc["objectives"] = [{"id": "O1", "number": "1", "title": "Mục tiêu"}]
        plan_load(doc)
    elif step == "load":
        def hang(sender, instance, **kwargs):
            open(flag, "w").write("mid")
            time.sleep(120)
        post_save.connect(hang, sender=Plan)
        doc = minimal_plan("2025:19", title="Kế hoạch bị ngắt", years=[2027, 2027])
        doc["objectives"] = [{"id": "O1", "number": "1", "title": "Mục tiêu"}]
        plan_load(doc)
    elif step == "count":
        from binhdang.plans.models import Objective
        print(Plan.objects.count(), Objective.objects.count(), ",".join(Plan.objects.values_list("title", flat=True)))
    """
)


def _run(env: dict[str, str], tmp: Path, step: str, timeout: float = 300) -> str:
    script = tmp / "driver.py"
    script.write_text(DRIVER, encoding="utf-8")
    return _run_script(env, [str(script), step, str(tmp / "flag")], timeout)


def _run_script(env: dict[str, str], args: list[str], timeout: float = 300) -> str:
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


def _kill_mid_transaction(env: dict[str, str], tmp: Path, step: str, script: Path | None = None) -> str:
    """Start the driver's step, wait until it flags that it is inside its transaction, SIGKILL it; the flag's text."""
    flag = tmp / "flag"
    flag.unlink(missing_ok=True)
    args = [str(tmp / "driver.py"), step, str(flag)] if script is None else [str(script), step, str(tmp)]
    child = subprocess.Popen(
        [sys.executable, *args],
        env=env,
        cwd=ROOT,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    deadline = time.monotonic() + 120
    while not flag.exists():
        assert child.poll() is None, child.stderr.read().decode()[-3000:] if child.stderr else "child ended"
        assert time.monotonic() < deadline, "the child never reached the middle of its transaction"
        time.sleep(0.05)
    time.sleep(0.2)  # the flag is written before the receiver sleeps: be sure the child is asleep mid-transaction
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL
    return flag.read_text(encoding="utf-8")


def _env(**extra: str) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k != "DATABASE_URL"}
    env.update(TESTS_DIR=str(ROOT / "tests"), **extra)
    return env


def _check_plan_load(env: dict[str, str], tmp: Path) -> None:
    _run(env, tmp, "setup")
    before = _run(env, tmp, "count")
    assert before.startswith("1 1 "), before
    _kill_mid_transaction(env, tmp, "load")
    after = _run(env, tmp, "count")
    assert after == before, f"a killed plan load left rows behind or lost committed ones: {before!r} → {after!r}"


def test_plan_load_killed_mid_transaction_sqlite(tmp_path: Path) -> None:
    _check_plan_load(_env(BINHDANG_DATA_DIR=str(tmp_path / "data")), tmp_path)


def test_plan_load_killed_mid_transaction_postgres(tmp_path: Path) -> None:
    with _postgres_database() as url:
        _check_plan_load(_env(BINHDANG_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=url), tmp_path)


@contextmanager
def _postgres_database() -> Iterator[str]:
    """A PostgreSQL database of its own (unique name: parallel runs never collide), dropped afterwards."""
    import psycopg

    name = f"test_crash_{uuid.uuid4().hex[:10]}"
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


# --- reporting: an Excel import and an acceptance -----------------------------------------------------------------


def _report_step(env: dict[str, str], tmp: Path, step: str) -> str:
    return _run_script(env, [str(REPORT_DRIVER), step, str(tmp)])


def _snapshot(env: dict[str, str], tmp: Path) -> dict[str, list[dict[str, Any]]]:
    rows: dict[str, list[dict[str, Any]]] = json.loads(_report_step(env, tmp, "snapshot"))
    return rows


def _rows(snap: dict[str, list[dict[str, Any]]], label: str, **match: Any) -> list[dict[str, Any]]:
    return [row for row in snap[label] if all(row[k] == v for k, v in match.items())]


def _assert_same(before: dict[str, list[dict[str, Any]]], after: dict[str, list[dict[str, Any]]], what: str) -> None:
    changed = {label for label in before.keys() | after.keys() if before.get(label) != after.get(label)}
    assert not changed, f"{what} left its tables changed: {sorted(changed)}"


def _check_excel_import(env: dict[str, str], tmp: Path) -> None:
    _report_step(env, tmp, "setup")
    report_id = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))["a"]
    before = _snapshot(env, tmp)
    # The save committed before the import: the count 7 with its note, and its audit event.
    (saved,) = _rows(before, "reporting.Value", report_id=report_id)
    assert (saved["value"], saved["note"]) == ("7.0000", "Lần lưu trước"), saved
    assert _rows(before, "reporting.AuditEvent", report_id=report_id, action="value")

    flag = _kill_mid_transaction(env, tmp, "import-hang", REPORT_DRIVER)
    assert flag == "Value x2", f"the import was killed before writing values: {flag}"
    _assert_same(before, _snapshot(env, tmp), "a killed Excel import")

    # The same file then imports normally: nothing was left locked or half-applied to trip over.
    assert "1 report(s) updated" in _report_step(env, tmp, "import")
    after = _snapshot(env, tmp)
    values = {(v["indicator_id"], v["sex"]): v for v in _rows(after, "reporting.Value", report_id=report_id)}
    assert len(values) == 4 and {v["value"] for v in values.values()} >= {"1040.0000"}, values
    (report,) = _rows(after, "reporting.Report", id=report_id)
    (report_before,) = _rows(before, "reporting.Report", id=report_id)
    assert report["version"] == report_before["version"] + 1


def _check_accept(env: dict[str, str], tmp: Path) -> None:
    _report_step(env, tmp, "setup")
    report_id = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))["b"]
    before = _snapshot(env, tmp)
    (report,) = _rows(before, "reporting.Report", id=report_id)
    assert report["status"] == "submitted", report
    notices_before = len(before["reporting.Notice"])

    flag = _kill_mid_transaction(env, tmp, "accept-hang", REPORT_DRIVER)
    assert flag == "AuditEvent x1", flag
    after_kill = _snapshot(env, tmp)
    _assert_same(before, after_kill, "a killed acceptance")
    assert not _rows(after_kill, "reporting.AuditEvent", report_id=report_id, new="accepted")

    # And the standing agency can then accept it normally: one status event, one notice per reporter's user.
    assert _report_step(env, tmp, "accept").split()[0] == "accepted"
    after = _snapshot(env, tmp)
    (report,) = _rows(after, "reporting.Report", id=report_id)
    assert (
        report["status"] == "accepted"
        and report["version"] == _rows(before, "reporting.Report", id=report_id)[0]["version"] + 1
    )
    assert len(_rows(after, "reporting.AuditEvent", report_id=report_id, action="status", new="accepted")) == 1
    assert len(after["reporting.Notice"]) == notices_before + 1  # the commune office has one user
    assert after["reporting.Value"] == before["reporting.Value"]


def test_excel_import_killed_mid_transaction_sqlite(tmp_path: Path) -> None:
    _check_excel_import(_env(BINHDANG_DATA_DIR=str(tmp_path / "data")), tmp_path)


def test_excel_import_killed_mid_transaction_postgres(tmp_path: Path) -> None:
    with _postgres_database() as url:
        _check_excel_import(_env(BINHDANG_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=url), tmp_path)


def test_accept_killed_mid_transaction_sqlite(tmp_path: Path) -> None:
    _check_accept(_env(BINHDANG_DATA_DIR=str(tmp_path / "data")), tmp_path)


def test_accept_killed_mid_transaction_postgres(tmp_path: Path) -> None:
    with _postgres_database() as url:
        _check_accept(_env(BINHDANG_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=url), tmp_path)
