from __future__ import annotations

import datetime
import unicodedata

import pytest
from hypothesis import given
from hypothesis import strategies as st

from binhdang.lib.dates import (
    find_dates,
    format_vn_date,
    parse_day_month,
    parse_vn_date,
    parse_yearly_day,
    yearly_day,
)

D = datetime.date


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("13/4/2023", D(2023, 4, 13)),
        ("13/04/2023", D(2023, 4, 13)),
        ("13-4-2023", D(2023, 4, 13)),
        ("13.4.2023", D(2023, 4, 13)),
        ("ngày 13 tháng 4 năm 2023", D(2023, 4, 13)),
        ("ngày 01 tháng 4 năm 2015", D(2015, 4, 1)),
        ("13 tháng 4 năm 2023", D(2023, 4, 13)),
        ("ngày 18 tháng 07 năm 2016", D(2016, 7, 18)),
        ("ngày 7/8/2011", D(2011, 8, 7)),
        ("ngày **13** tháng **4** năm 2023", D(2023, 4, 13)),
        ("*ngày 13 tháng 4 năm 2023*", D(2023, 4, 13)),
        (unicodedata.normalize("NFD", "ngày 13 tháng 4 năm 2023"), D(2023, 4, 13)),
        ("Ngày 05 tháng 01 năm 2020", D(2020, 1, 5)),
        ("NGÀY 05 THÁNG 01 NĂM 2020", D(2020, 1, 5)),
        ("  ngày\u00a013  tháng 4 năm 2023 ", D(2023, 4, 13)),
        ("29/2/2024", D(2024, 2, 29)),
        ("1/1/1945", D(1945, 1, 1)),
        ("31/12/2100", D(2100, 12, 31)),
    ],
)
def test_parse_vn_date_examples(raw: str, expected: datetime.date) -> None:
    assert parse_vn_date(raw) == expected


@pytest.mark.parametrize(
    ("raw", "reason"),
    [
        ("31/2/2023", "day is out of range"),
        ("29/2/2023", "day is out of range"),
        ("1/13/2023", "month must be in 1..12"),
        ("ngày 32 tháng 1 năm 2023", "day is out of range"),
        ("1/1/1944", "outside 1945–2100"),
        ("1/1/2101", "outside 1945–2100"),
        ("13/4-2023", "Not a date"),
        ("13/4/23", "Not a date"),
        ("2023-04-13", "Not a date"),
        ("hôm qua", "Not a date"),
        ("", "Not a date"),
        ("Thái Nguyên, ngày 13 tháng 4 năm 2023", "Not a date"),
    ],
)
def test_parse_vn_date_refuses_with_input_and_reason(raw: str, reason: str) -> None:
    with pytest.raises(ValueError, match=reason) as info:
        parse_vn_date(raw)
    assert repr(raw) in str(info.value)


def test_find_dates_reports_spans_in_the_original_text() -> None:
    text = (
        "Thái Nguyên, ngày 13 tháng 4 năm 2023\n"
        "Căn cứ Quyết định số 1/QĐ ngày 7/8/2011; Nghị định 01/02/2020/NĐ-CP; "
        "hạn 31/2/2023 (sai), năm 1900: 1/1/1900; ký 05.01.2020."
    )
    found = find_dates(text)
    assert [(d, text[s:e]) for d, s, e in found] == [
        (D(2023, 4, 13), "ngày 13 tháng 4 năm 2023"),
        (D(2011, 8, 7), "ngày 7/8/2011"),
        (D(2020, 1, 5), "05.01.2020"),
    ]


def test_find_dates_handles_nfd_and_markdown_without_moving_spans() -> None:
    text = unicodedata.normalize("NFD", "Hà Nội, ngày **05** tháng **01** năm 2020.")
    [(d, start, end)] = find_dates(text)
    assert d == D(2020, 1, 5)
    assert text[start:end].startswith("ng")
    assert text[start:end].endswith("2020")
    assert parse_vn_date(text[start:end]) == d


def test_find_dates_on_text_without_dates() -> None:
    assert find_dates("trước ngày 10/6 và trước ngày 10/11") == []


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("10/6", (10, 6)),
        ("01/12", (1, 12)),
        ("15/11", (15, 11)),
        ("29/2", (29, 2)),
        ("ngày 30/10", (30, 10)),
        ("**10/6**", (10, 6)),
        ("10 tháng 6", (10, 6)),
        ("10-6", (10, 6)),
    ],
)
def test_parse_day_month_examples(raw: str, expected: tuple[int, int]) -> None:
    assert parse_day_month(raw) == expected


@pytest.mark.parametrize("raw", ["30/2", "31/4", "0/5", "10/13", "10/6/2023", "abc", ""])
def test_parse_day_month_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match="day and month"):
        parse_day_month(raw)


@pytest.mark.parametrize(
    ("d", "short", "long"),
    [
        (D(2023, 4, 13), "13/04/2023", "ngày 13 tháng 4 năm 2023"),
        (D(2020, 1, 5), "05/01/2020", "ngày 05 tháng 01 năm 2020"),
        (D(2015, 4, 1), "01/04/2015", "ngày 01 tháng 4 năm 2015"),
        (D(2021, 2, 28), "28/02/2021", "ngày 28 tháng 02 năm 2021"),
        (D(2021, 3, 3), "03/03/2021", "ngày 03 tháng 3 năm 2021"),
        (D(2021, 12, 15), "15/12/2021", "ngày 15 tháng 12 năm 2021"),
    ],
)
def test_format_vn_date(d: datetime.date, short: str, long: str) -> None:
    assert format_vn_date(d) == short
    assert format_vn_date(d, long=True) == long


@given(st.dates(min_value=D(1945, 1, 1), max_value=D(2100, 12, 31)), st.booleans())
def test_format_then_parse_round_trips(d: datetime.date, long: bool) -> None:
    assert parse_vn_date(format_vn_date(d, long=long)) == d


@given(st.dates(min_value=D(1945, 1, 1), max_value=D(2100, 12, 31)), st.booleans())
def test_find_dates_finds_a_formatted_date_in_prose(d: datetime.date, long: bool) -> None:
    formatted = format_vn_date(d, long=long)
    text = f"Hà Nội, {formatted}. Số: 59/KH-UBND"
    assert find_dates(text) == [(d, 8, 8 + len(formatted))]


def test_yearly_day() -> None:
    assert yearly_day(10, 6) == "--06-10"
    assert yearly_day(29, 2) == "--02-29"
    assert parse_yearly_day("--06-10") == (10, 6)


@pytest.mark.parametrize("raw", ["--6-10", "06-10", "--02-30", "--13-01", "2023-06-10", ""])
def test_parse_yearly_day_refuses(raw: str) -> None:
    with pytest.raises(ValueError, match=repr(raw).replace("-", r"\-")):
        parse_yearly_day(raw)


def test_yearly_day_refuses_impossible_day() -> None:
    with pytest.raises(ValueError):
        yearly_day(31, 4)


@given(st.dates(min_value=D(2000, 1, 1), max_value=D(2000, 12, 31)))
def test_yearly_day_round_trips(d: datetime.date) -> None:
    assert parse_yearly_day(yearly_day(d.day, d.month)) == (d.day, d.month)
    assert parse_day_month(f"{d.day}/{d.month}") == (d.day, d.month)
