"""stub"""
from __future__ import annotations

from binhdang.docparse.rules import Context


class BudgetRule:
    name = "BudgetRule"
    priority = 50

    def test(self, ctx: Context) -> bool:
        return False

    def run(self, ctx: Context) -> None:
        pass
