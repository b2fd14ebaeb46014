"""Export and import of accepted indicator values as DHIS2 dataValueSets JSON and ADX XML.

Export: only values of ACCEPTED reports, summed per unit when several reports of one unit carry the same
indicator (DHIS2 holds one value per data element, period, org unit and combination).
Import: the whole file is parsed and every code checked against the mapping tables first; then the values
are written through `report_save`, one call per report, all inside one transaction: any refusal (an unmapped
code, a closed period, an accepted report) leaves the database as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from binhdang.places.models import AdministrativeUnit
from binhdang.reporting.checks import Entry
from binhdang.reporting.errors import ReportingError
from binhdang.reporting.models import Period, Report, ReportIndicator, ReportStatus, Value
from binhdang.reporting.services import report_save
from binhdang.reporting.spreadsheets import VALUE_DIGITS, CellProblem, limit_digits

from .dhis2 import (
    DataValue,
    Dhis2FormatError,
    PeriodKey,
    adx_dump,
    adx_parse,
    adx_period,
    datavaluesets_dump,
    datavaluesets_parse,
    parse_period_id,
    period_id,
)
from .models import Dhis2Mapping, Dhis2OrgUnit

FIELDS = ("value", "numerator", "denominator")


class Dhis2ImportError(Exception):
    """An import refused as a whole; `problems` lists each (field, message) found."""

    def __init__(self, problems: list[tuple[str, str]]) -> None:
        self.problems = problems
        super().__init__("; ".join(f"{where}: {message}" for where, message in problems[:20]))


class PeriodNotExchangeable(Exception):
    """The period has no DHIS2 period type (9-month, mid-term, final, ad hoc)."""


# --- export --------------------------------------------------------------------------------------------------


def _period_key(period: Period) -> PeriodKey:
    return PeriodKey(period.kind, period.year, period.number)


def export_rows(period: Period, *, adx: bool = False) -> list[DataValue]:
    key = _period_key(period)
    pe = adx_period(key) if adx else period_id(key)
    if pe is None:
        raise PeriodNotExchangeable(period.label)
    mappings = {m.indicator_id: m for m in Dhis2Mapping.objects.filter(indicator__plan=period.plan)}
    org_units = dict(Dhis2OrgUnit.objects.values_list("unit_id", "org_unit"))
    sums = (
        Value.objects.filter(
            report__period=period, report__status=ReportStatus.ACCEPTED, indicator_id__in=list(mappings)
        )
        .values("indicator_id", "sex", "report__unit_id")
        .annotate(value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by("report__unit_id", "indicator_id", "sex")
    )
    rows = []
    for row in sums:
        mapping, ou = mappings[row["indicator_id"]], org_units.get(row["report__unit_id"])
        coc = mapping.combos().get(row["sex"])
        if ou is None or coc is None:
            continue  # an unmapped unit or sex is not exchanged; docs/dhis2.md
        amounts = {"value": row["value"], "numerator": row["numerator"], "denominator": row["denominator"]}
        for field, element in mapping.elements().items():
            amount = amounts[field]
            if amount is not None:
                rows.append(DataValue(element, pe, ou, coc, amount, where="", data_set=mapping.data_set))
    return rows


def export_datavaluesets(period: Period) -> dict[str, Any]:
    rows = export_rows(period)
    data_sets = {r.data_set for r in rows}
    return datavaluesets_dump(rows, data_set=data_sets.pop() if len(data_sets) == 1 else "")


def export_adx(period: Period) -> str:
    return adx_dump(export_rows(period, adx=True), exported=timezone.now().isoformat(timespec="seconds"))


# --- import --------------------------------------------------------------------------------------------------


@dataclass
class ImportResult:
    reports: int
    values: int


def import_datavaluesets(
    data: str | bytes | dict[str, Any], *, user: Any, report_map: Mapping[tuple[int, int], Report] | None = None
) -> ImportResult:
    try:
        rows = datavaluesets_parse(data)
    except Dhis2FormatError as error:
        raise Dhis2ImportError([(error.field, str(error))]) from None
    return import_rows(rows, user=user, report_map=report_map)


def import_adx(
    text: str | bytes, *, user: Any, report_map: Mapping[tuple[int, int], Report] | None = None
) -> ImportResult:
    try:
        rows = adx_parse(text)
    except Dhis2FormatError as error:
        raise Dhis2ImportError([(error.field, str(error))]) from None
    return import_rows(rows, user=user, report_map=report_map)


@transaction.atomic
def import_rows(
    rows: list[DataValue], *, user: Any, report_map: Mapping[tuple[int, int], Report] | None = None
) -> ImportResult:
    """Check every code, then write. `report_map` picks the report for (unit id, indicator id) when a unit
    has several reports carrying the same indicator; otherwise the one report that carries it is used."""
    problems: list[tuple[str, str]] = []
    by_element: dict[str, tuple[Dhis2Mapping, str]] = {}
    for mapping in Dhis2Mapping.objects.select_related("indicator__plan"):
        for field, element in mapping.elements().items():
            by_element[element] = (mapping, field)
    units = {m.org_unit: m.unit for m in Dhis2OrgUnit.objects.select_related("unit")}
    cells: dict[tuple[int, int, str], dict[str, Decimal]] = defaultdict(dict)  # (report, indicator, sex)
    reports: dict[int, Report] = {}
    seen: set[tuple[str, str, str, str]] = set()
    for row in rows:
        found = by_element.get(row.data_element)
        unit = units.get(row.org_unit)
        key = parse_period_id(row.period)
        if found is None:
            problems.append((f"{row.where}.dataElement", f"dataElement chưa được ánh xạ: {row.data_element!r}"))
        if unit is None:
            problems.append((f"{row.where}.orgUnit", f"orgUnit chưa được ánh xạ: {row.org_unit!r}"))
        if key is None:
            problems.append((f"{row.where}.period", f"kỳ DHIS2 không nhận được: {row.period!r}"))
        if found is None or unit is None or key is None:
            continue
        mapping, field = found
        sex = next((s for s, coc in mapping.combos().items() if coc == row.category_option_combo), None)
        if sex is None:
            problems.append(
                (
                    f"{row.where}.categoryOptionCombo",
                    f"categoryOptionCombo chưa được ánh xạ: {row.category_option_combo!r}",
                )
            )
            continue
        identity = (row.data_element, row.period, row.org_unit, row.category_option_combo)
        if identity in seen:
            problems.append((row.where, "giá trị trùng lặp trong tệp"))
            continue
        seen.add(identity)
        report = _report_for(mapping, unit, key, report_map)
        if isinstance(report, str):
            problems.append((row.where, report))
            continue
        try:
            value = limit_digits(row.value, row.value, VALUE_DIGITS)
        except CellProblem as problem:
            problems.append((f"{row.where}.value", str(problem.vi)))
            continue
        reports[report.pk] = report
        cells[(report.pk, mapping.indicator_id, sex)][field] = value
    if problems:
        raise Dhis2ImportError(problems)
    per_report: dict[int, list[Entry]] = defaultdict(list)
    for (report_id, indicator_id, sex), fields in cells.items():
        per_report[report_id].append(
            Entry(
                indicator_id,
                sex,
                value=fields.get("value"),
                numerator=fields.get("numerator"),
                denominator=fields.get("denominator"),
            )
        )
    try:
        for report_id, entries in per_report.items():
            report = reports[report_id]
            # A DHIS2 file has no report versions: the version read in this import's transaction.
            report_save(report=report, user=user, version=report.version, entries=entries)
    except ReportingError as error:
        raise Dhis2ImportError([(f"report:{report_id}", str(error))]) from None
    return ImportResult(reports=len(per_report), values=sum(len(fields) for fields in cells.values()))


def _report_for(
    mapping: Dhis2Mapping,
    unit: AdministrativeUnit,
    key: PeriodKey,
    report_map: Mapping[tuple[int, int], Report] | None,
) -> Report | str:
    if report_map and (unit.pk, mapping.indicator_id) in report_map:
        return report_map[(unit.pk, mapping.indicator_id)]
    period = Period.objects.filter(plan=mapping.indicator.plan, kind=key.kind, year=key.year, number=key.number).first()
    if period is None:
        return f"kế hoạch {mapping.indicator.plan} không có kỳ {key.kind} {key.number}/{key.year}"
    candidates = list(
        Report.objects.filter(
            Q(pk__in=ReportIndicator.objects.filter(indicator=mapping.indicator).values("report_id")),
            period=period,
            unit=unit,
        ).select_related("period")
    )
    if len(candidates) != 1:
        what = "không có báo cáo nào" if not candidates else "có nhiều báo cáo"
        return f"{unit.name}, {period.label}: {what} gồm chỉ tiêu {mapping.indicator.key}"
    return candidates[0]
