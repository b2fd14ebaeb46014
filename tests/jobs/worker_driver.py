"""The child process of tests/jobs/test_workers.py: one step per run, against the database in the environment
(a SQLite file under BINHDANG_DATA_DIR, or DATABASE_URL).

    python tests/jobs/worker_driver.py STEP WORKDIR [N]

Steps: ``setup-read`` (a four-page scanned PDF uploaded and its reading queued), ``setup-import`` (the standard
reporting cycle and a filled period workbook whose import is queued), ``setup-docs N`` (N different text plans
uploaded, their readings queued, and each job's task queued a second time, as a queue delivering twice would),
``worker`` (a real ``binhdang worker``; with WORKDIR/hang present, it flags WORKDIR/flag once the import has
written two values inside its transaction and sleeps there until killed), ``state`` (jobs, task rows, uploads,
and every row of the reporting tables, as JSON).
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))
SCAN_PAGE = ROOT / "tests" / "docparse" / "cases" / "002_scan.pdf"


def scanned_pdf() -> bytes:
    """Four pages stored as images only (the scan of seed 002's first page, tests/docparse/cases), joined by
    poppler's pdfunite: OCR reads them one by one, a few seconds each."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "scan4.pdf"
        subprocess.run(["pdfunite", *[str(SCAN_PAGE)] * 4, str(out)], check=True, timeout=60)
        return out.read_bytes()


def _world() -> Any:
    from conftest import build_world

    from binhdang.places.refdata import units_load

    call_command("migrate", verbosity=0)
    units_load()
    return build_world()


def setup_read(work: Path) -> None:
    from binhdang.reader.services import document_read_in_background, document_upload

    world = _world()
    doc, _ = document_upload(user=world.admin, filename="scan.pdf", data=scanned_pdf())
    document_read_in_background(import_id=doc.pk)
    (work / "ids.json").write_text(json.dumps({"import": doc.pk}), encoding="utf-8")


def setup_docs(work: Path, count: int) -> None:
    from conftest import GOLDEN, SEEDS

    from binhdang.jobs.models import Job
    from binhdang.jobs.tasks import job_run
    from binhdang.reader.services import document_read_in_background, document_upload

    world = _world()
    ids = []
    for n in range(count):
        seed = SEEDS[n % len(SEEDS)]
        # A different file each time (the same bytes would be the same upload): a closing line with its number.
        data = (GOLDEN / f"{seed}.txt").read_bytes() + f"\nBản số {n + 1}.\n".encode()
        doc, created = document_upload(user=world.admin, filename=f"plan-{n + 1}.txt", data=data)
        assert created
        document_read_in_background(import_id=doc.pk)
        ids.append(doc.pk)
    for job in Job.objects.all():
        job_run.enqueue(job.pk)
    # Each reading takes a moment in the workers (see ``worker``), so one worker that starts a second earlier
    # cannot empty the queue before the other is up: both must take jobs.
    (work / "slow").write_text("0.3", encoding="utf-8")
    (work / "ids.json").write_text(json.dumps({"imports": ids}), encoding="utf-8")


def setup_import(work: Path) -> None:
    import openpyxl
    from conftest import build_cycle

    from binhdang.reporting.jobs import period_import_enqueue
    from binhdang.reporting.services import periods_generate, reports_generate
    from binhdang.reporting.spreadsheets import SHEET_INDICATORS, period_reports, period_workbook

    cycle = build_cycle(_world())
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports_generate(period=period)
    # The lower-level committees' reports: those the period workbook holds.
    reports = period_reports(period)
    wb = openpyxl.load_workbook(io.BytesIO(period_workbook(period, reports)))
    ws = wb[SHEET_INDICATORS]
    cols = {cell.value: cell.column for cell in ws[1] if cell.value}
    filled = 0
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 1040
            filled += 1
    out = io.BytesIO()
    wb.save(out)
    job = period_import_enqueue(
        user=cycle.province_user, period=period, data=out.getvalue(), filename="ky.xlsx", back="/"
    )
    assert filled == len(reports), (filled, len(reports))
    ids = {"job": job.pk, "period": period.pk, "reports": [r.pk for r in reports], "i2": cycle.i2.pk}
    (work / "ids.json").write_text(json.dumps(ids), encoding="utf-8")


def worker(work: Path) -> None:
    if (work / "hang").exists():
        from binhdang.reporting.models import Value

        seen = {"n": 0}

        def hang(sender: Any, instance: Any, **kwargs: Any) -> None:
            seen["n"] += 1
            if seen["n"] == 2:
                (work / "flag").write_text(f"Value x{seen['n']}", encoding="utf-8")
                time.sleep(300)

        post_save.connect(hang, sender=Value, weak=False)
    if (work / "slow").exists():
        from binhdang.reader import jobs as reader_jobs

        pause = float((work / "slow").read_text(encoding="utf-8"))
        read = reader_jobs.document_read

        def slow_read(**kwargs: Any) -> Any:
            time.sleep(pause)
            return read(**kwargs)

        reader_jobs.document_read = slow_read  # type: ignore[assignment]
    # No daily schedules here (tests/jobs/test_jobs.py tests them): past 07:30 the reminders would write their
    # records into the reporting tables this test compares, depending on the hour it runs.
    from binhdang.jobs.registry import SCHEDULES

    SCHEDULES.clear()
    call_command("worker", interval=0.2)


def state() -> None:
    from django_tasks_db.models import DBTaskResult

    from binhdang.jobs.models import Job
    from binhdang.reader.models import DocumentImport

    rows: dict[str, Any] = {
        "jobs": list(
            Job.objects.order_by("pk").values(
                "pk", "kind", "state", "attempts", "progress", "error", "error_code", "worker", "result"
            )
        ),
        "tasks": list(DBTaskResult.objects.order_by("enqueued_at").values("args_kwargs", "status", "return_value")),
        "imports": list(
            DocumentImport.objects.order_by("pk").values("pk", "status", "progress", "stage", "error", "result")
        ),
    }
    for model in apps.get_app_config("reporting").get_models():
        rows[model._meta.label] = list(model.objects.order_by("pk").values())
    print(json.dumps(rows, default=str, sort_keys=True))


def main() -> None:
    step, work = sys.argv[1], Path(sys.argv[2])
    if step == "setup-read":
        setup_read(work)
    elif step == "setup-docs":
        setup_docs(work, int(sys.argv[3]))
    elif step == "setup-import":
        setup_import(work)
    elif step == "worker":
        worker(work)
    elif step == "state":
        state()
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    main()
