"""Extraction rules. Each rule is a small object with ``test(ctx)`` and ``run(ctx)``, registered by priority
(lower runs first); later rules read what earlier ones found (tasks before projects, identity before
references)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Protocol

from binhdang.docparse.blocks import Block
from binhdang.docparse.result import Plan

__all__ = ["Context", "Rule", "default_rules"]


@dataclass
class Context:
    text: str
    blocks: list[Block]
    plan: Plan = field(default_factory=Plan)
    notes: list[str] = field(default_factory=list)
    # Lead agency printed in each budget-table row, by item ("Dự án 2 / Tiểu dự án 1" -> "Sở Tư pháp").
    budget_agencies: dict[str, str] = field(default_factory=dict)
    _sections: dict[str, list[Block]] = field(default_factory=dict, repr=False)

    def sections(self) -> dict[str, Block]:
        return {b.marker: b for b in self.blocks if b.kind == "section"}

    def in_section(self, roman: str) -> list[Block]:
        cache = self._sections
        if roman not in cache:
            cache[roman] = [b for b in self.blocks if b.section == roman and b.kind != "section"]
        return cache[roman]

    def body_start(self) -> int:
        """Index of the first section heading (end of the preamble), or len(blocks)."""
        for b in self.blocks:
            if b.kind == "section":
                return b.index
        return len(self.blocks)


class Rule(Protocol):
    name: str
    priority: int

    def test(self, ctx: Context) -> bool: ...

    def run(self, ctx: Context) -> None: ...


def default_rules() -> list[Rule]:
    from binhdang.docparse.rules import (
        budget,
        identity,
        indicator_links,
        leads,
        objectives_indicators,
        projects,
        recipients,
        references,
        reporting,
        signature,
        targets,
        tasks_agencies,
        verdict,
    )

    rules: list[Rule] = [
        identity.IdentityRule(),
        references.ReferencesRule(),
        objectives_indicators.AimsRule(),
        objectives_indicators.ObjectivesIndicatorsRule(),
        targets.TargetsRule(),
        tasks_agencies.TasksRule(),
        indicator_links.IndicatorLinksRule(),
        leads.LeadsRule(),
        projects.ProjectsRule(),
        budget.BudgetRule(),
        reporting.ReportingRule(),
        signature.SignatureRule(),
        recipients.RecipientsRule(),
        verdict.VerdictRule(),
    ]
    return sorted(rules, key=lambda r: r.priority)
