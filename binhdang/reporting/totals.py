"""Totals and their parts on saving (issue 16): a total is derived from its parts, never typed twice, and a
total that disagrees with its parts is refused with the cell named, nothing written.

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


def derive_totals(meta: IndicatorMeta, stored: Mapping[Key, Entry], submitted: Mapping[Key, Entry]) -> list[Entry]:
    """The totals to write beside ``submitted`` because they follow from the parts.

    Only where the parts cover the total exactly once (``combos_tile``) and every part holds a number:
    - an empty total takes the sum of its parts;
    - a total left as it was stored, which then equalled its stored parts, follows its parts when they change
      (it was their sum, not a figure of its own; otherwise an officer correcting one part would be refused for
      a total they never typed).
    A total typed or changed in this save is kept as typed, and check_combos judges it.
    """
    if not meta.combos_tile or len(meta.combos) < 2:
        return []
    state = {**stored, **submitted}
    derived: dict[str, Entry] = {}
    for sex in sorted({sex for sex, _combo in state}):
        total = state.get((sex, ""))
        before = stored.get((sex, ""))
        for field in _fields(meta):
            new_sum = _parts_sum(meta, state, sex, field)
            if new_sum is None:
                continue
            current = None if total is None else getattr(total, field)
            if current == new_sum:
                continue
            kept = before is not None and getattr(before, field) == current
            followed = kept and current == _parts_sum(meta, stored, sex, field)
            if current is None or followed:
                entry = replace(derived.get(sex) or total or Entry(meta.id, sex), combo="")
                setattr(entry, field, new_sum)
                derived[sex] = entry
    return list(derived.values())


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
        if meta is None or len(meta.combos) < 2:
            continue
        before = stored_by.get(indicator_id, {})
        totals = derive_totals(meta, before, mine)
        for total in totals:
            mine[(total.sex, "")] = total
        replaced = {t.sex for t in totals}
        entries = [e for e in entries if not (e.indicator_id == indicator_id and not e.combo and e.sex in replaced)]
        entries += totals
        refusals += parts_refusals(meta, {**before, **mine})
    return entries, refusals
