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
from django.utils.translation import get_language, gettext

from binhdang.places.models import AdministrativeUnit
from binhdang.plans.categories import combo_key, combos_for
from binhdang.plans.models import Measure
from binhdang.reporting.checks import Entry, cell_label, check_combos
from binhdang.reporting.entries import indicator_meta, sexes_for
from binhdang.reporting.errors import ReportingError
from binhdang.reporting.models import Period, Report, ReportIndicator, ReportStatus, Value
from binhdang.reporting.services import report_save
from binhdang.reporting.spreadsheets import VALUE_DIGITS, CellProblem, limit_digits

from .combos import (
    Attributes,
    Cell,
    Codes,
    attributes_of,
    declared_problem,
    derive_totals,
    describe,
    export_level,
    read_attributes,
)
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
            report__period=period, report__status=ReportStatus.ACCEPTED, indicator_id__in=list(mappings)
        )
        .values("indicator_id", "sex", "combo", "report__unit_id")
        .annotate(value=Sum("value"), numerator=Sum("numerator"), denominator=Sum("denominator"))
        .order_by("report__unit_id", "indicator_id", "sex", "combo")
    )
    cells: dict[tuple[int, int], dict[Cell, dict[str, Decimal | None]]] = defaultdict(dict)
    for row in sums:
        if row["report__unit_id"] in org_units:  # an unmapped unit is not exchanged; docs/dhis2.md
            amounts = {"value": row["value"], "numerator": row["numerator"], "denominator": row["denominator"]}
            cells[(row["report__unit_id"], row["indicator_id"])][(row["sex"], row["combo"])] = amounts
    codes = Codes.load()
    rows: list[DataValue] = []
    problems: list[tuple[int, Dhis2Mapping, str, str]] = []
    for (unit_id, indicator_id), by_cell in cells.items():
        mapping = mappings[indicator_id]
        # DHIS2's way: an element has one category combination and DHIS2 derives every total from its options,
        # so one level goes out, the finest entered, and what is left out must be derivable (combos.py).
        level, found = export_level(mapping, by_cell)
        problems += [(unit_id, mapping, where, message) for where, message in found]
        for sex, combo in level:
            coc = codes.coc(mapping, sex, combo)
            if coc is None:
                continue
            for field_name, element in mapping.elements().items():
                amount = by_cell[(sex, combo)][field_name]
                if amount is not None:
                    rows.append(
                        DataValue(
                            element,
                            pe,
                            org_units[unit_id],
                            "" if adx and combo else coc,
                            amount,
                            "",
                            data_set=mapping.data_set,
                            sex=sex,
                            attributes=attributes_of(combo) if adx and combo else (),
                        )
                    )
    if problems:
        names = dict(AdministrativeUnit.objects.filter(pk__in={p[0] for p in problems}).values_list("pk", "name"))
        raise Dhis2ExportError(
            [
                (f"{names[unit_id]}, {mapping.indicator.key}" + (f", {where}" if where else ""), str(message))
                for unit_id, mapping, where, message in problems
            ]
        )
    if not rows:
        raise Dhis2ExportError(
            [
                (
                    period.label,
                    gettext(
                        "không có giá trị nào để xuất: chưa có báo cáo được chấp nhận, hoặc chưa ánh xạ chỉ tiêu,"
                        " địa bàn hay giới tính nào sang DHIS2"
                    ),
                )
            ]
        )
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
    # DHIS2 bookkeeping read and deliberately not stored (dhis2.BOOKKEEPING), by name → count, for the person
    # importing to see
    ignored: dict[str, int] = field(default_factory=dict)
    # Figures of single ethnic groups added into "dân tộc thiểu số" (docs/dhis2.md): (where, groups) for each cell
    summed: list[tuple[str, list[str]]] = field(default_factory=list)


def adx_id_scheme() -> str:
    """Why an ADX code may not be found: said beside an unmapped code, and on every ADX export."""
    return gettext(
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


ReportIndicator_ = tuple[int, int]  # (report id, indicator id)


@dataclass
class _Checked:
    cells: dict[ReportIndicator_, dict[Cell, dict[str, Decimal]]]  # → (sex, combo) → field → value
    notes: dict[tuple[int, int, Cell], list[str]]
    reports: dict[int, Report]
    indicators: dict[int, Any]
    where: dict[ReportIndicator_, dict[tuple[Cell, str], str]]  # → ((sex, combo), field) → the row that gave it
    groups: dict[tuple[int, int, Cell, str], list[str]]  # ethnic groups summed into a cell's field


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
    codes = Codes.load()
    checked = _Checked(
        cells=defaultdict(dict), notes=defaultdict(list), reports={}, indicators={}, where=defaultdict(dict), groups={}
    )
    seen: dict[tuple[Any, ...], DataValue] = {}
    hint = f" ({adx_id_scheme()})" if adx else ""
    for row in rows:
        read = read_attributes(row.attributes, codes, row.data_element, row.where, problem)
        found = by_element.get(row.data_element)
        unit = units.get(row.org_unit)
        key = parse_period_id(row.period)
        if found is None:
            problem(
                f"{row.where}.dataElement",
                gettext("chưa được ánh xạ: %(code)s") % {"code": repr(row.data_element)} + hint,
            )
        if unit is None:
            problem(f"{row.where}.orgUnit", gettext("chưa được ánh xạ: %(code)s") % {"code": repr(row.org_unit)} + hint)
        if key is None:
            problem(
                f"{row.where}.period", gettext("kỳ DHIS2 không nhận được: %(period)s") % {"period": repr(row.period)}
            )
        if found is None or unit is None or key is None or read is None:
            continue
        mapping, field_name = found
        indicator = mapping.indicator
        if row.data_set and row.data_set != mapping.data_set:
            where = f"{row.where.split('/')[0]}@dataSet" if adx else "dataSet"
            expected = repr(mapping.data_set) if mapping.data_set else gettext("không có dataSet nào được ánh xạ")
            problem(
                where,
                gettext("%(data_set)s không phải dataSet của chỉ tiêu %(indicator)s (%(expected)s)")
                % {"data_set": repr(row.data_set), "indicator": indicator.key, "expected": expected},
            )
            continue
        cell = _cell_of(row, mapping, codes, read, problem)
        if cell is None:
            continue
        sex = cell[0]
        if sex not in sexes_for(indicator):
            message = gettext("chỉ tiêu %(indicator)s không phân tổ theo giới tính: không có ô %(sex)s để ghi")
            problem(row.where, message % {"indicator": indicator.key, "sex": sex})
            continue
        if row.boolean and indicator.measure != Measure.BOOLEAN:
            message = gettext("true/false chỉ dùng cho chỉ tiêu có/không (%(indicator)s)")
            problem(f"{row.where}.value", message % {"indicator": indicator.key})
            continue
        # The same cell twice, perhaps under two period forms ("2026", "2026-01-01/P1Y"): both are compared.
        identity = (mapping.pk, field_name, key, unit.pk, cell, read.group)
        first = seen.setdefault(identity, row)
        if first is not row and first.value != row.value:
            problem(
                row.where,
                gettext("mâu thuẫn với %(first)s (cùng dataElement, kỳ, orgUnit, %(cell)s): %(value)s ≠ %(other)s")
                % {
                    "first": first.where,
                    "cell": describe(cell),
                    "value": format_value(row.value),
                    "other": format_value(first.value),
                },
            )
            continue
        report = _report_for(mapping, unit, key, report_map)
        if isinstance(report, str):
            problem(row.where, report)
            continue
        pair = (report.pk, indicator.pk)
        checked.reports[report.pk] = report
        checked.indicators[indicator.pk] = indicator
        if row.comment and row.comment not in checked.notes[(*pair, cell)]:
            checked.notes[(*pair, cell)].append(row.comment)
        if first is not row:
            continue  # the same figure again: written once
        _put(checked, pair, cell, field_name, row, read.group, problem)
    for pair, cells in checked.cells.items():
        indicator = checked.indicators[pair[1]]
        wheres = checked.where[pair]
        derive_totals(indicator, cells, wheres, problem)
        entries = {
            c: Entry(pair[1], c[0], v.get("value"), v.get("numerator"), v.get("denominator"), combo=c[1])
            for c, v in cells.items()
        }
        for issue in check_combos(indicator_meta(indicator), entries):
            _id, sex, field_name, *rest = issue.where.split(":")[1:]
            problem(
                wheres.get(((sex, rest[0] if rest else ""), field_name), f"report:{pair[0]}"),
                f"{indicator.key}: {issue.message}",
            )
        for (cell, field_name), row_where in wheres.items():
            number = cells[cell][field_name]
            try:
                cells[cell][field_name] = limit_digits(number, number, VALUE_DIGITS)
            except CellProblem as error:
                # The spreadsheet checks carry both languages: the one active (English on the command line).
                problem(f"{row_where}.value", error.en if get_language() == "en" else error.vi)
    return checked, list(problems)


def _put(
    checked: _Checked, pair: tuple[int, int], cell: Cell, field_name: str, row: DataValue, group: str, problem: Any
) -> None:
    """One row's figure into its cell; figures of single ethnic groups are added up into "dtts" (and said)."""
    cells, where = checked.cells[pair].setdefault(cell, {}), checked.where[pair]
    summed = checked.groups.get((*pair, cell, field_name))
    if field_name in cells and (summed is None) != (not group):
        message = gettext("%(first)s ghi cả số của nhóm dân tộc thiểu số và của từng dân tộc")
        problem(row.where, message % {"first": where[(cell, field_name)]})
        return
    if group:
        checked.groups.setdefault((*pair, cell, field_name), []).append(group)
        cells[field_name] = cells.get(field_name, Decimal(0)) + row.value
    else:
        cells[field_name] = row.value
    where.setdefault((cell, field_name), row.where)


def _cell_of(row: DataValue, mapping: Dhis2Mapping, codes: Codes, read: Attributes, problem: Any) -> Cell | None:
    """The value's (sex, combination): from its category option combination (mapped, or a default code), or from
    ADX attributes; both given, they must agree. A combination the indicator is not reported by is refused."""
    indicator = mapping.indicator
    if not row.category_option_combo:
        declared = declared_problem(indicator, row.data_element, read)
        if declared is not None:
            category, message = declared
            name = read.written[category].split("=")[0] if category else ""
            problem(f"{row.where}@{name}" if name else row.where, message)
            return None
        return row.sex or "total", combo_key(read.parts)
    cell = codes.cell_of_coc(mapping, row.category_option_combo)
    if cell is None:
        message = gettext("chưa được ánh xạ: %(code)s") % {"code": repr(row.category_option_combo)}
        problem(f"{row.where}.categoryOptionCombo", message)
        return None
    if row.sex and row.sex != cell[0]:
        message = gettext("categoryOptionCombo (%(coc_sex)s) và thuộc tính giới tính (%(sex)s) mâu thuẫn nhau")
        problem(row.where, message % {"coc_sex": cell[0], "sex": row.sex})
        return None
    if read.parts and combo_key(read.parts) != cell[1]:
        written = ", ".join(read.written.values())
        message = gettext("categoryOptionCombo (%(combo)s) và các thuộc tính (%(written)s) mâu thuẫn nhau")
        problem(row.where, message % {"combo": cell[1] or gettext("tổng"), "written": written})
        return None
    if cell[1] not in combos_for(indicator):
        problem(
            f"{row.where}.categoryOptionCombo",
            gettext("%(coc)s (%(cell)s) không thuộc phân tổ của chỉ tiêu %(indicator)s")
            % {"coc": repr(row.category_option_combo), "cell": cell_label(*cell), "indicator": indicator.key},
        )
        return None
    return cell


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
    per_report: dict[int, list[Entry]] = defaultdict(list)
    for (report_id, indicator_id), cells in checked.cells.items():
        for cell, fields in cells.items():
            per_report[report_id].append(
                Entry(
                    indicator_id,
                    cell[0],
                    value=fields.get("value"),
                    numerator=fields.get("numerator"),
                    denominator=fields.get("denominator"),
                    note="\n".join(checked.notes.get((report_id, indicator_id, cell), [])),
                    combo=cell[1],
                )
            )
    try:
        for report_id, entries in per_report.items():
            report = checked.reports[report_id]
            # A DHIS2 file has no report versions: the version read in this import's transaction.
            report_save(report=report, user=user, version=report.version, entries=entries)
    except ReportingError as error:
        raise Dhis2ImportError([(f"report:{report_id}", str(error))]) from None
    summed = [
        (checked.where[(report_id, indicator_id)][(cell, field_name)], groups)
        for (report_id, indicator_id, cell, field_name), groups in checked.groups.items()
        if len(groups) > 1
    ]
    return ImportResult(
        reports=len(per_report),
        values=sum(len(fields) for cells in checked.cells.values() for fields in cells.values()),
        ignored=dict(ignored or {}),
        summed=summed,
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
            message = gettext("báo cáo mã %(report)s là báo cáo %(period)s, không phải kỳ của giá trị này")
            return message % {"report": chosen.pk, "period": chosen_period.label}
        return chosen
    period = Period.objects.filter(plan=mapping.indicator.plan, kind=key.kind, year=key.year, number=key.number).first()
    if period is None:
        return gettext("kế hoạch %(plan)s không có kỳ %(kind)s %(number)s/%(year)s") % {
            "plan": mapping.indicator.plan,
            "kind": key.kind,
            "number": key.number,
            "year": key.year,
        }
    candidates = list(
        Report.objects.filter(
            Q(pk__in=ReportIndicator.objects.filter(indicator=mapping.indicator).values("report_id")),
            period=period,
            unit=unit,
        ).select_related("period")
    )
    if not candidates:
        return gettext("%(unit)s, %(period)s: không có báo cáo nào gồm chỉ tiêu %(indicator)s") % {
            "unit": unit.name,
            "period": period.label,
            "indicator": mapping.indicator.key,
        }
    if len(candidates) > 1:
        ids = ", ".join(str(c.pk) for c in sorted(candidates, key=lambda c: c.pk))
        return gettext(
            "%(unit)s, %(period)s: có nhiều báo cáo gồm chỉ tiêu %(indicator)s (mã %(ids)s);"
            " chọn một báo cáo (lệnh: dhis2 import --report MÃ)"
        ) % {"unit": unit.name, "period": period.label, "indicator": mapping.indicator.key, "ids": ids}
    return candidates[0]
