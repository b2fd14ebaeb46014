"""Applying what a file asks: one change per report, the form's checks on what each report will hold (their
problems pointed at the file's cells), and everything saved through ``report_save`` in one transaction, all
reports or none. The CSV import (binhdang.reporting.csv_import) writes through here too."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from django.db import transaction

from ..checks import Entry
from ..entries import check_report_entries, report_entries, sexes_for
from ..errors import InvalidValues, Issue, ReportingError
from ..models import Progress, Report, Spending, TaskStatus, Value
from ..services import ProgressInput, SpendingInput, report_save
from .combo_cells import vi_cell_label
from .grid_read import at_cell
from .layout import (
    FIELD_HEADERS,
    GRID_SEXES,
    H_STATUS,
    SHEET_GRID,
    SHEET_INDICATORS,
    SHEET_TASKS,
    grid_combos,
    grid_header,
    row_sexes,
)
from .meta import Identity
from .parse import Parsed
from .result import ImportResult, issue_english, rule_error
from .targets import Target, target_writable


@dataclass
class ReportChange:
    """What a file asks of one report, with where each entry came from for error messages."""

    report: Report
    version: int
    entries: list[Entry]
    progress: list[ProgressInput]
    spending: list[SpendingInput]
    summary: str | None
    # (indicator, sex, combo) -> (sheet, row), combo "" for a total; "task:<id>" -> (sheet, row)
    places: dict[Any, tuple[str | None, int]]
    columns: dict[str, str] = field(default_factory=lambda: dict(FIELD_HEADERS))
    # Indicators entered as numerator and denominator: a rate's problems point at the numerator.
    fractions: set[int] = field(default_factory=set)
    # (sheet, column header) -> column letter: the errors about parts name their cell ("ô E14").
    letters: dict[tuple[str, str], str] = field(default_factory=dict)


def _changed(change: ReportChange) -> bool:
    """Whether saving would change anything: untouched reports of a period file are left alone."""
    report = change.report
    existing = {(v.indicator_id, v.sex, v.combo): v for v in Value.objects.filter(report=report)}
    for entry in change.entries:
        current = existing.get((entry.indicator_id, entry.sex, entry.combo))
        if current is None:
            if not entry.is_empty or entry.source or entry.note:
                return True
            continue
        for attr in ("value", "numerator", "denominator"):
            if getattr(current, attr) != getattr(entry, attr):
                return True
        if (current.source or "") != entry.source or (current.note or "") != entry.note:
            return True
    progress = {p.task_id: p for p in Progress.objects.filter(report=report)}
    for item in change.progress:
        have = progress.get(item.task_id)
        if have is None or have.status != item.status or have.narrative != item.narrative:
            return True
    spent = {(s.task_id, s.source): s.amount for s in Spending.objects.filter(report=report)}
    for spend in change.spending:
        if spent.get((spend.task_id, spend.source)) != spend.amount:
            return True
    return change.summary is not None and change.summary != report.summary


def issue_place(
    change: ReportChange, issue: Issue, default_sheet: str | None
) -> tuple[str | None, int | None, str | None]:
    """Where in the file a checks issue points: the entry's row and the field's column. A part's issue
    ("indicator:<id>:<sex>:<field>:<combo>") points at its row of the "Phân tổ" sheet and its sex's column."""
    parts = issue.where.split(":")
    if parts[0] == "indicator" and len(parts) >= 3:
        sex, combo = parts[2], parts[4] if len(parts) > 4 else ""
        place = change.places.get((int(parts[1]), sex, combo))
        name = parts[3] if len(parts) > 3 else ""
        if name == "value" and int(parts[1]) in change.fractions:
            name = "numerator"
        column = change.columns.get(name)
        if place is not None and place[0] == SHEET_GRID and sex in GRID_SEXES and name in FIELD_HEADERS:
            column = grid_header(sex, name) if name in ("value", "numerator", "denominator") else None
        if place is not None:
            return place[0], place[1], column
        return default_sheet, None, column
    if parts[0] in ("task", "spending") and len(parts) >= 2 and parts[1].isdigit():
        place = change.places.get(f"task:{parts[1]}")
        if place is not None:
            return place[0], place[1], None
    return default_sheet, None, None


def _issue_text(change: ReportChange, issue: Issue, several: bool, located: bool) -> tuple[str, str]:
    vi, en = issue.message, issue_english(issue)
    if not located and issue.where.startswith("indicator:"):
        parts = issue.where.split(":")
        vi = f"chỉ tiêu mã {parts[1]} ({parts[2] if len(parts) > 2 else ''}): {vi}"
        en = f"indicator {parts[1]} ({parts[2] if len(parts) > 2 else ''}): {en}"
    if several:
        vi = f"báo cáo số {change.report.pk}: {vi}"
        en = f"report {change.report.pk}: {en}"
    return vi, en


def _located(
    change: ReportChange, issue: Issue, sheet: str | None, several: bool
) -> tuple[str | None, int | None, str | None, str, str]:
    """A checks issue as the arguments of ``ImportResult.error`` or ``warn``: its place, then its text."""
    where_sheet, row, column = issue_place(change, issue, sheet)
    vi, en = _issue_text(change, issue, several, row is not None)
    if where_sheet is not None and row is not None and column is not None and _about_parts(issue):
        letter = change.letters.get((where_sheet, column))
        vi, en = at_cell(f"{letter}{row}" if letter else None, vi, en)
    return where_sheet, row, column, vi, en


# The checks of parts against their totals (checks.check_combos, check_combo_declared): their errors name the
# cell ("ô E14"), on either sheet. The older checks keep the messages they had.
_PART_CODES = {"combo_undeclared", "part_over_total", "parts_sum", "parts_over_total"}


def _about_parts(issue: Issue) -> bool:
    return issue.code in _PART_CODES or issue.where.count(":") >= 4


def check_changes(changes: list[ReportChange], result: ImportResult, sheet: str | None, several: bool) -> None:
    """The form's checks on what each report will hold: errors refuse the file, warnings are listed."""
    for change in changes:
        final = {(e.indicator_id, e.sex, e.combo): e for e in report_entries(change.report)}
        final.update({(e.indicator_id, e.sex, e.combo): e for e in change.entries})
        for issue in check_report_entries(change.report, list(final.values())):
            (result.error if issue.level == "error" else result.warn)(*_located(change, issue, sheet, several))


class _Rollback(Exception):
    pass


def apply_changes(changes: list[ReportChange], *, user: Any, result: ImportResult, several: bool) -> None:
    """Save every changed report through ``report_save`` in one transaction; any refusal rolls all back."""
    to_save = [c for c in changes if _changed(c)]
    result.unchanged = [c.report for c in changes if c not in to_save]
    saved: list[Report] = []
    try:
        with transaction.atomic():
            for change in to_save:
                try:
                    saved.append(
                        report_save(
                            report=change.report,
                            user=user,
                            version=change.version,
                            entries=change.entries,
                            progress=change.progress,
                            spending=change.spending,
                            summary=change.summary,
                        )
                    )
                except InvalidValues as exc:
                    for issue in exc.issues:
                        result.error(*_located(change, issue, None, several))
                except ReportingError as exc:
                    result.error(None, None, None, *rule_error(exc, change.report if several else None))
            if not result.ok:
                raise _Rollback
    except _Rollback:
        return
    result.saved = saved


def _missing_rows(targets: dict[int, Target], content: Parsed, result: ImportResult, several: bool) -> None:
    """A row deleted from the file leaves its saved figures as they are: said as a warning. A file without the
    "Phân tổ" sheet (downloaded before it existed) keeps every part, said once."""
    missing: dict[int, set[tuple[int, str, str]]] = {
        pk: {(i.pk, sex, "") for i in t.indicators.values() for sex in row_sexes(i)} for pk, t in targets.items()
    }
    if content.grid:
        for pk, target in targets.items():
            missing[pk] |= {
                (i.pk, sex, combo)
                for i in target.indicators.values()
                for combo in grid_combos(i)
                for sex in sexes_for(i)
            }
    elif any(grid_combos(i) for t in targets.values() for i in t.indicators.values()):
        result.warn(
            SHEET_GRID,
            None,
            None,
            f"tệp không có sheet '{SHEET_GRID}'; số theo nhóm (tuổi, dân tộc, khu vực) hiện có được giữ nguyên.",
            f"the file has no '{SHEET_GRID}' sheet; the figures by group (age, ethnicity, area) are kept as they are.",
        )
    for item in content.indicators:
        missing[item.report_id].discard((item.entry.indicator_id, item.entry.sex, item.entry.combo))
    for report_id, keys in missing.items():
        prefix_vi = f"báo cáo số {report_id}: " if several else ""
        prefix_en = f"report {report_id}: " if several else ""
        for indicator_id, sex, combo in sorted(keys):
            if combo:
                words = vi_cell_label(sex, combo)
                result.warn(
                    SHEET_GRID,
                    None,
                    None,
                    f"{prefix_vi}thiếu dòng của chỉ tiêu mã {indicator_id} ({words}); số liệu hiện có được giữ nguyên.",
                    f"{prefix_en}no row for indicator {indicator_id} ({sex}, {combo}); its current figures are kept.",
                )
                continue
            result.warn(
                SHEET_INDICATORS,
                None,
                None,
                f"{prefix_vi}thiếu dòng của chỉ tiêu mã {indicator_id} ({sex}); số liệu hiện có được giữ nguyên.",
                f"{prefix_en}no row for indicator {indicator_id} ({sex}); its current figures are kept.",
            )


def apply_parsed(
    identity: Identity, targets: dict[int, Target], content: Parsed, *, user: Any, result: ImportResult
) -> None:
    """Apply a parsed workbook: build each report's change, check it, and save all reports or none."""
    several = identity.kind == "period"
    changes: dict[int, ReportChange] = {}
    for report_id, target in targets.items():
        fractions = {pk for pk, i in target.indicators.items() if i.is_fraction}
        changes[report_id] = ReportChange(
            target.report,
            target.stamp.version,
            [],
            [],
            [],
            None,
            {},
            fractions=fractions,
            letters=content.letters,
        )
    _missing_rows(targets, content, result, several)
    for item in content.indicators:
        change = changes[item.report_id]
        change.entries.append(item.entry)
        change.places[(item.entry.indicator_id, item.entry.sex, item.entry.combo)] = (item.sheet, item.row)
    for task_row in content.tasks:
        change = changes[task_row.report_id]
        change.places[f"task:{task_row.task_id}"] = (SHEET_TASKS, task_row.row)
        had_progress = task_row.task_id in targets[task_row.report_id].progress
        untouched = task_row.status == TaskStatus.NOT_STARTED and not task_row.narrative and not had_progress
        if task_row.status is not None and not untouched:
            # Like the form: a task left "not started" with nothing written is kept out of the trail.
            change.progress.append(ProgressInput(task_row.task_id, task_row.status, task_row.narrative))
        elif task_row.status is None and had_progress:
            result.error(
                SHEET_TASKS,
                task_row.row,
                H_STATUS,
                "hãy chọn tình trạng của nhiệm vụ (đã có trước đây).",
                "choose the task's status (it had one).",
            )
        for source, amount in task_row.amounts.items():
            change.spending.append(SpendingInput(task_row.task_id, source, amount))
    for report_id, (_row, text) in content.summaries.items():
        changes[report_id].summary = text
    if not result.ok:
        return
    ordered = list(changes.values())
    # A period file leaves reports it does not change alone, so their state and version do not matter.
    active = [c for c in ordered if _changed(c)] if several else ordered
    if several:
        # A report workbook's one report was checked before its sheets were read (importer.py).
        for change in active:
            target_writable(targets[change.report.pk], user, result, several=True)
    if not result.ok:
        return
    check_changes(active, result, SHEET_INDICATORS, several)
    if not result.ok:
        return
    apply_changes(ordered, user=user, result=result, several=several)
