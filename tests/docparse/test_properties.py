"""Property tests: any text, any bytes, damaged Word or PDF files give a result or a DocParseError."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from binhdang.docparse import DocParseError, parse_bytes, parse_text

SEED = (Path(__file__).resolve().parents[1] / "golden" / "002_bba7be5b5b954222.txt").read_text(encoding="utf-8")
FAST = settings(max_examples=60, deadline=2000, suppress_health_check=[HealthCheck.too_slow])


def _valid(plan: dict[str, object]) -> None:
    assert plan["schema"] == "binhdang.plan/1"
    json.dumps(plan)
    schema_path = Path(__file__).resolve().parents[2] / "binhdang" / "schemas" / "plan-1.schema.json"
    if schema_path.exists():
        import jsonschema

        jsonschema.validate(plan, json.loads(schema_path.read_text(encoding="utf-8")))


@FAST
@given(st.text(max_size=3000))
def test_any_text(text: str) -> None:
    with contextlib.suppress(DocParseError):
        _valid(parse_text(text).plan)


@FAST
@given(st.lists(st.sampled_from(SEED.split("\n")), max_size=60))
def test_shuffled_seed_lines(lines: list[str]) -> None:
    _valid(parse_text("\n".join(lines)).plan)


@FAST
@given(st.binary(max_size=4000))
def test_any_bytes(data: bytes) -> None:
    try:
        _valid(parse_bytes(data, "x", ocr=False).plan)
    except DocParseError as exc:
        assert str(exc)


def _damaged(base: bytes, cuts: list[tuple[int, int]]) -> bytes:
    b = bytearray(base)
    for pos, val in cuts:
        if b:
            b[pos % len(b)] = val
    return bytes(b)


def _docx_bytes() -> bytes:
    import docx

    d = docx.Document()
    for line in SEED.split("\n")[:30]:
        d.add_paragraph(line)
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def _pdf_bytes() -> bytes:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=300, height=300)
    buf = io.BytesIO()
    w.write(buf)
    return buf.getvalue()


DOCX = _docx_bytes()
PDF = _pdf_bytes()
CUTS = st.lists(st.tuples(st.integers(0, 10**6), st.integers(0, 255)), max_size=20)


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(CUTS, st.integers(0, len(DOCX)))
def test_damaged_docx(cuts: list[tuple[int, int]], keep: int) -> None:
    try:
        _valid(parse_bytes(_damaged(DOCX, cuts)[: max(keep, 4)], "x.docx", ocr=False).plan)
    except DocParseError as exc:
        assert str(exc)


@settings(max_examples=40, deadline=5000, suppress_health_check=[HealthCheck.too_slow])
@given(CUTS, st.integers(0, len(PDF)))
def test_damaged_pdf(cuts: list[tuple[int, int]], keep: int) -> None:
    try:
        _valid(parse_bytes(_damaged(PDF, cuts)[: max(keep, 5)], "x.pdf", ocr=False).plan)
    except DocParseError as exc:
        assert str(exc)
