"""Budget execution of a plan: what the plan budgets (its budget lines) against what accepted reports say was
spent, by year and funding source, in million VND.

- Planned: the plan's ``BudgetLine`` rows (the document's printed totals, ``BudgetTotal``, are not added: they
  are checks on the lines, not more money). A line without a year or a source keeps its own row.
- Spent: ``Spending`` rows of the plan's **accepted** reports only, attributed to the year of the report's
  period. Spending in drafts, sent or returned reports is not counted; how many such reports carry spending is
  said, so a reader knows figures are pending.
- Execution rate: spent / planned × 100, only where something is planned.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Count, Sum

from binhdang.plans.models import BudgetLine, FundingSource, Plan
from binhdang.reporting.models import ReportStatus, Spending

ZERO = Decimal(0)
HUNDRED = Decimal(100)
SOURCE_ORDER = [s.value for s in FundingSource] + [""]


@dataclass(frozen=True)
class BudgetRow:
    year: int | None
    source: str  # a FundingSource value, or "" when the plan does not say
    planned: Decimal
    spent: Decimal
    # False when no budget line covers the row: "not planned", which a page must not print as a planned 0.
    planned_known: bool = True

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.planned, self.spent)


@dataclass
class BudgetExecution:
    rows: list[BudgetRow] = field(default_factory=list)
    has_lines: bool = False
    has_spending: bool = False
    accepted_reports: int = 0  # accepted reports with spending
    pending_reports: int = 0  # reports with spending not (yet) accepted, so not counted

    @property
    def planned(self) -> Decimal:
        return sum((r.planned for r in self.rows), ZERO)

    @property
    def spent(self) -> Decimal:
        return sum((r.spent for r in self.rows), ZERO)

    @property
    def rate(self) -> Decimal | None:
        return execution_rate(self.planned, self.spent)

    def by_source(self) -> list[BudgetRow]:
        """Totals per funding source, every year together (year None)."""
        return _totals(self.rows, lambda r: (None, r.source))

    def by_year(self) -> list[BudgetRow]:
        """Totals per year, every source together (source "")."""
        return _totals(self.rows, lambda r: (r.year, ""))


def execution_rate(planned: Decimal, spent: Decimal) -> Decimal | None:
    return spent / planned * HUNDRED if planned > 0 else None


def _order(key: tuple[int | None, str]) -> tuple[bool, int, int]:
    year, source = key
    return (year is None, year or 0, SOURCE_ORDER.index(source) if source in SOURCE_ORDER else len(SOURCE_ORDER))


def _totals(rows: list[BudgetRow], key_of: Callable[[BudgetRow], tuple[int | None, str]]) -> list[BudgetRow]:
    planned: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    known: dict[tuple[int | None, str], bool] = defaultdict(bool)
    for row in rows:
        key = key_of(row)
        planned[key] += row.planned
        spent[key] += row.spent
        known[key] = known[key] or row.planned_known
    return [BudgetRow(k[0], k[1], planned[k], spent[k], known[k]) for k in sorted(planned, key=_order)]


def budget_execution(plan: Plan) -> BudgetExecution:
    """Planned and spent per (year, source) of one plan: two GROUP BY queries and one count."""
    planned: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    spent: dict[tuple[int | None, str], Decimal] = defaultdict(lambda: ZERO)
    lines = BudgetLine.objects.filter(plan=plan).values("year", "source").annotate(total=Sum("amount")).order_by()
    for line in lines:
        planned[(line["year"], line["source"] or "")] += line["total"] or ZERO
    spending = Spending.objects.filter(report__period__plan=plan)
    accepted = spending.filter(report__status=ReportStatus.ACCEPTED)
    for item in accepted.values("report__period__year", "source").annotate(total=Sum("amount")).order_by():
        spent[(item["report__period__year"], item["source"] or "")] += item["total"] or ZERO
    counts = spending.values("report__status").annotate(n=Count("report", distinct=True)).order_by()
    by_status = {c["report__status"]: c["n"] for c in counts}
    keys = sorted(set(planned) | set(spent), key=_order)
    return BudgetExecution(
        rows=[BudgetRow(k[0], k[1], planned.get(k, ZERO), spent.get(k, ZERO), k in planned) for k in keys],
        has_lines=bool(planned),
        has_spending=bool(spent),
        accepted_reports=by_status.get(ReportStatus.ACCEPTED, 0),
        pending_reports=sum(n for status, n in by_status.items() if status != ReportStatus.ACCEPTED),
    )
