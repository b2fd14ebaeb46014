"""Aims ("Mục đích, yêu cầu", "Mục tiêu chung/tổng quát") and objectives with numbered indicators."""

from __future__ import annotations

import re

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Aim, Indicator, Objective, Span, Target
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value

__all__ = ["AimsRule", "ObjectivesIndicatorsRule"]

_GENERAL = re.compile(r"^(?:Mục đích|Yêu cầu|Mục tiêu (?:chung|tổng quát))", re.IGNORECASE)
_SPECIFIC = re.compile(r"^Mục tiêu cụ thể", re.IGNORECASE)
_OBJECTIVE = re.compile(r"^Mục tiêu\s+(?P<n>\d+)\s*[:.]\s*(?P<t>.+)$")


def _aims_section(ctx: Context) -> str | None:
    for b in ctx.blocks:
        if b.kind == "section":
            t = b.text.lower()
            if "mục đích" in t or "yêu cầu" in t or "mục tiêu" in t:
                return b.marker
    return None


class AimsRule:
    name = "aims"
    priority = 30

    def test(self, ctx: Context) -> bool:
        return _aims_section(ctx) is not None

    def run(self, ctx: Context) -> None:
        sec = _aims_section(ctx)
        if sec is None:
            return
        aims: list[Aim] = []
        specific = False
        blocks = ctx.in_section(sec)
        has_items = any(b.kind == "item" for b in blocks)
        for b in blocks:
            if b.kind in {"footnote", "table"}:
                continue
            if b.kind == "item" and _SPECIFIC.match(b.text):
                specific = True
                continue
            if b.kind == "item" and _GENERAL.match(b.text):
                specific = False
                _head, colon, rest = b.text.partition(":")
                if colon and rest.strip():
                    aims.append(self._aim(ctx, b, rest.strip()))
                continue
            if specific:
                continue
            if (
                b.kind == "item"
                or (not has_items and b.kind in {"para", "bullet"})
                or (has_items and b.kind in {"bullet", "para"})
            ):
                aims.append(self._aim(ctx, b, b.text))
        ctx.plan.aims = aims

    def _aim(self, ctx: Context, b: Block, text: str) -> Aim:
        off = b.start + max(0, b.text.find(text))
        return Aim(text=clean_value(text), spans={"text": Span(off, off + len(text), 0.85)})


class ObjectivesIndicatorsRule:
    name = "objectives"
    priority = 35

    def test(self, ctx: Context) -> bool:
        return any(b.kind == "letter" and _OBJECTIVE.match(b.text) for b in ctx.blocks)

    def run(self, ctx: Context) -> None:
        objectives: list[Objective] = []
        for b in ctx.blocks:
            if b.kind != "letter":
                continue
            m = _OBJECTIVE.match(b.text)
            if not m:
                continue
            objectives.append(
                Objective(
                    id=f"O{m['n']}",
                    number=m["n"],
                    title=clean_value(m["t"]),
                    text=None,
                    spans={"title": Span(b.start + m.start("t"), b.start + m.end("t"), 0.9)},
                )
            )
        ctx.plan.objectives = objectives
        ctx.plan.indicators = _indicators(ctx, objectives)


# --- indicators and targets ---------------------------------------------------------------------------------

_CHI_TIEU = re.compile(r"^Chỉ tiêu\s+(?P<n>\d+)\s*[:.]\s*(?P<t>.+)$")
# Comparator words (docs/plan-format.md), longest first. "lên"/"xuống" give the comparator but are direction
# words, so they are not part of a target's text.
_CMP_WORDS = [
    ("không dưới", ">="),
    ("không quá", "<="),
    ("ít nhất", ">="),
    ("tối thiểu", ">="),
    ("tối đa", "<="),
    ("khoảng", "~"),
    ("dưới", "<"),
    ("trên", ">"),
    ("còn", "<="),
    ("ở mức", "="),
    ("bằng", "="),
    ("đạt", ">="),
    ("xuống", "<="),
    ("lên", ">="),
]
_NOT_IN_TEXT = {"lên", "xuống"}
_CMP_RE = re.compile(r"(?:" + "|".join(re.escape(w) for w, _c in _CMP_WORDS) + r")\s+$", re.IGNORECASE)
_VALUE = re.compile(r"(?<![\d/.,])(?P<v>\d+(?:,\d+)?)\s*(?P<u>%|lần\b|bé trai\s*/\s*100\s*bé gái)")
_COUNT = re.compile(r"(?<![\d/.,])(?P<v>\d+)\s+(?P<u>[^\d;.]+?)(?=\s+(?:về|trên|cho|được|tại)\b|[;.]|$)")
_YEAR_BEFORE = re.compile(
    r"(?P<y>(?:(?:Đến|đến|Từ|từ)\s+)?(?:năm\s+)?(?P<yr>\d{4})(?:\s+trở\s+đi)?)\s*,?\s*(?:có\s+)?$"
)
_YEAR_AFTER = re.compile(
    r"^(?P<gap>(?:\s+[^\s\d;,.]+){0,4}?)\s+(?P<y>(?:vào|từ)\s+năm\s+(?P<yr>\d{4})(?:\s+trở\s+đi)?)"
)
_TIME = re.compile(
    r"(?:Đến|đến|Từ|từ)\s+năm\s+(?P<yr>\d{4})(?:\s+trở\s+đi)?|(?:hàng|hằng)\s+(?:tháng|quý|năm)", re.IGNORECASE
)
_ZERO = re.compile(r"(?P<pre>(?:(?:Hàng|hàng|Hằng|hằng) năm\s+)?)(?P<k>[Kk]hông để)(?P<x>\s+x[ảẩ]y ra)?")
_PERIOD = re.compile(r"\bmỗi\s+(?P<p>quý|tháng|năm)\b")


def _direction(text: str) -> str | None:
    low = text.lower()
    if re.match(r"^(?:phấn đấu\s+)?tăng\b", low):
        return "increase"
    if re.match(r"^(?:phấn đấu\s+)?giảm\b", low):
        return "decrease"
    if re.match(r"^(?:phấn đấu\s+)?duy trì\b", low):
        return "maintain"
    return None


def _num(s: str) -> int | float:
    v = float(s.replace(",", "."))
    return int(v) if v.is_integer() else v


def _targets(
    text: str, off: int, direction: str | None, year_ctx: int | None
) -> tuple[list[Target], str | None, str | None]:
    """Targets in one indicator's text; also (measure, unit)."""
    found: list[tuple[int, int, re.Match[str], str]] = []
    for m in _VALUE.finditer(text):
        found.append((m.start(), m.end(), m, "value"))
    if not found:
        for m in _COUNT.finditer(text):
            if _CMP_RE.search(text[: m.start()]):
                found.append((m.start(), m.end(), m, "count"))
    targets: list[Target] = []
    measure = unit = None
    carry: str | None = None
    for start, end, m, kind in found:
        u = re.sub(r"\s+", " ", m["u"])
        if kind == "count":
            measure = "count"
            pm = _PERIOD.search(text)
            unit = u + (f"/{pm['p']}" if pm else "")
        elif u == "%":
            measure, unit = "percentage", "%"
        else:
            measure, unit = "ratio", u.replace(" / ", "/")
        value = _num(m["v"])
        # Comparator words right before the value.
        left = start
        comparator = None
        while True:
            cm = _CMP_RE.search(text[:left])
            if not cm:
                break
            word = cm.group(0).strip().lower()
            if comparator is None:
                comparator = dict(_CMP_WORDS)[word]
            if word in _NOT_IN_TEXT:
                break
            left = cm.start()
        explicit = comparator is not None
        if comparator is None:
            if carry is not None:
                comparator = carry
            elif kind == "value" and value == 100 and u == "%":
                comparator = "="
            elif direction == "decrease":
                comparator = "<="
            else:
                comparator = ">="
        elif explicit:
            carry = comparator
        year = None
        right = end
        ym = _YEAR_BEFORE.search(text[:left])
        if ym and not re.search(r"\bvào\s+$", text[: ym.start()]):
            year, left = int(ym["yr"]), ym.start()
        am = _YEAR_AFTER.match(text[end:])
        if am and not re.search(r"\b(?:và|hoặc)\b", am["gap"]):
            year, right = int(am["yr"]), end + am.end()
        if year is None:
            year = year_ctx
        if year is None:
            tm = _TIME.search(text)
            year = int(tm["yr"]) if tm and tm["yr"] else None
        targets.append(
            Target(
                year=year,
                value=value,
                comparator=comparator,
                text=text[left:right],
                spans={"value": Span(off + start, off + end, 0.85), "text": Span(off + left, off + right, 0.8)},
            )
        )
    if targets:
        return targets, measure, unit
    zm = _ZERO.search(text)
    if zm:
        if zm["x"]:
            t_end = zm.end()
            t_start = 0 if text[: zm.start()].strip() == "" else zm.start()
        else:
            t_start, t_end = zm.start(), len(text.rstrip(". "))
        return (
            [
                Target(
                    year=None,
                    value=0,
                    comparator="=",
                    text=text[t_start:t_end],
                    spans={"text": Span(off + t_start, off + t_end, 0.8)},
                )
            ],
            "count",
            None,
        )
    tm = _TIME.search(text)
    if tm:
        yr = int(tm["yr"]) if tm["yr"] else None
        return (
            [
                Target(
                    year=yr,
                    value=True,
                    comparator="=",
                    text=tm.group(0),
                    spans={"text": Span(off + tm.start(), off + tm.end(), 0.8)},
                )
            ],
            "boolean",
            None,
        )
    return [], None, None


def _clauses(text: str) -> list[tuple[int, str]]:
    """Split at ";" (dropped) and at sentence ends ". X" (the dot kept)."""
    out: list[tuple[int, str]] = []
    pos = 0
    for m in re.finditer(r";\s*|(?<=\.)\s+(?=[A-ZĐÀ-Ỹ])", text):
        piece = text[pos : m.start()]
        if piece.strip():
            out.append((pos, piece))
        pos = m.end()
    if text[pos:].strip():
        out.append((pos, text[pos:]))
    return out


def _numbered(ctx: Context, oid: str, number: str, text: str, off: int) -> list[Indicator]:
    direction = _direction(text)
    parts: list[tuple[int, str, list[Target], str | None, str | None]] = []
    for c_off, clause in _clauses(text):
        targets, measure, unit = _targets(clause, off + c_off, direction, None)
        if targets and measure != "boolean":
            parts.append((c_off, clause, targets, measure, unit))
        elif parts:
            p = parts[-1]
            parts[-1] = (p[0], text[p[0] : c_off + len(clause)], p[2], p[3], p[4])
        else:
            parts.append((c_off, clause, targets, measure, unit))
    years = [t.year for p in parts for t in p[2]]
    split = len(parts) > 1 and len(years) != len(set(years))
    if not split:
        targets, measure, unit = _targets(text, off, direction, None)
        if len(parts) > 1 and any(p[3] for p in parts):
            targets = [t for p in parts for t in p[2]]
            measure, unit = next((p[3], p[4]) for p in parts if p[3])
        return [
            Indicator(
                id=f"{oid}.{number}",
                objective=oid,
                project=None,
                number=number,
                text=text,
                measure=measure or "text",
                unit=unit,
                direction=direction,
                targets=targets,
                spans={"text": Span(off, off + len(text), 0.85)},
            )
        ]
    out = []
    for k, (p_off, ptext, targets, measure, unit) in enumerate(parts):
        letter = "abcdefgh"[k]
        end = p_off + len(ptext)
        full = text[p_off:end]
        if end < len(text) and text[end] == ";":
            full = full.rstrip()
        out.append(
            Indicator(
                id=f"{oid}.{number}{letter}",
                objective=oid,
                project=None,
                number=f"{number}{letter}",
                text=full.strip(),
                measure=measure or "text",
                unit=unit,
                direction=_direction(full.strip()) or direction,
                targets=targets,
                spans={"text": Span(off + p_off, off + end, 0.8)},
            )
        )
    return out


def _indicators(ctx: Context, objectives: list[Objective]) -> list[Indicator]:
    out: list[Indicator] = []
    by_start = {o.spans["title"].start: o for o in objectives if "title" in o.spans}
    current: Objective | None = None
    for b in ctx.blocks:
        if b.kind == "letter":
            current = next((o for s, o in by_start.items() if b.start <= s <= b.end), None)
            continue
        if b.kind in {"item", "section"}:
            current = None
            continue
        if current is None or b.kind not in {"bullet", "para"}:
            continue
        text = clean_value(b.text)
        m = _CHI_TIEU.match(text)
        if m:
            off = b.start + b.text.find(m["t"])
            out.extend(_numbered(ctx, current.id, m["n"], m["t"].strip(), off))
            continue
        if b.kind == "bullet" and b.marker == "+":
            year_ctx: int | None = None
            time_text: str | None = None
            for c_off, clause in _clauses(text):
                clause_s = clause.strip()
                targets, measure, unit = _targets(clause_s, b.start + c_off, None, None)
                if measure == "boolean" and targets:
                    year_ctx, time_text = targets[0].year, targets[0].text
                elif not targets and time_text is not None:
                    targets = [Target(year=year_ctx, value=True, comparator="=", text=time_text)]
                    measure = "boolean"
                if not targets:
                    continue
                n = sum(1 for i in out if i.objective == current.id) + 1
                span = Span(b.start + c_off, b.start + c_off + len(clause), 0.8)
                out.append(
                    Indicator(
                        id=f"{current.id}.{n}",
                        objective=current.id,
                        project=None,
                        number=None,
                        text=clause_s,
                        measure=measure,
                        unit=unit,
                        direction=_direction(clause_s),
                        targets=targets,
                        spans={"text": span},
                    )
                )
    return out
