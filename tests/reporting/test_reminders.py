"""`binhdang remind`: due-soon and overdue reminders, the standing agency's list, never twice, dry run."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from io import StringIO
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.core.mail import EmailMessage
from django.core.management import call_command

from binhdang.places.models import Agency
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Notice, Period, Reminder
from binhdang.reporting.reminders import (
    DUE_SOON,
    OVERDUE,
    STANDING_SUMMARY,
    RemindersFailed,
    reminders_due,
    reminders_send,
)
from binhdang.reporting.services import periods_generate, report_save, report_submit, reports_generate

BEFORE = dt.date(2026, 6, 5)  # the 6-month report is due 9 June ("trước ngày 10/6")
AFTER = dt.date(2026, 6, 12)


@pytest.fixture
def due(cycle: Any) -> Any:
    """The cycle's 6-month period with its reports, and e-mail addresses for the people and one agency."""
    periods = periods_generate(plan=cycle.plan)
    cycle.semiannual = next(p for p in periods if p.kind == "semiannual")
    cycle.reports = {r.reporter_id: r for r in reports_generate(period=cycle.semiannual)}
    users = get_user_model().objects
    for user in (cycle.commune_user, cycle.other_commune_user, cycle.department_user, cycle.province_user):
        users.filter(pk=user.pk).update(email=f"{user.username}@example.org")
    Agency.objects.filter(pk=cycle.a_office.pk).update(email="vhxh.a@example.org")
    return cycle


def _to(mailoutbox: list[Any]) -> list[str]:
    return sorted(address for message in mailoutbox for address in message.to)


def test_dry_run_lists_and_sends_nothing_records_nothing(due: Any, mailoutbox: list[Any]) -> None:
    planned = reminders_send(today=BEFORE, within_days=5, dry_run=True)
    emails = sorted(p.recipient for p in planned if p.channel == "email")
    assert emails == ["soyte@example.org", "vhxh.a@example.org", "xa_a@example.org", "xa_b@example.org"]
    assert {p.kind for p in planned} == {DUE_SOON}
    assert mailoutbox == []
    assert not Reminder.objects.exists() and not Notice.objects.exists()


def test_reporters_get_a_vietnamese_reminder_by_mail_and_in_the_app(due: Any, mailoutbox: list[Any]) -> None:
    reminders_send(today=BEFORE, within_days=5)
    assert _to(mailoutbox) == ["soyte@example.org", "vhxh.a@example.org", "xa_a@example.org", "xa_b@example.org"]
    message = next(m for m in mailoutbox if m.to == ["xa_a@example.org"])
    assert "Nhắc hạn nộp Báo cáo 6 tháng đầu năm 2026 (hạn 09/06/2026)" in message.subject
    assert "Kính gửi: Phòng Văn hóa - Xã hội" in message.body and "còn 4 ngày" in message.body
    assert f"/bao-cao/{due.reports[due.a_office.pk].pk}/" in message.body
    notice = Notice.objects.get(user=due.commune_user)
    assert notice.url == f"/bao-cao/{due.reports[due.a_office.pk].pk}/" and "Nhắc hạn nộp" in notice.text


def test_a_reminder_is_never_sent_twice(due: Any, mailoutbox: list[Any]) -> None:
    first = reminders_send(today=BEFORE, within_days=5)
    count, notices = len(mailoutbox), Notice.objects.count()
    assert reminders_send(today=BEFORE, within_days=5) == []
    assert reminders_send(today=BEFORE + dt.timedelta(days=1), within_days=5) == []
    assert len(mailoutbox) == count and Notice.objects.count() == notices
    assert Reminder.objects.count() == len(first)


def test_overdue_is_another_reminder_and_the_standing_agency_gets_the_list(due: Any, mailoutbox: list[Any]) -> None:
    reminders_send(today=BEFORE, within_days=5)
    mailoutbox.clear()
    # Commune A sends its report in time; the others do not.
    report = due.reports[due.a_office.pk]
    report = report_save(
        report=report,
        user=due.commune_user,
        version=report.version,
        entries=[
            Entry(due.i1.pk, "total", numerator=Decimal(1), denominator=Decimal(2)),
            Entry(due.i2.pk, "total", value=Decimal(0)),
        ],
    )
    report_submit(report=report, user=due.commune_user, version=report.version)
    sent = reminders_send(today=AFTER, within_days=5)
    kinds = {(p.kind, p.recipient) for p in sent if p.channel == "email"}
    assert kinds == {
        (OVERDUE, "soyte@example.org"),
        (OVERDUE, "xa_b@example.org"),
        (STANDING_SUMMARY, "tinh@example.org"),
    }
    summary = next(m for m in mailoutbox if m.to == ["tinh@example.org"])
    assert "2/3 đơn vị chưa gửi" in summary.subject
    assert "Sở Y tế" in summary.body and due.commune_b.name in summary.body
    assert due.commune_a.name not in summary.body
    assert Notice.objects.filter(user=due.province_user, text__startswith="Tình hình nộp").count() == 1
    assert reminders_send(today=AFTER + dt.timedelta(days=1), within_days=5) == []


def test_closed_periods_and_sent_reports_are_not_reminded(due: Any) -> None:
    Period.objects.filter(pk=due.semiannual.pk).update(closed=True)
    assert reminders_due(today=AFTER, within_days=5) == []


def test_a_refused_mail_is_not_recorded_and_goes_out_next_time(
    due: Any, mailoutbox: list[Any], monkeypatch: pytest.MonkeyPatch
) -> None:
    def refuse(self: EmailMessage, fail_silently: bool = False) -> int:
        raise ConnectionRefusedError("mail server down")

    with monkeypatch.context() as patch:
        patch.setattr(EmailMessage, "send", refuse)
        with pytest.raises(RemindersFailed) as info:
            reminders_send(today=BEFORE, within_days=5)
    assert len(info.value.failures) == 4
    assert not Reminder.objects.filter(recipient__contains="@").exists()
    assert Notice.objects.exists()  # the in-app notices did go out, once
    again = reminders_send(today=BEFORE, within_days=5)
    assert {p.channel for p in again} == {"email"} and len(mailoutbox) == 4


def test_the_command_prints_in_english_and_honours_dry_run(due: Any, mailoutbox: list[Any]) -> None:
    out = StringIO()
    call_command("remind", "--days", "5", "--today", BEFORE.isoformat(), "--dry-run", stdout=out)
    text = out.getvalue()
    assert "would send due_soon" in text and "Dry run: nothing sent, nothing recorded." in text
    assert mailoutbox == [] and not Reminder.objects.exists()
    out = StringIO()
    call_command("remind", "--days", "5", "--today", BEFORE.isoformat(), stdout=out)
    assert "Sent 4 e-mail(s)" in out.getvalue() and len(mailoutbox) == 4
    out = StringIO()
    call_command("remind", "--today", BEFORE.isoformat(), stdout=out)
    assert out.getvalue().strip() == "Nothing to send."
