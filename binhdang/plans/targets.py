"""The target of an indicator for a year: one rule for the dashboards and the compiled report (issue 14).

Pure functions over plain data (no database), so that both `binhdang.analytics` (the dashboards) and
`binhdang.documents` (the compiled Báo cáo) use it without depending on each other. The rule, written for people
in docs/monitoring.md:

- The target of a year is the target the plan states for that year. Failing that, it is a point on the straight
  path to the next stated target, drawn from the last known point before it: the previous stated target, or
  else the baseline. After the last stated target, that target holds.
- A target without a year means the plan's last year.
- The comparator of a target (≥ > ≤ < = ~) says what meeting it means; without one, the direction of the
  indicator gives it (increase ≥, decrease ≤, maintain ~), and without either, the baseline does.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from django.utils.functional import Promise
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

if TYPE_CHECKING:
    from .models import Indicator

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


def indicator_spec(indicator: Indicator, plan_year_end: int | None = None) -> IndicatorSpec:
    """The spec of a stored indicator (its targets as written, in their stored order; prefetch them for many)."""
    return IndicatorSpec(
        measure=indicator.measure,
        direction=indicator.direction,
        baseline_year=indicator.baseline_year,
        baseline_value=indicator.baseline_value,
        targets=tuple(TargetPoint(t.year, t.value, t.comparator, t.text) for t in indicator.targets.all()),
        plan_year_end=plan_year_end if plan_year_end is not None else indicator.plan.year_end,
    )
