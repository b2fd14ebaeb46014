"""Entry that teaches (issue 14): no red marks on an untouched form; an error summary at the top that links to
each marked field and counts exactly those; the other checks kept after a failed save; money spent on a task
"not started" flagged; the last period's accepted figure beside each field."""

from __future__ import annotations

import re
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse

from binhdang.reporting import services
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Period, Report

pytestmark = pytest.mark.django_db
D = Decimal


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def entry(cycle: SimpleNamespace) -> SimpleNamespace:
    for period in services.periods_generate(plan=cycle.plan):
        services.reports_generate(period=period)
    semi = Period.objects.get(plan=cycle.plan, kind="semiannual")
    annual = Period.objects.get(plan=cycle.plan, kind="annual")
    return SimpleNamespace(
        semi=Report.objects.get(period=semi, reporter=cycle.a_office),
        annual=Report.objects.get(period=annual, reporter=cycle.a_office),
        **vars(cycle),
    )


def _post(e: SimpleNamespace, report: Report, **fields: str) -> Any:
    report.refresh_from_db()
    data = {"version": str(report.version), "entry_form": "1", f"t{e.t2.pk}-status": "not_started", **fields}
    return client_for(e.commune_user).post(reverse("report-detail", args=[report.pk]), data)


def _summary(body: str) -> list[str]:
    block = re.search(r'id="error-summary".*?</ol>', body, re.S)
    return re.findall(r'<a href="#([^"]+)">', block.group(0)) if block else []


def test_untouched_form_has_no_red_marks(entry: SimpleNamespace) -> None:
    body = client_for(entry.commune_user).get(reverse("report-detail", args=[entry.semi.pk])).content.decode()
    assert 'id="error-summary"' not in body
    assert "msg-error server-msg" not in body
    assert "server-msg" not in body  # no warning either: nothing was typed yet
    assert not re.search(r'class="msg js-ind-msg[^"]*"[^>]*>[^<\s]', body)  # the live lines start empty


def test_summary_links_to_each_marked_field_and_counts_them(entry: SimpleNamespace) -> None:
    i1 = entry.i1.pk
    # Female over total and a half-filled pair; then try to send.
    _post(
        entry,
        entry.semi,
        **{f"i{i1}-female-numerator": "150", f"i{i1}-female-denominator": "100", f"i{i1}-total-numerator": "90"},
    )
    entry.semi.refresh_from_db()
    client = client_for(entry.commune_user)
    response = client.post(reverse("report-submit", args=[entry.semi.pk]), {"version": entry.semi.version})
    assert response.status_code == 302
    body = client.get(reverse("report-detail", args=[entry.semi.pk])).content.decode()
    anchors = _summary(body)
    assert anchors, "the page lists what to fix"
    count = int(re.search(r"Còn (\d+) chỗ cần xem lại", body).group(1))
    assert count == len(anchors) == len(set(anchors))
    for anchor in anchors:
        assert f'id="{anchor}"' in body, anchor  # every link lands on a field
    # Every field marked with a server message is in the summary, and nothing else.
    marked_inputs = set(
        re.findall(r'id="([^"]+)-msg" aria-live="polite"><span class="msg-(?:error|warning) server-msg', body)
    )
    assert marked_inputs and marked_inputs <= set(anchors)


def test_checks_survive_a_save_refused_for_an_unreadable_number(entry: SimpleNamespace) -> None:
    i1, i2 = entry.i1.pk, entry.i2.pk
    response = _post(
        entry,
        entry.semi,
        **{
            f"i{i1}-female-numerator": "150",
            f"i{i1}-female-denominator": "100",
            f"i{i1}-total-numerator": "90",
            f"i{i1}-total-denominator": "200",
            f"i{i2}-total-value": "ba",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "Không phải số" in body or "không phải số" in body.lower()
    assert "Tử số lớn hơn mẫu số" in body  # the 150 % check is still shown after the refused save
    assert _summary(body)


def test_money_spent_on_a_task_not_started_is_flagged(entry: SimpleNamespace) -> None:
    response = _post(entry, entry.semi, **{f"t{entry.t2.pk}-local": "35,4"})
    assert response.status_code == 302
    body = client_for(entry.commune_user).get(reverse("report-detail", args=[entry.semi.pk])).content.decode()
    assert "task-flag" in body and "Chưa triển khai" in body and "35,4 triệu đồng" in body
    assert f'href="#task-{entry.t2.pk}"' in body


def test_last_periods_accepted_figure_is_beside_each_field(entry: SimpleNamespace) -> None:
    report = services.report_save(
        report=entry.semi,
        user=entry.commune_user,
        version=entry.semi.version,
        entries=[
            Entry(entry.i1.pk, "total", numerator=D(90), denominator=D(200)),
            Entry(entry.i1.pk, "female", numerator=D(40), denominator=D(100)),
            Entry(entry.i1.pk, "male", numerator=D(50), denominator=D(100)),
            Entry(entry.i2.pk, "total", value=D(1040)),
        ],
    )
    report = services.report_submit(report=report, user=entry.commune_user, version=report.version)
    services.report_accept(report=report, user=entry.province_user, version=report.version)
    body = client_for(entry.commune_user).get(reverse("report-detail", args=[entry.annual.pk])).content.decode()
    previous = re.findall(r'Kỳ trước \(đã chấp nhận\): <span class="num">([^<]+)</span>', body)
    assert sorted(previous) == sorted(["45", "40", "50", "1.040"])
