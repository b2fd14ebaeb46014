"""Concurrency: two reporters saving from the same version, an acceptor accepting while the reporter edits.
No lost update; the loser gets a clear (Vietnamese) message."""

from __future__ import annotations

from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from rest_framework.authtoken.models import Token
from rest_framework.test import APIClient

from binhdang.reporting.checks import Entry
from binhdang.reporting.entries import sexes_for
from binhdang.reporting.errors import ReportAlreadyAccepted, ReportNotEditable, StaleReport
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import (
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

pytestmark = pytest.mark.django_db
STALE = "Báo cáo vừa được người khác thay đổi"


@pytest.fixture
def rep(cycle: Any) -> SimpleNamespace:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    return SimpleNamespace(report=by_agency[cycle.a_office.pk], **vars(cycle))


def _value(report: Report, indicator: Any) -> Decimal | None:
    row = Value.objects.filter(report=report, indicator=indicator, sex="total").first()
    return row.value if row else None


def test_two_reporters_same_version_second_is_stale(rep: SimpleNamespace) -> None:
    version = rep.report.version
    report_save(
        report=rep.report, user=rep.commune_user, version=version, entries=[Entry(rep.i2.pk, "total", Decimal(5))]
    )
    with pytest.raises(StaleReport):
        report_save(
            report=rep.report, user=rep.province_user, version=version, entries=[Entry(rep.i2.pk, "total", Decimal(9))]
        )
    assert _value(rep.report, rep.i2) == Decimal(5), "the first save was lost"


def test_api_second_save_gets_409_with_vietnamese_message(rep: SimpleNamespace) -> None:
    clients = []
    for user in (rep.commune_user, rep.province_user):
        client = APIClient()
        client.credentials(HTTP_AUTHORIZATION=f"Token {Token.objects.get_or_create(user=user)[0].key}")
        clients.append(client)
    url = f"/api/reports/{rep.report.pk}/values/"
    body = {"version": rep.report.version, "values": [{"indicator": rep.i2.pk, "sex": "total", "value": "5"}]}
    assert clients[0].post(url, body, format="json").status_code == 200
    body["values"][0]["value"] = "9"
    loser = clients[1].post(url, body, format="json")
    assert loser.status_code == 409, loser.content
    assert STALE in loser.content.decode(), loser.content.decode()
    assert _value(rep.report, rep.i2) == Decimal(5)


# The same refusal through the web form is asserted in tests/web/test_reporting_views.py (stale version).


def test_accept_while_reporter_edits_refuses_the_late_save(rep: SimpleNamespace) -> None:
    saved = report_save(
        report=rep.report,
        user=rep.commune_user,
        version=rep.report.version,
        entries=[Entry(rep.i2.pk, "total", Decimal(4))]
        + [Entry(rep.i1.pk, sex, note="Chưa thống kê") for sex in sexes_for(rep.i1)],
    )
    submitted = report_submit(report=saved, user=rep.commune_user, version=saved.version)
    editing_version = submitted.version  # the reporter's open form
    report_accept(report=submitted, user=rep.province_user, version=submitted.version)
    with pytest.raises((ReportAlreadyAccepted, ReportNotEditable, StaleReport)):
        report_save(
            report=Report.objects.get(pk=rep.report.pk),
            user=rep.commune_user,
            version=editing_version,
            entries=[Entry(rep.i2.pk, "total", Decimal(8))],
        )
    assert _value(rep.report, rep.i2) == Decimal(4), "the accepted figure changed"
    assert Report.objects.get(pk=rep.report.pk).status == "accepted"
