"""Budget execution and task status by lead agency: only accepted reports count, sums by year and source, the
latest progress per task; the pages, their CSV and who may see them.

Expected figures are written out from the fixture below, not computed by the code under test."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import minimal_plan, wage_share_indicator
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import translation

from binhdang.analytics.budget import budget_execution
from binhdang.analytics.tasks import NO_REPORT, task_status
from binhdang.plans.interchange import plan_load
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Period, Report
from binhdang.reporting.services import (
    ProgressInput,
    SpendingInput,
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

D = Decimal
NO_LEAD = "(không có)"


@pytest.fixture
def funded(world: Any) -> SimpleNamespace:
    """A 2026 Thái Nguyên plan with budget lines, four tasks (one without a lead) and a 6-month/annual regime."""
    doc = minimal_plan("2025:19", title="Kế hoạch bình đẳng giới năm 2026 có kinh phí")
    doc["objectives"] = [{"id": "O1", "number": "1", "title": "Kinh tế, lao động"}]
    doc["indicators"] = [wage_share_indicator()]
    doc["tasks"] = [
        {"id": "T1", "number": "1", "text": "Tuyên truyền về bình đẳng giới", "lead": "Sở Y tế", "partners": []},
        {"id": "T2", "number": "2", "text": "Xây dựng kế hoạch cấp xã", "lead": "Ủy ban nhân dân các xã, phường"},
        {"id": "T3", "number": "3", "text": "Tập huấn cán bộ y tế", "lead": "Sở Y tế"},
        {"id": "T4", "number": "4", "text": "Sơ kết giữa kỳ"},
    ]
    doc["budget"] = {
        "unit": "million VND",
        "lines": [
            {"item": "Tuyên truyền", "year": 2026, "source": "local", "amount": 100},
            {"item": "Tập huấn", "year": 2026, "source": "local", "amount": 20},
            {"item": "Tuyên truyền", "year": 2026, "source": "central", "amount": 50},
            {"item": "Vận động", "year": None, "source": "other", "amount": 30},
        ],
    }
    doc["reporting"] = [
        {"kind": "semiannual", "due": "--06-10", "to": "Sở Nội vụ"},
        {"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"},
    ]
    plan = plan_load(doc)
    return SimpleNamespace(plan=plan, **{t.key.lower(): t for t in plan.tasks.all()}, **vars(world))


def _i1(plan: Any) -> int:
    pk: int = plan.indicators.get(key="I1").pk
    return pk


def _send(
    f: Any,
    report: Report,
    progress: list[ProgressInput],
    spending: list[SpendingInput],
    *,
    accept: bool = True,
) -> Report:
    i1 = _i1(f.plan)
    entries = [
        Entry(i1, "total", numerator=D(90), denominator=D(200)),
        Entry(i1, "female", numerator=D(45), denominator=D(100)),
        Entry(i1, "male", numerator=D(45), denominator=D(100)),
    ]
    report = report_save(
        report=report, user=f.admin, version=report.version, entries=entries, progress=progress, spending=spending
    )
    report = report_submit(report=report, user=f.admin, version=report.version)
    return report_accept(report=report, user=f.admin, version=report.version) if accept else report


def _periods(f: Any) -> tuple[Period, Period]:
    periods = periods_generate(plan=f.plan)
    return next(p for p in periods if p.kind == "semiannual"), next(p for p in periods if p.kind == "annual")


@pytest.fixture
def reported(funded: Any) -> SimpleNamespace:
    """Sở Y tế: 6-month T1 in progress, T3 not started, spent 10 local + 5 central; annual T1 done, spent 20
    local (both accepted). Commune A: 6-month T2 in progress, spent 12.5 local (accepted). Commune B: 6-month
    T2 done, spent 7 local, only sent (not accepted: must not count)."""
    f = funded
    half, year = _periods(f)
    by_reporter = {r.reporter_id: r for r in reports_generate(period=half)}
    _send(
        f,
        by_reporter[f.health.pk],
        [ProgressInput(f.t1.pk, "in_progress", "Đã in tờ rơi"), ProgressInput(f.t3.pk, "not_started")],
        [SpendingInput(f.t1.pk, "local", D(10)), SpendingInput(f.t1.pk, "central", D(5))],
    )
    _send(
        f,
        by_reporter[f.a_office.pk],
        [ProgressInput(f.t2.pk, "in_progress", "Đang xây dựng")],
        [SpendingInput(f.t2.pk, "local", D("12.5"))],
    )
    _send(
        f,
        by_reporter[f.b_office.pk],
        [ProgressInput(f.t2.pk, "done", "Xong")],
        [SpendingInput(f.t2.pk, "local", D(7))],
        accept=False,
    )
    annual = {r.reporter_id: r for r in reports_generate(period=year)}
    _send(f, annual[f.health.pk], [ProgressInput(f.t1.pk, "done", "Hoàn thành")], [SpendingInput(None, "local", D(20))])
    return f


def test_budget_sums_planned_lines_and_accepted_spending_by_year_and_source(reported: Any) -> None:
    execution = budget_execution(reported.plan)
    rows = {(r.year, r.source): (r.planned, r.spent) for r in execution.rows}
    assert rows == {
        (2026, "central"): (D(50), D(5)),
        (2026, "local"): (D(120), D("42.5")),  # 100 + 20 planned; 10 + 12.5 + 20 spent, commune B's 7 not
        (None, "other"): (D(30), D(0)),
    }
    assert [(r.year, r.source) for r in execution.rows] == [(2026, "central"), (2026, "local"), (None, "other")]
    assert execution.planned == D(200) and execution.spent == D("47.5")
    assert execution.rate == D("23.75")
    assert execution.has_lines and execution.has_spending
    assert execution.accepted_reports == 3 and execution.pending_reports == 1
    assert {r.source: (r.planned, r.spent) for r in execution.by_source()} == {
        "central": (D(50), D(5)),
        "local": (D(120), D("42.5")),
        "other": (D(30), D(0)),
    }
    assert {r.year: (r.planned, r.spent) for r in execution.by_year()} == {
        2026: (D(170), D("47.5")),
        None: (D(30), D(0)),
    }


def test_budget_says_when_there_are_no_lines_or_no_spending(funded: Any, cycle: Any) -> None:
    nothing_spent = budget_execution(funded.plan)
    assert nothing_spent.has_lines and not nothing_spent.has_spending and nothing_spent.spent == 0
    no_lines = budget_execution(cycle.plan)
    assert not no_lines.has_lines and not no_lines.has_spending and no_lines.rows == []
    assert no_lines.rate is None


def test_task_status_takes_the_latest_accepted_progress_per_task(reported: Any) -> None:
    groups = task_status(reported.plan, NO_LEAD)
    by_name = {g.name: {line.task.key: line.status for line in g.tasks} for g in groups}
    lower = next(name for name in by_name if name not in ("Sở Y tế", NO_LEAD))
    assert by_name["Sở Y tế"] == {"T1": "done", "T3": "not_started"}  # annual beats the 6-month report
    assert by_name[lower] == {"T2": "in_progress"}  # commune B's "done" was never accepted
    assert by_name[NO_LEAD] == {"T4": NO_REPORT}
    assert groups[-1].name == NO_LEAD  # tasks without a lead come last
    health = next(g for g in groups if g.name == "Sở Y tế")
    assert health.counts() == {"done": 1, "in_progress": 0, "not_started": 1, "dropped": 0, NO_REPORT: 0}
    t1 = next(line for line in health.tasks if line.task.key == "T1")
    assert t1.progress is not None and t1.progress.narrative == "Hoàn thành"


def test_task_status_without_reports_is_no_report(funded: Any) -> None:
    groups = task_status(funded.plan, NO_LEAD)
    assert {line.status for g in groups for line in g.tasks} == {NO_REPORT}
    assert sum(len(g.tasks) for g in groups) == 4


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_budget_and_task_pages_show_charts_tables_and_csv(reported: Any) -> None:
    client = _client(reported.province_user)
    budget = client.get(reverse("dashboard-budget", args=[reported.plan.pk]))
    assert budget.status_code == 200
    html = budget.content.decode()
    assert html.count('class="bar planned"') == 3 + 3  # year × source rows, then source rows
    assert "42,5" in html and "23,8%" in html
    csv = client.get(reverse("dashboard-budget", args=[reported.plan.pk]), {"format": "csv", "table": "theo-nguon"})
    assert csv.status_code == 200 and "Ngân sách địa phương" in csv.content.decode("utf-8-sig")
    tasks = client.get(reverse("dashboard-tasks", args=[reported.plan.pk]))
    assert tasks.status_code == 200
    html = tasks.content.decode()
    assert html.count('class="seg seg-') == 4  # Sở Y tế: done + not started; communes: in progress; no lead: none
    detail = client.get(reverse("dashboard-tasks", args=[reported.plan.pk]), {"format": "csv", "table": "nhiem-vu"})
    assert "Hoàn thành" in detail.content.decode("utf-8-sig")


def test_budget_page_says_when_nothing_is_budgeted(cycle: Any) -> None:
    html = _client(cycle.province_user).get(reverse("dashboard-budget", args=[cycle.plan.pk])).content.decode()
    assert 'id="khong-co-dong-kinh-phi"' in html and 'id="chua-co-so-chi"' in html


def test_pages_are_scoped_to_plans_the_user_may_see(reported: Any) -> None:
    client = _client(reported.other_province_user)
    for name in ("dashboard-budget", "dashboard-tasks"):
        assert client.get(reverse(name, args=[reported.plan.pk])).status_code == 404
    index = client.get(reverse("dashboard-index")).content.decode()
    assert reported.plan.title not in index


def test_budget_page_in_english(reported: Any) -> None:
    client = _client(reported.province_user)
    client.cookies["django_language"] = "en"
    try:
        html = client.get(reverse("dashboard-budget", args=[reported.plan.pk])).content.decode()
    finally:
        translation.activate(settings.LANGUAGE_CODE)  # the request leaves English active in this thread
    assert "Budget execution" in html and "Local budget" in html
