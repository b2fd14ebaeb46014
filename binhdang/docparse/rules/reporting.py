"""Reporting deadlines: "6 tháng đầu năm (trước ngày 10/6)" → semiannual "--06-10", to whom, through whom."""

from __future__ import annotations

import re

from binhdang.docparse.result import Report, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, find_agencies
from binhdang.lib.dates import yearly_day

__all__ = ["ReportingRule", "report_kind"]

_DUE = re.compile(r"trước\s+ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?!\s*/\s*\d)")
_SEGMENT = re.compile(
    r"(?P<seg>(?:báo cáo\s+)?(?:định kỳ\s+)?(?:\d{1,2}\s+tháng(?:\s+(?:đầu|cuối)\s+năm)?|hàng năm|hằng năm|"
    r"năm(?:\s+\d{4})?|quý|hàng quý|hàng tháng)\s*\(\s*(?:chậm nhất\s+)?trước\s+ngày\s+(?P<d>\d{1,2})\s*/\s*"
    r"(?P<m>\d{1,2})\s*\))",
    re.IGNORECASE,
)


def report_kind(s: str) -> str:
    t = s.lower()
    if re.search(r"\b0?6 tháng|sáu tháng", t):
        return "semiannual"
    if re.search(r"\b0?9 tháng", t):
        return "ninemonth"
    if "quý" in t:
        return "quarterly"
    if "hàng tháng" in t or "hằng tháng" in t:
        return "monthly"
    if "sơ kết" in t or "giữa kỳ" in t:
        return "midterm"
    if "tổng kết" in t or re.search(r"giai đoạn\s+\d{4}\s*[-–]\s*\d{4}", t):
        return "final"
    if "đột xuất" in t:
        return "adhoc"
    return "annual"


def _recipient(text: str, after: int) -> tuple[str | None, str | None]:
    to = through = None
    m = re.search(r"(?:báo cáo|gửi)\s+(?:kết quả thực hiện\s+)?(?:về\s+)?(?=Ủy ban|UBND|Sở|Phòng|Ban)", text)
    if m is None:
        m = re.search(r"\bvề\s+(?=Ủy ban|UBND|Sở|Phòng|Ban)", text[after:])
        if m is not None:
            found = find_agencies(text, after + m.end())
            to = found[0][0] if found else None
            rest = text[after + m.end():]
        else:
            return None, None
    else:
        found = find_agencies(text, m.end())
        to = found[0][0] if found else None
        rest = text[m.end():]
    q = re.search(r"\((?:qua|thông qua)\s+([^)]+)\)", rest[:200])
    if q:
        through = clean_value(q.group(1))
    return to, through


class ReportingRule:
    name = "reporting"
    priority = 70

    def test(self, ctx: Context) -> bool:
        return bool(_DUE.search(ctx.text))

    def run(self, ctx: Context) -> None:
        reports: list[Report] = []
        for b in ctx.blocks:
            if b.kind == "footnote" or not _DUE.search(b.text) or "báo cáo" not in b.text.lower():
                continue
            text = b.text
            segs = list(_SEGMENT.finditer(text))
            if segs:
                to, through = _recipient(text, segs[-1].end())
                for s in segs:
                    seg = clean_value(s["seg"])
                    reports.append(Report(
                        kind=report_kind(seg), due=yearly_day(int(s["d"]), int(s["m"])), to=to, through=through,
                        text=seg, spans={"text": Span(b.start + s.start(), b.start + s.end(), 0.85)},
                    ))
                continue
            for d in _DUE.finditer(text):
                to, through = _recipient(text, 0)
                try:
                    due = yearly_day(int(d["d"]), int(d["m"]))
                except ValueError:
                    continue
                reports.append(Report(
                    kind=report_kind(text), due=due, to=to, through=through, text=clean_value(text),
                    spans={"due": Span(b.start + d.start(), b.start + d.end(), 0.9),
                           "text": Span(b.start, b.end, 0.8)},
                ))
        ctx.plan.reporting = reports
