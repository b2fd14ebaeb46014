"""“Nhắc nộp” from the period page (issue 14): one reminder per reporter per day, by e-mail and in-app notice,
logged; a reporter without an e-mail address gets the notice and a log line, never an error."""

from __future__ import annotations

import datetime as dt
import logging
import re
from typing import Any

import pytest
from django.contrib.auth import get_user_model
from django.test import Client
from django.urls import reverse

from binhdang.places.models import Agency
from binhdang.reporting.errors import NotAllowed
from binhdang.reporting.models import Notice, Reminder, Report
from binhdang.reporting.reminders import AlreadyRemindedToday, NobodyToRemind, report_remind
from binhdang.reporting.services import periods_generate, reports_generate

pytestmark = pytest.mark.django_db

AFTER = dt.date(2026, 6, 12)  # the 6-month report was due 9 June


@pytest.fixture
def late(cycle: Any, monkeypatch: pytest.MonkeyPatch) -> Any:
    periods = periods_generate(plan=cycle.plan)
    cycle.semiannual = next(p for p in periods if p.kind == "semiannual")
    cycle.reports = {r.reporter_id: r for r in reports_generate(period=cycle.semiannual)}
    get_user_model().objects.filter(pk=cycle.commune_user.pk).update(email="xa_a@example.org")
    Agency.objects.filter(pk=cycle.a_office.pk).update(email="vhxh.a@example.org")
    moment = dt.datetime(AFTER.year, AFTER.month, AFTER.day, 3, tzinfo=dt.UTC)
    monkeypatch.setattr("django.utils.timezone.now", lambda: moment)
    return cycle


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_remind_button_beside_each_missing_reporter_sends_mail_and_notice_once_a_day(
    late: Any, mailoutbox: list[Any]
) -> None:
    province = _client(late.province_user)
    page = province.get(reverse("period-detail", args=[late.semiannual.pk])).content.decode()
    report = late.reports[late.a_office.pk]
    remind_url = reverse("report-remind", args=[report.pk])
    assert page.count('class="inline-form remind-form"') == len(late.reports)  # nobody has sent yet
    assert remind_url in page

    response = province.post(remind_url)
    assert response.status_code == 302
    assert sorted(a for m in mailoutbox for a in m.to) == ["vhxh.a@example.org", "xa_a@example.org"]
    assert "quá hạn 3 ngày" in mailoutbox[0].body
    assert Notice.objects.filter(user=late.commune_user, url=reverse("report-detail", args=[report.pk])).count() == 1
    page = province.get(reverse("period-detail", args=[late.semiannual.pk])).content.decode()
    assert remind_url not in page and "Đã nhắc hôm nay" in page
    assert "Đã nhắc" in page  # the message after the redirect names what was sent

    # Twice the same day: refused with a message, nothing more sent.
    province.post(remind_url)
    assert len(mailoutbox) == 2
    assert Notice.objects.filter(user=late.commune_user).count() == 1
    report = Report.objects.select_related("period", "reporter").get(pk=report.pk)
    with pytest.raises(AlreadyRemindedToday):
        report_remind(report=report, user=late.province_user, today=AFTER)
    # The next day, once more.
    report_remind(report=report, user=late.province_user, today=AFTER + dt.timedelta(days=1))
    assert len(mailoutbox) == 4
    assert Reminder.objects.filter(report=report).count() == 6  # (2 addresses + 1 notice) × 2 days


def test_reporter_without_email_gets_the_notice_and_a_log_line(
    late: Any, mailoutbox: list[Any], caplog: pytest.LogCaptureFixture
) -> None:
    report = late.reports[late.b_office.pk]  # commune B: no address for the agency or its user
    with caplog.at_level(logging.INFO, logger="binhdang.reporting.reminders"):
        response = _client(late.province_user).post(reverse("report-remind", args=[report.pk]), follow=True)
    assert response.status_code == 200
    assert mailoutbox == []
    assert Notice.objects.filter(user=late.other_commune_user).count() == 1
    assert any("no e-mail address" in r.getMessage() and str(report.pk) in r.getMessage() for r in caplog.records)
    assert "chưa có địa chỉ thư điện tử" in response.content.decode()


def test_a_reporter_nobody_can_be_told_of_is_not_marked_reminded(late: Any, mailoutbox: list[Any]) -> None:
    """Found walking the demo: "Đã nhắc ... bằng 0 thông báo" and the button gone, though nothing was sent."""
    report = late.reports[late.b_office.pk]  # commune B: no address for the agency ...
    late.other_commune_user.delete()  # ... and now no user either
    response = _client(late.province_user).post(reverse("report-remind", args=[report.pk]), follow=True)
    body = response.content.decode()
    assert "không nhắc được" in body and "bằng 0 thông báo" not in body
    assert not Reminder.objects.filter(report=report).exists() and mailoutbox == []
    # The period page says why no reminder can go, instead of offering a button that cannot work.
    assert "Chưa nhắc được: chưa có người nhận" in body
    assert reverse("report-remind", args=[report.pk]) not in body
    with pytest.raises(NobodyToRemind):
        report_remind(report=Report.objects.get(pk=report.pk), user=late.province_user, today=AFTER)


def test_only_the_acceptor_reminds(late: Any) -> None:
    report = late.reports[late.a_office.pk]
    with pytest.raises(NotAllowed):
        report_remind(report=report, user=late.department_user, today=AFTER)
    # The department sees the commune's report (its unit is above), so the refusal is a 403, not a 404.
    assert _client(late.department_user).post(reverse("report-remind", args=[report.pk])).status_code == 403
    page = _client(late.department_user).get(reverse("period-detail", args=[late.semiannual.pk]))
    assert page.status_code == 200  # it sees the period, with no reminder button
    assert not re.search(r'class="inline-form remind-form"', page.content.decode())
    assert not Reminder.objects.exists()
