"""CSV import of indicator values for machine clients (docs/reporting-csv.md).

One header line, UTF-8 (a byte-order mark is allowed), comma-separated, columns in any order:

    report_id,indicator_id,sex,value,numerator,denominator,source,note

``sex`` is ``total``, ``female`` or ``male``; numbers are written the machine way (``45.5``, ``1040``, no
thousands separator); an empty cell is no value, so a line with all three numbers empty clears them. Only the
listed (report, indicator, sex) cells change; everything else in the reports is left as it is. The whole file
is one transaction: every report it names is saved through ``report_save`` with the form's checks, or none
is. A CSV carries no version, so it is not refused for a report changed since some download: the audit trail
records what it changed. Errors name the line and the column, in Vietnamese and English.
"""

from __future__ import annotations

import csv
import io
import re
from decimal import Decimal
from typing import Any

from .checks import Entry
from .entries import sexes_for
from .errors import ReportingError
from .models import Report, Sex, Value
from .selectors import reports_visible_to
from .services import report_assert_editable
from .spreadsheets import (
    MAX_BYTES,
    VALUE_DIGITS,
    CellProblem,
    ImportResult,
    ReportChange,
    apply_changes,
    check_changes,
    limit_digits,
    rule_error,
    stored_text,
    unused_kept,
)

COLUMNS = ["report_id", "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"]
MAX_LINES = 20_000
_MACHINE_NUMBER = re.compile(r"[+-]?\d+(\.\d+)?")
_COLUMN_OF = {
    "value": "value",
    "numerator": "numerator",
    "denominator": "denominator",
    "note": "note",
    "source": "source",
}


def _number(text: str) -> Decimal | None:
    text = text.strip()
    if not text:
        return None
    if not _MACHINE_NUMBER.fullmatch(text):
        shown = repr(text[:40])
        raise CellProblem(
            f"không phải số ({shown}); CSV viết số kiểu máy: 1040, 45.5",
            f"not a number ({shown}); write plain numbers: 1040, 45.5",
        )
    return limit_digits(Decimal(text), text, VALUE_DIGITS)


def _int(text: str) -> int:
    text = text.strip()
    if not text.isdigit():
        raise CellProblem(f"không phải mã số ({text[:40]!r})", f"not an id ({text[:40]!r})")
    return int(text)


def csv_import(*, user: Any, data: bytes, report: Report | None = None) -> ImportResult:
    """Import a values CSV: all or nothing. With ``report``, every line must be for that report."""
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.error(None, None, None, "Tệp lớn hơn 5 MB.", "The file is larger than 5 MB.")
        return result
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        result.error(
            None,
            None,
            None,
            f"Tệp không phải UTF-8 (byte thứ {exc.start}).",
            f"The file is not UTF-8 (byte {exc.start}).",
        )
        return result
    reader = csv.reader(io.StringIO(text, newline=""))
    try:
        header = next(reader, None)
    except csv.Error as exc:
        result.error(None, 1, None, f"CSV hỏng: {exc}", f"Malformed CSV: {exc}")
        return result
    if header is None:
        result.error(None, None, None, "Tệp rỗng.", "The file is empty.")
        return result
    names = [h.strip().lower() for h in header]
    for name in names:
        if name not in COLUMNS:
            result.error(None, 1, name, f"cột lạ '{name}'.", f"unknown column '{name}'.")
        elif names.count(name) > 1:
            result.error(None, 1, name, f"cột '{name}' xuất hiện hai lần.", f"column '{name}' appears twice.")
    for name in COLUMNS:
        if name not in names:
            result.error(None, 1, name, f"thiếu cột '{name}'.", f"column '{name}' is missing.")
    if not result.ok:
        return result

    visible = reports_visible_to(user)
    reports: dict[int, Report | None] = {}
    indicators: dict[int, dict[int, Any]] = {}
    stored: dict[int, dict[tuple[int, str], Value]] = {}
    changes: dict[int, ReportChange] = {}
    seen: dict[tuple[int, int, str], int] = {}
    try:
        for fields in reader:
            line = reader.line_num
            result.rows_read += 1
            if result.rows_read > MAX_LINES:
                result.error(
                    None,
                    line,
                    None,
                    f"tệp có quá {MAX_LINES} dòng; phần còn lại không được đọc.",
                    f"more than {MAX_LINES} lines; the rest was not read.",
                )
                break
            if not any(f.strip() for f in fields):
                continue
            if len(fields) != len(names):
                result.error(
                    None,
                    line,
                    None,
                    f"có {len(fields)} cột, dòng tiêu đề có {len(names)}.",
                    f"{len(fields)} fields, the header has {len(names)}.",
                )
                continue
            row = dict(zip(names, fields, strict=True))
            _line(row, line, report, visible, reports, indicators, stored, changes, seen, result)
    except csv.Error as exc:
        result.error(None, reader.line_num, None, f"CSV hỏng: {exc}", f"Malformed CSV: {exc}")
    if not result.ok:
        return result
    if not changes:
        result.error(None, None, None, "Tệp không có dòng số liệu nào.", "The file has no data lines.")
        return result
    for change in changes.values():
        try:
            report_assert_editable(change.report, user)
        except ReportingError as exc:
            result.error(None, None, None, *rule_error(exc, change.report))
    if not result.ok:
        return result
    several = len(changes) > 1
    check_changes(list(changes.values()), result, None, several)
    if not result.ok:
        return result
    apply_changes(list(changes.values()), user=user, result=result, several=several)
    return result


def _line(
    row: dict[str, str],
    line: int,
    only: Report | None,
    visible: Any,
    reports: dict[int, Report | None],
    indicators: dict[int, dict[int, Any]],
    stored: dict[int, dict[tuple[int, str], Value]],
    changes: dict[int, ReportChange],
    seen: dict[tuple[int, int, str], int],
    result: ImportResult,
) -> None:
    try:
        report_id = _int(row["report_id"])
    except CellProblem as problem:
        result.error(None, line, "report_id", problem.vi, problem.en)
        return
    if only is not None and report_id != only.pk:
        result.error(
            None,
            line,
            "report_id",
            f"dòng này là của báo cáo số {report_id}, không phải số {only.pk}.",
            f"this line is for report {report_id}, not {only.pk}.",
        )
        return
    if report_id not in reports:
        found = visible.filter(pk=report_id).select_related("period__plan", "unit").first()
        reports[report_id] = found
        if found is not None:
            indicators[report_id] = {
                line_.indicator_id: line_.indicator for line_ in found.indicator_lines.select_related("indicator")
            }
            # The CSV format carries the totals only (combo ""); the parts are entered on the form (issue 16).
            stored[report_id] = {(v.indicator_id, v.sex): v for v in Value.objects.filter(report=found, combo="")}
    report = reports[report_id]
    if report is None:
        result.error(None, line, "report_id", f"không có báo cáo số {report_id}.", f"no report {report_id}.")
        return
    try:
        indicator_id = _int(row["indicator_id"])
    except CellProblem as problem:
        result.error(None, line, "indicator_id", problem.vi, problem.en)
        return
    indicator = indicators[report_id].get(indicator_id)
    if indicator is None:
        result.error(
            None,
            line,
            "indicator_id",
            f"chỉ tiêu mã {indicator_id} không thuộc báo cáo này.",
            f"indicator {indicator_id} is not part of this report.",
        )
        return
    sex = row["sex"].strip().lower() or Sex.TOTAL
    if sex not in Sex.values:
        result.error(
            None,
            line,
            "sex",
            f"giới tính không hợp lệ ({sex!r}); dùng total, female, male.",
            f"invalid sex ({sex!r}); use total, female or male.",
        )
        return
    if sex not in sexes_for(indicator):
        result.error(
            None,
            line,
            "sex",
            "chỉ tiêu này không phân tổ theo giới tính; chỉ có total.",
            "this indicator is not disaggregated by sex; only total.",
        )
        return
    key = (report_id, indicator_id, sex)
    if key in seen:
        result.error(None, line, "indicator_id", f"trùng với dòng {seen[key]}.", f"duplicates line {seen[key]}.")
        return
    seen[key] = line
    entry = Entry(indicator_id, sex)
    ok = True
    for name in ("value", "numerator", "denominator"):
        try:
            number = _number(row[name])
            setattr(entry, name, unused_kept(indicator, name, number, stored[report_id].get((indicator_id, sex))))
        except CellProblem as problem:
            result.error(None, line, name, problem.vi, problem.en)
            ok = False
    for name, length in (("source", 255), ("note", None)):
        try:
            setattr(entry, name, stored_text(row[name], length))
        except CellProblem as problem:
            result.error(None, line, name, problem.vi, problem.en)
            ok = False
    if not ok:
        return
    if report_id not in changes:
        fractions = {pk for pk, i in indicators[report_id].items() if i.is_fraction}
        changes[report_id] = ReportChange(
            # No version in a CSV: the version read now, in the import's transaction (the save requires one).
            report,
            report.version,
            [],
            [],
            [],
            None,
            {},
            columns=dict(_COLUMN_OF),
            fractions=fractions,
        )
    change = changes[report_id]
    change.entries.append(entry)
    change.places[(indicator_id, sex)] = (None, line)
