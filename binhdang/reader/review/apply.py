"""A person's corrections applied to the reader's plan/1 tree, and the reviewed tree made ready for the loader."""

from __future__ import annotations

import copy
from collections.abc import Mapping
from decimal import Decimal
from typing import Any

from django.utils.translation import gettext_lazy as _

from binhdang.reader.review.fields import (
    BOOL,
    CHOICE,
    LISTS,
    NUMBER,
    _spec_for,
    pointer_get,
    pointer_set,
)
from binhdang.reader.review.form import verdict_of
from binhdang.reader.review.values import _coerce, _display


def review_apply(
    tree: dict[str, Any], form: Mapping[str, str], deletions: list[str]
) -> tuple[dict[str, Any], dict[str, str]]:
    """Apply posted fields ("f:<pointer>") and row deletions; unknown pointers are ignored, bad values reported."""
    result = copy.deepcopy(tree)
    errors: dict[str, str] = {}
    for name, raw in form.items():
        if not name.startswith("f:"):
            continue
        pointer = name[2:]
        spec = _spec_for(pointer)
        parent_missing = pointer_get(result, pointer.rsplit("/", 1)[0]) is None
        if spec is None or (
            parent_missing and not pointer.startswith(("/signer", "/document")) and "/window/" not in pointer
        ):
            continue
        if spec.kind == BOOL and value_is_default(result, pointer, raw):
            # "group" is written only when true (docs/plan-format.md); an untouched "no" adds nothing.
            continue
        value, error = _coerce(raw, spec.kind)
        if error:
            errors[pointer] = error
            continue
        if spec.kind == CHOICE and value is not None and value not in {key for key, _label in spec.choices}:
            errors[pointer] = str(_("giá trị không có trong danh sách"))
            continue
        if pointer.startswith("/signer") and not isinstance(result.get("signer"), dict):
            result["signer"] = {"name": None, "title": None, "authority": None}
        if "/window/" in pointer and not isinstance(pointer_get(result, pointer.rsplit("/", 1)[0]), dict):
            if value is None:
                continue
            pointer_set(result, pointer.rsplit("/", 1)[0], {"start": None, "end": None})
        pointer_set(result, pointer, value)
    _delete(result, deletions)
    if isinstance(result.get("signer"), dict) and not any(result["signer"].values()):
        result["signer"] = None
    return result, errors


def value_is_default(tree: dict[str, Any], pointer: str, raw: str) -> bool:
    return raw.strip() not in {"1", "true", "on", "yes"} and not pointer_get(tree, pointer)


class NotAPlan(ValueError):
    """The reader found the document is not a plan (``verdict`` "not-plan"): there is nothing to accept."""

    def __init__(self, what: str | None) -> None:
        super().__init__(what or "not a plan")
        self.what = what


def plan_for_loader(tree: dict[str, Any]) -> dict[str, Any]:
    """The reviewed tree in the form the plan loader stores (docs/plan-format.md, "What the reader adds").

    A not-plan is refused (:class:`NotAPlan`). The reader's own keys go: the verdict and notes; a decision's
    issued plan gives the stored plan its title (the document's number and date stay the decision's, which is
    how the plan was issued); a task's group flag (the lead's name says it); a target range keeps its low end
    as "at least" (the range stays in the target's text); a one-off report is stored as an ad hoc one with its
    date, an undated periodic one as ad hoc, and a monthly day, which the plan model cannot hold, as no day.
    """
    if verdict_of(tree) == "not-plan":
        raise NotAPlan(tree.get("not_plan"))
    data = copy.deepcopy(tree)
    issued = data.pop("plan_document", None)
    if isinstance(issued, dict) and issued.get("title") and isinstance(data.get("document"), dict):
        data["document"]["title"] = issued["title"]
    for key in ("verdict", "not_plan", "notes"):
        data.pop(key, None)
    for task in data.get("tasks") or []:
        if isinstance(task, dict):
            task.pop("group", None)
    for indicator in data.get("indicators") or []:
        for target in (indicator.get("targets") if isinstance(indicator, dict) else None) or []:
            if isinstance(target, dict) and isinstance(target.get("value"), list):
                bounds = target["value"]
                low = bounds[0] if bounds else None
                target["text"] = target.get("text") or " - ".join(_display(v, NUMBER) for v in bounds) or None
                target["value"] = low
                target["comparator"] = ">=" if low is not None else None
    for rule in data.get("reporting") or []:
        if not isinstance(rule, dict):
            continue
        if rule.get("kind") in {"once", "periodic"}:
            rule["kind"] = "adhoc"
        due = rule.get("due")
        if isinstance(due, str) and due.startswith("---"):
            rule["due"] = None
    return data


def _delete(tree: dict[str, Any], deletions: list[str]) -> None:
    # Delete from the end of each list so earlier indexes stay valid.
    by_list: dict[str, list[int]] = {}
    for pointer in deletions:
        base, _, position = pointer.rpartition("/")
        if position.isdigit() and any(base == f"/{key}" for key, _t, _s in LISTS):
            by_list.setdefault(base, []).append(int(position))
    for base, indexes in by_list.items():
        items = pointer_get(tree, base)
        if not isinstance(items, list):
            continue
        removed_ids = set()
        for index in sorted(set(indexes), reverse=True):
            if 0 <= index < len(items):
                removed_ids.add(items[index].get("id"))
                del items[index]
        _drop_links(tree, base, removed_ids)


def _drop_links(tree: dict[str, Any], base: str, removed: set[Any]) -> None:
    """Links to a deleted row would make the plan invalid; they go with it."""
    removed.discard(None)
    if not removed:
        return
    link_fields = {
        "/objectives": ("objective", "objectives"),
        "/projects": ("project", None),
        "/tasks": ("parent", None),
        "/indicators": (None, "indicators"),
    }
    single, multiple = link_fields.get(base, (None, None))
    for key in ("indicators", "tasks", "projects"):
        for item in tree.get(key) or []:
            if single and item.get(single) in removed:
                item[single] = None
            if multiple and isinstance(item.get(multiple), list):
                item[multiple] = [link for link in item[multiple] if link not in removed]


def decimal_or_none(value: Any) -> Decimal | None:
    return None if value is None else Decimal(str(value))
