"""The target of a year is one rule (binhdang.plans.targets.target_for_year): the dashboard and the compiled report
print the same target for every year, the year of an interim target, a year between it and the end target (a point
on the straight path, marked "lộ trình") and the end year (issue 14, item 5)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest
from conftest import minimal_plan

from binhdang.analytics.dashboards import plan_dashboard
from binhdang.documents.model import Table
from binhdang.documents.report import report_document
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit, reports_generate

pytestmark = pytest.mark.django_db
D = Decimal

# Stated: at least 50% in 2024 (interim) and at least 61% in 2026 (the plan's end); 2025 lies on the path between:
# 50 + (61 - 50) × (2025 - 2024) / (2026 - 2024) = 55,5.
EXPECTED = {2024: "≥ 50%", 2025: "≥ 55,5% (lộ trình)", 2026: "≥ 61%"}


@pytest.fixture
def staged(world: Any) -> Any:
    doc = minimal_plan("2025:19", years=[2022, 2026], title="Kế hoạch bình đẳng giới giai đoạn 2022-2026")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [
        {
            "id": "I1",
            "objective": "O1",
            "text": "Tỷ lệ lao động nữ làm công hưởng lương",
            "measure": "percentage",
            "unit": "%",
            "targets": [
                {"year": 2024, "value": 50, "comparator": ">="},
                {"year": 2026, "value": 61, "comparator": ">="},
            ],
            "responsible": ["Sở Y tế"],
        }
    ]
    doc["reporting"] = [{"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"}]
    plan = plan_load(doc)
    indicator = plan.indicators.get(key="I1")
    periods = {}
    for period in periods_generate(plan=plan):
        if period.number != 1 or period.year not in EXPECTED:
            continue
        report = {r.reporter_id: r for r in reports_generate(period=period)}[world.a_office.pk]
        entry = Entry(indicator.pk, "total", numerator=D(52), denominator=D(100))
        report = report_save(report=report, user=world.commune_user, version=report.version, entries=[entry])
        report = report_submit(report=report, user=world.commune_user, version=report.version)
        report_accept(report=report, user=world.province_user, version=report.version)
        periods[period.year] = period
    assert sorted(periods) == sorted(EXPECTED)
    return plan, indicator, periods


def _report_target(period: Any) -> str:
    table = next(b for b in report_document(period).blocks if isinstance(b, Table) and b.columns[1] == "Chỉ tiêu")
    assert table.columns[3] == f"Mục tiêu năm {period.year}"
    (row,) = table.rows
    return row[3]


def test_dashboard_and_compiled_report_give_the_same_target_each_year(staged: Any) -> None:
    plan, indicator, periods = staged
    reports = list(Report.objects.filter(period__plan=plan))
    dashboard = plan_dashboard(plan, reports, dt.date(2026, 7, 1))
    trend = dashboard["tables"][f"xu-huong-{indicator.pk}"]
    on_dashboard = {int(row[1]): row[5] for row in trend.rows if row[0] in {p.label for p in periods.values()}}
    (line,) = dashboard["lines"]
    assert line.year == 2026 and line.target_text == "≥ 61"
    for year, period in periods.items():
        printed = _report_target(period)
        assert printed == EXPECTED[year], (year, printed)
        # The same number as the dashboard's target line for that period (the dashboard prints no unit).
        number = printed.removeprefix("≥ ").removesuffix(" (lộ trình)").removesuffix("%")
        assert number == on_dashboard[year], (year, printed, on_dashboard[year])
    # The compiled report judges 52% against the year's own target: met in 2024, short of the path and the end.
    statuses = {
        year: next(b for b in report_document(p).blocks if isinstance(b, Table)).rows[0][4]
        for year, p in periods.items()
    }
    assert statuses == {2024: "Đạt", 2025: "Chưa đạt", 2026: "Chưa đạt"}
