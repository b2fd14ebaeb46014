"""Text normalisation for Vietnamese documents.

Real plan documents mix precomposed and decomposed accents, carry invisible characters from Word and PDF
export, and arrive through a Markdown conversion that leaves emphasis markers inside numbers and dates
("ngày **13** tháng 4"). Everything that reads or matches text goes through these helpers first.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = ["clean_text", "fold", "nfc", "typed_text"]

# Characters that carry no text at all: soft hyphen, zero-width space/joiners, direction marks, word
# joiner, BOM, and
# the footnote superscripts Word export leaves glued to words ("bình đẳng giới¹").
_DROP = dict.fromkeys(
    map(ord, "\u00ad\u200b\u200c\u200d\u200e\u200f\u2060\ufeff\u180e¹²³⁴⁵⁶⁷⁸⁹⁰"),
    None,
)
# Spaces that look like a space but are not U+0020: NBSP, the U+2000 block, narrow NBSP, medium
# mathematical space, ideographic space, Ogham space mark. A tab counts as a space too.
_SPACES = dict.fromkeys(
    map(
        ord,
        "\t\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u202f\u205f\u3000",
    ),
    " ",
)
_SPACE_RUN = re.compile(r" {2,}")
_LINE_EDGE_SPACES = re.compile(r" *\n *")
# Markdown emphasis: a marker run, content that neither starts nor ends with whitespace (as in
# CommonMark, so "2 * 3 * 4" is left alone), and the same run closing it. Underscores only in
# the doubled form, because single underscores appear inside identifiers and file names.
_EMPHASIS = re.compile(r"(\*{1,3}|__)(?=\S)(.+?)(?<=\S)\1")
_STRAY_STRONG = re.compile(r"\*\*+")

_DASHES = dict.fromkeys(map(ord, "\u2010\u2011\u2012\u2013\u2014\u2015\u2212\ufe58\ufe63\uff0d"), "-")
_WHITESPACE = re.compile(r"\s+")


def nfc(s: str) -> str:
    """Return ``s`` in Unicode NFC, the form the database, search and comparisons expect."""
    return unicodedata.normalize("NFC", s)


# C0 control characters but tab, line feed and carriage return: invisible, and refused by the XML inside Word
# and Excel files (a report whose note held one could not be downloaded).
_CONTROLS = dict.fromkeys([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20)], None)
# In a document, vertical tab and form feed are Word's line break and a page break: a line break here.
_CONTROL_BREAKS = {**_CONTROLS, 0x0B: "\n", 0x0C: "\n"}


def typed_text(s: str) -> str:
    """Text a person typed or pasted, as it is stored: NFC, without control characters. Spacing and line
    breaks are the person's and are kept (``clean_text`` is for reading documents)."""
    return nfc(s.translate(_CONTROLS))


def _clean_once(s: str) -> str:
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = s.translate(_CONTROL_BREAKS).translate(_DROP).translate(_SPACES)
    # Removing an invisible character can bring a base letter next to its combining accent, so NFC
    # comes after the removal, not only before.
    s = nfc(s)
    prev = None
    while prev != s:  # nested or adjacent emphasis ("***x***", "**a *b***") needs more than one pass
        prev = s
        s = _EMPHASIS.sub(r"\2", s)
    # A "**" left without a partner is conversion debris; a lone "*" may be a footnote mark "(*)", keep it.
    s = _STRAY_STRONG.sub("", s)
    s = _SPACE_RUN.sub(" ", s)
    s = _LINE_EDGE_SPACES.sub("\n", s)
    return s.strip()


def clean_text(s: str) -> str:
    """Normalise a piece of document text for reading.

    NFC; drop Markdown emphasis markers, footnote superscripts, soft hyphens, zero-width characters and
    the BOM; turn odd spaces and tabs into a plain space; collapse runs of spaces; strip. Line breaks are
    kept (the parser splits blocks on them), but spaces at either side of a line break are removed.
    Idempotent: ``clean_text(clean_text(s)) == clean_text(s)``.
    """
    # Each step can expose work for an earlier one (removing "**" can leave two spaces side by side,
    # collapsing spaces can join an emphasis pair), so repeat until nothing changes.
    prev = None
    while prev != s:
        prev = s
        s = _clean_once(s)
    return s


def fold(s: str) -> str:
    """Return a key for loose matching: lowercase, no Vietnamese diacritics, one space, ASCII dashes.

    "Ủy ban" and "Uỷ ban" (old and new accent placement), "Đ" and "d", NFC and NFD input all give the
    same key. Not for display: "ba" and "bà" fold together on purpose.
    """
    s = unicodedata.normalize("NFD", nfc(s).lower())
    s = "".join(ch for ch in s if not unicodedata.combining(ch))
    # đ/Đ is a separate letter, not d plus a combining mark, so NFD leaves it alone.
    s = s.replace("đ", "d").replace("Đ", "d")
    s = s.translate(_DASHES)
    s = _WHITESPACE.sub(" ", s).strip()
    # Lowercasing can produce combining marks (U+0130 İ → i + U+0307), so fold once more if anything moved.
    s = nfc(s)
    return s if s == s.lower() else fold(s)
