"""Progress against target: the target of a year and the status of a figure. Pure functions, no database.

The method is written for people in docs/monitoring.md (shown on /theo-doi/cach-tinh/); keep the two in step.

- The target of a year is the target the plan states for that year. Failing that, it is a point on the straight
  path to the next stated target, drawn from the last known point before it: the previous stated target, or
  else the baseline. After the last stated target, that target holds.
- A target without a year means the plan's last year.
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

COMPARATOR_SIGNS: dict[str, str | Promise] = {">=": "≥", ">": ">", "<=": "≤", "<": "<", "=": "=", "~": _("khoảng")}
_FROM_DIRECTION = {"increase": ">=", "decrease": "<=", "maintain": "~"}


@dataclass(frozen=True)
class TargetPoint:
    """One target as the plan states it (year None: the plan's last year)."""

    year: int | None
    value: Decimal | None
    comparator: str = ""
    text: str = ""


@dataclass(frozen=True)
class IndicatorSpec:
    measure: str
    direction: str = ""
    baseline_year: int | None = None
    baseline_value: Decimal | None = None
    targets: tuple[TargetPoint, ...] = ()
    plan_year_end: int | None = None


@dataclass(frozen=True)
class YearTarget:
    year: int
    value: Decimal
    comparator: str  # always one of the six, never blank
    stated: bool  # stated for this year by the plan; False for a point on the path
    final_value: Decimal
    final_year: int

    @property
    def sign(self) -> str:
        return str(COMPARATOR_SIGNS[self.comparator])


@dataclass
class Assessment:
    status: Status
    target: YearTarget | None = None
    missing: list[str] = field(default_factory=list)

    @property
    def label(self) -> str:
        return str(STATUS_LABELS[self.status])


def stated_targets(spec: IndicatorSpec) -> list[tuple[int, TargetPoint]]:
    """Targets with a value, each with its year (the plan's last year when none is written), by year."""
    result: dict[int, TargetPoint] = {}
    for target in spec.targets:
        year = target.year if target.year is not None else spec.plan_year_end
        if year is None or target.value is None:
            continue
        result.setdefault(year, target)  # two targets for one year: the first as written
    return sorted(result.items(), key=lambda item: item[0])


def spec_problems(spec: IndicatorSpec) -> list[str]:
    """What the plan lacks for any status to be drawn, in words for the page (empty when nothing is)."""
    if spec.measure == "text":
        return [gettext("Chỉ tiêu định tính: không có con số để so với chỉ tiêu.")]
    stated = stated_targets(spec)
    if not stated:
        if any(t.value is None for t in spec.targets):
            return [gettext("Chỉ tiêu không ghi giá trị bằng số.")]
        return [gettext("Chưa có chỉ tiêu (giá trị mục tiêu) cho chỉ số này.")]
    problems = []
    if spec.baseline_year is not None:
        early = [year for year, _ in stated if year < spec.baseline_year]
        if early:
            problems.append(
                gettext("Năm của chỉ tiêu (%(years)s) trước năm cơ sở (%(baseline)s).")
                % {"years": ", ".join(map(str, early)), "baseline": spec.baseline_year}
            )
    if spec.baseline_year is not None and spec.baseline_value is None:
        problems.append(
            gettext("Có năm cơ sở %(baseline)s nhưng thiếu giá trị cơ sở.") % {"baseline": spec.baseline_year}
        )
    return problems


def comparator_of(spec: IndicatorSpec, target: TargetPoint, value: Decimal) -> str | None:
    """The target's comparator, else the one the direction implies, else the one the baseline implies."""
    if target.comparator in COMPARATOR_SIGNS:
        return target.comparator
    if spec.direction in _FROM_DIRECTION:
        return _FROM_DIRECTION[spec.direction]
    if spec.baseline_value is not None:
        if value > spec.baseline_value:
            return ">="
        if value < spec.baseline_value:
            return "<="
        return "~"
    return None


def target_for_year(spec: IndicatorSpec, year: int) -> tuple[YearTarget | None, list[str]]:
    """The target of ``year`` and, when there is none, what is missing."""
    problems = spec_problems(spec)
    if problems:
        return None, problems
    stated = stated_targets(spec)
    final_year, final = stated[-1]
    assert final.value is not None  # stated_targets keeps only targets with a value
    after = [(y, t) for y, t in stated if y >= year]
    if not after:  # past the last stated target: it holds
        nxt_year, nxt = final_year, final
    else:
        nxt_year, nxt = after[0]
    assert nxt.value is not None
    comparator = comparator_of(spec, nxt, nxt.value)
    if comparator is None:
        return None, [gettext("Không rõ chiều của chỉ tiêu (tăng hay giảm) và không có dấu so sánh.")]
    if nxt_year == year or not after:
        return YearTarget(year, nxt.value, comparator, True, final.value, final_year), []
    before = [(y, t.value) for y, t in stated if y < year and t.value is not None]
    if before:
        start_year, start_value = before[-1]
    elif spec.baseline_year is not None and spec.baseline_value is not None and spec.baseline_year <= year:
        start_year, start_value = spec.baseline_year, spec.baseline_value
    else:
        return None, [
            gettext(
                "Chưa có giá trị cơ sở: không vẽ được lộ trình tới chỉ tiêu năm %(target_year)s, "
                "nên năm %(year)s chưa có mốc để so."
            )
            % {"target_year": nxt_year, "year": year}
        ]
    share = Decimal(year - start_year) / Decimal(nxt_year - start_year)
    value = start_value + (nxt.value - start_value) * share
    return YearTarget(year, value.quantize(Decimal("0.0001")), comparator, False, final.value, final_year), []


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
