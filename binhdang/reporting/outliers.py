"""A figure far from the reporting unit's own history: flagged for a second look, never refused (issue 14).

The rule is DHIS2's outlier detection with the modified z-score: over the unit's accepted figures of the same
indicator and sex in earlier periods of the same kind, take the median and the median absolute deviation (MAD);
a figure whose distance from the median is more than three times 1.4826 × MAD is an outlier (1.4826 × MAD
estimates the standard deviation of normally spread figures, so 3 reads as "three standard deviations" while
one wild past figure cannot widen the band, as it would with the mean and standard deviation).

Decisions (docs/reporting.md, "Entry that teaches"):
- at least three past figures, or no judgement: with one or two the median is a guess;
- when the MAD is 0 (at least half of the past figures are the same number) any difference would be an
  infinite score, so the figure is flagged only when it differs from the median by more than half of the median
  and by more than 10 in the figure's own unit (people, percentage points, per N): a unit that reported 2 cases
  three times is not flagged for 4, one that reported 200 three times is for 320.

Plain functions on decimals: the history comes from ``selectors.accepted_history`` (one query for a whole report)
and ``services.check_report_entries`` turns the result into an ``Issue`` of level FLAG.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import Decimal

from django.utils.translation import gettext as _

from binhdang.lib.numbers import format_vn_figure

MIN_HISTORY = 3
# DHIS2's default threshold for the modified z-score.
THRESHOLD = Decimal(3)
# The consistency constant: 1.4826 × MAD estimates the standard deviation of a normal distribution.
MAD_SCALE = Decimal("1.4826")
# When MAD is 0: the relative and absolute differences a figure must exceed to be flagged.
FLAT_RELATIVE = Decimal("0.5")
FLAT_MINIMUM = Decimal(10)


@dataclass(frozen=True)
class Outlier:
    """Why a figure was flagged: the unit's usual value (median) and the range of its past figures."""

    figure: Decimal
    median: Decimal
    mad: Decimal
    low: Decimal
    high: Decimal
    score: Decimal | None  # the modified z-score; None when MAD is 0


def median(numbers: Sequence[Decimal]) -> Decimal:
    ordered = sorted(numbers)
    middle = len(ordered) // 2
    if len(ordered) % 2:
        return ordered[middle]
    return (ordered[middle - 1] + ordered[middle]) / 2


def median_absolute_deviation(numbers: Sequence[Decimal], center: Decimal) -> Decimal:
    return median([abs(number - center) for number in numbers])


def outlier(figure: Decimal, history: Sequence[Decimal]) -> Outlier | None:
    """The reason ``figure`` stands out from ``history`` (the unit's past figures), or None when it does not or
    when there are fewer than ``MIN_HISTORY`` past figures to judge by."""
    if len(history) < MIN_HISTORY:
        return None
    center = median(history)
    mad = median_absolute_deviation(history, center)
    distance = abs(figure - center)
    if mad:
        score = distance / (MAD_SCALE * mad)
        if score <= THRESHOLD:
            return None
    else:
        score = None
        if distance <= max(FLAT_RELATIVE * abs(center), FLAT_MINIMUM):
            return None
    return Outlier(figure, center, mad, min(history), max(history), score)


def outlier_message(measure: str, found: Outlier) -> str:
    """ "Giá trị 450 khác xa số liệu các kỳ trước của đơn vị (trung vị 45; từ 40 đến 52). Vui lòng kiểm tra lại."
    For a rate the figure is the one computed from the numerator and denominator, and named so."""
    words = {
        "percentage": _("Tỷ lệ"),
        "rate": _("Tỷ suất"),
        "ratio": _("Tỷ số"),
    }
    return _(
        "%(field)s %(figure)s khác xa số liệu các kỳ trước của đơn vị (trung vị %(median)s; từ %(low)s đến "
        "%(high)s). Vui lòng kiểm tra lại."
    ) % {
        "field": words.get(measure, _("Giá trị")),
        "figure": format_vn_figure(found.figure),
        "median": format_vn_figure(found.median),
        "low": format_vn_figure(found.low),
        "high": format_vn_figure(found.high),
    }
