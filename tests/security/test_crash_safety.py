"""Crash safety: a child process is SIGKILLed in the middle of a write transaction; nothing is half-written and
what was committed before survives. The child runs a small driver against a temporary database (a SQLite file
under a temporary BINHDANG_DATA_DIR, or a PostgreSQL database created and dropped here); a post_save receiver
inside the transaction tells the parent "I am mid-transaction" and sleeps until killed."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import textwrap
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]

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
    done = subprocess.run(
        [sys.executable, str(script), step, str(tmp / "flag")],
        env=env,
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    return done.stdout.strip()


def _kill_mid_transaction(env: dict[str, str], tmp: Path, step: str) -> None:
    flag = tmp / "flag"
    flag.unlink(missing_ok=True)
    child = subprocess.Popen(
        [sys.executable, str(tmp / "driver.py"), step, str(flag)],
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
    os.kill(child.pid, signal.SIGKILL)
    child.wait(timeout=30)
    assert child.returncode == -signal.SIGKILL


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
    import psycopg

    server = "postgres://postgres@127.0.0.1:5432"
    name = f"test_crash_{uuid.uuid4().hex[:10]}"
    try:
        admin = psycopg.connect(f"{server}/postgres", autocommit=True, connect_timeout=3)
    except psycopg.OperationalError as exc:
        # The test command requires the server (scripts/test checks it first): its absence is a failure.
        raise AssertionError("no PostgreSQL server at 127.0.0.1:5432") from exc
    with admin:
        admin.execute(f'CREATE DATABASE "{name}"')
        try:
            _check_plan_load(_env(BINHDANG_DATA_DIR=str(tmp_path / "data"), DATABASE_URL=f"{server}/{name}"), tmp_path)
        finally:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
