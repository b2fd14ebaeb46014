"""Real races: two OS threads with their own database connections, released together by a barrier, write the
same report at once (tests/security/race_driver.py, in a child process on a database of its own, so both see
committed data). The first to take the report's row lock is held inside its transaction until the other is
seen waiting for that lock (PostgreSQL), so the transactions truly overlap. Exactly one wins; the loser gets
the named error with its Vietnamese message; nothing is lost and the audit trail and notices match the
winner. Every row of the reporting, plans and analytics tables is compared before and after.

On SQLite (a file, immediate transactions) the second writer waits at BEGIN: the same outcomes hold."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from security.child_db import RACE_DRIVER, Snapshot, changed_tables, database, report_step, rows, run_script, snapshot

STALE = "Báo cáo vừa được người khác thay đổi"
NOT_EDITABLE = "Báo cáo đã gửi, đang chờ duyệt"
BACKENDS = ["sqlite", "postgres"]
# What a decision on a report may write: the report, its event, the notice, and the summary of accepted values.
DECISION_TABLES = {"reporting.Report", "reporting.AuditEvent", "reporting.Notice", "reporting.AcceptedSum"}


def _race(env: dict[str, str], tmp: Path, scenario: str) -> tuple[Snapshot, dict[str, Any], Snapshot, dict[str, int]]:
    report_step(env, tmp, "setup")
    ids: dict[str, int] = json.loads((tmp / "ids.json").read_text(encoding="utf-8"))
    before = snapshot(env, tmp)
    result: dict[str, Any] = json.loads(run_script(env, [str(RACE_DRIVER), scenario, str(tmp)]))
    after = snapshot(env, tmp)
    assert len(result["outcomes"]) == 2, result
    if "postgres" in env.get("DATABASE_URL", ""):
        assert result["lock_wait_seen"], f"the second writer never waited for the row lock: {result}"
    return before, result, after, ids


def _winner_and_loser(result: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    outcomes = result["outcomes"]
    winners = [name for name, o in outcomes.items() if o["ok"]]
    assert len(winners) == 1, f"exactly one write must win: {outcomes}"
    (loser,) = [o for o in outcomes.values() if not o["ok"]]
    return winners[0], loser


def _only_changed(before: Snapshot, after: Snapshot, allowed: set[str]) -> None:
    changed = changed_tables(before, after)
    assert changed <= allowed, f"tables changed beyond {sorted(allowed)}: {sorted(changed - allowed)}"


def _new_rows(before: Snapshot, after: Snapshot, label: str) -> list[dict[str, Any]]:
    old = {row["id"] for row in before[label]}
    return [row for row in after[label] if row["id"] not in old]


def _summary_follows(before: Snapshot, after: Snapshot, report_id: int, accepted: bool) -> None:
    """The summary of accepted values gains the report's own rows in the same transaction, or stays as it was."""
    if not accepted:
        assert after["reporting.AcceptedSum"] == before["reporting.AcceptedSum"]
        return
    (report,) = rows(after, "reporting.Report", id=report_id)
    values = rows(after, "reporting.Value", report_id=report_id)
    own = [
        r
        for r in _new_rows(before, after, "reporting.AcceptedSum")
        if r["unit_id"] == report["unit_id"] and r["own"] and r["period_id"] == report["period_id"]
    ]
    assert values and {(r["indicator_id"], r["sex"]) for r in own} == {(v["indicator_id"], v["sex"]) for v in values}
    assert all(r["reports"] == 1 for r in own)


@pytest.mark.parametrize("backend", BACKENDS)
def test_two_people_save_the_same_version_at_once(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        before, result, after, ids = _race(env, tmp_path, "save-save")
    winner, loser = _winner_and_loser(result)
    assert loser["error"] == "StaleReport" and STALE in loser["message"], loser
    figure, typed = {"xa_a": ("11.0000", "11"), "tinh": ("22.0000", "22")}[winner]
    (value,) = rows(after, "reporting.Value", report_id=ids["a"], indicator_id=ids["i2"], sex="total")
    assert value["value"] == figure, "the winner's figure is not the one stored"
    (report_before,) = rows(before, "reporting.Report", id=ids["a"])
    (report_after,) = rows(after, "reporting.Report", id=ids["a"])
    assert report_after["version"] == report_before["version"] + 1 == result["outcomes"][winner]["version"]
    # The audit trail is the winner's alone: the count from the committed 7 to its figure, and the note it cleared.
    winner_id = rows(after, "auth.User", username=winner)[0]["id"]
    events = {e["field"]: e for e in _new_rows(before, after, "reporting.AuditEvent")}
    assert {e["user_id"] for e in events.values()} == {winner_id}
    assert sorted(events) == [f"indicator:{ids['i2']}:total:{attr}" for attr in ("note", "value")]
    value_event = events[f"indicator:{ids['i2']}:total:value"]
    assert (value_event["old"], value_event["new"]) == ("7.0000", typed)
    _only_changed(before, after, {"reporting.Value", "reporting.Report", "reporting.AuditEvent"})
    assert [r for r in after["reporting.Report"] if r["id"] != ids["a"]] == [
        r for r in before["reporting.Report"] if r["id"] != ids["a"]
    ]


@pytest.mark.parametrize("backend", BACKENDS)
def test_accept_while_the_reporter_saves(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        before, result, after, ids = _race(env, tmp_path, "accept-save")
    winner, loser = _winner_and_loser(result)
    assert winner == "tinh", "a submitted report can only be decided, never saved"
    # Saved first, the reporter finds the report sent; second, a version that moved on.
    assert (loser["error"], loser["message"][:30]) in {
        ("ReportNotEditable", NOT_EDITABLE[:30]),
        ("StaleReport", STALE[:30]),
    }, loser
    (report,) = rows(after, "reporting.Report", id=ids["b"])
    assert report["status"] == "accepted"
    assert after["reporting.Value"] == before["reporting.Value"], "a figure changed in an accepted report"
    (event,) = _new_rows(before, after, "reporting.AuditEvent")
    assert (event["report_id"], event["action"], event["old"], event["new"]) == (
        ids["b"],
        "status",
        "submitted",
        "accepted",
    )
    assert len(_new_rows(before, after, "reporting.Notice")) == 1
    _summary_follows(before, after, ids["b"], accepted=True)
    _only_changed(before, after, DECISION_TABLES)


@pytest.mark.parametrize("backend", BACKENDS)
def test_accept_and_return_at_once(backend: str, tmp_path: Path) -> None:
    with database(backend, tmp_path) as env:
        before, result, after, ids = _race(env, tmp_path, "accept-return")
    winner, loser = _winner_and_loser(result)
    assert loser["error"] == "StaleReport" and STALE in loser["message"], loser
    decided = {"tinh": "accepted", "admin": "returned"}[winner]
    (report,) = rows(after, "reporting.Report", id=ids["b"])
    assert report["status"] == decided == result["outcomes"][winner]["status"]
    (event,) = _new_rows(before, after, "reporting.AuditEvent")
    assert (event["action"], event["old"], event["new"]) == ("status", "submitted", decided)
    (notice,) = _new_rows(before, after, "reporting.Notice")
    assert notice["user_id"] == rows(after, "auth.User", username="xa_b")[0]["id"]
    assert after["reporting.Value"] == before["reporting.Value"]
    _summary_follows(before, after, ids["b"], accepted=decided == "accepted")
    _only_changed(before, after, DECISION_TABLES)
