"""Reporting deadlines as real plans write them, beside the seeds' "6 tháng đầu năm (trước ngày 10/6)" lists.

Each clause (between sentence ends and semicolons) of the body that asks for a report ("báo cáo", "gửi về")
or a review ("sơ kết", "tổng kết", "giữa kỳ") is read for:

- a dated deadline: "trước ngày 15/12 hằng năm" / "chậm nhất ngày 17 tháng 12" → annual ``--12-15``; "trước
  ngày 20 hằng tháng" → monthly ``---20``; "trước ngày 16 tháng 12 năm 2025", "trước ngày 31/3/2026" → a
  one-off (``once``) ISO date; a quarter or half-year word sets the kind;
- an undated duty: "định kỳ báo cáo" with no period → ``periodic``; "hàng năm"/"hằng quý" with no date →
  annual/quarterly; "sơ kết"/"giữa kỳ" → ``midterm``; "tổng kết" → ``final``; a report due "trong tháng
  11/2025" → a one-off with no day.

What the seed rule already read (same kind and day) is not read twice, and an undated entry is only added
when no entry of its kind was read. When the seed rule found a reporting regime, undated mentions
(reviews, "định kỳ báo cáo") restate it and are not added (docs/golden-notes.md decides the same for the
corpus: "undated periodic reporting mentions that restate a dated duty are not listed again").
"""

from __future__ import annotations

import re

from binhdang.docparse.result import Report, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, find_agencies
from binhdang.lib.dates import yearly_day

__all__ = ["extra_deadlines"]

# A clause ends at ";" or at a full stop followed by a space ("dean06.vn", "15.12" do not end it).
_CLAUSE = re.compile(r"[^.;]+(?:\.(?=\S)[^.;]*)*")
_REPORT = re.compile(r"báo cáo|gửi (?:về|kết quả)|sơ kết|tổng kết|giữa kỳ", re.IGNORECASE)
_BY = r"(?:trước|chậm nhất(?:\s+là)?|trước hoặc vào)\s+ngày\s+"
_ONCE = re.compile(
    _BY
    + r"(?P<d>\d{1,2})\s*(?:/\s*(?P<m>\d{1,2})\s*/\s*(?P<y>\d{4})|\s+tháng\s+(?P<m2>\d{1,2})\s+năm\s+(?P<y2>\d{4}))",
    re.IGNORECASE,
)
_YEARLY = re.compile(
    _BY + r"(?P<d>\d{1,2})\s*(?:/\s*(?P<m>\d{1,2})|\s+tháng\s+(?P<m2>\d{1,2}))(?!\d)(?!\s*(?:/\s*\d|năm\s+\d))",
    re.IGNORECASE,
)
_MONTHLY = re.compile(_BY + r"(?P<d>\d{1,2})\s+(?:hằng|hàng|mỗi)\s+tháng", re.IGNORECASE)
_IN_MONTH = re.compile(r"trong tháng\s+\d{1,2}\s*/\s*\d{4}|trong tháng\s+\d{1,2}\s+năm\s+\d{4}", re.IGNORECASE)
_DUE_LABEL = re.compile(r"^(?:Thời gian|Thời hạn)(?: hoàn thành| thực hiện)?\s*:\s*(?:Trước|trước|Chậm nhất|chậm nhất)")
_EXPLICIT_REVIEW = re.compile(r"[Bb]áo cáo\s+(?:sơ kết|tổng kết|giữa kỳ)")
_PERIODIC = re.compile(r"định kỳ", re.IGNORECASE)
_ANNUAL = re.compile(r"h[àằ]ng năm", re.IGNORECASE)
_QUARTER = re.compile(r"h[àằ]ng quý|mỗi quý", re.IGNORECASE)
_HALF = re.compile(r"\b0?6 tháng|sáu tháng", re.IGNORECASE)
_MIDTERM = re.compile(r"sơ kết|giữa kỳ|\bsơ,\s*tổng kết", re.IGNORECASE)
_FINAL = re.compile(r"tổng kết", re.IGNORECASE)
_REPORT_WORD = re.compile(r"báo cáo", re.IGNORECASE)
# "Chế độ báo cáo gồm báo cáo định kỳ, báo cáo tổng hợp … và báo cáo theo yêu cầu": names the kinds of report
# of a regime set elsewhere, not a duty of its own.
_REGIME_KINDS = re.compile(r"chế độ báo cáo\s*(?:gồm|bao gồm|:)", re.IGNORECASE)


def _recurring_kind(clause: str) -> str:
    if _QUARTER.search(clause) and not _ANNUAL.search(clause):
        return "quarterly"
    if _HALF.search(clause):
        return "semiannual"
    return "annual"


def _to(clause: str) -> str | None:
    m = re.search(r"(?:báo cáo|gửi)\s+(?:kết quả[^,;]{0,40}?\s+)?(?:về\s+)?(?=Ủy ban|UBND|Sở|Bộ|Ban|Công an)", clause)
    if m is None:
        m = re.search(r"\bvề\s+(?=Ủy ban|UBND|Sở|Bộ|Ban|Công an)", clause)
    if m is None:
        return None
    found = find_agencies(clause, m.end())
    return found[0][0] if found else None


def extra_deadlines(ctx: Context, have: list[Report]) -> list[Report]:
    """Deadlines the seed rule did not read (see the module docstring)."""
    regime = bool(have)
    seen = {(r.kind, r.due) for r in have}
    days = {r.due for r in have if r.due is not None}
    kinds = {r.kind for r in have}
    out: list[Report] = []

    def add(kind: str, due: str | None, clause: str, start: int, end: int, conf: float, reported: bool = False) -> None:
        # A review the text asks for and ties a report to, in the same sentence ("báo cáo sơ kết, tổng kết",
        # "tham mưu tổ chức sơ kết, tổng kết; tổng hợp báo cáo ...") is a duty of its own even beside a dated
        # regime (docs/golden-notes.md, "Changed after the reader was written"); a bare "tổ chức sơ kết, tổng
        # kết" with no report restates the regime.
        explicit = kind in {"midterm", "final"} and (reported or _EXPLICIT_REVIEW.search(clause) is not None)
        if (kind, due) in seen or due in days or (due is None and (kind in kinds or (regime and not explicit))):
            return
        seen.add((kind, due))
        kinds.add(kind)
        out.append(
            Report(
                kind=kind,
                due=due,
                to=_to(clause),
                through=None,
                text=clean_value(clause),
                spans={"text": Span(start, end, conf)},
            )
        )

    body = ctx.body_start()
    prev_text = ""
    for b in ctx.blocks[body:]:
        # The closing paragraph ("Trên đây là Kế hoạch ... Định kỳ hằng năm (trước ngày 30 tháng 11) báo cáo
        # ...") often sets the reporting duty; the addressee list ends the text.
        if b.section == "_end" and (b.text.startswith("Nơi nhận") or b.kind != "para"):
            break
        before, prev_text = prev_text, b.text
        if b.kind == "footnote":
            continue
        t = b.text
        # A cheap test first: most blocks ask for no report.
        maybe = "báo cáo" in t or "Báo cáo" in t or "gửi" in t or "kết" in t or "giữa kỳ" in t
        if not maybe and not t.startswith("Thời"):
            continue
        if not _REPORT.search(t) and not (_DUE_LABEL.match(t) and _REPORT_WORD.search(before[-300:])):
            continue
        last_report = -1
        for cm in _CLAUSE.finditer(b.text):
            clause = cm.group(0).strip()
            # "... báo cáo kết quả kiểm kê gửi Bộ Tài chính. Thời gian hoàn thành: Trước ngày 31/5/2026.": the
            # time line after a report (in its paragraph or just before) dates that report.
            # Only a duty that is itself a report ("Báo cáo kết quả ...", "Tổng hợp kết quả, báo cáo ...") is
            # dated by the line: "Thành lập Ban Chỉ đạo ... Thời gian hoàn thành: ..." is a task's deadline.
            due_label = _DUE_LABEL.match(clause) is not None and (
                last_report >= 0 or _REPORT_WORD.search(" ".join(before.split()[:8])) is not None
            )
            if clause and _REPORT.search(clause):
                last_report = cm.start()
            if not clause or (not _REPORT.search(clause) and not due_label):
                continue
            start, end = b.start + cm.start(), b.start + cm.end()
            dated = False
            for m in _MONTHLY.finditer(clause):
                add("monthly", f"---{int(m['d']):02d}", clause, start, end, 0.85)
                dated = True
            for m in _ONCE.finditer(clause):
                if not _REPORT_WORD.search(clause) and not re.search(r"gửi", clause) and not due_label:
                    continue
                try:
                    d, mo, y = int(m["d"]), int(m["m"] or m["m2"]), int(m["y"] or m["y2"])
                    due = f"{y:04d}-{mo:02d}-{d:02d}"
                    yearly_day(d, mo)
                except ValueError:
                    continue
                recurring = _ANNUAL.search(clause) is not None
                add("annual" if recurring else "once", yearly_day(d, mo) if recurring else due, clause, start, end, 0.8)
                dated = True
            for m in _YEARLY.finditer(clause):
                try:
                    due = yearly_day(int(m["d"]), int(m["m"] or m["m2"]))
                except ValueError:
                    continue
                add(_recurring_kind(clause), due, clause, start, end, 0.85)
                dated = True
            review = _MIDTERM.search(clause) is not None or _FINAL.search(clause) is not None
            if review:
                sentence = _sentence(b.text, cm.start(), cm.end())
                reported = _REPORT_WORD.search(sentence) is not None
                if _MIDTERM.search(clause):
                    add("midterm", None, clause, start, end, 0.6, reported)
                if _FINAL.search(clause):
                    add("final", None, clause, start, end, 0.6, reported)
            if dated or not _REPORT_WORD.search(clause):
                continue
            if review and not (_PERIODIC.search(clause) or _QUARTER.search(clause) or _ANNUAL.search(clause)):
                continue
            if _IN_MONTH.search(clause):
                add("once", None, clause, start, end, 0.55)
            elif _QUARTER.search(clause):
                add("quarterly", None, clause, start, end, 0.55)
                if _ANNUAL.search(clause):
                    add("annual", None, clause, start, end, 0.55)
            elif _ANNUAL.search(clause):
                add("annual", None, clause, start, end, 0.55)
            elif _PERIODIC.search(clause) and not _REGIME_KINDS.search(clause):
                add("periodic", None, clause, start, end, 0.55)
    return out


def _sentence(text: str, start: int, end: int) -> str:
    """The sentence of ``text`` holding the clause ``text[start:end]`` (clauses also end at semicolons)."""
    left = max(text.rfind(". ", 0, start), text.rfind(".\n", 0, start))
    right = [i for i in (text.find(". ", end), text.find(".\n", end)) if i >= 0]
    return text[left + 1 : min(right) if right else len(text)]
