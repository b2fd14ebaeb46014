"""A published-data world for open data and DHIS2 tests: the reporting `cycle` plan with reports in every state."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

from conftest import minimal_plan, wage_share_indicator

from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_return,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal


def cycle_plan() -> Any:
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        {**wage_share_indicator(), "targets": []},
        {
            "id": "I2",
            "objective": "O1",
            "text": "Số vụ bạo lực gia đình được phát hiện",
            "measure": "count",
            "targets": [],
        },
    ]
    doc["tasks"] = []
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    return plan_load(doc)


def fill(report: Report, user: Any, entries: list[Entry]) -> Report:
    return report_save(report=report, user=user, version=report.version, entries=entries)


def rate(indicator: Any, total: tuple[int, int], female: tuple[int, int], male: tuple[int, int]) -> list[Entry]:
    return [
        Entry(indicator.pk, sex, numerator=D(n), denominator=D(d))
        for sex, (n, d) in (("total", total), ("female", female), ("male", male))
    ]


def build(world: SimpleNamespace) -> SimpleNamespace:
    """Semiannual 2026: commune A accepted, commune B returned, Sở Y tế submitted; annual: B left in draft."""
    plan = cycle_plan()
    i1, i2 = plan.indicators.get(key="I1"), plan.indicators.get(key="I2")
    periods = periods_generate(plan=plan)
    semi = next(p for p in periods if p.kind == "semiannual")
    annual = next(p for p in periods if p.kind == "annual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=semi)}
    admin = world.admin
    a = fill(
        by_agency[world.a_office.pk],
        admin,
        [*rate(i1, (90, 200), (45, 100), (45, 100)), Entry(i2.pk, "total", value=D(7))],
    )
    a = report_accept(
        report=(sent := report_submit(report=a, user=admin, version=a.version)), user=admin, version=sent.version
    )
    b = fill(
        by_agency[world.b_office.pk],
        admin,
        [*rate(i1, (777, 1000), (333, 500), (444, 500)), Entry(i2.pk, "total", value=D(9191))],
    )
    b = report_return(
        report=(sent := report_submit(report=b, user=admin, version=b.version)),
        user=admin,
        comment="Kiểm tra lại",
        version=sent.version,
    )
    health = fill(by_agency[world.health.pk], admin, rate(i1, (8181, 10000), (4090, 5000), (4091, 5000)))
    health = report_submit(report=health, user=admin, version=health.version)
    annual_reports = {r.reporter_id: r for r in reports_generate(period=annual)}
    draft = fill(annual_reports[world.b_office.pk], admin, [Entry(i2.pk, "total", value=D(6262))])
    return SimpleNamespace(
        plan=plan,
        i1=i1,
        i2=i2,
        semi=semi,
        annual=annual,
        accepted=a,
        returned=b,
        submitted=health,
        draft=draft,
        **vars(world),
    )
