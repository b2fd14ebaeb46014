"""Tasks that name indicators or objectives ("chỉ tiêu 1, 2 của mục tiêu 2", "mục tiêu 1") are linked to them,
and the task's lead becomes responsible for them.

Runs right after the tasks rule and before the leads rule (which may rewrite leads), so a linked indicator's
responsible agencies are the leads as the tasks rule read them.
"""

from __future__ import annotations

import re

from binhdang.docparse.rules import Context

__all__ = ["IndicatorLinksRule", "link_indicators"]


class IndicatorLinksRule:
    name = "indicator-links"
    priority = 41  # after tasks (40), before leads (45)

    def test(self, ctx: Context) -> bool:
        return bool(ctx.plan.tasks)

    def run(self, ctx: Context) -> None:
        link_indicators(ctx)


_LINK = re.compile(
    r"(?:các\s+)?chỉ tiêu\s+(?P<ci>\d+(?:\s*(?:,|và)\s*\d+)*)(?![.\d])|(?P<of>của\s+)?mục tiêu\s+(?P<mt>\d+)\b",
    re.IGNORECASE,
)


def link_indicators(ctx: Context) -> None:
    """Tasks naming "chỉ tiêu 1, 2 của mục tiêu 2" or "mục tiêu 1" link those indicators or objectives, and
    the task's lead becomes responsible for them (every indicator of a linked objective, too).

    Indicator numbers without their own objective wait for the next "của mục tiêu N" ("chỉ tiêu 2 (...),
    chỉ tiêu 3, 4 của mục tiêu 3"); a split indicator ("2a", "2b") is linked by its number. Only indicators and
    objectives the plan defines are linked.
    """
    plan = ctx.plan
    if not plan.indicators and not plan.objectives:
        return
    objectives = {o.id for o in plan.objectives}
    for t in plan.tasks:
        pending: list[str] = []
        inds: list[str] = []
        objs: list[str] = []
        for m in _LINK.finditer(t.text):
            if m["ci"]:
                pending.extend(re.findall(r"\d+", m["ci"]))
                continue
            oid = f"O{m['mt']}"
            if pending and m["of"]:
                for n in pending:
                    for ind in plan.indicators:
                        if (
                            ind.objective == oid
                            and ind.number is not None
                            and re.fullmatch(rf"{n}[a-z]?", ind.number)
                            and ind.id not in inds
                        ):
                            inds.append(ind.id)
                pending = []
            elif not pending and oid in objectives and oid not in objs:
                objs.append(oid)
        t.indicators, t.objectives = inds, objs
        if t.lead:
            for ind in plan.indicators:
                if (ind.id in inds or ind.objective in objs) and t.lead not in ind.responsible:
                    ind.responsible.append(t.lead)
