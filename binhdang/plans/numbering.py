"""The number a person reads beside an indicator or a task, on every page, form, sheet and document.

Every place prints the same label, computed over the whole plan (so a report that asks for some of the plan's
indicators shows them as the plan page does), made from the plan's own numbering: a task's section and number
("IV.13"), an indicator's number ("2a"). Where that numbering repeats within the plan — three national-strategy
indicators numbered 1, 2a, 1 under different strategy objectives; four tasks printed as dashes under item IV.13 —
the label is qualified so that each row can be told apart and found: every indicator takes its objective first
("2.1", "5.2a", "6.1"), and a label still repeated takes a letter in the order of the plan ("IV.13a", "IV.13b").
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from itertools import groupby
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


def plan_indicator_labels(plan_ids: Iterable[int]) -> dict[int, str]:
    """Every indicator's label within its own plan (retired ones included, so labels stay put when one retires)."""
    labels: dict[int, str] = {}
    rows = Indicator.objects.filter(plan_id__in=set(plan_ids)).select_related("catalogue", "objective")
    for _plan, group in groupby(rows.order_by("plan_id", "order", "pk"), key=lambda i: i.plan_id):
        labels.update(indicator_numbers(list(group)))
    return labels


def plan_task_labels(plan_ids: Iterable[int]) -> dict[int, str]:
    """Every task's label within its own plan."""
    labels: dict[int, str] = {}
    for _plan, group in groupby(
        Task.objects.filter(plan_id__in=set(plan_ids)).order_by("plan_id", "order", "pk"), key=lambda t: t.plan_id
    ):
        labels.update(task_numbers(list(group)))
    return labels


def label_indicators(indicators: Iterable[Indicator]) -> None:
    """Give each indicator its ``label`` (one query per call, whatever the plans), so a list shown on a page
    does not ask once per row."""
    items = list(indicators)
    labels = plan_indicator_labels(i.plan_id for i in items)
    for item in items:
        item._label = labels.get(item.pk, item.number)  # type: ignore[attr-defined]


def label_tasks(tasks: Iterable[Task]) -> None:
    """Give each task its ``label``, as :func:`label_indicators` does."""
    items = list(tasks)
    labels = plan_task_labels(t.plan_id for t in items)
    for item in items:
        item._label = labels.get(item.pk, task_base(item))  # type: ignore[attr-defined]
