"""Report form numbering that matches the plan and the Excel sheet (issue 14: indicators numbered 1, 2a, 1 and
four tasks all labelled "IV.13" on the form while the Excel sheet said "13.")."""

from __future__ import annotations

import io
import re
from typing import Any

import openpyxl
import pytest
from conftest import minimal_plan
from django.test import Client
from django.urls import reverse

from binhdang.plans.interchange import plan_load
from binhdang.reporting.forms import ReportEntryForm
from binhdang.reporting.models import Report
from binhdang.reporting.services import periods_generate, reports_generate
from binhdang.reporting.spreadsheets import report_workbook

pytestmark = pytest.mark.django_db


@pytest.fixture
def repeated(world: Any) -> Any:
    doc = minimal_plan("2025:19")
    doc["objectives"] = [
        {"id": "O1", "number": "1", "title": "Chính trị"},
        {"id": "O2", "number": "2", "title": "Kinh tế"},
    ]
    doc["indicators"] = [
        {"id": "I1", "objective": "O1", "number": "1", "text": "Tỷ lệ nữ đại biểu", "measure": "count"},
        {"id": "I2", "objective": "O1", "number": "2a", "text": "Tỷ lệ nữ lãnh đạo", "measure": "count"},
        {"id": "I3", "objective": "O2", "number": "1", "text": "Tỷ lệ lao động nữ", "measure": "count"},
    ]
    lower = "Ủy ban nhân dân các xã, phường"
    doc["tasks"] = [
        {"id": f"T{n}", "section": "IV", "number": "13", "text": f"Việc thứ {n} của mục 13", "lead": lower}
        for n in range(1, 5)
    ]
    doc["reporting"] = [{"kind": "annual", "due": "--11-10", "to": "Sở Nội vụ"}]
    plan = plan_load(doc)
    period = periods_generate(plan=plan)[0]
    report = next(r for r in reports_generate(period=period) if r.reporter_id == world.a_office.pk)
    return report


def test_form_labels_are_unique_and_follow_the_plan(repeated: Report) -> None:
    form = ReportEntryForm(repeated)
    assert [row.number for row in form.indicators] == ["1.1", "1.2a", "2.1"]
    assert [row.number for row in form.tasks] == ["IV.13a", "IV.13b", "IV.13c", "IV.13d"]


def test_excel_sheet_prints_the_same_labels_as_the_form(repeated: Report, world: Any) -> None:
    form = ReportEntryForm(repeated)
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(repeated)))
    sheet_text = " ".join(str(c.value) for ws in wb.worksheets for row in ws.iter_rows() for c in row if c.value)
    for row in form.indicators:
        assert f"{row.number}. {row.indicator.text}" in sheet_text
    for task_row in form.tasks:
        assert f"{task_row.number}. {task_row.task.text}" in sheet_text
    client = Client()
    client.force_login(world.commune_user)
    page = client.get(reverse("report-detail", args=[repeated.pk])).content.decode()
    legends = re.findall(r'<span class="task-number">([^<]+)</span>', page)
    assert legends == [f"{row.number}." for row in form.indicators] + [f"{t.number}." for t in form.tasks]


def test_every_page_prints_the_plans_labels_even_for_a_report_asking_part_of_the_plan(
    repeated: Report, world: Any
) -> None:
    """Found walking the demo: the dashboard, the compiled view and the plan page printed "1.", "2a.", "1." and
    "IV.13" for rows the form labels "2.1" or "IV.13a". The label is the plan's, whatever list shows the row."""
    plan = repeated.period.plan
    expected_indicators = ["1.1", "1.2a", "2.1"]
    expected_tasks = ["IV.13a", "IV.13b", "IV.13c", "IV.13d"]
    # A report that asks for one indicator and one task only still labels them as the plan does.
    repeated.indicator_lines.exclude(indicator__key="I3").delete()
    repeated.task_lines.exclude(task__key="T2").delete()
    form = ReportEntryForm(repeated)
    assert [row.number for row in form.indicators] == ["2.1"]
    assert [row.number for row in form.tasks] == ["IV.13b"]

    client = Client()
    client.force_login(world.admin)
    plan_page = client.get(reverse("plan-detail", args=[plan.pk])).content.decode()
    numbers = re.findall(r'<span class="task-number">(?:Chỉ tiêu )?([^<]+?)\.?</span>', plan_page)
    assert [n for n in numbers if n in expected_indicators] == expected_indicators
    assert [n for n in numbers if n in expected_tasks] == expected_tasks
    # The compiled view lists the plan's indicators (tasks only once progress is accepted).
    compiled = client.get(reverse("period-compiled", args=[repeated.period_id])).content.decode()
    for label, text in zip(
        expected_indicators, ["Tỷ lệ nữ đại biểu", "Tỷ lệ nữ lãnh đạo", "Tỷ lệ lao động nữ"], strict=True
    ):
        assert f">{label}. {text}" in compiled, label
    assert ">1. Tỷ lệ lao động nữ" not in compiled
