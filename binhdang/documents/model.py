"""A small, renderer-independent model of an administrative document in the form of Decree 30/2020/NĐ-CP.

The builders (:mod:`.plan`, :mod:`.report`) fill it from stored data; the renderers (:mod:`.docx`,
:mod:`.pdf`) lay it out. A field that the data does not give stays empty and renders as a blank for the
clerk to fill ("Số: …/KH-UBND"); nothing is invented.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from binhdang.lib.dates import format_vn_date

BLANK = "…"


@dataclass
class Header:
    """Issuing body (with the body it belongs to, if any), number and symbol, place and date."""

    issuer: str  # "Ủy ban nhân dân tỉnh Thái Nguyên"
    parent_body: str = ""  # "Ủy ban nhân dân tỉnh Thái Nguyên" above "Sở Nội vụ"
    number: str = ""  # "59"; empty: left for the clerk
    symbol: str = ""  # "KH-UBND"
    place: str = ""  # "Thái Nguyên"
    date: dt.date | None = None

    @property
    def number_line(self) -> str:
        number = self.number or BLANK
        return f"Số: {number}/{self.symbol}" if self.symbol else f"Số: {number}"

    @property
    def date_line(self) -> str:
        place = self.place or BLANK
        if self.date is None:
            return f"{place}, ngày {BLANK} tháng {BLANK} năm {BLANK}"
        return f"{place}, {format_vn_date(self.date, long=True)}"

    @property
    def issuer_lines(self) -> list[str]:
        """The issuing body as printed: "ỦY BAN NHÂN DÂN" / "TỈNH THÁI NGUYÊN"."""
        return issuer_lines(self.issuer)

    @property
    def parent_lines(self) -> list[str]:
        return issuer_lines(self.parent_body) if self.parent_body else []


_COMMITTEE_PREFIXES = ("ủy ban nhân dân", "uỷ ban nhân dân", "hội đồng nhân dân")


def issuer_lines(name: str) -> list[str]:
    """Split a body's name for the header block: the kind of body on one line, its territory on the next."""
    name = " ".join(name.split())
    lowered = name.lower()
    for prefix in _COMMITTEE_PREFIXES:
        if lowered.startswith(prefix) and len(name) > len(prefix):
            return [name[: len(prefix)].upper(), name[len(prefix) :].strip().upper()]
    return [name.upper()] if name else []


@dataclass
class Heading:
    text: str
    level: int = 1  # 1: "I. MỤC ĐÍCH", 2: "1. Mục tiêu", 3: "a) ..."


@dataclass
class Paragraph:
    text: str
    italic: bool = False


@dataclass
class Bullet:
    text: str
    level: int = 1  # 1: "- ", 2: "+ "


@dataclass
class Table:
    columns: list[str]
    rows: list[list[str]]
    widths_mm: list[float] = field(default_factory=list)
    # Rows printed bold (totals), by index into rows.
    bold_rows: set[int] = field(default_factory=set)
    # Columns aligned right (amounts), by index.
    numeric: set[int] = field(default_factory=set)


Block = Heading | Paragraph | Bullet | Table


@dataclass
class Signature:
    authority: str = ""  # "KT. CHỦ TỊCH"
    title: str = ""  # "PHÓ CHỦ TỊCH"
    name: str = ""  # "Lê Quang Tiến"


@dataclass
class OfficialDocument:
    header: Header
    doc_type: str  # "KẾ HOẠCH", "BÁO CÁO"
    summary: str  # trích yếu
    blocks: list[Block] = field(default_factory=list)
    signature: Signature = field(default_factory=Signature)
    recipients: list[str] = field(default_factory=list)
    file_stem: str = "van-ban"

    @property
    def recipient_lines(self) -> list[str]:
        """The "Nơi nhận" list as printed: "- X;" for each, the last ending in "." and "Lưu: VT" kept last."""
        items = [r.strip().lstrip("-").strip().rstrip(";.,") for r in self.recipients if r.strip()]
        stored = [r for r in items if r.lower().startswith("lưu")]
        items = [r for r in items if not r.lower().startswith("lưu")] + (stored[:1] or ["Lưu: VT"])
        return [f"- {item}{'.' if i == len(items) - 1 else ';'}" for i, item in enumerate(items)]

    def text(self) -> str:
        """Plain text of the document (for search, tests and a quick look)."""
        lines = [*self.header.parent_lines, *self.header.issuer_lines, self.header.number_line]
        lines += [self.header.date_line, self.doc_type, self.summary]
        for block in self.blocks:
            if isinstance(block, Table):
                lines.append(" | ".join(block.columns))
                lines += [" | ".join(row) for row in block.rows]
            else:
                lines.append(block.text)
        lines += [self.signature.authority, self.signature.title, self.signature.name, "Nơi nhận:"]
        lines += self.recipient_lines
        return "\n".join(line for line in lines if line)
