"""A commune compiles its own plan's period and sends the figures up as its report to the province."""

from __future__ import annotations

from decimal import Decimal
from typing import Any

from conftest import minimal_plan

from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit, reports_generate
from binhdang.reporting.upward import report_fill_from_compilation, upward_source

D = Decimal


def _commune_plan(cycle: Any) -> Any:
    doc = minimal_plan(f"2025:{cycle.commune_a.code}", level="commune", title="Kế hoạch của xã")
    doc["indicators"] = [
        {
            "id": "C1",
            "text": "Tỷ lệ  lao động nữ làm công HƯỞNG lương",
            "measure": "percentage",
            "unit": "%",
            "disaggregations": ["sex"],
            "responsible": ["Trạm Y tế", "Công an xã"],
        },
        {
            "id": "C2",
            "text": "Số vụ bạo lực gia đình được phát hiện",
            "measure": "count",
            "responsible": ["Công an xã"],
        },
    ]
    doc["reporting"] = [{"kind": "semiannual", "due": "--06-05", "to": "Phòng Văn hóa - Xã hội"}]
    plan = plan_load(doc)
    plan.parent = cycle.plan
    plan.save(update_fields=["parent"])
    return plan


def test_a_communes_compiled_figures_fill_its_report_to_the_province(cycle: Any) -> None:
    commune_plan = _commune_plan(cycle)
    (commune_period,) = periods_generate(plan=commune_plan)
    c1, c2 = commune_plan.indicators.get(key="C1"), commune_plan.indicators.get(key="C2")
    figures = {"Trạm Y tế": (30, 70, 10, 30), "Công an xã": (20, 80, 15, 35)}
    for report in reports_generate(period=commune_period):
        female, female_of, male, male_of = figures[report.reporter.name]
        entries = [
            Entry(c1.pk, "female", numerator=D(female), denominator=D(female_of)),
            Entry(c1.pk, "male", numerator=D(male), denominator=D(male_of)),
            Entry(c1.pk, "total", numerator=D(female + male), denominator=D(female_of + male_of)),
        ]
        if report.reporter.name == "Công an xã":
            entries.append(Entry(c2.pk, "total", value=D(4)))
        report = report_save(report=report, user=cycle.admin, version=report.version, entries=entries)
        report_accept(
            report=(sent := report_submit(report=report, user=cycle.admin, version=report.version)),
            user=cycle.admin,
            version=sent.version,
        )

    province_period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports_generate(period=province_period)
    upward = Report.objects.get(period=province_period, reporter=cycle.a_office)
    assert upward_source(upward) == commune_period
    filled = report_fill_from_compilation(report=upward, user=cycle.commune_user, version=upward.version)
    assert {i.pk for i in filled.filled} == {cycle.i1.pk, cycle.i2.pk}
    female = Value.objects.get(report=upward, indicator=cycle.i1, sex="female")
    # Summed numerators and denominators of the commune's two agencies: (30 + 20) / (70 + 80).
    assert (female.numerator, female.denominator) == (D(50), D(150))
    assert Value.objects.get(report=upward, indicator=cycle.i2, sex="total").value == D(4)
    assert upward.audit.filter(action="value").exists()


def test_without_a_matching_period_nothing_is_filled(cycle: Any) -> None:
    province_period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports_generate(period=province_period)
    upward = Report.objects.get(period=province_period, reporter=cycle.a_office)
    filled = report_fill_from_compilation(report=upward, user=cycle.commune_user, version=upward.version)
    assert filled.source is None and not filled.filled
    assert not Value.objects.filter(report=upward).exists()
