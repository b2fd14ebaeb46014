"""Normalise: turn loaded text into the one text every span points into.

NFC, legacy-font text converted, Markdown emphasis and invisible characters removed (``binhdang.lib.text``),
odd spaces made plain, table cells ("|" or tabs) written as " | ", lines broken mid-phrase joined, words glued by
a bad conversion split where a Vietnamese syllable check makes the split safe. Footnote marks (¹ ² ³) are kept
in the text so that the rules can tie a footnote to the reference it annotates; values strip them.
"""

from __future__ import annotations

import re
import unicodedata

from binhdang.docparse.layout import looks_wrapped, rebuild
from binhdang.docparse.legacy import fix_legacy_text
from binhdang.docparse.syllables import split_glued
from binhdang.lib import text as _libtext
from binhdang.lib.text import nfc

__all__ = ["SUPERSCRIPTS", "normalise", "strip_marks"]

SUPERSCRIPTS = "¹²³⁴⁵⁶⁷⁸⁹⁰"
_PROTECT = {ch: chr(0xE000 + i) for i, ch in enumerate(SUPERSCRIPTS)}
_UNPROTECT = {v: k for k, v in _PROTECT.items()}
_PROTECT_T = str.maketrans(_PROTECT)
_UNPROTECT_T = str.maketrans(_UNPROTECT)
_STRIP_MARKS_T = str.maketrans(dict.fromkeys(SUPERSCRIPTS, ""))

_CELL_SPLIT = re.compile(r"\s*(?:\t+|\s\|\s|\|)\s*")
_ENDS_OPEN = re.compile(r"[\wÀ-ỹ,]$")
_ENDS_CONNECTOR = re.compile(r"\w\s+(?:[-–&]|và|của|với)$")
_STARTS_LOWER = re.compile(r"^[a-zà-ỹđ]")
_LETTER_ITEM = re.compile(r"^[a-zđ]\)")
# A date wrapped before its year ("... ngày 16 tháng 12 năm" / "2025 ..."): the year starts with a digit, so the
# lower-case test below does not join it.
_ENDS_NAM = re.compile(r"(?<!\w)năm$", re.IGNORECASE)
_STARTS_YEAR = re.compile(r"^(?:19|20)\d\d(?![\d/]|[.,]\d)")
_STRUCTURAL = re.compile(r"^(?:[IVX]+\.|\d+(?:\.\d+)*\.|[-+•]|[a-zđ]\)|Nơi nhận)")


_MARKS_RE = re.compile(f"[{SUPERSCRIPTS}]")
_PROTECTED_RE = re.compile("[" + "".join(_UNPROTECT) + "]")


def strip_marks(s: str) -> str:
    """Remove footnote marks from an extracted value."""
    return _MARKS_RE.sub("", s) if _MARKS_RE.search(s) else s


# A fast path equal to ``binhdang.lib.text.clean_text`` (whose ``str.translate`` with a dict walks every character
# in Python-level lookups, the reader's main cost): the same steps with regular expressions built from the same
# tables, repeated until nothing changes, exactly as ``clean_text`` does. ``tests/docparse/test_rules.py`` checks
# the two agree.
_DROP_RE = re.compile("[" + re.escape("".join(chr(k) for k in _libtext._DROP)) + "]")
_SPACES_RE = re.compile("[" + re.escape("".join(chr(k) for k in _libtext._SPACES)) + "]")


def _clean_once_fast(s: str) -> str:
    s = s.replace("\r\n", "\n").replace("\r", "\n")
    s = _DROP_RE.sub("", s)
    s = _SPACES_RE.sub(" ", s)
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    if "*" in s or "__" in s:
        prev = None
        while prev != s:
            prev = s
            s = _libtext._EMPHASIS.sub(r"\2", s)
        s = _libtext._STRAY_STRONG.sub("", s)
    s = _libtext._SPACE_RUN.sub(" ", s)
    s = _libtext._LINE_EDGE_SPACES.sub("\n", s)
    return s.strip()


def fast_clean_text(s: str) -> str:
    """``binhdang.lib.text.clean_text`` with the same result, several times faster on whole documents."""
    s = _clean_once_fast(s)
    # A second pass can only change something when emphasis marks, double spaces or spaces at a line edge are
    # left (removing "**" can make new ones); otherwise the text is already the fixed point clean_text reaches.
    while "*" in s or "__" in s or "  " in s or " \n" in s or "\n " in s:
        prev, s = s, _clean_once_fast(s)
        if s == prev:
            break
    # Removing emphasis can bring a letter next to its accent ("*a*\u0301"): compose again, as clean_text's
    # second pass does.
    if not unicodedata.is_normalized("NFC", s):
        s = unicodedata.normalize("NFC", s)
    return s


def _clean_line(line: str) -> str:
    stripped = line.strip(" \t\u00a0")
    had_cells = "\t" in stripped or " | " in line or stripped.count("|") >= 2
    if had_cells:
        cells = [c for c in _CELL_SPLIT.split(stripped)]
        line = " | ".join(c for c in cells) if len([c for c in cells if c]) > 1 else " ".join(cells)
    return line


_CELL_LINE = re.compile(r"^ ?\t[^\t]*$")
_NUMERIC_CELL = re.compile(r"^\s*\d[\d.,]*\s*$")


def _rebuild_flat_tables(lines: list[str]) -> list[str]:
    """Re-join a table that a conversion flattened into one cell per line.

    Such a table reads as a run of lines each starting with a tab and holding one cell; a blank line ends a
    row and a line starting with " \t" starts one. The run is taken for a table only when it is long and mostly
    numbers (a paragraph indented with a tab is not a table). Each row becomes one line of cells joined by
    " | ", empty cells kept, so that the cells keep their columns.
    """
    out: list[str] = []
    i = 0
    n = len(lines)
    while i < n:
        if not _CELL_LINE.match(lines[i]):
            out.append(lines[i])
            i += 1
            continue
        j = i
        while j < n and (
            _CELL_LINE.match(lines[j]) or (not lines[j].strip() and j + 1 < n and _CELL_LINE.match(lines[j + 1]))
        ):
            j += 1
        run = lines[i:j]
        cells = [ln.strip(" \t") for ln in run if _CELL_LINE.match(ln)]
        filled = [c for c in cells if c]
        numeric = sum(1 for c in filled if _NUMERIC_CELL.match(c))
        if len(cells) < 12 or numeric < 0.5 * len(filled):
            out.extend(run)
            i = j
            continue
        row: list[str] = []
        for ln in run:
            if not ln.strip() and not ln.startswith("\t"):
                if row:
                    out.append(" | ".join(row))
                row = []
                continue
            if ln.startswith(" \t") and row:
                out.append(" | ".join(row))
                row = []
            row.append(ln.strip(" \t"))
        if row:
            out.append(" | ".join(row))
        i = j
    return out


def normalise(text: str) -> str:
    """Return the normalised text of a document (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n").replace("\f", "\n")
    text = text if unicodedata.is_normalized("NFC", text) else nfc(text)
    text, _enc = fix_legacy_text(text)
    rebuilt = looks_wrapped(text)
    if rebuilt:
        # The layout stage already wrote every table row as " | "-joined cells.
        cells = rebuild(text)
    else:
        if "\n\t" in text or "\n \t" in text:
            text = "\n".join(_rebuild_flat_tables(text.split("\n")))
        cells = "\n".join(_clean_line(line) for line in text.split("\n"))
    marks = any(ch in cells for ch in SUPERSCRIPTS)
    if marks:
        cells = _MARKS_RE.sub(lambda m: _PROTECT[m.group(0)], cells)
    cleaned = fast_clean_text(cells)
    lines = (_PROTECTED_RE.sub(lambda m: _UNPROTECT[m.group(0)], cleaned) if marks else cleaned).split("\n")
    # Join a line broken mid-phrase: it ends open (letter or comma) and the next non-empty line starts in
    # lower case and is not a list marker. A blank line in between (a page break) is allowed.
    out: list[str] = []
    blank_run = 0
    for line in lines:
        if not line:
            blank_run += 1
            continue
        # The end patterns are anchored at the line's end: searching the last characters gives the same answer
        # without scanning a whole paragraph.
        tail = out[-1][-40:] if out else ""
        if (
            out
            and blank_run <= 2
            and " | " not in line
            and " | " not in out[-1]
            and (
                (
                    _ENDS_OPEN.search(tail)
                    and _STARTS_LOWER.match(line)
                    and line[0].islower()  # the class à-ỹ also holds capitals (Đ, Ấ, Ầ ...)
                    and not _LETTER_ITEM.match(line)
                )
                # A line ending in a connector ("Sở Lao động –", "... và") was wrapped, whatever comes next.
                or (_ENDS_CONNECTOR.search(tail) and not _STRUCTURAL.match(line))
                or (_ENDS_NAM.search(tail) and _STARTS_YEAR.match(line))
            )
        ):
            out[-1] = out[-1] + " " + line
        else:
            if out and blank_run:
                out.append("")
            out.append(line)
        blank_run = 0
    joined = "\n".join(out)
    return split_glued(joined)
