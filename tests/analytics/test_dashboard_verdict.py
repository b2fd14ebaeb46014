"""Dashboards with a verdict (issue 14): a baseline taken from the first accepted figure and said so, or a plain
judgement against the end target; the unrounded value where rounding decides; readable axis and row labels."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan

from binhdang.analytics import charts
from binhdang.analytics.dashboards import IndicatorLine, period_short_label, plan_dashboard, reporter_row_label
from binhdang.analytics.progress import (
    Assessment,
    IndicatorSpec,
    Status,
    TargetPoint,
    against_final_target,
    assess,
    rounding_decides,
    target_for_year,
)
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Period, Report
from binhdang.reporting.services import periods_generate, report_accept, report_save, report_submit, reports_generate

D = Decimal
NO_BASELINE = IndicatorSpec(measure="percentage", targets=(TargetPoint(2030, D(60), ">="),), plan_year_end=2030)


def test_without_baseline_the_end_target_gives_a_verdict_in_a_sentence() -> None:
    assert assess(NO_BASELINE, 2026, D(45)).status == Status.NOT_ASSESSED  # no path without a baseline
    below = against_final_target(NO_BASELINE, D(45))
    assert below is not None
    assessment, sentence = below
    assert assessment.status == Status.BELOW_FINAL and assessment.label == "Chưa đạt chỉ tiêu cuối kỳ"
    assert "chỉ tiêu năm 2030 (≥ 60)" in sentence and "giá trị 45 còn cách chỉ tiêu 15" in sentence
    met = against_final_target(NO_BASELINE, D("60.5"))
    assert met is not None and met[0].status == Status.ACHIEVED and "đã đạt" in met[1]


def test_rounding_that_decides_the_status_shows_the_unrounded_value() -> None:
    spec = IndicatorSpec(measure="ratio", targets=(TargetPoint(2026, D("1.7"), "<="),), plan_year_end=2026)
    target, _problems = target_for_year(spec, 2026)
    assert target is not None
    assert rounding_decides(D("1.704"), target)  # "1,7" would read as meeting "≤ 1,7"
    assert not rounding_decides(D("1.6"), target)
    line = SimpleNamespace(figure=SimpleNamespace(figure=D("1.704")), assessment=Assessment(Status.AT_RISK, target))
    assert IndicatorLine.value_text.fget(line) == "1,704"  # type: ignore[attr-defined]
    line.figure.figure = D("1.61234")
    assert IndicatorLine.value_text.fget(line) == "1,61"  # type: ignore[attr-defined]


def test_trend_axis_labels_are_short_and_anchored_inside_the_chart() -> None:
    labels = ["Báo cáo 6 tháng đầu năm 2023", "Báo cáo năm 2023", "Báo cáo 6 tháng đầu năm 2024"]
    trend = charts.trend(labels, [D(1), D(2), D(3)], [None, None, None], ["6T/2023", "Năm 2023", "6T/2024"])
    assert [(p.label, p.text) for p in trend.labels] == [
        ("6T/2023", "start"),
        ("Năm 2023", "middle"),
        ("6T/2024", "end"),
    ]
    assert [p.label for p in trend.points] == labels  # full names stay in the tooltips
    semi = Period(kind="semiannual", year=2023, number=1, label=labels[0])
    assert period_short_label(semi) == "6T/2023"
    assert period_short_label(Period(kind="quarterly", year=2024, number=2, label="Quý II")) == "Q2/2024"
    many = charts.trend([f"k{i}" for i in range(12)], [D(i) for i in range(12)], [None] * 12)
    assert len(many.labels) == 7 and many.labels[-1].label == "k11"


@pytest.mark.django_db
def test_heat_map_rows_of_committees_with_one_office_name_are_told_apart(world: Any) -> None:
    from binhdang.places.models import Agency

    rows = []
    for unit in (world.commune_a, world.commune_b):
        office = Agency(name="Phòng Văn hóa - Xã hội", unit=unit)
        rows.append(reporter_row_label(Report(reporter=office, unit=unit, is_committee=True)))
    assert rows[0] != rows[1]
    assert rows[0].startswith(f"{world.commune_a.name} ({world.province.name})")
    assert rows[0][:38] != rows[1][:38]  # distinct within the 38 characters the chart prints


@pytest.fixture
def two_years(world: Any) -> SimpleNamespace:
    return _accepted(world, {2025: 30, 2026: 45})


@pytest.fixture
def first_year_only(world: Any) -> SimpleNamespace:
    return _accepted(world, {2025: 30})


def _accepted(world: Any, numerators: dict[int, int]) -> SimpleNamespace:
    """A 2025-2027 plan with no baseline and an end target ≥ 60 %; commune A's figure (n/100) accepted per year."""
    doc = minimal_plan("2025:19", years=[2025, 2027])
    doc["indicators"] = [
        {
            "id": "I1",
            "text": "Tỷ lệ nữ tham gia cấp ủy",
            "measure": "percentage",
            "unit": "%",
            "targets": [{"year": 2027, "value": 60, "comparator": ">="}],
        }
    ]
    doc["reporting"] = [{"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"}]
    plan = plan_load(doc)
    indicator = plan.indicators.get()
    periods = {p.year: p for p in periods_generate(plan=plan)}
    for year, numerator in numerators.items():
        report = Report.objects.get(
            pk=next(r.pk for r in reports_generate(period=periods[year]) if r.reporter_id == world.a_office.pk)
        )
        report = report_save(
            report=report,
            user=world.commune_user,
            version=report.version,
            entries=[Entry(indicator.pk, "total", numerator=D(numerator), denominator=D(100))],
        )
        report = report_submit(report=report, user=world.commune_user, version=report.version)
        report_accept(report=report, user=world.province_user, version=report.version)
    return SimpleNamespace(plan=plan, indicator=indicator, **vars(world))


@pytest.mark.django_db
def test_first_accepted_figure_becomes_the_baseline_and_the_page_says_so(two_years: Any) -> None:
    context = plan_dashboard(two_years.plan, [], dt.date(2026, 12, 20))
    line = context["lines"][0]
    assert line.assessment.status == Status.ON_TRACK  # path 30 (2025) → 60 (2027): 45 meets the 2026 point
    assert any("lấy số liệu được chấp nhận đầu tiên" in note and "30" in note for note in line.notes)
    assert line.path[-1] == D(60) and line.path[0] == D(30)


@pytest.mark.django_db
def test_budget_without_lines_reads_not_planned_never_a_planned_zero(cycle: Any) -> None:
    from binhdang.analytics.pages import budget_page
    from binhdang.plans.models import BudgetLine
    from binhdang.reporting.services import SpendingInput

    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.a_office.pk)
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[
            Entry(cycle.i1.pk, "total", numerator=D(90), denominator=D(200)),
            Entry(cycle.i1.pk, "female", numerator=D(45), denominator=D(100)),
            Entry(cycle.i1.pk, "male", numerator=D(45), denominator=D(100)),
            Entry(cycle.i2.pk, "total", value=D(3)),
        ],
        spending=[SpendingInput(cycle.t2.pk, "local", D("935.5"))],
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    report_accept(report=report, user=cycle.province_user, version=report.version)
    page = budget_page(cycle.plan)
    assert page["planned_text"] == "Chưa lập kế hoạch" and page["spent_text"] == "935,5"
    assert [row[2] for row in page["detail_table"].rows] == ["Chưa lập kế hoạch", "Chưa lập kế hoạch"]
    # With a line for the year, the planned figure comes from the lines.
    BudgetLine.objects.create(plan=cycle.plan, year=2026, source="local", amount=D(1000), item="Truyền thông")
    page = budget_page(cycle.plan)
    assert page["planned_text"] == "1.000" and page["detail_table"].rows[0][2] == "1.000"


@pytest.mark.django_db
def test_a_single_year_without_baseline_is_judged_against_the_end_target_on_the_page(first_year_only: Any) -> None:
    """Issue 14: every indicator of the Thái Nguyên dashboard read "Chưa đánh giá được" (no baseline). With only
    the first year accepted there is no earlier figure to draw a path from: the end target judges it instead."""
    context = plan_dashboard(first_year_only.plan, [], dt.date(2025, 12, 20))
    line = context["lines"][0]
    accepted = D(30)  # 2025's accepted 30/100, the only figure
    end_target = D(60)
    assert line.figure is not None and line.figure.figure == accepted
    assert line.assessment.status == Status.BELOW_FINAL != Status.NOT_ASSESSED
    sentence = f"giá trị {accepted} còn cách chỉ tiêu {end_target - accepted}"
    assert any(sentence in note and "chỉ tiêu năm 2027 (≥ 60)" in note for note in line.notes), line.notes
