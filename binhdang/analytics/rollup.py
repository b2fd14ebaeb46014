"""Roll-up of accepted values over the hierarchy and across the 2025 reorganisation.

Only values of ACCEPTED reports count. Figures are read from the summary of accepted values
(reporting.AcceptedSum), which the reporting services update in the same transaction as the acceptance or
reopening of a report (reporting/summary.py), so a report accepted now shows on the next page load
(docs/monitoring.md). Bulk writes that bypass the services rebuild it (`binhdang report summary`).

Queries are fixed in number, never one per unit or indicator: the plan's indicators and periods; the units in
force (for their parents); then, as figures are asked (class Rollup), the summary rows of the unit asked and
all its siblings at once (at the top level: the province asked, then all the others).

Attribution: each reporting unit counts toward one unit in force today, its "home" (the rules are in
binhdang.places.attribution: historic units count toward their successors, historic districts toward their
province's successor).

A unit's figure: when an indicator has values from units below the unit (a province's communes), the figure
is built from those only (the nearest level below that reported, so a three-level history is not counted
twice); otherwise from the unit's own values. Counts are summed; percentages, rates and ratios are the sum of
numerators over the sum of denominators, times 100 or N, never an average of percentages. Reports that give a
percentage without numerator and denominator are counted (``not_rollable``), not summed.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections
from django.db.models import Q, QuerySet

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

ZERO = Decimal(0)


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


# A summary row as read: rank of the reporting units, own (their home is the unit), value, rows with a value,
# numerator, denominator, reports, reports with numerator and denominator.
_Entry = tuple[int, bool, Decimal, int, Decimal, Decimal, int, int]
# A unit's summary rows by (indicator, sex, period), and the highest rank that reported each indicator.
_UnitRows = tuple[dict[tuple[int, str, int], list[_Entry]], dict[int, int]]

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


def _fetch(rows: QuerySet[AcceptedSum], fractions: set[int]) -> list[tuple[Any, ...]]:
    """The summary rows as tuples of ``_COLUMNS``.

    Through the cursor, not the ORM's per-value converters, which took most of the time on SQLite. SQLite
    returns decimal(30,4) columns as REAL (or INTEGER); formatting to four decimals gives back the exact decimal
    stored (up to 15 significant digits, the same bound as Django's own converter). Only the sums a figure can
    use are converted (``figure_of``): numerator and denominator of a rate, and its value only when no report
    gave both; the value of anything else. The others are left at zero.
    """
    sql, params = rows.values_list(*_COLUMNS).order_by().query.sql_with_params()
    connection = connections[rows.db]
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        fetched = cursor.fetchall()
    if connection.vendor != "sqlite":
        return fetched  # PostgreSQL's driver returns Decimal and bool
    result = []
    for r in fetched:
        if r[1] in fractions:
            value = Decimal(f"{r[6]:.4f}") if r[7] and not r[11] else ZERO
            result.append((*r[:5], bool(r[5]), value, r[7], Decimal(f"{r[8]:.4f}"), Decimal(f"{r[9]:.4f}"), *r[10:]))
        else:
            value = Decimal(f"{r[6]:.4f}") if r[7] else ZERO
            result.append((*r[:5], bool(r[5]), value, r[7], ZERO, ZERO, *r[10:]))
    return result


class Rollup:
    """Accepted values of a plan, attributed to units in force; figures for any unit, read from the summary.

    ``combo`` chooses the combination of categories (default "", the totals every page shows).

    The constructor reads the plan's indicators and periods. Summary rows are read on the first ``figures()``
    call that needs them and kept, one query for all the units under the same parent (a drill-down or a
    ranking asks them all); at the top level (provinces) the unit's own rows the first time, all the others
    the second time (a province's page needs no other province, the national roll-up needs them all). Asked
    for one indicator (``figures(..., indicator_id=)``, a ranking), only that indicator's rows are read.
    """

    def __init__(self, plan: Plan, combo: str = "") -> None:
        self.plan = plan
        # The combination of age group, ethnicity and area the figures are for (plans/categories.py); "" the
        # figures over all of them, as before issue 16. A province's figure for "ethnicity=dtts" is built from
        # its units' accepted values for that same combination, by the same rules.
        self.combo = combo
        self.indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan).prefetch_related("targets")}
        self.periods = list(Period.objects.filter(plan=plan).order_by("data_to", "due", "kind"))
        self._scales = {pk: i.scale for pk, i in self.indicators.items()}
        self._parents: dict[int, int | None] | None = None  # units in force -> parent
        # (unit, None) -> the unit's summary rows, once read; (unit, indicator) -> only that indicator's
        self._rows: dict[tuple[int, int | None], _UnitRows] = {}
        self._asked: set[tuple[int | None, int | None]] = set()  # top level, once a unit of it was read alone

    def _read(self, unit_id: int, indicator_id: int | None = None) -> _UnitRows:
        """The unit's summary rows (only ``indicator_id``'s if given and not all are read yet)."""
        found = self._rows.get((unit_id, None))
        if found is None and indicator_id is not None:
            found = self._rows.get((unit_id, indicator_id))
        if found is not None:
            return found
        if self._parents is None:
            units = AdministrativeUnit.objects.filter(valid_to__isnull=True).order_by()
            self._parents = dict(units.values_list("pk", "parent_id"))
        if unit_id not in self._parents:  # a historic unit: its values count toward its home, not itself
            self._rows[(unit_id, None)] = ({}, {})
            return self._rows[(unit_id, None)]
        parent = self._parents[unit_id]
        rows = AcceptedSum.objects.filter(plan=self.plan, combo=self.combo, reports__gt=0)
        if indicator_id is not None:  # a ranking of the units under one parent by one indicator
            rows = rows.filter(indicator_id=indicator_id)
        if parent is None and (parent, indicator_id) not in self._asked:  # a province's page needs no other
            self._asked.add((parent, indicator_id))
            units_read = {unit_id}
            rows = rows.filter(unit_id=unit_id)
        else:
            units_read = {
                u
                for u, p in self._parents.items()
                if p == parent and (u, None) not in self._rows and (u, indicator_id) not in self._rows
            }
            if connections[rows.db].vendor == "postgresql":
                # Through the parent: an IN list of every sibling, most without data, makes PostgreSQL's
                # planner expect most of the table and scan it all (35 ms instead of 2 for one province).
                by_parent = Q(unit__parent_id=parent) if parent is not None else Q(unit__parent__isnull=True)
                rows = rows.filter(by_parent, unit__valid_to__isnull=True)
            else:  # SQLite keeps no statistics unless asked, and probes the (plan, unit) index per id
                rows = rows.filter(unit_id__in=sorted(units_read))
        read: dict[int, _UnitRows] = {uid: ({}, {}) for uid in units_read}
        fractions = {pk for pk, i in self.indicators.items() if i.is_fraction}
        for row in _fetch(rows, fractions):
            target = read.get(row[0])
            if target is None:
                continue  # already read alone
            by_key, top = target
            key = row[1:4]  # indicator, sex, period
            entry = row[4:]  # rank, own, sums
            entries = by_key.get(key)
            if entries is None:
                by_key[key] = [entry]
            else:
                entries.append(entry)
            if row[4] > top.get(row[1], -1):
                top[row[1]] = row[4]
        self._rows.update({(uid, indicator_id): unit_rows for uid, unit_rows in read.items()})
        return self._rows[(unit_id, indicator_id)]

    def figures(self, unit_id: int, rank: int, indicator_id: int | None = None) -> dict[tuple[int, str, int], Figure]:
        """The unit's figure per (indicator, sex, period); ``rank`` is the unit's level rank. With
        ``indicator_id``, only that indicator's (a ranking of units needs no other)."""
        by_key, top = self._read(unit_id, indicator_id)
        return figures_from(by_key, top, rank, self.indicators, self._scales, indicator_id)


def figures_from(
    by_key: dict[tuple[int, str, int], list[_Entry]],
    top: dict[int, int],
    rank: int,
    indicators: dict[int, Indicator],
    scales: dict[int, Decimal],
    indicator_id: int | None = None,
) -> dict[tuple[int, str, int], Figure]:
    """A unit's figures from its rows (``_UnitRows``): the nearest level below that reported, else its own.

    Apart from ``Rollup`` so that a historic unit's figures (analytics/drilldown.py), summed from its reports'
    values rather than read from the summary, follow exactly the same rule.
    """
    result = {}
    for key, entries in by_key.items():
        if indicator_id is not None and key[0] != indicator_id:
            continue
        indicator = indicators.get(key[0])
        if indicator is None:
            continue
        # Values from below the unit for this indicator: only those count; otherwise only its own.
        below = top[key[0]] > rank
        if len(entries) == 1:  # the common case: one level reported
            entry = entries[0]
            if (entry[0] > rank) if below else entry[1]:
                result[key] = figure_of(indicator, *entry[2:], scales[key[0]])
            continue
        chosen = [e for e in entries if e[0] > rank] if below else [e for e in entries if e[1]]
        if not chosen:
            continue
        nearest = min(e[0] for e in chosen)
        chosen = [e for e in chosen if e[0] == nearest]
        if len(chosen) == 1:
            result[key] = figure_of(indicator, *chosen[0][2:], scales[key[0]])
            continue
        value, values, numerator, denominator = Decimal(0), 0, Decimal(0), Decimal(0)
        reports = fraction_reports = 0
        for e in chosen:
            value += e[2]
            values += e[3]
            numerator += e[4]
            denominator += e[5]
            reports += e[6]
            fraction_reports += e[7]
        result[key] = figure_of(
            indicator, value, values, numerator, denominator, reports, fraction_reports, scales[key[0]]
        )
    return result


def figure_of(
    indicator: Indicator,
    value: Decimal,
    values: int,
    numerator: Decimal,
    denominator: Decimal,
    reports: int,
    fraction_reports: int,
    scale: Decimal | None = None,
) -> Figure:
    """The figure from summed values: ``values`` rows had a value, ``fraction_reports`` of the ``reports`` rows
    had both numerator and denominator (summed in ``numerator`` and ``denominator``)."""
    fig = Figure(reports=reports)
    measure = indicator.measure
    if indicator.is_fraction and fraction_reports and denominator:  # the common case, first
        fig.numerator, fig.denominator = numerator, denominator
        fig.figure = numerator / denominator * (scale or indicator.scale)
        fig.not_rollable = reports - fraction_reports
        if fig.not_rollable:
            fig.problem = f"{fig.not_rollable} báo cáo chỉ ghi tỷ lệ, không có tử số/mẫu số: không tính vào."
        return fig
    if measure == Measure.TEXT:
        fig.problem = "Chỉ tiêu định tính: không cộng dồn số liệu."
        return fig
    if indicator.is_fraction:
        fig.not_rollable = reports - fraction_reports
        if fraction_reports:
            fig.numerator, fig.denominator = numerator, denominator
            if denominator:
                fig.figure = numerator / denominator * indicator.scale
            else:
                fig.problem = "Tổng mẫu số bằng 0: không tính được tỷ lệ."
        elif reports == 1 and values:
            fig.figure = fig.value = value  # one unit's own percentage, nothing to sum
        else:
            fig.problem = "Chỉ có tỷ lệ, thiếu tử số và mẫu số: không cộng dồn được."
        if fig.figure is not None and fig.not_rollable and fraction_reports:
            fig.problem = f"{fig.not_rollable} báo cáo chỉ ghi tỷ lệ, không có tử số/mẫu số: không tính vào."
        return fig
    if values:
        fig.figure = fig.value = value
    else:
        fig.problem = "Có báo cáo nhưng không ghi giá trị."
    return fig


def combine(indicator: Indicator, rows: list[Row]) -> Figure:
    """Sum counts; rebuild rates from summed numerators and denominators (rows as summed by the caller)."""
    fractions = [r for r in rows if r.fraction_reports]
    return figure_of(
        indicator,
        sum((r.value for r in rows if r.value is not None), Decimal(0)),
        sum(1 for r in rows if r.value is not None),
        sum((r.numerator or Decimal(0) for r in fractions), Decimal(0)),
        sum((r.denominator or Decimal(0) for r in fractions), Decimal(0)),
        sum(r.reports for r in rows),
        sum(r.fraction_reports for r in rows),
    )
