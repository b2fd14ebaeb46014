"""`binhdang report status`: expected, submitted, on time, late and missing per period, as text and JSON."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from binhdang.reporting.checks import Entry
from binhdang.reporting.services import periods_generate, report_save, report_submit, reports_generate


@pytest.fixture
def reported(cycle: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    """Commune A sends its 6-month report on time; the others send nothing."""
    from binhdang.plans.models import Plan

    Plan.objects.filter(pk=cycle.plan.pk).update(code="12/KH-UBND")
    periods = periods_generate(plan=cycle.plan)
    semiannual = next(p for p in periods if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=semiannual) if r.reporter_id == cycle.a_office.pk)
    monkeypatch.setattr("django.utils.timezone.now", lambda: dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC))
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[
            Entry(cycle.i1.pk, "total", numerator=Decimal(1), denominator=Decimal(2)),
            Entry(cycle.i2.pk, "total", value=Decimal(0)),
        ],
    )
    report_submit(report=report, user=cycle.commune_user, version=report.version)
    monkeypatch.undo()
    return cycle


def _run(*args: str) -> str:
    out = StringIO()
    call_command("report", "status", *args, stdout=out)
    return out.getvalue()


def test_json_gives_the_counts_per_period_for_scripts(reported: Any) -> None:
    data = json.loads(_run("--plan", "12/KH-UBND", "--json", "--today", "2026-07-01"))
    assert data["today"] == "2026-07-01"
    first, second = data["periods"]
    assert first["period"] == "Báo cáo 6 tháng đầu năm 2026" and first["due"] == "2026-06-09"
    assert (first["expected"], first["submitted"], first["on_time"], first["late"], first["missing"]) == (3, 1, 1, 0, 2)
    # A lower committee's standing agency is named with its unit: several share the name "Phòng Văn hóa - Xã hội".
    missing_committee = f"Phòng Văn hóa - Xã hội ({reported.commune_b.name})"
    assert sorted(first["missing_reporters"]) == sorted([missing_committee, "Sở Y tế"])
    assert first["plan"] == "12/KH-UBND" and first["plan_id"] == reported.plan.pk
    assert second["expected"] == 0  # the annual period has no reports generated yet


def test_before_the_deadline_unsent_reports_are_pending_not_missing(reported: Any) -> None:
    first = json.loads(_run("--json", "--today", "2026-06-05"))["periods"][0]
    assert (first["missing"], first["pending"]) == (0, 2)


def test_text_is_a_table_in_english(reported: Any) -> None:
    text = _run("--plan", "12/KH-UBND", "--today", "2026-07-01")
    assert "Reporting status on 2026-07-01" in text
    assert "expected  submitted    on time" in text
    line = next(row for row in text.splitlines() if row.startswith("Báo cáo 6 tháng đầu năm 2026"))
    assert line.split()[-6:] == ["3", "1", "1", "0", "2", "0"]
    assert "missing: " in text


def test_an_unknown_plan_code_is_a_clear_error(reported: Any) -> None:
    with pytest.raises(CommandError, match=r"No plan has the code '99/KH-UBND'\. Known codes: 12/KH-UBND"):
        _run("--plan", "99/KH-UBND")


def test_a_bad_day_is_a_clear_error(reported: Any) -> None:
    with pytest.raises(CommandError, match="--today must be a date written YYYY-MM-DD"):
        _run("--today", "1/7/2026")
