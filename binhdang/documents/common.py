"""Pieces the plan and report builders share: agencies' names, targets, amounts, sources."""

from __future__ import annotations

from decimal import Decimal

from binhdang.lib.numbers import format_vn_figure, format_vn_number
from binhdang.plans.models import Comparator, FundingSource, Indicator, Measure, Plan, Target
from binhdang.plans.targets import YearTarget

KIND_NAMES = {
    "NQ": "Nghị quyết",
    "QĐ": "Quyết định",
    "CT": "Chỉ thị",
    "TT": "Thông tư",
    "NĐ": "Nghị định",
    "HD": "Hướng dẫn",
    "CTr": "Chương trình",
    "KH": "Kế hoạch",
    "CV": "Công văn",
    "TTr": "Tờ trình",
    "BC": "Báo cáo",
    "TB": "Thông báo",
    "L": "Luật",
}

SOURCE_ORDER = [FundingSource.CENTRAL.value, FundingSource.LOCAL.value, FundingSource.OTHER.value, ""]
SOURCE_NAMES = {
    FundingSource.CENTRAL.value: "Ngân sách trung ương",
    FundingSource.LOCAL.value: "Ngân sách địa phương",
    FundingSource.OTHER.value: "Nguồn hợp pháp khác",
    "": "Không ghi nguồn",
}

_COMPARATOR_TEXT = {
    Comparator.GE.value: "≥ ",
    Comparator.GT.value: "> ",
    Comparator.LE.value: "≤ ",
    Comparator.LT.value: "< ",
    Comparator.EQ.value: "",
    Comparator.ABOUT.value: "khoảng ",
}


def issuer_of(plan: Plan) -> str:
    """The body that issued the plan; for a plan that does not say, its unit's People's Committee."""
    if plan.issuer:
        return plan.issuer
    unit = plan.unit_written_as or plan.unit.name
    return f"Ủy ban nhân dân {unit[:1].lower()}{unit[1:]}"


def committee_symbol(issuer: str) -> str:
    """The issuer's part of a symbol: "UBND" for a People's Committee, blank for the clerk otherwise."""
    return "UBND" if issuer.lower().replace("uỷ", "ủy").startswith("ủy ban nhân dân") else ""


def amount(value: Decimal | None) -> str:
    return "" if value is None else format_vn_number(value)


def value_text(indicator: Indicator, value: Decimal | None) -> str:
    """A figure as printed: "50%", "1.040", "có"."""
    if value is None:
        return ""
    if indicator.measure == Measure.BOOLEAN:
        return "có" if value else "không"
    text = format_vn_number(value, 1) if value != value.to_integral_value() else format_vn_number(value)
    if indicator.measure == Measure.PERCENTAGE or indicator.unit == "%":
        return f"{text}%"
    return f"{text} {indicator.unit}".strip() if indicator.unit else text


def year_target_text(indicator: Indicator, target: YearTarget) -> str:
    """The target of a year as the compiled report prints it: the comparator, then the value rounded as the
    dashboards round it (at most two decimals), and "(lộ trình)" for a point on the path to the next stated target
    rather than a target the plan states for the year."""
    if indicator.measure == Measure.BOOLEAN:
        figure = value_text(indicator, target.value)
    else:
        figure = format_vn_figure(target.value)
        if indicator.measure == Measure.PERCENTAGE or indicator.unit == "%":
            figure = f"{figure}%"
        elif indicator.unit:
            figure = f"{figure} {indicator.unit}"
    text = _COMPARATOR_TEXT.get(target.comparator, "") + figure
    return text if target.stated else f"{text} (lộ trình)"


def target_text(indicator: Indicator, target: Target, with_year: bool = True) -> str:
    if target.value is None:
        core = target.text
    else:
        core = _COMPARATOR_TEXT.get(target.comparator, "") + value_text(indicator, target.value)
    if with_year and target.year:
        return f"năm {target.year}: {core}"
    return core


def targets_text(indicator: Indicator) -> str:
    return "; ".join(t for t in (target_text(indicator, target) for target in indicator.targets.all()) if t)
