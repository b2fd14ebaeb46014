"""Aims ("Mục đích, yêu cầu", "Mục tiêu chung/tổng quát") and objectives with numbered indicators."""

from __future__ import annotations

import re

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Aim, Objective, Span
from binhdang.docparse.rules import Context
from binhdang.docparse.rules.common import clean_value

__all__ = ["AimsRule", "ObjectivesIndicatorsRule"]

_GENERAL = re.compile(r"^(?:Mục đích|Yêu cầu|Mục tiêu (?:chung|tổng quát))", re.IGNORECASE)
_SPECIFIC = re.compile(r"^Mục tiêu cụ thể", re.IGNORECASE)
_OBJECTIVE = re.compile(r"^Mục tiêu\s+(?P<n>\d+)\s*[:.]\s*(?P<t>.+)$")


def _aims_section(ctx: Context) -> str | None:
    for b in ctx.blocks:
        if b.kind == "section":
            t = b.text.lower()
            if "mục đích" in t or "yêu cầu" in t or "mục tiêu" in t:
                return b.marker
    return None


class AimsRule:
    name = "aims"
    priority = 30

    def test(self, ctx: Context) -> bool:
        return _aims_section(ctx) is not None

    def run(self, ctx: Context) -> None:
        sec = _aims_section(ctx)
        if sec is None:
            return
        aims: list[Aim] = []
        specific = False
        blocks = ctx.in_section(sec)
        has_items = any(b.kind == "item" for b in blocks)
        for b in blocks:
            if b.kind in {"footnote", "table"}:
                continue
            if b.kind == "item" and _SPECIFIC.match(b.text):
                specific = True
                continue
            if b.kind == "item" and _GENERAL.match(b.text):
                specific = False
                _head, colon, rest = b.text.partition(":")
                if colon and rest.strip():
                    aims.append(self._aim(ctx, b, rest.strip()))
                continue
            if specific:
                continue
            if b.kind == "item" or (not has_items and b.kind in {"para", "bullet"}) or (
                has_items and b.kind in {"bullet", "para"}
            ):
                if b.kind == "para" and aims and b.item is not None and not _GENERAL.match(b.text) and has_items \
                        and any(x.kind == "bullet" for x in blocks):
                    pass
                aims.append(self._aim(ctx, b, b.text))
        ctx.plan.aims = aims

    def _aim(self, ctx: Context, b: Block, text: str) -> Aim:
        off = b.start + max(0, b.text.find(text))
        return Aim(text=clean_value(text), spans={"text": Span(off, off + len(text), 0.85)})


class ObjectivesIndicatorsRule:
    name = "objectives"
    priority = 35

    def test(self, ctx: Context) -> bool:
        return any(b.kind == "letter" and _OBJECTIVE.match(b.text) for b in ctx.blocks)

    def run(self, ctx: Context) -> None:
        objectives: list[Objective] = []
        for b in ctx.blocks:
            if b.kind != "letter":
                continue
            m = _OBJECTIVE.match(b.text)
            if not m:
                continue
            objectives.append(Objective(
                id=f"O{m['n']}", number=m["n"], title=clean_value(m["t"]), text=None,
                spans={"title": Span(b.start + m.start("t"), b.start + m.end("t"), 0.9)},
            ))
        ctx.plan.objectives = objectives
