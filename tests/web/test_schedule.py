"""Reporting deadlines: "trước ngày 10/6" means the report is due by 9 June."""

from __future__ import annotations

import datetime as dt
from types import SimpleNamespace

import pytest

from binhdang.plans.schedule import deadline_for, deadlines_in_plan, next_deadlines


def rule(due: str | None, kind: str = "adhoc") -> SimpleNamespace:
    return SimpleNamespace(due=due or "", kind=kind)


def plan(start: int, end: int) -> SimpleNamespace:
    return SimpleNamespace(year_start=start, year_end=end)


@pytest.mark.parametrize(
    ("due", "year", "expected"),
    [
        ("--06-10", 2023, dt.date(2023, 6, 9)),  # Thái Nguyên: "trước ngày 10/6"
        ("--11-10", 2023, dt.date(2023, 11, 9)),  # "trước ngày 10/11"
        ("--10-30", 2015, dt.date(2015, 10, 29)),  # Thừa Thiên Huế: "trước ngày 30/10"
        ("--06-01", 2026, dt.date(2026, 5, 31)),  # An Hòa Thịnh: "trước ngày 01/6" crosses the month
        ("--12-01", 2026, dt.date(2026, 11, 30)),
        ("--03-01", 2024, dt.date(2024, 2, 29)),  # leap year
        ("--03-01", 2023, dt.date(2023, 2, 28)),
        ("--01-01", 2024, dt.date(2023, 12, 31)),  # crosses the year
        ("--02-29", 2023, dt.date(2023, 2, 28)),  # no 29 February: the end of February
        ("--02-29", 2024, dt.date(2024, 2, 28)),
        ("2025-10-30", 1999, dt.date(2025, 10, 29)),  # a one-off day ignores the year
    ],
)
def test_deadline_is_the_day_before(due: str, year: int, expected: dt.date) -> None:
    assert deadline_for(due, year) == expected


@pytest.mark.parametrize("due", ["", "10/6", "--13-01", "--06-31", "2025-02-30", "tomorrow"])
def test_deadline_refuses_what_is_not_a_day(due: str) -> None:
    with pytest.raises(ValueError):
        deadline_for(due, 2025)


def test_next_deadline_is_this_years_when_still_ahead() -> None:
    assert next_deadlines(rule("--06-10"), plan(2021, 2030), dt.date(2026, 3, 1)) == [dt.date(2026, 6, 9)]


def test_next_deadline_on_the_deadline_day_is_that_day() -> None:
    assert next_deadlines(rule("--06-10"), plan(2021, 2030), dt.date(2026, 6, 9)) == [dt.date(2026, 6, 9)]


def test_next_deadline_rolls_to_next_year_once_passed() -> None:
    # 10 June is already too late: the deadline was 9 June.
    assert next_deadlines(rule("--06-10"), plan(2021, 2030), dt.date(2026, 6, 10)) == [dt.date(2027, 6, 9)]


def test_next_deadline_before_the_plan_starts_is_in_its_first_year() -> None:
    assert next_deadlines(rule("--11-10"), plan(2027, 2028), dt.date(2026, 12, 1)) == [dt.date(2027, 11, 9)]


def test_no_next_deadline_once_the_plan_has_ended() -> None:
    assert next_deadlines(rule("--06-10"), plan(2023, 2023), dt.date(2023, 6, 10)) == []
    assert next_deadlines(rule("--11-10"), plan(2023, 2023), dt.date(2026, 1, 1)) == []


def test_last_deadline_of_the_last_year_still_counts() -> None:
    assert next_deadlines(rule("--12-01"), plan(2021, 2030), dt.date(2030, 7, 1)) == [dt.date(2030, 11, 30)]


def test_rule_without_a_day_has_no_deadline() -> None:
    assert next_deadlines(rule(None), plan(2012, 2015), dt.date(2013, 1, 1)) == []
    assert deadlines_in_plan(rule(""), plan(2012, 2015)) == []


def test_one_off_deadline() -> None:
    assert next_deadlines(rule("2025-10-30"), plan(2021, 2030), dt.date(2025, 10, 29)) == [dt.date(2025, 10, 29)]
    assert next_deadlines(rule("2025-10-30"), plan(2021, 2030), dt.date(2025, 10, 30)) == []


def test_every_deadline_in_plan() -> None:
    assert deadlines_in_plan(rule("--06-01"), plan(2021, 2023)) == [
        dt.date(2021, 5, 31),
        dt.date(2022, 5, 31),
        dt.date(2023, 5, 31),
    ]


@pytest.mark.parametrize(
    ("kind", "due"),
    [("annual", "--01-15"), ("annual", "--11-10"), ("semiannual", "--06-10"), ("quarterly", ""), ("final", "")],
)
def test_the_plan_page_and_the_periods_share_one_deadline_rule(kind: str, due: str) -> None:
    """Issue 17: the deadlines the plan page lists are exactly the deadlines of the periods the rule makes."""
    from binhdang.plans.schedule import periods_for_rule

    specs = periods_for_rule(kind, due, 2024, 2026)
    assert specs
    assert deadlines_in_plan(rule(due, kind), plan(2024, 2026)) == [spec.due for spec in specs]


def test_an_annual_report_due_in_january_belongs_to_the_next_year() -> None:
    # "Báo cáo năm ... trước ngày 15/01 năm sau": the 2024 report is due by 14 January 2025, not 2024.
    assert deadlines_in_plan(rule("--01-15", "annual"), plan(2024, 2025)) == [
        dt.date(2025, 1, 14),
        dt.date(2026, 1, 14),
    ]
    assert next_deadlines(rule("--01-15", "annual"), plan(2024, 2024), dt.date(2024, 6, 1)) == [dt.date(2025, 1, 14)]
