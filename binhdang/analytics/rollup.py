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

import gc
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import connections

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


@dataclass(slots=True)
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
# A unit's summary rows by (indicator, sex, period), and the highest rank that reported each indicator. In the
# common case a key has one row; the value is then the row as read (``_SQL_COLUMNS``), else a list of them.
_UnitRows = tuple[dict[tuple[int, str, int], Any], dict[int, int]]

_SQL_COLUMNS = (
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


def _select(connection: Any, by_parent: bool, one_indicator: bool, fractions: set[int]) -> str:
    """The summary rows of one plan and combination for a set of units: by their parent on PostgreSQL, by an IN
    list on SQLite (the caller appends the condition on the units). Written as SQL rather than through the ORM,
    whose query compilation cost more than the query itself on small reads."""
    quote = connection.ops.quote_name
    table = quote(AcceptedSum._meta.db_table)
    units = quote(AdministrativeUnit._meta.db_table)
    columns = ", ".join(f"s.{quote(c)}" for c in _SQL_COLUMNS)
    if fractions:
        # A rate's summed value is never used once a report gave numerator and denominator (``figure_of``): not
        # read then, which spares converting a number per row.
        ids = ", ".join(str(int(pk)) for pk in sorted(fractions))
        columns = columns.replace(
            f"s.{quote('value')},",
            f"CASE WHEN s.fraction_reports > 0 AND s.indicator_id IN ({ids}) THEN NULL ELSE s.{quote('value')} END,",
            1,
        )
    sql = f"SELECT {columns} FROM {table} s "  # noqa: S608 - names from the models, values as parameters
    if by_parent:
        # Through the parent: an IN list of every sibling, most without data, makes PostgreSQL's planner expect
        # most of the table and scan it all (35 ms instead of 2 for one province).
        sql += f"JOIN {units} u ON u.id = s.unit_id "
    sql += "WHERE s.plan_id = %s AND s.combo = %s AND s.reports > 0 "
    if one_indicator:
        sql += "AND s.indicator_id = %s "
    if by_parent:
        sql += "AND u.valid_to IS NULL AND "
    else:
        sql += "AND "
    return sql


@contextmanager
def _no_gc() -> Iterator[None]:
    """The cyclic garbage collector paused while tens of thousands of rows and figures are built.

    Why: each figure allocates a few tracked objects (row tuple, key, Figure), so a drill-down of 80,000 figures
    triggers the collector again and again, and its older generations walk every object of the process (the
    whole of Django): measured at national scale, 110 of the 155 ms of building a province's communes' figures.
    None of these objects forms a cycle, so nothing is left for the collector to find; it resumes (if it was
    running) as soon as the block ends, whatever happens in it.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


class _Converter:
    """SQLite returns decimal(30,4) columns as REAL (or INTEGER); formatting to four decimals gives back the exact
    decimal stored (up to 15 significant digits, the same bound as Django's own converter). The same numbers
    recur (denominators, counts), so each distinct one is converted once per read."""

    __slots__ = ("memo",)

    def __init__(self) -> None:
        self.memo: dict[float | int, Decimal] = {}

    def __call__(self, number: float | int) -> Decimal:
        found = self.memo.get(number)
        if found is None:
            found = self.memo[number] = Decimal(f"{number:.4f}")
        return found


class Rollup:
    """Accepted values of a plan, attributed to units in force; figures for any unit, read from the summary.

    ``combo`` chooses the combination of categories (default "", the totals every page shows);
    ``for_combo(other)`` gives the same plan's roll-up for another combination without reading the plan again.

    The constructor reads the plan's indicators and periods. Summary rows are read on the first ``figures()``
    call that needs them and kept, one query for all the units under the same parent (a drill-down or a
    ranking asks them all); at the top level (provinces) the unit's own rows the first time, all the others
    the second time (a province's page needs no other province, the national roll-up needs them all). Asked
    for one indicator (``figures(..., indicator_id=)``, a ranking), only that indicator's rows are read.
    """

    indicators: dict[int, Indicator]
    periods: list[Period]
    _scales: dict[int, Decimal]
    _kinds: dict[int, tuple[bool, Decimal]]
    _fractions: set[int]
    _parents: dict[int, int | None] | None  # units in force -> parent, once read

    def __init__(self, plan: Plan, combo: str = "", *, _from: Rollup | None = None) -> None:
        self.plan = plan
        # The combination of age group, ethnicity and area the figures are for (plans/categories.py); "" the
        # figures over all of them, as before issue 16. A province's figure for "ethnicity=dtts" is built from
        # its units' accepted values for that same combination, by the same rules.
        self.combo = combo
        if _from is not None:
            self.indicators, self.periods, self._scales = _from.indicators, _from.periods, _from._scales
            self._kinds, self._fractions, self._parents = _from._kinds, _from._fractions, _from._parents
        else:
            self.indicators = {i.pk: i for i in Indicator.objects.filter(plan=plan).prefetch_related("targets")}
            self.periods = list(Period.objects.filter(plan=plan).order_by("data_to", "due", "kind"))
            self._scales = {pk: i.scale for pk, i in self.indicators.items()}
            # per indicator: a fraction (rate), its scale; read once, not per figure
            self._kinds = {pk: (i.is_fraction, self._scales[pk]) for pk, i in self.indicators.items()}
            self._fractions = {pk for pk, (fraction, _) in self._kinds.items() if fraction}
            self._parents = None
        # (unit, None) -> the unit's summary rows, once read; (unit, indicator) -> only that indicator's
        self._rows: dict[tuple[int, int | None], _UnitRows] = {}
        self._asked: set[tuple[int | None, int | None]] = set()  # top level, once a unit of it was read alone
        self._number: _Converter | None = None  # SQLite: its REAL sums to Decimal

    def for_combo(self, combo: str) -> Rollup:
        """The same plan's roll-up for another combination, sharing what the constructor and units read."""
        self._units()
        return Rollup(self.plan, combo, _from=self)

    def _units(self) -> dict[int, int | None]:
        if self._parents is None:
            units = AdministrativeUnit.objects.filter(valid_to__isnull=True).order_by()
            self._parents = dict(units.values_list("pk", "parent_id"))
        return self._parents

    def _read(self, unit_id: int, indicator_id: int | None = None) -> _UnitRows:
        """The unit's summary rows (only ``indicator_id``'s if given and not all are read yet)."""
        found = self._rows.get((unit_id, None))
        if found is None and indicator_id is not None:
            found = self._rows.get((unit_id, indicator_id))
        if found is not None:
            return found
        parents = self._units()
        if unit_id not in parents:  # a historic unit: its values count toward its home, not itself
            self._rows[(unit_id, None)] = ({}, {})
            return self._rows[(unit_id, None)]
        parent = parents[unit_id]
        connection = connections[AcceptedSum.objects.db]
        params: list[Any] = [self.plan.pk, self.combo]
        if indicator_id is not None:  # a ranking of the units under one parent by one indicator
            params.append(indicator_id)
        if parent is None and (parent, indicator_id) not in self._asked:  # a province's page needs no other
            self._asked.add((parent, indicator_id))
            units_read = {unit_id}
            sql = _select(connection, False, indicator_id is not None, self._fractions) + "s.unit_id = %s"
            params.append(unit_id)
        else:
            units_read = {
                u
                for u, p in parents.items()
                if p == parent and (u, None) not in self._rows and (u, indicator_id) not in self._rows
            }
            if connection.vendor == "postgresql":
                sql = _select(connection, True, indicator_id is not None, self._fractions)
                sql += "u.parent_id = %s" if parent is not None else "u.parent_id IS NULL"
                params += [parent] if parent is not None else []
            else:  # SQLite keeps no statistics unless asked, and probes the (plan, unit) index per id
                ids = sorted(units_read)
                sql = _select(connection, False, indicator_id is not None, self._fractions)
                sql += f"s.unit_id IN ({', '.join('%s' for _ in ids)})"
                params += ids
        with _no_gc():
            return self._read_rows(connection, sql, params, units_read, unit_id, indicator_id)

    def _read_rows(
        self, connection: Any, sql: str, params: list[Any], units_read: set[int], unit_id: int, indicator_id: int | None
    ) -> _UnitRows:
        with connection.cursor() as cursor:
            cursor.execute(sql, params)
            fetched = cursor.fetchall()
        read: dict[int, _UnitRows] = {uid: ({}, {}) for uid in units_read}
        if connection.vendor == "sqlite" and self._number is None:
            self._number = _Converter()
        for row in fetched:  # kept as read; numbers are converted when a figure is built (``_convert``)
            target = read.get(row[0])
            if target is None:
                continue  # already read alone
            by_key, top = target
            ind, rank = row[1], row[4]
            key = (ind, row[2], row[3])
            slot = by_key.get(key)  # the row itself (rank at 4, own at 5, sums from 6), or a list of rows
            if slot is None:
                by_key[key] = row
            elif type(slot) is list:
                slot.append(row)
            else:
                by_key[key] = [slot, row]
            if rank > top.get(ind, -1):
                top[ind] = rank
        self._rows.update({(uid, indicator_id): unit_rows for uid, unit_rows in read.items()})
        return self._rows[(unit_id, indicator_id)]

    def _convert(self, row: tuple[Any, ...], fraction: bool) -> _Entry:
        """A summary row as an entry (rank, own, sums) with Decimal sums. On SQLite, only the sums a figure can use
        are converted (``figure_of``): numerator and denominator of a rate, and its value only when no report gave
        both; the value of anything else. The others are left at zero."""
        _u, _i, _s, _p, rank, own, value, values, num, den, reports, fraction_reports = row
        number = self._number
        if number is None:  # PostgreSQL's driver returns Decimal and bool; a value not read (None) is unused
            return (rank, own, ZERO if value is None else value, values, num, den, reports, fraction_reports)
        if fraction:
            value = number(value) if values and not fraction_reports else ZERO
            num, den = number(num), number(den)
        else:
            value = number(value) if values else ZERO
            num = den = ZERO
        return (rank, bool(own), value, values, num, den, reports, fraction_reports)

    def figures(self, unit_id: int, rank: int, indicator_id: int | None = None) -> dict[tuple[int, str, int], Figure]:
        """The unit's figure per (indicator, sex, period); ``rank`` is the unit's level rank. With
        ``indicator_id``, only that indicator's (a ranking of units needs no other)."""
        by_key, top = self._read(unit_id, indicator_id)
        with _no_gc():
            return self._figures(by_key, top, rank, indicator_id)

    def _figures(
        self, by_key: dict[tuple[int, str, int], Any], top: dict[int, int], rank: int, indicator_id: int | None
    ) -> dict[tuple[int, str, int], Figure]:
        kinds, indicators, number = self._kinds, self.indicators, self._number
        result = {}
        for key, slot in by_key.items():
            ind = key[0]
            if indicator_id is not None and ind != indicator_id:
                continue
            kind = kinds.get(ind)
            if kind is None:
                continue
            if type(slot) is tuple:  # the common case: one level reported
                if not ((slot[4] > rank) if top[ind] > rank else slot[5]):
                    continue
                den, fraction_reports = slot[9], slot[11]
                if kind[0] and fraction_reports and den:  # a rate from numerators and denominators: the fast path
                    num, reports = slot[8], slot[10]
                    if number is not None:
                        num, den = number(num), number(den)
                    not_rollable = reports - fraction_reports
                    result[key] = Figure(
                        num / den * kind[1],
                        None,
                        num,
                        den,
                        reports,
                        not_rollable,
                        _not_rollable_problem(not_rollable) if not_rollable else "",
                    )
                else:
                    result[key] = figure_of(indicators[ind], *self._convert(slot, kind[0])[2:], kind[1])
                continue
            entries = [self._convert(r, kind[0]) for r in slot]
            figure = _figure_of_entries(indicators[ind], entries, top[ind] > rank, rank, kind[1])
            if figure is not None:
                result[key] = figure
        return result


def _not_rollable_problem(count: int) -> str:
    return f"{count} báo cáo chỉ ghi tỷ lệ, không có tử số/mẫu số: không tính vào."


def _figure_of_entries(
    indicator: Indicator, entries: list[_Entry], below: bool, rank: int, scale: Decimal
) -> Figure | None:
    """The figure from a key's entries: those from the nearest level below the unit when ``below`` (values from
    below it for this indicator), else its own; None when no entry qualifies."""
    chosen = [e for e in entries if e[0] > rank] if below else [e for e in entries if e[1]]
    if not chosen:
        return None
    nearest = min(e[0] for e in chosen)
    chosen = [e for e in chosen if e[0] == nearest]
    if len(chosen) == 1:
        return figure_of(indicator, *chosen[0][2:], scale)
    value, values, numerator, denominator = Decimal(0), 0, Decimal(0), Decimal(0)
    reports = fraction_reports = 0
    for e in chosen:
        value += e[2]
        values += e[3]
        numerator += e[4]
        denominator += e[5]
        reports += e[6]
        fraction_reports += e[7]
    return figure_of(indicator, value, values, numerator, denominator, reports, fraction_reports, scale)


def figures_from(
    by_key: dict[tuple[int, str, int], list[_Entry]],
    top: dict[int, int],
    rank: int,
    indicators: dict[int, Indicator],
    scales: dict[int, Decimal],
    indicator_id: int | None = None,
) -> dict[tuple[int, str, int], Figure]:
    """A unit's figures from its rows (``_UnitRows``): the nearest level below that reported, else its own.

    Used for a historic unit's figures (analytics/drilldown.py), summed from its reports' values rather than
    read from the summary; ``Rollup.figures`` follows the same rule (``_figure_of_entries``) with a fast path
    for a key with one entry.
    """
    result = {}
    for key, entries in by_key.items():
        if indicator_id is not None and key[0] != indicator_id:
            continue
        indicator = indicators.get(key[0])
        if indicator is None:
            continue
        # Values from below the unit for this indicator: only those count; otherwise only its own.
        figure = _figure_of_entries(indicator, entries, top[key[0]] > rank, rank, scales[key[0]])
        if figure is not None:
            result[key] = figure
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
            fig.problem = _not_rollable_problem(fig.not_rollable)
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
            fig.problem = _not_rollable_problem(fig.not_rollable)
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
