"""The Báo cáo of a compiled period; the `document` command; the download pages and who may use them."""

from __future__ import annotations

import io
import re
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.test import Client
from django.urls import reverse
from docx import Document

from binhdang.documents.docx import render_docx
from binhdang.documents.management.commands.document import Command
from binhdang.documents.model import Table
from binhdang.documents.pdf import render_pdf
from binhdang.documents.report import report_document
from binhdang.plans.models import BudgetLine
from binhdang.reporting.checks import Entry
from binhdang.reporting.services import (
    ProgressInput,
    SpendingInput,
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)

pytestmark = pytest.mark.django_db
D = Decimal
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


@pytest.fixture
def compiled(cycle: Any) -> Any:
    """The 6-month period with commune A's report accepted (I1 45/100 women, 90/200 total; I2 = 3; T2 in
    progress; 12,5 million spent from the local budget against 50 planned), commune B's still a draft."""
    BudgetLine.objects.create(plan=cycle.plan, year=2026, source="local", amount=D(50), item="Truyền thông")
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    reports = {r.reporter_id: r for r in reports_generate(period=period)}
    report = reports[cycle.a_office.pk]
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
        progress=[ProgressInput(cycle.t2.pk, "in_progress", "Đang xây dựng")],
        spending=[SpendingInput(cycle.t2.pk, "local", D("12.5"))],
        summary="Đã triển khai tuyên truyền tại 5 thôn.",
    )
    report = report_submit(report=report, user=cycle.commune_user, version=report.version)
    report_accept(report=report, user=cycle.province_user, version=report.version)
    cycle.period = period
    return cycle


def test_report_document_narrates_the_compiled_figures(compiled: Any) -> None:
    doc = report_document(compiled.period)
    assert doc.doc_type == "BÁO CÁO"
    assert doc.header.issuer_lines[0] == "ỦY BAN NHÂN DÂN"
    assert doc.header.number_line == "Số: …/BC-UBND"
    assert doc.summary == "Kết quả thực hiện công tác bình đẳng giới 6 tháng đầu năm 2026"
    assert doc.header.issuer_lines == ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"]
    text = doc.text()
    total = compiled.period.reports.count()
    assert f"Trong kỳ có 1/{total} báo cáo của các cơ quan, đơn vị, địa phương được chấp nhận" in text
    indicators = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[1] == "Chỉ tiêu")
    by_text = {row[1]: row for row in indicators.rows}
    share = by_text["Tỷ lệ lao động nữ làm công hưởng lương"]
    assert share[2] == "Tổng: 45%; Nữ: 45%; Nam: 45%"
    assert share[3:] == ["≥ 50%", "Chưa đạt"]
    assert by_text["Số vụ bạo lực gia đình được phát hiện"][2:] == ["3", "", "Không có chỉ tiêu năm"]
    assert "trong đó 0/1 chỉ tiêu có mục tiêu năm 2026 đã đạt" in text
    assert "Phòng Văn hóa - Xã hội: đang triển khai – Đang xây dựng." in text
    spending = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == "Nguồn kinh phí")
    assert spending.rows[0] == ["Ngân sách địa phương", "50", "12,5", "25,0%"]
    assert "Tổng kinh phí đã chi trong kỳ là 12,5 triệu đồng, bằng 25,0% kinh phí bố trí năm 2026" in text
    assert "Đã triển khai tuyên truyền tại 5 thôn." in text
    assert doc.recipient_lines == [
        "- Bộ Nội vụ (b/c);",
        "- Ủy ban Quốc gia vì sự tiến bộ của phụ nữ Việt Nam (b/c);",
        "- Sở Nội vụ (b/c);",
        "- Ban Vì sự tiến bộ của phụ nữ tỉnh Thái Nguyên;",
        "- Lưu: VT.",
    ]
    document = Document(io.BytesIO(render_docx(doc)))
    assert len(document.tables) == 4  # header, indicators, spending, recipients and signature


def test_report_pdf_renders(compiled: Any) -> None:
    from documents.test_documents import assert_fonts_embedded, pdf_checks

    pages, fonts, text = pdf_checks(render_pdf(report_document(compiled.period)), "bao-cao-ky")
    assert pages >= 1
    assert_fonts_embedded(fonts)
    flat = " ".join(text.split())
    for expected in ("CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM", "BÁO CÁO", "Số: …/BC-UBND", "Chưa đạt"):
        assert expected in flat, expected


def test_command_writes_documents_and_explains_errors(compiled: Any, tmp_path: Path) -> None:
    plan_file = tmp_path / "ke-hoach.docx"
    out = io.StringIO()
    call_command(Command(), "plan", "--id", str(compiled.plan.pk), "--format", "docx", "-o", str(plan_file), stdout=out)
    assert "Wrote" in out.getvalue()
    assert any(p.text == "KẾ HOẠCH" for p in Document(str(plan_file)).paragraphs)
    report_file = tmp_path / "bao-cao.docx"
    call_command(
        Command(), "report", "--id", str(compiled.plan.pk), "--period", str(compiled.period.pk), "-o", str(report_file)
    )
    assert any(p.text == "BÁO CÁO" for p in Document(str(report_file)).paragraphs)
    # Errors, in plain English.
    target = str(tmp_path / "x.docx")
    with pytest.raises(CommandError, match="No plan numbered '99/KH-UBND'"):
        call_command(Command(), "plan", "99/KH-UBND", "-o", target)
    with pytest.raises(CommandError, match="Give the plan's number and symbol"):
        call_command(Command(), "plan", "-o", target)
    with pytest.raises(CommandError, match="Give the reporting period with --period"):
        call_command(Command(), "report", "--id", str(compiled.plan.pk), "-o", target)
    with pytest.raises(CommandError, match="No reporting period with id 999999"):
        call_command(Command(), "report", "--id", str(compiled.plan.pk), "--period", "999999", "-o", target)


def _client(user: Any) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_downloads_respect_who_may_see_what(compiled: Any) -> None:
    plan_url = reverse("document-plan-docx", args=[compiled.plan.pk])
    report_url = reverse("document-report-docx", args=[compiled.period.pk])
    assert Client().get(plan_url).status_code == 302  # sign in first
    response = _client(compiled.province_user).get(plan_url)
    assert response.status_code == 200
    assert response["Content-Type"] == DOCX
    assert response["Content-Disposition"].startswith("attachment; filename*=utf-8''")
    assert _client(compiled.other_province_user).get(plan_url).status_code == 404
    assert _client(compiled.province_user).get(report_url).status_code == 200
    assert _client(compiled.admin).get(report_url).status_code == 200
    # The department sees the plan (it is assigned work) but not the compiled report.
    # A commune sees the plan (it gives work to the lower-level committees) but not the compiled report.
    assert _client(compiled.commune_user).get(plan_url).status_code == 200
    assert _client(compiled.commune_user).get(report_url).status_code == 403
    assert _client(compiled.other_province_user).get(report_url).status_code == 404


def test_pdf_downloads_are_wired_to_the_pdf_renderer(compiled: Any, monkeypatch: Any) -> None:
    """The real conversion is tested above; here that a .pdf page starts a job (run at once in tests) whose
    page offers the file render_pdf made, to the person who asked and to nobody else but administrators."""
    monkeypatch.setattr("binhdang.documents.pdf.render_pdf", lambda doc: b"%PDF-1.7 " + doc.doc_type.encode())
    client = _client(compiled.province_user)
    for name, pk, made in (
        ("document-plan-pdf", compiled.plan.pk, "%PDF-1.7 KẾ HOẠCH"),
        ("document-report-pdf", compiled.period.pk, "%PDF-1.7 BÁO CÁO"),
    ):
        response = client.get(reverse(name, args=[pk]))
        assert response.status_code == 302 and response["Location"].startswith("/cong-viec/"), response
        page = client.get(response["Location"])
        assert page.status_code == 200
        (download,) = re.findall(r'id="job-download" href="([^"]+)"', page.content.decode())
        response = client.get(download)
        assert (response.status_code, response["Content-Type"]) == (200, "application/pdf")
        assert response.content == made.encode()
        assert response["Content-Disposition"].endswith(".pdf")
        # The same unchanged document asked again is the same job: made once.
        assert client.get(reverse(name, args=[pk]))["Location"] == page.request["PATH_INFO"]
        assert _client(compiled.commune_user).get(download).status_code == 404
        assert _client(compiled.admin).get(download).status_code == 200
