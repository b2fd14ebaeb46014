"""Quantified targets anywhere in a plan's body, beyond the "Chỉ tiêu N" lists of national-strategy plans.

Real plans set targets in running text and bullets: "Phấn đấu đến năm 2030: 100% cơ sở dữ liệu ...", "- Tối
thiểu 80% doanh nghiệp ...", "tăng trưởng 10 - 13%/năm". A target is a percentage (or a range of them), or a
count after a comparator word ("ít nhất 10 sản phẩm"), in a sentence of the body (not the legal bases, not a
table, not a footnote, not the funding section). Its year comes from the sentence ("đến năm 2030", "vào năm
2025", "giai đoạn 2026 - 2030" → 2030), else from the lead-in line that introduces the list ("Các chỉ tiêu đến
năm 2025:"), else from the enclosing heading ("2. Chỉ tiêu cụ thể đến năm 2030"); a target with none of these
keeps ``year = None`` and the review page flags it. Each sentence with targets becomes one indicator whose text
is the sentence, so a person can see what the number measures.

Numbers in text that another rule already read as an indicator are left to it.
"""

from __future__ import annotations

import re
from decimal import Decimal

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Indicator, Span, Target
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, section_kind
from binhdang.lib.numbers import parse_vn_number

__all__ = ["TargetsRule"]

_PERCENT = re.compile(
    r"(?<![\d/.,])(?P<lo>\d{1,3}(?:[.,]\d+)?)\s*(?:%\s*)?(?:[-–]|đến)\s*(?P<hi>\d{1,3}(?:[.,]\d+)?)\s*%"
    r"|(?<![\d/.,])(?P<v>\d{1,3}(?:[.,]\d+)?)\s*%"
)
# A count or amount after a comparator or "đạt" ("ít nhất 10 sản phẩm", "đạt khoảng 91 triệu đồng", "cho khoảng
# 59.000 người", "trạm 5G: 35 trạm"); a list goes on after a comma ("100 doanh nghiệp ..., 50 doanh nghiệp").
_COUNT = re.compile(
    r"(?P<cmp>\b(?:ít nhất|tối thiểu|không dưới|đạt(?:\s+khoảng)?|khoảng|từ)|:)\s+"
    r"(?P<v>\d{1,3}(?:\.\d{3})+(?:,\d+)?|\d{1,6}(?:,\d+)?)\s+"
    r"(?P<u>(?!năm\b|tháng\b|ngày\b|giờ\b|%)[^\s\d,;.:()/%]+(?:\s+(?!năm\b|tháng\b)[^\s\d,;.:()/%]+)?)",
    re.IGNORECASE,
)
_COUNT_MORE = re.compile(
    r"(?:,|có)\s+(?P<v>\d{1,3}(?:\.\d{3})+|\d{1,6})\s+(?P<u>(?!năm\b|tháng\b)[^\s\d,;.:()]+(?:\s+[^\s\d,;.:()]+)?)"
)
_QUICK = re.compile(r"ít nhất|tối thiểu|không dưới|Ít nhất|Tối thiểu|Không dưới|đạt|khoảng|: ")
# Units that make a count a target; other nouns after a number (a date, an article) do not.
_NOT_UNIT = re.compile(r"^(?:điểm|cá nhân|tập thể|lần|bước|nội dung|nhiệm vụ|điều|khoản|văn bản|Điều)\b", re.IGNORECASE)
# Searched in the lower-cased text (a case-insensitive alternation is several times slower).
_TARGET_WORDS = re.compile(
    r"phấn đấu|chỉ tiêu|mục tiêu|đạt|ít nhất|tối thiểu|không dưới|trở lên|bảo đảm|đảm bảo|được|có|tăng|giảm|"
    r"duy trì|hoàn thành|không quá|tối đa|trên|dưới|chiếm|khoảng|nâng|lắp đặt|đầu tư mới|hình thành"
)
_STRONG = re.compile(r"phấn đấu|chỉ tiêu|mục tiêu")
# Numbers that are not targets: shares of money, scores, interest, taxes; baselines in the past tense.
_NOT_TARGET = re.compile(
    r"kinh phí|ngân sách|dự toán|tổng chi|tổng thu|\d\s*điểm\b|lãi suất|thuế suất|tỷ lệ phạt|khen thưởng|[Bb]ằng khen|"
    r"(?<!đến )(?<!vào )năm\s+20\d\d\s*(?:,\s*)?(?:đã\s+)?đạt|đã đạt|đạt được|hiện nay|hiện có|so với|\bước\b|"
    r"%\s*kế hoạch|"
    r"%\s*dự toán|%\s*chỉ tiêu|%\s*so\b|%\s*KH\b|bằng\s+\d|\bnếu\b",
    re.IGNORECASE,
)
_YEAR_IN = re.compile(
    r"(?:giai đoạn|thời kỳ)\s+(?P<a>20\d\d)\s*[-–]\s*(?P<b>20\d\d)"
    r"|(?:đến|vào|trong|đến hết|hết|cuối|sau)\s+(?:năm\s+)?(?P<y>20\d\d)"
    r"|năm\s+(?P<y2>20\d\d)",
    re.IGNORECASE,
)
_HEADING_YEAR = re.compile(
    r"(?:giai đoạn|thời kỳ)\s+20\d\d\s*[-–]\s*(?P<b>20\d\d)|(?:đến|vào|trong)\s+năm\s+(?P<y>20\d\d)"
    r"|năm\s+(?P<y2>20\d\d)"
)
_BASELINE_START = re.compile(r"^(?:Hiện nay|Hiện tại|Tính đến|Năm 20\d\d,? (?:toàn tỉnh|thành phố) đã)\b")
_STARTS_NUMBER = re.compile(r"^(?:\(\d+\)\s*)?\d")
_REVIEW = re.compile(r"^(?:Đánh giá|ĐÁNH GIÁ|Kết quả|KẾT QUẢ|Tình hình|TÌNH HÌNH|Thực trạng|THỰC TRẠNG)")
_CLAUSE_END = re.compile(r"[;.](?:\s|$)|\s\+\s")
_CMP = (
    (re.compile(r"(?:không dưới|ít nhất|tối thiểu|từ\s*$|trở lên)", re.IGNORECASE), ">="),
    (re.compile(r"(?:không quá|tối đa|giảm còn|còn|xuống)\s*$", re.IGNORECASE), "<="),
    (re.compile(r"\btrên\s*$", re.IGNORECASE), ">"),
    (re.compile(r"\bdưới\s*$", re.IGNORECASE), "<"),
    (re.compile(r"\bkhoảng\s*$", re.IGNORECASE), "~"),
)
# The organisation section assigns duties to agencies; a number there qualifies a duty, not a plan target.
_SKIP_SECTIONS = {"budget", "reporting", "organisation"}


def _num(s: str) -> int | float:
    try:
        d = parse_vn_number(s)
    except ValueError:
        d = Decimal(s.replace(",", "."))  # "1.5%": a point read as the decimal mark when it cannot group
    return int(d) if d == d.to_integral_value() else float(d)


def _comparator(before: str, after: str) -> str:
    tail = before[-30:]
    for pattern, cmp in _CMP:
        if pattern.search(tail):
            return cmp
    if re.match(r"\s*(?:trở lên|trở\s+lên)", after):
        return ">="
    return ">="


def _year_of(text: str, at: int) -> tuple[int | None, bool]:
    """The year a number at ``at`` is for, from its clause: the nearest year phrase in the same clause (after
    the number first, then before). Returns (year, found)."""
    start = 0
    for m in _CLAUSE_END.finditer(text, 0, at):
        start = m.end()
    m_end = _CLAUSE_END.search(text, at)
    end = m_end.start() if m_end else len(text)
    clause = text[start:end]
    rel = at - start
    best: tuple[int, int] | None = None
    for m in _YEAR_IN.finditer(clause):
        year = int(m["b"] or m["y"] or m["y2"])
        dist = m.start() - rel if m.start() >= rel else (rel - m.end()) + 1000
        if best is None or dist < best[0]:
            best = (dist, year)
    return (best[1], True) if best else (None, False)


def _heading_year(text: str) -> int | None:
    """The last year phrase of a heading or lead-in ("Mục tiêu đến năm 2025 và định hướng đến năm 2030" → 2030)."""
    if "20" not in text:
        return None
    found = list(_HEADING_YEAR.finditer(text.lower()))
    if not found:
        return None
    m = found[-1]
    return int(m["b"] or m["y"] or m["y2"])


class TargetsRule:
    name = "targets"
    priority = 67

    def test(self, ctx: Context) -> bool:
        return "%" in ctx.text or "ít nhất" in ctx.text or "tối thiểu" in ctx.text

    def run(self, ctx: Context) -> None:
        taken = [(i.spans["text"].start, i.spans["text"].end) for i in ctx.plan.indicators if "text" in i.spans]
        body = ctx.body_start()
        lead_in_year: int | None = None
        lead_in_level: str | None = None
        heading_years: dict[str, int | None] = {}
        section_year: int | None = None
        section_skip = False
        review_item: str | None = None
        made: list[Indicator] = []
        for b in ctx.blocks[body:]:
            if b.section == "_end":
                break
            if b.kind == "section":
                section_year = _heading_year(b.text)
                section_skip = section_kind(b.text) in _SKIP_SECTIONS or _REVIEW.search(b.text) is not None
                heading_years = {}
                lead_in_year = None
                continue
            if b.kind == "item":
                # A review of the past ("1. Đánh giá tình hình thực hiện năm 2025") reports results, not targets.
                review_item = (
                    b.marker
                    if _REVIEW.search(b.text)
                    else None
                    if review_item is None or not (b.marker == review_item or b.marker.startswith(review_item + "."))
                    else review_item
                )
            if b.kind in {"footnote", "table"}:
                continue
            if (section_skip or review_item is not None) and "phấn đấu" not in b.text.lower():
                continue
            text = b.text
            if b.kind in {"item", "letter"} or (b.kind == "para" and text.endswith(":")):
                hy = _heading_year(text)
                if b.kind == "item":
                    heading_years = {k: v for k, v in heading_years.items() if not k.startswith(b.marker)}
                    heading_years[b.marker] = hy
                if text.rstrip().endswith(":"):
                    lead_in_year = hy
                    lead_in_level = b.kind
                    if not _PERCENT.search(text):
                        continue
                elif b.kind in {"item", "letter"} and lead_in_level in {"item", "letter", None}:
                    lead_in_year = None
            elif b.kind == "para" and lead_in_year is not None and lead_in_level == "para":
                lead_in_year = None
            if any(s < b.end and b.start < e for s, e in taken):
                continue
            targets = self._targets(text, b.start)
            if not targets:
                continue
            inherited = lead_in_year
            if inherited is None and b.item is not None:
                parts = b.item.split(".")
                for k in range(len(parts), 0, -1):
                    y = heading_years.get(".".join(parts[:k]))
                    if y is not None:
                        inherited = y
                        break
            if inherited is None:
                inherited = section_year
            for t, found in targets:
                if not found and inherited is not None:
                    t.year = inherited
                    t.spans["year"] = Span(b.start, b.start, 0.6)
            made.append(self._indicator(ctx, b, [t for t, _f in targets], len(made) + 1))
        ctx.plan.indicators.extend(made)

    def _targets(self, text: str, off: int) -> list[tuple[Target, bool]]:
        out: list[tuple[Target, bool]] = []
        if "%" not in text and _QUICK.search(text) is None:
            return out
        if _BASELINE_START.match(text):
            # "Hiện nay, tổng số trạm ... đạt 32,2%": where things stand, not where they should get to.
            return out
        starts_with_number = _STARTS_NUMBER.match(text) is not None
        low = text.lower()
        if not starts_with_number and not _TARGET_WORDS.search(low):
            return out
        strong = _STRONG.search(low) is not None
        for m in _PERCENT.finditer(text):
            if not strong and _NOT_TARGET.search(text, max(0, m.start() - 50), m.end() + 50):
                continue
            value: int | float | list[int | float] = (
                _num(m["v"]) if m["v"] is not None else [_num(m["lo"]), _num(m["hi"])]
            )
            if isinstance(value, (int, float)) and value > 100 and "tăng" not in text[: m.start()][-40:]:
                continue
            year, found = _year_of(text, m.start())
            cmp = _comparator(text[: m.start()], text[m.end() :])
            t = Target(
                year=year,
                value=value,
                comparator=cmp,
                text=clean_value(text[max(0, m.start() - 40) : m.end() + 60]),
                spans={"value": Span(off + m.start(), off + m.end(), 0.8)},
            )
            out.append((t, found))
        if _NOT_TARGET.search(text) and not strong:
            out.sort(key=lambda tf: tf[0].spans["value"].start)
            return out
        percent_at = [o[0].spans["value"].start for o in out]
        for m in _COUNT.finditer(text):
            if any(o[0].spans["value"].start <= off + m.start("v") < o[0].spans["value"].end for o in out):
                continue
            if _NOT_UNIT.match(m["u"]):
                continue
            if text.rfind("(", 0, m.start()) > text.rfind(")", 0, m.start()):
                # "58 trạm (Trong đó: VNPT: 25 trạm, ...)": a breakdown in brackets, not targets of their own.
                continue
            unit_word = m["u"].split()[0].lower()
            if m["cmp"] == ":" and unit_word not in text[: m.start()].lower():
                # "Lắp đặt mới trạm 3G/4G: 58 trạm": a label and its count, the unit named in both.
                continue
            if m["cmp"] == "từ" and not re.match(r"\s*trở lên", text[m.end() :]):
                continue
            # A count inside a clause that already sets a percentage qualifies it ("100% khu ... có tối thiểu
            # 1 trạm"), it is not a target of its own.
            clause_start = max(text.rfind(";", 0, m.start()), text.rfind(". ", 0, m.start()))
            if any(clause_start < p - off < m.start() for p in percent_at):
                continue
            found_matches = [m]
            # The list goes on in the clause: "100 doanh nghiệp khởi nghiệp sáng tạo, 50 doanh nghiệp ...".
            clause_end_m = re.search(r";|\.(?:\s|$)", text[m.end() :])
            clause_end = m.end() + clause_end_m.start() if clause_end_m else len(text)
            for more in _COUNT_MORE.finditer(text, m.end(), clause_end):
                if more["u"].split()[0].lower() == unit_word and not _COUNT.match(text, more.start()):
                    found_matches.append(more)
            cmp = _comparator(m["cmp"] + " ", "") if m["cmp"] not in {":", "đạt", "Đạt"} else ">="
            for mm in found_matches:
                year, found = _year_of(text, mm.start("v"))
                t = Target(
                    year=year,
                    value=_num(mm["v"]),
                    comparator="~" if "khoảng" in m["cmp"].lower() else cmp,
                    text=clean_value(text[mm.start() : mm.end() + 60]),
                    spans={"value": Span(off + mm.start("v"), off + mm.end("v"), 0.7)},
                )
                out.append((t, found))
        out.sort(key=lambda tf: tf[0].spans["value"].start)
        return out

    def _indicator(self, ctx: Context, b: Block, targets: list[Target], n: int) -> Indicator:
        percent = any(
            isinstance(t.value, list) or "%" in ctx.text[t.spans["value"].start : t.spans["value"].end] for t in targets
        )
        direction = None
        low = b.text.lower()
        if re.search(r"\bgiảm\b", low):
            direction = "decrease"
        elif re.search(r"\btăng\b|\bnâng\b", low):
            direction = "increase"
        elif "duy trì" in low:
            direction = "maintain"
        return Indicator(
            id=f"X{n}",
            objective=None,
            project=None,
            number=b.marker or None,
            text=clean_value(b.text),
            measure="percentage" if percent else "count",
            unit="%" if percent else None,
            direction=direction,
            targets=targets,
            spans={"text": Span(b.start, b.end, 0.75)},
        )
