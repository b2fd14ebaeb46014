"""The summary of accepted values (AcceptedSum), kept in the same transaction as every change to it.

Why: the roll-up read the Value table at request time (GROUP BY over every accepted value of a plan) and missed
its speed targets by an order of magnitude. The summary holds, per indicator × sex × combination (age group,
ethnicity, area; "" the total) × period × unit in force × level of the reporting unit, the sums the roll-up
combines, so a national roll-up reads a few thousand rows.

How it stays right:
- `report_accept` adds the report's values and `report_reopen` subtracts them, inside their own transaction
  (`summary_apply`), so a report accepted now shows on the next page load, exactly as before.
- The rows a report touches are created first (INSERT … ON CONFLICT DO NOTHING), then locked with
  SELECT … FOR UPDATE in one fixed order (the unique key's), then updated in Python `Decimal`: two
  acceptances in one province never lose an update and never deadlock. Arithmetic is never done in SQL, where
  SQLite would use floating point.
- Writes that bypass the services (bulk loads of synthetic data, imports of older data, a reference-data
  reload that changes successor links) call `summary_rebuild(plan=...)`, or an operator runs
  `binhdang report summary` (all-or-nothing per plan).

A report's values count toward the home of its unit (places.attribution) with ``own`` set, and toward every
ancestor of that home with ``own`` clear, at the rank of the unit that reported. The roll-up's rules (nearest
level below that reported, home attribution) are applied when reading (analytics/rollup.py).
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterator
from dataclasses import dataclass
from decimal import Decimal

from django.db import connection, transaction
from django.db.models import Count, Q, Sum

from binhdang.places.attribution import Attribution, attribute
from binhdang.plans.models import Plan

from .models import AcceptedSum, Report, ReportStatus, Value

logger = logging.getLogger(__name__)

# plan, unit, indicator, sex, combo, period, rank, own: the unique key, in the order rows are locked.
Key = tuple[int, int, int, str, str, int, int, bool]
FIELDS = ("plan_id", "unit_id", "indicator_id", "sex", "combo", "period_id", "rank", "own")
ZERO = Decimal(0)
BATCH = 2000


@dataclass(slots=True)
class Sums:
    value: Decimal = ZERO
    values: int = 0  # rows with a value
    numerator: Decimal = ZERO  # over rows with numerator and denominator
    denominator: Decimal = ZERO
    reports: int = 0  # value rows
    fraction_reports: int = 0  # of them, rows with numerator and denominator

    def add(self, other: Sums, sign: int = 1) -> None:
        self.value += sign * other.value
        self.values += sign * other.values
        self.numerator += sign * other.numerator
        self.denominator += sign * other.denominator
        self.reports += sign * other.reports
        self.fraction_reports += sign * other.fraction_reports


def _targets(attribution: Attribution, unit_id: int) -> list[tuple[int, int, bool]]:
    """(unit, rank, own) rows a reporting unit's values count toward; none when it has no home in force."""
    home = attribution.homes.get(unit_id)
    if home is None:
        return []
    return [(home.unit_id, home.rank, True)] + [(a, home.rank, False) for a in attribution.ancestors(home.unit_id)]


def _value_sums(value: Decimal | None, numerator: Decimal | None, denominator: Decimal | None) -> Sums:
    if numerator is not None and denominator is not None:
        return Sums(value or ZERO, int(value is not None), numerator, denominator, 1, 1)
    return Sums(value or ZERO, int(value is not None), ZERO, ZERO, 1, 0)


def summary_apply(*, report: Report, sign: int) -> None:
    """Add (``sign`` 1) or subtract (-1) one report's values; call inside the transaction changing its status."""
    plan_id = report.period.plan_id
    rows = Value.objects.filter(report=report, indicator__plan_id=plan_id).values_list(
        "indicator_id", "sex", "combo", "value", "numerator", "denominator"
    )
    values = list(rows)
    if not values:
        return
    targets = _targets(attribute({report.unit_id}), report.unit_id)
    deltas: dict[Key, Sums] = defaultdict(Sums)
    for indicator_id, sex, combo, value, numerator, denominator in values:
        sums = _value_sums(value, numerator, denominator)
        for unit_id, rank, own in targets:
            deltas[(plan_id, unit_id, indicator_id, sex, combo, report.period_id, rank, own)].add(sums)
    if not _apply(deltas, sign):
        # The summary was out of step (values accepted or changed past the services, no rebuild since): a
        # subtraction would go below zero. Recompute the plan's summary now, in this transaction, rather than
        # refuse the user's reopening or store a wrong figure.
        logger.warning("accepted-value summary of plan %s out of step; rebuilding it", plan_id)
        summary_rebuild(plan=report.period.plan)


def _apply(deltas: dict[Key, Sums], sign: int) -> bool:
    """Add the deltas to their rows, locked in key order; False (nothing written) if a count would go negative."""
    keys = sorted(deltas)
    if not keys:
        return True
    AcceptedSum.objects.bulk_create(
        [AcceptedSum(**dict(zip(FIELDS, key, strict=True))) for key in keys], ignore_conflicts=True
    )
    plans = {k[0] for k in keys}
    locked = (
        AcceptedSum.objects.select_for_update()
        .filter(
            plan_id__in=plans,
            unit_id__in={k[1] for k in keys},
            indicator_id__in={k[2] for k in keys},
            period_id__in={k[5] for k in keys},
        )
        .order_by(*FIELDS)
    )
    changed = []
    for row in locked:
        key = (row.plan_id, row.unit_id, row.indicator_id, row.sex, row.combo, row.period_id, row.rank, row.own)
        delta = deltas.get(key)
        if delta is None:
            continue
        sums = Sums(row.value, row.values, row.numerator, row.denominator, row.reports, row.fraction_reports)
        sums.add(delta, sign)
        if sums.reports < 0 or sums.values < 0 or sums.fraction_reports < 0:
            return False
        row.value, row.values, row.numerator, row.denominator = (
            sums.value,
            sums.values,
            sums.numerator,
            sums.denominator,
        )
        row.reports, row.fraction_reports = sums.reports, sums.fraction_reports
        changed.append(row)
    if len(changed) != len(keys):
        return False  # a row vanished between creating and locking it (a rebuild deleted it): out of step
    AcceptedSum.objects.bulk_update(
        changed, ["value", "values", "numerator", "denominator", "reports", "fraction_reports"], batch_size=BATCH
    )
    return True


def summary_compute(plan: Plan) -> Iterator[dict[Key, Sums]]:
    """The plan's summary recomputed from the accepted values, one chunk per top-level unit (bounded memory)."""
    accepted = Value.objects.filter(indicator__plan=plan, report__status=ReportStatus.ACCEPTED)
    unit_ids = set(accepted.values_list("report__unit_id", flat=True).distinct().order_by())
    attribution = attribute(unit_ids)
    chunks: dict[int, list[int]] = defaultdict(list)  # top-level unit in force -> reporting units under it
    for uid in unit_ids:
        home = attribution.homes.get(uid)
        if home is not None:
            chunks[([home.unit_id, *attribution.ancestors(home.unit_id)])[-1]].append(uid)
    both = Q(numerator__isnull=False, denominator__isnull=False)
    for top in sorted(chunks):
        sums: dict[Key, Sums] = defaultdict(Sums)
        rows = (
            accepted.filter(report__unit_id__in=chunks[top])
            .values_list("report__unit_id", "indicator_id", "sex", "combo", "report__period_id")
            .annotate(
                sum_value=Sum("value"),
                n_values=Count("value"),
                sum_numerator=Sum("numerator", filter=both),
                sum_denominator=Sum("denominator", filter=both),
                reports=Count("pk"),  # a value is unique per report, indicator, sex and combination
                fraction_reports=Count("pk", filter=both),
            )
            .order_by()
        )
        for unit_id, indicator_id, sex, combo, period_id, value, values, num, den, reports, fractions in rows:
            row = Sums(value or ZERO, values, num or ZERO, den or ZERO, reports, fractions)
            for target, rank, own in _targets(attribution, unit_id):
                sums[(plan.pk, target, indicator_id, sex, combo, period_id, rank, own)].add(row)
        yield sums


@transaction.atomic
def summary_rebuild(*, plan: Plan) -> int:
    """Recompute the plan's summary from its accepted values: all or nothing. Returns the number of rows.

    Every report of the plan is locked first, so an acceptance or reopening running meanwhile (which holds its
    report's lock while it updates the summary) either finishes before the rebuild reads or waits for it.
    """
    reports = Report.objects.select_for_update(of=("self",)).filter(period__plan=plan)
    list(reports.values_list("pk", flat=True).order_by("pk"))
    AcceptedSum.objects.filter(plan=plan).delete()
    count = 0
    for chunk in summary_compute(plan):
        objs = [
            AcceptedSum(
                **dict(zip(FIELDS, key, strict=True)),
                value=s.value,
                values=s.values,
                numerator=s.numerator,
                denominator=s.denominator,
                reports=s.reports,
                fraction_reports=s.fraction_reports,
            )
            for key, s in sorted(chunk.items())
        ]
        AcceptedSum.objects.bulk_create(objs, batch_size=BATCH)
        count += len(objs)
    if connection.vendor == "postgresql":
        # The table's contents were just replaced: fresh statistics now, not when autovacuum comes round, or the
        # next page load may be planned for an empty table.
        with connection.cursor() as cursor:
            cursor.execute(f"ANALYZE {connection.ops.quote_name(AcceptedSum._meta.db_table)}")
    return count
