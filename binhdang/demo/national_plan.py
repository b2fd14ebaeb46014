"""The structure of the labelled synthetic national plan (binhdang/demo/national.py builds its reports): the
plan, the national strategy's measurable catalogue indicators with their targets, and ten 6-month periods.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from binhdang.places.models import AdministrativeUnit, Level
from binhdang.plans.models import (
    SYNTHETIC_LABEL,
    CatalogueIndicator,
    Indicator,
    Measure,
    Objective,
    Plan,
    PlanStatus,
    Target,
)
from binhdang.reporting.models import Period, ReportKind

LABEL = SYNTHETIC_LABEL
PLAN_TITLE = f"{LABEL} Kế hoạch quốc gia mô phỏng"
PLAN_CODE = "MP/KH-QG"
YEARS = (2021, 2022, 2023, 2024, 2025)

# Issue 16: the categories the synthetic indicators are reported by, besides sex, by catalogue number
# ("objective.number"). Five age groups that cover every age once (so the parts add up to the total), chosen
# for what each indicator counts (victims of violence and trafficking are of every age, working women from
# under 25, graduates from under 30), and the ethnic-minority split (kinh / dtts). The other indicators count
# agencies or enterprises, or are sex-only in the strategy, and stay as they are.
ALL_AGES = ["0-4", "5-14", "15-24", "25-59", "60+"]  # from USUAL_AGE_GROUPS (plans/categories.py)
WORKING_AGES = ["0-24", "25-34", "35-44", "45-54", "55+"]
DISAGGREGATED: dict[str, tuple[list[str], list[str]]] = {
    "2.1": (["age", "ethnicity"], WORKING_AGES),
    "2.2": (["age", "ethnicity"], WORKING_AGES),
    "3.2a": (["age", "ethnicity"], ALL_AGES),
    "3.2b": (["age", "ethnicity"], ["0-17", "18-24", "25-39", "40-59", "60+"]),  # under 18: a minor
    "3.3": (["age", "ethnicity"], ALL_AGES),
    "5.3a": (["age", "ethnicity"], ["0-29", "30-39", "40-49", "50-59", "60+"]),
    "5.3b": (["age", "ethnicity"], ["0-29", "30-39", "40-49", "50-59", "60+"]),
    "6.1": (["age", "ethnicity"], ["0-14", "15-24", "25-39", "40-59", "60+"]),
    "3.1": (["ethnicity"], []),
    "4.1": (["ethnicity"], []),
    "4.2": (["ethnicity"], []),
    "4.3": (["ethnicity"], []),
    "5.2": (["ethnicity"], []),
}


def _decimal(value: Any) -> Decimal | None:
    if value is None or isinstance(value, bool):
        return None
    return Decimal(str(value))


def _disaggregations(c: CatalogueIndicator) -> list[str]:
    extra = DISAGGREGATED.get(f"{c.objective_number}.{c.number}", ([], []))[0]
    return sorted(set(c.disaggregations or []) | {"sex"} | set(extra))


def national_plan_create(first_province: AdministrativeUnit) -> tuple[Plan, list[Indicator], list[Period]]:
    # The model has no national unit: the plan hangs on the first province by code, and the national view
    # is every province's roll-up (as benchmarks/rollup.py does). The title says it is synthetic.
    plan = Plan.objects.create(
        kind="KH",
        code=PLAN_CODE,
        issuer=f"{LABEL} Cơ quan mô phỏng",
        unit=first_province,
        title=PLAN_TITLE,
        level=Level.PROVINCE,
        year_start=2021,
        year_end=2030,
        status=PlanStatus.ISSUED,
        aims=[f"{LABEL} Dữ liệu mô phỏng chỉ dùng để thử tải, đo tốc độ và trình diễn; không phải số liệu thật."],
    )
    catalogue = [
        c for c in CatalogueIndicator.objects.order_by("objective_number", "number") if c.measure != Measure.BOOLEAN
    ]
    objectives: dict[int, Objective] = {}
    for c in catalogue:
        if c.objective_number not in objectives:
            objectives[c.objective_number] = Objective.objects.create(
                plan=plan,
                key=f"O{c.objective_number}",
                order=c.objective_number,
                number=str(c.objective_number),
                title=c.objective_title,
            )
    indicators = Indicator.objects.bulk_create(
        [
            Indicator(
                plan=plan,
                key=f"I{order}",
                order=order,
                objective=objectives[c.objective_number],
                number=f"{c.objective_number}.{c.number}",
                text=c.text,
                measure=c.measure,
                unit=c.unit,
                direction=c.direction,
                rate_per=c.rate_per,
                numerator=c.numerator,
                denominator=c.denominator,
                disaggregations=_disaggregations(c),
                age_groups=DISAGGREGATED.get(f"{c.objective_number}.{c.number}", ([], []))[1],
                catalogue=c,
            )
            for order, c in enumerate(catalogue, start=1)
        ]
    )
    indicators = list(Indicator.objects.filter(plan=plan).order_by("order"))
    by_key = {i.key: i for i in indicators}
    targets = []
    for order, c in enumerate(catalogue, start=1):
        for t_order, item in enumerate(c.targets or []):
            if isinstance(item, dict):
                targets.append(
                    Target(
                        indicator=by_key[f"I{order}"],
                        order=t_order,
                        year=item.get("year"),
                        value=_decimal(item.get("value")),
                        comparator=item.get("comparator") or "",
                        text=item.get("text") or "",
                    )
                )
    Target.objects.bulk_create(targets)
    periods = []
    for year in YEARS:
        periods.append(
            Period(
                plan=plan,
                kind=ReportKind.SEMIANNUAL,
                year=year,
                number=1,
                label=f"Báo cáo 6 tháng đầu năm {year} {LABEL}",
                data_from=dt.date(year - 1, 12, 15),
                data_to=dt.date(year, 6, 14),
                due=dt.date(year, 6, 20),
                closed=True,
            )
        )
        periods.append(
            Period(
                plan=plan,
                kind=ReportKind.SEMIANNUAL,
                year=year,
                number=2,
                label=f"Báo cáo 6 tháng cuối năm {year} {LABEL}",
                data_from=dt.date(year, 6, 15),
                data_to=dt.date(year, 12, 14),
                due=dt.date(year, 12, 20),
                closed=True,
            )
        )
    Period.objects.bulk_create(periods)
    periods = list(Period.objects.filter(plan=plan).order_by("data_to"))
    return plan, indicators, periods
