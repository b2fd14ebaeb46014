"""Reporting deadlines: "6 tháng đầu năm (trước ngày 10/6)" → semiannual "--06-10", to whom, through whom."""

from __future__ import annotations

import re

from binhdang.docparse.result import Report, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, find_agencies
from binhdang.docparse.rules.deadlines import extra_deadlines
from binhdang.lib.dates import yearly_day

__all__ = ["ReportingRule", "report_kind"]

# "(?!\d)": in "15/12/2026" the month is 12, never 1 followed by a year cut short.
_DUE = re.compile(r"trước\s+ngày\s+(?P<d>\d{1,2})\s*/\s*(?P<m>\d{1,2})(?!\d)(?!\s*/\s*\d)")
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
            rest = text[after + m.end() :]
        else:
            return None, None
    else:
        found = find_agencies(text, m.end())
        to = found[0][0] if found else None
        rest = text[m.end() :]
    q = re.search(r"\((?:qua|thông qua)\s+([^)]+)\)", rest[:200])
    if q:
        through = clean_value(q.group(1))
    return to, through


class ReportingRule:
    name = "reporting"
    priority = 70

    def test(self, ctx: Context) -> bool:
        return "báo cáo" in ctx.text or "Báo cáo" in ctx.text or "kết" in ctx.text

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
                    reports.append(
                        Report(
                            kind=report_kind(seg),
                            due=yearly_day(int(s["d"]), int(s["m"])),
                            to=to,
                            through=through,
                            text=seg,
                            spans={"text": Span(b.start + s.start(), b.start + s.end(), 0.85)},
                        )
                    )
                continue
            for d in _DUE.finditer(text):
                to, through = _recipient(text, 0)
                try:
                    due = yearly_day(int(d["d"]), int(d["m"]))
                except ValueError:
                    continue
                # The kind comes from the sentence that holds the day: a paragraph may also speak of the
                # mid-term review ("giữa kỳ") of another sentence.
                cs = max(text.rfind(". ", 0, d.start()) + 1, text.rfind(";", 0, d.start()) + 1, 0)
                ce_m = re.search(r"\.(?:\s|$)|;|\s+và\s+báo cáo", text[d.end() :])
                ce = d.end() + ce_m.start() if ce_m else len(text)
                reports.append(
                    Report(
                        kind=report_kind(text[cs:ce]),
                        due=due,
                        to=to,
                        through=through,
                        text=clean_value(text),
                        spans={
                            "due": Span(b.start + d.start(), b.start + d.end(), 0.9),
                            "text": Span(b.start, b.end, 0.8),
                        },
                    )
                )
        reports.extend(_undated(ctx, reports))
        reports.extend(extra_deadlines(ctx, reports))
        ctx.plan.reporting = reports


_ADHOC = re.compile(r"báo cáo\s+(?:định kỳ,\s*)?đột xuất\b[^;.]*?\bgửi\s+(?=[A-ZĐÀ-Ỹ])", re.IGNORECASE)
_REVIEW = re.compile(
    r"(?P<mid>đánh giá giữa kỳ|sơ kết)[^;.]*?\bvào năm\s+\d{4}"
    r"|(?P<fin>tổng kết|đánh giá)[^;.]*?\bkhi kết thúc vào năm\s+\d{4}",
    re.IGNORECASE,
)


def _undated(ctx: Context, dated: list[Report]) -> list[Report]:
    """Reports without a deadline day: an ad hoc report sent to a named body ("báo cáo định kỳ, đột xuất ... gửi Sở
    ..."), then the reviews the plan schedules for a year ("đánh giá giữa kỳ vào năm 2013", "... khi kết thúc vào
    năm 2015"). Each entry's text is its clause (between ";" or sentence ends)."""
    reports: list[Report] = []
    reviews: list[Report] = []
    for b in ctx.blocks:
        if b.kind in {"footnote", "table"} or b.section == "_end":
            continue
        low = (
            b.text.lower()
            if ("đột xuất" in b.text or "kết thúc" in b.text or "giữa kỳ" in b.text or "ơ kết" in b.text)
            else ""
        )
        if not low:
            continue
        for m in _ADHOC.finditer(b.text):
            found = find_agencies(b.text, m.end())
            if not found:
                continue
            end = b.text.find(";", m.end())
            end = len(b.text) if end < 0 else end
            text = clean_value(b.text[m.start() : end]).rstrip(".")
            if any(r.text == text for r in dated):
                continue
            reports.append(
                Report(
                    kind="adhoc",
                    due=None,
                    to=found[0][0],
                    through=None,
                    text=text,
                    spans={"text": Span(b.start + m.start(), b.start + end, 0.75)},
                )
            )
        for m in _REVIEW.finditer(b.text):
            cstart = max(b.text.rfind(";", 0, m.start()) + 1, b.text.rfind(". ", 0, m.start()) + 1, 0)
            text = clean_value(b.text[cstart : m.end()])
            reviews.append(
                Report(
                    kind="midterm" if m["mid"] else "final",
                    due=None,
                    to=None,
                    through=None,
                    text=text,
                    spans={"text": Span(b.start + cstart, b.start + m.end(), 0.7)},
                )
            )
    return reports + reviews
