"""The child process of tests/security/test_crash_safety.py's reporting cases: one step per run, against the
database in the environment (a SQLite file under BINHDANG_DATA_DIR, or DATABASE_URL).

    python tests/security/crash_driver.py STEP WORKDIR

Steps: ``setup`` (the standard world and reporting cycle; commune A's report saved once and its workbook
downloaded and filled; commune B's report submitted), ``snapshot`` (every row of the reporting, plans and
analytics tables and the users, as JSON), ``import`` / ``import-hang`` (commune A's workbook through the
``report_import`` command), ``accept`` / ``accept-hang`` (the standing agency accepts commune B's report).
The ``-hang`` steps write WORKDIR/flag once they are inside the transaction, past the writes named below, and
sleep until the parent kills them.
"""

from __future__ import annotations

import io
import json
import os
import sys
import time
from decimal import Decimal
from pathlib import Path
from typing import Any

import django

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "binhdang.settings")
django.setup()

from django.apps import apps  # noqa: E402
from django.contrib.auth import get_user_model  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db.models.signals import post_save  # noqa: E402

ROOT = Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tests"))

SNAPSHOT_APPS = ("reporting", "plans", "analytics")
HANG_SECONDS = 300


def _hang_after(model: Any, flag: Path, *, count: int, when: Any = None) -> None:
    """After the count-th matching save of ``model`` (inside the service's transaction): flag, then sleep."""
    seen = {"n": 0}

    def receiver(sender: Any, instance: Any, **kwargs: Any) -> None:
        if when is not None and not when(instance):
            return
        seen["n"] += 1
        if seen["n"] >= count:
            flag.write_text(f"{model.__name__} x{seen['n']}", encoding="utf-8")
            time.sleep(HANG_SECONDS)

    post_save.connect(receiver, sender=model, weak=False)


def setup(work: Path) -> None:
    import openpyxl
    from conftest import build_cycle, build_world

    from binhdang.places.refdata import units_load
    from binhdang.reporting.checks import Entry
    from binhdang.reporting.entries import sexes_for
    from binhdang.reporting.services import periods_generate, report_save, report_submit, reports_generate
    from binhdang.reporting.spreadsheets import SHEET_INDICATORS, report_workbook

    call_command("migrate", verbosity=0)
    units_load()
    cycle = build_cycle(build_world())
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    a, b = by_agency[cycle.a_office.pk], by_agency[cycle.b_office.pk]

    # The committed save the killed import must not disturb.
    a = report_save(
        report=a,
        user=cycle.commune_user,
        version=a.version,
        entries=[Entry(cycle.i2.pk, "total", Decimal(7), note="Lần lưu trước")],
    )
    # The workbook downloaded after that save, filled offline: every cell of both indicators changes.
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(a)))
    ws = wb[SHEET_INDICATORS]
    cols = {cell.value: cell.column for cell in ws[1] if cell.value}
    figures = {"Tổng": (90, 200), "Nữ": (45, 100), "Nam": (45, 100)}
    for row in range(2, ws.max_row + 1):
        indicator, sex = ws.cell(row, cols["Mã chỉ tiêu"]).value, ws.cell(row, cols["Giới tính"]).value
        if indicator == cycle.i1.pk:
            ws.cell(row, cols["Tử số"]).value, ws.cell(row, cols["Mẫu số"]).value = figures[sex]
        elif indicator == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 1040
    wb.save(work / "a.xlsx")

    # Commune B's report, filled and submitted: waiting for the standing agency.
    b = report_save(
        report=b,
        user=cycle.other_commune_user,
        version=b.version,
        entries=[Entry(cycle.i2.pk, "total", Decimal(3))]
        + [Entry(cycle.i1.pk, sex, note="Chưa thống kê") for sex in sexes_for(cycle.i1)],
    )
    b = report_submit(report=b, user=cycle.other_commune_user, version=b.version)
    ids = {"a": a.pk, "b": b.pk, "i2": cycle.i2.pk}
    (work / "ids.json").write_text(json.dumps(ids), encoding="utf-8")


def snapshot() -> None:
    models = [m for label in SNAPSHOT_APPS for m in apps.get_app_config(label).get_models()]
    models.append(get_user_model())
    rows = {m._meta.label: list(m.objects.order_by("pk").values()) for m in models}
    print(json.dumps(rows, default=str, sort_keys=True))


def do_import(work: Path, ids: dict[str, int], *, hang: bool) -> None:
    from binhdang.reporting.models import Value

    if hang:
        # Two Value rows written (of the six the file changes) and their audit events still to come.
        _hang_after(Value, work / "flag", count=2)
    call_command("report_import", str(work / "a.xlsx"), user="xa_a", report=ids["a"])


def do_accept(work: Path, ids: dict[str, int], *, hang: bool) -> None:
    from binhdang.reporting.models import AuditEvent, Report
    from binhdang.reporting.services import report_accept

    if hang:
        # The report row already says "accepted" and its audit event is written; the notices are not.
        _hang_after(AuditEvent, work / "flag", count=1, when=lambda event: event.new == "accepted")
    report = Report.objects.get(pk=ids["b"])
    user = get_user_model().objects.get(username="tinh")
    accepted = report_accept(report=report, user=user, version=report.version)
    print(accepted.status, accepted.version)


def main() -> None:
    step, work = sys.argv[1], Path(sys.argv[2])
    if step == "setup":
        setup(work)
        return
    if step == "snapshot":
        snapshot()
        return
    ids = json.loads((work / "ids.json").read_text(encoding="utf-8"))
    if step in ("import", "import-hang"):
        do_import(work, ids, hang=step.endswith("-hang"))
    elif step in ("accept", "accept-hang"):
        do_accept(work, ids, hang=step.endswith("-hang"))
    else:
        raise SystemExit(f"unknown step {step!r}")


if __name__ == "__main__":
    main()
