"""The roll-up reads sums at the level a figure needs: a province's figure from sums grouped by parent equals
the one built from its communes' own sums, and the number of queries does not grow with the units asked."""

from __future__ import annotations

from typing import Any

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from binhdang.analytics.rollup import LEVEL_RANK, Figure, Rollup
from binhdang.analytics.synthetic import synth_build, synthetic_plans
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
