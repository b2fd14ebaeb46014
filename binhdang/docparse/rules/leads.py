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

The candidates are found by ``lead_candidates``, the names in them read by ``lead_names``; this module assigns
them to tasks.
"""

from __future__ import annotations

import bisect
import re

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Span, Task
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value, is_group, section_kind
from binhdang.docparse.rules.lead_candidates import (
    _level,
    find_assignments,
    find_headings,
    find_sentences,
    find_tables,
)
from binhdang.docparse.rules.lead_names import clean_lead

__all__ = ["LeadsRule", "is_group"]

_BARE_WORDS = frozenset({"Các", "Ban", "Sở", "Phòng", "Hội", "Sở, ngành", "Đơn vị", "Cơ quan"})
_BAD_LEAD = re.compile(r"^(?:Báo cáo|Ban hành|Tổ chức|Các bước|Hội nghị|Kết quả)\b")


_NO_TASKS = {"aims", "budget", "reporting"}
_PROJECT_IMPL = re.compile(
    r"^Cơ quan (?:thực hiện|chủ trì)[^:]{0,20}(?:Dự án|dự án|Mô hình|mô hình)[^:]{0,20}:", re.IGNORECASE
)


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
        cands = find_tables(ctx) + find_assignments(body, texts)
        covered = {c.start for c in cands}
        exact: set[str] = set()
        cands += [c for c in find_headings(ctx, body, texts, exact) if c.start not in covered]
        covered = {c.start for c in cands}
        cands += [c for c in find_sentences(body, texts) if c.start not in covered]
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
