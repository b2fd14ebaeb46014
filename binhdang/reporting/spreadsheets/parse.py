"""Turning the tables of an uploaded workbook into what it asks of each report: every row checked against the
report it belongs to (ids, sexes, numbers, statuses, duplicates), each problem listed at its cell."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from openpyxl.utils import get_column_letter

from binhdang.plans.models import Indicator, Measure

from ..checks import Entry
from ..models import Sex, Value
from .cells import CellProblem, id_of, number_of, sex_of, status_of, stored_text
from .layout import (
    AMOUNT_DIGITS,
    FIELD_HEADERS,
    H_INDICATOR_ID,
    H_NARRATIVE,
    H_NOTE,
    H_REPORT,
    H_SEX,
    H_SOURCE,
    H_STATUS,
    H_SUMMARY,
    H_TASK_ID,
    SHEET_INDICATORS,
    SHEET_SUMMARY,
    SHEET_TASKS,
    SOURCE_MAX,
    SPENDING_COLUMNS,
    row_sexes,
    used_fields,
)
from .meta import Identity
from .result import ImportResult
from .tables import Row, Table
from .targets import Target


@dataclass
class IndicatorRow:
    row: int
    report_id: int
    entry: Entry
    sheet: str = SHEET_INDICATORS  # or SHEET_GRID for a part (issue 16)


@dataclass
class TaskRow:
    row: int
    report_id: int
    task_id: int
    status: str | None
    narrative: str
    amounts: dict[str, Decimal | None]


@dataclass
class Parsed:
    indicators: list[IndicatorRow] = field(default_factory=list)
    tasks: list[TaskRow] = field(default_factory=list)
    summaries: dict[int, tuple[int, str]] = field(default_factory=dict)  # report -> (row, text)
    grid: bool = False  # the file has the "Phân tổ" sheet (a file downloaded before issue 16 has none)
    # (sheet, column header) -> column letter, to name a cell ("E14") in the errors that point at one.
    letters: dict[tuple[str, str], str] = field(default_factory=dict)


def report_of(row: Row, sheet: str, identity: Identity, targets: dict[int, Target], result: ImportResult) -> int | None:
    if identity.kind == "report":
        return next(iter(targets))
    try:
        report_id = id_of(row.cells.get(H_REPORT))
    except CellProblem as problem:
        result.error(sheet, row.number, H_REPORT, problem.vi, problem.en)
        return None
    if report_id is None:
        result.error(sheet, row.number, H_REPORT, "thiếu mã báo cáo.", "the report id is missing.")
        return None
    if report_id not in targets:
        result.error(
            sheet,
            row.number,
            H_REPORT,
            f"báo cáo số {report_id} không thuộc tệp này.",
            f"report {report_id} is not part of this file.",
        )
        return None
    return report_id


def indicator_of(row: Row, sheet: str, target: Target, result: ImportResult) -> Indicator | None:
    """The indicator a row names, one of its report's; None (and the error at its cell) otherwise."""
    try:
        indicator_id = id_of(row.cells[H_INDICATOR_ID])
    except CellProblem as problem:
        result.error(sheet, row.number, H_INDICATOR_ID, problem.vi, problem.en)
        return None
    if indicator_id is None:
        result.error(sheet, row.number, H_INDICATOR_ID, "thiếu mã chỉ tiêu.", "the indicator id is missing.")
        return None
    indicator = target.indicators.get(indicator_id)
    if indicator is None:
        result.error(
            sheet,
            row.number,
            H_INDICATOR_ID,
            f"chỉ tiêu mã {indicator_id} không thuộc báo cáo này.",
            f"indicator {indicator_id} is not part of this report.",
        )
    return indicator


def unused_kept(indicator: Indicator, attr: str, number: Decimal | None, stored: Value | None) -> Decimal | None:
    """A number column the indicator does not use keeps what is stored; a new figure there is refused."""
    if attr in used_fields(indicator):
        return number
    kept: Decimal | None = getattr(stored, attr) if stored is not None else None
    if number is not None and number != kept:
        if indicator.measure == Measure.TEXT:
            raise CellProblem(
                "chỉ tiêu định tính: không ghi số, hãy ghi ở cột Ghi chú.",
                "a qualitative indicator takes no number; use the note column.",
            )
        if indicator.is_fraction:
            raise CellProblem(
                "chỉ tiêu tỷ lệ: ghi Tử số và Mẫu số, hệ thống tự tính tỷ lệ.",
                "a rate: enter the numerator and the denominator; the rate is computed.",
            )
        raise CellProblem(
            "chỉ tiêu này không tính theo tỷ lệ; ghi số ở cột Giá trị.",
            "this indicator is not a rate; enter the figure in the value column.",
        )
    return kept


def _spread_notes(rows: list[IndicatorRow]) -> None:
    """One source or note for an indicator goes where the form puts it: on every row with a figure, or on the
    total when none has one. Different notes on different rows are kept as they are, row by row."""
    groups: dict[tuple[int, int], list[Entry]] = {}
    for row in rows:
        groups.setdefault((row.report_id, row.entry.indicator_id), []).append(row.entry)
    order: dict[str, int] = {Sex.TOTAL: 0, Sex.FEMALE: 1, Sex.MALE: 2}
    for entries in groups.values():
        entries.sort(key=lambda e: order.get(e.sex, 3))
        carriers = {id(e) for e in entries if not e.is_empty} or {id(entries[0])}
        for attr in ("source", "note"):
            texts = {getattr(e, attr) for e in entries if getattr(e, attr)}
            if len(texts) == 1:
                text = texts.pop()
                for entry in entries:
                    setattr(entry, attr, text if id(entry) in carriers else "")


def _parse_indicators(
    parsed: Parsed, identity: Identity, targets: dict[int, Target], table: Table, result: ImportResult
) -> None:
    seen: dict[tuple[int, int, str], int] = {}
    sheet = SHEET_INDICATORS
    for row in table.rows:
        report_id = report_of(row, sheet, identity, targets, result)
        if report_id is None:
            continue
        target = targets[report_id]
        indicator = indicator_of(row, sheet, target, result)
        if indicator is None:
            continue
        indicator_id = indicator.pk
        try:
            sex = sex_of(row.cells[H_SEX])
        except CellProblem as problem:
            result.error(sheet, row.number, H_SEX, problem.vi, problem.en)
            continue
        if sex is None or sex not in row_sexes(indicator):
            vi, en = (
                ("chỉ tiêu này chỉ có dòng Tổng.", "this indicator has a Tổng row only.")
                if sex
                else ("thiếu giới tính.", "the sex is missing.")
            )
            result.error(sheet, row.number, H_SEX, vi, en)
            continue
        key = (report_id, indicator_id, sex)
        if key in seen:
            result.error(
                sheet,
                row.number,
                H_INDICATOR_ID,
                f"trùng với dòng {seen[key]} (cùng chỉ tiêu, cùng giới tính).",
                f"duplicates row {seen[key]} (same indicator and sex).",
            )
            continue
        seen[key] = row.number
        entry = Entry(indicator_id, sex)
        stored = target.values.get((indicator_id, sex))
        ok = True
        for attr in ("value", "numerator", "denominator"):
            header = FIELD_HEADERS[attr]
            try:
                number = number_of(row.cells[header], allow_bool=indicator.measure == Measure.BOOLEAN)
                number = unused_kept(indicator, attr, number, stored)
            except CellProblem as problem:
                result.error(sheet, row.number, header, problem.vi, problem.en)
                ok = False
                continue
            setattr(entry, attr, number)
        for header, attr, length in ((H_SOURCE, "source", SOURCE_MAX), (H_NOTE, "note", None)):
            try:
                setattr(entry, attr, stored_text(row.cells[header], length))
            except CellProblem as problem:
                result.error(sheet, row.number, header, problem.vi, problem.en)
                ok = False
        if ok:
            parsed.indicators.append(IndicatorRow(row.number, report_id, entry))
    _spread_notes(parsed.indicators)


def _parse_tasks(
    parsed: Parsed, identity: Identity, targets: dict[int, Target], table: Table, result: ImportResult
) -> None:
    sheet = SHEET_TASKS
    seen_tasks: dict[tuple[int, int], int] = {}
    for row in table.rows:
        report_id = report_of(row, sheet, identity, targets, result)
        if report_id is None:
            continue
        try:
            task_id = id_of(row.cells[H_TASK_ID])
        except CellProblem as problem:
            result.error(sheet, row.number, H_TASK_ID, problem.vi, problem.en)
            continue
        if task_id is None:
            result.error(sheet, row.number, H_TASK_ID, "thiếu mã nhiệm vụ.", "the task id is missing.")
            continue
        if task_id not in targets[report_id].tasks:
            result.error(
                sheet,
                row.number,
                H_TASK_ID,
                f"nhiệm vụ mã {task_id} không thuộc báo cáo này.",
                f"task {task_id} is not part of this report.",
            )
            continue
        if (report_id, task_id) in seen_tasks:
            result.error(
                sheet,
                row.number,
                H_TASK_ID,
                f"trùng với dòng {seen_tasks[(report_id, task_id)]}.",
                f"duplicates row {seen_tasks[(report_id, task_id)]}.",
            )
            continue
        seen_tasks[(report_id, task_id)] = row.number
        ok = True
        status = None
        narrative = ""
        try:
            status = status_of(row.cells[H_STATUS])
        except CellProblem as problem:
            result.error(sheet, row.number, H_STATUS, problem.vi, problem.en)
            ok = False
        try:
            narrative = stored_text(row.cells[H_NARRATIVE])
        except CellProblem as problem:
            result.error(sheet, row.number, H_NARRATIVE, problem.vi, problem.en)
            ok = False
        amounts: dict[str, Decimal | None] = {}
        for header, source in SPENDING_COLUMNS.items():
            try:
                amounts[source] = number_of(row.cells[header], AMOUNT_DIGITS)
            except CellProblem as problem:
                result.error(sheet, row.number, header, problem.vi, problem.en)
                ok = False
                continue
            amount = amounts[source]
            if amount is not None and amount < 0:
                result.error(
                    sheet, row.number, header, "số tiền đã chi không được âm.", "the amount spent must not be negative."
                )
                ok = False
        if ok and status is None and narrative:
            result.error(sheet, row.number, H_STATUS, "hãy chọn tình trạng của nhiệm vụ.", "choose the task's status.")
            ok = False
        if ok:
            parsed.tasks.append(TaskRow(row.number, report_id, task_id, status, narrative, amounts))


def _parse_summaries(
    parsed: Parsed, identity: Identity, targets: dict[int, Target], table: Table, result: ImportResult
) -> None:
    sheet = SHEET_SUMMARY
    for row in table.rows:
        report_id = report_of(row, sheet, identity, targets, result)
        if report_id is None:
            continue
        if report_id in parsed.summaries:
            result.error(
                sheet,
                row.number,
                H_SUMMARY,
                f"báo cáo đã có tóm tắt ở dòng {parsed.summaries[report_id][0]}.",
                f"the report already has a summary on row {parsed.summaries[report_id][0]}.",
            )
            continue
        try:
            summary = stored_text(row.cells[H_SUMMARY])
        except CellProblem as problem:
            result.error(sheet, row.number, H_SUMMARY, problem.vi, problem.en)
            continue
        parsed.summaries[report_id] = (row.number, summary)


def parse(identity: Identity, targets: dict[int, Target], tables: dict[str, Table], result: ImportResult) -> Parsed:
    """The rows of the three data sheets, each for its report; the rows with a problem are left out."""
    parsed = Parsed()
    for name, table in tables.items():
        parsed.letters.update({(name, h): get_column_letter(c) for h, c in table.headers.items()})
    _parse_indicators(parsed, identity, targets, tables[SHEET_INDICATORS], result)
    _parse_tasks(parsed, identity, targets, tables[SHEET_TASKS], result)
    _parse_summaries(parsed, identity, targets, tables[SHEET_SUMMARY], result)
    return parsed
