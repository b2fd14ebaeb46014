"""Export and import of accepted indicator values as DHIS2 dataValueSets JSON and ADX XML.

Export: only values of ACCEPTED reports, summed per unit when several reports of one unit carry the same
indicator (DHIS2 holds one value per data element, period, org unit and combination). Where the female and
male values are exported, the total is not: DHIS2 derives it from the category options, and a consumer summing
over sex would count it twice (docs/dhis2.md, "Export").
Import: the whole file is parsed and every code checked against the mapping tables first; then the values
are written through `report_save`, one call per report, all inside one transaction: any refusal (an unmapped
code, a closed period, an accepted report) leaves the database as it was.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from django.db import transaction
from django.db.models import Q, Sum
from django.utils import timezone

from binhdang.places.models import AdministrativeUnit
from binhdang.plans.models import Measure
from binhdang.reporting.checks import Entry
from binhdang.reporting.entries import sexes_for
from binhdang.reporting.errors import ReportingError
from binhdang.reporting.models import Period, Report, ReportIndicator, ReportStatus, Value
from binhdang.reporting.services import report_save
from binhdang.reporting.spreadsheets import VALUE_DIGITS, CellProblem, limit_digits

from .dhis2 import (
    DataValue,
    Dhis2FormatError,
    Dhis2Refused,
    Parsed,
    PeriodKey,
    adx_dump,
    adx_parse,
    adx_period,
    datavaluesets_dump,
    datavaluesets_parse,
    format_value,
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


class Dhis2ExportError(Exception):
    """An export refused as a whole: nothing to export, or a total that cannot travel beside its split."""

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
    mappings = {
        m.indicator_id: m for m in Dhis2Mapping.objects.filter(indicator__plan=period.plan).select_related("indicator")
    }
    org_units = dict(Dhis2OrgUnit.objects.values_list("unit_id", "org_unit"))
    sums = (
        Value.objects.filter(
            report__period=period,
            report__status=ReportStatus.ACCEPTED,
            indicator_id__in=list(mappings),
            combo="",  # the totals: a part summed in would double-count (issue 16)
        )
        .values("indicator_id", "sex", "report__unit_id")
        .annotate(value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by("report__unit_id", "indicator_id", "sex")
    )
    cells: dict[tuple[int, int], dict[str, dict[str, Decimal | None]]] = defaultdict(dict)
    for row in sums:
        if row["report__unit_id"] in org_units:  # an unmapped unit is not exchanged; docs/dhis2.md
            amounts = {"value": row["value"], "numerator": row["numerator"], "denominator": row["denominator"]}
            cells[(row["report__unit_id"], row["indicator_id"])][row["sex"]] = amounts
    rows: list[DataValue] = []
    problems: list[tuple[int, Dhis2Mapping, str, str]] = []
    for (unit_id, indicator_id), by_sex in cells.items():
        mapping = mappings[indicator_id]
        combos = mapping.combos()
        # DHIS2's way: an element either has the default combination (one total) or is split by a category
        # (female, male) and DHIS2 derives the total. So a split, when mapped and present, replaces the total.
        split: list[str] = [sex for sex in ("female", "male") if sex in combos and sex in by_sex]
        sexes = split or [sex for sex in ("total",) if sex in combos and sex in by_sex]
        if split and "total" in by_sex:
            problems += [(unit_id, mapping, f, m) for f, m in _total_problems(mapping, by_sex, split)]
        for sex in sexes:
            for field_name, element in mapping.elements().items():
                amount = by_sex[sex][field_name]
                if amount is not None:
                    rows.append(
                        DataValue(element, pe, org_units[unit_id], combos[sex], amount, "", data_set=mapping.data_set)
                    )
    if problems:
        names = dict(AdministrativeUnit.objects.filter(pk__in={p[0] for p in problems}).values_list("pk", "name"))
        raise Dhis2ExportError(
            [(f"{names[unit_id]}, {mapping.indicator.key}, {f}", message) for unit_id, mapping, f, message in problems]
        )
    if not rows:
        raise Dhis2ExportError(
            [
                (
                    period.label,
                    "không có giá trị nào để xuất: chưa có báo cáo được chấp nhận, hoặc chưa ánh xạ chỉ tiêu,"
                    " địa bàn hay giới tính nào sang DHIS2",
                )
            ]
        )
    return rows


def _total_problems(
    mapping: Dhis2Mapping, by_sex: dict[str, dict[str, Decimal | None]], split: list[str]
) -> list[tuple[str, str]]:
    """A stored total that the split exported beside it would not reproduce: refused, never dropped unseen."""
    found = []
    for field_name in mapping.elements():
        total = by_sex["total"][field_name]
        if total is None:
            continue
        if field_name == "value" and mapping.indicator.measure != Measure.COUNT:
            found.append(
                (
                    field_name,
                    f"tổng {format_value(total)} của chỉ tiêu không cộng được (tỷ lệ, có/không) không suy ra được từ"
                    " nữ và nam, mà DHIS2 chỉ giữ nữ và nam: ánh xạ tử số và mẫu số, hoặc bỏ ánh xạ nữ/nam",
                )
            )
            continue
        parts = [by_sex[sex][field_name] for sex in split]
        if len(split) < 2 or any(part is None for part in parts):
            found.append((field_name, f"có tổng {format_value(total)} nhưng thiếu số của nữ hoặc nam"))
        elif total != sum(part for part in parts if part is not None):
            shown = " + ".join(format_value(part) for part in parts if part is not None)
            found.append((field_name, f"tổng {format_value(total)} khác nữ + nam ({shown})"))
    return found


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
    # DHIS2 bookkeeping read and deliberately not stored (dhis2.BOOKKEEPING), by name → count, for the person
    # importing to see
    ignored: dict[str, int] = field(default_factory=dict)


ADX_ID_SCHEME = (
    "ADX dùng mã code theo mặc định (idScheme=code) còn bảng ánh xạ giữ mã trong tệp trao đổi, thường là uid:"
    " xuất từ DHIS2 với idScheme=UID, hoặc ghi mã code vào bảng ánh xạ"
)


def _parsed(parse: Any, data: Any) -> Parsed:
    try:
        parsed: Parsed = parse(data)
    except Dhis2FormatError as error:
        raise Dhis2ImportError([(error.field, error.text)]) from None
    except Dhis2Refused as refused:
        raise Dhis2ImportError([(problem.field, problem.text) for problem in refused.problems]) from None
    return parsed


def import_datavaluesets(
    data: str | bytes | dict[str, Any], *, user: Any, report_map: Mapping[tuple[int, int], Report] | None = None
) -> ImportResult:
    parsed = _parsed(datavaluesets_parse, data)
    return import_rows(parsed.rows, user=user, report_map=report_map, ignored=parsed.ignored)


def import_adx(
    text: str | bytes, *, user: Any, report_map: Mapping[tuple[int, int], Report] | None = None
) -> ImportResult:
    parsed = _parsed(adx_parse, text)
    return import_rows(parsed.rows, user=user, report_map=report_map, ignored=parsed.ignored, adx=True)


@dataclass
class _Checked:
    cells: dict[tuple[int, int, str], dict[str, Decimal]]  # (report, indicator, sex) → field → value
    notes: dict[tuple[int, int, str], list[str]]
    reports: dict[int, Report]
    where: dict[tuple[int, int, str, str], str]  # (report, indicator, sex, field) → the row that gave it


def _check_rows(
    rows: list[DataValue], *, report_map: Mapping[tuple[int, int], Report] | None, adx: bool
) -> tuple[_Checked, list[tuple[str, str]]]:
    """Every code of every row against the mapping tables; nothing written. Problems are listed once each."""
    problems: dict[tuple[str, str], None] = {}  # ordered and without repeats (a file-level dataSet, say)

    def problem(where: str, message: str) -> None:
        problems[(where, message)] = None

    by_element: dict[str, tuple[Dhis2Mapping, str]] = {}
    for mapping in Dhis2Mapping.objects.select_related("indicator__plan"):
        for field_name, element in mapping.elements().items():
            by_element[element] = (mapping, field_name)
    units = {m.org_unit: m.unit for m in Dhis2OrgUnit.objects.select_related("unit")}
    checked = _Checked(cells=defaultdict(dict), notes=defaultdict(list), reports={}, where={})
    measures: dict[int, str] = {}
    seen: dict[tuple[int, str, PeriodKey, int, str], DataValue] = {}
    hint = f" ({ADX_ID_SCHEME})" if adx else ""
    for row in rows:
        found = by_element.get(row.data_element)
        unit = units.get(row.org_unit)
        key = parse_period_id(row.period)
        if found is None:
            problem(f"{row.where}.dataElement", f"chưa được ánh xạ: {row.data_element!r}{hint}")
        if unit is None:
            problem(f"{row.where}.orgUnit", f"chưa được ánh xạ: {row.org_unit!r}{hint}")
        if key is None:
            problem(f"{row.where}.period", f"kỳ DHIS2 không nhận được: {row.period!r}")
        if found is None or unit is None or key is None:
            continue
        mapping, field_name = found
        if row.data_set and row.data_set != mapping.data_set:
            where = f"{row.where.split('/')[0]}@dataSet" if adx else "dataSet"
            expected = repr(mapping.data_set) if mapping.data_set else "không có dataSet nào được ánh xạ"
            problem(where, f"{row.data_set!r} không phải dataSet của chỉ tiêu {mapping.indicator.key} ({expected})")
            continue
        sex = _sex_of(row, mapping, problem)
        if sex is None:
            continue
        if sex not in sexes_for(mapping.indicator):
            problem(
                row.where, f"chỉ tiêu {mapping.indicator.key} không phân tổ theo giới tính: không có ô {sex} để ghi"
            )
            continue
        if row.boolean and mapping.indicator.measure != Measure.BOOLEAN:
            problem(f"{row.where}.value", f"true/false chỉ dùng cho chỉ tiêu có/không ({mapping.indicator.key})")
            continue
        # The same cell twice, perhaps under two period forms ("2026", "2026-01-01/P1Y"): both are compared.
        identity = (mapping.pk, field_name, key, unit.pk, sex)
        first = seen.setdefault(identity, row)
        if first is not row and first.value != row.value:
            problem(
                row.where,
                f"mâu thuẫn với {first.where} (cùng dataElement, kỳ, orgUnit, giới tính):"
                f" {format_value(row.value)} ≠ {format_value(first.value)}",
            )
            continue
        report = _report_for(mapping, unit, key, report_map)
        if isinstance(report, str):
            problem(row.where, report)
            continue
        try:
            value = limit_digits(row.value, row.value, VALUE_DIGITS)
        except CellProblem as error:
            problem(f"{row.where}.value", str(error.vi))
            continue
        checked.reports[report.pk] = report
        cell = (report.pk, mapping.indicator_id, sex)
        checked.cells[cell][field_name] = value
        checked.where[(*cell, field_name)] = row.where
        measures[mapping.indicator_id] = mapping.indicator.measure
        if row.comment and row.comment not in checked.notes[cell]:
            checked.notes[cell].append(row.comment)
    _derive_totals(checked, measures, problem)
    return checked, list(problems)


def _derive_totals(checked: _Checked, measures: dict[int, str], problem: Any) -> None:
    """DHIS2 keeps female and male and derives the total (the export leaves it out for that reason), so a
    summable field given for both sexes gets its total here; a total also given must agree with them."""
    for report_id, indicator_id, sex in list(checked.cells):
        male = checked.cells.get((report_id, indicator_id, "male"))
        if sex != "female" or male is None:
            continue
        female = checked.cells[(report_id, indicator_id, "female")]
        for field_name in sorted(female.keys() & male.keys()):
            if field_name == "value" and measures[indicator_id] != Measure.COUNT:
                continue  # a rate or yes/no value does not add up; its total stays as it is
            derived = female[field_name] + male[field_name]
            total = checked.cells.get((report_id, indicator_id, "total"), {}).get(field_name)
            where = checked.where[(report_id, indicator_id, "female", field_name)]
            if total is None:
                try:
                    checked.cells[(report_id, indicator_id, "total")][field_name] = limit_digits(
                        derived, derived, VALUE_DIGITS
                    )
                except CellProblem as error:
                    problem(where, f"tổng nữ + nam: {error.vi}")
            elif total != derived:
                total_where = checked.where[(report_id, indicator_id, "total", field_name)]
                problem(
                    total_where,
                    f"tổng {format_value(total)} khác nữ + nam ({format_value(female[field_name])} +"
                    f" {format_value(male[field_name])}, {where})",
                )


def _sex_of(row: DataValue, mapping: Dhis2Mapping, problem: Any) -> str | None:
    """The value's sex: from its category option combination as mapped, or from an ADX sex attribute."""
    if not row.category_option_combo:
        return row.sex
    sex = next((s for s, coc in mapping.combos().items() if coc == row.category_option_combo), None)
    if sex is None:
        problem(f"{row.where}.categoryOptionCombo", f"chưa được ánh xạ: {row.category_option_combo!r}")
    elif row.sex and row.sex != sex:
        problem(row.where, f"categoryOptionCombo ({sex}) và thuộc tính giới tính ({row.sex}) mâu thuẫn nhau")
        return None
    return sex


@transaction.atomic
def import_rows(
    rows: list[DataValue],
    *,
    user: Any,
    report_map: Mapping[tuple[int, int], Report] | None = None,
    ignored: dict[str, int] | None = None,
    adx: bool = False,
) -> ImportResult:
    """Check every code, then write. `report_map` picks the report for (unit id, indicator id) when a unit
    has several reports carrying the same indicator; otherwise the one report that carries it is used."""
    checked, problems = _check_rows(rows, report_map=report_map, adx=adx)
    if problems:
        raise Dhis2ImportError(problems)
    cells, reports = checked.cells, checked.reports
    per_report: dict[int, list[Entry]] = defaultdict(list)
    for (report_id, indicator_id, sex), fields in cells.items():
        per_report[report_id].append(
            Entry(
                indicator_id,
                sex,
                value=fields.get("value"),
                numerator=fields.get("numerator"),
                denominator=fields.get("denominator"),
                note="\n".join(checked.notes.get((report_id, indicator_id, sex), [])),
            )
        )
    try:
        for report_id, entries in per_report.items():
            report = reports[report_id]
            # A DHIS2 file has no report versions: the version read in this import's transaction.
            report_save(report=report, user=user, version=report.version, entries=entries)
    except ReportingError as error:
        raise Dhis2ImportError([(f"report:{report_id}", str(error))]) from None
    return ImportResult(
        reports=len(per_report), values=sum(len(fields) for fields in cells.values()), ignored=dict(ignored or {})
    )


def _report_for(
    mapping: Dhis2Mapping,
    unit: AdministrativeUnit,
    key: PeriodKey,
    report_map: Mapping[tuple[int, int], Report] | None,
) -> Report | str:
    chosen = report_map.get((unit.pk, mapping.indicator_id)) if report_map else None
    if chosen is not None:
        chosen_period = chosen.period
        if (chosen_period.kind, chosen_period.year, chosen_period.number) != (key.kind, key.year, key.number):
            return f"báo cáo mã {chosen.pk} là báo cáo {chosen_period.label}, không phải kỳ của giá trị này"
        return chosen
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
    if not candidates:
        return f"{unit.name}, {period.label}: không có báo cáo nào gồm chỉ tiêu {mapping.indicator.key}"
    if len(candidates) > 1:
        ids = ", ".join(str(c.pk) for c in sorted(candidates, key=lambda c: c.pk))
        return (
            f"{unit.name}, {period.label}: có nhiều báo cáo gồm chỉ tiêu {mapping.indicator.key} (mã {ids});"
            " chọn một báo cáo (lệnh: dhis2 import --report MÃ)"
        )
    return candidates[0]
