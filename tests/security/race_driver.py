"""The child process of tests/security/test_races.py: two OS threads, each with its own database connection,
released together by a barrier, doing two conflicting writes on one report. Run after crash_driver.py's
``setup`` on the same database and WORKDIR.

    python tests/security/race_driver.py SCENARIO WORKDIR

The first racer to come out of the services' ``_lock`` (inside its transaction, holding the report's row lock)
waits there until the other racer's connection is seen waiting for a lock in ``pg_stat_activity`` (PostgreSQL),
or for at most a few seconds (SQLite, whose immediate transactions make the second writer wait at BEGIN): so the
two transactions overlap for real, whatever the scheduler does. Prints one JSON line: each racer's outcome
(``ok`` and the report's new status and version, or the exception's class and message) and whether a lock
wait was seen.
"""

from __future__ import annotations

import json
import sys
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import crash_driver  # noqa: F401  (sets Django up, and puts tests/ on the path)
from django.contrib.auth import get_user_model
from django.db import connection

from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report
from binhdang.reporting.services import report_accept, report_return, report_save

HOLD_SECONDS = 20


def _user(name: str) -> Any:
    return get_user_model().objects.get(username=name)


def _racers(scenario: str, ids: dict[str, int]) -> dict[str, Callable[[], Report]]:
    """Two conflicting writes, both from the version the report has now (the page each person had open)."""
    if scenario == "save-save":
        # Commune A's reporter and the standing agency (who may enter a lower committee's figures) both save.
        report = Report.objects.get(pk=ids["a"])
        version = report.version

        def save_as(username: str, figure: int) -> Callable[[], Report]:
            user = _user(username)
            return lambda: report_save(
                report=report, user=user, version=version, entries=[Entry(ids["i2"], "total", Decimal(figure))]
            )

        return {"xa_a": save_as("xa_a", 11), "tinh": save_as("tinh", 22)}
    report = Report.objects.get(pk=ids["b"])
    version = report.version
    acceptor = _user("tinh")
    accept = {"tinh": lambda: report_accept(report=report, user=acceptor, version=version)}
    if scenario == "accept-save":
        # The standing agency accepts commune B's submitted report while its reporter posts figures (API or an
        # old tab) with the version it last saw.
        reporter = _user("xa_b")
        return accept | {
            "xa_b": lambda: report_save(
                report=report, user=reporter, version=version, entries=[Entry(ids["i2"], "total", Decimal(99))]
            )
        }
    if scenario == "accept-return":
        # Two people of the standing agency decide on the same submitted report at once.
        admin = _user("admin")
        return accept | {
            "admin": lambda: report_return(report=report, user=admin, comment="Thiếu nguồn số liệu", version=version)
        }
    raise SystemExit(f"unknown scenario {scenario!r}")


def _lock_waiters() -> int:
    if connection.vendor != "postgresql":
        return 0
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT count(*) FROM pg_stat_activity WHERE datname = current_database() AND wait_event_type = 'Lock'"
        )
        row = cursor.fetchone()
    return int(row[0]) if row else 0


def race(scenario: str, ids: dict[str, int]) -> dict[str, Any]:
    racers = _racers(scenario, ids)
    release = threading.Event()
    holder: list[str] = []
    guard = threading.Lock()

    take_lock = services._lock

    def lock_and_hold(report: Report, version: int | None) -> Report:
        locked = take_lock(report, version)  # the version check passed: this racer goes on to write
        name = threading.current_thread().name
        with guard:
            first = name in racers and not holder
            if first:
                holder.append(name)
        if first:
            release.wait(HOLD_SECONDS)
        return locked

    services._lock = lock_and_hold  # type: ignore[assignment]  # the services look it up at each call
    barrier = threading.Barrier(len(racers))
    outcomes: dict[str, dict[str, Any]] = {}

    def run(name: str, write: Callable[[], Report]) -> None:
        try:
            barrier.wait()
            report = write()
            outcomes[name] = {"ok": True, "status": report.status, "version": report.version}
        except Exception as exc:  # the outcome is the result: the parent asserts on it
            outcomes[name] = {"ok": False, "error": type(exc).__name__, "message": str(exc)}
        finally:
            connection.close()

    threads = [threading.Thread(target=run, args=(n, w), name=n) for n, w in racers.items()]
    for thread in threads:
        thread.start()
    lock_wait_seen = False
    deadline = time.monotonic() + (HOLD_SECONDS if connection.vendor == "postgresql" else 2)
    while time.monotonic() < deadline and not lock_wait_seen:
        lock_wait_seen = bool(holder) and _lock_waiters() > 0
        time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(HOLD_SECONDS * 2)
    return {"outcomes": outcomes, "first": holder[0] if holder else None, "lock_wait_seen": lock_wait_seen}


def main() -> None:
    scenario, work = sys.argv[1], Path(sys.argv[2])
    ids = json.loads((work / "ids.json").read_text(encoding="utf-8"))
    print(json.dumps(race(scenario, ids), ensure_ascii=False))


if __name__ == "__main__":
    main()
