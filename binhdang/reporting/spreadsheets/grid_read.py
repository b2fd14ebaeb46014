"""Reading the "Phân tổ" sheet back (issue 16): each row's indicator and groups (one column per category, codes
or the words the sheet writes, combo_cells.py), and one part per sex cell. Every problem is listed at its cell,
named as Excel names it ("ô E14"); a row whose groups the indicator does not declare, an unknown ethnicity or age
group, a number in a cell the indicator does not use and a repeated row are refused. The parts then go through
the same checks and the same save as the totals (apply.py), all or nothing."""

from __future__ import annotations

from binhdang.plans.models import Indicator, Measure

from ..checks import Entry
from ..entries import sexes_for
from .cells import CellProblem, is_blank, number_of
from .combo_cells import CategoryProblem, Member, combo_of, member_of
from .layout import (
    CATEGORY_HEADERS,
    GRID_SEXES,
    H_INDICATOR_ID,
    SHEET_GRID,
    SHEET_INDICATORS,
    grid_combos,
    grid_header,
    used_fields,
)
from .meta import Identity
from .parse import IndicatorRow, Parsed, indicator_of, report_of, unused_kept
from .result import ImportResult
from .tables import Row, Table
from .targets import Target

NUMBER_FIELDS = ("value", "numerator", "denominator")


def at_cell(ref: str | None, vi: str, en: str) -> tuple[str, str]:
    """A message that names its cell as Excel does ("ô E14: …"), when the cell is known."""
    return (f"ô {ref}: {vi}", f"cell {ref}: {en}") if ref else (vi, en)


class _Sheet:
    """Errors at the cells of the grid sheet: sheet, row, column header and the cell's name."""

    def __init__(self, table: Table, letters: dict[tuple[str, str], str], result: ImportResult) -> None:
        self.table, self.letters, self.result = table, letters, result
        self.missing: set[str] = set()

    def error(self, row: int, header: str, vi: str, en: str) -> None:
        letter = self.letters.get((SHEET_GRID, header))
        self.result.error(SHEET_GRID, row, header, *at_cell(f"{letter}{row}" if letter else None, vi, en))

    def missing_column(self, row: int, header: str) -> None:
        """A column a row needs is not on the sheet: said once, at the row that first needed it."""
        if header not in self.missing:
            self.missing.add(header)
            self.result.error(
                SHEET_GRID,
                row,
                header,
                f"thiếu cột '{header}' (dòng {row} cần cột này).",
                f"column '{header}' is missing (row {row} needs it).",
            )


def _combo(sheet: _Sheet, row: Row, indicator: Indicator) -> str | None:
    members: dict[str, Member | None] = {}
    ok = True
    for category, header in CATEGORY_HEADERS.items():
        try:
            members[category] = member_of(category, row.cells.get(header))
        except CategoryProblem as problem:
            sheet.error(row.number, header, problem.vi, problem.en)
            ok = False
    if not ok:
        return None
    try:
        combo = combo_of(indicator, members)
    except CategoryProblem as problem:
        header = CATEGORY_HEADERS[problem.category]
        if header not in sheet.table.headers:
            sheet.missing_column(row.number, header)
        else:
            sheet.error(row.number, header, problem.vi, problem.en)
        return None
    if not combo:
        header = next(iter(CATEGORY_HEADERS.values()))
        sheet.error(
            row.number,
            header,
            "dòng không ghi nhóm nào; số tổng của chỉ tiêu ghi ở sheet 'Chỉ tiêu'.",
            "the row names no group; the indicator's total goes on the 'Chỉ tiêu' sheet.",
        )
        return None
    return combo


def _entries(sheet: _Sheet, row: Row, target: Target, indicator: Indicator, combo: str) -> list[Entry] | None:
    """One entry per sex cell of the indicator; None when a cell is refused."""
    sexes = sexes_for(indicator)
    ok = True
    entries: list[Entry] = []
    for sex in GRID_SEXES:
        entry = Entry(indicator.pk, sex, combo=combo) if sex in sexes else None
        stored = target.parts.get((indicator.pk, sex, combo))
        for field in NUMBER_FIELDS:
            header = grid_header(sex, field)
            raw = row.cells.get(header)
            if entry is None:
                if not is_blank(raw):
                    sheet.error(
                        row.number,
                        header,
                        "chỉ tiêu này không chia theo giới tính: chỉ ghi ở cột Tổng.",
                        "this indicator is not broken down by sex: use the Tổng column only.",
                    )
                    ok = False
                continue
            if header not in sheet.table.headers:
                if field in used_fields(indicator):
                    sheet.missing_column(row.number, header)
                    ok = False
                else:  # a column the indicator does not use: what is stored stays
                    setattr(entry, field, getattr(stored, field) if stored is not None else None)
                continue
            try:
                number = number_of(raw, allow_bool=indicator.measure == Measure.BOOLEAN)
                setattr(entry, field, unused_kept(indicator, field, number, stored))
            except CellProblem as problem:
                sheet.error(row.number, header, problem.vi, problem.en)
                ok = False
        if entry is not None:
            entries.append(entry)
    return entries if ok else None


def parse_grid(
    parsed: Parsed, identity: Identity, targets: dict[int, Target], table: Table, result: ImportResult
) -> None:
    """The rows of the "Phân tổ" sheet, as parts (entries with their combination) of their reports."""
    parsed.grid = True
    sheet = _Sheet(table, parsed.letters, result)
    seen: dict[tuple[int, int, str], int] = {}
    for row in table.rows:
        report_id = report_of(row, SHEET_GRID, identity, targets, result)
        if report_id is None:
            continue
        target = targets[report_id]
        indicator = indicator_of(row, SHEET_GRID, target, result)
        if indicator is None:
            continue
        if not grid_combos(indicator):
            sheet.error(
                row.number,
                H_INDICATOR_ID,
                f"chỉ tiêu mã {indicator.pk} không báo cáo theo nhóm (tuổi, dân tộc, khu vực); số của chỉ tiêu "
                "ghi ở sheet 'Chỉ tiêu'.",
                f"indicator {indicator.pk} is not reported by group (age, ethnicity, area); its figures go on "
                "the 'Chỉ tiêu' sheet.",
            )
            continue
        combo = _combo(sheet, row, indicator)
        if combo is None:
            continue
        key = (report_id, indicator.pk, combo)
        if key in seen:
            sheet.error(
                row.number,
                H_INDICATOR_ID,
                f"trùng với dòng {seen[key]} (cùng chỉ tiêu, cùng nhóm).",
                f"duplicates row {seen[key]} (same indicator and group).",
            )
            continue
        seen[key] = row.number
        entries = _entries(sheet, row, target, indicator, combo)
        for entry in entries or []:
            parsed.indicators.append(IndicatorRow(row.number, report_id, entry, sheet=SHEET_GRID))
    _part_notes(parsed, targets)


def _part_notes(parsed: Parsed, targets: dict[int, Target]) -> None:
    """The grid has no source or note column: a part with a figure takes the text its indicator's rows on "Chỉ
    tiêu" agree on (the report page keeps one source and one note per indicator, on every cell with a figure);
    when they agree on none, the part keeps what it has saved. A part emptied in the grid is cleared."""
    texts: dict[tuple[int, int, str], set[str]] = {}
    for item in parsed.indicators:
        if item.sheet == SHEET_INDICATORS:
            for attr in ("source", "note"):
                found = texts.setdefault((item.report_id, item.entry.indicator_id, attr), set())
                if getattr(item.entry, attr):
                    found.add(getattr(item.entry, attr))
    for item in parsed.indicators:
        entry = item.entry
        if item.sheet != SHEET_GRID:
            continue
        stored = targets[item.report_id].parts.get((entry.indicator_id, entry.sex, entry.combo))
        for attr in ("source", "note"):
            agreed = texts.get((item.report_id, entry.indicator_id, attr), set())
            kept = getattr(stored, attr) if stored is not None else ""
            setattr(entry, attr, "" if entry.is_empty else next(iter(agreed)) if len(agreed) == 1 else kept)
