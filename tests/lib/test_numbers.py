from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binhdang.lib.numbers import format_vn_number, parse_vn_number


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("1.040", Decimal(1040)),
        ("10.050", Decimal(10050)),
        ("1,7", Decimal("1.7")),
        ("1.234.567,89", Decimal("1234567.89")),
        ("50%", Decimal(50)),
        ("50 %", Decimal(50)),
        ("-5", Decimal(-5)),
        (" 12 ", Decimal(12)),
        ("1040", Decimal(1040)),
        ("0,5", Decimal("0.5")),
        ("110", Decimal(110)),
        ("100%", Decimal(100)),
        ("1,70", Decimal("1.70")),
        ("−3,5", Decimal("-3.5")),
        ("+7", Decimal(7)),
    ],
)
def test_parse_vn_number_examples(raw: str, expected: Decimal) -> None:
    assert parse_vn_number(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("1.04", "3 digits"),
        ("1.5", "3 digits"),
        ("1040.000", "3 digits"),
        ("abc", "no digits"),
        ("", "empty"),
        ("   ", "empty"),
        ("%", "empty"),
        ("1,2,3", "more than one decimal comma"),
        ("1..0", "two dots"),
        ("NaN", "not a finite number"),
        ("inf", "not a finite number"),
        ("-Infinity", "not a finite number"),
        ("1.000,5.5", "after the decimal comma"),
        (",5", "separator"),
        ("5,", "separator"),
        ("1 040", "unexpected characters"),
        ("1e3", "unexpected characters"),
        ("١٢", "unexpected characters"),
    ],
)
def test_parse_vn_number_refuses_with_input_and_reason(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        parse_vn_number(raw)
    assert repr(raw) in str(info.value)


@pytest.mark.parametrize(
    ("value", "decimals", "expected"),
    [
        (1040, None, "1.040"),
        (Decimal("1.7"), None, "1,7"),
        (10050.5, 1, "10.050,5"),
        (10050.5, None, "10.050,5"),
        (Decimal("1234567.89"), None, "1.234.567,89"),
        (Decimal("1.70"), None, "1,7"),
        (Decimal("1E+3"), None, "1.000"),
        (0, None, "0"),
        (999, None, "999"),
        (-1040, None, "-1.040"),
        (Decimal("0.5"), 0, "1"),
        (Decimal("2.5"), 0, "3"),
        (Decimal("1.005"), 2, "1,01"),
        (Decimal(7), 2, "7,00"),
        (Decimal("-0.04"), 1, "0,0"),
        (0.1, None, "0,1"),
        (Decimal("-0"), None, "0"),
        (Decimal("123456789012345678901234567890.125"), 2, "123.456.789.012.345.678.901.234.567.890,13"),
    ],
)
def test_format_vn_number_examples(value: Decimal | int | float, decimals: int | None, expected: str) -> None:
    assert format_vn_number(value, decimals) == expected


@pytest.mark.parametrize("value", [float("nan"), float("inf"), Decimal("NaN")])
def test_format_vn_number_refuses_non_finite(value: Decimal | float) -> None:
    with pytest.raises(ValueError, match="not a finite number"):
        format_vn_number(value)


def test_format_vn_number_refuses_negative_decimals() -> None:
    with pytest.raises(ValueError, match="decimals"):
        format_vn_number(1, -1)


@given(st.integers(min_value=-(10**15), max_value=10**15))
def test_integers_round_trip(n: int) -> None:
    assert parse_vn_number(format_vn_number(n)) == n


@given(
    st.integers(min_value=1, max_value=3).flatmap(
        lambda places: st.decimals(
            min_value=Decimal(-(10**12)), max_value=Decimal(10**12), places=places, allow_nan=False
        )
    )
)
def test_decimals_round_trip(d: Decimal) -> None:
    assert parse_vn_number(format_vn_number(d)) == d


@given(st.integers(min_value=1, max_value=3), st.integers(min_value=-(10**9), max_value=10**9))
def test_fixed_decimals_round_trip_exactly(places: int, units: int) -> None:
    d = Decimal(units).scaleb(-places)
    text = format_vn_number(d, places)
    assert len(text.split(",")[1]) == places
    assert parse_vn_number(text) == d
