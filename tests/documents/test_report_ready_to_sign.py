"""The compiled report ready to sign and send (issue 14): signer block from the plan's issuer, recipients set on
the reporting regime, số/ngày blanks, and a budget table whose "planned" column never reads 0 for "not planned"."""

from __future__ import annotations

import io
from decimal import Decimal
from typing import Any

import pytest
from django.test import Client
from django.urls import reverse
from docx import Document

from binhdang.documents.docx import render_docx
from binhdang.documents.model import Table
from binhdang.documents.report import NOT_PLANNED, report_document
from binhdang.plans.models import BudgetLine, ReportingRule
from binhdang.reporting.checks import Entry
from binhdang.reporting.services import (
    SpendingInput,
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

pytestmark = pytest.mark.django_db
D = Decimal


@pytest.fixture
def spent(cycle: Any) -> Any:
    """Commune A's 6-month report accepted with 35,4 million spent from the local budget; no budget lines."""
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = {r.reporter_id: r for r in reports_generate(period=period)}[cycle.a_office.pk]
    report = report_save(
        report=report,
        user=cycle.commune_user,
        version=report.version,
        entries=[
            Entry(cycle.i1.pk, "total", numerator=D(90), denominator=D(200)),
            Entry(cycle.i1.pk, "female", numerator=D(45), denominator=D(100)),
            Entry(cycle.i1.pk, "male", numerator=D(45), denominator=D(100)),
            Entry(cycle.i2.pk, "total", value=D(3)),
        ],
        spending=[SpendingInput(cycle.t2.pk, "local", D("35.4"))],
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    report_accept(report=report, user=cycle.province_user, version=report.version)
    cycle.period = period
    return cycle


def _spending(doc: Any) -> Table:
    return next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == "Nguồn kinh phí")


def test_signature_block_is_the_committees_with_a_name_line_to_fill(spent: Any) -> None:
    doc = report_document(spent.period)
    assert doc.signature.authority.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert doc.signature.title == "PHÓ CHỦ TỊCH"
    assert doc.signature.name.strip("…") == "" and doc.signature.name  # a line to fill, not a made-up name
    assert doc.header.number_line == "Số: …/BC-UBND"
    assert doc.header.date_line == "Thái Nguyên, ngày … tháng … năm …"
    text = "\n".join(
        p.text for t in Document(io.BytesIO(render_docx(doc))).tables for c in t._cells for p in c.paragraphs
    )
    assert "TM. ỦY BAN NHÂN DÂN" in text and "KT. CHỦ TỊCH" in text and "PHÓ CHỦ TỊCH" in text
    assert "Nơi nhận:" in text and "Bộ Nội vụ (b/c);" in text


def test_the_plans_own_signer_authority_is_kept(spent: Any) -> None:
    spent.plan.signer_authority, spent.plan.signer_title = "KT/CHỦ TỊCH", "Phó Chủ tịch"
    spent.plan.save(update_fields=["signer_authority", "signer_title"])
    doc = report_document(spent.period)
    assert doc.signature.authority.splitlines() == ["TM. ỦY BAN NHÂN DÂN", "KT. CHỦ TỊCH"]
    assert doc.signature.title == "PHÓ CHỦ TỊCH"


def test_recipients_set_on_the_regime_replace_the_defaults(spent: Any) -> None:
    client = Client()
    client.force_login(spent.province_user)
    rule = ReportingRule.objects.get(pk=spent.period.rule_id)
    page = client.get(reverse("part-update", args=[spent.plan.pk, "reporting", rule.pk]))
    assert page.status_code == 200 and 'name="recipients"' in page.content.decode()
    response = client.post(
        reverse("part-update", args=[spent.plan.pk, "reporting", rule.pk]),
        {
            "kind": rule.kind,
            "due": "10/6",
            "text": rule.text,
            "to": rule.to_agency_id or "",
            "recipients": "Bộ Nội vụ (b/c)\nThường trực Tỉnh ủy (b/c)\n",
        },
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    rule.refresh_from_db()
    assert rule.recipients == "Bộ Nội vụ (b/c)\nThường trực Tỉnh ủy (b/c)"
    doc = report_document(spent.period)
    assert doc.recipient_lines == ["- Bộ Nội vụ (b/c);", "- Thường trực Tỉnh ủy (b/c);", "- Lưu: VT."]


def test_budget_without_lines_reads_not_planned_never_zero(spent: Any) -> None:
    doc = report_document(spent.period)
    rows = _spending(doc).rows
    assert rows[0] == ["Ngân sách địa phương", NOT_PLANNED, "35,4", ""]
    assert rows[-1][0] == "Tổng cộng" and rows[-1][1] == NOT_PLANNED
    assert all(row[1] != "0" for row in rows)
    assert "chưa lập kế hoạch kinh phí cho năm 2026" in doc.text()


def test_budget_planned_comes_from_the_plans_budget_lines(spent: Any) -> None:
    BudgetLine.objects.create(plan=spent.plan, year=2026, source="local", amount=D(40), item="Truyền thông")
    BudgetLine.objects.create(plan=spent.plan, year=2026, source="local", amount=D(60), item="Tập huấn")
    BudgetLine.objects.create(plan=spent.plan, year=2027, source="local", amount=D(999), item="Năm sau")
    rows = _spending(report_document(spent.period)).rows
    assert rows[0] == ["Ngân sách địa phương", "100", "35,4", "35,4%"]
