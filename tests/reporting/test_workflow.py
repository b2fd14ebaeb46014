"""Save, submit, return, resubmit, accept, reopen: rules, locking, lateness and the audit trail."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

import pytest

from binhdang.reporting.checks import Entry
from binhdang.reporting.compilation import compile_period
from binhdang.reporting.completeness import plan_completeness
from binhdang.reporting.errors import (
    InvalidValues,
    NotAllowed,
    PeriodClosed,
    ReportAlreadyAccepted,
    ReportNotEditable,
    StaleReport,
)
from binhdang.reporting.models import AuditEvent, Report, ReportStatus, Value
from binhdang.reporting.services import (
    ProgressInput,
    SpendingInput,
    periods_generate,
    report_accept,
    report_reopen,
    report_return,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal


def _setup(cycle: Any) -> tuple[Any, Report, Report, Report]:
    periods = periods_generate(plan=cycle.plan)
    semiannual = next(p for p in periods if p.kind == "semiannual")
    reports = reports_generate(period=semiannual)
    by_agency = {r.reporter_id: r for r in reports}
    return semiannual, by_agency[cycle.health.pk], by_agency[cycle.a_office.pk], by_agency[cycle.b_office.pk]


def _fill(report: Report, user: Any, indicator: Any, female: str, male: str, total: str) -> Report:
    entries = [
        Entry(indicator.pk, "total", numerator=D(total), denominator=D(200)),
        Entry(indicator.pk, "female", numerator=D(female), denominator=D(100)),
        Entry(indicator.pk, "male", numerator=D(male), denominator=D(100)),
    ]
    return report_save(report=report, user=user, version=report.version, entries=entries)


def test_periods_are_generated_once_per_rule_and_year(cycle: Any) -> None:
    assert {(p.kind, p.due) for p in periods_generate(plan=cycle.plan)} == {
        ("semiannual", dt.date(2026, 6, 9)),
        ("annual", dt.date(2026, 11, 9)),
    }
    assert len(periods_generate(plan=cycle.plan)) == 2


def test_each_reporter_gets_exactly_its_indicators_and_tasks(cycle: Any) -> None:
    _period, health, commune_a, _commune_b = _setup(cycle)
    assert set(health.indicator_lines.values_list("indicator_id", flat=True)) == {cycle.i1.pk}
    assert set(health.task_lines.values_list("task_id", flat=True)) == {cycle.t1.pk}
    # A lower-level committee reports the measurable indicators and the tasks addressed to lower committees.
    assert commune_a.is_committee and commune_a.unit == cycle.commune_a
    assert set(commune_a.indicator_lines.values_list("indicator_id", flat=True)) == {cycle.i1.pk, cycle.i2.pk}
    assert set(commune_a.task_lines.values_list("task_id", flat=True)) == {cycle.t2.pk}


def test_the_whole_cycle_with_return_resubmit_accept_and_audit(cycle: Any) -> None:
    period, _health, report, _b = _setup(cycle)
    report = _fill(report, cycle.commune_user, cycle.i1, "40", "50", "95")
    with pytest.raises(InvalidValues) as info:
        report_submit(report=report, user=cycle.commune_user, version=report.version)
    messages = [issue.message for issue in info.value.issues]
    assert any("không bằng tổng" in m for m in messages)  # 40 + 50 != 95
    assert any("Chưa có số liệu" in m for m in messages)  # the count indicator is empty
    report = _fill(report, cycle.commune_user, cycle.i1, "40", "50", "90")
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[Entry(cycle.i2.pk, "total", value=D(3))],
        progress=[ProgressInput(cycle.t2.pk, "in_progress", "Đang xây dựng")],
        spending=[SpendingInput(cycle.t2.pk, "local", D("12.5"))],
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    assert report.status == ReportStatus.SUBMITTED
    with pytest.raises(ReportNotEditable):
        _fill(report, cycle.commune_user, cycle.i1, "41", "50", "91")
    with pytest.raises(NotAllowed):
        report_accept(report=report, user=cycle.commune_user, version=report.version)
    report = report_return(
        report=report, user=cycle.province_user, comment="Kiểm tra lại số nữ", version=report.version
    )
    report = _fill(report, cycle.commune_user, cycle.i1, "45", "45", "90")
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    report = report_accept(report=report, user=cycle.province_user, version=report.version)
    with pytest.raises(ReportAlreadyAccepted):
        _fill(report, cycle.commune_user, cycle.i1, "1", "1", "2")
    statuses = list(AuditEvent.objects.filter(report=report, action="status").values_list("new", flat=True))
    assert statuses == ["submitted", "returned", "submitted", "accepted"]
    female = AuditEvent.objects.filter(report=report, field=f"indicator:{cycle.i1.pk}:female:numerator")
    assert [(e.old, e.new) for e in female] == [("", "40"), ("40.0000", "45")]
    compiled = compile_period(period)
    line = next(c for c in compiled.indicators if c.indicator == cycle.i1)
    assert line.cells["female"].figure == D(45)  # 45 / 100 × 100
    assert compiled.spending["local"]["spent"] == D("12.5")


def test_reopening_is_a_recorded_decision_of_the_acceptor(cycle: Any) -> None:
    _period, _health, report, _b = _setup(cycle)
    report = _fill(report, cycle.commune_user, cycle.i1, "45", "45", "90")
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[Entry(cycle.i2.pk, "total", value=D(3))],
    )
    report = report_accept(
        report=(sent := report_submit(report=report, user=cycle.commune_user, version=report.version)),
        user=cycle.province_user,
        version=sent.version,
    )
    with pytest.raises(InvalidValues):
        report_reopen(report=report, user=cycle.province_user, reason="  ", version=report.version)
    report = report_reopen(report=report, user=cycle.province_user, reason="Sai số liệu nam", version=report.version)
    assert report.status == ReportStatus.RETURNED
    assert AuditEvent.objects.get(report=report, action="reopen").reason == "Sai số liệu nam"


def test_rates_roll_up_from_summed_numerators_never_averaged(cycle: Any) -> None:
    period, _health, a, b = _setup(cycle)
    for report, (num, den) in ((a, (9, 10)), (b, (10, 90))):
        report = report_save(
            report=report,
            user=cycle.admin,
            version=report.version,
            entries=[
                Entry(cycle.i1.pk, "total", numerator=D(num), denominator=D(den)),
                Entry(cycle.i2.pk, "total", value=D(1)),
            ],
        )
        report_accept(
            report=(sent := report_submit(report=report, user=cycle.admin, version=report.version)),
            user=cycle.admin,
            version=sent.version,
        )
    line = next(c for c in compile_period(period).indicators if c.indicator == cycle.i1)
    # (9 + 10) / (10 + 90) = 19%, whereas the average of 90% and 11.1% would be 50.6%.
    assert line.cells["total"].figure == D(19)
    count = next(c for c in compile_period(period).indicators if c.indicator == cycle.i2)
    assert count.cells["total"].figure == D(2)


def test_a_stale_form_cannot_overwrite_a_newer_save(cycle: Any) -> None:
    _period, _health, report, _b = _setup(cycle)
    seen_version = report.version
    _fill(report, cycle.commune_user, cycle.i1, "40", "50", "90")
    with pytest.raises(StaleReport):
        report_save(
            report=report,
            user=cycle.commune_user,
            version=seen_version,
            entries=[Entry(cycle.i2.pk, "total", value=D(7))],
        )
    assert not Value.objects.filter(indicator=cycle.i2).exists()


def test_closed_period_refuses_data_and_other_commune_cannot_write(cycle: Any) -> None:
    period, _health, report, other = _setup(cycle)
    with pytest.raises(NotAllowed):
        _fill(other, cycle.commune_user, cycle.i1, "1", "1", "2")
    period.closed = True
    period.save()
    with pytest.raises(PeriodClosed):
        _fill(report, cycle.commune_user, cycle.i1, "1", "1", "2")
    assert Value.objects.count() == 0


def test_a_value_of_another_report_refuses_the_whole_save(cycle: Any) -> None:
    _period, health, _a, _b = _setup(cycle)
    with pytest.raises(InvalidValues):
        report_save(
            report=health,
            user=cycle.department_user,
            version=health.version,
            entries=[
                Entry(cycle.i1.pk, "total", numerator=D(1), denominator=D(2)),
                Entry(cycle.i2.pk, "total", value=D(1)),
            ],
        )
    assert Value.objects.count() == 0


def test_completeness_counts_on_time_late_missing_and_pending(cycle: Any, monkeypatch: pytest.MonkeyPatch) -> None:
    period, health, a, _b = _setup(cycle)
    on_time_day = dt.datetime(2026, 6, 1, 9, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: on_time_day)
    a = report_save(
        report=a,
        user=cycle.commune_user,
        version=a.version,
        entries=[
            Entry(cycle.i1.pk, "total", numerator=D(1), denominator=D(2)),
            Entry(cycle.i2.pk, "total", value=D(0)),
        ],
    )
    report_submit(report=a, user=cycle.commune_user, version=a.version)
    health = report_save(
        report=health,
        user=cycle.department_user,
        version=health.version,
        entries=[Entry(cycle.i1.pk, "total", numerator=D(1), denominator=D(2))],
    )
    late_day = dt.datetime(2026, 6, 20, 9, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: late_day)
    report_submit(report=health, user=cycle.department_user, version=health.version)
    before, after = (
        plan_completeness(cycle.plan, dt.date(2026, 6, 1)),
        plan_completeness(cycle.plan, dt.date(2026, 7, 1)),
    )
    first = next(p for p in after if p.period == period).rate
    assert (first.expected, first.submitted, first.late, first.missing) == (3, 2, 1, 1)
    assert next(p for p in before if p.period == period).rate.pending == 1
