from __future__ import annotations

import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binhdang.lib.text import clean_text, fold, nfc, typed_text

# Text that looks like what the parser sees: Vietnamese letters in both forms, Markdown debris, odd spaces.
_PIECES = st.sampled_from(
    [
        "ngày",
        unicodedata.normalize("NFD", "tháng"),
        "**",
        "*",
        "__",
        "_",
        " ",
        "  ",
        "\t",
        "\n",
        "\u00a0",
        "\u00ad",
        "\u200b",
        "\ufeff",
        "¹",
        "59",
        "Uỷ",
        "Đ",
        "–",
        "a",
        "\u0301",
        "(*)",
        "\x01",
        "\x0b",
        "\x0c",
        "\x1b[31m",
    ]
)
vn_text = st.lists(_PIECES, max_size=20).map("".join) | st.text(max_size=40)


def test_nfc_composes_decomposed_accents() -> None:
    decomposed = unicodedata.normalize("NFD", "Bình Đẳng")
    assert decomposed != "Bình Đẳng"
    assert nfc(decomposed) == "Bình Đẳng"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("**59**", "59"),
        ("*trước ngày 10/6*", "trước ngày 10/6"),
        ("***Mục tiêu***", "Mục tiêu"),
        ("__đậm__", "đậm"),
        ("ngày **13** tháng **4** năm 2023", "ngày 13 tháng 4 năm 2023"),
        ("bình đẳng giới¹²", "bình đẳng giới"),
        ("bình\u00add\u00adẳng", "bìnhdẳng"),
        ("a\u200bb\u200c\u200dc\u2060", "abc"),
        ("\ufeffKẾ HOẠCH", "KẾ HOẠCH"),
        ("50\u00a0%", "50 %"),
        ("a\u202fb\u2009c\u3000d", "a b c d"),
        ("  a \t\t b   c  ", "a b c"),
        ("dòng 1  \n  dòng 2", "dòng 1\ndòng 2"),
        ("2 * 3 * 4", "2 * 3 * 4"),
        ("Ghi chú (*)", "Ghi chú (*)"),
        ("còn sót **", "còn sót"),
        (unicodedata.normalize("NFD", "Thái Nguyên"), "Thái Nguyên"),
        ("", ""),
    ],
)
def test_clean_text_examples(raw: str, expected: str) -> None:
    assert clean_text(raw) == expected


def test_clean_text_recomposes_across_a_removed_zero_width_character() -> None:
    assert clean_text("a\u200b\u0301") == "á"


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("Ủy ban nhân dân", "uy ban nhan dan"),
        ("Uỷ ban nhân dân", "uy ban nhan dan"),
        ("Hoà Bình", "hoa binh"),
        ("Hòa Bình", "hoa binh"),
        ("Thuỷ", "thuy"),
        ("ĐẢNG ĐOÀN", "dang doan"),
        ("đường", "duong"),
        ("a – b — c ‑ d - e", "a - b - c - d - e"),
        ("  nhiều \t\n khoảng   trắng ", "nhieu khoang trang"),
        (unicodedata.normalize("NFD", "Bình Đẳng"), "binh dang"),
    ],
)
def test_fold_examples(raw: str, expected: str) -> None:
    assert fold(raw) == expected


def test_fold_old_and_new_accent_placement_agree() -> None:
    for old, new in [("uỷ", "ủy"), ("hoà", "hòa"), ("thuỷ", "thủy"), ("khoẻ", "khỏe"), ("quý", "qúy")]:
        assert fold(old) == fold(new)


@given(vn_text)
def test_fold_is_idempotent(s: str) -> None:
    assert fold(fold(s)) == fold(s)


@given(vn_text)
def test_fold_has_no_combining_marks_and_no_uppercase(s: str) -> None:
    folded = fold(s)
    assert not any(unicodedata.combining(ch) for ch in unicodedata.normalize("NFD", folded))
    assert folded == folded.lower()


@given(vn_text)
def test_clean_text_is_idempotent(s: str) -> None:
    assert clean_text(clean_text(s)) == clean_text(s)


@given(vn_text)
def test_clean_text_output_is_nfc_without_invisibles(s: str) -> None:
    cleaned = clean_text(s)
    assert cleaned == nfc(cleaned)
    assert not set(cleaned) & set("\u00ad\u200b\u200c\u200d\ufeff\u00a0\t¹²³")
    assert not [c for c in cleaned if ord(c) < 0x20 and c != "\n"]  # C0 controls: refused by XML (Word, Excel)
    assert "  " not in cleaned
    assert cleaned == cleaned.strip()


def test_word_line_and_page_breaks_in_a_document_become_line_breaks() -> None:
    assert clean_text("Điều 1\x0bĐiều 2\x0cĐiều 3\x01") == "Điều 1\nĐiều 2\nĐiều 3"


@given(vn_text)
def test_typed_text_keeps_spacing_and_line_breaks_and_drops_controls(s: str) -> None:
    typed = typed_text(s)
    assert typed == nfc(typed)
    assert not [c for c in typed if ord(c) < 0x20 and c not in "\t\n\r"]
    kept = [c for c in nfc(s) if ord(c) >= 0x20 or c in "\t\n\r"]
    assert typed == nfc("".join(kept))
