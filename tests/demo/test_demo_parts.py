"""The demo's indicator by age group and ethnicity (issue 16): its synthetic parts add up to every total, female and
male add up in every part, and the shares are exact (binhdang/demo/figures.py)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from typing import Any

import pytest

from binhdang.demo.figures import _share
from binhdang.plans.categories import combos_for
from binhdang.reporting.models import ReportStatus, Value
from tests.reporting.test_synthetic import _build, seeds  # noqa: F401  (the fixture)

D = Decimal


@pytest.mark.parametrize(
    ("total", "weights", "caps"),
    [
        (D(1000), [0.5, 1.7, 2.0, 0.9], None),
        (D("12.7"), [1.0, 1.0, 1.0], None),
        (D(95), [3.0, 1.0], [D(40), D(60)]),  # the first share would be 71 by weight, its cap is 40
        (D(0), [1.0, 2.0], None),
    ],
)
def test_shares_add_up_exactly_and_respect_their_caps(total: Decimal, weights: list[float], caps: Any) -> None:
    shares = _share(total, weights, caps)
    assert sum(s for s in shares if s is not None) == total
    if caps:
        assert all(s is not None and s <= cap for s, cap in zip(shares, caps, strict=True))


@pytest.mark.django_db
def test_the_split_indicator_has_parts_that_add_up(seeds: Any) -> None:  # noqa: F811
    _build(seeds)
    parts = Value.objects.exclude(combo="").select_related("indicator", "report")
    assert parts.exists()
    indicator = parts[0].indicator
    combos = [c for c in combos_for(indicator) if c]
    assert len(combos) == 6  # three age groups that tile every age × Kinh / ethnic minorities
    by_report: dict[int, dict[tuple[str, str], Value]] = defaultdict(dict)
    for value in Value.objects.filter(indicator=indicator):
        by_report[value.report_id][(value.sex, value.combo)] = value
    accepted = 0
    for values in by_report.values():
        report = next(iter(values.values())).report
        accepted += report.status == ReportStatus.ACCEPTED
        for sex in ("female", "male", "total"):
            for field in ("numerator", "denominator"):
                total = getattr(values[(sex, "")], field)
                assert sum(getattr(values[(sex, c)], field) for c in combos) == total
        for combo in combos:
            for field in ("numerator", "denominator"):
                female, male = (getattr(values[(s, combo)], field) for s in ("female", "male"))
                assert female + male == getattr(values[("total", combo)], field)
            assert values[("total", combo)].numerator <= values[("total", combo)].denominator
    assert accepted >= 1
