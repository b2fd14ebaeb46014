"""Roll-up of accepted values over the hierarchy and across the 2025 reorganisation.

Only values of ACCEPTED reports count. Every figure is computed from the database at request time: there is
no cache and no summary table, so a report accepted now shows on the next page load (docs/monitoring.md).

Queries are fixed in number, never one per unit or indicator: one for the units that reported, one for those
units, one per step of successor links, one per level of parents, one for the periods; then, as figures are
asked (class Rollup), value sums grouped in the database by parent (units in force), by reporting unit for the
children of one parent (all siblings at once), and by reporting unit for historic and top-level units.

Attribution ("home"): each reporting unit counts toward one unit in force today.
- a unit in force counts toward itself;
- a historic commune or province counts toward its successor in force (through the successor links, over
  any number of steps); a unit split between several successors counts toward the one of lowest code, so
  that nothing is counted twice;
- a historic district (districts were abolished in 2025) counts toward its province's successor, never
  toward a commune.

A unit's figure: when an indicator has values from units below the unit (a province's communes), the figure
is built from those only (the nearest level below that reported, so a three-level history is not counted
twice); otherwise from the unit's own values. Counts are summed; percentages, rates and ratios are the sum of
numerators over the sum of denominators, times 100 or N, never an average of percentages.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Sum

from binhdang.places.models import AdministrativeUnit, Level
from binhdang.plans.models import Indicator, Measure, Plan
from binhdang.reporting.models import Period, Report, ReportStatus, Value

LEVEL_RANK = {Level.PROVINCE.value: 0, Level.DISTRICT.value: 1, Level.COMMUNE.value: 2}
FRACTION_MEASURES = (Measure.PERCENTAGE, Measure.RATE, Measure.RATIO)


def scale_of(indicator: Indicator) -> Decimal:
    if indicator.measure == Measure.PERCENTAGE:
        return Decimal(100)
    if indicator.rate_per:
        return Decimal(indicator.rate_per)
    return Decimal(1)


@dataclass(frozen=True)
class Row:
    """Accepted values of one indicator and sex, reported for one unit in one period (summed over reports)."""

    indicator_id: int
    sex: str
    unit_id: int
    period_id: int
    value: Decimal | None
    numerator: Decimal | None
    denominator: Decimal | None
    reports: int
    fraction_reports: int


@dataclass
class Figure:
    """A unit's figure for one indicator, sex and period, with the sums it comes from."""

    figure: Decimal | None = None
    value: Decimal | None = None
    numerator: Decimal | None = None
    denominator: Decimal | None = None
    reports: int = 0
    units: set[int] = field(default_factory=set)
    not_rollable: int = 0
    problem: str = ""


@dataclass(frozen=True)
class Home:
    unit_id: int  # the unit in force the values count toward
    rank: int  # the level of the unit that reported (0 province, 1 district, 2 commune)


def accepted_rows(plan: Plan) -> list[Row]:
    """One query: accepted values of the plan, summed by indicator × sex × reporting unit × period."""
    both = Q(numerator__isnull=False, denominator__isnull=False)
    rows = (
        Value.objects.filter(indicator__plan=plan, report__status=ReportStatus.ACCEPTED)
        .values("indicator_id", "sex", "report__unit_id", "report__period_id")
        .annotate(
            sum_value=Sum("value"),
            sum_numerator=Sum("numerator", filter=both),
            sum_denominator=Sum("denominator", filter=both),
            reports=Count("pk"),  # a value is unique per report, indicator and sex
            fraction_reports=Count("pk", filter=both),
        )
        .order_by()
    )
    return [
        Row(
            r["indicator_id"],
            r["sex"],
            r["report__unit_id"],
            r["report__period_id"],
            r["sum_value"],
            r["sum_numerator"],
            r["sum_denominator"],
            r["reports"],
            r["fraction_reports"],
        )
        for r in rows
    ]


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


class Rollup:
    """Accepted values of a plan, attributed to units in force; figures for any unit, summed in the database.

    The constructor only finds the units that reported and where their values count (a few small queries).
    The sums are read on the first ``figures()`` call that needs them, at the level that call needs, and kept:
    - units in force below another unit (communes of a province): one GROUP BY over all of them, by parent,
      enough for the figure of a parent or any unit above it;
    - their own sums, one GROUP BY per parent when a figure of such a unit is asked (all its siblings at once);
    - historic units and units at the top: one GROUP BY per reporting unit, attributed in Python.
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan).prefetch_related("targets")}
        self.periods = list(Period.objects.filter(plan=plan).order_by("data_to", "due", "kind"))
        reported = Report.objects.filter(status=ReportStatus.ACCEPTED).filter(
            Exists(Value.objects.filter(report=OuterRef("pk"), indicator__plan=plan))
        )
        unit_ids = set(reported.values_list("unit_id", flat=True).distinct())
        self.attribution = attribute(unit_ids)
        homes, parents = self.attribution.homes, self.attribution.parents
        # In-force reporting units with a parent, by parent: their sums can be read grouped by parent.
        self._groups: dict[int, set[int]] = defaultdict(set)
        self._single = False  # historic or top-level reporting units: summed per unit
        for uid in unit_ids:
            home = homes.get(uid)
            if home is None:
                continue
            parent = parents.get(uid)
            if home.unit_id == uid and parent is not None:
                self._groups[parent].add(uid)
            else:
                self._single = True
        self._parent_of = {uid: parent for parent, members in self._groups.items() for uid in members}
        # Every unit (homes and ancestors) -> itself and every unit below it.
        self._within: dict[int, list[int]] = defaultdict(list)
        for uid in parents:
            self._within[uid].append(uid)
            for ancestor in self.attribution.ancestors(uid):
                self._within[ancestor].append(uid)
        self._own: dict[int, list[tuple[Row, int]]] = defaultdict(list)  # home -> its reporting units' sums
        self._grouped: dict[int, list[tuple[Row, int]]] | None = None  # parent -> sums of its in-force children
        self._fine: set[int] = set()  # parents whose children's sums are read one by one (in _own)
        self._single_read = False

    def _sums(self, queryset: QuerySet[Value], key: str) -> list[tuple[Row, int]]:
        """Accepted values of the plan in ``queryset``, summed by ``key`` × indicator × sex × period × level."""
        both = Q(numerator__isnull=False, denominator__isnull=False)
        rows = (
            queryset.filter(indicator__plan=self.plan, report__status=ReportStatus.ACCEPTED)
            .values(key, "report__unit__level", "indicator_id", "sex", "report__period_id")
            .annotate(
                sum_value=Sum("value"),
                sum_numerator=Sum("numerator", filter=both),
                sum_denominator=Sum("denominator", filter=both),
                reports=Count("pk"),  # a value is unique per report, indicator and sex
                fraction_reports=Count("pk", filter=both),
            )
            .order_by()
        )
        return [
            (
                Row(
                    r["indicator_id"],
                    r["sex"],
                    r[key],
                    r["report__period_id"],
                    r["sum_value"],
                    r["sum_numerator"],
                    r["sum_denominator"],
                    r["reports"],
                    r["fraction_reports"],
                ),
                LEVEL_RANK.get(r["report__unit__level"], 2),
            )
            for r in rows
        ]

    def _read(self, unit_id: int) -> None:
        """Read the sums the figure of ``unit_id`` needs and that are not read yet."""
        parent = self._parent_of.get(unit_id)
        if parent is not None and parent not in self._fine:
            self._fine.add(parent)
            in_force = Q(report__unit__parent_id=parent, report__unit__valid_to__isnull=True)
            for row, rank in self._sums(Value.objects.filter(in_force), "report__unit_id"):
                self._own[row.unit_id].append((row, rank))
        within = self._within.get(unit_id, [])
        if self._grouped is None and any(u in self._groups and u not in self._fine for u in within):
            in_force = Q(report__unit__parent__isnull=False, report__unit__valid_to__isnull=True)
            self._grouped = defaultdict(list)
            for row, rank in self._sums(Value.objects.filter(in_force), "report__unit__parent_id"):
                self._grouped[row.unit_id].append((row, rank))
        if self._single and not self._single_read:
            self._single_read = True
            others = Q(report__unit__parent__isnull=True) | Q(report__unit__valid_to__isnull=False)
            homes = self.attribution.homes
            for row, _rank in self._sums(Value.objects.filter(others), "report__unit_id"):
                home = homes.get(row.unit_id)
                if home is not None:
                    self._own[home.unit_id].append((row, home.rank))

    def figures(self, unit_id: int, rank: int) -> dict[tuple[int, str, int], Figure]:
        """The unit's figure per (indicator, sex, period); ``rank`` is the unit's level rank."""
        self._read(unit_id)
        within: list[tuple[Row, int, bool]] = []  # sums, rank of the units that reported, counted to unit_id
        for uid in self._within.get(unit_id, []):
            within += [(row, r, uid == unit_id) for row, r in self._own.get(uid, [])]
            if self._grouped is not None and uid not in self._fine:
                within += [(row, r, False) for row, r in self._grouped.get(uid, [])]
        from_below = {row.indicator_id for row, r, _home in within if r > rank}
        chosen: dict[tuple[int, str, int], list[tuple[Row, int]]] = defaultdict(list)
        for row, r, home in within:
            if row.indicator_id in from_below:
                if r <= rank:
                    continue
            elif not home:
                continue
            chosen[(row.indicator_id, row.sex, row.period_id)].append((row, r))
        result = {}
        for key, group in chosen.items():
            nearest = min(r for _, r in group)
            indicator = self.indicators.get(key[0])
            if indicator is None:
                continue
            result[key] = combine(indicator, [row for row, r in group if r == nearest])
        return result


def combine(indicator: Indicator, rows: list[Row]) -> Figure:
    """Sum counts; rebuild rates from summed numerators and denominators."""
    fig = Figure(reports=sum(r.reports for r in rows), units={r.unit_id for r in rows})
    if indicator.measure == Measure.TEXT:
        fig.problem = "Chỉ tiêu định tính: không cộng dồn số liệu."
        return fig
    if indicator.measure in FRACTION_MEASURES:
        fractions = [r for r in rows if r.fraction_reports]
        fig.not_rollable = sum(r.reports - r.fraction_reports for r in rows)
        if fractions:
            fig.numerator = sum((r.numerator or Decimal(0) for r in fractions), Decimal(0))
            fig.denominator = sum((r.denominator or Decimal(0) for r in fractions), Decimal(0))
            if fig.denominator:
                fig.figure = fig.numerator / fig.denominator * scale_of(indicator)
            else:
                fig.problem = "Tổng mẫu số bằng 0: không tính được tỷ lệ."
        elif len(rows) == 1 and rows[0].reports == 1 and rows[0].value is not None:
            fig.figure = fig.value = rows[0].value  # one unit's own percentage, nothing to sum
        else:
            fig.problem = "Chỉ có tỷ lệ, thiếu tử số và mẫu số: không cộng dồn được."
        if fig.figure is not None and fig.not_rollable and fractions:
            fig.problem = f"{fig.not_rollable} báo cáo chỉ ghi tỷ lệ, không có tử số/mẫu số: không tính vào."
        return fig
    values = [r.value for r in rows if r.value is not None]
    if values:
        fig.figure = fig.value = sum(values, Decimal(0))
    else:
        fig.problem = "Có báo cáo nhưng không ghi giá trị."
    return fig
