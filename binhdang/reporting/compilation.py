"""The standing agency's compiled view of a period: every reporter's accepted figures rolled up.

Counts are summed. Percentages, rates and ratios are rebuilt from the summed numerators and denominators,
never averaged; a reporter that gave only a percentage without its numerator and denominator cannot be
rolled up and is counted as such. Yes/no indicators give the number of units answering yes.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Q, Sum

from binhdang.plans.models import BudgetLine, Indicator, Measure, Task
from binhdang.plans.numbering import label_indicators, label_tasks

from .entries import indicator_meta, sexes_for
from .models import Period, Progress, Report, ReportIndicator, ReportStatus, Spending, Value


@dataclass
class Cell:
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    figure: Decimal | None = None
    reports: int = 0
    not_rollable: int = 0


@dataclass
class CompiledIndicator:
    indicator: Indicator
    sexes: list[str]
    cells: dict[str, Cell]
    expected: int
    included: int


@dataclass
class CompiledTask:
    task: Task
    statuses: list[tuple[str, str, str]] = field(default_factory=list)  # (reporter, status, narrative)


@dataclass
class Compilation:
    period: Period
    indicators: list[CompiledIndicator]
    tasks: list[CompiledTask]
    spending: dict[str, dict[str, Decimal]]  # source -> {"planned": x, "spent": y}
    summaries: list[tuple[Report, str]]
    reports_total: int
    reports_accepted: int


def compile_indicators(period: Period, statuses: tuple[str, ...] = (ReportStatus.ACCEPTED,)) -> list[CompiledIndicator]:
    indicators = list(Indicator.objects.filter(plan=period.plan).order_by("order"))
    label_indicators(indicators)
    sums = (
        # The totals (combo ""): a part of a disaggregated figure is never added into its total (issue 16).
        Value.objects.filter(report__period=period, report__status__in=statuses, combo="")
        .values("indicator_id", "sex")
        .annotate(
            sum_value=Sum("value"),
            sum_numerator=Sum("numerator", filter=Q(numerator__isnull=False, denominator__isnull=False)),
            sum_denominator=Sum("denominator", filter=Q(numerator__isnull=False, denominator__isnull=False)),
            reports=Count("report", distinct=True),
            fraction_reports=Count(
                "report", filter=Q(numerator__isnull=False, denominator__isnull=False), distinct=True
            ),
        )
    )
    by_key: dict[tuple[int, str], Any] = {(row["indicator_id"], row["sex"]): row for row in sums}
    expected = dict(
        ReportIndicator.objects.filter(report__period=period).values_list("indicator_id").annotate(n=Count("report"))
    )
    included = dict(
        ReportIndicator.objects.filter(report__period=period, report__status__in=statuses)
        .values_list("indicator_id")
        .annotate(n=Count("report"))
    )
    result = []
    for indicator in indicators:
        meta = indicator_meta(indicator)
        cells: dict[str, Cell] = {}
        for sex in sexes_for(indicator):
            row = by_key.get((indicator.pk, sex))
            if row is None:
                cells[sex] = Cell()
                continue
            cell = Cell(reports=row["reports"])
            if meta.uses_fraction:
                cell.numerator, cell.denominator = row["sum_numerator"], row["sum_denominator"]
                cell.not_rollable = row["reports"] - row["fraction_reports"]
                if cell.numerator is not None and cell.denominator:
                    cell.figure = cell.numerator / cell.denominator * meta.scale
            elif indicator.measure != Measure.TEXT:
                cell.value = cell.figure = row["sum_value"]
            cells[sex] = cell
        result.append(
            CompiledIndicator(
                indicator, sexes_for(indicator), cells, expected.get(indicator.pk, 0), included.get(indicator.pk, 0)
            )
        )
    return result


def compile_period(period: Period) -> Compilation:
    reports = list(Report.objects.filter(period=period).select_related("reporter", "unit"))
    accepted = [r for r in reports if r.status == ReportStatus.ACCEPTED]
    plan_tasks = list(Task.objects.filter(plan=period.plan).order_by("order"))
    label_tasks(plan_tasks)
    tasks = {t.pk: CompiledTask(t) for t in plan_tasks}
    for progress in Progress.objects.filter(report__in=accepted).select_related("report__reporter"):
        if progress.task_id in tasks:
            tasks[progress.task_id].statuses.append(
                (progress.report.reporter.name, progress.get_status_display(), progress.narrative)
            )
    spending: dict[str, dict[str, Decimal]] = defaultdict(lambda: {"planned": Decimal(0), "spent": Decimal(0)})
    for line in BudgetLine.objects.filter(plan=period.plan, year=period.year):
        spending[line.source or "other"]["planned"] += line.amount
    for row in Spending.objects.filter(report__in=accepted).values("source").annotate(total=Sum("amount")):
        spending[row["source"]]["spent"] += row["total"] or Decimal(0)
    return Compilation(
        period=period,
        indicators=compile_indicators(period),
        tasks=[t for t in tasks.values() if t.statuses],
        spending=dict(spending),
        summaries=[(r, r.summary) for r in accepted if r.summary],
        reports_total=len(reports),
        reports_accepted=len(accepted),
    )
