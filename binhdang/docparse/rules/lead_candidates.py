"""Where plans name a task's doer, read as candidates (a span of text, its lead and partners): per-agency
headings, "Đơn vị chủ trì:" assignment lines, "X chủ trì ..." sentences and task tables with a "chủ trì" column.

The leads rule (``leads``) assigns the candidates to tasks.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from binhdang.docparse.blocks import Block
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import (
    clean_value,
    find_agencies,
    is_group,
    section_kind,
)
from binhdang.docparse.rules.lead_names import (
    LEAD_START,
    heading_lead,
    lead_and_partners,
    partners_in_text,
    sentence_lead,
    split_partners,
    subject_lead,
)

__all__ = ["Candidate", "find_assignments", "find_headings", "find_sentences", "find_tables"]

# Words that start a lead only where the text assigns duties (a "Tổ chức thực hiện" or "Phân công trách nhiệm"
# part): elsewhere "3. Doanh nghiệp số" is a topic, not a doer.
_WEAK_LEAD = re.compile(
    r"^(?:Đề nghị\s+)?(?:Doanh nghiệp|Đơn vị|Cơ quan|Tổ(?!\s+chức)|Trường|Hội đồng|Quỹ|Công ty|Tổng công ty|"
    r"Nhà mạng|Chủ đầu tư|Chủ cơ sở|Các\s+(?:doanh nghiệp|cơ sở|đơn vị|cơ quan|tổ chức|ngành|hợp tác xã|trường))\b"
)
_ASSIGNING = re.compile(r"tổ chức thực hiện|trách nhiệm|phân công|nhiệm vụ của các|giao nhiệm vụ", re.IGNORECASE)
# The closing paragraphs ("Ủy ban nhân dân Thành phố yêu cầu các Sở ...", "Trên đây là Kế hoạch ...") end the
# per-agency paragraphs.
_CLOSING = re.compile(r"^(?:(?:Ủy ban nhân dân|UBND)(?:\s+\S+){1,3}?\s+yêu cầu|Yêu cầu\b|Trên đây\b|Trong quá trình\b)")
# "Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân;": a quota in a list, not a duty.
_QUOTA = re.compile(r"^[^:]{2,120}:\s*(?:Không quá|Tối đa|Mỗi|\d)")
# "Căn cứ Kế hoạch này, các sở, ban, ngành ... xây dựng kế hoạch ...": the doer follows the opening phrase.
_BASED_ON = re.compile(
    r"^(?:Căn cứ|Trên cơ sở) [^,]{3,120},\s*(?P<subj>(?:các|Các|Ủy ban|UBND)\s[^.;:]{3,200}?)\s+"
    r"(?:chủ động|xây dựng|tổ chức|triển khai|có trách nhiệm|thực hiện|ban hành|nghiên cứu|chỉ đạo)\b"
)
# First letters of the assignment and label lines (a cheap test before their patterns).
_ASSIGN_FIRST = frozenset("-+•ĐđCcTtKkSsNn")
_NOT_TASK = re.compile(r"^(?:Dự án|Tiểu dự án|Nội dung|Mô hình)\s+\d|^(?:Phụ lục|PHỤ LỤC)\b")
_ASSIGN = re.compile(
    r"^(?:[-+•]\s*)?(?P<role>Đơn vị|Cơ quan)\s+(?P<what>chủ trì|phối hợp|thực hiện)[^:]{0,40}:\s*(?P<a>\S.+)$",
    re.IGNORECASE,
)
# Lines that qualify a task rather than being one ("Thời gian thực hiện: Thường xuyên.", "b) Cơ quan thực hiện:").
_LABEL = re.compile(
    r"^(?:Đơn vị|Cơ quan|Thời gian|Thời hạn|Kinh phí|Sản phẩm|Kết quả|Tiến độ|Nguồn kinh phí)\b[^:]{0,50}:",
    re.IGNORECASE,
)
# "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:", "b) Nhiệm vụ của Ủy ban nhân dân cấp xã": a heading that
# says whose duties follow names the doer, whatever words name it.
_DUTIES_OF = re.compile(
    r"^(?:Trách nhiệm|Nhiệm vụ)(?: cụ thể)? của\s+(?!(?:Kế hoạch|Chương trình|Đề án|Chiến lược|Dự án|Quyết định)\b)"
    r"(?P<who>[^:.;]{3,140}?)\s*:?$"
)
_LEVEL = {"section": 0, "letter": 10, "bullet": 20, "para": 30}


def _level(b: Block) -> int:
    if b.kind == "item":
        return b.marker.count(".") + 1
    if b.kind == "bullet":
        return 20 if b.marker != "+" else 21
    return _LEVEL.get(b.kind, 30)


@dataclass
class Candidate:
    start: int
    end: int
    text: str
    lead: str
    partners: list[str] = field(default_factory=list)
    confidence: float = 0.8
    # From an agency heading: the structure names the lead, which wins over a name found at the task's start.
    heading: bool = False
    # The partners "phối hợp với ..." in the text are still to be added (done only for candidates that are used).
    text_partners: bool = False

    def all_partners(self) -> list[str]:
        if self.text_partners:
            self.partners = self.partners + [
                p for p in partners_in_text(self.text, self.lead) if p not in self.partners
            ]
            self.text_partners = False
        return [p for p in self.partners if p != self.lead]


def find_headings(ctx: Context, blocks: list[Block], texts: list[str], exact: set[str]) -> list[Candidate]:
    """Tasks under per-agency headings; ``exact`` gets the names a heading gives in full words (kept as
    printed: "đối tượng thực hiện kiểm kê" is a name, not a name and a verb)."""
    out: list[Candidate] = []
    stack: list[tuple[int, str, list[str]]] = []
    detail_level: int | None = None
    sections = ctx.sections()
    for i, b in enumerate(blocks):
        if b.kind in {"footnote", "table"}:
            continue
        level = _level(b)
        while stack and stack[-1][0] >= level and b.kind != "para":
            stack.pop()
        if b.kind == "section":
            stack.clear()
            detail_level = None
            continue
        text = texts[i]
        hl = heading_lead(text) if b.kind != "section" and LEAD_START.match(text) else None
        if hl is None and b.kind != "section" and text.startswith(("Trách nhiệm của", "Nhiệm vụ")):
            dm = _DUTIES_OF.match(text)
            # Over headings that each name a doer ("1. Nhiệm vụ của thành viên Ban Chỉ đạo" above "1.1.
            # Trưởng Ban Chỉ đạo") it is a title, not a doer.
            nxt_text = texts[i + 1] if i + 1 < len(texts) else ""
            if dm is not None and not (LEAD_START.match(nxt_text) and heading_lead(nxt_text)):
                who = re.sub(r"\s*\([^)]*\)?\s*$", "", dm["who"]).strip()
                exact.add(who)
                hl = (who, None)
        if hl is not None and _WEAK_LEAD.match(hl[0]) and not _assigning(sections, b, blocks, i):
            hl = None
        if hl is not None:
            lead, inline = hl
            lead, head_partners = lead_and_partners(lead)
            nxt = blocks[i + 1] if i + 1 < len(blocks) else None
            if b.kind == "para":
                # "Văn phòng- Thống kê: <task>" inside an agency's item: it does its inline task and leads
                # the bullets after it, until the next item, letter or such paragraph.
                while stack and stack[-1][0] == 15:
                    stack.pop()
                if inline:
                    off = b.start + b.text.find(inline) if inline in b.text else b.start
                    out.append(Candidate(off, b.end, clean_value(inline), lead, head_partners, 0.85, True, True))
                if inline or b.text.rstrip().endswith(":"):
                    stack.append((15, lead, head_partners))
                continue
            has_children = nxt is not None and _level(nxt) > level and nxt.kind != "section"
            # "4. Các cơ sở ...: Theo dõi, giám sát ..." is a task of its own even when paragraphs follow;
            # "1. Sở X: thực hiện các nhiệm vụ sau:" only introduces them.
            if inline and (not has_children or not inline.endswith(":")):
                off = b.start + b.text.find(inline) if inline in b.text else b.start
                out.append(Candidate(off, b.end, clean_value(inline), lead, head_partners, 0.85, True, True))
                if not has_children:
                    continue
            stack.append((level, lead, head_partners))
            continue
        if _CLOSING.match(text):
            stack.clear()
            detail_level = None
            continue
        if text.endswith(":") and b.kind in {"item", "letter", "bullet", "para"}:
            subject = subject_lead(text)
            if subject is not None:
                # "1. Giao Sở X là cơ quan đầu mối, ...; tổ chức thực hiện các nhiệm vụ sau:" leads the items
                # under it.
                stack.append((level, subject, []))
                continue
        if detail_level is not None:
            if level > detail_level:
                continue
            detail_level = None
        if not stack:
            continue
        if _ASSIGN.match(text) or _LABEL.match(text) or _NOT_TASK.match(text) or len(text) < 25:
            continue
        if _QUOTA.match(text):
            continue
        if text[0].islower():
            # A paragraph starting in lower case continues the one before (a page break split it).
            continue
        if text.endswith(":") and len(text) >= 40:
            # A duty that lists its details ("Tham mưu ... quyết định:" above "- Phương án phân bổ vốn ...")
            # is one task; the details are not tasks of their own.
            detail_level = level
        if text.endswith(":") and len(text) < 40:
            continue
        lead, head_partners = stack[-1][1], stack[-1][2]
        own = sentence_lead(text)
        if own is not None and own[1] < 5:
            lead, head_partners = own[0], []
        elif text.startswith("Đề nghị "):
            # "- Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh ... tham gia ...": the bullet names its own doer.
            found = find_agencies(text, len("Đề nghị "))
            if found:
                lead, head_partners = found[0][0], []
        out.append(Candidate(b.start, b.end, text, lead, head_partners, 0.8, True, True))
    return out


def _assigning(sections: dict[str, Block], b: Block, blocks: list[Block], i: int) -> bool:
    """Whether a heading sits in a part of the text that assigns duties (see ``_WEAK_LEAD``)."""
    if b.section is not None:
        sec = sections.get(b.section)
        if sec is not None and (section_kind(sec.text) == "organisation" or _ASSIGNING.search(sec.text)):
            return True
    top = (b.item or "").split(".")[0]
    for prev in reversed(blocks[:i]):
        if prev.kind == "section":
            break
        if prev.kind == "item" and prev.marker == top and _ASSIGNING.search(prev.text):
            return True
    return False


def find_assignments(blocks: list[Block], texts: list[str]) -> list[Candidate]:
    """Tasks followed by assignment lines ("Đơn vị chủ trì: X", "Đơn vị phối hợp: Y", "Thời gian thực hiện:
    ..."): the lines name the lead and partners of the task blocks since the previous group of such lines."""
    out: list[Candidate] = []
    pending: list[Block] = []
    lead: str | None = None
    partners: list[str] = []
    in_labels = False

    def flush() -> None:
        if lead is not None:
            for p in pending:
                text = re.sub(r"^Nhiệm vụ\s*:\s*", "", clean_value(p.text))
                if not text or (text.endswith(":") and len(text) < 40):
                    continue
                off = p.start + max(0, p.text.find(text[:20]))
                out.append(Candidate(off, p.end, text, lead, list(partners), 0.85))

    for b, text in zip(blocks, texts, strict=True):
        m = _ASSIGN.match(text) if text[:1] in _ASSIGN_FIRST else None
        if m:
            names = split_partners(m["a"].rstrip("."))
            if m["what"].lower() in {"chủ trì", "thực hiện"} and names:
                lead = ", ".join(names) if is_group(m["a"]) else names[0]
            elif names:
                partners = names
            in_labels = True
            continue
        if text[:1] in _ASSIGN_FIRST and _LABEL.match(text):
            in_labels = True
            continue
        if in_labels or b.kind in {"section", "item"}:
            flush()
            pending, lead, partners, in_labels = [], None, [], False
        if b.kind in {"section", "item"} and not re.match(r"^Nhiệm vụ\s*:", text):
            continue
        if b.kind != "table":
            pending.append(b)
    flush()
    return out


def find_sentences(blocks: list[Block], texts: list[str]) -> list[Candidate]:
    """Paragraphs whose sentence names its doer: "Sở Y tế chủ trì, phối hợp với ...", "Sở X là cơ quan
    thường trực, ...", "Căn cứ Kế hoạch này, các sở, ban, ngành ... xây dựng kế hoạch ..."."""
    out: list[Candidate] = []
    for b, text in zip(blocks, texts, strict=True):
        if b.kind in {"footnote", "table", "section"}:
            continue
        label_end = text.find(": ", 0, 100)
        after_label = text[label_end + 2 :] if label_end > 0 else ""
        if (
            "chủ trì" not in text
            and not text.startswith(("Căn cứ", "Giao "))
            and not LEAD_START.match(text)
            and not LEAD_START.match(after_label)
        ):
            continue
        if text[:1].islower() or len(text) < 25 or text.endswith(":") or _CLOSING.match(text) or _QUOTA.match(text):
            continue
        lead: str | None = None
        if "chủ trì" in text:
            found = sentence_lead(text)
            lead = found[0] if found else None
        if lead is None:
            lead = subject_lead(text)
        if lead is None and after_label and not LEAD_START.match(text):
            # "b) Thực hiện mở tài khoản: Ủy ban nhân dân xã, phường phối hợp với ...": the doer follows a label.
            lead = subject_lead(after_label)
        if lead is None:
            m = _BASED_ON.match(text)
            if m:
                lead = clean_value(m["subj"]).rstrip(",")
        if lead is None:
            continue
        out.append(Candidate(b.start, b.end, text, lead, [], 0.7, False, True))
    return out


def find_tables(ctx: Context) -> list[Candidate]:
    out: list[Candidate] = []
    cols: dict[str, int] | None = None
    for b in ctx.blocks:
        if b.kind != "table":
            # A group row ("I. Kinh tế số") keeps the table going; text or an appendix heading ends it.
            if len(b.text) > 100 or b.text.startswith(("PHỤ LỤC", "Phụ lục")):
                cols = None
            continue
        cells = b.text.split(" | ")
        low = [c.lower() for c in cells]
        if any("chủ trì" in c for c in low) and len(cells) >= 3:
            cols = {}
            for i, c in enumerate(low):
                if "chủ trì" in c:
                    cols.setdefault("lead", i)
                elif "phối hợp" in c:
                    cols.setdefault("partners", i)
                elif re.search(r"nội dung|nhiệm vụ|giải pháp|hoạt động|chỉ tiêu|tên", c):
                    cols.setdefault("text", i)
            if "text" not in cols:
                cols["text"] = 1 if cols.get("lead") != 1 else 0
            continue
        if cols is None or len(cells) <= cols["lead"] or len(cells) <= cols["text"]:
            continue
        lead = clean_value(cells[cols["lead"]]).strip(" .")
        text = clean_value(cells[cols["text"]])
        if not lead or not text or lead == "-":
            continue
        partners = (
            split_partners(cells[cols["partners"]]) if "partners" in cols and len(cells) > cols["partners"] else []
        )
        off = b.start + b.text.find(cells[cols["text"]])
        lead_names = split_partners(lead)
        out.append(
            Candidate(off, off + len(cells[cols["text"]]), text, lead_names[0] if lead_names else lead, partners, 0.85)
        )
    return out
