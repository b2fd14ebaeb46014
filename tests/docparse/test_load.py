"""Loaders and bad input: every problem is a DocParseError subclass with an English message."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path

import pytest

from binhdang.docparse import (
    CorruptDocument,
    DocParseError,
    EmptyDocument,
    EncryptedDocument,
    TooLarge,
    UnsupportedFormat,
    parse_bytes,
)
from binhdang.docparse.legacy import decode_legacy, encode_tcvn3, encode_vni, fix_legacy_text
from binhdang.docparse.load import load_bytes, sniff

SEED = (Path(__file__).resolve().parents[1] / "golden" / "002_bba7be5b5b954222.txt").read_text(encoding="utf-8")
SENTENCE = "Ủy ban nhân dân huyện Yên Thế ban hành Kế hoạch thực hiện công tác bình đẳng giới năm 2018."


def test_utf8_and_utf16_give_the_same_text() -> None:
    a = load_bytes(SEED.encode("utf-8")).text
    assert load_bytes(SEED.encode("utf-16")).text == a
    assert load_bytes(SEED.encode("utf-16-le")).text == a
    assert load_bytes(b"\xef\xbb\xbf" + SEED.encode("utf-8")).text == a


def test_vni_bytes_are_detected_and_converted() -> None:
    text, enc = decode_legacy(encode_vni(SENTENCE))
    assert enc == "vni"
    assert text == SENTENCE


def test_tcvn3_bytes_are_detected_and_converted() -> None:
    text, enc = decode_legacy(encode_tcvn3(SENTENCE))
    assert enc == "tcvn3"
    # TCVN3 has no accented capitals in the body font: "Ủ" comes back lower case.
    assert text.lower() == SENTENCE.lower()


def test_unicode_text_typed_in_a_legacy_font_is_converted() -> None:
    typed = encode_tcvn3(SENTENCE).decode("latin-1")
    fixed, enc = fix_legacy_text(typed)
    assert enc == "tcvn3" and fixed.lower() == SENTENCE.lower()
    assert fix_legacy_text(SENTENCE) == (SENTENCE, None)


def test_unknown_8bit_encoding_is_refused() -> None:
    with pytest.raises(DocParseError, match="UTF-8"):
        load_bytes("Ceci n'est pas du vietnamien: été, forêt, garçon.".encode("cp1252"))


@pytest.mark.parametrize(
    ("data", "error"),
    [
        (b"", EmptyDocument),
        (b"   \n\t ", EmptyDocument),
        (bytes(range(256)) * 4, UnsupportedFormat),
        (b"%PDF-1.4\n garbage that is not a pdf", CorruptDocument),
        (b"PK\x03\x04 not really a zip", CorruptDocument),
        (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 600, UnsupportedFormat),
    ],
)
def test_bad_input_gives_a_clear_error(data: bytes, error: type[DocParseError]) -> None:
    with pytest.raises(error) as info:
        parse_bytes(data, "x.bin")
    assert str(info.value)


def test_too_large_is_refused() -> None:
    with pytest.raises(TooLarge):
        parse_bytes(b"a" * 1000, "big.txt", max_bytes=100)


def test_zip_that_is_not_word() -> None:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as zf:
        zf.writestr("hello.txt", "hi")
    with pytest.raises(UnsupportedFormat):
        parse_bytes(buf.getvalue(), "x.docx")


def _docx(paragraphs: list[str], table: list[list[str]] | None = None) -> bytes:
    import docx

    d = docx.Document()
    for p in paragraphs:
        d.add_paragraph(p)
    if table:
        t = d.add_table(rows=len(table), cols=len(table[0]))
        for i, row in enumerate(table):
            for j, cell in enumerate(row):
                t.cell(i, j).text = cell
    buf = io.BytesIO()
    d.save(buf)
    return buf.getvalue()


def test_docx_without_text_is_empty() -> None:
    with pytest.raises(EmptyDocument):
        parse_bytes(_docx([]), "empty.docx")


def test_docx_from_a_seed_reads_like_the_text() -> None:
    data = _docx(SEED.split("\n"), [["TT", "Nội dung", "Năm 2018"], ["1", "Tuyên truyền", "1.040"]])
    assert sniff(data) == "application/zip"
    docx_plan = parse_bytes(data, "002.docx").plan
    txt_plan = parse_bytes(SEED.encode(), "002.txt").plan
    assert docx_plan["document"] == txt_plan["document"]
    assert docx_plan["references"] == txt_plan["references"]
    assert docx_plan["source"]["media_type"].endswith("wordprocessingml.document")


def test_encrypted_pdf_is_refused() -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    w.encrypt("secret")
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(EncryptedDocument):
        parse_bytes(buf.getvalue(), "locked.pdf", ocr=False)


def test_pdf_without_text_and_no_ocr_is_empty() -> None:
    from pypdf import PdfWriter

    w = PdfWriter()
    w.add_blank_page(width=200, height=200)
    buf = io.BytesIO()
    w.write(buf)
    with pytest.raises(EmptyDocument):
        parse_bytes(buf.getvalue(), "scan.pdf", ocr=False)


def test_not_a_plan_is_a_result_not_an_exception() -> None:
    r = parse_bytes("Xin chào, đây là một lá thư ngắn.".encode(), "letter.txt")
    assert not r.is_plan and r.reason


def test_utf8_cut_in_the_middle_of_a_character_stays_utf8_with_a_note() -> None:
    data = SEED.encode("utf-8")
    cut = data.index("ệ".encode()) + 1  # inside the three bytes of "ệ"
    damaged = data[:cut] + data[cut + 2 :] + "Hà Nộ".encode()[:-1]  # and cut at the end
    loaded = load_bytes(damaged)
    assert loaded.encoding == "utf-8"
    assert "Ủy ban nhân dân" in loaded.text or "UBND" in loaded.text
    assert loaded.text.count("\ufffd") == 2
    assert loaded.notes and "UTF-8" in loaded.notes[0]
    result = parse_bytes(damaged, "cut.txt")
    assert result.is_plan
    assert result.notes == loaded.notes


def test_tcvn3_with_a_stray_valid_utf8_sequence_is_still_tcvn3() -> None:
    data = encode_tcvn3(SENTENCE) + "é".encode()
    loaded = load_bytes(data)
    assert loaded.encoding == "tcvn3"
    assert "Yên Thế" in loaded.text or "yên thế" in loaded.text.lower()


def _zip_with(parts: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as zf:
        for name, payload in parts.items():
            zf.writestr(name, payload)
    return buf.getvalue()


def test_huge_part_inside_a_small_docx_is_refused_unread() -> None:
    import tracemalloc

    good = _docx([SENTENCE])
    with zipfile.ZipFile(io.BytesIO(good)) as zf:
        parts = {n: zf.read(n) for n in zf.namelist()}
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=1) as zf:
        for name, payload in parts.items():
            if name != "word/styles.xml":
                zf.writestr(name, payload)
        # 400 MB of styles.xml, written in chunks so that the test itself stays small in memory.
        with zf.open("word/styles.xml", "w", force_zip64=True) as out:
            chunk = b" " * (4 * 1024 * 1024)
            for _ in range(100):
                out.write(chunk)
    data = buf.getvalue()
    assert len(data) < 3 * 1024 * 1024
    tracemalloc.start()
    try:
        with pytest.raises(TooLarge) as info:
            parse_bytes(data, "bomb.docx")
        _current, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert "word/styles.xml" in str(info.value)
    assert peak < 20 * 1024 * 1024, peak


def test_highly_compressed_part_is_refused_as_a_zip_bomb() -> None:
    parts = {"word/document.xml": b"<w:document/>", "word/media/fill.bin": b"\x00" * (8 * 1024 * 1024)}
    with pytest.raises(TooLarge, match="zip bomb"):
        parse_bytes(_zip_with(parts), "bomb.docx")


@pytest.mark.parametrize(
    ("part", "words"),
    [("xl/workbook.xml", "spreadsheet"), ("ppt/presentation.xml", "presentation"), ("content.xml", "OpenDocument")],
)
def test_other_office_files_are_named(part: str, words: str) -> None:
    with pytest.raises(UnsupportedFormat, match=words):
        parse_bytes(_zip_with({part: b"<x/>"}), "x.docx")


def test_photo_with_ocr_off_says_what_it_is_and_what_to_do() -> None:
    png = b"\x89PNG\r\n\x1a\n" + b"\x00" * 100
    with pytest.raises(UnsupportedFormat) as info:
        parse_bytes(png, "photo.png", ocr=False)
    assert "picture (PNG)" in str(info.value) and "Word or PDF" in str(info.value)


def test_word_header_table_and_appendix_task_table_are_read_as_structure() -> None:
    from tests.docparse.word_plan import CODE, TASK_ROWS, word_plan

    result = parse_bytes(word_plan(), "ke-hoach.docx")
    doc = result.plan["document"]
    assert (doc["code"], doc["date"], doc["place"], doc["issuer"], doc["level"]) == (
        CODE,
        "2025-12-05",
        "Thái Nguyên",
        "Ủy ban nhân dân tỉnh Thái Nguyên",
        "province",
    )
    by_text = {t["text"]: t for t in result.plan["tasks"]}
    for _n, content, lead, partners, _when, _product in TASK_ROWS:
        task = by_text[content]
        assert task["lead"] == lead
        assert task["partners"] == [p.strip() for p in partners.split(";")]
    assert by_text[TASK_ROWS[1][1]].get("group") is True and "group" not in by_text[TASK_ROWS[0][1]]
    assert ("annual", "--12-15") in {(r["kind"], r["due"]) for r in result.plan["reporting"]}
