"""A LABELLED national synthetic dataset, for load and speed tests and the demo's national view only.

Nothing here is real data. The plan's title, every period label and every report summary start with
``[Dữ liệu mô phỏng]`` ("simulated data"), so the dataset says what it is wherever it shows.

What it builds (``synth_build(scale="national")``):

- one plan, "[Dữ liệu mô phỏng] Kế hoạch quốc gia mô phỏng", 2021–2030, marked national (``Plan.is_national``,
  what the national dashboard shows) unless another plan, a real one, already is; with the national strategy's
  catalogue indicators adopted (16: every measurable one; the yes/no indicator 5.1 has nothing to sum);
- ten 6-month periods: the two halves of each year 2021–2025;
- for every current commune (3,321 at national scale) and every period, one report of the commune's People's
  Committee (is_committee), with, for each indicator, female and male numerator/denominator and their total,
  each Value row carrying value (the rate), numerator and denominator;
- issue 16's categories on 13 of the indicators (national_plan.DISAGGREGATED): 8 by five age groups that cover
  every age × kinh/dtts (10 combinations), 5 by kinh/dtts (2); each combination's female and male figures are
  drawn, the total over the combinations (combo "") is their sum, and the sex "total" is female + male, so
  parts always add up to totals;
- about 3% of reports missing (left a draft with no values, past its deadline) and 10% sent late (accepted,
  ``late`` set).

Size. National: 3,321 × 10 = 33,210 reports; per report 3 sexes × (3 + 8 × 11 + 5 × 3) = 318 Value rows, so
≈ 10.2 million Value rows after the missing reports, each holding three numbers (value, numerator,
denominator), and as many summary rows (one per commune and Value row, plus the provinces' sums) —
``synth_build`` returns the counts (``values`` rows, ``numbers``, ``summary_rows``).

The bulk path (national_bulk.py): rows are written with COPY (PostgreSQL) or executemany (SQLite), NOT through
``report_save``; so the per-value audit trail (AuditEvent), the optimistic-lock version bump, the entry checks
and the notices are skipped, and the summary of accepted values is computed alongside by the same rules as
``summary_rebuild`` (a test compares the two). That is by design — ten million audited saves would take days
and audit nothing real — and it is why every synthetic row is labelled. Never use this path for real reports.

Deterministic: each report's figures come from a random generator seeded with ``(seed, commune code,
period)``, so the same seed gives the same numbers at any scale and in any order.

Scale: "national" (or 1.0) takes every commune; a fraction takes that share of each province's communes
(at least one each, first by code), so a small run still covers every province; ``provinces`` limits the
run to the first N provinces by code (for tests).
"""

from __future__ import annotations

import datetime as dt
import math
import random
import time
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.utils import timezone

from binhdang.lib.agency_names import agency_key
from binhdang.places.models import AdministrativeUnit, Agency, AgencyKind, Generation, Level
from binhdang.plans.models import (
    CatalogueIndicator,
    Indicator,
    Measure,
    Plan,
    Target,
)
from binhdang.plans.national import national_plan, national_plan_mark
from binhdang.reporting.models import Report, ReportStatus, Value

from .national_bulk import Writer, draw, report_targets, spec_of
from .national_plan import LABEL, PLAN_CODE, PLAN_TITLE, YEARS, national_plan_create

MISSING_SHARE = 0.03
LATE_SHARE = 0.10
BATCH = 5000
FOUR = Decimal("0.0001")
SOURCE = f"{LABEL} Bình Đẳng synth"


def scale_fraction(scale: str | float) -> float:
    """ "national" → 1.0; a number in (0, 1] → itself."""
    if isinstance(scale, str):
        if scale.strip().lower() == "national":
            return 1.0
        scale = float(scale)
    if not 0 < scale <= 1:
        raise ValueError(f"scale must be 'national' or a number in (0, 1], not {scale!r}")
    return float(scale)


def synthetic_plans() -> Any:
    # The demo knows its own plan by the labelled title it gave it; the national dashboard goes by the flag.
    return Plan.objects.filter(title=PLAN_TITLE)


def synth_clear() -> int:
    """Delete the synthetic national plan(s) and everything under them. Agencies (real committees) stay."""
    count = 0
    for plan in synthetic_plans():
        with transaction.atomic():
            # Value has no dependants: one fast DELETE instead of the collector fetching 1.6 million rows.
            Value.objects.filter(report__period__plan=plan).delete()
            Report.objects.filter(period__plan=plan).delete()
            plan.delete()
        count += 1
    return count


def _ensure_reference_data() -> None:
    if not AdministrativeUnit.objects.filter(generation=Generation.CURRENT).exists():
        from binhdang.places.refdata import units_load

        units_load(include_legacy=False)
    if not CatalogueIndicator.objects.exists():
        from binhdang.plans.catalogue import catalogue_load

        catalogue_load()


def _chosen_communes(
    fraction: float, provinces: int | None
) -> tuple[list[AdministrativeUnit], list[AdministrativeUnit]]:
    current = AdministrativeUnit.objects.filter(generation=Generation.CURRENT, valid_to__isnull=True)
    province_list = list(current.filter(level=Level.PROVINCE).order_by("code"))
    if provinces is not None:
        province_list = province_list[:provinces]
    by_province: dict[int, list[AdministrativeUnit]] = {p.pk: [] for p in province_list}
    for commune in current.filter(level=Level.COMMUNE, parent_id__in=list(by_province)).order_by("code"):
        by_province[commune.parent_id].append(commune)  # type: ignore[index]
    communes: list[AdministrativeUnit] = []
    for province in province_list:
        units = by_province[province.pk]
        take = len(units) if fraction >= 1 else max(1, math.ceil(len(units) * fraction))
        communes.extend(units[:take])
    return province_list, communes


def _committees(communes: list[AdministrativeUnit]) -> dict[int, int]:
    """Each commune's People's Committee (an existing one, else created): unit id → agency id."""
    ids = [c.pk for c in communes]
    found: dict[int, int] = {}
    for unit_id, agency_id in (
        Agency.objects.filter(unit_id__in=ids, kind=AgencyKind.PEOPLES_COMMITTEE)
        .order_by("-pk")
        .values_list("unit_id", "pk")
    ):
        found[unit_id] = agency_id
    missing = [c for c in communes if c.pk not in found]
    new = []
    for commune in missing:
        name = f"Ủy ban nhân dân {commune.name}"
        new.append(Agency(name=name, kind=AgencyKind.PEOPLES_COMMITTEE, unit=commune, name_key=agency_key(name)))
    Agency.objects.bulk_create(new, batch_size=BATCH, ignore_conflicts=True)
    if missing:
        for unit_id, agency_id in (
            Agency.objects.filter(unit_id__in=[c.pk for c in missing], kind=AgencyKind.PEOPLES_COMMITTEE)
            .order_by("-pk")
            .values_list("unit_id", "pk")
        ):
            found[unit_id] = agency_id
    return found


def _mark_national(plan: Plan) -> bool:
    """Move the national mark to ``plan`` from an older synthetic plan; leave it on a real plan that holds it."""
    current = national_plan()
    if current is not None and current.pk != plan.pk and not synthetic_plans().filter(pk=current.pk).exists():
        return False
    national_plan_mark(plan)
    return True


def _scale(indicator: Indicator) -> Decimal:
    if indicator.measure == Measure.PERCENTAGE:
        return Decimal(100)
    return Decimal(indicator.rate_per or 1)


def _level(indicator: Indicator, targets: dict[int, list[Target]]) -> float:
    """The share (numerator per denominator) around which the synthetic figures move: the first target."""
    for target in targets.get(indicator.pk, []):
        if target.value is not None:
            return float(target.value / _scale(indicator))
    return 0.5


def synth_build(
    *,
    scale: str | float,
    seed: int = 0,
    provinces: int | None = None,
    clear: bool = True,
    verbose: bool = False,
    mark_national: bool = True,
) -> dict[str, Any]:
    """Build the labelled national synthetic dataset (see the module docstring). Returns what it built.

    ``mark_national``: mark the new plan as the one the national dashboard shows, unless another plan that is
    not synthetic already is (the mark is never taken from a real plan); ``result["national"]`` says which.
    """
    started = time.perf_counter()
    fraction = scale_fraction(scale)
    _ensure_reference_data()
    if clear:
        synth_clear()
    province_list, communes = _chosen_communes(fraction, provinces)
    if not province_list:
        raise ValueError("no current provinces: load the administrative units first (binhdang units load)")
    committees = _committees(communes)
    now = timezone.now()
    result: dict[str, Any] = {
        "label": LABEL,
        "scale": "national" if fraction >= 1 else fraction,
        "seed": seed,
        "provinces": len(province_list),
        "communes": len(communes),
        "reports": 0,
        "reports_late": 0,
        "reports_missing": 0,
        "values": 0,
    }
    with transaction.atomic():
        plan, indicators, periods = national_plan_create(province_list[0])
        result["national"] = mark_national and _mark_national(plan)
        targets: dict[int, list[Target]] = {}
        for target in Target.objects.filter(indicator__plan=plan).order_by("indicator", "order"):
            targets.setdefault(target.indicator_id, []).append(target)
        specs = [spec_of(i, _level(i, targets), int(_scale(i))) for i in indicators]
        result.update(plan_id=plan.pk, indicators=len(indicators), periods=len(periods))
        homes = report_targets({c.pk for c in communes})
        # Reports first, period by period; then the values commune by commune (every period of one commune in
        # turn), so the summary rows, keyed by unit first, go into their index in order rather than at random.
        draws: dict[tuple[int, int], tuple[random.Random, bool]] = {}  # (commune, period) -> generator, missing
        report_ids: dict[tuple[int, int], int] = {}
        for period in periods:
            reports: list[Report] = []
            for commune in communes:
                rng = random.Random(f"{seed}:{commune.code}:{period.year}:{period.number}")  # noqa: S311
                roll = rng.random()
                missing = roll < MISSING_SHARE
                late = not missing and roll < MISSING_SHARE + LATE_SHARE
                due = dt.datetime.combine(period.due, dt.time(9), tzinfo=dt.UTC)
                sent = min(
                    due + dt.timedelta(days=rng.randint(1, 30)) if late else due - dt.timedelta(days=rng.randint(0, 5)),
                    now,  # the synthetic history never holds times in the future
                )
                reports.append(
                    Report(
                        period=period,
                        reporter_id=committees[commune.pk],
                        unit=commune,
                        is_committee=True,
                        status=ReportStatus.DRAFT if missing else ReportStatus.ACCEPTED,
                        summary=f"{LABEL} Báo cáo mô phỏng của {commune.name} – {period.label}",
                        submitted_at=None if missing else sent,
                        late=late,
                        decided_at=None if missing else min(sent + dt.timedelta(days=3), now),
                    )
                )
                draws[(commune.pk, period.pk)] = (rng, missing)
                result["reports_missing"] += missing
                result["reports_late"] += late
            Report.objects.bulk_create(reports, batch_size=BATCH)
            for unit_id, report_id in Report.objects.filter(period=period).values_list("unit_id", "pk"):
                report_ids[(unit_id, period.pk)] = report_id
            result["reports"] += len(reports)
        progress = {p.pk: index / max(1, len(periods) - 1) for index, p in enumerate(periods)}
        with Writer(plan.pk, SOURCE) as writer:
            for number, commune in enumerate(communes, start=1):
                for period in periods:
                    rng, missing = draws.pop((commune.pk, period.pk))
                    if not missing:
                        rows = draw(specs, rng, progress[period.pk])
                        writer.add_report(report_ids[(commune.pk, period.pk)], period.pk, homes[commune.pk], rows)
                if verbose and number % 500 == 0:
                    print(f"  {number:,} communes: {writer.written:,} values so far", flush=True)
        result["values"] = writer.written
        # Written past the services that keep the summary of accepted values: computed alongside (national_bulk).
        result["summary_rows"] = writer.summary_rows
    result["numbers"] = result["values"] * 3  # value, numerator, denominator on every row
    result["seconds"] = round(time.perf_counter() - started, 2)
    return result


__all__ = [
    "LABEL",
    "PLAN_CODE",
    "PLAN_TITLE",
    "YEARS",
    "scale_fraction",
    "synth_build",
    "synth_clear",
    "synthetic_plans",
]
