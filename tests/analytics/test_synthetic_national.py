"""The labelled national synthetic dataset (binhdang synth), at a tiny scale: labels, counts, determinism, and
the roll-up agreeing with a direct SQL sum."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal
from typing import Any

import pytest
from django.core.management import call_command
from django.db.models import Sum

from binhdang.analytics.rollup import LEVEL_RANK, Rollup
from binhdang.demo.national import LABEL, PLAN_TITLE, scale_fraction, synth_build, synthetic_plans
from binhdang.places.models import AdministrativeUnit
from binhdang.plans.categories import combos_for
from binhdang.plans.models import Indicator
from binhdang.reporting.models import AcceptedSum, AuditEvent, Period, Report, ReportStatus, Value
from binhdang.reporting.summary import summary_rebuild

pytestmark = pytest.mark.django_db

TINY: dict[str, Any] = {"scale": 0.01, "provinces": 3}


def _snapshot(plan_id: int) -> list[tuple[Any, ...]]:
    return list(
        Value.objects.filter(report__period__plan_id=plan_id)
        .order_by("report__unit__code", "report__period__data_to", "indicator__order", "combo", "sex")
        .values_list(
            "report__unit__code", "report__period__label", "indicator__key", "combo", "sex", "numerator", "denominator"
        )
    )


def test_labels_and_counts() -> None:
    result = synth_build(seed=1, **TINY)
    plan = synthetic_plans().get()
    assert plan.title == PLAN_TITLE and plan.title.startswith(LABEL)
    assert result["provinces"] == 3 and result["indicators"] == 16 and result["periods"] == 10
    periods = Period.objects.filter(plan=plan)
    assert periods.count() == 10 and all(LABEL in p.label for p in periods)
    reports = Report.objects.filter(period__plan=plan)
    assert reports.count() == result["communes"] * 10 == result["reports"]
    assert all(r.summary.startswith(LABEL) and r.is_committee for r in reports)
    missing = reports.exclude(status=ReportStatus.ACCEPTED)
    assert missing.count() == result["reports_missing"]
    assert not Value.objects.filter(report__in=missing).exists()
    assert reports.filter(late=True).count() == result["reports_late"]
    accepted = result["reports"] - result["reports_missing"]
    combos = sum(len(combos_for(i)) for i in Indicator.objects.filter(plan=plan))
    # 8 indicators by 5 age groups × 2 ethnicities (1 + 10 combinations), 5 by ethnicity (1 + 2), 3 total only
    assert combos == 8 * 11 + 5 * 3 + 3
    assert Value.objects.filter(report__period__plan=plan).count() == accepted * combos * 3 == result["values"]
    assert result["numbers"] == result["values"] * 3
    assert not AuditEvent.objects.filter(report__period__plan=plan).exists()  # the bulk path, by design
    for female, male, total in _triples(plan.pk):
        assert total == (female[0] + male[0], female[1] + male[1])
    _parts_add_up(plan.pk)


def _triples(plan_id: int) -> list[tuple[tuple[Decimal, Decimal], ...]]:
    rows: dict[tuple[int, int, str], dict[str, tuple[Decimal, Decimal]]] = {}
    for report_id, indicator_id, sex, combo, num, den in Value.objects.filter(
        report__period__plan_id=plan_id
    ).values_list("report_id", "indicator_id", "sex", "combo", "numerator", "denominator"):
        assert num is not None and den is not None
        rows.setdefault((report_id, indicator_id, combo), {})[sex] = (num, den)
    return [(r["female"], r["male"], r["total"]) for r in rows.values()]


def _parts_add_up(plan_id: int) -> None:
    """For each report, indicator and sex, the combinations' numerators and denominators sum to the total's."""
    totals: dict[tuple[int, int, str], tuple[Decimal, Decimal]] = {}
    parts: dict[tuple[int, int, str], list[Decimal]] = {}
    for report_id, indicator_id, sex, combo, num, den in Value.objects.filter(
        report__period__plan_id=plan_id
    ).values_list("report_id", "indicator_id", "sex", "combo", "numerator", "denominator"):
        key = (report_id, indicator_id, sex)
        if combo == "":
            totals[key] = (num, den)
        else:
            part = parts.setdefault(key, [Decimal(0), Decimal(0)])
            part[0] += num
            part[1] += den
    assert parts and all(totals[k] == (n, d) for k, (n, d) in parts.items())


def test_the_rate_is_the_rounded_quotient_of_each_row() -> None:
    synth_build(seed=4, **TINY)
    plan = synthetic_plans().get()
    scales = {i.pk: i.scale for i in Indicator.objects.filter(plan=plan)}
    rows = Value.objects.filter(report__period__plan=plan).values_list(
        "indicator_id", "value", "numerator", "denominator"
    )
    for indicator_id, value, num, den in rows[:3000]:
        assert value == (num / den * scales[indicator_id]).quantize(Decimal("0.0001"), rounding=ROUND_HALF_UP)


def _summary(plan_id: int) -> list[tuple[Any, ...]]:
    return sorted(
        AcceptedSum.objects.filter(plan_id=plan_id).values_list(
            "unit_id", "indicator_id", "sex", "combo", "period_id", "rank", "own", "value", "values",
            "numerator", "denominator", "reports", "fraction_reports",
        )
    )  # fmt: skip


def test_bulk_summary_equals_summary_rebuild() -> None:
    result = synth_build(seed=5, **TINY)
    plan = synthetic_plans().get()
    bulk = _summary(plan.pk)
    assert len(bulk) == result["summary_rows"] > result["values"]  # own rows, plus the provinces'
    assert {row[3] for row in bulk} > {""}  # the combinations have summary rows of their own
    assert summary_rebuild(plan=plan) == len(bulk)
    assert _summary(plan.pk) == bulk


def test_deterministic_and_rebuild_replaces() -> None:
    first = synth_build(seed=7, **TINY)
    a = [row[:1] + row[2:] for row in _snapshot(first["plan_id"])]
    second = synth_build(seed=7, **TINY)
    assert synthetic_plans().count() == 1
    b = [row[:1] + row[2:] for row in _snapshot(second["plan_id"])]
    assert a == b
    third = synth_build(seed=8, **TINY)
    assert [row[:1] + row[2:] for row in _snapshot(third["plan_id"])] != a


@pytest.mark.parametrize("combo", ["", "ethnicity=dtts", "age=0-4;ethnicity=kinh"])
def test_rollup_equals_direct_sql_sum(combo: str) -> None:
    result = synth_build(seed=3, **TINY)
    plan = synthetic_plans().get()
    rollup = Rollup(plan, combo=combo)
    provinces = AdministrativeUnit.objects.filter(
        pk__in=Report.objects.filter(period__plan=plan).values("unit__parent_id")
    )
    assert provinces.count() == result["provinces"]
    for province in provinces:
        figures = rollup.figures(province.pk, LEVEL_RANK["province"])
        direct = (
            Value.objects.filter(
                report__period__plan=plan,
                report__status=ReportStatus.ACCEPTED,
                report__unit__parent=province,
                combo=combo,
            )
            .values("indicator_id", "sex", "report__period_id")
            .annotate(n=Sum("numerator"), d=Sum("denominator"))
        )
        assert len(figures) == len(direct) > 0
        for row in direct:
            fig = figures[(row["indicator_id"], row["sex"], row["report__period_id"])]
            assert (fig.numerator, fig.denominator) == (row["n"], row["d"])


def test_command_and_scale() -> None:
    assert scale_fraction("national") == 1.0
    with pytest.raises(ValueError):
        scale_fraction("2")
    call_command("synth", "--scale", "0.01", "--provinces", "2", "--seed", "2")
    assert synthetic_plans().count() == 1
    call_command("synth", "--clear")
    assert synthetic_plans().count() == 0
