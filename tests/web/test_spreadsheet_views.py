"""The spreadsheet pages: download a pre-filled workbook, upload it back, see a refused file's errors in a table;
who may download and upload what."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from reporting.test_spreadsheets import _bytes, _setup, fill, form_data, snapshot

from binhdang.reporting.models import Progress, Report, Spending, Value
from binhdang.reporting.spreadsheets import MAX_BYTES, SHEET_INDICATORS

pytestmark = pytest.mark.django_db
D = Decimal
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def client_for(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _upload(client: Client, url: str, data: bytes, name: str = "bao-cao.xlsx") -> Any:
    return client.post(url, {"file": SimpleUploadedFile(name, data)})


def _values(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        Value.objects.filter(report=report).values_list(
            "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"
        )
    )


def test_download_is_a_prefilled_workbook_with_a_vietnamese_file_name(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    response = client_for(cycle.commune_user).get(reverse("report-xlsx", args=[a.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == XLSX
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment; filename*=utf-8''B%C3%A1o%20c%C3%A1o%20-%20")
    assert disposition.endswith(".xlsx")
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    assert SHEET_INDICATORS in wb.sheetnames


def test_upload_saves_the_same_values_as_the_form_and_goes_back_to_the_report(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    client = client_for(cycle.commune_user)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("report-xlsx", args=[a.pk])).content))
    fill(wb, cycle)
    response = _upload(client, reverse("report-xlsx-upload", args=[a.pk]), _bytes(wb))
    assert response.status_code == 302 and response["Location"] == reverse("report-detail", args=[a.pk])
    page = client.get(response["Location"])
    assert "Đã nhập số liệu từ tệp bao-cao.xlsx: 1 báo cáo được cập nhật." in page.content.decode()
    # The other commune types the same figures into the report page.
    response = client_for(cycle.other_commune_user).post(reverse("report-detail", args=[b.pk]), form_data(cycle, b))
    assert response.status_code == 302
    assert _values(a) == _values(b) and _values(a)
    for model, fields in ((Progress, ("task_id", "status", "narrative")), (Spending, ("task_id", "source", "amount"))):
        assert list(model.objects.filter(report=a).values_list(*fields)) == list(
            model.objects.filter(report=b).values_list(*fields)
        )
    a.refresh_from_db()
    b.refresh_from_db()
    assert a.summary == b.summary


def test_a_refused_upload_lists_its_errors_in_a_table_and_saves_nothing(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    client = client_for(cycle.commune_user)
    wb = openpyxl.load_workbook(io.BytesIO(client.get(reverse("report-xlsx", args=[a.pk])).content))
    fill(wb, cycle)
    wb[SHEET_INDICATORS]["E3"] = "abc"
    wb.create_sheet("Nháp")
    before = snapshot()
    response = _upload(client, reverse("report-xlsx-upload", args=[a.pk]), _bytes(wb))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Tệp bị từ chối" in html and "chưa có gì được lưu" in html
    assert "<td>Nháp</td>" in html and "sheet lạ" in html
    assert snapshot() == before
    del wb["Nháp"]
    response = _upload(client, reverse("report-xlsx-upload", args=[a.pk]), _bytes(wb))
    html = re.sub(r">\s+<", "><", response.content.decode())
    assert "<tr><td>Chỉ tiêu</td><td>3</td><td>Tử số</td><td>không phải số (&#x27;abc&#x27;)</td></tr>" in html
    assert snapshot() == before


def test_a_file_over_five_megabytes_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    before = snapshot()
    response = _upload(
        client_for(cycle.commune_user), reverse("report-xlsx-upload", args=[a.pk]), b"PK" + b"0" * MAX_BYTES
    )
    assert response.status_code == 200 and "Tệp lớn hơn 5 MB." in response.content.decode()
    assert snapshot() == before


def test_csv_upload(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    client = client_for(cycle.commune_user)
    url = reverse("report-csv-upload", args=[a.pk])
    header = "report_id,indicator_id,sex,value,numerator,denominator,source,note\n"
    before = snapshot()
    response = _upload(client, url, (header + f"{a.pk},{cycle.i2.pk},total,abc,,,,\n").encode(), "so-lieu.csv")
    assert response.status_code == 200 and "không phải số" in response.content.decode()
    assert snapshot() == before
    response = _upload(client, url, (header + f"{a.pk},{cycle.i2.pk},total,12,,,,\n").encode(), "so-lieu.csv")
    assert response.status_code == 302
    assert Value.objects.get(report=a, indicator=cycle.i2).value == 12


# --- permissions ---------------------------------------------------------------------------------------------


def test_a_report_one_may_not_see_is_not_found_and_one_may_not_change_is_forbidden(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    data = _bytes(
        openpyxl.load_workbook(io.BytesIO(client_for(cycle.admin).get(reverse("report-xlsx", args=[a.pk])).content))
    )
    other = client_for(cycle.other_commune_user)
    for name in ("report-xlsx", "report-xlsx-upload", "report-csv-upload"):
        assert other.get(reverse(name, args=[a.pk])).status_code == 404
    department = client_for(cycle.department_user)
    assert department.get(reverse("report-xlsx", args=[a.pk])).status_code == 200  # the province may read it
    before = snapshot()
    assert _upload(department, reverse("report-xlsx-upload", args=[a.pk]), data).status_code == 403
    assert department.get(reverse("report-csv-upload", args=[a.pk])).status_code == 403
    assert snapshot() == before
    anonymous = Client().get(reverse("report-xlsx", args=[a.pk]))
    assert anonymous.status_code == 302 and reverse("login") in anonymous["Location"]


def test_period_workbooks_are_for_the_plans_editors_and_acceptor(cycle: Any) -> None:
    period, a, b = _setup(cycle)
    url = reverse("period-xlsx", args=[period.pk])
    response = client_for(cycle.province_user).get(url)
    assert response.status_code == 200 and response["Content-Type"] == XLSX
    # A department reads and reports; it does not edit the plan, so it has no whole-period file (issue 13).
    assert client_for(cycle.department_user).get(url).status_code == 403
    assert client_for(cycle.other_province_user).get(url).status_code == 404
    assert client_for(cycle.commune_user).get(reverse("period-xlsx-upload", args=[period.pk])).status_code == 403
    wb = openpyxl.load_workbook(io.BytesIO(response.content))
    ws = wb[SHEET_INDICATORS]
    cols = {c.value: c.column for c in ws[1]}
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 4
    data = _bytes(wb)
    # A department of the province reads every commune's report but enters none of them: all refused.
    before = snapshot()
    response = _upload(client_for(cycle.department_user), reverse("period-xlsx-upload", args=[period.pk]), data)
    assert response.status_code == 403 or "Bạn không có quyền" in response.content.decode()
    assert snapshot() == before
    # The standing agency enters the communes' figures on their behalf (they arrive as Excel by e-mail).
    response = _upload(client_for(cycle.province_user), reverse("period-xlsx-upload", args=[period.pk]), data)
    assert response.status_code == 302 and response["Location"] == reverse("period-detail", args=[period.pk])
    assert sorted(Value.objects.filter(indicator=cycle.i2).values_list("report_id", "value")) == sorted(
        [(a.pk, D(4)), (b.pk, D(4))]
    )
