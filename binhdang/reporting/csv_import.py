"""CSV import of indicator values for machine clients (docs/reporting-csv.md).

One header line, UTF-8 (a byte-order mark is allowed), comma-separated, columns in any order:

    report_id,indicator_id,sex,value,numerator,denominator,source,note

``sex`` is ``total``, ``female`` or ``male``; numbers are written the machine way (``45.5``, ``1040``, no
thousands separator); an empty cell is no value, so a line with all three numbers empty clears them. Only the
listed (report, indicator, sex) cells change; everything else in the reports is left as it is. The whole file
is one transaction: every report it names is saved through ``report_save`` with the form's checks, or none
is. A CSV carries no version, so it is not refused for a report changed since some download: the audit trail
records what it changed. Errors name the line and the column, in Vietnamese and English.

Optional columns ``age_group``, ``ethnicity``, ``area`` (issue 16) name a part of an indicator reported by those
categories; empty (or absent: every file written before them) is the total. An ethnicity may be ``kinh``,
``dtts`` or one of the 54 groups of the official list by code (``01``–``54``); several lines of minority groups
for one cell are summed into its ``dtts`` figure, and the result says so (docs/disaggregation.md).
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

from binhdang.lib.numbers import format_vn_number
from binhdang.plans.categories import AGE, AREA, ETHNICITY
from binhdang.plans.models import Measure

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
    used_fields,
)
from .spreadsheets.combo_cells import CategoryProblem, Member, combo_of, member_of, vi_cell_label

COLUMNS = ["report_id", "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"]
# The combination's columns (issue 16): optional, so a file written before them still imports, as totals.
COMBO_COLUMNS = {"age_group": AGE, "ethnicity": ETHNICITY, "area": AREA}
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
        if name not in COLUMNS and name not in COMBO_COLUMNS:
            result.error(None, 1, name, f"cột lạ '{name}'.", f"unknown column '{name}'.")
        elif names.count(name) > 1:
            result.error(None, 1, name, f"cột '{name}' xuất hiện hai lần.", f"column '{name}' appears twice.")
    for name in COLUMNS:
        if name not in names:
            result.error(None, 1, name, f"thiếu cột '{name}'.", f"column '{name}' is missing.")
    if not result.ok:
        return result

    lines = _Lines(report, reports_visible_to(user), result)
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
            lines.read(dict(zip(names, fields, strict=True)), line)
    except csv.Error as exc:
        result.error(None, reader.line_num, None, f"CSV hỏng: {exc}", f"Malformed CSV: {exc}")
    if not result.ok:
        return result
    lines.say_sums()
    changes = lines.changes
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


_FIELD_WORDS = {"value": "giá trị", "numerator": "tử số", "denominator": "mẫu số"}


@dataclass
class _Landed:
    """The first line that gave a cell, and the ethnic groups summed into it (their codes and lines)."""

    line: int
    entry: Entry
    groups: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)


class _Lines:
    """The lines read so far: the reports they name (checked once each), their stored values, what each line
    asks, and the cells reached by more than one minority group's line."""

    def __init__(self, only: Report | None, visible: Any, result: ImportResult) -> None:
        self.only, self.visible, self.result = only, visible, result
        self.reports: dict[int, Report | None] = {}
        self.indicators: dict[int, dict[int, Any]] = {}
        self.stored: dict[int, dict[tuple[int, str, str], Value]] = {}
        self.changes: dict[int, ReportChange] = {}
        self.seen: dict[tuple[int, int, str, str], _Landed] = {}

    def _report(self, row: dict[str, str], line: int) -> Report | None:
        result = self.result
        try:
            report_id = _int(row["report_id"])
        except CellProblem as problem:
            result.error(None, line, "report_id", problem.vi, problem.en)
            return None
        if self.only is not None and report_id != self.only.pk:
            result.error(
                None,
                line,
                "report_id",
                f"dòng này là của báo cáo số {report_id}, không phải số {self.only.pk}.",
                f"this line is for report {report_id}, not {self.only.pk}.",
            )
            return None
        if report_id not in self.reports:
            found = self.visible.filter(pk=report_id).select_related("period__plan", "unit").first()
            self.reports[report_id] = found
            if found is not None:
                self.indicators[report_id] = {
                    line_.indicator_id: line_.indicator for line_ in found.indicator_lines.select_related("indicator")
                }
                self.stored[report_id] = {
                    (v.indicator_id, v.sex, v.combo): v for v in Value.objects.filter(report=found)
                }
        report = self.reports[report_id]
        if report is None:
            result.error(None, line, "report_id", f"không có báo cáo số {report_id}.", f"no report {report_id}.")
        return report

    def _combo(self, row: dict[str, str], line: int, indicator: Any) -> tuple[str, Member | None] | None:
        """The line's combination ("" the total) and its ethnicity as given; None when refused."""
        members: dict[str, Member | None] = {}
        for column, category in COMBO_COLUMNS.items():
            try:
                members[category] = member_of(category, row.get(column))
            except CategoryProblem as problem:
                self.result.error(None, line, column, problem.vi, problem.en)
                return None
        try:
            combo = combo_of(indicator, members)
        except CategoryProblem as problem:
            column = next(c for c, category in COMBO_COLUMNS.items() if category == problem.category)
            self.result.error(None, line, column, problem.vi, problem.en)
            return None
        if combo and indicator.measure == Measure.TEXT:
            self.result.error(
                None,
                line,
                "indicator_id",
                "chỉ tiêu định tính không có số theo nhóm.",
                "a qualitative indicator has no figures by group.",
            )
            return None
        return combo, members[ETHNICITY]

    def read(self, row: dict[str, str], line: int) -> None:
        result = self.result
        report = self._report(row, line)
        if report is None:
            return
        report_id = report.pk
        try:
            indicator_id = _int(row["indicator_id"])
        except CellProblem as problem:
            result.error(None, line, "indicator_id", problem.vi, problem.en)
            return
        indicator = self.indicators[report_id].get(indicator_id)
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
        found = self._combo(row, line, indicator)
        if found is None:
            return
        combo, ethnicity = found
        stored = self.stored[report_id].get((indicator_id, sex, combo))
        entry = Entry(indicator_id, sex, combo=combo)
        ok = True
        for name in ("value", "numerator", "denominator"):
            try:
                setattr(entry, name, unused_kept(indicator, name, _number(row[name]), stored))
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
        group = ethnicity.group if ethnicity is not None else ""
        key = (report_id, indicator_id, sex, combo)
        landed = self.seen.get(key)
        if landed is not None:
            self._sum(landed, entry, group, line, indicator)
            return
        self.seen[key] = _Landed(line, entry, [group] if group else [], [line])
        if report_id not in self.changes:
            fractions = {pk for pk, i in self.indicators[report_id].items() if i.is_fraction}
            self.changes[report_id] = ReportChange(
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
        change = self.changes[report_id]
        change.entries.append(entry)
        change.places[(indicator_id, sex, combo)] = (None, line)

    def _sum(self, landed: _Landed, entry: Entry, group: str, line: int, indicator: Any) -> None:
        """A second line for a cell: a further minority group's figure is added to the cell's ``dtts`` figure;
        anything else is a repeated line."""
        result = self.result
        if not (landed.groups and group) or group in landed.groups:
            result.error(
                None, line, "indicator_id", f"trùng với dòng {landed.line}.", f"duplicates line {landed.line}."
            )
            return
        if indicator.measure == Measure.BOOLEAN:
            result.error(
                None,
                line,
                "ethnicity",
                f"câu trả lời có/không không cộng được theo dân tộc (dòng {landed.line} đã ghi ô này).",
                f"a yes/no answer cannot be summed over ethnic groups (line {landed.line} gave this cell).",
            )
            return
        for name in sorted(used_fields(indicator)):
            have, add = getattr(landed.entry, name), getattr(entry, name)
            if (have is None) != (add is None):
                result.error(
                    None,
                    line,
                    name,
                    f"các dòng {', '.join(map(str, [*landed.lines, line]))} cộng vào cùng một ô (các dân tộc "
                    "thiểu số) nhưng không dòng nào cũng có số ở cột này: tổng sẽ thiếu.",
                    f"lines {', '.join(map(str, [*landed.lines, line]))} are summed into one cell (ethnic "
                    "minorities) but not all of them give this column: the sum would be short.",
                )
                return
            if have is not None:
                setattr(landed.entry, name, have + add)
        for name in ("source", "note"):
            texts = [t for t in (getattr(landed.entry, name), getattr(entry, name)) if t]
            setattr(landed.entry, name, "; ".join(dict.fromkeys("; ".join(texts).split("; "))) if texts else "")
        landed.groups.append(group)
        landed.lines.append(line)

    def say_sums(self) -> None:
        """Each cell that several minority groups' lines were summed into, as a warning: nothing is summed
        silently."""
        for landed in self.seen.values():
            if len(landed.groups) < 2:
                continue
            entry = landed.entry
            # Codes only: the 1979 list and the 2008 one (Quyết định 1019/QĐ-TCTK) give codes 04–54 different
            # names, and the file does not say which its sender used (docs/disaggregation.md).
            groups = ", ".join(landed.groups)
            lines = ", ".join(map(str, landed.lines))
            given = [(name, getattr(entry, name)) for name in _FIELD_WORDS if getattr(entry, name) is not None]
            figures_vi = ", ".join(f"{_FIELD_WORDS[name]} {format_vn_number(n)}" for name, n in given)
            figures_en = ", ".join(f"{name} {n}" for name, n in given)
            self.result.warn(
                None,
                landed.line,
                "ethnicity",
                f"các dòng {lines} (mã dân tộc {groups}) được cộng vào ô “{vi_cell_label(entry.sex, entry.combo)}” của "
                f"chỉ tiêu mã {entry.indicator_id}: {figures_vi}.",
                f"lines {lines} (ethnic group codes {groups}) were summed into the cell "
                f"'{entry.sex}, {entry.combo}' of indicator {entry.indicator_id}: {figures_en}.",
            )
