"""Real worker processes (`binhdang worker`) against a database of their own, SQLite and PostgreSQL: a worker
SIGKILLed in the middle of reading a scanned PDF and in the middle of a workbook import's transaction; a new
worker finishes the job exactly once and nothing half-written is left. Two workers share twenty queued readings
(each task delivered twice) and read each document once. The child steps are tests/jobs/worker_driver.py."""

from __future__ import annotations

import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
from security.child_db import ROOT, database, run_script

DRIVER = Path(__file__).resolve().parent / "worker_driver.py"
READ = "reader.read"
IMPORT = "reporting.workbook_import"
# A short lease, so that a dead worker's job is taken over within seconds (production: 60 s).
LEASE = "3"


def _env(env: dict[str, str]) -> dict[str, str]:
    return {**env, "BINHDANG_JOB_LEASE_SECONDS": LEASE}


def _step(env: dict[str, str], tmp: Path, *args: str) -> str:
    return run_script(_env(env), [str(DRIVER), args[0], str(tmp), *args[1:]])


def _state(env: dict[str, str], tmp: Path, kind: str) -> dict[str, Any]:
    """The driver's dump, with the jobs of ``kind`` and their task rows only: the workers' sweep also enqueues
    the day's scheduled jobs (reminders, housekeeping) once their hour has come."""
    data: dict[str, Any] = json.loads(_step(env, tmp, "state"))
    data["jobs"] = [job for job in data["jobs"] if job["kind"] == kind]
    ids = {job["pk"] for job in data["jobs"]}
    data["tasks"] = [task for task in data["tasks"] if task["args_kwargs"]["args"][0] in ids]
    return data


def _query(env: dict[str, str], sql: str) -> list[tuple[Any, ...]]:
    """Peek at the child's database without starting Django (fast enough to poll)."""
    if "DATABASE_URL" in env:
        import psycopg

        with psycopg.connect(env["DATABASE_URL"], autocommit=True) as conn:
            return list(conn.execute(sql).fetchall())  # type: ignore[arg-type]
    with sqlite3.connect(Path(env["BINHDANG_DATA_DIR"]) / "binhdang.sqlite3", timeout=20) as conn:
        return list(conn.execute(sql).fetchall())


@contextmanager
def _worker(env: dict[str, str], tmp: Path, name: str) -> Iterator[subprocess.Popen[bytes]]:
    log = (tmp / f"{name}.log").open("wb")
    child = subprocess.Popen(
        [sys.executable, str(DRIVER), "worker", str(tmp)], env=_env(env), cwd=ROOT, stdout=log, stderr=log
    )
    try:
        yield child
    finally:
        if child.poll() is None:
            child.terminate()
            try:
                child.wait(timeout=20)
            except subprocess.TimeoutExpired:
                child.kill()
                child.wait(timeout=10)
        log.close()


def _wait(what: str, done: Callable[[], bool], child: subprocess.Popen[bytes], tmp: Path, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not done():
        if child.poll() is not None:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(tmp.glob("*.log")))
            raise AssertionError(f"the worker ended ({child.returncode}) before {what}:\n{logs}")
        if time.monotonic() > deadline:
            logs = "\n".join(p.read_text(errors="replace")[-2000:] for p in sorted(tmp.glob("*.log")))
            raise AssertionError(f"timed out waiting for {what}:\n{logs}")
        time.sleep(0.2)


def _kill(child: subprocess.Popen[bytes]) -> None:
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


def _job_state(env: dict[str, str], kind: str) -> str:
    rows = _query(env, f"SELECT state FROM jobs_job WHERE kind = '{kind}'")
    return str(rows[0][0]) if rows else ""


# --- a scanned PDF's reading, killed halfway through its OCR ---------------------------------------------------


def _check_read_killed(env: dict[str, str], tmp: Path) -> None:
    _step(env, tmp, "setup-read")
    with _worker(env, tmp, "first") as first:
        # Killed once OCR has finished a page and before the last: the middle of the reading.
        def mid_ocr() -> bool:
            rows = _query(env, "SELECT stage FROM reader_documentimport")
            stage = str(rows[0][0]) if rows else ""
            if not stage.startswith("pages "):
                return False
            done, total = (int(x) for x in stage.split()[1].split("/"))
            return 1 <= done < total

        _wait("OCR to be halfway", mid_ocr, first, tmp, timeout=90)
        _kill(first)
    killed = _state(env, tmp, READ)
    (doc,) = killed["imports"]
    assert doc["status"] == "running" and doc["result"] is None, doc
    (job,) = killed["jobs"]
    assert (job["state"], job["attempts"]) == ("running", 1), job

    with _worker(env, tmp, "second") as second:
        _wait(
            "the reading to finish", lambda: _job_state(env, READ) in ("succeeded", "failed"), second, tmp, timeout=120
        )
    after = _state(env, tmp, READ)
    (job,) = after["jobs"]
    # Taken over once (the lease ran out), then read to its end once.
    assert (job["state"], job["attempts"], job["error"]) == ("succeeded", 2, ""), job
    (doc,) = after["imports"]
    assert doc["status"] == "parsed" and doc["progress"] == 100, doc
    assert doc["result"]["source"]["media_type"] == "application/pdf", doc["result"].get("source")
    statuses = sorted(t["status"] for t in after["tasks"])
    # The dead worker's task row says it failed; the one that ran the job again succeeded.
    assert statuses == ["FAILED", "SUCCESSFUL"], after["tasks"]


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_reading_a_scan_survives_a_killed_worker(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _check_read_killed(env, tmp_path)


# --- a period workbook import, killed inside its transaction ---------------------------------------------------


def _reporting(state: dict[str, Any]) -> dict[str, Any]:
    return {k: v for k, v in state.items() if k.startswith("reporting.")}


def _check_import_killed(env: dict[str, str], tmp: Path) -> None:
    _step(env, tmp, "setup-import")
    ids = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))
    before = _state(env, tmp, IMPORT)
    assert not before["reporting.Value"]
    (tmp / "hang").touch()
    with _worker(env, tmp, "first") as first:
        _wait("the import to write values", lambda: (tmp / "flag").exists(), first, tmp, timeout=90)
        time.sleep(0.3)  # the flag is written just before the sleep inside the transaction
        assert (tmp / "flag").read_text(encoding="utf-8") == "Value x2"
        _kill(first)
    killed = _state(env, tmp, IMPORT)
    assert _reporting(killed) == _reporting(before), "a killed import left reporting rows behind"
    (job,) = killed["jobs"]
    assert (job["state"], job["attempts"]) == ("running", 1), job

    (tmp / "hang").unlink()
    with _worker(env, tmp, "second") as second:
        _wait(
            "the import to finish", lambda: _job_state(env, IMPORT) in ("succeeded", "failed"), second, tmp, timeout=120
        )
    after = _state(env, tmp, IMPORT)
    (job,) = after["jobs"]
    assert (job["state"], job["attempts"]) == ("succeeded", 2), job
    assert job["result"]["ok"] and job["result"]["saved"] == len(ids["reports"]), job["result"]
    values = after["reporting.Value"]
    # Each commune's count, written once: one value per report, and each report's version moved on once.
    assert sorted((v["report_id"], v["indicator_id"], v["value"]) for v in values) == sorted(
        (r, ids["i2"], "1040.0000") for r in ids["reports"]
    )
    versions_before = {r["id"]: r["version"] for r in before["reporting.Report"]}
    assert {r["id"]: r["version"] for r in after["reporting.Report"]} == {
        pk: v + (1 if pk in ids["reports"] else 0) for pk, v in versions_before.items()
    }
    value_events = [e for e in after["reporting.AuditEvent"] if e["action"] == "value"]
    assert len(value_events) == len(ids["reports"]), value_events


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_workbook_import_survives_a_killed_worker(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _check_import_killed(env, tmp_path)


# --- two workers, twenty readings ------------------------------------------------------------------------------


@pytest.mark.parametrize("backend", ["sqlite", "postgres"])
def test_two_workers_read_each_of_twenty_documents_once(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        _step(env, tmp_path, "setup-docs", "20")
        with _worker(env, tmp_path, "w1") as w1, _worker(env, tmp_path, "w2") as w2:

            def all_done() -> bool:
                assert w2.poll() is None, "the second worker ended"
                rows = _query(
                    env, f"SELECT COUNT(*) FROM jobs_job WHERE kind = '{READ}' AND state IN ('succeeded', 'failed')"
                )
                # And the second delivery of each task has been taken off the queue too.
                left = _query(
                    env, "SELECT COUNT(*) FROM django_tasks_database_dbtaskresult WHERE status IN ('READY', 'RUNNING')"
                )
                return int(rows[0][0]) == 20 and int(left[0][0]) == 0

            _wait("twenty readings", all_done, w1, tmp_path, timeout=150)
        state = _state(env, tmp_path, READ)
    jobs = state["jobs"]
    assert len(jobs) == 20
    # Every job claimed once (attempts counts claims) and finished, though each was on the queue twice.
    assert {(j["state"], j["attempts"]) for j in jobs} == {("succeeded", 1)}, jobs
    assert {d["status"] for d in state["imports"]} == {"parsed"}
    returns = sorted(str(t["return_value"]) for t in state["tasks"])
    # Forty deliveries or more (the sweep may queue a job again if it looks stuck): twenty ran, the rest skipped.
    assert returns.count("succeeded") == 20 and len(returns) >= 40, returns
    assert all(r.startswith("skipped") for r in returns if r != "succeeded"), returns
    assert len({j["worker"] for j in jobs}) == 2, "both workers should have taken jobs"
