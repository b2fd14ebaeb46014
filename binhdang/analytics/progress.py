"""Progress against target: the target of a year and the status of a figure. Pure functions, no database.

The method is written for people in docs/monitoring.md (shown on /theo-doi/cach-tinh/); keep the two in step.

- The target of a year (`binhdang.plans.targets.target_for_year`, one rule for the dashboards and the compiled
  report) is the target the plan states for that year. Failing that, it is a point on the straight path to the
  next stated target, drawn from the last known point before it: the previous stated target, or else the
  baseline. After the last stated target, that target holds. A target without a year means the plan's last year.
- The comparator of a target (≥ > ≤ < = ~) says what meeting it means; without one, the direction of the
  indicator gives it (increase ≥, decrease ≤, maintain ~), and without either, the baseline does.
- Status: achieved (meets a target stated for this year, or already meets the final target), on track (meets
  the path point of this year), at risk (misses the year's target by no more than the tolerance, 10% of the
  target), off track (misses it by more), no data (no accepted figure), not assessed (the plan lacks something
  the status needs: each reason is listed so the page can say what is missing).
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from decimal import ROUND_HALF_UP, Decimal
from enum import StrEnum

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from binhdang.lib.numbers import format_vn_figure

# The target of a year is one rule, shared with the compiled report (binhdang/plans/targets.py).
from binhdang.plans.targets import (
    COMPARATOR_SIGNS,
    IndicatorSpec,
    YearTarget,
    comparator_of,
    spec_problems,
    stated_targets,
    target_for_year,
)
from binhdang.plans.targets import TargetPoint as TargetPoint  # re-exported: callers build specs from here

# Shortfall still counted "at risk", as a share of the year's target value.
TOLERANCE = Decimal("0.10")
# "khoảng 60%" is met within this share of the target value.
ABOUT = Decimal("0.05")


class Status(StrEnum):
    ACHIEVED = "achieved"
    ON_TRACK = "on_track"
    AT_RISK = "at_risk"
    OFF_TRACK = "off_track"
    BELOW_FINAL = "below_final"  # no baseline, no path: judged against the end target alone, not met yet
    NO_DATA = "no_data"
    NOT_ASSESSED = "not_assessed"


STATUS_LABELS: dict[Status, str | Promise] = {
    Status.ACHIEVED: _("Đã đạt"),
    Status.ON_TRACK: _("Đúng tiến độ"),
    Status.AT_RISK: _("Có nguy cơ không đạt"),
    Status.OFF_TRACK: _("Chậm tiến độ"),
    Status.BELOW_FINAL: _("Chưa đạt chỉ tiêu cuối kỳ"),
    Status.NO_DATA: _("Chưa có số liệu"),
    Status.NOT_ASSESSED: _("Chưa đánh giá được"),
}


@dataclass
class Assessment:
    status: Status
    target: YearTarget | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def meets(value: Decimal, target: Decimal, comparator: str) -> bool:
    if comparator == ">=":
        return value >= target
    if comparator == ">":
        return value > target
    if comparator == "<=":
        return value <= target
    if comparator == "<":
        return value < target
    if comparator == "=":
        return value == target
    return abs(value - target) <= ABOUT * abs(target)  # "~"


def shortfall(value: Decimal, target: Decimal, comparator: str) -> Decimal:
    """How far the value is from meeting the target, in the indicator's own unit (0 when it meets it)."""
    if meets(value, target, comparator):
        return Decimal(0)
    if comparator in (">=", ">"):
        return target - value
    if comparator in ("<=", "<"):
        return value - target
    return abs(value - target)


def assess(spec: IndicatorSpec, year: int, figure: Decimal | None, figure_problem: str = "") -> Assessment:
    """The status of ``figure`` (the latest accepted figure, for ``year``) against the plan's targets.

    ``figure_problem`` explains why there is no figure when there are values that cannot make one (a zero
    denominator, percentages without numerator and denominator).
    """
    target, problems = target_for_year(spec, year)
    if figure is None:
        missing = [figure_problem] if figure_problem else []
        return Assessment(Status.NO_DATA, target, missing + problems)
    if target is None:
        return Assessment(Status.NOT_ASSESSED, None, problems)
    final = next(t for y, t in stated_targets(spec) if y == target.final_year)
    final_comparator = comparator_of(spec, final, target.final_value) or target.comparator
    if meets(figure, target.final_value, final_comparator):
        return Assessment(Status.ACHIEVED, target)
    if meets(figure, target.value, target.comparator):
        return Assessment(Status.ACHIEVED if target.stated else Status.ON_TRACK, target)
    if shortfall(figure, target.value, target.comparator) <= TOLERANCE * abs(target.value):
        return Assessment(Status.AT_RISK, target)
    return Assessment(Status.OFF_TRACK, target)


def target_path(spec: IndicatorSpec, years: list[int]) -> dict[int, YearTarget]:
    """The target of each year that has one, for the trend chart's target line."""
    path = {}
    for year in years:
        target, _problems = target_for_year(spec, year)
        if target is not None:
            path[year] = target
    return path


# --- a verdict when the plan prints no baseline (issue 14) ------------------------------------------------------


def with_data_baseline(spec: IndicatorSpec, year: int, value: Decimal) -> IndicatorSpec | None:
    """The spec with the first accepted figure (of ``year``) as its baseline, when the plan states none."""
    if spec.baseline_value is not None or spec.baseline_year is not None:
        return None
    return replace(spec, baseline_year=year, baseline_value=value)


def against_final_target(spec: IndicatorSpec, figure: Decimal) -> tuple[Assessment, str] | None:
    """Judge the figure against the plan's end target alone, with a plain sentence saying so; None when the plan
    has no usable end target. Meeting it is "achieved"; missing it gives no path status (there is no path without
    a baseline): "below the end target", and the sentence says how far the figure is from it."""
    if spec_problems(spec):
        return None
    stated = stated_targets(spec)
    final_year, final = stated[-1]
    assert final.value is not None
    comparator = comparator_of(spec, final, final.value)
    if comparator is None:
        return None
    target = YearTarget(final_year, final.value, comparator, True, final.value, final_year)
    params = {
        "year": final_year,
        "sign": COMPARATOR_SIGNS[comparator],
        "target": format_figure(final.value),
        "value": format_figure(figure),
    }
    if meets(figure, final.value, comparator):
        sentence = gettext(
            "Kế hoạch không ghi giá trị cơ sở, nên so thẳng với chỉ tiêu năm %(year)s (%(sign)s %(target)s): "
            "giá trị %(value)s đã đạt chỉ tiêu này."
        )
        return Assessment(Status.ACHIEVED, target), sentence % params
    params["gap"] = format_figure(shortfall(figure, final.value, comparator))
    sentence = gettext(
        "Kế hoạch không ghi giá trị cơ sở, nên so thẳng với chỉ tiêu năm %(year)s (%(sign)s %(target)s): "
        "giá trị %(value)s còn cách chỉ tiêu %(gap)s."
    )
    return Assessment(Status.BELOW_FINAL, target), sentence % params


def format_figure(value: Decimal) -> str:
    """A figure in a sentence, as the tables print it (two decimals at most, Vietnamese separators)."""
    return format_vn_figure(value)


def rounding_decides(figure: Decimal, target: YearTarget | None, decimals: int = 2) -> bool:
    """Whether the figure rounded for display would meet the target differently from the figure itself, so the
    page must show it unrounded ("1,705" against "≤ 1,7", not "1,7")."""
    if target is None:
        return False
    rounded = figure.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded != figure and (
        meets(rounded, target.value, target.comparator) != meets(figure, target.value, target.comparator)
        or rounded == target.value
    )
