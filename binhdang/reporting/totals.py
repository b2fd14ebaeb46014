"""Totals and their parts on saving (issue 16): a total left empty is derived from parts that cover it (female +
male in each combination; the combinations of each sex where they tile it), never typed twice; a total that
disagrees with its combinations is refused with the cell named, nothing written.

Why on saving and not only on sending: the parts and the total are one figure seen at two grains; a draft that
holds both and disagrees would let an import or a second officer leave half-corrected figures behind. Other
errors (female + male ≠ total, a missing figure) still block sending only, because they can be fixed one cell at
a time while the parts of one figure are typed together, in one grid.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import replace
from decimal import Decimal

from .checks import Entry, IndicatorMeta, check_combos
from .errors import Issue

Key = tuple[str, str]  # (sex, combo)

# The refusals of check_combos: a part over its total, parts over the total, parts that do not add up to it.
PARTS_REFUSALS = frozenset({"part_over_total", "parts_over_total", "parts_sum"})


def _fields(meta: IndicatorMeta) -> tuple[str, ...]:
    return ("numerator", "denominator") if meta.uses_fraction else ("value",)


def _parts_sum(meta: IndicatorMeta, state: Mapping[Key, Entry], sex: str, field: str) -> Decimal | None:
    """The sum of every part of ``sex`` for ``field``, or None unless every declared part holds a number."""
    numbers = []
    for combo in meta.combos:
        if not combo:
            continue
        entry = state.get((sex, combo))
        number = None if entry is None else getattr(entry, field)
        if number is None:
            return None
        numbers.append(number)
    return sum(numbers, Decimal(0)) if numbers else None


def _derived(current: Decimal | None, new_sum: Decimal) -> bool:
    """Whether a total takes ``new_sum``, the sum of its parts: only when it is empty. A total that holds a number
    is kept, whoever wrote it, and the checks judge it against its parts: a total silently following a corrected
    part would take the officer's typo into the total too, and the second figure is what catches it."""
    return current is None and new_sum is not None


def _put(derived: dict[Key, Entry], state: Mapping[Key, Entry], key: Key, field: str, number: Decimal) -> None:
    entry = derived.get(key) or replace(state.get(key) or Entry(0, key[0]), sex=key[0], combo=key[1])
    setattr(entry, field, number)
    derived[key] = entry


def derive_sex_totals(meta: IndicatorMeta, stored: Mapping[Key, Entry], submitted: Mapping[Key, Entry]) -> list[Entry]:
    """The totals (sex "total") that follow from female + male, in each combination, for an indicator reported by
    sex: female and male cover the total exactly once."""
    if not meta.by_sex or not meta.additive:
        return []
    state = {**stored, **submitted}
    derived: dict[Key, Entry] = {}
    for combo in meta.combos:
        for field in _fields(meta):
            numbers = [getattr(state.get((sex, combo)) or Entry(meta.id, sex), field) for sex in ("female", "male")]
            if None in numbers:
                continue
            total = state.get(("total", combo))
            current = None if total is None else getattr(total, field)
            if _derived(current, sum(numbers, Decimal(0))):
                _put(derived, state, ("total", combo), field, sum(numbers, Decimal(0)))
    return [replace(entry, indicator_id=meta.id) for entry in derived.values()]


def derive_totals(meta: IndicatorMeta, stored: Mapping[Key, Entry], submitted: Mapping[Key, Entry]) -> list[Entry]:
    """The totals (combination "") to write beside ``submitted`` because they follow from the parts: only where the
    parts cover the total exactly once (``combos_tile``) and every part holds a number (``_derived``)."""
    if not meta.combos_tile or len(meta.combos) < 2 or not meta.additive:
        return []
    state = {**stored, **submitted}
    derived: dict[Key, Entry] = {}
    for sex in sorted({sex for sex, _combo in state}):
        total = state.get((sex, ""))
        for field in _fields(meta):
            new_sum = _parts_sum(meta, state, sex, field)
            if new_sum is None:
                continue
            current = None if total is None else getattr(total, field)
            if _derived(current, new_sum):
                _put(derived, state, (sex, ""), field, new_sum)
    return [replace(entry, indicator_id=meta.id) for entry in derived.values()]


def parts_refusals(meta: IndicatorMeta, state: Mapping[Key, Entry]) -> list[Issue]:
    """The parts-against-total errors of one indicator's figures after a save: each names its cell."""
    return [issue for issue in check_combos(meta, dict(state)) if issue.code in PARTS_REFUSALS]


def reconcile(
    metas: Mapping[int, IndicatorMeta], stored: Iterable[Entry], submitted: list[Entry]
) -> tuple[list[Entry], list[Issue]]:
    """``submitted`` with the derived totals put in, and the refusals of the indicators this save touches."""
    stored_by: dict[int, dict[Key, Entry]] = {}
    for entry in stored:
        stored_by.setdefault(entry.indicator_id, {})[(entry.sex, entry.combo)] = entry
    submitted_by: dict[int, dict[Key, Entry]] = {}
    for entry in submitted:
        submitted_by.setdefault(entry.indicator_id, {})[(entry.sex, entry.combo)] = entry
    entries = list(submitted)
    refusals: list[Issue] = []
    for indicator_id, mine in submitted_by.items():
        meta = metas.get(indicator_id)
        if meta is None:
            continue
        before = stored_by.get(indicator_id, {})
        # Female + male give each combination's total first, then the parts give each sex's total.
        totals = derive_sex_totals(meta, before, mine)
        for total in totals:
            mine[(total.sex, total.combo)] = total
        for total in derive_totals(meta, before, mine):
            mine[(total.sex, total.combo)] = total
            totals.append(total)
        keys = {(t.sex, t.combo) for t in totals}
        entries = [e for e in entries if not (e.indicator_id == indicator_id and (e.sex, e.combo) in keys)]
        entries += list({(t.sex, t.combo): t for t in totals}.values())
        if len(meta.combos) > 1:
            refusals += parts_refusals(meta, {**before, **mine})
    return entries, refusals
