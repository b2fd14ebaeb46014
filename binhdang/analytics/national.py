"""The national view of the plan marked national (``Plan.is_national``: the demo's labelled synthetic plan, or
a real national plan someone marked): every province in force, ranked by one indicator's latest figure.

A province's figure is the roll-up of its communes' accepted reports (``Rollup``: numerators and
denominators summed, never rates averaged), at the latest period in which the province has a figure. The
national figure of a period is the same sum over every province's communes for that period.
Ranking: best first (highest for an indicator to increase, lowest for one to decrease); provinces with no
figure last, by name.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from binhdang.places.models import AdministrativeUnit, Generation, Level
from binhdang.plans.models import Indicator, Plan
from binhdang.plans.national import national_plan
from binhdang.plans.targets import indicator_spec
from binhdang.reporting.models import Period, Sex

from .progress import Assessment, assess
from .rollup import LEVEL_RANK, Figure, Rollup


@dataclass
class ProvinceLine:
    unit: AdministrativeUnit
    figure: Figure | None
    period: Period | None
    assessment: Assessment | None
    rank: int | None  # 1 = best; None when the province has no figure


@dataclass
class NationalView:
    plan: Plan
    indicators: list[Indicator]
    chosen: Indicator | None
    provinces: list[ProvinceLine]
    national: Figure | None  # every province together, at the latest period any province reported
    national_period: Period | None


def current_provinces() -> list[AdministrativeUnit]:
    return list(
        AdministrativeUnit.objects.filter(
            generation=Generation.CURRENT, level=Level.PROVINCE, valid_to__isnull=True
        ).order_by("code")
    )


def national_view(plan: Plan, indicator_id: int | None) -> NationalView:
    rollup = Rollup(plan)
    indicators = [i for i in sorted(rollup.indicators.values(), key=lambda i: i.order) if i.measure != "text"]
    chosen = next((i for i in indicators if i.pk == indicator_id), None) or (indicators[0] if indicators else None)
    provinces = current_provinces()
    lines: list[ProvinceLine] = []
    period_index = {p.pk: i for i, p in enumerate(rollup.periods)}
    national_rows: dict[int, list[Figure]] = {}
    if chosen is not None:
        spec = indicator_spec(chosen, plan.year_end)
        rank = LEVEL_RANK[Level.PROVINCE.value]
        for province in provinces:
            figures = rollup.figures(province.pk, rank)
            known = [
                (p, figures[(chosen.pk, Sex.TOTAL.value, p.pk)])
                for p in rollup.periods
                if (chosen.pk, Sex.TOTAL.value, p.pk) in figures
            ]
            for p, fig in known:
                national_rows.setdefault(p.pk, []).append(fig)
            if known:
                period, figure = known[-1]
                lines.append(
                    ProvinceLine(
                        province, figure, period, assess(spec, period.year, figure.figure, figure.problem), None
                    )
                )
            else:
                lines.append(ProvinceLine(province, None, None, None, None))
        descending = chosen.direction != "decrease"

        def order(line: ProvinceLine) -> tuple[bool, Decimal, str]:
            value = line.figure.figure if line.figure is not None else None
            if value is None:
                return (True, Decimal(0), line.unit.name)
            return (False, -value if descending else value, line.unit.name)

        lines.sort(key=order)
        for position, line in enumerate(lines, start=1):
            if line.figure is not None and line.figure.figure is not None:
                line.rank = position
    national = None
    national_period = None
    if chosen is not None and national_rows:
        last = max(national_rows, key=lambda pk: period_index[pk])
        national_period = rollup.periods[period_index[last]]
        national = _sum(chosen, national_rows[last])
    return NationalView(plan, indicators, chosen, lines, national, national_period)


def _sum(indicator: Indicator, figures: list[Figure]) -> Figure:
    """Provinces' figures of one period added up: numerators and denominators (then the rate again), or counts."""
    if indicator.is_fraction:
        if any(f.numerator is None or f.denominator is None for f in figures):
            return Figure(problem=_("Có tỉnh thiếu tử số hoặc mẫu số: không cộng được cả nước."))
        numerator = sum((f.numerator or Decimal(0) for f in figures), Decimal(0))
        denominator = sum((f.denominator or Decimal(0) for f in figures), Decimal(0))
        figure = numerator / denominator * indicator.scale if denominator else None
        return Figure(
            figure=figure, numerator=numerator, denominator=denominator, reports=sum(f.reports for f in figures)
        )
    values = [f.figure for f in figures if f.figure is not None]
    total = sum(values, Decimal(0)) if values else None
    return Figure(figure=total, value=total, reports=sum(f.reports for f in figures))


__all__ = ["NationalView", "ProvinceLine", "current_provinces", "national_plan", "national_view"]
