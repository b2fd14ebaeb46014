"""Split normalised text into lines classified as sections, numbered items, bullets, paragraphs, footnotes.

Sections are Roman-numbered ("I.", "II."); items are numbered ("1.", "3.1.") or lettered ("a)"); bullets start
with "-", "+", "+)", "•"; a footnote line starts with a superscript mark. Each block keeps its character span in
the normalised text and the section and item it belongs to.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from binhdang.docparse.normalise import SUPERSCRIPTS

__all__ = ["Block", "split_blocks"]

_ROMAN = re.compile(r"^(?P<m>[IVX]{1,4})\s*[./]\s*(?P<t>\S.*)$")
_NUMBERED = re.compile(r"^(?P<m>\d{1,2}(?:\.\d{1,2})*)\s*[.)](?!\d)\s*(?P<t>.*)$")
_LETTERED = re.compile(r"^(?P<m>[a-zđ])\)\s*(?P<t>.*)$")
_BULLET = re.compile(r"^(?P<m>[-+•–*])\)?(?!\d)\s*(?P<t>.*)$")
_CLOSING = re.compile(r"^(?:Nơi nhận|Trên đây là|Trong quá trình (?:thực hiện|triển khai|tổ chức))")
_FOOTNOTE = re.compile(rf"^[{SUPERSCRIPTS}]+\s*(?P<t>.*)$")


@dataclass
class Block:
    kind: str  # section | item | letter | bullet | para | footnote | table | blank
    marker: str  # "II", "3.1", "a", "-", "+", ""
    text: str  # the line without its marker
    start: int  # span of ``text`` in the normalised text
    end: int
    line_start: int
    section: str | None = None  # Roman numeral of the enclosing section
    item: str | None = None  # number of the enclosing numbered item ("3.1")
    index: int = 0


def _roman_ok(m: str) -> bool:
    return m in {"I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"}


def split_blocks(text: str) -> list[Block]:
    blocks: list[Block] = []
    pos = 0
    section: str | None = None
    item: str | None = None
    for raw in text.split("\n"):
        line_start = pos
        pos += len(raw) + 1
        if not raw.strip():
            continue
        kind, marker, body_off = "para", "", 0
        m = _ROMAN.match(raw)
        if m and _roman_ok(m["m"]):
            kind, marker, body_off = "section", m["m"], m.start("t")
            section, item = marker, None
        elif (m := _FOOTNOTE.match(raw)) is not None:
            kind, body_off = "footnote", m.start("t")
        elif " | " in raw:
            kind = "table"
        elif (m := _NUMBERED.match(raw)) is not None and not re.match(r"^\d{1,2}\.\d{3}", raw):
            kind, marker, body_off = "item", m["m"], m.start("t")
            item = marker
        elif (m := _LETTERED.match(raw)) is not None:
            kind, marker, body_off = "letter", m["m"], m.start("t")
        elif (m := _BULLET.match(raw)) is not None and m["t"]:
            marker = m["m"].replace("•", "-").replace("–", "-").replace("*", "-")
            kind, body_off = "bullet", m.start("t")
        if kind == "para" and _CLOSING.match(raw):
            section, item = "_end", None
        body = raw[body_off:]
        blocks.append(
            Block(
                kind=kind,
                marker=marker,
                text=body.strip(),
                start=line_start + body_off,
                end=line_start + body_off + len(body.rstrip()),
                line_start=line_start,
                section=section,
                item=item if kind != "section" else None,
                index=len(blocks),
            )
        )
    return blocks
