"""Rules that live on the plans' models."""

from __future__ import annotations

from decimal import Decimal

import pytest

from binhdang.plans.models import Indicator, Measure


@pytest.mark.parametrize(
    ("measure", "rate_per", "fraction", "scale"),
    [
        ("percentage", None, True, 100),
        ("rate", 1000, True, 1000),
        ("rate", None, True, 1),
        ("ratio", None, True, 1),
        ("count", None, False, 1),
        ("boolean", None, False, 1),
        ("text", None, False, 1),
    ],
)
def test_one_rule_for_fractions_and_their_scale(measure: str, rate_per: int | None, fraction: bool, scale: int) -> None:
    """Issue 17: the form, the spreadsheet, the checks and the roll-up all ask the indicator; a rate per 1,000
    live births is numerator / denominator × 1,000, a percentage × 100."""
    indicator = Indicator(measure=measure, rate_per=rate_per)
    assert indicator.is_fraction is fraction is Measure(measure).is_fraction
    assert indicator.scale == Decimal(scale)
