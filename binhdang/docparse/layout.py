"""Layout: rebuild one canonical text from portal markdown before normalising and splitting into blocks.

Documents copied from government portals (and converted from their PDF or Word files) arrive as markdown whose
lines are hard-wrapped in mid-sentence (also inside the header: "*Thành phố Hồ Chí\\nMinh, ngày ...*"), whose
tables are flattened into one cell per line between "|" lines (the two-column Decree 30 header, appendix task
tables, the signature block), with bold and italic marks and separator rules ("-------"). The rules downstream
read one paragraph per line, headings by their markers and table rows as " | "-joined cells, which is what
this stage writes:

- paragraphs: the lines of a blank-line-separated block are joined, except where a line starts a list item or
  heading ("- ", "+ ", "a) ", "1. ", "1.1. ", "I. ", "Điều 1.") or a line fully in bold ends (a heading);
- tables: cells are split on the "|" lines; two "|" lines in a row end a row. Layout tables (one or two columns:
  the header, the signature) are written cell by cell as lines; data tables (three or more columns) as rows;
- markdown headings ("# "), links and separator rules are removed; emphasis marks are left for ``normalise``
  (which removes them) so that a heading in bold stays one line.

The stage runs only when the text looks like such markdown (:func:`looks_wrapped`): text that is already one
paragraph per line (the seeds, Word paragraphs, reflowed PDF pages) is left exactly as it is, so its spans do
not move. Spans point into the text this stage writes, which is the text the review page shows.
"""

from __future__ import annotations

import re

__all__ = ["looks_wrapped", "rebuild"]

_FIRST_LETTER = re.compile(r"^[*_ ]*(\w)")


def _starts_lower(s: str) -> bool:
    m = _FIRST_LETTER.match(s)
    return m is not None and m.group(1).islower()


_RULE_LINE = re.compile(r"^\s*[-_=]{3,}\s*$")
_MARKS_ONLY = re.compile(r"^[\s*_]+$")
_SPACE_BEFORE_CLOSE = re.compile(r"(?<=\S)\s+(\*{1,3})$")
_MD_HEADING = re.compile(r"^\s{0,3}#{1,6}\s+")
_MD_LINK = re.compile(r"!?\[([^\]\n]*)\]\([^)\n]*\)")
# A line that starts a new paragraph inside a block: list items, numbered headings, articles, the addressee list.
_STARTS_ITEM = re.compile(
    r"^[*_ ]*(?:[-+•–](?:\s|\*|\)|$)|[a-zđ]\)\s|\d{1,2}(?:\.\d{1,2})*[.)]\s|[IVX]{1,5}[./]\s|Điều\s+\d+|"
    r"Phần\s+[IVX\d]+|PHẦN\s+[IVX\d]+|Chương\s+[IVX\d]+|CHƯƠNG\s+[IVX\d]+|Nơi nhận|Kính gửi)"
)
# "2026\n- 2030": a dash that continues a range is not a list item.
_RANGE_CONT = re.compile(r"^[*_ ]*[-–]\s*\d")
_ENDS_DIGIT = re.compile(r"\d[*_ ]*$")


def looks_wrapped(text: str) -> bool:
    """True for hard-wrapped markdown: it carries markdown marks (bold, "|" cells) and many lines continue a
    sentence on the next line."""
    lines = text.split("\n")
    nonblank = 0
    wraps = 0
    pipes = 0
    prev = ""
    for line in lines:
        s = line.strip()
        if not s:
            prev = ""
            continue
        nonblank += 1
        if s == "|":
            pipes += 1
        elif prev and prev != "|" and _starts_lower(s):
            wraps += 1
        prev = s
    if nonblank < 5:
        return False
    # Markdown marks are what tell a converter's output from OCR or PDF text, whose lines are wrapped too but
    # whose paragraphs are not separated by blank lines (those are joined by ``load.reflow`` and ``normalise``).
    marked = pipes >= 4 or text.count("**") >= 6
    return marked and (wraps >= 0.12 * nonblank or (pipes >= 4 and wraps >= 0.04 * nonblank))


def _open_emphasis(s: str) -> bool:
    """True when the line leaves a bold or italic span open (its closing mark is on a later line)."""
    strong = s.count("**")
    if strong % 2:
        return True
    single = s.replace("**", "").count("*")
    return single % 2 == 1


def _fully_bold(s: str) -> bool:
    t = s.strip()
    return t.startswith("**") and t.endswith("**") and len(t) > 4 and t.count("**") % 2 == 0


def _join_lines(lines: list[str], *, keep_bold_lines: bool) -> list[str]:
    """Join wrapped lines into paragraphs; a list marker starts a new one, so does the line after a bold
    heading (when ``keep_bold_lines``)."""
    if len(lines) == 1:
        # Most table cells are one line: nothing to join.
        one = lines[0].strip()
        if not one or (one[0] in "-_=" and _RULE_LINE.match(one)) or (one[0] in "*_" and _MARKS_ONLY.match(one)):
            return []
        if one[0] == "#" or "](" in one or one[-1] == "*":
            pass  # the general path below cleans these
        else:
            return [_plain(one)]
    out: list[str] = []
    carry_open = False
    for raw in lines:
        s = raw.strip()
        if not s:
            continue
        first = s[0]
        if first in "-_=" and _RULE_LINE.match(s):
            continue
        if first in "*_" and _MARKS_ONLY.match(s):
            # A line of bare marks ("**" closing a bold header cell, "** **") only matters when it closes a span.
            if out and carry_open:
                out[-1] = out[-1].rstrip() + s.replace(" ", "")
                carry_open = _open_emphasis(out[-1])
            continue
        if s[-1] == "*":
            s = _SPACE_BEFORE_CLOSE.sub(r"\1", s)
        if first == "#":
            s = _MD_HEADING.sub("", s)
        if "](" in s:
            s = _MD_LINK.sub(r"\1", s)
        new = not out
        if not new and not carry_open:
            prev = out[-1]
            item = _STARTS_ITEM.match(s) is not None and not (_RANGE_CONT.match(s) and _ENDS_DIGIT.search(prev))
            after_heading = keep_bold_lines and _fully_bold(prev) and not _starts_lower(s)
            new = item or after_heading
        if new:
            out.append(s)
        else:
            out[-1] = out[-1] + " " + s
        carry_open = "*" in out[-1] and _open_emphasis(out[-1])
    return [_plain(p) for p in out]


# Emphasis marks, once they have served to find headings and paragraph ends, are removed here: converters leave
# them with spaces inside ("*1. *100% ...", "**Điều 1.**** **Ban hành") where ``normalise`` cannot pair them.
# "(*)" and "(**)" are footnote-like marks printed in the document and stay.
_EMPHASIS = re.compile(r"(?<!\()\*+(?!\))|(?<![\w_])__|__(?![\w_])")
_SPACES = re.compile(r"[ \t]{2,}")


def _plain(s: str) -> str:
    if "*" not in s and "__" not in s:
        return s
    return _SPACES.sub(" ", _EMPHASIS.sub("", s)).strip()


def _is_pipe(line: str) -> bool:
    return "|" in line and line.strip() == "|"


def _raw_rows(lines: list[str]) -> list[list[list[str]]]:
    """Rows of cells, each cell its raw lines, from a block of "|"-flattened lines (two "|" lines in a row end a
    row)."""
    rows: list[list[list[str]]] = []
    row: list[list[str]] = []
    cell: list[str] | None = None
    last_pipe = False
    for raw in lines:
        if _is_pipe(raw):
            if cell is not None:
                row.append(cell)
                cell = None
            elif last_pipe and row:
                rows.append(row)
                row = []
            last_pipe = True
            continue
        if not raw.strip():
            continue
        last_pipe = False
        if cell is None:
            cell = []
        cell.append(raw)
    if cell is not None:
        row.append(cell)
    if row:
        rows.append(row)
    return rows


def _emit_table(lines: list[str], out: list[str]) -> None:
    rows = _raw_rows(lines)
    width = max((len(r) for r in rows), default=0)
    if width <= 2:
        # A layout table (the header's two columns, the signature block): each cell is its own text.
        for r in rows:
            for c in r:
                paras = _join_lines(c, keep_bold_lines=True)
                if paras:
                    out.extend(paras)
                    out.append("")
        return
    for r in rows:
        cells = [" ".join(_join_lines(c, keep_bold_lines=False)).strip() for c in r]
        if any(cells):
            out.append(" | ".join(cells))
    out.append("")


def rebuild(text: str) -> str:
    """The canonical text of a hard-wrapped markdown document (see the module docstring)."""
    out: list[str] = []
    block: list[str] = []
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    i = 0
    n = len(lines)
    while i <= n:
        line = lines[i] if i < n else ""
        if i < n and _is_pipe(line):
            # A table runs from a "|" line to the first blank line after its last "|" line.
            if block:
                out.extend(_join_lines(block, keep_bold_lines=True))
                out.append("")
                block = []
            j = i
            last = i
            while j < n:
                if _is_pipe(lines[j]):
                    last = j
                elif not lines[j].strip():
                    # A blank line ends the table unless another "|" line follows soon (a cell with a gap).
                    k = j + 1
                    while k < n and not lines[k].strip():
                        k += 1
                    if k >= n or not _is_pipe(lines[k]) or k - j > 1:
                        break
                j += 1
            _emit_table(lines[i : last + 1], out)
            i = last + 1
            continue
        if not line.strip():
            if block:
                out.extend(_join_lines(block, keep_bold_lines=True))
                out.append("")
                block = []
        else:
            block.append(line)
        i += 1
    return "\n".join(out).strip("\n") + "\n"
