"""The fast write path of the LABELLED national synthetic dataset (binhdang/demo/national.py): figures drawn per
report, Value rows and their AcceptedSum rows written in bulk.

Why a path of its own: with the issue-16 disaggregations (five age groups × kinh/dtts) the national dataset has
about 10 million Value rows; through ``bulk_create`` and ``summary_rebuild`` that took hours. Here:

- numbers are integers while drawn (numerator, denominator, and the rate in ten-thousandths, rounded half up
  exactly as ``Decimal.quantize(ROUND_HALF_UP)`` would), formatted once as the decimal text the column holds;
- PostgreSQL gets ``COPY … FROM STDIN`` (psycopg); SQLite ``executemany`` in large batches;
- the summary of accepted values is computed while drawing, by the rules of ``reporting.summary`` (the same
  ``_targets``: a report's values count toward its unit's home, own, and every ancestor of it, at the rank of the
  unit that reported). tests/analytics/test_synthetic_national.py checks it equals ``summary_rebuild``.

Each report's parts are drawn first (female and male, per combination); the combination "" (the total over age
and ethnicity) sums the parts, and the sex "total" sums female and male, so parts always add up to totals.

On PostgreSQL the foreign keys of the two tables are deferred checks, one per row at commit (tens of millions
here, minutes of work); when the connection may, the load runs with ``session_replication_role = replica`` for
its transaction, which skips them. Every id written was just read from the database in the same transaction.
Never use this path for real reports (no audit trail, no checks): it exists for labelled synthetic data only.
"""

from __future__ import annotations

import io
import random
from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from typing import Any

from django.db import connection

from binhdang.places.attribution import attribute
from binhdang.plans.categories import combos_for, combos_tile
from binhdang.plans.models import Indicator, Measure
from binhdang.reporting.models import AcceptedSum, Value
from binhdang.reporting.summary import _targets

SEXES = ("female", "male", "total")
FLUSH = 100_000  # rows per write


@dataclass(frozen=True)
class Spec:
    """What a report's figures for one indicator are drawn from."""

    indicator_id: int
    level: float  # share (numerator per denominator) the figures move around
    scale: int  # 100 for a percentage, N for a rate per N
    capped: bool  # a percentage: numerator ≤ denominator
    low: int  # smallest denominator
    parts: tuple[str, ...]  # the combinations drawn (empty: only the total, "")


def spec_of(indicator: Indicator, level: float, scale: int) -> Spec:
    combos = combos_for(indicator)
    parts = tuple(combos[1:])
    if parts and not combos_tile(indicator):
        raise ValueError(f"synthetic indicator {indicator.key}: its combinations do not tile the total")
    return Spec(
        indicator_id=indicator.pk,
        level=level,
        scale=scale,
        capped=scale == 100 and indicator.measure == Measure.PERCENTAGE,
        low=200 if scale > 100 else 20,  # rare events (per 1,000 or 100,000) need larger denominators
        parts=parts,
    )


def draw(specs: Sequence[Spec], rng: random.Random, progress: float) -> list[tuple[int, str, str, int, int, int]]:
    """One report's figures: (indicator, sex, combo, value in ten-thousandths, numerator, denominator) rows."""
    rows = []
    randint, uniform = rng.randint, rng.uniform
    for spec in specs:
        share_base = spec.level * (0.75 + 0.35 * progress)
        low, high, capped, scale = spec.low, spec.low * 20, spec.capped, spec.scale * 10000
        drawn = []
        for combo in spec.parts or ("",):
            pair = []
            for _sex in (0, 1):
                den = randint(low, high)
                num = max(0, round(den * share_base * uniform(0.8, 1.2)))
                if capped and num > den:
                    num = den
                pair.append((num, den))
            drawn.append((combo, pair[0], pair[1]))
        if spec.parts:
            fn = sum(d[1][0] for d in drawn)
            fd = sum(d[1][1] for d in drawn)
            mn = sum(d[2][0] for d in drawn)
            md = sum(d[2][1] for d in drawn)
            drawn.insert(0, ("", (fn, fd), (mn, md)))
        iid = spec.indicator_id
        for combo, (fn, fd), (mn, md) in drawn:
            for sex, num, den in (("female", fn, fd), ("male", mn, md), ("total", fn + mn, fd + md)):
                # round half up of num / den × scale to four decimals, in integers (den > 0)
                rows.append((iid, sex, combo, (2 * num * scale + den) // (2 * den), num, den))
    return rows


def decimal_text(e4: int) -> str:
    """Ten-thousandths → the decimal's text with four places, as ``str(Decimal(...).quantize(FOUR))``."""
    return f"{e4 // 10000}.{e4 % 10000:04d}"


class Writer:
    """Buffers rows of Value and AcceptedSum and writes them in bulk on the default connection."""

    def __init__(self, plan_id: int, source: str) -> None:
        self.plan_id = plan_id
        self.source = source
        self.vendor = connection.vendor
        self.values: list[tuple[Any, ...]] = []
        self.sums: list[tuple[Any, ...]] = []
        # ancestor rows: (unit, indicator, sex, combo, period, rank) → [value e4, numerator, denominator, rows]
        self.above: dict[tuple[int, int, str, str, int, int], list[int]] = defaultdict(lambda: [0, 0, 0, 0])
        self.written = 0
        self.summary_rows = 0
        self._guard = False

    def __enter__(self) -> Writer:
        connection.ensure_connection()
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:  # 1 GB of page cache while the indexes grow (the default is 2 MB)
                cursor.execute("PRAGMA cache_size = -1000000")
        if self.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("SELECT current_setting('is_superuser')")
                if cursor.fetchone()[0] == "on":
                    cursor.execute("SET LOCAL session_replication_role = replica")
                    self._guard = True
        return self

    def __exit__(self, *exc: object) -> None:
        if exc[0] is None:
            self.flush(final=True)
        if self._guard:
            with connection.cursor() as cursor:
                cursor.execute("SET LOCAL session_replication_role = origin")
        if self.vendor == "sqlite":
            with connection.cursor() as cursor:
                cursor.execute("PRAGMA cache_size = -2000")

    def add_report(
        self,
        report_id: int,
        period_id: int,
        targets: Iterable[tuple[int, int, bool]],
        rows: list[tuple[int, str, str, int, int, int]],
    ) -> None:
        targets = list(targets)
        own = [t for t in targets if t[2]]
        above = [t for t in targets if not t[2]]
        source, plan_id = self.source, self.plan_id
        self.values.extend((report_id, iid, sex, combo, e4, num, den, source) for iid, sex, combo, e4, num, den in rows)
        for unit_id, rank, _own in own:
            self.sums.extend(
                (plan_id, unit_id, iid, sex, combo, period_id, rank, True, e4, num, den)
                for iid, sex, combo, e4, num, den in rows
            )
        acc = self.above
        for unit_id, rank, _own in above:
            for iid, sex, combo, e4, num, den in rows:
                s = acc[(unit_id, iid, sex, combo, period_id, rank)]
                s[0] += e4
                s[1] += num
                s[2] += den
                s[3] += 1
        self.written += len(rows)
        if len(self.values) >= FLUSH:
            self.flush()

    def flush(self, final: bool = False) -> None:
        if final:
            plan_id = self.plan_id
            self.sums.extend(
                (plan_id, u, i, s, c, p, r, False, v[0], v[1], v[2], v[3])
                for (u, i, s, c, p, r), v in sorted(self.above.items())
            )
            self.above.clear()
        if self.values:
            self._write_values(self.values)
            self.values = []
        if self.sums:
            self._write_sums(self.sums)
            self.summary_rows += len(self.sums)
            self.sums = []
        if final and self.vendor == "postgresql":
            with connection.cursor() as cursor:  # fresh statistics for the next page load, as summary_rebuild
                cursor.execute(f"ANALYZE {connection.ops.quote_name(Value._meta.db_table)}")
                cursor.execute(f"ANALYZE {connection.ops.quote_name(AcceptedSum._meta.db_table)}")

    # Values: report, indicator, sex, combo, value, numerator, denominator, source, note.
    _VALUE_COLUMNS = (
        "report_id",
        "indicator_id",
        "sex",
        "combo",
        "value",
        "numerator",
        "denominator",
        "source",
        "note",
    )
    _SUM_COLUMNS = (
        "plan_id",
        "unit_id",
        "indicator_id",
        "sex",
        "combo",
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

    def _write_values(self, rows: list[tuple[Any, ...]]) -> None:
        table = Value._meta.db_table
        if self.vendor == "postgresql":
            text = "".join(
                f"{r}\t{i}\t{s}\t{c}\t{decimal_text(e4)}\t{n}\t{d}\t{src}\t\n" for r, i, s, c, e4, n, d, src in rows
            )
            self._copy(table, self._VALUE_COLUMNS, text)
        else:
            self._insert(
                table,
                self._VALUE_COLUMNS,
                [(r, i, s, c, decimal_text(e4), n, d, src, "") for r, i, s, c, e4, n, d, src in rows],
            )

    def _write_sums(self, rows: list[tuple[Any, ...]]) -> None:
        table = AcceptedSum._meta.db_table

        def full(row: tuple[Any, ...]) -> tuple[Any, ...]:
            # own rows (one value each) carry 11 fields, ancestor rows 12 (with their count of rows)
            plan, unit, iid, sex, combo, period, rank, own, e4, num, den, *count = row
            n = count[0] if count else 1
            return (plan, unit, iid, sex, combo, period, rank, own, decimal_text(e4), n, num, den, n, n)

        if self.vendor == "postgresql":
            text = "".join(
                "\t".join(str(x) if not isinstance(x, bool) else ("t" if x else "f") for x in full(r)) + "\n"
                for r in rows
            )
            self._copy(table, self._SUM_COLUMNS, text)
        else:
            self._insert(table, self._SUM_COLUMNS, [full(r) for r in rows])

    def _copy(self, table: str, columns: Sequence[str], text: str) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        sql = f"COPY {connection.ops.quote_name(table)} ({names}) FROM STDIN"
        with connection.connection.cursor() as cursor, cursor.copy(sql) as copy:
            buffer = io.StringIO(text)
            while chunk := buffer.read(1 << 20):
                copy.write(chunk)

    def _insert(self, table: str, columns: Sequence[str], rows: list[tuple[Any, ...]]) -> None:
        names = ", ".join(connection.ops.quote_name(c) for c in columns)
        marks = ", ".join("?" for _ in columns)
        raw = connection.connection
        # Table and column names come from the models, never from input.
        sql = f"INSERT INTO {connection.ops.quote_name(table)} ({names}) VALUES ({marks})"  # noqa: S608
        raw.executemany(sql, rows)


def report_targets(unit_ids: set[int]) -> dict[int, list[tuple[int, int, bool]]]:
    """Each reporting unit's summary targets (home own, its ancestors not), by reporting.summary's rule. Two units
    with one home would need their own rows summed, which this path does not do: refused."""
    attribution = attribute(unit_ids)
    result = {uid: _targets(attribution, uid) for uid in unit_ids}
    homes = [t[0] for targets in result.values() for t in targets if t[2]]
    if len(homes) != len(set(homes)):
        raise ValueError("synthetic units share a home: the bulk summary cannot write their own rows")
    return result
