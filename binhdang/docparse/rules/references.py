"""Cited documents: "Quyết định số 1241/QĐ-TTg ngày 22/7/2011 của Thủ tướng Chính phủ phê duyệt ...".

Each mention gives kind, code, number, date, issuer and title where the text states them; a list sharing one
issuer ("Quyết định số 953/... ngày ..., số 1388/... ngày ... của Bộ ...") shares it; a footnote mark after a
reference gives its title. Mentions of one code merge (first mention decides order and relation). Relation:
``basis`` in the opening paragraphs, ``parent`` for the plan of the level directly above, else ``cited``.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from binhdang.docparse.normalise import SUPERSCRIPTS
from binhdang.docparse.result import Reference, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value
from binhdang.lib.dates import parse_vn_date

__all__ = ["ReferencesRule"]

_KIND_WORDS = {
    "quyết định": "QĐ",
    "nghị quyết": "NQ",
    "kế hoạch": "KH",
    "công văn": "CV",
    "thông tư": "TT",
    "hướng dẫn": "HD",
    "tờ trình": "TTr",
    "chỉ thị": "CT",
    "nghị định": "NĐ",
    "chương trình": "CTr",
    "đề án": "ĐA",
    "thông báo": "TB",
    "văn bản": "CV",
    "luật": "Luật",
    "thông tư liên tịch": "TTLT",
    "quy định": "QyĐ",
    "báo cáo": "BC",
}
# Symbol parts may end in digits ("QH15", "UBTVQH15": a National Assembly's term).
_SYM = r"[A-ZĐ][A-Za-zĐđ&]*\d*(?:\s?[-/]\s?[A-ZĐ][A-Za-zĐđ&]*\d*|\s[A-ZĐ]{2,}(?=\s?-))*"
# A code cited without "số" ("Nghị quyết 214/NQ-CP", "Kế hoạch 223/KH- UBND"): number, then a symbol of at
# least two parts, each starting with a capital (a date or a unit such as "5G/IoT" never matches).
_BARE = re.compile(
    r"(?<![\w/.-])(?P<num>\d{1,5})(?:/(?P<yr>\d{4}))?(?P<sep>[/-])"
    r"(?P<sym>[A-ZĐ]{1,8}[A-Za-zĐđ&]*\d*(?:\s?[-/]\s?[A-ZĐ][A-Za-zĐđ&]*\d*)+)(?![\w])"
)
# Where a bare code can be: a digit, a separator and a capital ("4/NQ", "57-NQ", "2025/NĐ"); the full pattern is
# tried only there, which is much faster than running it over the whole text.
_BARE_HINT = re.compile(r"\d(?=(?:/\d{4})?[/-][A-ZĐ])")
_KIND_BEFORE = re.compile(
    r"(?P<kind>(?i:Thông tư liên tịch|Quyết định|Nghị quyết|Kế hoạch|Công văn|Thông tư|Hướng dẫn|Tờ trình|"
    r"Chỉ thị|Nghị định|Chương trình|Đề án|Thông báo|Văn bản|Luật|Báo cáo|Kết luận))\s*$"
)
_REF = re.compile(
    r"(?:(?P<kind>(?i:Thông tư liên tịch|Quyết định|Nghị quyết|Kế hoạch|Công văn|Thông tư|Hướng dẫn|Tờ trình|"
    r"Chỉ thị|Nghị định|Chương trình|Đề án|Thông báo|Văn bản|Luật|Báo cáo))\s+)?số\s*:?\s*"
    rf"(?P<num>\d{{1,5}})\s*(?:/\s*(?P<yr>\d{{4}}))?\s*(?P<sep>[/-])\s*(?P<sym>{_SYM})"
)
_TITLE_START = r"(?:về|ban hành|phê duyệt|Phê duyệt|hướng dẫn|Hướng dẫn|V/v|quy định|triển khai|thực hiện)"
_ISSUER = re.compile(
    rf"\s*của\s+(?P<iss>.+?)(?=\s+{_TITLE_START}\b|\s*[;,.(]|"
    r"\s+và\s+(?:các\b|Thông tư|Quyết định|Nghị quyết|Công văn|Kế hoạch|Nghị định)|"
    rf"\s+tại\b|[{SUPERSCRIPTS}]|\n|$)"
)
_ISSUER_BEFORE = re.compile(r"của\s+(?P<iss>[^,;.]{3,120}?)\s+tại\s*$")
_TITLE_END = re.compile(
    r"\s*(?:;|\.(?=\s|$)|\n|\s*\((?:gọi tắt|sau đây gọi)|\s+và\s+các\s+văn\s+bản|"
    rf"[{SUPERSCRIPTS}]|,\s+(?=[A-ZĐÀ-Ỹ]|chủ trì|phối hợp|tham mưu|"
    r"xét|đề nghị|UBND))"
)


_DATE_AFTER = re.compile(
    r"\s*,?\s*(?:ngày\s+)?(?P<d>\d{1,2}\s*/\s*\d{1,2}\s*/\s*\d{4}|\d{1,2}\s+tháng\s+\d{1,2}\s+năm\s+\d{4})"
)


_SO = re.compile(r"số\s*:?\s*\d")


def _ref_matches(text: str) -> list[re.Match[str]]:
    """The matches of ``_REF.finditer(text)``, found faster: the long pattern (with its optional, case-insensitive
    document kind) is only tried in a window around each "số <digit>"."""
    out: list[re.Match[str]] = []
    last = 0
    for c in _SO.finditer(text):
        if c.start() < last:
            continue
        m = _REF.search(text, max(last, c.start() - 40), min(len(text), c.end() + 160))
        if m is not None:
            out.append(m)
            last = m.end()
    return out


@dataclass
class _Mention:
    ref: Reference
    start: int
    end: int  # end of the parsed mention (code/date/issuer/title)
    footnote: str | None = None
    grouped_with_next: bool = False
    spans: dict[str, Span] = field(default_factory=dict)


def _footnotes(ctx: Context) -> dict[str, tuple[str, int, int]]:
    out: dict[str, tuple[str, int, int]] = {}
    for b in ctx.blocks:
        if b.kind == "footnote":
            mark = ctx.text[b.line_start : b.start].strip()
            if mark:
                out[mark] = (clean_value(b.text).rstrip("."), b.start, b.end)
    return out


class ReferencesRule:
    name = "references"
    priority = 20

    def test(self, ctx: Context) -> bool:
        return "số" in ctx.text

    def run(self, ctx: Context) -> None:
        text = ctx.text
        notes = _footnotes(ctx)
        mentions: list[_Mention] = []
        prev: _Mention | None = None
        for m in _ref_matches(text):
            num = m["num"]
            sym = re.sub(r"\s+", "", m["sym"])
            if not re.search(r"[A-ZĐ]{2}|[A-ZĐ][a-z]", sym):
                continue
            code = f"{num}/{m['yr']}/{sym}" if m["yr"] else f"{num}{m['sep']}{sym}"
            kind = _KIND_WORDS.get(m["kind"].lower()) if m["kind"] else None
            between = text[prev.end : m.start()] if prev else ""
            if kind is None and prev is not None and re.fullmatch(r"\s*,\s*", between):
                kind = prev.ref.kind
            if kind is None:
                kind = re.split(r"[-/]", sym)[0]
            if prev is not None and re.fullmatch(r"\s*,\s*", between) and prev.ref.issuer is None:
                prev.grouped_with_next = True
            ref = Reference(kind=kind, code=code, number=num, date=None, issuer=None, title=None, relation="cited")
            spans = {"code": Span(m.start("num"), m.end("sym"), 0.95), "kind": Span(m.start(), m.end("sym"), 0.9)}
            pos = m.end()
            dm = _DATE_AFTER.match(text, pos)
            if dm:
                try:
                    ref.date = parse_vn_date(dm["d"]).isoformat()
                    spans["date"] = Span(dm.start("d"), dm.end("d"), 0.95)
                    pos = dm.end()
                except ValueError:
                    pass
            footnote = None
            fm = re.match(rf"([{SUPERSCRIPTS}]+)", text[pos : pos + 2])
            if fm:
                footnote = fm.group(1)
                pos += fm.end()
            im = _ISSUER.match(text, pos)
            if im and len(im["iss"]) < 150:
                ref.issuer = clean_value(im["iss"])
                spans["issuer"] = Span(im.start("iss"), im.end("iss"), 0.85)
                pos = im.end()
                fm = re.match(rf"([{SUPERSCRIPTS}]+)", text[pos : pos + 2])
                if fm:
                    footnote = fm.group(1)
                    pos += fm.end()
            else:
                bm = _ISSUER_BEFORE.search(text[max(0, m.start() - 160) : m.start()])
                if bm:
                    off = max(0, m.start() - 160)
                    ref.issuer = clean_value(bm["iss"])
                    spans["issuer"] = Span(off + bm.start("iss"), off + bm.end("iss"), 0.8)
            tm = re.match(rf"\s*(?P<t>{_TITLE_START}\b)", text[pos : pos + 30])
            if tm:
                tstart = pos + tm.start("t")
                te = _TITLE_END.search(text, tstart)
                tend = te.start() if te else min(len(text), tstart + 400)
                title = clean_value(text[tstart:tend])
                if title:
                    ref.title = title
                    spans["title"] = Span(tstart, tend, 0.8)
                    pos = tend
            if footnote and footnote in notes and ref.title is None:
                ftext, fs, fe = notes[footnote]
                ref.title = ftext
                spans["title"] = Span(fs, fe, 0.7)
            mention = _Mention(ref=ref, start=m.start(), end=pos, footnote=footnote, spans=spans)
            ref.spans = spans
            mentions.append(mention)
            prev = mention
        mentions.extend(self._bare(text, mentions))
        mentions.sort(key=lambda mt: mt.start)
        # A list sharing one issuer: "số A ngày ..., số B ngày ... của X <title>".
        for i in range(len(mentions) - 2, -1, -1):
            cur, nxt = mentions[i], mentions[i + 1]
            if cur.grouped_with_next:
                if cur.ref.issuer is None and nxt.ref.issuer:
                    cur.ref.issuer = nxt.ref.issuer
                    if "issuer" in nxt.spans:
                        cur.spans["issuer"] = Span(nxt.spans["issuer"].start, nxt.spans["issuer"].end, 0.7)
                if cur.ref.title is None and nxt.ref.title and cur.footnote is None:
                    cur.ref.title = nxt.ref.title
                    if "title" in nxt.spans:
                        cur.spans["title"] = Span(nxt.spans["title"].start, nxt.spans["title"].end, 0.6)
        preamble_end = ctx.blocks[ctx.body_start()].start if ctx.body_start() < len(ctx.blocks) else len(text)
        own = ctx.plan.document.code
        merged: dict[str, Reference] = {}
        for mt in mentions:
            r = mt.ref
            if own and r.code == own:
                continue
            if r.code in merged:
                first = merged[r.code]
                for attr in ("date", "issuer", "title"):
                    if getattr(first, attr) is None and getattr(r, attr) is not None:
                        setattr(first, attr, getattr(r, attr))
                        if attr in r.spans:
                            first.spans[attr] = r.spans[attr]
                continue
            r.relation = "basis" if mt.start < preamble_end else "cited"
            merged[r.code] = r
        refs = list(merged.values())
        self._parent(ctx, refs)
        ctx.plan.references = refs

    def _bare(self, text: str, mentions: list[_Mention]) -> list[_Mention]:
        """Codes cited without "số", outside the mentions already read."""
        taken = sorted((mt.start, mt.end) for mt in mentions)
        starts = [s for s, _e in taken]
        out: list[_Mention] = []
        last_end = 0
        for hint in _BARE_HINT.finditer(text):
            # Back up from the separator to the start of the number ("214" in "214/NQ-CP").
            start = hint.start()
            while start > 0 and start > hint.start() - 5 and text[start - 1].isdigit():
                start -= 1
            if start < last_end:
                continue
            m = _BARE.match(text, start)
            if m is None:
                continue
            last_end = m.end()
            k = bisect.bisect_right(starts, m.start()) - 1
            if k >= 0 and taken[k][0] <= m.start() < taken[k][1]:
                continue
            sym = re.sub(r"\s+", "", m["sym"])
            if not re.search(r"[A-ZĐ]{2}|[A-ZĐ][a-z]", sym):
                continue
            code = f"{m['num']}/{m['yr']}/{sym}" if m["yr"] else f"{m['num']}{m['sep']}{sym}"
            km = _KIND_BEFORE.search(text, max(0, m.start() - 25), m.start())
            kind = _KIND_WORDS.get(km["kind"].lower()) if km else None
            ref = Reference(
                kind=kind or re.split(r"[-/]", sym)[0],
                code=code,
                number=m["num"],
                date=None,
                issuer=None,
                title=None,
                relation="cited",
            )
            spans = {"code": Span(m.start("num"), m.end("sym"), 0.85)}
            dm = _DATE_AFTER.match(text, m.end())
            end = m.end()
            if dm:
                try:
                    ref.date = parse_vn_date(dm["d"]).isoformat()
                    spans["date"] = Span(dm.start("d"), dm.end("d"), 0.9)
                    end = dm.end()
                except ValueError:
                    pass
            ref.spans = spans
            out.append(_Mention(ref=ref, start=km.start() if km else m.start(), end=end, spans=spans))
        return out

    def _parent(self, ctx: Context, refs: list[Reference]) -> None:
        level = ctx.plan.document.level
        above = {"commune": "district", "district": "province", "province": "national"}.get(level or "")
        if above is None:
            return
        for r in refs:
            if r.relation != "basis" or r.kind != "KH":
                continue
            probe = (r.issuer or "") + " | " + (r.title or "")
            if r.issuer:
                probe = r.issuer
            lvl = _ref_level(probe)
            if lvl is None and r.title:
                lvl = _ref_level(r.title)
            if lvl == above:
                r.relation = "parent"


def _ref_level(s: str) -> str | None:
    low = s.lower()
    if re.search(r"\b(?:bộ|chính phủ|thủ tướng|trung ương)\b", low):
        return "national"
    if re.search(r"\b(?:xã|phường|thị trấn)\b", low) and not re.search(r"\b(?:tỉnh|huyện)\b", low):
        return "commune"
    if re.search(r"\b(?:huyện|quận|thị xã)\b", low):
        return "district"
    if re.search(r"\btỉnh\b|thành phố", low):
        return "province"
    return None
