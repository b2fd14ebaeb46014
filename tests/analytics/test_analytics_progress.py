"""Status rules, table-driven: comparators, direction, the path from the baseline, and every bad input."""

from __future__ import annotations

from decimal import Decimal

import pytest

from binhdang.analytics.progress import IndicatorSpec, Status, TargetPoint, assess, target_for_year

D = Decimal


def spec(
    targets: list[tuple[int | None, str | None, str]],
    *,
    measure: str = "percentage",
    direction: str = "",
    baseline: tuple[int, str | None] | None = None,
    end: int = 2030,
) -> IndicatorSpec:
    return IndicatorSpec(
        measure=measure,
        direction=direction,
        baseline_year=baseline[0] if baseline else None,
        baseline_value=D(baseline[1]) if baseline and baseline[1] is not None else None,
        targets=tuple(TargetPoint(y, D(v) if v is not None else None, c) for y, v, c in targets),
        plan_year_end=end,
    )


WAGE = spec([(2025, "50", ">="), (2030, "60", "~")], baseline=(2020, "40"))
AGRICULTURE = spec([(2025, "30", "<"), (2030, "25", "<")], baseline=(2020, "40"))
SRB = spec([(2030, "109", "<=")], direction="decrease", baseline=(2020, "112"))

CASES = [
    # (name, spec, year, figure, status)
    ("stated target met", WAGE, 2025, "51", Status.ACHIEVED),
    ("stated target missed within tolerance", WAGE, 2025, "46", Status.AT_RISK),
    ("stated target missed by more than 10%", WAGE, 2025, "44", Status.OFF_TRACK),
    ("path point met (2022: 44)", WAGE, 2022, "44.5", Status.ON_TRACK),
    ("path point missed a little", WAGE, 2022, "41", Status.AT_RISK),
    ("path from previous stated target (2027: 54)", WAGE, 2027, "54", Status.ON_TRACK),
    ("about 60 met within 5%", WAGE, 2030, "58", Status.ACHIEVED),
    ("final target already met early", WAGE, 2022, "59", Status.ACHIEVED),
    ("strict less-than: equal is not met", AGRICULTURE, 2025, "30", Status.AT_RISK),
    ("strict less-than met", AGRICULTURE, 2025, "29.9", Status.ACHIEVED),
    ("decrease: above the target is off track", AGRICULTURE, 2025, "35", Status.OFF_TRACK),
    ("decrease path (2025: 110.5)", SRB, 2025, "110.4", Status.ON_TRACK),
    ("decrease path missed", SRB, 2025, "112", Status.AT_RISK),
    ("direction gives the comparator", spec([(2026, "50", "")], direction="increase"), 2026, "50", Status.ACHIEVED),
    ("baseline gives the comparator", spec([(2026, "10", "")], baseline=(2020, "20")), 2026, "9", Status.ACHIEVED),
    ("equals", spec([(2026, "100", "=")]), 2026, "99", Status.AT_RISK),
    ("greater-than", spec([(2026, "5", ">")]), 2026, "5", Status.AT_RISK),
    (
        "target without year is the plan's last year",
        spec([(None, "100", ">=")], end=2026),
        2026,
        "100",
        Status.ACHIEVED,
    ),
    ("after the last target it holds", spec([(2025, "50", ">=")]), 2027, "40", Status.OFF_TRACK),
    ("zero target, no tolerance", spec([(2026, "0", "<=")]), 2026, "1", Status.OFF_TRACK),
    # Bad input: the status says what is missing, never a guess.
    ("no data", WAGE, 2025, None, Status.NO_DATA),
    ("no target", spec([]), 2026, "50", Status.NOT_ASSESSED),
    ("target without a value", spec([(2026, None, ">=")]), 2026, "50", Status.NOT_ASSESSED),
    ("no baseline before the first target", spec([(2030, "60", ">=")]), 2026, "50", Status.NOT_ASSESSED),
    (
        "target year before the baseline",
        spec([(2019, "60", ">=")], baseline=(2020, "40")),
        2026,
        "50",
        Status.NOT_ASSESSED,
    ),
    ("baseline year without value", spec([(2030, "60", ">=")], baseline=(2020, None)), 2026, "50", Status.NOT_ASSESSED),
    ("text indicator", spec([(2026, "1", ">=")], measure="text"), 2026, "1", Status.NOT_ASSESSED),
    ("no comparator, direction or baseline", spec([(2026, "50", "")]), 2026, "50", Status.NOT_ASSESSED),
]


@pytest.mark.parametrize(("name", "indicator", "year", "figure", "expected"), CASES, ids=[c[0] for c in CASES])
def test_status(name: str, indicator: IndicatorSpec, year: int, figure: str | None, expected: Status) -> None:
    result = assess(indicator, year, D(figure) if figure is not None else None)
    assert result.status == expected, (name, result)
    if expected in (Status.NOT_ASSESSED,):
        assert result.missing, "a page must be able to say what is missing"


def test_target_of_a_year_is_stated_or_a_point_on_the_path() -> None:
    stated, _ = target_for_year(WAGE, 2025)
    assert stated is not None and stated.stated and stated.value == D(50)
    path, _ = target_for_year(WAGE, 2022)
    assert path is not None and not path.stated and path.value == D(44) and path.comparator == ">="


def test_zero_denominator_is_no_data_with_its_reason() -> None:
    result = assess(WAGE, 2025, None, "Tổng mẫu số bằng 0: không tính được tỷ lệ.")
    assert result.status == Status.NO_DATA
    assert "mẫu số bằng 0" in result.missing[0]


def test_messages_name_what_is_missing() -> None:
    assert "trước năm cơ sở" in assess(CASES[24][1], 2026, D(1)).missing[0]
    assert "giá trị cơ sở" in assess(CASES[23][1], 2026, D(1)).missing[0]
    assert "định tính" in assess(CASES[26][1], 2026, D(1)).missing[0]
