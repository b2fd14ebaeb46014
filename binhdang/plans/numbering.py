"""The number a person reads beside an indicator or a task on a report form and in its Excel sheet.

Both print the same label, made from the plan's own numbering: a task's section and number ("IV.13"), an
indicator's number ("2a"). Where that numbering repeats within one list — three national-strategy indicators
numbered 1, 2a, 1 under different strategy objectives; four tasks printed as dashes under item IV.13 — the label
is qualified so that each row can be told apart and found: every indicator of the list takes its objective first
("2.1", "5.2a", "6.1"), and a label still repeated takes a letter in the order of the plan ("IV.13a", "IV.13b").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from string import ascii_lowercase
from typing import TypeVar

from .models import Indicator, Task

T = TypeVar("T", Indicator, Task)


def task_base(task: Task) -> str:
    if task.section and task.number:
        return f"{task.section}.{task.number}"
    return task.number or task.section


def indicator_base(indicator: Indicator) -> str:
    return indicator.number


def _qualified_indicator(indicator: Indicator) -> str:
    # A strategy indicator keeps its strategy objective; an indicator under an objective of the plan, that one.
    if indicator.number and indicator.catalogue_id is not None and indicator.catalogue is not None:
        return f"{indicator.catalogue.objective_number}.{indicator.number}"
    if indicator.number and indicator.objective_id is not None and indicator.objective is not None:
        return f"{indicator.objective.number}.{indicator.number}" if indicator.objective.number else indicator.number
    return indicator.number


def _unique(items: Sequence[T], first: Callable[[T], str], second: Callable[[T], str] | None) -> dict[int, str]:
    labels = {item.pk: first(item) for item in items}
    if second is not None:
        counts = Counter(label for label in labels.values() if label)
        if any(n > 1 for n in counts.values()):
            # One scheme for the whole list: qualifying only the repeated ones would mix "2.1" with "2a".
            labels = {item.pk: second(item) for item in items}
    counts = Counter(label for label in labels.values() if label)
    seen: Counter[str] = Counter()
    result: dict[int, str] = {}
    for item in items:
        label = labels[item.pk]
        if label and counts[label] > 1:
            index = seen[label]
            seen[label] += 1
            suffix = ascii_lowercase[index] if index < len(ascii_lowercase) else str(index + 1)
            label = f"{label}{suffix}"
        result[item.pk] = label
    return result


def indicator_numbers(indicators: Sequence[Indicator]) -> dict[int, str]:
    """Each indicator's label in this list (in the list's order, which is the plan's)."""
    return _unique(indicators, indicator_base, _qualified_indicator)


def task_numbers(tasks: Sequence[Task]) -> dict[int, str]:
    """Each task's label in this list (in the list's order, which is the plan's)."""
    return _unique(tasks, task_base, None)
