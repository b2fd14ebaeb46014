"""A lower level's compiled report, sent upward as its own.

The standing agency of a commune (or, before 2025, a district) compiles its own plan's period from its
agencies' accepted reports, then fills its report in the upper plan's period with those figures and submits
it. Indicators are matched by the national-strategy indicator both plans adopted, or else by identical text
(accents, case and spacing ignored); rates carry their summed numerators and denominators, counts their sums.
Nothing is submitted here: the standing agency checks the filled report and sends it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from binhdang.lib.text import fold
from binhdang.plans.models import Indicator, Plan

from .checks import Entry
from .compilation import CompiledIndicator, compile_indicators
from .errors import NotAllowed, StaleReport
from .models import Period, Report
from .services import report_save


@dataclass
class UpwardFill:
    source: Period | None
    filled: list[Indicator] = field(default_factory=list)
    unmatched: list[Indicator] = field(default_factory=list)


def upward_source(report: Report) -> Period | None:
    """The period of the reporter's own plan that matches this report's period (same kind and year)."""
    if not report.is_committee:
        return None
    period = report.period
    plans = Plan.objects.filter(unit=report.unit, year_start__lte=period.year, year_end__gte=period.year)
    ordered = sorted(plans, key=lambda p: (p.parent_id != period.plan_id, -p.year_start))
    for plan in ordered:
        match = Period.objects.filter(plan=plan, kind=period.kind, year=period.year).first()
        if match is not None:
            return match
    return None


def _key(indicator: Indicator) -> tuple[str, Any]:
    return ("catalogue", indicator.catalogue_id) if indicator.catalogue_id else ("text", fold(indicator.text))


@transaction.atomic
def report_fill_from_compilation(*, report: Report, user: Any, version: int | None) -> UpwardFill:
    """Fill a lower committee's report from the compilation of its own plan's period (a draft save). A missing
    version is refused by the save (StaleReport), as everywhere."""
    if not report.is_committee:
        raise NotAllowed
    if version is None:
        raise StaleReport
    source = upward_source(report)
    result = UpwardFill(source=source)
    wanted = [line.indicator for line in report.indicator_lines.select_related("indicator")]
    if source is None:
        result.unmatched = wanted
        return result
    compiled: dict[tuple[str, Any], CompiledIndicator] = {}
    for item in compile_indicators(source):
        compiled.setdefault(_key(item.indicator), item)
        compiled.setdefault(("text", fold(item.indicator.text)), item)
    entries: list[Entry] = []
    for indicator in wanted:
        line = compiled.get(_key(indicator)) or compiled.get(("text", fold(indicator.text)))
        cells = line.cells if line is not None else {}
        usable = {sex: cell for sex, cell in cells.items() if cell.reports}
        if not usable:
            result.unmatched.append(indicator)
            continue
        for sex, cell in usable.items():
            entries.append(
                Entry(
                    indicator.pk,
                    sex,
                    value=cell.value,
                    numerator=cell.numerator,
                    denominator=cell.denominator,
                    source=f"Tổng hợp {source.label} ({cell.reports} báo cáo)",
                )
            )
        result.filled.append(indicator)
    if entries:
        report_save(report=report, user=user, version=version, entries=entries)
    return result
