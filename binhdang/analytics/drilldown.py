"""The rows of a unit's drill-down for one plan: the units below it that reported, and those expected to.

Why (issue 14): the drill-down listed the units in force under the unit. A plan from before July 2025 was
reported by units that no longer exist (districts were abolished, communes merged), so its drill-down showed
today's communes, all empty, and never the former districts whose reports make the figures. The rows are now:

- every unit below the unit that holds a report in the plan's periods, at the level right below it (a former
  commune's report lists its former district under a province; drilling into the district lists the commune),
  unless its values already count toward a listed unit in force (a former commune merged into a commune listed
  anyway: its figures are in that commune's row, a second row would show them twice);
- the units in force right below the unit that were in force during the plan's years (the expected reporters,
  listed with or without figures: a post-2025 plan lists today's communes as before).

A unit no longer in force carries the units in force that took it over: its successors through the 2025 links
("nay là …"), or, for a district (abolished, never merged into a commune), the unit its values count toward
("nay thuộc …", places.attribution).

Figures of a historic row are summed from its reports' accepted values (the summary of accepted values holds
them only under the unit in force they count toward) and combined by the roll-up's own rule
(``rollup.figures_from``: the nearest level below that reported, else the unit's own), so a former district
whose communes also reported is not counted twice.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Q

from binhdang.places.attribution import LEVEL_RANK, attribute, parents_of
from binhdang.places.models import AdministrativeUnit, Level
from binhdang.places.selectors import unit_descendant_ids, unit_predecessor_ids, unit_successor_ids, unit_tree_ids
from binhdang.plans.models import Indicator, Plan
from binhdang.reporting.models import Report, ReportStatus, Value

from .rollup import Figure, figures_from

ZERO = Decimal(0)


@dataclass
class Successor:
    unit: AdministrativeUnit
    link: bool  # the user may open its drill-down


@dataclass
class DrillRow:
    """One row of a drill-down: a unit below the one shown, with what a reader needs to place it."""

    unit: AdministrativeUnit
    parent: AdministrativeUnit | None
    reported: bool  # it holds a report in the plan's periods
    link: bool  # the user may open its drill-down
    successors: list[Successor] = field(default_factory=list)  # units in force now holding it; none if in force
    part_of: bool = False  # a former district: its area now belongs to the successor ("nay thuộc"), not "nay là"

    @property
    def current(self) -> bool:
        return self.unit.valid_to is None


def _plan_end(plan: Plan) -> dt.date:
    return dt.date(plan.year_end, 12, 31)


def drilldown_rows(plan: Plan, unit: AdministrativeUnit, visible: set[int] | None) -> list[DrillRow]:
    """The drill-down rows of ``unit`` for ``plan`` (see the module docstring), in name order; ``visible`` is the
    set of units whose drill-down the user may open (None: all), which decides the links, never the rows."""
    # The unit and the units merged into it: a unit directly below one of these is a row.
    same = {unit.pk} | unit_predecessor_ids({unit.pk})
    tree = unit_tree_ids({unit.pk})
    reporters = (
        set(Report.objects.filter(period__plan=plan).values_list("unit_id", flat=True).distinct()) & tree
    ) - same
    # Units in force right below, in force during the plan's years: expected to report.
    expected = list(
        AdministrativeUnit.objects.filter(parent=unit, valid_to__isnull=True)
        .filter(Q(valid_from__isnull=True) | Q(valid_from__lte=_plan_end(plan)))
        .values_list("pk", flat=True)
    )
    listed = set(expected)
    parents = parents_of(reporters)
    row_of: dict[int, int] = {}  # reporting unit -> the row it is listed under
    for reporter in reporters:
        current: int | None = reporter
        while current is not None and parents.get(current) not in same:
            current = parents.get(current)
        # A unit whose chain of parents does not reach the unit (merged in from elsewhere) is its own row.
        row_of[reporter] = current if current is not None else reporter
    in_force = set(
        AdministrativeUnit.objects.filter(pk__in=reporters, valid_to__isnull=True).values_list("pk", flat=True)
    )
    historic = reporters - in_force
    homes = attribute(historic).homes if historic else {}
    for reporter in reporters:
        home = homes.get(reporter)
        if reporter in historic and home is not None and home.unit_id in listed:
            continue  # its values are in the row of the unit in force it counts toward
        listed.add(row_of[reporter])
    reported_rows = {row_of[r] for r in reporters}
    units = {u.pk: u for u in AdministrativeUnit.objects.select_related("parent").filter(pk__in=listed)}
    successors = _successors({pk: u for pk, u in units.items() if u.valid_to is not None})
    rows = []
    for pk, u in sorted(units.items(), key=lambda item: (item[1].name, item[1].parent.name if item[1].parent else "")):
        found, part_of = successors.get(pk, ([], False))
        rows.append(
            DrillRow(
                unit=u,
                parent=u.parent,
                reported=pk in reported_rows,
                link=visible is None or pk in visible,
                successors=[Successor(s, visible is None or s.pk in visible) for s in found],
                part_of=part_of,
            )
        )
    return rows


def successors_of(unit: AdministrativeUnit, visible: set[int] | None) -> list[Successor]:
    """The units in force that took over a unit no longer in force (its page's banner); none for one in force."""
    if unit.valid_to is None:
        return []
    found, _part_of = _successors({unit.pk: unit}).get(unit.pk, ([], False))
    return [Successor(s, visible is None or s.pk in visible) for s in found]


def _successors(historic: dict[int, AdministrativeUnit]) -> dict[int, tuple[list[AdministrativeUnit], bool]]:
    """For each historic unit, the units in force that took it over, and whether it is only part of them.

    A district's links lead to the many communes its communes went to; it was abolished, not renamed, and its
    values count toward its province's successor (places.attribution): that is the unit shown, "nay thuộc".
    """
    if not historic:
        return {}
    districts = {pk for pk, u in historic.items() if u.level == Level.DISTRICT}
    others = set(historic) - districts
    linked = {pk: unit_successor_ids({pk}) for pk in others}  # few rows: a drill-down lists dozens at most
    homes = attribute(set(historic)).homes
    wanted = set().union(set(), *linked.values()) | {h.unit_id for h in homes.values()}
    in_force = {u.pk: u for u in AdministrativeUnit.objects.filter(pk__in=wanted, valid_to__isnull=True)}
    result: dict[int, tuple[list[AdministrativeUnit], bool]] = {}
    for pk in historic:
        found = sorted((in_force[s] for s in linked.get(pk, set()) if s in in_force), key=lambda u: u.name)
        if found:
            result[pk] = (found, False)
        elif pk in homes and homes[pk].unit_id in in_force:
            result[pk] = ([in_force[homes[pk].unit_id]], True)
    return result


def historic_figures(
    plan: Plan, units: list[AdministrativeUnit], indicators: dict[int, Indicator], indicator_id: int | None = None
) -> dict[int, dict[tuple[int, str, int], Figure]]:
    """Figures of units no longer in force, per (indicator, sex, period), from their and their lower units'
    accepted reports; one query for all of them."""
    if not units:
        return {}
    rank_of = {u.pk: LEVEL_RANK.get(u.level, 2) for u in units}
    below = {u.pk: unit_descendant_ids({u.pk}) for u in units}
    owner: dict[int, int] = {}  # reporting unit -> the historic row it counts in
    for pk, ids in below.items():
        for reporting in ids:
            owner.setdefault(reporting, pk)
    values = Value.objects.filter(
        report__period__plan=plan,
        report__status=ReportStatus.ACCEPTED,
        report__unit_id__in=sorted(owner),
        indicator__plan=plan,
        combo="",  # the totals, as the summary's rows the roll-up reads (issue 16: parts never summed in)
    )
    if indicator_id is not None:
        values = values.filter(indicator_id=indicator_id)
    rows = values.values_list(
        "report__unit_id",
        "report__unit__level",
        "indicator_id",
        "sex",
        "report__period_id",
        "value",
        "numerator",
        "denominator",
    )
    # (row unit, indicator, sex, period, rank, own) -> the summary's sums, as reporting/summary.py keeps them
    sums: dict[tuple[int, int, str, int, int, bool], list[Any]] = defaultdict(lambda: [ZERO, 0, ZERO, ZERO, 0, 0])
    for unit_id, level, ind, sex, period_id, value, numerator, denominator in rows:
        row_unit = owner[unit_id]
        entry = sums[(row_unit, ind, sex, period_id, LEVEL_RANK.get(level, 2), unit_id == row_unit)]
        both = numerator is not None and denominator is not None
        entry[0] += value or ZERO
        entry[1] += int(value is not None)
        entry[2] += numerator if both else ZERO
        entry[3] += denominator if both else ZERO
        entry[4] += 1
        entry[5] += int(both)
    by_unit: dict[int, tuple[dict[tuple[int, str, int], list[Any]], dict[int, int]]] = {u.pk: ({}, {}) for u in units}
    for (row_unit, ind, sex, period_id, rank, own), entry in sums.items():
        by_key, top = by_unit[row_unit]
        by_key.setdefault((ind, sex, period_id), []).append((rank, own, *entry))
        if rank > top.get(ind, -1):
            top[ind] = rank
    scales = {pk: i.scale for pk, i in indicators.items()}
    return {
        pk: figures_from(by_key, top, rank_of[pk], indicators, scales, indicator_id)
        for pk, (by_key, top) in by_unit.items()
    }


# (combo, sex, period, rank, own, value, values, numerator, denominator, reports, fraction_reports): the shape of
# the summary's rows (reporting/summary.py), so that analytics/breakdown.py adds up either the same way.
PartRow = tuple[str, str, int, int, bool, Decimal, int, Decimal, Decimal, int, int]


def historic_part_rows(plan: Plan, unit: AdministrativeUnit, indicator_id: int) -> list[PartRow]:
    """The accepted parts (combinations, issue 16) of one indicator from the reports of a unit no longer in force
    and of the units below it, one row per value in the summary's shape: the breakdown of a former district's
    page reads these as a unit in force's page reads the summary."""
    below = unit_descendant_ids({unit.pk})
    values = (
        Value.objects.filter(
            report__period__plan=plan,
            report__status=ReportStatus.ACCEPTED,
            report__unit_id__in=sorted(below),
            indicator_id=indicator_id,
        )
        .exclude(combo="")
        .values_list(
            "combo",
            "sex",
            "report__period_id",
            "report__unit_id",
            "report__unit__level",
            "value",
            "numerator",
            "denominator",
        )
    )
    rows: list[PartRow] = []
    for combo, sex, period_id, unit_id, level, value, numerator, denominator in values:
        both = numerator is not None and denominator is not None
        rows.append(
            (
                combo,
                sex,
                period_id,
                LEVEL_RANK.get(level, 2),
                unit_id == unit.pk,
                value or ZERO,
                int(value is not None),
                numerator if numerator is not None and both else ZERO,
                denominator if denominator is not None and both else ZERO,
                1,
                int(both),
            )
        )
    return rows
