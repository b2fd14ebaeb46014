"""Document identity: type, number and symbol, place and date, issuer, unit, title, level, years."""

from __future__ import annotations

import re

from binhdang.docparse.result import Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value
from binhdang.lib.dates import parse_vn_date

__all__ = ["IdentityRule", "cap_words", "level_of"]

_CODE = re.compile(
    r"Số\s*:?\s*(?P<num>\d{1,5}[a-zA-Z]?)\s*/\s*(?P<sym>(?:\d{4}\s*/\s*)?[A-ZĐ][A-Za-zĐđ&]*(?:\s*-\s*[A-ZĐ][A-Za-zĐđ&]*)+)"
)
_PLACE_DATE = re.compile(
    r"^(?P<place>[^\W\d_][^\n,]{1,40}?),\s*ngày\s+(?P<d>\d{1,2})\s+tháng\s+(?P<m>\d{1,2})\s+năm\s+(?P<y>\d{4})",
    re.MULTILINE,
)
_PLACE_PREFIX = re.compile(r"^(?:Thành phố|Tỉnh|TP\.?)\s+(?=[A-ZĐÀ-Ỹ])")
_KINDS = {
    "KẾ HOẠCH": "KH",
    "QUYẾT ĐỊNH": "QĐ",
    "CHƯƠNG TRÌNH": "CTr",
    "NGHỊ QUYẾT": "NQ",
    "HƯỚNG DẪN": "HD",
    "ĐỀ ÁN": "ĐA",
    "CHỈ THỊ": "CT",
    "BÁO CÁO": "BC",
    "PHƯƠNG ÁN": "PA",
    "THÔNG BÁO": "TB",
}
_KIND_LINE = re.compile(
    r"^(KẾ HOẠCH|QUYẾT ĐỊNH|CHƯƠNG TRÌNH|NGHỊ QUYẾT|HƯỚNG DẪN|ĐỀ ÁN|CHỈ THỊ|PHƯƠNG ÁN)\s*$", re.MULTILINE
)
_UNIT_WORDS = r"(?:tỉnh|thành phố|huyện|quận|thị xã|xã|phường|thị trấn)"
_ISSUER_HEAD = re.compile(
    r"^(?:ỦY|UỶ) BAN NHÂN DÂN[ \t]*(?:\n+\s*|[ \t]+)"
    r"(?P<unit>(?:TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s[^\n]+)",
    re.MULTILINE,
)
_ISSUER_TEXT = re.compile(
    rf"(?:Ủy ban nhân dân|Uỷ ban nhân dân|UBND)\s+(?P<lvl>{_UNIT_WORDS})(?P<name>(?:\s+[A-ZĐÀ-Ỹ][^\s,.;:]*)*)\s+"
    r"(?:ban hành|xây dựng|triển khai)"
)
_YEARS_RANGE = re.compile(r"(?:giai đoạn|từ năm)\s*(\d{4})\s*[-–]\s*(\d{4})|(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_PHASE = re.compile(r"^Giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})", re.IGNORECASE)
_YEAR_ONE = re.compile(r"năm\s+(\d{4})", re.IGNORECASE)


# Cities directly under the centre are provinces (Huế since 1 January 2025; before that it was a city of Thừa
# Thiên Huế province).
_CENTRAL_CITIES = {"hà nội": None, "hồ chí minh": None, "hải phòng": None, "đà nẵng": None, "cần thơ": None}
_CENTRAL_SINCE = {"huế": "2025-01-01"}


def level_of(unit_word: str, name: str | None = None, date: str | None = None) -> str:
    w = unit_word.lower()
    if w in {"tỉnh"}:
        return "province"
    if w == "thành phố" and name:
        key = name.lower()
        if key in _CENTRAL_CITIES:
            return "province"
        since = _CENTRAL_SINCE.get(key)
        if since is not None and date is not None and date >= since:
            return "province"
    if w in {"huyện", "quận", "thị xã", "thành phố"}:
        return "district"
    return "commune"


def cap_words(s: str, pos: int) -> str:
    """The run of capitalised words starting at ``pos`` ("Thái Nguyên", "An Hòa Thịnh")."""
    words = []
    for m in re.finditer(r"\S+", s[pos : pos + 80]):
        w = m.group(0)
        core = w.rstrip(",.;:)")
        if not core or not core[0].isupper() or not core[0].isalpha():
            break
        words.append(core)
        if core != w:
            break
    return " ".join(words)


def _titlecase(s: str) -> str:
    return " ".join(w[:1].upper() + w[1:].lower() for w in s.split())


class IdentityRule:
    name = "identity"
    priority = 10

    def test(self, ctx: Context) -> bool:
        return True

    def run(self, ctx: Context) -> None:
        doc = ctx.plan.document
        text = ctx.text
        head = text[: min(len(text), 3000)]
        m = _CODE.search(head)
        if m:
            sym = re.sub(r"\s+", "", m["sym"])
            doc.number, doc.symbol = m["num"], sym
            doc.code = f"{m['num']}/{sym}"
            kind = re.split(r"[-/]", re.sub(r"^\d{4}/", "", sym))[0]
            doc.kind = kind
            doc.spans.update(
                code=Span(m.start("num"), m.end("sym"), 0.95),
                number=Span(m.start("num"), m.end("num")),
                symbol=Span(m.start("sym"), m.end("sym")),
            )
        m2 = _PLACE_DATE.search(head)
        if m2:
            try:
                d = parse_vn_date(f"{m2['d']}/{m2['m']}/{m2['y']}")
                doc.date = d.isoformat()
                doc.spans["date"] = Span(m2.start("d") - 5, m2.end("y"), 0.95)
            except ValueError:
                pass
            # "Thành phố Hồ Chí Minh, ngày ...": the place is the name, not its kind.
            doc.place = _PLACE_PREFIX.sub("", clean_value(m2["place"]))
            doc.spans["place"] = Span(m2.start("place"), m2.end("place"), 0.9)
        km = _KIND_LINE.search(head)
        title_from = None
        if km:
            doc.kind = doc.kind or _KINDS.get(km.group(1))
            doc.spans.setdefault("kind", Span(km.start(1), km.end(1)))
            title_from = km.end()
        if title_from is not None:
            self._title(ctx, title_from)
        self._issuer(ctx)
        self._years(ctx)

    def _title(self, ctx: Context, pos: int) -> None:
        doc = ctx.plan.document
        lines = []
        start = end = None
        for m in re.finditer(r"[^\n]+", ctx.text[pos : pos + 2000]):
            line = m.group(0).strip()
            if (
                re.match(
                    r"^(?:Căn cứ|Thực hiện\s+(?:Quyết định|Kế hoạch|Nghị quyết|Công văn|Chỉ thị|Thông tư|"
                    r"Hướng dẫn|Chương trình)|[IVX]+\.|\d+\.)",
                    line,
                )
                or re.search(r"\bsố\s+\d+\s*/", line)
                or len(line) > 300
            ):
                break
            lines.append(line)
            if start is None:
                start = pos + m.start()
            end = pos + m.end()
        if lines and start is not None and end is not None:
            title = clean_value(" ".join(lines)).rstrip(".")
            doc.title = title
            doc.spans["title"] = Span(start, end, 0.85)

    def _issuer(self, ctx: Context) -> None:
        doc = ctx.plan.document
        text = ctx.text
        head = text[:1500]
        m = _ISSUER_HEAD.search(head)
        lvl = name = None
        span = None
        if m:
            unit = m["unit"].strip()
            um = re.match(r"(TỈNH|THÀNH PHỐ|HUYỆN|QUẬN|THỊ XÃ|XÃ|PHƯỜNG|THỊ TRẤN)\s+(.+)", unit)
            if um:
                lvl, name = um.group(1).lower(), _titlecase(um.group(2))
                span = Span(m.start(), m.end("unit"), 0.95)
        if lvl is None:
            pre_end = ctx.blocks[ctx.body_start()].start if ctx.body_start() < len(ctx.blocks) else len(text)
            m2 = _ISSUER_TEXT.search(text, 0, min(len(text), pre_end + 200))
            if m2:
                lvl = m2["lvl"]
                name = clean_value(m2["name"]) or None
                span = Span(m2.start(), m2.end("name") if name else m2.end("lvl"), 0.85)
                if not name:
                    name, _nspan = self._unit_name(ctx, lvl)
                    if name is None:
                        lvl = None
        if lvl is None or not name:
            return
        doc.issuer = f"Ủy ban nhân dân {lvl} {name}"
        doc.level = level_of(lvl, name, doc.date)
        if span:
            doc.spans["issuer"] = span
            doc.spans["level"] = span
        units = [f"{lvl} {name}"]
        order = ["commune", "district", "province"]
        for higher in order[order.index(doc.level) + 1 :]:
            words = {"district": r"(?:huyện|thị xã|quận)", "province": r"tỉnh"}[higher]
            for hm in re.finditer(rf"\b({words})\s+(?=[A-ZĐÀ-Ỹ])", text):
                hname = cap_words(text, hm.end())
                if hname and hname != name and not hname.startswith(("Ủy", "UBND")):
                    units.append(f"{hm.group(1)} {hname}")
                    break
        doc.unit = ", ".join(units)
        if span:
            doc.spans["unit"] = span

    def _unit_name(self, ctx: Context, lvl: str) -> tuple[str | None, Span | None]:
        doc = ctx.plan.document
        candidates: dict[str, int] = {}
        for m in re.finditer(rf"\b{lvl}\s+(?=[A-ZĐÀ-Ỹ])", ctx.text):
            n = cap_words(ctx.text, m.end())
            if n and not n.startswith(("Ủy", "UBND", "Hội", "Ban", "Sở")):
                candidates[n] = candidates.get(n, 0) + 1
        if doc.place and doc.place in candidates:
            return doc.place, None
        if doc.title:
            for n in candidates:
                if n in doc.title:
                    return n, None
        if candidates:
            return max(candidates, key=lambda k: candidates[k]), None
        return None, None

    def _years(self, ctx: Context) -> None:
        doc = ctx.plan.document
        # The plan's own schedule ("IV. LỘ TRÌNH THỰC HIỆN: 1. Giai đoạn 2012-2013. 2. Giai đoạn 2014-2015") wins
        # over the title, whose period may belong to the programme the plan carries out ("Thực hiện Chương
        # trình quốc gia ... giai đoạn 2011-2015").
        roadmap = next((b.marker for b in ctx.blocks if b.kind == "section" and "lộ trình" in b.text.lower()), None)
        if roadmap is not None:
            phases = [
                (b, m) for b in ctx.in_section(roadmap) if b.kind == "item" and (m := _PHASE.match(b.text)) is not None
            ]
            if phases:
                doc.years = [min(int(m.group(1)) for _b, m in phases), max(int(m.group(2)) for _b, m in phases)]
                doc.spans["years"] = Span(phases[0][0].start, phases[-1][0].end, 0.75)
                return
        if not doc.title:
            return
        base = doc.spans["title"].start if "title" in doc.spans else 0
        m = _YEARS_RANGE.search(doc.title)
        if m:
            a, b = (m.group(1), m.group(2)) if m.group(1) else (m.group(3), m.group(4))
            doc.years = [int(a), int(b)]
            doc.spans["years"] = Span(base, base + len(doc.title), 0.8)
            return
        m = _YEAR_ONE.search(doc.title)
        if m:
            doc.years = [int(m.group(1)), int(m.group(1))]
            doc.spans["years"] = Span(base, base + len(doc.title), 0.8)
