"""Where a (possibly historic) unit's figures count today: its "home" among the units in force.

- a unit in force counts toward itself;
- a historic commune or province counts toward its successor in force (through the successor links, over
  any number of steps); a unit split between several successors counts toward the one of lowest code, so
  that nothing is counted twice;
- a historic district (districts were abolished in 2025) counts toward its province's successor, never
  toward a commune.

Queries are fixed in number, never one per unit: one for the units, one per step of successor links, one per
level of parents. Used by the roll-up (analytics) and by the summary of accepted values kept by reporting.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from typing import Any

from .models import AdministrativeUnit, Level

LEVEL_RANK = {Level.PROVINCE.value: 0, Level.DISTRICT.value: 1, Level.COMMUNE.value: 2}


@dataclass(frozen=True)
class Home:
    unit_id: int  # the unit in force the values count toward
    rank: int  # the level of the unit that reported (0 province, 1 district, 2 commune)


def current_successors(unit_ids: set[int]) -> dict[int, int]:
    """For each historic unit, the unit in force that takes over its values (lowest code among several).

    One query per step of successor links. Units whose links end nowhere in force are left out.
    """
    through = AdministrativeUnit.successors.through
    result: dict[int, int] = {}
    frontier: dict[int, set[int]] = {uid: {uid} for uid in unit_ids}  # origin -> units reached at this step
    seen: dict[int, set[int]] = {uid: {uid} for uid in unit_ids}
    while frontier:
        reached = set().union(*frontier.values())
        links = through.objects.filter(from_administrativeunit_id__in=reached).values_list(
            "from_administrativeunit_id",
            "to_administrativeunit_id",
            "to_administrativeunit__code",
            "to_administrativeunit__valid_to",
        )
        step: dict[int, list[tuple[int, str, Any]]] = defaultdict(list)
        for source, target, code, valid_to in links:
            step[source].append((target, code, valid_to))
        next_frontier: dict[int, set[int]] = {}
        for origin, units in frontier.items():
            found = [link for uid in units for link in step.get(uid, [])]
            in_force = sorted((code, target) for target, code, valid_to in found if valid_to is None)
            if in_force:
                result[origin] = in_force[0][1]
                continue
            onward = {target for target, _code, _valid_to in found} - seen[origin]
            if onward:
                seen[origin] |= onward
                next_frontier[origin] = onward
        frontier = next_frontier
    return result


def parents_of(unit_ids: set[int]) -> dict[int, int | None]:
    """Every given unit and each of its ancestors mapped to its parent: one query per level."""
    parents: dict[int, int | None] = {}
    frontier = set(unit_ids)
    while frontier:
        rows = AdministrativeUnit.objects.filter(pk__in=frontier).values_list("pk", "parent_id")
        parents.update(dict(rows))
        frontier = {p for _, p in rows if p is not None} - set(parents)
    return parents


@dataclass
class Attribution:
    homes: dict[int, Home]  # reporting unit -> home
    parents: dict[int, int | None]  # homes and their ancestors -> parent

    def ancestors(self, unit_id: int) -> list[int]:
        result = []
        current = self.parents.get(unit_id)
        while current is not None:
            result.append(current)
            current = self.parents.get(current)
        return result


def attribute(unit_ids: set[int]) -> Attribution:
    """Where each reporting unit's values count today (see the module docstring)."""
    units = {
        u["pk"]: u
        for u in AdministrativeUnit.objects.filter(pk__in=unit_ids).values("pk", "level", "valid_to", "parent_id")
    }
    homes: dict[int, Home] = {}
    start: dict[int, int] = {}  # historic unit -> unit whose successor it takes
    for uid, u in units.items():
        rank = LEVEL_RANK.get(u["level"], 2)
        if u["valid_to"] is None:
            homes[uid] = Home(uid, rank)
        elif u["level"] == Level.DISTRICT and u["parent_id"] is not None:
            start[uid] = u["parent_id"]
        else:
            start[uid] = uid
    successors = current_successors(set(start.values()))
    for uid, origin in start.items():
        if origin in successors:
            homes[uid] = Home(successors[origin], LEVEL_RANK.get(units[uid]["level"], 2))
    return Attribution(homes, parents_of({h.unit_id for h in homes.values()}))


def home_of(unit: AdministrativeUnit) -> int | None:
    """The unit in force a (possibly historic) unit's dashboard shows."""
    if unit.valid_to is None:
        return unit.pk
    homes = attribute({unit.pk}).homes
    return homes[unit.pk].unit_id if unit.pk in homes else None
