"""Documents in the form of Decree 30/2020: the Kế hoạch of a plan and the Báo cáo of a compiled period,
as Word and as PDF. The PDFs are checked with poppler (pages, embedded fonts, text) and rendered to PNG in
test-artifacts/ for a person to look at."""

from __future__ import annotations

import io
import re
import subprocess
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from conftest import golden
from docx import Document

from binhdang.documents.docx import render_docx
from binhdang.documents.model import OfficialDocument
from binhdang.documents.pdf import render_pdf
from binhdang.documents.plan import plan_document
from binhdang.plans.interchange import plan_load

pytestmark = pytest.mark.django_db

THAI_NGUYEN = "001_bb8641eaaac6b658"
QUANG_NINH = "003_ecf9f5f172921c6a"
ARTIFACTS = Path(__file__).resolve().parents[2] / "test-artifacts"


def docx_texts(data: bytes) -> tuple[Any, list[str]]:
    """The Word document and every paragraph's text, tables' cells included, in order."""
    document = Document(io.BytesIO(data))
    texts: list[str] = []
    body = document.element.body
    for child in body.iterchildren():
        if child.tag.endswith("}p"):
            texts.append("".join(t.text or "" for t in child.iter() if t.tag.endswith("}t")))
        elif child.tag.endswith("}tbl"):
            for p in child.iter():
                if p.tag.endswith("}p"):
                    texts.append("".join(t.text or "" for t in p.iter() if t.tag.endswith("}t")))
    return document, texts


def pdf_checks(data: bytes, name: str) -> tuple[int, str, str]:
    """Write the PDF and its PNG pages to test-artifacts/; return (pages, pdffonts output, text)."""
    ARTIFACTS.mkdir(exist_ok=True)
    pdf = ARTIFACTS / f"{name}.pdf"
    pdf.write_bytes(data)
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    pages = int(re.search(r"^Pages:\s+(\d+)", info, re.MULTILINE).group(1))  # type: ignore[union-attr]
    assert re.search(r"^Page size:\s+595\.\d* x 841\.\d* pts \(A4\)", info, re.MULTILINE), info
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    for old in ARTIFACTS.glob(f"{name}-*.png"):
        old.unlink()
    subprocess.run(["pdftoppm", "-r", "50", "-png", str(pdf), str(ARTIFACTS / name)], check=True)
    return pages, fonts, text


def assert_fonts_embedded(fonts: str) -> None:
    rows = fonts.splitlines()[2:]
    assert rows, fonts
    assert all("LiberationSerif" in row for row in rows), fonts
    assert all(re.search(r"\byes\s+yes\s+yes\b", row) for row in rows), fonts  # embedded, subset, Unicode
    assert "Type 3" not in fonts, fonts


@pytest.fixture
def thai_nguyen(db: None) -> Any:
    return plan_load(golden(THAI_NGUYEN))


@pytest.fixture
def thai_nguyen_document(thai_nguyen: Any) -> OfficialDocument:
    return plan_document(thai_nguyen)


def test_plan_document_model_follows_the_stored_plan(thai_nguyen_document: OfficialDocument) -> None:
    doc = thai_nguyen_document
    assert doc.header.issuer_lines == ["ỦY BAN NHÂN DÂN", "TỈNH THÁI NGUYÊN"]
    assert doc.header.number_line == "Số: 59/KH-UBND"
    assert doc.header.date_line == "Thái Nguyên, ngày 13 tháng 4 năm 2023"
    assert doc.doc_type == "KẾ HOẠCH"
    assert doc.summary.startswith("Triển khai công tác bình đẳng giới")
    assert (doc.signature.authority, doc.signature.title, doc.signature.name) == (
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Quang Tiến",
    )
    assert doc.recipient_lines[0] == "- Bộ Lao động - TB&XH (b/c);"
    assert doc.recipient_lines[-1] == "- Lưu: VT, KGVX."
    text = doc.text()
    assert "Căn cứ Nghị quyết số 28/NQ-CP ngày 03/3/2021 của Chính phủ" in text
    assert re.search(r"^\d\. Sở Lao động - Thương binh và Xã hội$", text, re.MULTILINE)  # IV: by lead agency
    assert "Báo cáo 6 tháng, gửi Sở Lao động - Thương binh và Xã hội trước ngày 10/6." in text


def test_plan_docx_has_the_decree_layout(thai_nguyen_document: OfficialDocument) -> None:
    document, texts = docx_texts(render_docx(thai_nguyen_document))
    section = document.sections[0]
    assert (round(section.page_width.mm), round(section.page_height.mm)) == (210, 297)
    assert [round(m.mm) for m in (section.top_margin, section.bottom_margin, section.left_margin)] == [20, 20, 30]
    assert round(section.right_margin.mm) == 15
    assert section.different_first_page_header_footer
    assert "PAGE" in section.header._element.xml
    assert texts[:6] == [
        "ỦY BAN NHÂN DÂN",
        "TỈNH THÁI NGUYÊN",
        "",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "",
    ]
    assert "Số: 59/KH-UBND" in texts
    assert "Thái Nguyên, ngày 13 tháng 4 năm 2023" in texts
    for heading in (
        "KẾ HOẠCH",
        "I. MỤC ĐÍCH, YÊU CẦU VÀ MỤC TIÊU",
        "II. NHIỆM VỤ, GIẢI PHÁP",
        "III. KINH PHÍ THỰC HIỆN",
        "IV. TỔ CHỨC THỰC HIỆN",
        "V. CHẾ ĐỘ BÁO CÁO",
        "KT. CHỦ TỊCH",
        "PHÓ CHỦ TỊCH",
        "Lê Quang Tiến",
        "Nơi nhận:",
    ):
        assert heading in texts, heading
    # Formatting of the key elements.
    paragraphs = {p.text: p for p in document.paragraphs}
    date = next(p for t in document.tables for c in t._cells for p in c.paragraphs if p.text.startswith("Thái"))
    assert all(run.italic for run in date.runs)
    national = document.tables[0].rows[0].cells[1].paragraphs[0]
    assert national.runs[0].bold and national.runs[0].font.size.pt in (12, 12.5, 13)
    kind = paragraphs["KẾ HOẠCH"]
    assert kind.runs[0].bold and kind.alignment == 1  # centred
    body = paragraphs[next(t for t in paragraphs if t.startswith("Căn cứ Nghị quyết"))]
    assert body.alignment == 3  # justified
    assert round(body.paragraph_format.first_line_indent.cm, 2) == 1.27
    assert body.paragraph_format.space_after.pt == 6
    assert body.runs[0].font.name == "Times New Roman" and body.runs[0].font.size.pt in (13, 14)
    recipients = document.tables[-1].rows[0].cells[0].paragraphs
    assert recipients[0].runs[0].bold and recipients[0].runs[0].italic and recipients[0].runs[0].font.size.pt == 12
    assert recipients[1].runs[0].font.size.pt == 11
    assert round(document.tables[0].rows[0].cells[0].width.mm) == 65


def test_plan_pdf_is_a_decree_document_with_embedded_liberation_serif(
    thai_nguyen_document: OfficialDocument,
) -> None:
    pages, fonts, text = pdf_checks(render_pdf(thai_nguyen_document), "ke-hoach-59-KH-UBND")
    assert pages >= 2
    assert_fonts_embedded(fonts)
    flat = " ".join(text.split())
    for expected in (
        "ỦY BAN NHÂN DÂN",
        "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM",
        "Độc lập - Tự do - Hạnh phúc",
        "Số: 59/KH-UBND",
        "Thái Nguyên, ngày 13 tháng 4 năm 2023",
        "KẾ HOẠCH",
        "Triển khai công tác bình đẳng giới",
        "KT. CHỦ TỊCH",
        "Lê Quang Tiến",
        "Nơi nhận:",
    ):
        assert expected in flat, expected
    # Page numbers from page 2, in the top margin.
    second = text.split("\f")[1]
    assert second.strip().splitlines()[0].strip() == "2"


def test_a_plan_without_number_date_or_signer_renders_blanks(db: None) -> None:
    plan = plan_load(golden(QUANG_NINH))
    doc = plan_document(plan)
    assert doc.header.number_line == "Số: …/KH-UBND"
    assert doc.header.date_line == "…, ngày … tháng … năm …"
    assert (doc.signature.authority, doc.signature.name) == ("", "")
    _document, texts = docx_texts(render_docx(doc))
    assert "Số: …/KH-UBND" in texts
    assert "…, ngày … tháng … năm …" in texts
    assert "III. KINH PHÍ THỰC HIỆN" in texts
    assert "Tổng cộng" in texts  # the budget table by year and source
    assert any(t.startswith("Lưu ý:") for t in texts)  # its printed totals leave out a line


def test_budget_table_sums_by_year_and_source(db: None) -> None:
    from binhdang.documents.model import Table

    doc = plan_document(plan_load(golden(QUANG_NINH)))
    table = next(b for b in doc.blocks if isinstance(b, Table) and b.columns[0] == "Năm")
    assert table.columns[1:3] == ["Ngân sách trung ương", "Ngân sách địa phương"]
    total = table.rows[-1]
    assert total[0] == "Tổng cộng"
    from binhdang.lib.numbers import parse_vn_number

    by_year = sum((parse_vn_number(row[-1]) for row in table.rows[:-1]), Decimal(0))
    assert parse_vn_number(total[-1]) == by_year
