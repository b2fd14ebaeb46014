"""Reporting deadlines from a plan's reporting regime: pure date arithmetic, no database writes.

The rule for "trước ngày …": a plan that asks for a report "trước ngày 10/6" (before 10 June) stores the day
as written, ``due = "--06-10"``, and the deadline is the last day *before* it: 9 June. A report sent on
10 June is late. The same holds for a one-off report whose day is stored as an ISO date ("2025-10-30" →
deadline 29 October 2025). docs/reporting.md explains the rule to people; this module applies it.

A yearly rule recurs once in every year the plan covers (``year_start`` to ``year_end``, both included);
the next deadline is the first of those on or after today. Once the last one has passed the plan has
ended and there is no next deadline.
"""

from __future__ import annotations

import datetime as dt
from typing import Protocol

from binhdang.lib.dates import parse_yearly_day

__all__ = ["deadline_for", "deadlines_in_plan", "next_deadlines"]


class _Rule(Protocol):
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
    """Every deadline of the rule over the plan's years, in order; a rule without a day has none."""
    due = (rule.due or "").strip()
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
