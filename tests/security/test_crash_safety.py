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
from pathlib import Path

import pytest
from security.child_db import REPORT_DRIVER, ROOT, changed_tables, database, report_step, rows, run_script, snapshot

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
    return run_script(env, [str(script), step, str(tmp / "flag")], timeout)


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


def _check_plan_load(env: dict[str, str], tmp: Path) -> None:
    _run(env, tmp, "setup")
    before = _run(env, tmp, "count")
    assert before.startswith("1 1 "), before
    _kill_mid_transaction(env, tmp, "load")
    after = _run(env, tmp, "count")
    assert after == before, f"a killed plan load left rows behind or lost committed ones: {before!r} → {after!r}"


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_plan_load_killed_mid_transaction(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _check_plan_load(env, tmp_path)


# --- reporting: an Excel import and an acceptance -----------------------------------------------------------------


def _check_excel_import(env: dict[str, str], tmp: Path) -> None:
    report_step(env, tmp, "setup")
    report_id = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))["a"]
    before = snapshot(env, tmp)
    # The save committed before the import: the count 7 with its note, and its audit event.
    (saved,) = rows(before, "reporting.Value", report_id=report_id)
    assert (saved["value"], saved["note"]) == ("7.0000", "Lần lưu trước"), saved
    assert rows(before, "reporting.AuditEvent", report_id=report_id, action="value")

    flag = _kill_mid_transaction(env, tmp, "import-hang", REPORT_DRIVER)
    assert flag == "Value x2", f"the import was killed before writing values: {flag}"
    changed = changed_tables(before, snapshot(env, tmp))
    assert not changed, f"a killed Excel import left tables changed: {sorted(changed)}"

    # The same file then imports normally: nothing was left locked or half-applied to trip over.
    assert "1 report(s) updated" in report_step(env, tmp, "import")
    after = snapshot(env, tmp)
    values = {(v["indicator_id"], v["sex"]): v for v in rows(after, "reporting.Value", report_id=report_id)}
    assert len(values) == 4 and {v["value"] for v in values.values()} >= {"1040.0000"}, values
    (report,) = rows(after, "reporting.Report", id=report_id)
    (report_before,) = rows(before, "reporting.Report", id=report_id)
    assert report["version"] == report_before["version"] + 1


def _check_accept(env: dict[str, str], tmp: Path) -> None:
    report_step(env, tmp, "setup")
    report_id = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))["b"]
    before = snapshot(env, tmp)
    (report,) = rows(before, "reporting.Report", id=report_id)
    assert report["status"] == "submitted", report
    notices_before = len(before["reporting.Notice"])

    flag = _kill_mid_transaction(env, tmp, "accept-hang", REPORT_DRIVER)
    assert flag == "AuditEvent x1", flag
    after_kill = snapshot(env, tmp)
    changed = changed_tables(before, after_kill)
    assert not changed, f"a killed acceptance left tables changed: {sorted(changed)}"
    assert not rows(after_kill, "reporting.AuditEvent", report_id=report_id, new="accepted")

    # And the standing agency can then accept it normally: one status event, one notice per reporter's user.
    assert report_step(env, tmp, "accept").split()[0] == "accepted"
    after = snapshot(env, tmp)
    (report,) = rows(after, "reporting.Report", id=report_id)
    assert (
        report["status"] == "accepted"
        and report["version"] == rows(before, "reporting.Report", id=report_id)[0]["version"] + 1
    )
    assert len(rows(after, "reporting.AuditEvent", report_id=report_id, action="status", new="accepted")) == 1
    assert len(after["reporting.Notice"]) == notices_before + 1  # the commune office has one user
    assert after["reporting.Value"] == before["reporting.Value"]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_excel_import_killed_mid_transaction(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _check_excel_import(env, tmp_path)


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_accept_killed_mid_transaction(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _check_accept(env, tmp_path)
