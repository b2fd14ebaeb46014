"""Tasks with lead and partner agencies, from the content sections (II) and the organisation section (IV).

Each "-" bullet is a task, a "+" bullet under it a sub-task; a paragraph after a bullet continues it; a
numbered item whose heading is itself a sentence is a task. In the organisation section the item heading
names the doer ("1. Sở Y tế:", "5. Sở Y tế: <text>"); extra agencies in the heading are partners, and so are
those after "phối hợp với" in the task text. A bullet "Đề nghị X..." or "X: ..." names its own doer.
"""

from __future__ import annotations

import re

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
)
from binhdang.lib.dates import parse_vn_date, yearly_day

__all__ = ["TasksRule", "find_window"]

_WINDOW = re.compile(
    r"từ\s+ngày\s+(?P<d1>\d{1,2})/(?P<m1>\d{1,2})(?:/(?P<y1>\d{4}))?\s*(?:đến|-|–)\s*(?:ngày\s+)?"
    r"(?P<d2>\d{1,2})/(?P<m2>\d{1,2})(?:/(?P<y2>\d{4}))?"
)
_PERIOD = re.compile(r"^Giai đoạn\s+(\d{4})\s*[-–]\s*(\d{4})")
_PARTNERS = re.compile(r"phối hợp(?: chặt chẽ)?\s+với\s+", re.IGNORECASE)


def find_window(text: str) -> tuple[dict[str, str], int, int] | None:
    m = _WINDOW.search(text)
    if not m:
        return None
    y1, y2 = m["y1"] or m["y2"], m["y2"] or m["y1"]
    # An impossible day or month ("từ ngày 45/13 đến 99/99", 31/4) is a typo or no date at all: no window.
    try:
        if y1 and y2:
            start = parse_vn_date(f"{m['d1']}/{m['m1']}/{y1}").isoformat()
            end = parse_vn_date(f"{m['d2']}/{m['m2']}/{y2}").isoformat()
        else:
            start = yearly_day(int(m["d1"]), int(m["m1"]))
            end = yearly_day(int(m["d2"]), int(m["m2"]))
    except ValueError:
        return None
    return {"start": start, "end": end}, m.start(), m.end()


def _partners(text: str) -> list[str]:
    out: list[str] = []
    for m in _PARTNERS.finditer(text):
        probe = text
        if re.match(r"(?:phòng|sở|ban)\s+[A-ZĐÀ-Ỹ]", text[m.end() :]):
            # "phối hợp với phòng Văn hóa - Thông tin": a named office written in lower case.
            probe = text[: m.end()] + text[m.end()].upper() + text[m.end() + 1 :]
        for name, _s, _e in find_agencies(probe, m.end()):
            if probe is not text:
                name = name[0].lower() + name[1:]
            if name not in out:
                out.append(name)
    return out


_PLACE_GOES_ON = {"thị", "thành", "xã", "phường", "huyện", "quận", "tỉnh", "đặc"}  # "đặc khu": a commune-level unit


def _heading_bodies(head: str) -> list[str] | None:
    """The bodies a heading that is only a name names: lead first, then partners.

    The whole name is the lead ("Văn hóa- xã hội phụ trách Lao động - Thương binh và Xã hội", "Ban Văn hóa;
    Truyền thanh", "Các phòng, ngành, đơn vị liên quan khác"), without "Đề nghị", an apposition in brackets and
    "có trách nhiệm". It is split only when every further piece is itself a body ("Sở Kế hoạch và Đầu tư, Sở Tài
    chính") or a vague group ("Ủy ban Mặt trận Tổ quốc, các tổ chức đoàn thể ..."), which is left out.
    "X phối hợp với Y" makes Y a partner.
    """
    h = head.strip().rstrip(":").strip()
    h = re.sub(r"^Đề nghị\s+", "", h)
    h = re.sub(r"\s+có trách nhiệm\s*$", "", h)
    h = re.sub(r"\s*\([^)]*\)\s*$", "", h).strip()
    extra: list[str] = []
    pm = _PARTNERS.search(h)
    if pm:
        extra = _partners(h)
        h = h[: pm.start()].strip().rstrip(",")
    if not AGENCY_START.match(h) or len(h) > 120:
        return None
    pieces: list[str] = []
    for p in re.split(r"\s*[,;]\s*|\s+và\s+(?=các\s)", h):
        if p and pieces and p.split()[0] in _PLACE_GOES_ON:
            pieces[-1] = pieces[-1] + ", " + p  # "UBND các huyện, thị xã, thành phố"
        elif p:
            pieces.append(p)
    if not h.startswith("Các"):
        # An apposition ("Sở ..., thường trực Ban Vì sự tiến bộ phụ nữ tỉnh") ends the name.
        cut = next((i for i, p in enumerate(pieces) if i and p[:1].islower() and not p.startswith("các ")), None)
        if cut is not None:
            pieces = pieces[:cut]
            h = h[: h.find(pieces[-1]) + len(pieces[-1])]
    if (
        len(pieces) > 1
        and not h.startswith("Các")
        and all((AGENCY_START.match(p) and not p.startswith("Các")) or p.startswith("các ") for p in pieces[1:])
    ):
        return [clean_value(pieces[0])] + [clean_value(p) for p in pieces[1:] if not p.startswith("các ")] + extra
    return [clean_value(h), *extra]


def _heading_agencies(heading: str) -> tuple[list[str], str | None]:
    """Agencies a heading names, and the task text after its colon (None when the heading is only a name)."""
    head, _, rest = heading.partition(":")
    head = re.sub(r"\s+có trách nhiệm\s*$", "", head.strip())
    if rest.strip() and is_member_list(rest) and AGENCY_START.match(head):
        # "Ủy ban nhân dân các xã: Gia Thuận, Tân Điền": the group's members belong to its name.
        return [f"{head}: {rest.strip().rstrip('.; ')}"], None
    bodies = _heading_bodies(head) if (rest.strip() or len(head) <= 120) else None
    agencies = bodies if bodies is not None else [a for a, _s, _e in find_agencies(head)]
    inline: str | None = rest.strip() or None
    if inline is not None and not re.fullmatch(
        r"(?:Đề nghị\s+)?" + re.escape(head.removeprefix("Đề nghị ").strip()), head.strip()
    ):
        inline = heading
    if inline is not None and (head.startswith("Đề nghị") or _PARTNERS.search(head)):
        inline = heading.strip()
    return agencies, inline


class TasksRule:
    name = "tasks"
    priority = 40

    def test(self, ctx: Context) -> bool:
        return any(b.kind == "section" for b in ctx.blocks)

    def run(self, ctx: Context) -> None:
        tasks: list[Task] = []
        sections = [b for b in ctx.blocks if b.kind == "section"]
        for sec in sections:
            skind = section_kind(sec.text)
            mixed = sum(k in sec.text.lower() for k in ("giải pháp", "kinh phí", "tổ chức thực hiện", "nội dung")) > 1
            blocks = ctx.in_section(sec.marker)
            groups = self._groups(blocks)
            for heading, children in groups:
                kind = skind
                if mixed and heading is not None:
                    top = self._top_heading(blocks, heading)
                    kind = section_kind(top.text) if top is not None else skind
                if kind not in {"content", "organisation", "roadmap"}:
                    continue
                self._group_tasks(ctx, sec.marker, kind, heading, children, tasks)
        for i, t in enumerate(tasks, 1):
            old = t.id
            t.id = f"T{i}"
            for other in tasks:
                if other.parent == old:
                    other.parent = t.id
        ctx.plan.tasks = tasks

    def _top_heading(self, blocks: list[Block], heading: Block) -> Block | None:
        top = heading.marker.split(".")[0]
        for b in blocks:
            if b.kind == "item" and b.marker == top:
                return b
        return None

    def _groups(self, blocks: list[Block]) -> list[tuple[Block | None, list[Block]]]:
        groups: list[tuple[Block | None, list[Block]]] = []
        cur: tuple[Block | None, list[Block]] = (None, [])
        for b in blocks:
            if b.kind == "item":
                if cur[0] is not None or cur[1]:
                    groups.append(cur)
                cur = (b, [])
            elif b.kind in {"footnote", "table"}:
                continue
            else:
                cur[1].append(b)
        if cur[0] is not None or cur[1]:
            groups.append(cur)
        return groups

    def _group_tasks(
        self, ctx: Context, section: str, kind: str, heading: Block | None, children: list[Block], tasks: list[Task]
    ) -> None:
        number = heading.marker if heading is not None else None
        lead: str | None = None
        partners: list[str] = []
        window = None
        htext = heading.text if heading is not None else ""
        if heading is not None and "(Dự án" in htext:
            return  # a project of a national programme: read by the projects rule
        inline: str | None = None
        if kind == "organisation" and heading is not None:
            agencies, inline = _heading_agencies(htext)
            if agencies:
                lead, partners = agencies[0], agencies[1:]
            if not agencies:
                inline = None
                sm = re.match(r"^(?P<s>[A-ZĐÀ-Ỹ][^:;]{2,150}?)\s+có trách nhiệm\s+\S", htext)
                if sm and not children:
                    # "Các Sở, ngành, đơn vị được giao ... có trách nhiệm hằng năm ...": the subject leads.
                    lead, inline = clean_value(sm["s"]), htext
            elif not children and inline is None and len(htext) > 120:
                inline = htext
        elif kind == "content" and heading is not None:
            m = re.search(r"của\s+(?=(?:Ban|Hội|Sở|Phòng)\b)", htext)
            if m:
                found = find_agencies(htext, m.end())
                if found:
                    lead = found[0][0]
        elif kind == "roadmap" and heading is not None:
            pm = _PERIOD.match(htext)
            if pm:
                window = {"start": f"{pm.group(1)}-01-01", "end": f"{pm.group(2)}-12-31"}
        # A heading with numbered sub-items under it ("1. Giải pháp thực hiện" above "1.1.") is a topic title.
        has_subitems = heading is not None and any(
            b.kind == "item" and b.marker.startswith(heading.marker + ".")
            for b in ctx.in_section(section)
            if b.index > heading.index
        )
        heading_is_task = (
            heading is not None
            and not has_subitems
            and (
                (not children and kind != "roadmap" and not re.search(r"[:]$", htext))
                or (htext.endswith(".") and len(htext) > 80)
            )
        )
        if heading is not None and kind == "organisation":
            heading_is_task = inline is not None or (not children and bool(lead))
        if heading_is_task and heading is not None:
            text = inline if inline is not None else htext
            off = heading.start + (htext.find(text) if text in htext else 0)
            self._add(tasks, section, number, text, off, lead, partners, None, window)
        last_dash: Task | None = None
        last: Task | None = None
        item_lead, item_partners = lead, partners
        for b in children:
            btext = clean_value(b.text)
            own_lead = None
            own_partners: list[str] = []
            m = re.match(r"^(?:Đề nghị\s+)?(?P<h>[^:]{3,120}):\s*(?P<t>.*)$", btext)
            if b.kind == "para" and last is not None and not (m and AGENCY_START.match(m["h"])):
                last.text = last.text + " " + btext
                continue
            if m and AGENCY_START.match(m["h"].removeprefix("Đề nghị ")):
                found = find_agencies(m["h"].removeprefix("Đề nghị "))
                if found:
                    own_lead = found[0][0]
            elif btext.startswith("Đề nghị "):
                found = find_agencies(btext, len("Đề nghị "))
                if found:
                    own_lead = found[0][0]
            elif kind == "content" and AGENCY_START.match(btext) and not btext.startswith("Các"):
                found = find_agencies(btext)
                if found and len(found[0][0]) < 60:
                    own_lead, own_partners = found[0][0], [f[0] for f in found[1:]]
            parent = None
            if b.kind == "bullet" and b.marker == "+" and last_dash is not None:
                parent = last_dash.id
            if b.kind == "para" and own_lead is not None and m is not None and kind == "organisation":
                # "Văn phòng- Thống kê: ..." inside an agency's item names the doer of the bullets after it.
                lead, partners = own_lead, []
            if (b.kind == "bullet" and b.marker == "-") or b.kind == "para":
                item_lead = own_lead or lead
                item_partners = partners if own_lead is None else []
            t_lead = own_lead or (item_lead if parent is not None or b.kind != "bullet" or b.marker != "-" else lead)
            t_partners = own_partners or (item_partners if own_lead is None else [])
            task = self._add(tasks, section, number, btext, b.start, t_lead, list(t_partners), parent, window)
            if (b.kind == "bullet" and b.marker == "-") or b.kind == "para":
                last_dash = task
            last = task

    def _add(
        self,
        tasks: list[Task],
        section: str,
        number: str | None,
        text: str,
        start: int,
        lead: str | None,
        partners: list[str],
        parent: str | None,
        window: dict[str, str] | None,
    ) -> Task:
        text = clean_value(text)
        found = find_window(text)
        win = window
        spans = {"text": Span(start, start + len(text), 0.9)}
        if found:
            win = found[0]
            spans["window"] = Span(start + found[1], start + found[2], 0.85)
        ps = list(partners)
        for p in _partners(text):
            if p not in ps and p != lead:
                ps.append(p)
        task = Task(
            id=f"_t{len(tasks) + 1}",
            parent=parent,
            section=section,
            number=number,
            text=text,
            lead=lead,
            partners=ps,
            group=lead is not None and is_group(lead),
            window=win,
            spans=spans,
        )
        tasks.append(task)
        return task
