from __future__ import annotations

import datetime as dt

import pytest

from binhdang.plans.schedule import decree_window, periods_for_rule


def test_before_the_10th_of_june_means_the_9th() -> None:
    (spec,) = periods_for_rule("semiannual", "--06-10", 2023, 2023)
    assert spec.due == dt.date(2023, 6, 9)
    assert spec.data_from == dt.date(2022, 12, 15)


def test_a_deadline_inside_the_decree_window_leaves_a_day_between_cutoff_and_deadline() -> None:
    (spec,) = periods_for_rule("annual", "--11-10", 2023, 2023)
    assert spec.due == dt.date(2023, 11, 9)
    assert spec.data_to < spec.due - dt.timedelta(days=1)


def test_periods_of_a_multi_year_plan_run_across_all_its_years() -> None:
    specs = periods_for_rule("annual", "--12-01", 2021, 2030)
    assert [s.year for s in specs] == list(range(2021, 2031))
    assert all(s.due == dt.date(s.year, 11, 30) for s in specs)


def test_without_a_plan_day_the_deadline_follows_the_decree_cutoff() -> None:
    (spec,) = periods_for_rule("annual", "", 2024, 2024)
    assert (spec.data_from, spec.data_to) == (dt.date(2023, 12, 15), dt.date(2024, 12, 14))
    assert spec.due > spec.data_to


@pytest.mark.parametrize(
    ("kind", "number", "expected"),
    [
        ("monthly", 1, (dt.date(2023, 12, 15), dt.date(2024, 1, 14))),
        ("quarterly", 1, (dt.date(2023, 12, 15), dt.date(2024, 3, 14))),
        ("quarterly", 3, (dt.date(2024, 6, 15), dt.date(2024, 9, 14))),
        ("ninemonth", 1, (dt.date(2023, 12, 15), dt.date(2024, 9, 14))),
    ],
)
def test_decree_09_cutoff_windows(kind: str, number: int, expected: tuple[dt.date, dt.date]) -> None:
    assert decree_window(kind, 2024, number) == expected


def test_midterm_and_final_reviews_cover_the_plan_from_its_start() -> None:
    (mid,) = periods_for_rule("midterm", "", 2021, 2030)
    (final,) = periods_for_rule("final", "", 2021, 2030)
    assert mid.year == 2025 and final.year == 2030
    assert mid.data_from == final.data_from == dt.date(2020, 12, 15)
