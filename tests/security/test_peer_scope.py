"""Peers see neither each other's inspection findings nor send times (issue 13, finding 7).

The overseers of a plan (reporting.selectors.can_see_compiled: administrators, the plan's editors, its
acceptor agency) see every row and finding; a reporter sees its own row and the findings about itself.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import pytest
from django.test import Client
from django.utils import timezone
from opendata.worlds import fill, rate

from binhdang.reporting import inspections
from binhdang.reporting.checks import Entry
from binhdang.reporting.selectors import can_see_compiled
from binhdang.reporting.services import periods_generate, report_submit, reports_generate


@pytest.fixture
def data(cycle: SimpleNamespace) -> SimpleNamespace:
    """The cycle plan (its task T2 goes to the communes, so they see it); communes A and B both sent."""
    semi = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    sent = {}
    for report in reports_generate(period=semi):
        if report.reporter_id in (cycle.a_office.pk, cycle.b_office.pk):
            report = fill(
                report,
                cycle.admin,
                [*rate(cycle.i1, (9, 20), (4, 10), (5, 10)), Entry(cycle.i2.pk, "total", value=Decimal(3))],
            )
            sent[report.reporter_id] = report_submit(report=report, user=cycle.admin, version=report.version)
    return SimpleNamespace(semi=semi, sent_a=sent[cycle.a_office.pk], sent_b=sent[cycle.b_office.pk], **vars(cycle))


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _table_units(page: str) -> str:
    return page.split('id="h-tat-ca"')[1]


def _completeness_units(client: Client, plan_pk: int) -> set[str]:
    response = client.get(f"/ke-hoach/{plan_pk}/tinh-hinh-bao-cao/", {"format": "csv"})
    assert response.status_code == 200
    rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    return {r[3] for r in rows[1:]}


def test_the_overseer_sees_every_reporter(data: SimpleNamespace) -> None:
    assert can_see_compiled(data.province_user, data.plan)
    client = _client(data.province_user)
    page = client.get(f"/ky-bao-cao/{data.semi.pk}/").content.decode()
    table = _table_units(page)
    assert data.commune_a.name in table and data.commune_b.name in table and "Sở Y tế" in table
    assert {data.commune_a.name, data.commune_b.name} <= _completeness_units(client, data.plan.pk)


def test_a_reporter_sees_only_its_own_row_and_send_time(data: SimpleNamespace) -> None:
    assert not can_see_compiled(data.other_commune_user, data.plan)
    client = _client(data.other_commune_user)  # commune B
    response = client.get(f"/ky-bao-cao/{data.semi.pk}/")
    assert response.status_code == 200
    table = _table_units(response.content.decode())
    assert data.commune_b.name in table
    assert timezone.localtime(data.sent_b.submitted_at).strftime("%d/%m/%Y %H:%M") in table  # its own send time
    assert data.commune_a.name not in table
    assert "Sở Y tế" not in table
    assert _completeness_units(client, data.plan.pk) == {data.commune_b.name}
    completeness_page = client.get(f"/ke-hoach/{data.plan.pk}/tinh-hinh-bao-cao/").content.decode()
    assert data.commune_a.name not in completeness_page


@pytest.fixture
def inspected(data: SimpleNamespace) -> SimpleNamespace:
    inspection = inspections.inspection_create(
        plan=data.plan,
        user=data.province_user,
        title="Kiểm tra liên ngành 2026",
        team="",
        starts_on=dt.date(2026, 5, 1),
        ends_on=dt.date(2026, 5, 3),
        units=[data.commune_a, data.commune_b],
        agencies=[data.health],
    )
    for unit, agency, text in [
        (data.commune_a, None, "Phát hiện riêng của xã A"),
        (data.commune_b, None, "Phát hiện riêng của xã B"),
        (data.health.unit, data.health, "Phát hiện riêng của Sở Y tế"),
    ]:
        inspections.finding_add(
            inspection=inspection,
            user=data.province_user,
            unit=unit,
            agency=agency,
            text=text,
            recommendation="",
            due=None,
        )
    return SimpleNamespace(inspection=inspection, **vars(data))


def _findings(user: Any, inspection: Any) -> set[str]:
    response = _client(user).get(f"/kiem-tra/{inspection.pk}/")
    assert response.status_code == 200
    page = response.content.decode()
    return {t for t in ("xã A", "xã B", "Sở Y tế") if f"Phát hiện riêng của {t}" in page}


def test_the_overseer_reads_every_finding(inspected: SimpleNamespace) -> None:
    assert _findings(inspected.province_user, inspected.inspection) == {"xã A", "xã B", "Sở Y tế"}
    assert _findings(inspected.admin, inspected.inspection) == {"xã A", "xã B", "Sở Y tế"}


def test_a_commune_reads_only_the_findings_about_itself(inspected: SimpleNamespace) -> None:
    assert _findings(inspected.commune_user, inspected.inspection) == {"xã A"}
    assert _findings(inspected.other_commune_user, inspected.inspection) == {"xã B"}
