"""Statuses and timeliness that tell the truth (issue 14): returned, re-opened and accepted read differently,
"accepted at" only for accepted reports, timeliness decided by the first submission, no synthetic future."""

from __future__ import annotations

import datetime as dt
import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import AuditEvent, Notice, Report, ReportStatus
from binhdang.reporting.status import REOPENED, status_code, with_last_status_action

pytestmark = pytest.mark.django_db


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> Any:
    def set_day(day: dt.date, hour: int = 3) -> None:
        moment = dt.datetime(day.year, day.month, day.day, hour, tzinfo=dt.UTC)
        monkeypatch.setattr("django.utils.timezone.now", lambda: moment)

    return set_day


@pytest.fixture
def health_report(cycle: SimpleNamespace) -> SimpleNamespace:
    period = next(p for p in services.periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    services.reports_generate(period=period)
    report = Report.objects.get(period=period, reporter=cycle.health)
    entries = [
        Entry(cycle.i1.pk, "total", numerator=Decimal(90), denominator=Decimal(200)),
        Entry(cycle.i1.pk, "female", numerator=Decimal(40), denominator=Decimal(100)),
        Entry(cycle.i1.pk, "male", numerator=Decimal(50), denominator=Decimal(100)),
    ]
    report = services.report_save(report=report, user=cycle.department_user, version=report.version, entries=entries)
    return SimpleNamespace(report=report, period=period, **vars(cycle))


def _badge(page: str) -> str:
    found = re.search(r'class="badge report-status[^"]*"[^>]*>([^<]+)<', page)
    assert found is not None
    return found.group(1).strip()


def _page(user: Any, report: Report) -> str:
    client = Client()
    client.force_login(user)
    return client.get(reverse("report-detail", args=[report.pk])).content.decode()


def _submit(h: SimpleNamespace) -> Report:
    h.report.refresh_from_db()
    return services.report_submit(report=h.report, user=h.department_user, version=h.report.version)


def test_returned_reopened_and_accepted_read_differently(health_report: SimpleNamespace, clock: Any) -> None:
    h = health_report
    clock(h.period.due - dt.timedelta(days=2))
    sent = _submit(h)
    report = services.report_return(
        report=sent, user=h.province_user, comment="Thiếu nguồn số liệu", version=sent.version
    )
    page = _page(h.department_user, report)
    assert _badge(page) == "Bị trả lại" and "Trả lại lúc" in page
    assert "Duyệt lúc" not in page and "Chấp nhận lúc" not in page

    sent = _submit(h)
    report = services.report_accept(report=sent, user=h.province_user, version=sent.version)
    page = _page(h.department_user, report)
    assert _badge(page) == "Đã chấp nhận" and "Chấp nhận lúc" in page and "Trả lại lúc" not in page

    report = services.report_reopen(report=report, user=h.province_user, reason="Sửa số nữ", version=report.version)
    assert report.status == ReportStatus.RETURNED  # stored as open to the reporter again
    assert status_code(report) == REOPENED
    page = _page(h.department_user, report)
    assert _badge(page) == "Đã mở lại để sửa" and "Lý do mở lại:" in page and "Sửa số nữ" in page
    assert "Ý kiến khi trả lại:" not in page and "Chấp nhận lúc" not in page and "Trả lại lúc" not in page
    listed = with_last_status_action(Report.objects.filter(pk=report.pk)).get()
    assert status_code(listed) == REOPENED
    assert "Đã mở lại để sửa" in Client.get(_client(h.department_user), reverse("report-list")).content.decode()


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_reopening_after_the_deadline_keeps_an_on_time_report_on_time(
    health_report: SimpleNamespace, clock: Any
) -> None:
    h = health_report
    clock(h.period.due - dt.timedelta(days=1))
    sent = _submit(h)
    report = services.report_accept(report=sent, user=h.province_user, version=sent.version)
    assert not report.late
    clock(h.period.due + dt.timedelta(days=20))
    services.report_reopen(report=report, user=h.province_user, reason="Bổ sung", version=report.version)
    report = _submit(h)
    assert not report.late
    assert report.state(h.period.due + dt.timedelta(days=20)) == "on_time"
    assert "Nộp muộn" not in _page(h.province_user, report)


def test_a_report_first_sent_late_stays_late(health_report: SimpleNamespace, clock: Any) -> None:
    h = health_report
    clock(h.period.due + dt.timedelta(days=3))
    sent = _submit(h)
    report = services.report_return(report=sent, user=h.province_user, comment="Sửa lại", version=sent.version)
    assert report.late
    report = _submit(h)
    assert report.late


def test_synthetic_history_holds_no_time_in_the_future(db: None, monkeypatch: pytest.MonkeyPatch) -> None:
    from conftest import golden

    from binhdang.demo.history import demo_history_build
    from binhdang.plans.interchange import plan_load

    plan = plan_load(golden("001_bb8641eaaac6b658"), source_filename="001_bb8641eaaac6b658.txt")
    last_due = max(p.due for p in services.periods_generate(plan=plan))
    # Two days after the last deadline, early morning in Việt Nam: late reports and decisions are dated "today",
    # and a step of today stamped in the afternoon would lie in the future.
    today = last_due + dt.timedelta(days=2)
    now = dt.datetime(today.year, today.month, today.day, 0, 30, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: now)
    demo_history_build(province_plan=plan, today=today)
    assert Report.objects.filter(submitted_at__isnull=False).exists()
    assert not Report.objects.filter(submitted_at__gt=now).exists()
    assert not Report.objects.filter(decided_at__gt=now).exists()
    assert not Report.objects.filter(updated_at__gt=now).exists()
    assert not AuditEvent.objects.filter(at__gt=now).exists()
    assert not Notice.objects.filter(created_at__gt=now).exists()
    # Some steps did fall on today (so the test exercised the case).
    assert Report.objects.filter(decided_at__date__gte=today - dt.timedelta(days=1)).exists()


def _list_row(user: Any, report: Report) -> str:
    client = Client()
    client.force_login(user)
    page = client.get(reverse("report-list")).content.decode()
    link = reverse("report-detail", args=[report.pk])
    row = re.search(rf'<tr>\s*<td><a href="{re.escape(link)}">.*?</tr>', page, re.S)
    assert row is not None, page[:3000]
    return row.group(0)


@pytest.mark.parametrize("after", [0, 1])
def test_one_deadline_rule_everywhere(health_report: SimpleNamespace, clock: Any, after: int) -> None:
    """On the deadline day an unsent report is still on time; the day after it is overdue, and the report list,
    the report page, completeness and the reminders all say so together (issue 17: one rule for "overdue")."""
    from binhdang.reporting.completeness import period_completeness
    from binhdang.reporting.reminders import OVERDUE, reminders_due

    h = health_report
    day = h.period.due + dt.timedelta(days=after)
    clock(day)
    overdue = after > 0
    report = Report.objects.select_related("period").get(pk=h.report.pk)
    assert report.overdue(day) is overdue
    assert ("quá hạn" in _list_row(h.department_user, report)) is overdue
    assert ("Đã quá hạn nộp" in _page(h.department_user, report)) is overdue
    states = dict((r.pk, state) for r, state in period_completeness(h.period, day).rows)
    assert states[report.pk] == ("missing" if overdue else "pending")
    kinds = {p.kind for p in reminders_due(today=day, within_days=3) if p.report and p.report.pk == report.pk}
    assert kinds and (OVERDUE in kinds) is overdue
