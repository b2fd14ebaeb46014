"""The Excel round trip of reports: download a pre-filled workbook, fill it offline, upload it.

The workbook (format ``binhdang.report-xlsx/1``, docs/reporting-csv.md):

- "Hướng dẫn": instructions, who reports what for which period, and the list of task statuses.
- "Chỉ tiêu": one row per indicator × sex: Mã chỉ tiêu | Chỉ tiêu | Giới tính | Giá trị | Tử số | Mẫu số |
  Nguồn số liệu | Ghi chú. The identity columns are locked, the input cells unlocked.
- "Phân tổ" (only when an indicator of the file is reported by age group, ethnicity or area: issue 16): its
  parts, one row per combination (Mã chỉ tiêu | Chỉ tiêu | Nhóm tuổi | Dân tộc | Khu vực), one column per sex
  cell (Tổng | Nữ | Nam, or Tổng: tử số | Tổng: mẫu số | … for rates). Optional on import.
- "Nhiệm vụ": one row per task: Mã nhiệm vụ | Nhiệm vụ | Tình trạng | Kết quả thực hiện | three spending columns.
- "Tóm tắt": the summary of results.
- "_meta" (very hidden): the identity of the file (plan, period, each report with its reporter and version)
  signed with the site's secret, so that a file of another report, another period or an edited identity is
  refused, and a report changed since the download is refused rather than overwritten.

A period workbook (all lower-level committees of a period at once) has the same sheets, one long table each,
with two more columns in front: Mã báo cáo | Đơn vị. One long sheet rather than a sheet per commune: sheet
names are limited to 31 characters, a province has up to a hundred and more communes, and a long table can be
filtered and summed by the people who check it.

The import reads with openpyxl in read-only mode and stops early: a file over 5 MB, an archive that unpacks to
more than 50 MB or has a part over its cap or compressed like a bomb (layout.XLSX_LIMITS, checked on the zip
directory before openpyxl reads a byte), or a sheet with more than 5,000 rows (or more than the file's own
reports need, whichever is larger) is refused before the rest is read. Columns are found by their header, so
moved columns work. Refused: merged cells in a data sheet, formulas (a text cell that starts with "=" is text:
the export writes such notes that way, binhdang/lib/safe_cells.py), text that is not a number in a number cell
(Vietnamese numbers written as text, "1.040" or "45,5", are numbers), unknown or extra sheets (an extra sheet
may hold the figures the user meant to enter, so it is not silently ignored), a file of another report or
period, and a report changed since the download. The same checks as the form apply
(binhdang.reporting.checks); their errors refuse the file, their warnings are listed. Everything is then
written through ``report_save``, in one transaction for the whole workbook: all reports or none.

The package, one module per stage:

- layout.py: the format name, limits, sheet names and column headers; the rows and number columns of an
  indicator.
- write.py: building the report and period workbooks; style.py: the look they share.
- grid_write.py, grid_read.py: the "Phân tổ" sheet, written and read back; combo_cells.py: a combination read
  from its category cells (also used for CSV).
- meta.py: the signed identity sheet: writing, reading and verifying it, and matching it to the page.
- cells.py: reading one cell (numbers, text, ids, sexes, statuses).
- tables.py: reading one data sheet as a table (headers, formulas, the row limit, merged cells).
- targets.py: the reports a file names and whether each may still be written.
- parse.py: the rows of the tables, checked against their reports.
- apply.py: the form's checks and the save through ``report_save``, all or nothing (also used for CSV).
- importer.py: ``workbook_import``, the stages above in order.
- result.py: the result of an import, its located errors and warnings in Vietnamese and English.
"""

from __future__ import annotations

from .apply import ReportChange, apply_changes, check_changes, issue_place
from .cells import (
    CellProblem,
    id_of,
    limit_digits,
    number_of,
    sex_of,
    status_labels,
    status_of,
    stored_text,
    text_of,
)
from .importer import workbook_import
from .layout import (
    AMOUNT_DIGITS,
    FIELD_HEADERS,
    FORMAT,
    H_CENTRAL,
    H_DENOMINATOR,
    H_INDICATOR,
    H_INDICATOR_ID,
    H_LOCAL,
    H_NARRATIVE,
    H_NOTE,
    H_NUMERATOR,
    H_OTHER,
    H_REPORT,
    H_SEX,
    H_SOURCE,
    H_STATUS,
    H_SUMMARY,
    H_TASK,
    H_TASK_ID,
    H_UNIT,
    H_VALUE,
    HEADER_SEARCH_ROWS,
    INDICATOR_HEADERS,
    INDICATOR_REQUIRED,
    MAX_BYTES,
    MAX_ERRORS,
    MAX_ROWS,
    MAX_UNCOMPRESSED,
    PERIOD_PREFIX,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SUMMARY,
    SHEET_TASKS,
    SOURCE_MAX,
    SPENDING_COLUMNS,
    SUMMARY_HEADERS,
    TASK_HEADERS,
    TASK_REQUIRED,
    VALUE_DIGITS,
    row_sexes,
    used_fields,
)
from .meta import Identity, ReportStamp
from .parse import unused_kept
from .result import ImportResult, SheetError, issue_english, iter_errors, rule_error
from .tables import headers_by_col
from .write import period_reports, period_workbook, period_workbook_allowed, report_workbook

__all__ = [
    "AMOUNT_DIGITS",
    "FIELD_HEADERS",
    "FORMAT",
    "HEADER_SEARCH_ROWS",
    "H_CENTRAL",
    "H_DENOMINATOR",
    "H_INDICATOR",
    "H_INDICATOR_ID",
    "H_LOCAL",
    "H_NARRATIVE",
    "H_NOTE",
    "H_NUMERATOR",
    "H_OTHER",
    "H_REPORT",
    "H_SEX",
    "H_SOURCE",
    "H_STATUS",
    "H_SUMMARY",
    "H_TASK",
    "H_TASK_ID",
    "H_UNIT",
    "H_VALUE",
    "INDICATOR_HEADERS",
    "INDICATOR_REQUIRED",
    "MAX_BYTES",
    "MAX_ERRORS",
    "MAX_ROWS",
    "MAX_UNCOMPRESSED",
    "PERIOD_PREFIX",
    "SHEET_GUIDE",
    "SHEET_INDICATORS",
    "SHEET_META",
    "SHEET_SUMMARY",
    "SHEET_TASKS",
    "SOURCE_MAX",
    "SPENDING_COLUMNS",
    "SUMMARY_HEADERS",
    "TASK_HEADERS",
    "TASK_REQUIRED",
    "VALUE_DIGITS",
    "CellProblem",
    "Identity",
    "ImportResult",
    "ReportChange",
    "ReportStamp",
    "SheetError",
    "apply_changes",
    "check_changes",
    "headers_by_col",
    "id_of",
    "issue_english",
    "issue_place",
    "iter_errors",
    "limit_digits",
    "number_of",
    "period_reports",
    "period_workbook",
    "period_workbook_allowed",
    "report_workbook",
    "row_sexes",
    "rule_error",
    "sex_of",
    "status_labels",
    "status_of",
    "stored_text",
    "text_of",
    "unused_kept",
    "used_fields",
    "workbook_import",
]
