"""Find administrative units by name, the way plans and reports write them.

"tỉnh Thái Nguyên", "Thừa Thiên Huế", "huyện Yên Thế", "xã An Hòa Thịnh", "TP. Huế": the kind word is
optional, diacritics are folded (old-style "Hoà" equals "Hòa"), and the date of the document picks the
generation of units (a 2015 plan names legacy units). A lookup returns one unit or ``None``; it never picks
one of several equally good candidates. See docs/places.md for the rules.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from django.db.models import Q
from django.utils import timezone

from binhdang.lib.text import clean_text, fold, nfc
from binhdang.places.models import AdministrativeUnit, Generation, Level, UnitKind
from binhdang.places.refdata import KIND_PREFIXES, kind_bare_name

__all__ = [
    "FORMER_NAMES",
    "unit_descendants_ids",
    "unit_find",
    "unit_find_path",
    "unit_successors_today",
]

# Names a unit was known by before the name the data gives it, with the legal act that changed it. The
# package's legacy list is the state of 30 June 2025, so it already carries names given before that day.
# (generation, code) → former full names.
FORMER_NAMES: dict[tuple[str, str], tuple[str, ...]] = {
    # Resolution 1314/NQ-UBTVQH15 (30/11/2024): Tỉnh Thừa Thiên Huế became Thành phố Huế, a centrally-run
    # city, from 1 January 2025.
    (Generation.LEGACY.value, "46"): ("Tỉnh Thừa Thiên Huế",),
}

_ALL_KINDS = frozenset(UnitKind.values)
_CITY = frozenset({UnitKind.THANH_PHO_TW, UnitKind.THANH_PHO})
# Kind words as documents write them (folded), longest first, and the kinds each one can mean.
_WRITTEN_KINDS: tuple[tuple[str, frozenset[str]], ...] = (
    ("thanh pho truc thuoc trung uong", frozenset({UnitKind.THANH_PHO_TW})),
    ("thanh pho", _CITY),
    ("tp", _CITY),
    ("tinh", frozenset({UnitKind.TINH})),
    ("huyen dao", frozenset({UnitKind.HUYEN_DAO, UnitKind.HUYEN})),
    ("huyen", frozenset({UnitKind.HUYEN, UnitKind.HUYEN_DAO})),
    ("quan", frozenset({UnitKind.QUAN})),
    ("thi xa", frozenset({UnitKind.THI_XA})),
    ("tx", frozenset({UnitKind.THI_XA})),
    ("thi tran", frozenset({UnitKind.THI_TRAN})),
    ("tt", frozenset({UnitKind.THI_TRAN})),
    ("xa", frozenset({UnitKind.XA})),
    ("phuong", frozenset({UnitKind.PHUONG})),
    ("dac khu", frozenset({UnitKind.DAC_KHU})),
)
# The kind words stored names begin with, to build the exact name keys a bare name can have.
_STORED_PREFIXES = sorted({p for prefixes in KIND_PREFIXES.values() for p in prefixes})
_ABBREVIATION_DOT = re.compile(r"^(tp|tx|tt)\.\s*", re.IGNORECASE)
_COUNTRY = {"viet nam", "vietnam", "nuoc cong hoa xa hoi chu nghia viet nam"}
_LEVEL_RANK = {Level.PROVINCE: 0, Level.DISTRICT: 1, Level.COMMUNE: 2}
# Tone marks (huyền, sắc, ngã, hỏi, nặng); the other combining marks (ă, â, ê, ô, ơ, ư) change the vowel.
_TONES = frozenset("\u0300\u0301\u0303\u0309\u0323")


def _tone_key(s: str) -> str:
    """Lowercase name with each word's tone moved to its end: "Hoà" and "Hòa" agree, "Hóa" does not."""
    words = []
    for word in nfc(s).lower().split():
        decomposed = unicodedata.normalize("NFD", word)
        tones = sorted(c for c in decomposed if c in _TONES)
        base = unicodedata.normalize("NFC", "".join(c for c in decomposed if c not in _TONES))
        words.append(base + "".join(tones))
    return " ".join(words)


def _readings(name: str) -> tuple[list[tuple[frozenset[str] | None, str, str]], str]:
    """Readings of a written name: (kinds its kind word allows or None, folded bare name, bare as written)."""
    written = clean_text(name).strip(" .;:")
    written = _ABBREVIATION_DOT.sub(lambda m: m.group(1) + " ", written)
    words = written.split()
    folded = fold(written)
    readings: list[tuple[frozenset[str] | None, str, str]] = []
    for prefix, kinds in _WRITTEN_KINDS:
        if folded.startswith(prefix + " "):
            n = len(prefix.split())
            readings.append((kinds, " ".join(folded.split()[n:]), " ".join(words[n:])))
    return readings, written


def _valid_on(at: dt.date) -> Q:
    return (Q(valid_from__isnull=True) | Q(valid_from__lte=at)) & (Q(valid_to__isnull=True) | Q(valid_to__gte=at))


def _within(unit: AdministrativeUnit) -> Q:
    q = Q()
    path = "parent"
    for _ in range(len(_LEVEL_RANK)):
        q |= Q(**{f"{path}_id": unit.pk})
        path = f"parent__{path}"
    return q


def _unit_bare(unit: AdministrativeUnit) -> str:
    """The unit's name without its kind word, as stored (with diacritics)."""
    drop = len(unit.name.split()) - len(kind_bare_name(unit.kind, unit.name).split())
    return " ".join(unit.name.split()[drop:])


def _former_matches(kinds: frozenset[str] | None, bare: str) -> list[tuple[str, str]]:
    found = []
    for key, names in FORMER_NAMES.items():
        for former in names:
            for former_kinds, former_bare, _ in _readings(former)[0] or [(None, fold(former), former)]:
                if former_bare == bare and (kinds is None or former_kinds is None or kinds & former_kinds):
                    found.append(key)
    return found


def _candidates(kinds: frozenset[str] | None, bare: str, scope: Q) -> list[tuple[AdministrativeUnit, bool]]:
    """Units whose name, without the kind word, folds to ``bare``; the flag marks a match on a former name."""
    if not bare:
        return []
    keys = {f"{p} {bare}" for p in _STORED_PREFIXES} | {bare}
    q = Q(name_key__in=keys)
    former = _former_matches(kinds, bare)
    for generation, code in former:
        q |= Q(generation=generation, code=code)
    found = []
    for unit in AdministrativeUnit.objects.filter(scope & q):
        if (unit.generation, unit.code) in former:
            found.append((unit, True))
        elif kind_bare_name(unit.kind, unit.name) == bare and (kinds is None or unit.kind in kinds):
            found.append((unit, False))
    return found


def unit_find(
    name: str,
    *,
    at: dt.date | None = None,
    within: AdministrativeUnit | None = None,
    level: str | None = None,
) -> AdministrativeUnit | None:
    """The one unit ``name`` designates, or ``None`` when there is none or more than one.

    ``at``: the date the name was written (the plan's date); the generation valid on that day is searched.
    ``None`` means today, unless ``within`` is given, in which case ``within``'s generation is searched.
    ``within``: only units below it (any depth). ``level``: only units of this level.

    Without a kind word, a province wins over a district or commune of the same name, and a district over a
    commune ("Hà Tĩnh" is the province; the city is written "thành phố Hà Tĩnh"). Among several candidates
    the one whose accents match the written name exactly wins ("Hòa" over "Hóa"); otherwise ``None``.
    """
    readings, written = _readings(name)
    if not written:
        return None
    scope = Q()
    if at is not None or within is None:
        scope &= _valid_on(at or timezone.localdate())
    if within is not None:
        scope &= _within(within)
    if level is not None:
        scope &= Q(level=level)

    found: list[tuple[AdministrativeUnit, bool]] = []
    bare_written = written
    kind_written = False
    for kinds, bare, bare_as_written in readings:
        found = _candidates(kinds, bare, scope)
        if found:
            bare_written, kind_written = bare_as_written, True
            break
    if not found:  # no kind word, or a name that merely begins like one ("Quan Sơn")
        found = _candidates(None, fold(written), scope)
    units = _dedupe(found)
    if len(units) > 1 and not kind_written:
        top = min(_LEVEL_RANK[Level(u.level)] for u, _ in units)
        units = [(u, f) for u, f in units if _LEVEL_RANK[Level(u.level)] == top]
    if len(units) > 1 and fold(bare_written) != nfc(bare_written).lower():  # the writer used diacritics
        wanted = _tone_key(bare_written)
        exact = [(u, f) for u, f in units if f or _tone_key(_unit_bare(u)) == wanted]
        units = exact or units
    return units[0][0] if len(units) == 1 else None


def _dedupe(found: list[tuple[AdministrativeUnit, bool]]) -> list[tuple[AdministrativeUnit, bool]]:
    seen: dict[int, tuple[AdministrativeUnit, bool]] = {}
    for unit, former in found:
        if unit.pk not in seen or former:
            seen[unit.pk] = (unit, former)
    return list(seen.values())


def unit_find_path(path: str, *, at: dt.date | None = None) -> AdministrativeUnit | None:
    """Resolve "xã An Hòa Thịnh, huyện Hương Sơn, tỉnh Hà Tĩnh", most general part first.

    Each part is looked up below the unit the previous one resolved to; any part that does not resolve to
    exactly one unit makes the whole path ``None``. A trailing "Việt Nam" is ignored.
    """
    parts = [p.strip() for p in clean_text(path).split(",") if p.strip()]
    while parts and fold(parts[-1]).strip(" .") in _COUNTRY:
        parts.pop()
    unit: AdministrativeUnit | None = None
    for part in reversed(parts):
        unit = unit_find(part, at=at, within=unit)
        if unit is None:
            return None
    return unit


def _valid_today(unit: AdministrativeUnit, today: dt.date) -> bool:
    return (unit.valid_from is None or unit.valid_from <= today) and (unit.valid_to is None or unit.valid_to >= today)


def unit_successors_today(unit: AdministrativeUnit) -> list[AdministrativeUnit]:
    """The units in force today that took over ``unit``, following successor links over any number of steps.

    A unit in force today is its own successor: ``[unit]``. A unit without links (or whose links end in
    units no longer in force) gives ``[]``. Ordered by level, then code. One query per step.
    """
    today = timezone.localdate()
    if _valid_today(unit, today):
        return [unit]
    seen = {unit.pk}
    frontier = [unit.pk]
    result: dict[int, AdministrativeUnit] = {}
    while frontier:
        step = AdministrativeUnit.objects.filter(predecessors__in=frontier).distinct()
        frontier = []
        for successor in step:
            if successor.pk in seen:
                continue
            seen.add(successor.pk)
            if _valid_today(successor, today):
                result[successor.pk] = successor
            else:
                frontier.append(successor.pk)
    return sorted(result.values(), key=lambda u: (_LEVEL_RANK.get(Level(u.level), 9), u.code))


def unit_descendants_ids(unit: AdministrativeUnit) -> set[int]:
    """Ids of every unit below ``unit`` (children, grandchildren…), not ``unit`` itself.

    One query per level below, each a join on the parent chain (no long id lists).
    """
    ids: set[int] = set()
    path = "parent_id"
    while True:
        level_ids = set(AdministrativeUnit.objects.filter(**{path: unit.pk}).values_list("pk", flat=True))
        if not level_ids:
            return ids
        ids |= level_ids
        path = "parent__" + path
