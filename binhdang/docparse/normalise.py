"""Normalise: turn loaded text into the one text every span points into.

NFC, legacy-font text converted, Markdown emphasis and invisible characters removed (``binhdang.lib.text``),
odd spaces made plain, table cells ("|" or tabs) written as " | ", lines broken mid-phrase joined, words glued by
a bad conversion split where a Vietnamese syllable check makes the split safe. Footnote marks (¹ ² ³) are kept
in the text so that the rules can tie a footnote to the reference it annotates; values strip them.
"""

from __future__ import annotations

import re

from binhdang.docparse.legacy import fix_legacy_text
from binhdang.docparse.syllables import split_glued
from binhdang.lib.text import clean_text, nfc

__all__ = ["SUPERSCRIPTS", "normalise", "strip_marks"]

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_PROTECT = {ch: chr(0xE000 + i) for i, ch in enumerate(SUPERSCRIPTS)}
_UNPROTECT = {v: k for k, v in _PROTECT.items()}
_PROTECT_T = str.maketrans(_PROTECT)
_UNPROTECT_T = str.maketrans(_UNPROTECT)
_STRIP_MARKS_T = str.maketrans(dict.fromkeys(SUPERSCRIPTS, ""))

_CELL_SPLIT = re.compile(r"\s*(?:\t+|\s\|\s|\|)\s*")
_ENDS_OPEN = re.compile(r"[\wÀ-ỹ,]$")
_STARTS_LOWER = re.compile(r"^[a-zà-ỹđ]")
_LETTER_ITEM = re.compile(r"^[a-zđ]\)")
_STRUCTURAL = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[-+•]|[a-zđ]\)|Nơi nhận)")


def strip_marks(s: str) -> str:
    """Remove footnote marks from an extracted value."""
    return s.translate(_STRIP_MARKS_T)


def _clean_line(line: str) -> str:
    stripped = line.strip(" \t\u00a0")
    had_cells = "\t" in stripped or " | " in line or stripped.count("|") >= 2
    if had_cells:
        cells = [c for c in _CELL_SPLIT.split(stripped)]
        line = " | ".join(c for c in cells) if len([c for c in cells if c]) > 1 else " ".join(cells)
    return line


def normalise(text: str) -> str:
    """Return the normalised text of a document (see the module docstring)."""
    text = nfc(text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n"))
    text, _enc = fix_legacy_text(text)
    cells = "\n".join(_clean_line(line) for line in text.split("\n"))
    marks = any(ch in cells for ch in SUPERSCRIPTS)
    if marks:
        cells = cells.translate(_PROTECT_T)
    cleaned = clean_text(cells)
    lines = (cleaned.translate(_UNPROTECT_T) if marks else cleaned).split("\n")
    # Join a line broken mid-phrase: it ends open (letter or comma) and the next non-empty line starts in
    # lower case and is not a list marker. A blank line in between (a page break) is allowed.
    out: list[str] = []
    blank_run = 0
    for line in lines:
        if not line:
            blank_run += 1
            continue
        if (
            out
            and blank_run <= 2
            and _ENDS_OPEN.search(out[-1])
            and _STARTS_LOWER.match(line)
            and not _LETTER_ITEM.match(line)
            and " | " not in line
            and " | " not in out[-1]
        ):
            out[-1] = out[-1] + " " + line
        else:
            if out and blank_run:
                out.append("")
            out.append(line)
        blank_run = 0
    joined = "\n".join(out)
    return split_glued(joined)
