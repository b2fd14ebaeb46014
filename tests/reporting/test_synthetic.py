"""The labelled synthetic demo history: built through the services, labelled, idempotent, people's work kept."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pytest
from conftest import golden
from django.contrib.auth import get_user_model

from binhdang.demo.history import DEMO_USERNAME, LABEL, demo_history_build
from binhdang.plans.interchange import plan_load
from binhdang.plans.models import Plan
from binhdang.reporting.inspections import review_gather
from binhdang.reporting.models import AuditEvent, Finding, Inspection, Notice, Period, Report, ReportStatus, Value
from binhdang.reporting.services import report_save

TODAY = dt.date(2026, 11, 22)


@pytest.fixture
def seeds(db: None) -> tuple[Plan, Plan]:
    thai_nguyen = plan_load(golden("001_bb8641eaaac6b658"), source_filename="001_bb8641eaaac6b658.txt")
    an_hoa_thinh = plan_load(golden("004_3d4526835677c441"), source_filename="004_3d4526835677c441.txt")
    return thai_nguyen, an_hoa_thinh


def _build(seeds: tuple[Plan, Plan]) -> dict[str, Any]:
    thai_nguyen, an_hoa_thinh = seeds
    return demo_history_build(province_plan=thai_nguyen, commune_plan=an_hoa_thinh, today=TODAY)


def _snapshot() -> list[tuple[Any, ...]]:
    rows = []
    # Three district offices share one name: the unit code breaks the tie, so the order is the same on every database.
    for report in Report.objects.select_related("period", "reporter", "unit").order_by(
        "period__plan__code", "period__due", "period__kind", "reporter__name", "unit__code"
    ):
        values = sorted(
            (v.indicator.key, v.sex, v.value, v.numerator, v.denominator, v.note)
            for v in report.values.select_related("indicator")
        )
        rows.append(
            (
                report.period.label,
                report.reporter.name,
                report.unit.code,
                report.status,
                report.late,
                report.submitted_at,
                report.decided_at,
                report.summary,
                report.return_comment,
                tuple(values),
            )
        )
    return rows


def test_history_is_labelled_shows_the_cycle_and_leaves_the_demo_report(seeds: tuple[Plan, Plan]) -> None:
    thai_nguyen, an_hoa_thinh = seeds
    result = _build(seeds)
    by_plan = {row["plan_id"]: row for row in result["plans"]}
    for plan in (thai_nguyen, an_hoa_thinh):
        row = by_plan[plan.pk]
        assert row["on_time"] and row["late"] and row["missing"] and row["returned_once"], row
    # Every report that carries anything is labelled as simulated.
    touched = Report.objects.exclude(status=ReportStatus.DRAFT, version=1)
    assert touched.count() > 100
    assert all(r.summary.startswith(LABEL) for r in touched)
    assert not Report.objects.filter(submitted_at__gt=dt.datetime(2026, 11, 23, tzinfo=dt.UTC)).exists()
    # Lateness follows the back-dated day of the FIRST submission (Asia/Ho_Chi_Minh is UTC+7): sending again after
    # a return does not change it.
    for report in Report.objects.filter(submitted_at__isnull=False).select_related("period"):
        first = (
            AuditEvent.objects.filter(report=report, field="status", new=ReportStatus.SUBMITTED)
            .order_by("at", "pk")
            .values_list("at", flat=True)
            .first()
        )
        assert first is not None
        local_day = first.astimezone(dt.timezone(dt.timedelta(hours=7))).date()
        assert report.late == (local_day > report.period.due)
    assert Inspection.objects.get(plan=thai_nguyen).title.startswith(LABEL)
    assert Finding.objects.filter(status="closed").exists() and Finding.objects.filter(status="open").exists()

    # The demo user's 6-month report of 2023 is an untouched draft for a person (or the browser test) to fill.
    user = get_user_model().objects.get(username=DEMO_USERNAME)
    assert user.check_password("binhdang-demo-2026")
    report = Report.objects.get(period__plan=thai_nguyen, period__kind="semiannual", reporter=user.profile.agency)
    assert report.is_committee and report.status == ReportStatus.DRAFT and report.version == 1
    assert not report.values.exists() and not report.progress.exists() and report.submitted_at is None
    assert report.task_lines.exists()
    # The workflow's notices of the simulated past are labelled and already read.
    notices = Notice.objects.filter(user=user)
    assert notices.exists() and all(n.text.startswith(LABEL) and n.read_at is not None for n in notices)

    # The mid-term review gathers the ten periods of 2021–2025. The plan's regime asks for it (golden file 004:
    # "tham mưu tổ chức sơ kết, tổng kết; tổng hợp báo cáo"), so it is the regime's period, not a synthetic one.
    review = Period.objects.get(plan=an_hoa_thinh, kind="midterm")
    assert review.label == "Báo cáo sơ kết 2021–2025"
    table = review_gather(plan=an_hoa_thinh, period=review)
    assert [p.year for p in table.periods] == [2021, 2021, 2022, 2022, 2023, 2023, 2024, 2024, 2025, 2025]
    assert any(cell.figure is not None for row in table.rows for cell in row.cells)
    assert Value.objects.filter(report__period__plan=an_hoa_thinh).exists()


def test_building_again_gives_the_same_history_and_keeps_what_people_wrote(seeds: tuple[Plan, Plan]) -> None:
    _, an_hoa_thinh = seeds
    first_result = _build(seeds)
    first = _snapshot()
    notices = Notice.objects.count()
    second_result = _build(seeds)
    assert _snapshot() == first
    assert second_result["plans"] == first_result["plans"]
    assert get_user_model().objects.filter(username=DEMO_USERNAME).count() == 1
    assert Inspection.objects.count() == 1
    assert Period.objects.filter(kind="midterm").count() == 1
    assert Notice.objects.count() == notices

    untouched = Report.objects.filter(period__plan=an_hoa_thinh, status=ReportStatus.DRAFT, version=1).first()
    assert untouched is not None
    admin = get_user_model().objects.create_superuser("quantri", password="x")
    report_save(report=untouched, user=admin, version=untouched.version, summary="Báo cáo do cán bộ nhập")
    _build(seeds)
    assert Report.objects.get(pk=untouched.pk).summary == "Báo cáo do cán bộ nhập"


def test_without_plans_nothing_is_built(db: None) -> None:
    result = demo_history_build(today=TODAY)
    assert result["plans"] == [] and len(result["skipped"]) == 2
    assert not Report.objects.exists()
