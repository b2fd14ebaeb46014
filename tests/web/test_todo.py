"""“Việc cần làm” (the home page after sign-in) and “Việc của đơn vị” (issue 14: "Nobody is told what to do")."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from conftest import PASSWORD
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.inspections import finding_add, inspection_create
from binhdang.reporting.models import Period, Report, ReportStatus
from binhdang.reporting.todo import todo_for

pytestmark = pytest.mark.django_db


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_day(day: dt.date) -> None:
        moment = dt.datetime(day.year, day.month, day.day, 3, tzinfo=dt.UTC)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


@pytest.fixture
def cycle_reports(cycle: SimpleNamespace) -> SimpleNamespace:
    periods = services.periods_generate(plan=cycle.plan)
    for period in periods:
        services.reports_generate(period=period)
    semi = Period.objects.get(plan=cycle.plan, kind="semiannual")
    annual = Period.objects.get(plan=cycle.plan, kind="annual")
    return SimpleNamespace(semi=semi, annual=annual, **vars(cycle))


def _filled(report: Report, user: Any, indicator: Any) -> Report:
    entries = [
        Entry(indicator.pk, "total", numerator=Decimal(90), denominator=Decimal(200)),
        Entry(indicator.pk, "female", numerator=Decimal(40), denominator=Decimal(100)),
        Entry(indicator.pk, "male", numerator=Decimal(50), denominator=Decimal(100)),
    ]
    return services.report_save(report=report, user=user, version=report.version, entries=entries)


def test_sign_in_lands_on_the_todo_page(world: SimpleNamespace) -> None:
    response = Client().post(reverse("login"), {"username": "xa_a", "password": PASSWORD})
    assert response.status_code == 302
    assert response["Location"] == reverse("home")


def test_commune_sees_due_and_overdue_reports_with_days_left(cycle_reports: SimpleNamespace, clock: Any) -> None:
    semi = cycle_reports.semi
    day = semi.due + dt.timedelta(days=3)  # the 6-month report is 3 days late; the annual one is ahead
    clock(day)
    body = client_for(cycle_reports.commune_user).get(reverse("home")).content.decode()
    mine = Report.objects.get(period=semi, reporter=cycle_reports.a_office)
    assert reverse("report-detail", args=[mine.pk]) in body
    assert "quá hạn 3 ngày" in body
    annual_report = Report.objects.get(period=cycle_reports.annual, reporter=cycle_reports.a_office)
    assert reverse("report-detail", args=[annual_report.pk]) in body
    expected_left = (cycle_reports.annual.due - day).days
    assert f"còn {expected_left} ngày" in body
    # Newest first: the annual report (later deadline) comes before the 6-month one.
    assert body.index(reverse("report-detail", args=[annual_report.pk])) < body.index(
        reverse("report-detail", args=[mine.pk])
    )
    # Another commune's report is not this commune's work.
    other = Report.objects.get(period=semi, reporter=cycle_reports.b_office)
    assert reverse("report-detail", args=[other.pk]) not in body


def test_returned_report_shows_the_comment_and_waiting_report_shows_to_the_acceptor(
    cycle_reports: SimpleNamespace, clock: Any
) -> None:
    semi = cycle_reports.semi
    clock(semi.due - dt.timedelta(days=5))
    report = Report.objects.get(period=semi, reporter=cycle_reports.health)
    report = _filled(report, cycle_reports.department_user, cycle_reports.i1)
    report = services.report_submit(report=report, user=cycle_reports.department_user, version=report.version)
    waiting = client_for(cycle_reports.province_user).get(reverse("home")).content.decode()
    assert 'id="todo-review"' in waiting and reverse("report-detail", args=[report.pk]) in waiting
    # The department itself does not decide: nothing to review on its page.
    assert 'id="todo-review"' not in client_for(cycle_reports.department_user).get(reverse("home")).content.decode()

    services.report_return(
        report=report, user=cycle_reports.province_user, comment="Thiếu số liệu nữ ZQX", version=report.version
    )
    body = client_for(cycle_reports.department_user).get(reverse("home")).content.decode()
    assert 'id="todo-returned"' in body and "Thiếu số liệu nữ ZQX" in body
    assert "còn 5 ngày" in body
    todo = todo_for(cycle_reports.department_user, semi.due - dt.timedelta(days=5))
    assert [item.report.pk for item in todo.returned] == [report.pk]
    assert report.pk not in [item.report.pk for item in todo.due]


def test_open_findings_for_my_agency_are_listed_until_closed(cycle_reports: SimpleNamespace) -> None:
    inspection = inspection_create(
        plan=cycle_reports.plan,
        user=cycle_reports.province_user,
        title="Đoàn kiểm tra liên ngành 2026",
        team="",
        starts_on=dt.date(2026, 5, 4),
        ends_on=dt.date(2026, 5, 6),
        units=[cycle_reports.commune_a],
        agencies=[],
    )
    finding = finding_add(
        inspection=inspection,
        user=cycle_reports.province_user,
        unit=cycle_reports.commune_a,
        agency=None,
        text="Chưa bố trí cán bộ phụ trách ZQF",
        recommendation="Phân công cán bộ",
        due=dt.date(2026, 7, 1),
    )
    body = client_for(cycle_reports.commune_user).get(reverse("home")).content.decode()
    assert "Chưa bố trí cán bộ phụ trách ZQF" in body
    assert reverse("inspection-detail", args=[inspection.pk]) in body
    assert "ZQF" not in client_for(cycle_reports.other_commune_user).get(reverse("home")).content.decode()
    from binhdang.reporting.inspections import finding_close

    finding_close(finding=finding, user=cycle_reports.province_user, note="Đã phân công")
    assert "ZQF" not in client_for(cycle_reports.commune_user).get(reverse("home")).content.decode()


def test_user_with_no_unit_is_told_how_to_get_one(db: None) -> None:
    user = get_user_model().objects.create_user(username="moi", password=PASSWORD)
    body = client_for(user).get(reverse("home")).content.decode()
    assert 'id="no-agency"' in body and "quản trị hệ thống" in body
    response = client_for(user).get(reverse("my-work"))
    assert response["Location"] == reverse("home")


def test_report_list_is_newest_first(cycle_reports: SimpleNamespace) -> None:
    body = client_for(cycle_reports.commune_user).get(reverse("report-list")).content.decode()
    mine = Report.objects.filter(reporter=cycle_reports.a_office).order_by("period__due")
    positions = [body.index(reverse("report-detail", args=[r.pk]) + '"') for r in mine]
    assert len(positions) >= 2
    assert positions == sorted(positions, reverse=True)


def test_unit_work_lists_what_the_units_reports_ask_for(cycle_reports: SimpleNamespace) -> None:
    report = Report.objects.get(period=cycle_reports.semi, reporter=cycle_reports.a_office)
    asked_indicators = set(report.indicator_lines.values_list("indicator__text", flat=True))
    asked_tasks = set(report.task_lines.values_list("task__text", flat=True))
    assert asked_indicators and asked_tasks  # a commune reports for the plan above through its committee
    body = client_for(cycle_reports.commune_user).get(reverse("agency-work", args=[cycle_reports.a_office.pk]))
    text = body.content.decode()
    for name in asked_indicators | asked_tasks:
        assert name in text, name
    assert body.context["indicator_count"] == len(asked_indicators)
    assert body.context["task_count"] == len(asked_tasks)


def test_returned_status_is_in_the_returned_list_only(cycle_reports: SimpleNamespace) -> None:
    report = Report.objects.get(period=cycle_reports.semi, reporter=cycle_reports.a_office)
    assert report.status == ReportStatus.DRAFT
    todo = todo_for(cycle_reports.commune_user, cycle_reports.semi.due)
    assert report.pk in [item.report.pk for item in todo.due]
    assert all(item.days_left >= 0 for item in todo.due if item.report.pk == report.pk)
