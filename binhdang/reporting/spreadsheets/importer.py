"""Importing one filled workbook, stage by stage, stopping at the first stage that fails: the size and archive
limits, opening it read-only, its identity (meta.py) and the reports it names (targets.py), its sheets, each
data sheet read as a table (tables.py), the rows parsed (parse.py), and the changes applied (apply.py)."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import openpyxl

from binhdang.lib.ziplimits import ZipProblem, megabytes, zip_problem

from ..models import Period, Report
from .apply import apply_parsed
from .grid_read import parse_grid
from .layout import (
    GRID_HEADERS,
    GRID_REQUIRED,
    H_INDICATOR_ID,
    H_REPORT,
    H_SUMMARY,
    H_TASK_ID,
    INDICATOR_HEADERS,
    INDICATOR_REQUIRED,
    MAX_BYTES,
    MAX_ROWS,
    PERIOD_PREFIX,
    SHEET_GRID,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SUMMARY,
    SHEET_TASKS,
    SUMMARY_HEADERS,
    TASK_HEADERS,
    TASK_REQUIRED,
    XLSX_LIMITS,
    grid_combos,
    row_sexes,
)
from .meta import Identity, check_identity, read_identity
from .parse import Parsed, parse
from .result import ImportResult
from .tables import DamagedSheet, Table, merged_ranges, read_table
from .targets import Target, load_targets, target_writable

UNREADABLE = (
    "Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).",
    "The Excel file cannot be read (damaged, or not .xlsx).",
)


def workbook_import(
    *, user: Any, data: bytes, report: Report | None = None, period: Period | None = None
) -> ImportResult:
    """Import a filled workbook: everything or nothing, every problem listed by sheet, row and column.

    With ``report`` (or ``period``) the file must be that report's (that period's) workbook; with neither,
    the file's own identity says what it is for (the command line).
    """
    result = ImportResult()
    if len(data) > MAX_BYTES:
        result.error(None, None, None, "Tệp lớn hơn 5 MB.", "The file is larger than 5 MB.")
        return result
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        problem = zip_problem(archive, XLSX_LIMITS)
    except (zipfile.BadZipFile, OSError, ValueError):
        result.error(None, None, None, "Không phải tệp Excel (.xlsx).", "Not an Excel (.xlsx) file.")
        return result
    if problem is not None:
        result.error(None, None, None, *_too_big(problem))
        return result
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; none of them is ours to pass on
        result.error(None, None, None, *UNREADABLE)
        return result
    try:
        parsed = _read_workbook(wb, archive, user=user, report=report, period=period, result=result)
    except DamagedSheet:
        result.error(None, None, None, *UNREADABLE)
        return result
    finally:
        wb.close()
    if parsed is None or not result.ok:
        return result
    identity, targets, content = parsed
    apply_parsed(identity, targets, content, user=user, result=result)
    return result


def _too_big(problem: ZipProblem) -> tuple[str, str]:
    """The refusal of an archive over a limit, in Vietnamese and English, naming the part."""
    size_vi, size_en = megabytes(problem.size), megabytes(problem.size, ".")
    limit_vi, limit_en = megabytes(problem.limit), megabytes(problem.limit, ".")
    if problem.code == "part":
        return (
            f"Tệp Excel bị từ chối: phần '{problem.name}' giải nén ra {size_vi}, vượt giới hạn {limit_vi} cho "
            "phần này. Hãy mở tệp bằng Excel, lưu lại thành tệp .xlsx mới rồi tải lên lại.",
            f"The Excel file is refused: its part '{problem.name}' unpacks to {size_en}, over the {limit_en} "
            "limit for that part. Open it in Excel, save it as a new .xlsx and upload that.",
        )
    if problem.code == "ratio":
        return (
            f"Tệp Excel bị từ chối: phần '{problem.name}' nén tới {problem.ratio} lần (giới hạn {problem.limit} "
            "lần), dấu hiệu của tệp được tạo ra để làm treo máy chủ.",
            f"The Excel file is refused: its part '{problem.name}' is compressed {problem.ratio} times "
            f"(limit {problem.limit}), the mark of a file made to exhaust the server.",
        )
    if problem.code == "entries":
        return (
            f"Tệp Excel bị từ chối: có {problem.size} phần bên trong (giới hạn {problem.limit}).",
            f"The Excel file is refused: it holds {problem.size} parts (limit {problem.limit}).",
        )
    return (
        f"Tệp Excel quá lớn khi giải nén ({size_vi}, giới hạn {limit_vi}).",
        f"The Excel file unpacks to {size_en}, over the {limit_en} limit.",
    )


def _read_workbook(
    wb: Any,
    archive: zipfile.ZipFile,
    *,
    user: Any,
    report: Report | None,
    period: Period | None,
    result: ImportResult,
) -> tuple[Identity, dict[int, Target], Parsed] | None:
    identity = read_identity(wb)
    if identity is None:
        result.error(
            None,
            None,
            None,
            "Không phải tệp mẫu của Bình Đẳng, hoặc phần nhận dạng ẩn của tệp đã bị sửa. "
            "Hãy tải tệp mẫu mới từ trang báo cáo.",
            "Not a Bình Đẳng workbook, or its hidden identity was changed. Download a new one.",
        )
        return None
    if not check_identity(identity, report, period, result):
        return None
    targets = load_targets(identity, user, result)
    if not result.ok:
        return None
    # One report's file is refused before its sheets are read; a period file's reports are checked once it is
    # known which of them the file changes (apply.py).
    if identity.kind == "report" and not target_writable(next(iter(targets.values())), user, result, several=False):
        return None

    names = list(wb.sheetnames)
    data_sheets = [SHEET_INDICATORS, SHEET_TASKS, SHEET_SUMMARY]
    for name in names:
        if name not in (*data_sheets, SHEET_GRID, SHEET_GUIDE, SHEET_META):
            result.error(
                name,
                None,
                None,
                f"sheet lạ '{name}': tệp mẫu không có sheet này. Hãy chép số liệu vào đúng sheet rồi xóa sheet này.",
                f"unknown sheet '{name}': the template has no such sheet; move its figures and delete it.",
            )
    for name in data_sheets:
        if name not in names:
            result.error(name, None, None, f"thiếu sheet '{name}'.", f"sheet '{name}' is missing.")
    if not result.ok:
        return None

    prefix = PERIOD_PREFIX if identity.kind == "period" else []
    required_prefix = [H_REPORT] if identity.kind == "period" else []
    expected_rows = sum(
        len(t.tasks) + sum(len(row_sexes(i)) + len(grid_combos(i)) for i in t.indicators.values())
        for t in targets.values()
    )
    limit = max(MAX_ROWS, expected_rows + 100)
    tables: dict[str, Table] = {}
    specs = [
        (SHEET_INDICATORS, H_INDICATOR_ID, prefix + INDICATOR_HEADERS, required_prefix + INDICATOR_REQUIRED),
        (SHEET_TASKS, H_TASK_ID, prefix + TASK_HEADERS, required_prefix + TASK_REQUIRED),
        (SHEET_SUMMARY, H_SUMMARY, prefix + SUMMARY_HEADERS, required_prefix + SUMMARY_HEADERS),
    ]
    if SHEET_GRID in names:  # optional: only files with parts have it (issue 16), and not those downloaded before
        specs.append((SHEET_GRID, H_INDICATOR_ID, prefix + GRID_HEADERS, required_prefix + GRID_REQUIRED))
    for name, key, expected, required in specs:
        table = read_table(wb[name], name, key, expected, required, limit, result)
        if table is None:
            return None
        tables[name] = table
        merged = merged_ranges(archive, wb[name]._worksheet_path)
        for ref in merged:
            result.error(
                name,
                None,
                ref,
                f"có ô gộp {ref}; hãy bỏ gộp ô (Merge & Center) rồi tải lên lại.",
                f"merged cells {ref}; unmerge them and upload again.",
            )
    if not result.ok:
        return None
    content = parse(identity, targets, tables, result)
    if SHEET_GRID in tables:
        parse_grid(content, identity, targets, tables[SHEET_GRID], result)
    return identity, targets, content
