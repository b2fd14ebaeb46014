"""Roll-up of accepted values over the hierarchy and across the 2025 reorganisation.

Only values of ACCEPTED reports count. Figures are read from the summary of accepted values
(reporting.AcceptedSum), which the reporting services update in the same transaction as the acceptance or
reopening of a report (reporting/summary.py), so a report accepted now shows on the next page load
(docs/monitoring.md). Bulk writes that bypass the services rebuild it (`binhdang report summary`).

Queries are fixed in number, never one per unit or indicator: the plan's indicators and periods; the units in
force (for their parents); then, as figures are asked (class Rollup), the summary rows of the unit asked and
all its siblings at once (at the top level: the province asked, then all the others).

Attribution ("home", binhdang.places.attribution): each reporting unit counts toward one unit in force today.
- a unit in force counts toward itself;
- a historic commune or province counts toward its successor in force (through the successor links, over
  any number of steps); a unit split between several successors counts toward the one of lowest code, so
  that nothing is counted twice;
- a historic district (districts were abolished in 2025) counts toward its province's successor, never
  toward a commune.

A unit's figure: when an indicator has values from units below the unit (a province's communes), the figure
is built from those only (the nearest level below that reported, so a three-level history is not counted
twice); otherwise from the unit's own values. Counts are summed; percentages, rates and ratios are the sum of
numerators over the sum of denominators, times 100 or N, never an average of percentages. Reports that give a
percentage without numerator and denominator are counted (``not_rollable``), not summed.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

# Re-exported: the dashboards, the benchmark and tests import the attribution from here.
from binhdang.places.attribution import LEVEL_RANK as LEVEL_RANK
from binhdang.places.attribution import Attribution as Attribution
from binhdang.places.attribution import Home as Home
from binhdang.places.attribution import attribute as attribute
from binhdang.places.attribution import current_successors as current_successors
from binhdang.places.attribution import home_of as home_of
from binhdang.places.attribution import parents_of as parents_of
from binhdang.places.models import AdministrativeUnit
from binhdang.plans.models import Indicator, Measure, Plan
from binhdang.reporting.models import AcceptedSum, Period

FRACTION_MEASURES = (Measure.PERCENTAGE, Measure.RATE, Measure.RATIO)


def scale_of(indicator: Indicator) -> Decimal:
    if indicator.measure == Measure.PERCENTAGE:
        return Decimal(100)
    if indicator.rate_per:
        return Decimal(indicator.rate_per)
    return Decimal(1)


@dataclass(frozen=True)
class Row:
    """Accepted values of one indicator and sex counted toward one unit in one period (summed over reports)."""

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
    not_rollable: int = 0
    problem: str = ""


# A summary row as read: indicator, sex, period, rank of the reporting units, own (home == unit), its sums.
_Summed = tuple[int, str, int, int, bool, Row]

_COLUMNS = (
    "unit_id",
    "indicator_id",
    "sex",
    "period_id",
    "rank",
    "own",
    "value",
    "values",
    "numerator",
    "denominator",
    "reports",
    "fraction_reports",
)


class Rollup:
    """Accepted values of a plan, attributed to units in force; figures for any unit, read from the summary.

    The constructor reads the plan's indicators and periods. Summary rows are read on the first ``figures()``
    call that needs them and kept, one query for all the units under the same parent (a drill-down or a
    ranking asks them all); at the top level (provinces) the unit's own rows the first time, all the others
    the second time (a province's page needs no other province, the national roll-up needs them all).
    """

    def __init__(self, plan: Plan) -> None:
        self.plan = plan
        self.indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan).prefetch_related("targets")}
        self.periods = list(Period.objects.filter(plan=plan).order_by("data_to", "due", "kind"))
        self._parents: dict[int, int | None] | None = None  # units in force -> parent
        self._rows: dict[int, list[_Summed]] = {}  # unit -> its summary rows, once read
        self._asked: set[int | None] = set()  # top level, once one unit of it was read alone

    def _read(self, unit_id: int) -> list[_Summed]:
        if unit_id in self._rows:
            return self._rows[unit_id]
        if self._parents is None:
            self._parents = dict(
                AdministrativeUnit.objects.filter(valid_to__isnull=True).values_list("pk", "parent_id")
            )
        if unit_id not in self._parents:  # a historic unit: its values count toward its home, not itself
            self._rows[unit_id] = []
            return []
        parent = self._parents[unit_id]
        rows = AcceptedSum.objects.filter(plan=self.plan, reports__gt=0)
        if parent is None and parent not in self._asked:  # a province's page needs no other province
            self._asked.add(parent)
            units = [unit_id]
            rows = rows.filter(unit_id=unit_id)
        else:
            units = [u for u, p in self._parents.items() if p == parent and u not in self._rows]
            rows = rows.filter(unit__parent_id=parent) if parent is not None else rows.filter(unit__parent__isnull=True)
            rows = rows.filter(unit__valid_to__isnull=True)
        for uid in units:
            self._rows[uid] = []
        for uid, ind, sex, period, rank, own, value, values, num, den, reports, fractions in rows.values_list(
            *_COLUMNS
        ).order_by():
            target = self._rows.get(uid)
            if target is None or uid not in units:
                continue  # already read alone
            row = Row(
                ind,
                sex,
                uid,
                period,
                value if values else None,
                num if fractions else None,
                den if fractions else None,
                reports,
                fractions,
            )
            target.append((ind, sex, period, rank, own, row))
        return self._rows[unit_id]

    def figures(self, unit_id: int, rank: int) -> dict[tuple[int, str, int], Figure]:
        """The unit's figure per (indicator, sex, period); ``rank`` is the unit's level rank."""
        rows = self._read(unit_id)
        from_below = {ind for ind, _sex, _period, r, _own, _row in rows if r > rank}
        chosen: dict[tuple[int, str, int], list[tuple[int, Row]]] = defaultdict(list)
        for ind, sex, period, r, own, row in rows:
            if ind in from_below:
                if r <= rank:
                    continue
            elif not own:
                continue
            chosen[(ind, sex, period)].append((r, row))
        result = {}
        for key, group in chosen.items():
            indicator = self.indicators.get(key[0])
            if indicator is None:
                continue
            nearest = min(r for r, _ in group)
            result[key] = combine(indicator, [row for r, row in group if r == nearest])
        return result


def combine(indicator: Indicator, rows: list[Row]) -> Figure:
    """Sum counts; rebuild rates from summed numerators and denominators."""
    fig = Figure(reports=sum(r.reports for r in rows))
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
        elif fig.reports == 1 and rows[0].value is not None:
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
