"""Load the administrative units of Việt Nam from the ``vietnam-provinces`` package into the database.

Two generations are loaded (see docs/places.md):

* ``"2025"`` – the 34 provinces and 3,321 communes in force since 1 July 2025 (two-level local government,
  Resolution 202/2025/QH15), ``valid_from`` 2025-07-01, no end;
* ``"legacy"`` – the 63 provinces, 696 districts and 10,051 communes as they stood on 30 June 2025,
  ``valid_to`` 2025-06-30, no start (the package has no history before that snapshot).

Successor links go from a legacy unit to the current unit(s) that took over its territory:

* legacy commune → the new commune(s) of the package's ward conversion table (a commune split between several
  new communes has several successors);
* legacy province → the new province(s) of the package's province conversion table;
* legacy district → the union of the new communes its own communes map to (districts were abolished, not
  merged into anything of their level); a district without any commune in the data (the island districts
  Bạch Long Vĩ, Cồn Cỏ, Hoàng Sa, Lý Sơn, Côn Đảo) → the current commune-level unit of the same bare name in
  its successor province(s) that has no legacy commune behind it (the new đặc khu).

The load is an idempotent upsert keyed by (generation, code): rows are created or updated, never deleted
(other tables point at units with PROTECT), and a second run changes nothing.
"""

from __future__ import annotations

import datetime as dt
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import vietnam_provinces
from django.db import transaction
from vietnam_provinces import _province_conversion_2025 as province_conversion
from vietnam_provinces import _ward_conversion_2025 as ward_conversion
from vietnam_provinces._lookup import PROVINCE_MAPPING, WARD_MAPPING
from vietnam_provinces.legacy._lookup import DISTRICT_MAPPING as LEGACY_DISTRICT_MAPPING
from vietnam_provinces.legacy._lookup import PROVINCE_MAPPING as LEGACY_PROVINCE_MAPPING
from vietnam_provinces.legacy._lookup import WARD_MAPPING as LEGACY_WARD_MAPPING

from binhdang.lib.text import fold, nfc
from binhdang.places.models import REFORM_DATE, AdministrativeUnit, Generation, Level, UnitKind

__all__ = ["PACKAGE_VERSION", "UnitLoadStats", "kind_bare_name", "unit_code", "units_load"]

PACKAGE_VERSION: str = vietnam_provinces.__version__
PACKAGE_DATA_DATE: str = vietnam_provinces.__data_version__
CURRENT_FROM: dt.date = REFORM_DATE
LEGACY_TO: dt.date = REFORM_DATE - dt.timedelta(days=1)

if dt.date.fromisoformat(ward_conversion.EFFECTIVE_DATE) != REFORM_DATE:  # pragma: no cover - package guard
    raise RuntimeError(f"vietnam-provinces conversion date is {ward_conversion.EFFECTIVE_DATE}, not {REFORM_DATE}")

SOURCE_CURRENT = (
    f"vietnam-provinces {PACKAGE_VERSION} (dữ liệu {PACKAGE_DATA_DATE}); "
    "nguồn chính thức: Danh mục đơn vị hành chính Việt Nam, Cục Thống kê (QĐ 19/2025/QĐ-TTg)"
)
SOURCE_LEGACY = (
    f"vietnam-provinces {PACKAGE_VERSION} legacy (đến 30/6/2025); "
    "nguồn chính thức: Danh mục đơn vị hành chính Việt Nam, Tổng cục Thống kê; "
    f"chuyển đổi: {ward_conversion.SOURCE}"
)[:200]

# Division types of the package (its enums are StrEnums, so their string values are compared).
_KINDS: dict[str, str] = {
    "tỉnh": UnitKind.TINH,
    "thành phố trung ương": UnitKind.THANH_PHO_TW,
    "huyện": UnitKind.HUYEN,
    "quận": UnitKind.QUAN,
    "thị xã": UnitKind.THI_XA,
    "thành phố": UnitKind.THANH_PHO,
    "xã": UnitKind.XA,
    "phường": UnitKind.PHUONG,
    "thị trấn": UnitKind.THI_TRAN,
    "đặc khu": UnitKind.DAC_KHU,
}

# How names begin, folded, for each kind: used to take the kind word off a name ("Huyện Yên Thế" → "yen the").
KIND_PREFIXES: dict[str, tuple[str, ...]] = {
    UnitKind.TINH: ("tinh",),
    UnitKind.THANH_PHO_TW: ("thanh pho",),
    UnitKind.HUYEN: ("huyen",),
    UnitKind.HUYEN_DAO: ("huyen dao", "huyen"),
    UnitKind.QUAN: ("quan",),
    UnitKind.THI_XA: ("thi xa",),
    UnitKind.THANH_PHO: ("thanh pho",),
    UnitKind.XA: ("xa",),
    UnitKind.PHUONG: ("phuong",),
    UnitKind.THI_TRAN: ("thi tran",),
    UnitKind.DAC_KHU: ("dac khu",),
}

_PAD = {Level.PROVINCE: 2, Level.DISTRICT: 3, Level.COMMUNE: 5}
_FIELDS = ("name", "kind", "level", "parent_id", "valid_from", "valid_to", "source", "name_key")
_LEVEL_ORDER = (Level.PROVINCE, Level.DISTRICT, Level.COMMUNE)


def unit_code(level: str, number: int) -> str:
    """The official code as the statistics office writes it: provinces 2 digits, districts 3, communes 5."""
    return f"{int(number):0{_PAD[Level(level)]}d}"


def kind_bare_name(kind: str, name: str) -> str:
    """The folded name without its kind word: ("huyen", "Huyện Yên Thế") → "yen the"."""
    key = fold(name)
    for prefix in KIND_PREFIXES.get(kind, ()):
        if key.startswith(prefix + " "):
            return key[len(prefix) + 1 :]
    return key


def _display_name(name: str) -> str:
    # The package writes a handful of names with a lower-case kind word ("xã Bắc Sơn").
    name = nfc(name).strip()
    return name[:1].upper() + name[1:]


@dataclass
class UnitLoadStats:
    """What one run of :func:`units_load` did."""

    created: int = 0
    updated: int = 0
    unchanged: int = 0
    links_created: int = 0
    links_deleted: int = 0
    links_unchanged: int = 0
    # Successor links the tables ask for whose target is neither loaded now nor already in the database.
    links_missing: int = 0
    # Rows per (generation, level) in this run's scope, e.g. {("2025", "commune"): 3321}.
    counts: dict[tuple[str, str], int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def total(self) -> int:
        return self.created + self.updated + self.unchanged

    @property
    def changed(self) -> bool:
        return bool(self.created or self.updated or self.links_created or self.links_deleted)


Key = tuple[str, str]  # (generation, code)


@dataclass
class _Row:
    generation: str
    code: str
    name: str
    kind: str
    level: str
    parent: Key | None
    valid_from: dt.date | None
    valid_to: dt.date | None
    source: str

    @property
    def key(self) -> Key:
        return (self.generation, self.code)


def _province_scope(provinces: Iterable[str | int] | None, include_legacy: bool) -> tuple[set[int], set[int]]:
    """The current and legacy province numbers to load: the requested ones and their conversion partners."""
    current_all = {int(p.code) for p in PROVINCE_MAPPING.values()}
    legacy_all = {int(p.code) for p in LEGACY_PROVINCE_MAPPING.values()} if include_legacy else set()
    if provinces is None:
        return current_all, legacy_all
    wanted = {int(p) for p in provinces}
    unknown = wanted - current_all - {int(p.code) for p in LEGACY_PROVINCE_MAPPING.values()}
    if unknown:
        names = ", ".join(unit_code(Level.PROVINCE, c) for c in sorted(unknown))
        raise ValueError(f"Unknown province code(s): {names}")
    current = wanted & current_all
    legacy = wanted & legacy_all
    if include_legacy:
        for code in current:
            entry = province_conversion.NEW_TO_OLD.get(code)
            legacy |= {ref.code for ref in entry.old_provinces} if entry else set()
        for code in legacy:
            entry_old = province_conversion.OLD_TO_NEW.get(code)
            current |= {ref.code for ref in entry_old.new_provinces} if entry_old else set()
    return current, legacy


def _rows(current: set[int], legacy: set[int]) -> list[_Row]:
    rows: list[_Row] = []
    cur, leg = Generation.CURRENT.value, Generation.LEGACY.value

    def add(generation: str, level: str, number: int, name: str, division_type: str, parent: Key | None) -> None:
        is_current = generation == cur
        rows.append(
            _Row(
                generation=generation,
                code=unit_code(level, number),
                name=_display_name(name),
                kind=_KINDS[str(division_type)],
                level=level,
                parent=parent,
                valid_from=CURRENT_FROM if is_current else None,
                valid_to=None if is_current else LEGACY_TO,
                source=SOURCE_CURRENT if is_current else SOURCE_LEGACY,
            )
        )

    for p in PROVINCE_MAPPING.values():
        if p.code in current:
            add(cur, Level.PROVINCE, p.code, p.name, p.division_type, None)
    for w in WARD_MAPPING.values():
        if w.province_code in current:
            add(
                cur,
                Level.COMMUNE,
                w.code,
                w.name,
                w.division_type,
                (cur, unit_code(Level.PROVINCE, w.province_code)),
            )
    for lp in LEGACY_PROVINCE_MAPPING.values():
        if lp.code in legacy:
            add(leg, Level.PROVINCE, lp.code, lp.name, lp.division_type, None)
    district_province = {int(d.code): int(d.province_code) for d in LEGACY_DISTRICT_MAPPING.values()}
    for d in LEGACY_DISTRICT_MAPPING.values():
        if d.province_code in legacy:
            parent = (leg, unit_code(Level.PROVINCE, d.province_code))
            add(leg, Level.DISTRICT, d.code, d.name, d.division_type, parent)
    for lw in LEGACY_WARD_MAPPING.values():
        if district_province[int(lw.district_code)] in legacy:
            parent = (leg, unit_code(Level.DISTRICT, lw.district_code))
            add(leg, Level.COMMUNE, lw.code, lw.name, lw.division_type, parent)
    return rows


def _successor_pairs(rows: list[_Row]) -> dict[Key, set[Key]]:
    """Successor keys for every legacy row in scope (see the module docstring for the rules)."""
    cur, leg = Generation.CURRENT.value, Generation.LEGACY.value
    in_scope = {r.key for r in rows if r.generation == leg}
    pairs: dict[Key, set[Key]] = {}
    for code, entry in province_conversion.OLD_TO_NEW.items():
        key = (leg, unit_code(Level.PROVINCE, code))
        if key in in_scope:
            pairs[key] = {(cur, unit_code(Level.PROVINCE, ref.code)) for ref in entry.new_provinces}
    district_of = {int(w.code): int(w.district_code) for w in LEGACY_WARD_MAPPING.values()}
    for code, ward_entry in ward_conversion.OLD_TO_NEW.items():
        key = (leg, unit_code(Level.COMMUNE, code))
        if key not in in_scope:
            continue  # in the table but not in the legacy list (renamed or dissolved before the snapshot)
        new = {(cur, unit_code(Level.COMMUNE, ref.code)) for ref in ward_entry.new_wards}
        pairs[key] = new
        district_key = (leg, unit_code(Level.DISTRICT, district_of[code]))
        pairs.setdefault(district_key, set()).update(new)
    # Districts without communes in the data: the new commune-level unit of the same name that no legacy
    # commune maps to, in the province(s) the district's province went to.
    with_wards = set(district_of.values())
    successors_of_wards = {ref.code for e in ward_conversion.OLD_TO_NEW.values() for ref in e.new_wards}
    orphans: dict[tuple[int, str], list[int]] = {}
    for w in WARD_MAPPING.values():
        if int(w.code) not in successors_of_wards:
            bare = kind_bare_name(_KINDS[str(w.division_type)], w.name)
            orphans.setdefault((int(w.province_code), bare), []).append(int(w.code))
    for d in LEGACY_DISTRICT_MAPPING.values():
        key = (leg, unit_code(Level.DISTRICT, d.code))
        if key not in in_scope or int(d.code) in with_wards:
            continue
        bare = kind_bare_name(_KINDS[str(d.division_type)], d.name)
        conversion = province_conversion.OLD_TO_NEW.get(int(d.province_code))
        for ref in conversion.new_provinces if conversion else ():
            for new_code in orphans.get((ref.code, bare), []):
                pairs.setdefault(key, set()).add((cur, unit_code(Level.COMMUNE, new_code)))
    return pairs


@transaction.atomic
def units_load(*, include_legacy: bool = True, provinces: Iterable[str | int] | None = None) -> UnitLoadStats:
    """Create or update the administrative units and their successor links from ``vietnam-provinces``.

    ``provinces`` limits the load to these province codes ("19", "42", …; current or legacy numbering) and
    their conversion partners in the other generation, so successor links always find their targets.
    ``include_legacy=False`` loads the current generation only. Idempotent; one transaction.
    """
    started = time.perf_counter()
    stats = UnitLoadStats()
    current, legacy = _province_scope(provinces, include_legacy)
    rows = _rows(current, legacy)
    for row in rows:
        counts_key = (row.generation, Level(row.level).value)
        stats.counts[counts_key] = stats.counts.get(counts_key, 0) + 1

    generations = {r.generation for r in rows}
    existing: dict[Key, AdministrativeUnit] = {
        (u.generation, u.code): u for u in AdministrativeUnit.objects.filter(generation__in=generations)
    }
    ids: dict[Key, int] = {k: u.pk for k, u in existing.items()}

    for level in _LEVEL_ORDER:
        to_create: list[AdministrativeUnit] = []
        to_update: list[AdministrativeUnit] = []
        for row in rows:
            if row.level != level:
                continue
            values: dict[str, Any] = {
                "name": row.name,
                "kind": row.kind,
                "level": row.level,
                "parent_id": ids[row.parent] if row.parent else None,
                "valid_from": row.valid_from,
                "valid_to": row.valid_to,
                "source": row.source,
                "name_key": fold(row.name),
            }
            unit = existing.get(row.key)
            if unit is None:
                to_create.append(AdministrativeUnit(generation=row.generation, code=row.code, **values))
            elif any(getattr(unit, f) != v for f, v in values.items()):
                for f, v in values.items():
                    setattr(unit, f, v)
                to_update.append(unit)
            else:
                stats.unchanged += 1
        if to_create:
            created = AdministrativeUnit.objects.bulk_create(to_create, batch_size=1000)
            if any(u.pk is None for u in created):  # backends that cannot return ids from a bulk insert
                fresh = AdministrativeUnit.objects.filter(generation__in=generations, level=level)
                ids.update({(g, c): pk for g, c, pk in fresh.values_list("generation", "code", "pk")})
            else:
                ids.update({(u.generation, u.code): u.pk for u in created})
            stats.created += len(to_create)
        if to_update:
            AdministrativeUnit.objects.bulk_update(to_update, list(_FIELDS), batch_size=500)
            stats.updated += len(to_update)

    _links_sync(rows, ids, stats)
    stats.seconds = time.perf_counter() - started
    return stats


def _links_sync(rows: list[_Row], ids: dict[Key, int], stats: UnitLoadStats) -> None:
    """Make the successor links of the legacy units in scope exactly the ones the conversion tables give."""
    through = AdministrativeUnit.successors.through
    wanted: set[tuple[int, int]] = set()
    for source_key, targets in _successor_pairs(rows).items():
        for target_key in targets:
            target_id = ids.get(target_key)
            if target_id is None:
                stats.links_missing += 1
            else:
                wanted.add((ids[source_key], target_id))
    scope = {ids[r.key] for r in rows if r.generation == Generation.LEGACY}
    if not scope:
        return
    # One query for the existing links of legacy units (a join rather than a list of ids, which would
    # run into SQLite's limit on query parameters), narrowed to the units in scope here.
    links = through.objects.filter(from_administrativeunit__generation=Generation.LEGACY)
    have: dict[tuple[int, int], int] = {
        (a, b): pk
        for pk, a, b in links.values_list("pk", "from_administrativeunit_id", "to_administrativeunit_id")
        if a in scope
    }
    doomed = [pk for pair, pk in have.items() if pair not in wanted]
    for start in range(0, len(doomed), 500):
        through.objects.filter(pk__in=doomed[start : start + 500]).delete()
    new = sorted(wanted - have.keys())
    through.objects.bulk_create(
        [through(from_administrativeunit_id=a, to_administrativeunit_id=b) for a, b in new], batch_size=1000
    )
    stats.links_deleted = len(doomed)
    stats.links_created = len(new)
    stats.links_unchanged = len(wanted) - len(new)
