"""What the document is: a plan, a decision that issues a plan (both identities kept), or something else.

Evidence is weighed, nothing is refused for its wording: the type in the number ("…/KH-UBND", "…/QĐ-UBND"), the
type line under the header ("KẾ HOẠCH", "QUYẾT ĐỊNH"), what article 1 of a decision does ("Ban hành kèm theo
Quyết định này Kế hoạch …" issues a plan; "Công bố … thủ tục hành chính" publishes procedures), and a second
"KẾ HOẠCH" heading after the decision's articles (the attached plan). A document that is not a plan is named as
what it is in Vietnamese ("Quyết định công bố thủ tục hành chính") so that the person sees why it is not read
as a plan.
"""

from __future__ import annotations

import re

from binhdang.docparse.notes import NO_GENDER
from binhdang.docparse.result import IssuedPlan, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value

__all__ = ["VerdictRule", "decide"]

# Document types read as plans (Decree 30/2020 symbols): plans, programmes, schemes, options, guidance.
PLAN_KINDS = frozenset({"KH", "CTr", "ĐA", "PA", "HD"})
_KIND_NAMES = {
    "QĐ": "Quyết định",
    "NQ": "Nghị quyết",
    "CT": "Chỉ thị",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "TTr": "Tờ trình",
    "CV": "Công văn",
    "GM": "Giấy mời",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "QC": "Quy chế",
    "QyĐ": "Quy định",
}
_ARTICLE_1 = re.compile(r"(?:^|\n)Điều\s*1\s*[.:]?\s*(?P<t>[^\n]{0,600})")
_ISSUES_PLAN = re.compile(
    r"^(?:Ban hành|Phê duyệt)(?:\s+kèm theo(?:\s+Quyết định(?:\s+này)?)?)?\s+(?:các\s+|bản\s+)?"
    r"(?P<what>Kế hoạch|Chương trình|Đề án|Phương án)",
    re.IGNORECASE,
)
_TITLE_ISSUES_PLAN = re.compile(
    r"\b(?:BAN HÀNH|PHÊ DUYỆT)\s+(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN)\b", re.IGNORECASE
)
_PLAN_HEADING = re.compile(r"^(?:KẾ HOẠCH|CHƯƠNG TRÌNH|ĐỀ ÁN|PHƯƠNG ÁN)\s*$", re.MULTILINE)
_ATTACHED = re.compile(r"^[*_\s]*\(?\s*(?:Ban hành\s+)?[Kk]èm theo\b", re.IGNORECASE)
_PROCEDURES = re.compile(r"thủ tục hành chính", re.IGNORECASE)
_PUBLISH = re.compile(r"^(?:về việc\s+)?(?:công bố)", re.IGNORECASE)
_SIMPLIFY = re.compile(r"phương án đơn giản hóa", re.IGNORECASE)
# Any case: "Bình đẳng giới" opens sentences and headings as often as it sits inside them.
_GENDER = re.compile(r"bình đẳng giới|tiến bộ (?:của )?phụ nữ|VSTBPN", re.IGNORECASE)
_PLAN_CODE = re.compile(r"Kế hoạch số\s+(?P<c>\d{1,5}\s*/\s*[A-ZĐ][A-Za-zĐđ-]*)")


def _name_of_decision(title: str | None) -> str:
    """What a decision that issues no plan does, in words ("Quyết định công bố thủ tục hành chính")."""
    t = clean_value(title or "")
    low = t.lower()
    if _PROCEDURES.search(t):
        if _SIMPLIFY.search(t):
            return "Quyết định thông qua phương án đơn giản hóa thủ tục hành chính"
        if _PUBLISH.search(low) or "công bố" in low:
            return "Quyết định công bố thủ tục hành chính"
        return "Quyết định về thủ tục hành chính"
    words = re.sub(r"^về việc\s+", "", low).split()
    return ("Quyết định " + " ".join(words[:10])).strip() if words else "Quyết định"


def decide(ctx: Context) -> None:
    """Set ``verdict``, ``not_plan`` and ``issued_plan`` on the plan from the evidence in the text."""
    plan = ctx.plan
    doc = plan.document
    kind = doc.kind
    text = ctx.text
    if kind == "QĐ":
        art = _ARTICLE_1.search(text)
        art_text = clean_value(art["t"]) if art else ""
        issues = bool(_ISSUES_PLAN.match(art_text)) or bool(doc.title and _TITLE_ISSUES_PLAN.search(doc.title))
        if issues:
            plan.verdict = "decision-issuing-plan"
            plan.issued_plan = _issued_plan(ctx, art.end() if art else 0)
            return
        plan.verdict = "not-plan"
        plan.not_plan = _name_of_decision(doc.title)
        return
    if kind is not None and kind not in PLAN_KINDS and kind in _KIND_NAMES:
        plan.verdict = "not-plan"
        plan.not_plan = _KIND_NAMES[kind]


def _issued_plan(ctx: Context, after: int) -> IssuedPlan:
    """The attached plan: the title lines under the "KẾ HOẠCH" heading that follows the decision's articles."""
    text = ctx.text
    issued = IssuedPlan()
    m = _PLAN_HEADING.search(text, after)
    if m is not None:
        lines: list[str] = []
        start = end = None
        for lm in re.finditer(r"[^\n]+", text[m.end() : m.end() + 1500]):
            line = lm.group(0).strip()
            if _ATTACHED.match(line) or re.match(r"^(?:[IVX]+\.|\d+\.|Căn cứ|Thực hiện|Phần\s)", line):
                break
            lines.append(line)
            start = m.end() + lm.start() if start is None else start
            end = m.end() + lm.end()
            if len(lines) >= 4:
                break
        if lines and start is not None and end is not None:
            issued.title = clean_value(" ".join(lines)).rstrip(".")
            issued.spans["title"] = Span(start, end, 0.85)
    else:
        # No attached heading: the plan's name as article 1 gives it.
        art = _ARTICLE_1.search(text)
        if art:
            im = _ISSUES_PLAN.match(clean_value(art["t"]))
            if im:
                rest = clean_value(art["t"])[im.start("what") :]
                issued.title = rest.split(".")[0].strip()
                issued.spans["title"] = Span(art.start("t"), art.end("t"), 0.6)
    cm = _PLAN_CODE.search(text, after)
    if cm and m is not None and cm.start() < m.start():
        issued.code = re.sub(r"\s+", "", cm["c"])
        issued.spans["code"] = Span(cm.start("c"), cm.end("c"), 0.7)
    return issued


class VerdictRule:
    name = "verdict"
    priority = 95

    def test(self, ctx: Context) -> bool:
        return True

    def run(self, ctx: Context) -> None:
        decide(ctx)
        if ctx.plan.verdict != "not-plan" and not _GENDER.search(ctx.text):
            ctx.plan.notes.append(NO_GENDER)
