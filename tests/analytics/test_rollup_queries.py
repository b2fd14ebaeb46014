"""The roll-up reads sums at the level a figure needs: a province's figure from sums grouped by parent equals
the one built from its communes' own sums, and the number of queries does not grow with the units asked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binhdang.analytics.rollup import LEVEL_RANK, Figure, Rollup
from binhdang.demo.national import synth_build, synthetic_plans
from binhdang.places.models import AdministrativeUnit, Level

pytestmark = pytest.mark.django_db

TINY: dict[str, Any] = {"scale": 0.01, "provinces": 3}


def _plain(figures: dict[tuple[int, str, int], Figure]) -> dict[tuple[int, str, int], tuple[Any, ...]]:
    return {
        k: (f.figure, f.value, f.numerator, f.denominator, f.reports, f.not_rollable, f.problem)
        for k, f in figures.items()
    }


def test_grouped_and_per_unit_sums_agree_and_queries_stay_fixed() -> None:
    synth_build(seed=5, **TINY)
    plan = synthetic_plans().get()
    provinces = list(AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True))
    grouped = Rollup(plan)
    coarse = {p.pk: _plain(grouped.figures(p.pk, LEVEL_RANK[Level.PROVINCE])) for p in provinces}
    assert any(coarse.values())
    fine = Rollup(plan)
    with CaptureQueriesContext(connection) as queries:
        for p in provinces:
            for commune in AdministrativeUnit.objects.filter(parent=p, valid_to__isnull=True):
                fine.figures(commune.pk, LEVEL_RANK[Level.COMMUNE])
    assert len(queries) <= 2 * len(provinces) + 2
    for p in provinces:
        assert _plain(fine.figures(p.pk, LEVEL_RANK[Level.PROVINCE])) == coarse[p.pk]


def test_figures_of_one_indicator_equal_those_of_all() -> None:
    """A ranking reads one indicator's rows for all the units under a parent; the figures are the same."""
    synth_build(seed=6, **TINY)
    plan = synthetic_plans().get()
    province = AdministrativeUnit.objects.filter(
        level=Level.PROVINCE, valid_to__isnull=True, children__reports__period__plan=plan
    ).first()
    assert province is not None
    communes = list(AdministrativeUnit.objects.filter(parent=province, valid_to__isnull=True))
    everything, one = Rollup(plan), Rollup(plan)
    for indicator_id in list(everything.indicators)[:3]:
        for unit, rank in [(province, LEVEL_RANK[Level.PROVINCE])] + [(c, LEVEL_RANK[Level.COMMUNE]) for c in communes]:
            full = {k: f for k, f in everything.figures(unit.pk, rank).items() if k[0] == indicator_id}
            assert _plain(one.figures(unit.pk, rank, indicator_id)) == _plain(full)


def test_for_combo_equals_its_own_rollup_and_reads_no_plan_again() -> None:
    """A combination's roll-up derived from the totals' one gives the same figures as one built for it, and
    reads only the summary rows: one query per group of units, none for the plan, its indicators or units."""
    synth_build(seed=9, **TINY)
    plan = synthetic_plans().get()
    provinces = list(AdministrativeUnit.objects.filter(level=Level.PROVINCE, valid_to__isnull=True))
    base = Rollup(plan)
    totals = {p.pk: _plain(base.figures(p.pk, LEVEL_RANK[Level.PROVINCE])) for p in provinces}
    for combo in ("ethnicity=dtts", "age=0-4;ethnicity=dtts"):
        with CaptureQueriesContext(connection) as queries:
            derived = base.for_combo(combo)
            figures = {p.pk: _plain(derived.figures(p.pk, LEVEL_RANK[Level.PROVINCE])) for p in provinces}
        assert len(queries) == 2  # the first province alone, then all the others
        own = Rollup(plan, combo=combo)
        assert figures == {p.pk: _plain(own.figures(p.pk, LEVEL_RANK[Level.PROVINCE])) for p in provinces}
        assert any(figures.values())
        # a part is never the total: each province's dtts figure has a smaller denominator than its total's
        for pk, by_key in figures.items():
            for key, part in by_key.items():
                assert part[3] < totals[pk][key][3]
