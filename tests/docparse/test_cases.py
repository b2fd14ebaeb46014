"""Golden cases beyond the text seeds: a text-layer PDF and a scan made from seed 002 (tests/docparse/cases),
progress reporting, the PDF time budget, and the fast text-cleaning path."""

from __future__ import annotations

import difflib
import json
import re
from pathlib import Path

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from binhdang.docparse import TooLarge, parse_bytes
from binhdang.docparse.load import load_bytes, reflow
from binhdang.docparse.normalise import fast_clean_text
from binhdang.docparse.ocr import ocr_available
from binhdang.lib.text import clean_text
from tests.docparse.golden_compare import compare

CASES = Path(__file__).resolve().parent / "cases"
GOLDEN = Path(__file__).resolve().parents[1] / "golden"
SEED = "002_bba7be5b5b954222"
EXPECTED = json.loads((GOLDEN / f"{SEED}.expected.json").read_text(encoding="utf-8"))


def test_text_pdf_made_from_a_seed_reproduces_its_golden_file() -> None:
    calls: list[tuple[int, int]] = []
    result = parse_bytes(
        (CASES / "002_text.pdf").read_bytes(), "002.pdf", progress=lambda done, total: calls.append((done, total))
    )
    ok, total, diffs = compare(EXPECTED, result.plan)
    assert not diffs, "\n".join(diffs)
    assert ok == total
    assert result.plan["source"]["media_type"] == "application/pdf"
    assert calls == [(0, 4), (4, 4)]  # a text layer is read at once; pages are reported during OCR


def _squash(s: str) -> str:
    return re.sub(r"\s+", " ", s).strip()


def test_scan_of_a_seed_page_reads_back_through_ocr() -> None:
    """The first page of 002_text.pdf, stored as an image only. Tolerance: the header fields and the cited
    reference must be exact; the whole page's text must agree with the text layer to at least 97%
    (difflib ratio on white-space-collapsed text; measured 99.6% with Tesseract 5.3 at 200 dpi)."""
    # scripts/setup installs Tesseract, its Vietnamese data and poppler; missing them is a failure, not a skip.
    assert ocr_available(), "Tesseract with Vietnamese data or pdftoppm is not installed (run scripts/setup)"
    calls: list[tuple[int, int]] = []
    result = parse_bytes(
        (CASES / "002_scan.pdf").read_bytes(), "scan.pdf", progress=lambda done, total: calls.append((done, total))
    )
    doc, want = result.plan["document"], EXPECTED["document"]
    for key in ("kind", "code", "number", "symbol", "date", "place", "title", "years", "status"):
        assert doc[key] == want[key], key
    ref, want_ref = result.plan["references"][0], EXPECTED["references"][0]
    for key in ("kind", "code", "number", "date"):
        assert ref[key] == want_ref[key], key
    from pypdf import PdfReader

    layer = PdfReader(CASES / "002_text.pdf").pages[0].extract_text()
    ratio = difflib.SequenceMatcher(
        None, _squash(load_bytes((CASES / "002_scan.pdf").read_bytes()).text), _squash(layer), autojunk=False
    ).ratio()
    assert ratio >= 0.97
    assert calls[0] == (0, 1) and calls[-1] == (1, 1)


def test_progress_for_a_text_file_is_start_and_end() -> None:
    calls: list[tuple[int, int]] = []
    parse_bytes((GOLDEN / f"{SEED}.txt").read_bytes(), "x.txt", progress=lambda d, t: calls.append((d, t)))
    assert calls == [(0, 1), (1, 1)]


def test_pdf_text_reading_stops_at_its_time_budget() -> None:
    with pytest.raises(TooLarge, match="longer than"):
        load_bytes((CASES / "002_text.pdf").read_bytes(), time_budget=0.0)


def test_pdf_page_limit() -> None:
    with pytest.raises(TooLarge, match="4 pages"):
        load_bytes((CASES / "002_text.pdf").read_bytes(), max_pages=3)


def test_reflow_joins_wrapped_lines_only() -> None:
    page = "\n".join(
        [
            "Phối hợp với Phòng Văn hóa và Thông tin, Trung tâm Văn hóa - Thể thao, Đài",
            "Truyền thanh - Truyền hình huyện tổ chức các hoạt động tuyên truyền nhân dịp.",
            "- Một dòng ngắn.",
            "Dòng đầy đủ của trang này cũng dài gần bằng các dòng khác ở phía trên nhé",
            "1. Một mục mới bắt đầu ở đây.",
            "Dòng cuối.",
        ]
    )
    out = reflow(page).split("\n")
    assert out[0].endswith("Đài Truyền thanh - Truyền hình huyện tổ chức các hoạt động tuyên truyền nhân dịp.")
    assert out[2].startswith("Dòng đầy đủ") and out[3].startswith("1. ")


def test_fast_clean_text_equals_clean_text_on_the_seeds() -> None:
    for p in GOLDEN.glob("*.txt"):
        text = p.read_text(encoding="utf-8")
        assert fast_clean_text(text) == clean_text(text), p.name


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("ab *_\n\t\u00a0\u00ad\u200b¹ế\u0301e ")), max_size=40))
@example("*a*\u0301")  # emphasis removal brings the letter next to its accent: must compose to "á"
def test_fast_clean_text_equals_clean_text(text: str) -> None:
    assert fast_clean_text(text) == clean_text(text)
