"""Task leads as real plans assign them, beside the seeds' layouts read by ``tasks_agencies``.

Three ways a plan names who leads a task, each read as structure:

- **per-agency paragraphs**: a heading that is only an agency ("2.3. Công an tỉnh", "a) Sở Tài chính:",
  "Đề nghị Liên đoàn Lao động tỉnh") leads every item, letter, bullet and paragraph under it until the next
  heading of its level or above; "1. Sở Tài chính: <text>" is one task;
- **assignment lines**: "Đơn vị chủ trì: Sở Khoa học và Công nghệ" / "Cơ quan phối hợp: ..." inside a numbered
  task give the lead and partners of that task's items;
- **sentences**: "Giao Công an tỉnh chủ trì, phối hợp với ..." / "Sở Y tế chủ trì ..." name the lead;
- **task tables**: a table whose header has a "chủ trì" column (and a "Nội dung"/"Nhiệm vụ" column, a "phối
  hợp" column) gives one task per row.

A lead that is a group of bodies ("Ủy ban nhân dân các xã, phường", "các sở, ban, ngành") is kept as written
with ``group`` set. A block another rule already made a task of keeps that task (its lead is filled in when it
had none); other blocks become new tasks.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Span, Task
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import (
    AGENCY_START,
    clean_value,
    find_agencies,
    is_group,
    is_member_list,
    section_kind,
    split_agency_list,
)
from binhdang.docparse.rules.tasks_agencies import _heading_bodies

__all__ = ["LeadsRule", "is_group"]

# Words a lead may start with: bodies, their heads, and groups of them.
_LEAD_START = re.compile(
    r"^(?:Đề nghị\s+)?(?:(?:Giám đốc|Thủ trưởng|Chủ tịch|Trưởng|Phó Trưởng|Thành viên|Người đứng đầu)\s+)?"
    r"(?:Sở|Ban(?!\s+hành\b)|Phòng|Hội(?!\s+(?:nghị|thảo|thi)\b)|Ủy ban|Uỷ ban|UBND|Đài|Báo(?!\s+cáo\b)|Công an|"
    r"Trạm|Liên đoàn|Liên hiệp|Hiệp hội|Trung tâm|Văn phòng|Tỉnh đoàn|Thành đoàn|Đoàn|Cục|Chi cục|Bộ Chỉ huy|"
    r"Bộ đội|Mặt trận|Ngân hàng|Bảo hiểm|Viện|Tòa án|Thanh tra|Kho bạc|Chi nhánh|Cảng vụ|Cơ quan|Đơn vị|"
    r"Doanh nghiệp|Trường|Học viện|Bệnh viện|Hội đồng|Tổ(?!\s+chức\b)|Thường trực|Quỹ|Công ty|Tổng công ty|"
    r"Viettel|VNPT|Điện lực|Hải quan|Thuế|Chủ đầu tư|Chủ cơ sở|Ban Chỉ đạo|Ban Quản lý|Nhà mạng|"
    r"(?:Các|(?<=Đề nghị )các)\s+(?:sở|Sở|ban|Ban|ngành|cơ quan|đơn vị|xã|phường|tổ chức|doanh nghiệp|"
    r"chủ đầu tư|cơ sở|hội|Hội|trường|"
    r"địa phương|đoàn thể|thành viên|nhà mạng|ngân hàng|Ngân hàng|UBND|Ủy ban|phòng|Phòng|lực lượng|hợp tác xã|"
    r"Trung tâm|trung tâm|bệnh viện|tổ|Tổ|huyện|đài|báo|cơ quan))\b"
)
_HEAD_ROLE = re.compile(r"^(?:Trưởng|Phó Trưởng|Thành viên|Chủ tịch|Giám đốc|Thủ trưởng)\b")
# A sentence verb shows the heading is a task, not a name.
_VERB = re.compile(
    r"\b(?:chủ trì|phối hợp|tham mưu|thực hiện|triển khai|hướng dẫn|theo dõi|chỉ đạo|thúc đẩy|"
    r"có trách nhiệm|chịu trách nhiệm|căn cứ|đảm bảo|bảo đảm|tăng cường|rà soát)\b"
)
# A subject at the start of a sentence: "Giao Sở X là cơ quan đầu mối, chủ trì ...", "Sở Y tế chủ trì ...".
_SUBJECT_VERB = re.compile(
    r"\s*,?\s*(?:là cơ quan|làm đầu mối|là đầu mối|chủ trì|có trách nhiệm|chịu trách nhiệm|phối hợp|tham mưu|"
    r"thực hiện|triển khai|tổ chức|chỉ đạo|xây dựng|hướng dẫn|theo dõi|thúc đẩy|rà soát|căn cứ|chủ động|"
    r"tăng cường|phân công|bố trí|đôn đốc|kiểm tra|cập nhật|cung cấp|định kỳ|thường xuyên|khẩn trương)\b"
)
_TAIL_VERB = re.compile(
    r"\s+(?:chủ trì|chỉ đạo|thúc đẩy|phối hợp|tham mưu|thực hiện|có trách nhiệm|chịu trách nhiệm|theo dõi|"
    r"hướng dẫn|là cơ quan)\b.*$"
)
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
_BARE_WORDS = frozenset({"Các", "Ban", "Sở", "Phòng", "Hội", "Sở, ngành", "Đơn vị", "Cơ quan"})
_BAD_LEAD = re.compile(r"^(?:Báo cáo|Ban hành|Tổ chức|Các bước|Hội nghị|Kết quả)\b")
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
_CHU_TRI = re.compile(r"\s+(?:là cơ quan\s+)?chủ trì\b")
_GIAO = re.compile(r"(?:^|[.;:]\s+|\bgiao\s+|\bGiao\s+)(?=\S)")
_PARTNERS = re.compile(r"phối hợp(?: chặt chẽ)?(?: với)?\s+", re.IGNORECASE)
# "1.5. Trách nhiệm của đối tượng thực hiện kiểm kê:", "b) Nhiệm vụ của Ủy ban nhân dân cấp xã": a heading that
# says whose duties follow names the doer, whatever words name it.
_DUTIES_OF = re.compile(
    r"^(?:Trách nhiệm|Nhiệm vụ)(?: cụ thể)? của\s+(?!(?:Kế hoạch|Chương trình|Đề án|Chiến lược|Dự án|Quyết định)\b)"
    r"(?P<who>[^:.;]{3,140}?)\s*:?$"
)


_LEVEL = {"section": 0, "letter": 10, "bullet": 20, "para": 30}
_NO_TASKS = {"aims", "budget", "reporting"}
_PROJECT_IMPL = re.compile(
    r"^Cơ quan (?:thực hiện|chủ trì)[^:]{0,20}(?:Dự án|dự án|Mô hình|mô hình)[^:]{0,20}:", re.IGNORECASE
)


def _level(b: Block) -> int:
    if b.kind == "item":
        return b.marker.count(".") + 1
    if b.kind == "bullet":
        return 20 if b.marker != "+" else 21
    return _LEVEL.get(b.kind, 30)


def _heading_lead(text: str) -> tuple[str, str | None] | None:
    """(lead, inline task text) when a heading is an agency ("Sở Tài chính:", "1. Sở Y tế: chủ trì ...")."""
    t = clean_value(text).strip()
    head, colon, rest = t.partition(":")
    head = head.strip()
    if not _LEAD_START.match(head) or len(head) > (160 if not rest.strip() else 110) or head.endswith("."):
        return None
    name = re.sub(r"^Đề nghị\s+", "", head)
    name = re.sub(r"\s+(?:có trách nhiệm|chịu trách nhiệm)\s*$", "", name)
    name = re.sub(r"\s*\([^)]*\)\s*$", "", name).strip()
    # An apposition ("Sở Tài chính - Cơ quan thường trực Ban Chỉ đạo", "..., là cơ quan đầu mối") ends the name.
    name = re.split(r"\s+[-–]\s+(?=[Cc]ơ quan)|,\s*(?:là\s+)?[Cc]ơ quan\b", name)[0].strip()
    if _VERB.search(name):
        return None
    inline = (rest.strip() or None) if colon else None
    if inline is not None and is_member_list(inline):
        # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền, Gò Công Đông": the group's members belong to its name.
        return f"{name}: {inline.rstrip('.; ')}", None
    if inline is not None and (len(inline) < 25 or re.match(r"^(?:\d|Không quá|Tối đa|Mỗi|Đối với)", inline)):
        # "Ban Chỉ đạo bầu cử của tỉnh: Không quá 05 cá nhân": a quota, not a duty.
        return None
    return name, inline


def clean_lead(lead: str) -> str:
    """A lead without the verb a table cell or a heading runs on with ("Sở Y tế chủ trì", "Sở X thúc đẩy, ...")."""
    return _TAIL_VERB.sub("", lead).strip(" ,;:") or lead


def _subject_lead(text: str) -> str | None:
    """The agency a sentence opens with, when a verb follows it ("Giao Sở X là cơ quan đầu mối, chủ trì ...")."""
    m = re.match(r"^(?:Giao\s+|Đề nghị\s+)?", text)
    pos = m.end() if m else 0
    found = find_agencies(text, pos)
    if not found:
        return None
    name, _s, end = found[0]
    if _SUBJECT_VERB.match(text, end):
        return name
    return None


def _sentence_lead(text: str) -> tuple[str, int] | None:
    """The agency before "chủ trì" in a sentence ("Giao Công an tỉnh chủ trì, phối hợp ...")."""
    for m in _CHU_TRI.finditer(text):
        window_start = max(0, m.start() - 140)
        best: tuple[str, int] | None = None
        for g in AGENCY_START.finditer(text, window_start, m.start()):
            pos = g.start()
            if pos and not text[pos - 1].isspace():
                continue
            found = find_agencies(text, pos)
            if found and found[0][2] >= m.start() - 2:
                best = (found[0][0], found[0][1])
                break
        if best is not None:
            return best
    return None


def _partners(text: str, lead: str | None) -> list[str]:
    out: list[str] = []
    for m in _PARTNERS.finditer(text):
        probe = text[m.end() :]
        if probe[:1].islower() and re.match(r"(?:các|cơ quan|đơn vị)\b", probe):
            end = re.search(
                r"[,;.]?\s+(?:tham mưu|thực hiện|triển khai|tổ chức|xây dựng|hướng dẫn|rà soát|để|trong)\b", probe
            )
            cut = probe[: end.start()] if end else probe[:80]
            name = clean_value(cut).rstrip(",;. ")
            if name and name not in out:
                out.append(name)
            continue
        for name, _s, _e in find_agencies(text, m.end()):
            if name != lead and name not in out:
                out.append(name)
    return out


def _lead_and_partners(name: str) -> tuple[str, list[str]]:
    """A heading naming several bodies ("Viện kiểm sát nhân dân tỉnh, Tòa án nhân dân tỉnh") is led by the first;
    a group ("Các Sở, ban, ngành", "Ủy ban nhân dân xã, phường") stays whole; an apposition in lower case
    ("Sở ..., thường trực Ban Vì sự tiến bộ phụ nữ tỉnh") is not part of the name (the seed rule's reading)."""
    bodies = _heading_bodies(name)
    if bodies:
        name = bodies[0]
    parts = split_agency_list(name)
    if len(parts) > 1 and not is_group(parts[0]):
        return parts[0], parts[1:]
    head, sep, tail = name.partition(" và các ")
    if sep and head and not is_group(head) and _LEAD_START.match(head):
        # "Báo và Phát thanh, Truyền hình tỉnh và các cơ quan báo chí ...": one body leads, the group takes part.
        return head, ["các " + tail]
    return name, []


def _split_partners(cell: str) -> list[str]:
    parts = [clean_value(p).strip(" .") for p in re.split(r"\s*[;,]\s*(?=[A-ZĐÀ-Ỹ]|các\s)|\s*;\s*", cell)]
    return [p for p in parts if p and p != "-"]


@dataclass
class _Candidate:
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
            self.partners = self.partners + [p for p in _partners(self.text, self.lead) if p not in self.partners]
            self.text_partners = False
        return [p for p in self.partners if p != self.lead]


class LeadsRule:
    name = "leads"
    priority = 45

    def test(self, ctx: Context) -> bool:
        return True

    def run(self, ctx: Context) -> None:
        self._read(ctx)
        # Whichever rule found a lead, a group of bodies is kept as a group.
        for t in ctx.plan.tasks:
            t.group = t.lead is not None and is_group(t.lead)

    def _read(self, ctx: Context) -> None:
        body = self._body(ctx)
        # Each block's cleaned text, once: the three readers below look at every block.
        texts = [clean_value(b.text) for b in body]
        cands = self._tables(ctx) + self._assignments(body, texts)
        covered = {c.start for c in cands}
        exact: set[str] = set()
        cands += [c for c in self._headings(ctx, body, texts, exact) if c.start not in covered]
        covered = {c.start for c in cands}
        cands += [c for c in self._sentences(body, texts) if c.start not in covered]
        tasks = ctx.plan.tasks
        for t in tasks:
            # A word that begins a name is not a name: "Các", "Báo cáo" (a report), "Sở, ngành" cut short.
            if t.lead is not None and (_BAD_LEAD.match(t.lead) or t.lead in _BARE_WORDS):
                t.lead = None
                t.spans.pop("lead", None)
        for c in cands:
            c.lead = c.lead if c.lead in exact else clean_lead(c.lead)
        cands = [c for c in cands if not _BAD_LEAD.match(c.lead) and c.lead not in _BARE_WORDS]
        if not cands:
            return
        spans = sorted(
            ((t.spans["text"].start, t.spans["text"].end, t) for t in tasks if "text" in t.spans), key=lambda x: x[0]
        )
        starts = [x[0] for x in spans]
        for c in sorted(cands, key=lambda c: c.start):
            # A task another rule made of this block (its text may have taken in the paragraphs after it): one
            # starting inside the candidate, or the last one starting before it and reaching into it.
            existing = None
            k = bisect.bisect_left(starts, c.start)
            if k < len(spans) and spans[k][0] < max(c.end, c.start + 1):
                existing = spans[k][2]
            elif k > 0 and spans[k - 1][0] <= c.start < max(spans[k - 1][1], spans[k - 1][0] + 1):
                existing = spans[k - 1][2]
            if existing is not None:
                if existing.lead is not None and c.heading and existing.lead != c.lead:
                    existing.lead = c.lead
                    existing.partners = c.all_partners() or existing.partners
                    existing.group = is_group(c.lead)
                    existing.spans["lead"] = Span(c.start, c.end, c.confidence)
                    continue
                if existing.lead is None:
                    existing.lead = c.lead
                    existing.group = is_group(c.lead)
                    existing.partners = existing.partners or c.all_partners()
                    existing.spans["lead"] = Span(c.start, c.end, c.confidence)
                continue
            tasks.append(
                Task(
                    id=f"T{len(tasks) + 1}",
                    parent=None,
                    section=None,
                    number=None,
                    text=c.text,
                    lead=c.lead,
                    partners=c.all_partners(),
                    group=is_group(c.lead),
                    spans={"text": Span(c.start, c.end, 0.75), "lead": Span(c.start, c.end, c.confidence)},
                )
            )

    def _body(self, ctx: Context) -> list[Block]:
        """The body's blocks, without the sections that hold no tasks (aims, funding, reporting) and without the
        implementers of a national programme's projects ("Cơ quan thực hiện Dự án: +) Sở ... chủ trì ..."),
        which the projects rule reads."""
        kinds = {m: section_kind(b.text) for m, b in ctx.sections().items()}
        out = []
        project_impl: int | None = None
        for b in ctx.blocks[ctx.body_start() :]:
            if b.section == "_end":
                break
            if b.kind != "section" and kinds.get(b.section or "") in _NO_TASKS:
                continue
            if _PROJECT_IMPL.match(b.text):
                project_impl = _level(b)
                continue
            if project_impl is not None:
                if _level(b) > project_impl:
                    continue
                project_impl = None
            out.append(b)
        return out

    def _headings(self, ctx: Context, blocks: list[Block], texts: list[str], exact: set[str]) -> list[_Candidate]:
        """Tasks under per-agency headings; ``exact`` gets the names a heading gives in full words (kept as
        printed: "đối tượng thực hiện kiểm kê" is a name, not a name and a verb)."""
        out: list[_Candidate] = []
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
            hl = _heading_lead(text) if b.kind != "section" and _LEAD_START.match(text) else None
            if hl is None and b.kind != "section" and text.startswith(("Trách nhiệm của", "Nhiệm vụ")):
                dm = _DUTIES_OF.match(text)
                # Over headings that each name a doer ("1. Nhiệm vụ của thành viên Ban Chỉ đạo" above "1.1.
                # Trưởng Ban Chỉ đạo") it is a title, not a doer.
                nxt_text = texts[i + 1] if i + 1 < len(texts) else ""
                if dm is not None and not (_LEAD_START.match(nxt_text) and _heading_lead(nxt_text)):
                    who = re.sub(r"\s*\([^)]*\)?\s*$", "", dm["who"]).strip()
                    exact.add(who)
                    hl = (who, None)
            if hl is not None and _WEAK_LEAD.match(hl[0]) and not self._assigning(sections, b, blocks, i):
                hl = None
            if hl is not None:
                lead, inline = hl
                lead, head_partners = _lead_and_partners(lead)
                nxt = blocks[i + 1] if i + 1 < len(blocks) else None
                if b.kind == "para":
                    # "Văn phòng- Thống kê: <task>" inside an agency's item: it does its inline task and leads
                    # the bullets after it, until the next item, letter or such paragraph.
                    while stack and stack[-1][0] == 15:
                        stack.pop()
                    if inline:
                        off = b.start + b.text.find(inline) if inline in b.text else b.start
                        out.append(_Candidate(off, b.end, clean_value(inline), lead, head_partners, 0.85, True, True))
                    if inline or b.text.rstrip().endswith(":"):
                        stack.append((15, lead, head_partners))
                    continue
                has_children = nxt is not None and _level(nxt) > level and nxt.kind != "section"
                # "4. Các cơ sở ...: Theo dõi, giám sát ..." is a task of its own even when paragraphs follow;
                # "1. Sở X: thực hiện các nhiệm vụ sau:" only introduces them.
                if inline and (not has_children or not inline.endswith(":")):
                    off = b.start + b.text.find(inline) if inline in b.text else b.start
                    out.append(_Candidate(off, b.end, clean_value(inline), lead, head_partners, 0.85, True, True))
                    if not has_children:
                        continue
                stack.append((level, lead, head_partners))
                continue
            if _CLOSING.match(text):
                stack.clear()
                detail_level = None
                continue
            if text.endswith(":") and b.kind in {"item", "letter", "bullet", "para"}:
                subject = _subject_lead(text)
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
            own = _sentence_lead(text)
            if own is not None and own[1] < 5:
                lead, head_partners = own[0], []
            elif text.startswith("Đề nghị "):
                # "- Đề nghị Ủy ban Mặt trận Tổ quốc tỉnh ... tham gia ...": the bullet names its own doer.
                found = find_agencies(text, len("Đề nghị "))
                if found:
                    lead, head_partners = found[0][0], []
            out.append(_Candidate(b.start, b.end, text, lead, head_partners, 0.8, True, True))
        return out

    def _assigning(self, sections: dict[str, Block], b: Block, blocks: list[Block], i: int) -> bool:
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

    def _assignments(self, blocks: list[Block], texts: list[str]) -> list[_Candidate]:
        """Tasks followed by assignment lines ("Đơn vị chủ trì: X", "Đơn vị phối hợp: Y", "Thời gian thực hiện:
        ..."): the lines name the lead and partners of the task blocks since the previous group of such lines."""
        out: list[_Candidate] = []
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
                    out.append(_Candidate(off, p.end, text, lead, list(partners), 0.85))

        for b, text in zip(blocks, texts, strict=True):
            m = _ASSIGN.match(text) if text[:1] in _ASSIGN_FIRST else None
            if m:
                names = _split_partners(m["a"].rstrip("."))
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

    def _sentences(self, blocks: list[Block], texts: list[str]) -> list[_Candidate]:
        """Paragraphs whose sentence names its doer: "Sở Y tế chủ trì, phối hợp với ...", "Sở X là cơ quan
        thường trực, ...", "Căn cứ Kế hoạch này, các sở, ban, ngành ... xây dựng kế hoạch ..."."""
        out: list[_Candidate] = []
        for b, text in zip(blocks, texts, strict=True):
            if b.kind in {"footnote", "table", "section"}:
                continue
            label_end = text.find(": ", 0, 100)
            after_label = text[label_end + 2 :] if label_end > 0 else ""
            if (
                "chủ trì" not in text
                and not text.startswith(("Căn cứ", "Giao "))
                and not _LEAD_START.match(text)
                and not _LEAD_START.match(after_label)
            ):
                continue
            if text[:1].islower() or len(text) < 25 or text.endswith(":") or _CLOSING.match(text) or _QUOTA.match(text):
                continue
            lead: str | None = None
            if "chủ trì" in text:
                found = _sentence_lead(text)
                lead = found[0] if found else None
            if lead is None:
                lead = _subject_lead(text)
            if lead is None and after_label and not _LEAD_START.match(text):
                # "b) Thực hiện mở tài khoản: Ủy ban nhân dân xã, phường phối hợp với ...": the doer follows a label.
                lead = _subject_lead(after_label)
            if lead is None:
                m = _BASED_ON.match(text)
                if m:
                    lead = clean_value(m["subj"]).rstrip(",")
            if lead is None:
                continue
            out.append(_Candidate(b.start, b.end, text, lead, [], 0.7, False, True))
        return out

    def _tables(self, ctx: Context) -> list[_Candidate]:
        out: list[_Candidate] = []
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
                _split_partners(cells[cols["partners"]]) if "partners" in cols and len(cells) > cols["partners"] else []
            )
            off = b.start + b.text.find(cells[cols["text"]])
            lead_names = _split_partners(lead)
            out.append(
                _Candidate(
                    off, off + len(cells[cols["text"]]), text, lead_names[0] if lead_names else lead, partners, 0.85
                )
            )
        return out
