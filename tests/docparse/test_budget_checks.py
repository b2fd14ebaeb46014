"""The reader checks a plan's printed budget totals with the same rule as the plan pages (binhdang.lib.budget),
and reading a document needs no Django."""

from __future__ import annotations

import subprocess
import sys
from decimal import Decimal

from binhdang.docparse.result import BudgetLine
from binhdang.docparse.rules.budget import budget_checks
from binhdang.lib.budget import budget_checks as plan_budget_checks


def test_reader_checks_are_the_plan_rule_with_the_totals_spans() -> None:
    lines = [
        BudgetLine(item="Dự án 1 / Tập huấn", year=2026, source="local", amount=1000.5),
        BudgetLine(item="Dự án 1 / Truyền thông", year=2026, source="local", amount=234),
        BudgetLine(item="Dự án 2", year=2026, source="central", amount=90),
    ]
    totals = [
        BudgetLine(item="Dự án 1", year=2026, source="local", amount=1234.5),
        BudgetLine(item=None, year=None, source=None, amount=1234.5),
        BudgetLine(item="Dự án 3", year=None, source=None, amount=7),
    ]
    checks = budget_checks(lines, totals)
    assert [(c.ok, c.printed, c.computed) for c in checks] == [
        (True, 1234.5, 1234.5),
        (False, 1234.5, 1324.5),  # the whole plan covers Dự án 2 too
        (False, 7, 0),
    ]
    assert checks[1].message == (
        "Printed total of the whole plan for the whole period = 1.234,5 but its 3 lines add up to 1.324,5 "
        "(difference 90)"
    )
    as_dicts = [{"item": x.item, "year": x.year, "source": x.source, "amount": Decimal(str(x.amount))} for x in lines]
    totals_as_dicts = [{"item": t.item, "year": t.year, "source": t.source, "amount": t.amount} for t in totals]
    assert [c.message for c in checks] == [c.message for c in plan_budget_checks(as_dicts, totals_as_dicts)]


def test_reading_a_document_imports_no_django() -> None:
    code = (
        "import sys, binhdang.docparse, binhdang.docparse.pipeline, binhdang.docparse.rules.budget\n"
        "print(sorted(m for m in sys.modules if m == 'django' or m.startswith('django.')))"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "[]"
