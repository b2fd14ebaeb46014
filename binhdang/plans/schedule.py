"""Reporting deadlines and periods from a plan's reporting regime: pure date arithmetic, no database writes.
This module is the one home of "when is a report due": the plan page and the periods both ask it.

The rule for "trước ngày …": a plan that asks for a report "trước ngày 10/6" (before 10 June) stores the day
as written, ``due = "--06-10"``, and the deadline is the last day *before* it: 9 June. A report sent on
10 June is late. The same holds for a one-off report whose day is stored as an ISO date ("2025-10-30" →
deadline 29 October 2025). docs/reporting.md explains the rule to people; this module applies it.

A yearly rule recurs once in every year the plan covers (``year_start`` to ``year_end``, both included);
the next deadline is the first of those on or after today. Once the last one has passed the plan has
ended and there is no next deadline.

Periods (Decree 09/2019/NĐ-CP, Art. 12), docs/reporting.md explains them to people:

- Cut-off: monthly 15th of the previous month → 14th; quarterly 15th of the month before the quarter → 14th
  of its last month; 6-month 15/12 of the previous year → 14/6; 9-month 15/12 → 14/9; annual 15/12 → 14/12.
  Mid-term and final reviews cover the plan from its start to the end of the middle year, or to its end.
- Deadline: the plan's own day when it gives one ("trước ngày 10/6" → 9 June), otherwise five days after the
  cut-off. A yearly day earlier in the calendar than the cut-off belongs to the next year ("--01-15" for an
  annual report is 14 January of the year after). A plan's deadline that falls inside the decree's cut-off
  window shortens the window: the data then stop two days before the deadline, keeping the decree's working
  day in between.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Protocol

from binhdang.lib.dates import parse_yearly_day

__all__ = [
    "KINDS_WITH_PERIODS",
    "PeriodSpec",
    "deadline_for",
    "deadlines_in_plan",
    "decree_window",
    "next_deadlines",
    "periods_for_rule",
]


class _Rule(Protocol):
    kind: str
    due: str


class _Years(Protocol):
    year_start: int
    year_end: int


def _is_yearly(due: str) -> bool:
    return due.startswith("--")


def deadline_for(due: str, year: int) -> dt.date:
    """The deadline of a report due "trước ngày <due>" in ``year``: the day before ``due``.

    ``deadline_for("--06-10", 2023)`` → 9 June 2023; ``deadline_for("--01-01", 2024)`` → 31 December 2023.
    An ISO date ("2025-10-30") is a one-off day and ``year`` is ignored. "--02-29" in a year that has no
    29 February means the end of February, so the deadline is 28 February. Raises ``ValueError`` on a
    value that is neither form.
    """
    if _is_yearly(due):
        day, month = parse_yearly_day(due)
        if (month, day) == (2, 29) and not _is_leap(year):
            return dt.date(year, 2, 28)
        return dt.date(year, month, day) - dt.timedelta(days=1)
    try:
        return dt.date.fromisoformat(due) - dt.timedelta(days=1)
    except ValueError as exc:
        raise ValueError(f"Not a reporting day: {due!r}; expected '--MM-DD' or 'YYYY-MM-DD'") from exc


def _is_leap(year: int) -> bool:
    return year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)


def deadlines_in_plan(rule: _Rule, plan: _Years) -> list[dt.date]:
    """Every deadline of the rule over the plan's years, in order: the deadlines of the periods the rule makes
    (so the plan page never shows a deadline no period has), or the one-off day of an ad hoc report; a rule
    without a day or periods has none."""
    due = (rule.due or "").strip()
    if rule.kind in KINDS_WITH_PERIODS:
        return [spec.due for spec in periods_for_rule(rule.kind, due, plan.year_start, plan.year_end)]
    if not due:
        return []
    if not _is_yearly(due):
        return [deadline_for(due, plan.year_start)]
    return [deadline_for(due, year) for year in range(plan.year_start, plan.year_end + 1)]


def next_deadlines(rule: _Rule, plan: _Years, today: dt.date) -> list[dt.date]:
    """The next deadline of the rule on or after ``today`` within the plan's years, as a list of at most one.

    An empty list means there is none: the plan has ended, the one-off day has passed, or the rule
    gives no day ("đột xuất", ad hoc).
    """
    upcoming = [deadline for deadline in deadlines_in_plan(rule, plan) if deadline >= today]
    return upcoming[:1]


# --- periods ----------------------------------------------------------------------------------------------

DEFAULT_DAYS_AFTER_CUTOFF = 5
KINDS_WITH_PERIODS = ("monthly", "quarterly", "semiannual", "ninemonth", "annual", "midterm", "final")

LABELS = {
    "monthly": "Báo cáo tháng {number}/{year}",
    "quarterly": "Báo cáo quý {number}/{year}",
    "semiannual": "Báo cáo 6 tháng đầu năm {year}",
    "ninemonth": "Báo cáo 9 tháng năm {year}",
    "annual": "Báo cáo năm {year}",
    "midterm": "Báo cáo sơ kết {first}–{year}",
    "final": "Báo cáo tổng kết {first}–{year}",
    "adhoc": "Báo cáo đột xuất số {number} năm {year}",
}


@dataclass(frozen=True)
class PeriodSpec:
    kind: str
    year: int
    number: int
    label: str
    data_from: dt.date
    data_to: dt.date
    due: dt.date


def _month_start_15(year: int, month: int) -> dt.date:
    """The 15th of the month before (year, month)."""
    return dt.date(year - 1, 12, 15) if month == 1 else dt.date(year, month - 1, 15)


def decree_window(kind: str, year: int, number: int = 1) -> tuple[dt.date, dt.date]:
    if kind == "monthly":
        return _month_start_15(year, number), dt.date(year, number, 14)
    if kind == "quarterly":
        last_month = number * 3
        return _month_start_15(year, last_month - 2), dt.date(year, last_month, 14)
    start = dt.date(year - 1, 12, 15)
    ends = {"semiannual": (6, 14), "ninemonth": (9, 14), "annual": (12, 14)}
    if kind not in ends:
        raise ValueError(f"no decree window for kind {kind!r}")
    month, day = ends[kind]
    return start, dt.date(year, month, day)


def _deadline(due: str, year: int, data_to: dt.date) -> dt.date:
    if not due:
        return data_to + dt.timedelta(days=DEFAULT_DAYS_AFTER_CUTOFF)
    deadline = deadline_for(due, year)
    # A yearly day earlier in the calendar than the cut-off belongs to the next year ("--01-15" for an annual report).
    if due.startswith("--") and deadline < data_to - dt.timedelta(days=200):
        deadline = deadline_for(due, year + 1)
    return deadline


def _spec(kind: str, year: int, number: int, data_from: dt.date, data_to: dt.date, due: str, first: int) -> PeriodSpec:
    deadline = _deadline(due, year, data_to)
    if deadline <= data_to:
        data_to = max(data_from, deadline - dt.timedelta(days=2))
    label = LABELS[kind].format(number=number, year=year, first=first)
    return PeriodSpec(kind, year, number, label, data_from, data_to, deadline)


def periods_for_rule(kind: str, due: str, year_start: int, year_end: int) -> list[PeriodSpec]:
    """Every period one rule of the regime asks for over the plan's years."""
    due = (due or "").strip()
    specs: list[PeriodSpec] = []
    years = range(year_start, year_end + 1)
    if kind in ("semiannual", "ninemonth", "annual"):
        for year in years:
            data_from, data_to = decree_window(kind, year)
            specs.append(_spec(kind, year, 1, data_from, data_to, due, year_start))
    elif kind == "quarterly":
        for year in years:
            for quarter in range(1, 5):
                data_from, data_to = decree_window(kind, year, quarter)
                specs.append(_spec(kind, year, quarter, data_from, data_to, "", year_start))
    elif kind == "monthly":
        for year in years:
            for month in range(1, 13):
                data_from, data_to = decree_window(kind, year, month)
                specs.append(_spec(kind, year, month, data_from, data_to, "", year_start))
    elif kind in ("midterm", "final"):
        last = year_start + (year_end - year_start) // 2 if kind == "midterm" else year_end
        if kind == "midterm" and year_end == year_start:
            return []
        data_from, data_to = dt.date(year_start - 1, 12, 15), dt.date(last, 12, 14)
        specs.append(_spec(kind, last, 1, data_from, data_to, due, year_start))
    return specs
