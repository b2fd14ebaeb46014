"""The Excel round trip of reports: download a pre-filled workbook, fill it offline, upload it.

The workbook (format ``binhdang.report-xlsx/1``, docs/reporting-csv.md):

- "Hướng dẫn": instructions, who reports what for which period, and the list of task statuses.
- "Chỉ tiêu": one row per indicator × sex: Mã chỉ tiêu | Chỉ tiêu | Giới tính | Giá trị | Tử số | Mẫu số |
  Nguồn số liệu | Ghi chú. The identity columns are locked, the input cells unlocked.
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
more than 50 MB, or a sheet with more than 5,000 rows (or more than the file's own reports need, whichever is
larger) is refused before the rest is read. Columns are found by their header, so moved columns work. Refused:
merged cells in a data sheet, formulas, text that is not a number in a number cell (Vietnamese numbers written
as text, "1.040" or "45,5", are numbers), unknown or extra sheets (an extra sheet may hold the figures the
user meant to enter, so it is not silently ignored), a file of another report or period, and a report changed
since the download. The same checks as the form apply (binhdang.reporting.checks); their errors refuse the
file, their warnings are listed. Everything is then written through ``report_save``, in one transaction for
the whole workbook: all reports or none.
"""

from __future__ import annotations

import datetime as dt
import io
import math
import re
import unicodedata
import zipfile
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import openpyxl
from django.conf import settings
from django.db import transaction
from django.utils import timezone, translation
from django.utils.crypto import constant_time_compare, salted_hmac
from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from binhdang.lib.numbers import format_vn_number, parse_vn_number
from binhdang.places.selectors import user_agency
from binhdang.plans.models import FundingSource, Indicator, Measure, Task
from binhdang.plans.selectors import plan_can_edit

from .checks import Entry
from .errors import (
    InvalidValues,
    Issue,
    NotAllowed,
    PeriodClosed,
    ReportAlreadyAccepted,
    ReportingError,
    ReportNotEditable,
    StaleReport,
    WrongState,
)
from .models import Period, Progress, Report, Sex, Spending, TaskStatus, Value
from .selectors import acceptor_of
from .services import (
    ProgressInput,
    SpendingInput,
    check_report_entries,
    report_assert_editable,
    report_save,
    sexes_for,
)

FORMAT = "binhdang.report-xlsx/1"
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
MAX_ROWS = 5000
MAX_ERRORS = 200
HEADER_SEARCH_ROWS = 10

SHEET_GUIDE = "Hướng dẫn"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_TASKS = "Nhiệm vụ"
SHEET_SUMMARY = "Tóm tắt"
SHEET_META = "_meta"

H_REPORT = "Mã báo cáo"
H_UNIT = "Đơn vị"
H_INDICATOR_ID = "Mã chỉ tiêu"
H_INDICATOR = "Chỉ tiêu"
H_SEX = "Giới tính"
H_VALUE = "Giá trị"
H_NUMERATOR = "Tử số"
H_DENOMINATOR = "Mẫu số"
H_SOURCE = "Nguồn số liệu"
H_NOTE = "Ghi chú"
H_TASK_ID = "Mã nhiệm vụ"
H_TASK = "Nhiệm vụ"
H_STATUS = "Tình trạng"
H_NARRATIVE = "Kết quả thực hiện"
H_CENTRAL = "Chi NS trung ương (triệu đồng)"
H_LOCAL = "Chi NS địa phương (triệu đồng)"
H_OTHER = "Chi nguồn khác (triệu đồng)"
H_SUMMARY = "Tóm tắt kết quả"

INDICATOR_HEADERS = [H_INDICATOR_ID, H_INDICATOR, H_SEX, H_VALUE, H_NUMERATOR, H_DENOMINATOR, H_SOURCE, H_NOTE]
TASK_HEADERS = [H_TASK_ID, H_TASK, H_STATUS, H_NARRATIVE, H_CENTRAL, H_LOCAL, H_OTHER]
SUMMARY_HEADERS = [H_SUMMARY]
PERIOD_PREFIX = [H_REPORT, H_UNIT]
# Headers the import needs; the descriptive ones (Chỉ tiêu, Nhiệm vụ, Đơn vị) may be deleted.
INDICATOR_REQUIRED = [H_INDICATOR_ID, H_SEX, H_VALUE, H_NUMERATOR, H_DENOMINATOR, H_SOURCE, H_NOTE]
TASK_REQUIRED = [H_TASK_ID, H_STATUS, H_NARRATIVE, H_CENTRAL, H_LOCAL, H_OTHER]
SPENDING_COLUMNS = {H_CENTRAL: FundingSource.CENTRAL, H_LOCAL: FundingSource.LOCAL, H_OTHER: FundingSource.OTHER}
FIELD_HEADERS = {
    "value": H_VALUE,
    "numerator": H_NUMERATOR,
    "denominator": H_DENOMINATOR,
    "note": H_NOTE,
    "source": H_SOURCE,
}
FRACTIONS = (Measure.PERCENTAGE, Measure.RATE, Measure.RATIO)
# Value and Spending column sizes: (decimal places, digits before the point).
VALUE_DIGITS = (4, 16)
AMOUNT_DIGITS = (3, 13)
SOURCE_MAX = 255
_SALT = "binhdang.reporting.spreadsheets"


# --- errors and the result ------------------------------------------------------------------------------------


@dataclass(frozen=True)
class SheetError:
    """One problem of an uploaded file, where it is (sheet, row, column header) and what it is.

    ``message`` is Vietnamese (the web pages), ``message_en`` English (the command line). A CSV file has no
    sheet: its row is the line number and its column the CSV header.
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    message_en: str = ""

    def location(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"Sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def location_en(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'row' if self.sheet is not None else 'line'} {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def english(self) -> str:
        where = self.location_en()
        text = self.message_en or self.message
        return f"{where}: {text}" if where else text


@dataclass
class ImportResult:
    errors: list[SheetError] = field(default_factory=list)
    warnings: list[SheetError] = field(default_factory=list)
    saved: list[Report] = field(default_factory=list)
    unchanged: list[Report] = field(default_factory=list)
    # Data rows looked at, all sheets together: how far the reader went before it stopped.
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet: str | None, row: int | None, column: str | None, vi: str, en: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(SheetError(sheet, row, column, vi, en))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(
                SheetError(
                    None,
                    None,
                    None,
                    "Còn nhiều lỗi khác; hãy sửa các lỗi trên rồi tải lên lại.",
                    "More errors follow; fix the ones above and upload again.",
                )
            )

    def warn(self, sheet: str | None, row: int | None, column: str | None, vi: str, en: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(SheetError(sheet, row, column, vi, en))


def _shown(value: Any) -> str:
    text = str(value)
    return repr(text if len(text) <= 40 else text[:40] + "…")


_RULE_EN: dict[type[ReportingError], str] = {
    PeriodClosed: "The reporting period is closed; no data is accepted.",
    ReportAlreadyAccepted: "The report has been accepted; its figures are locked.",
    ReportNotEditable: "The report has been submitted and awaits review; it cannot be changed.",
    NotAllowed: "You may not change this report.",
    WrongState: "The report is not in a state that allows this.",
    StaleReport: "The report was changed by someone else; download the file again.",
}

# The checks speak Vietnamese only (binhdang.reporting.checks); the command line gets these instead.
_ISSUE_EN = {
    "Không được là số âm.": "must not be negative.",
    "Thiếu mẫu số.": "the denominator is missing.",
    "Mẫu số bằng 0 nên không tính được tỷ lệ.": "the denominator is 0, so no rate can be computed.",
    "Tử số lớn hơn mẫu số (bộ phận lớn hơn tổng thể).": "the numerator is larger than the denominator.",
    "Tỷ lệ phần trăm không được vượt quá 100.": "a percentage cannot exceed 100.",
    "Chỉ nhận 1 (có) hoặc 0 (không).": "only 1 (yes) or 0 (no) is accepted.",
    "Lớn hơn số tổng.": "larger than the total.",
}
_ISSUE_EN_PREFIX = {
    "Khác xa kỳ trước": "far from the previous period; add a note explaining why.",
    "Nữ cộng nam": "female plus male does not equal the total.",
}


def issue_english(message: str) -> str:
    if message in _ISSUE_EN:
        return _ISSUE_EN[message]
    for prefix, english in _ISSUE_EN_PREFIX.items():
        if message.startswith(prefix):
            return english
    return message


def rule_error(exc: ReportingError, report: Report | None = None) -> tuple[str, str]:
    """A named rule violation as (Vietnamese, English) text, naming the report in a multi-report file."""
    vi, en = str(exc.message), _RULE_EN.get(type(exc), "The report cannot be changed.")
    if report is not None:
        vi = f"Báo cáo số {report.pk} ({report.unit.name}): {vi}"
        en = f"Report {report.pk} ({report.unit.name}): {en}"
    return vi, en


# --- reading cell values --------------------------------------------------------------------------------------


class CellProblem(Exception):
    def __init__(self, vi: str, en: str) -> None:
        super().__init__(vi)
        self.vi, self.en = vi, en


def _limit_digits(number: Decimal, raw: Any, digits: tuple[int, int]) -> Decimal:
    places, whole = digits
    if not number.is_finite():
        raise CellProblem(f"không phải số ({_shown(raw)})", f"not a number ({_shown(raw)})")
    if abs(number) >= Decimal(10) ** whole:
        raise CellProblem(f"số quá lớn ({_shown(raw)})", f"number too large ({_shown(raw)})")
    exponent = number.as_tuple().exponent
    if isinstance(exponent, int) and exponent < -places:
        raise CellProblem(
            f"quá {places} chữ số sau dấu phẩy ({_shown(raw)})", f"more than {places} decimals ({_shown(raw)})"
        )
    return number


def number_of(raw: Any, digits: tuple[int, int] = VALUE_DIGITS, *, allow_bool: bool = False) -> Decimal | None:
    """A number cell: empty is None; numbers and Vietnamese numbers written as text are numbers.

    Floats come from Excel's binary storage: 12.3 may arrive as 12.299999999999999. A float within a
    billionth of a number with the allowed decimals is that number; anything finer is refused, not rounded.
    """
    if raw is None:
        return None
    if isinstance(raw, bool):
        if allow_bool:
            return Decimal(int(raw))
        raise CellProblem(f"không phải số ({_shown(raw)})", f"not a number ({_shown(raw)})")
    if isinstance(raw, int):
        return _limit_digits(Decimal(raw), raw, digits)
    if isinstance(raw, float):
        if not math.isfinite(raw):
            raise CellProblem(f"không phải số ({_shown(raw)})", f"not a number ({_shown(raw)})")
        if abs(raw) >= 10.0 ** digits[1]:
            raise CellProblem(f"số quá lớn ({_shown(raw)})", f"number too large ({_shown(raw)})")
        if raw.is_integer():
            return _limit_digits(Decimal(int(raw)), raw, digits)
        number = Decimal(repr(raw))
        rounded = round(number, digits[0])
        if rounded != number and abs(float(rounded) - raw) <= 1e-9 * max(1.0, abs(raw)):
            number = rounded.normalize()
        return _limit_digits(number, raw, digits)
    if isinstance(raw, Decimal):
        return _limit_digits(raw, raw, digits)
    if isinstance(raw, dt.date | dt.time | dt.timedelta):
        raise CellProblem(
            f"là ngày giờ, không phải số ({_shown(raw)})", f"a date or time, not a number ({_shown(raw)})"
        )
    if isinstance(raw, str):
        text = raw.strip().replace("\u00a0", "")
        if not text:
            return None
        try:
            number = parse_vn_number(text)
        except ValueError:
            hint_vi = ""
            hint_en = ""
            if re.fullmatch(r"[+-]?\d+\.\d{1,2}|[+-]?\d+\.\d{4,}", text):
                hint_vi = "; viết số thập phân với dấu phẩy, ví dụ 45,5"
                hint_en = "; write decimals with a comma, e.g. 45,5"
            raise CellProblem(
                f"không phải số ({_shown(raw)}){hint_vi}", f"not a number ({_shown(raw)}){hint_en}"
            ) from None
        return _limit_digits(number, raw, digits)
    raise CellProblem(f"không phải số ({_shown(raw)})", f"not a number ({_shown(raw)})")


def text_of(raw: Any, max_length: int | None = None) -> str:
    if raw is None:
        return ""
    if isinstance(raw, bool):
        text = "1" if raw else "0"
    elif isinstance(raw, float) and raw.is_integer():
        text = str(int(raw))
    elif isinstance(raw, dt.datetime):
        text = raw.strftime("%d/%m/%Y %H:%M") if (raw.hour, raw.minute) != (0, 0) else raw.strftime("%d/%m/%Y")
    elif isinstance(raw, dt.date):
        text = raw.strftime("%d/%m/%Y")
    else:
        text = str(raw)
    text = unicodedata.normalize("NFC", text).strip()
    if max_length is not None and len(text) > max_length:
        raise CellProblem(f"dài quá {max_length} ký tự", f"longer than {max_length} characters")
    return text


def id_of(raw: Any) -> int | None:
    if raw is None or (isinstance(raw, str) and not raw.strip()):
        return None
    if isinstance(raw, bool):
        raise CellProblem(f"mã không hợp lệ ({_shown(raw)})", f"invalid id ({_shown(raw)})")
    if isinstance(raw, int):
        return raw
    if isinstance(raw, float) and raw.is_integer():
        return int(raw)
    if isinstance(raw, str) and raw.strip().isdigit():
        return int(raw.strip())
    raise CellProblem(f"mã không hợp lệ ({_shown(raw)})", f"invalid id ({_shown(raw)})")


def _key(text: str) -> str:
    return " ".join(unicodedata.normalize("NFC", text).casefold().split())


def sex_of(raw: Any) -> str | None:
    text = text_of(raw)
    if not text:
        return None
    with translation.override("vi"):
        labels = {_key(str(label)): value for value, label in Sex.choices}
    labels.update({_key(value): value for value in Sex.values})
    labels.update({"female": Sex.FEMALE, "male": Sex.MALE, "total": Sex.TOTAL})
    sex = labels.get(_key(text))
    if sex is None:
        raise CellProblem(
            f"giới tính không hợp lệ ({_shown(raw)}); chỉ nhận Tổng, Nữ, Nam",
            f"invalid sex ({_shown(raw)}); expected Tổng, Nữ or Nam",
        )
    return sex


def status_labels() -> list[str]:
    with translation.override("vi"):
        return [str(label) for _value, label in TaskStatus.choices]


def status_of(raw: Any) -> str | None:
    text = text_of(raw)
    if not text:
        return None
    with translation.override("vi"):
        labels = {_key(str(label)): value for value, label in TaskStatus.choices}
    labels.update({_key(value): value for value in TaskStatus.values})
    status = labels.get(_key(text))
    if status is None:
        allowed = ", ".join(status_labels())
        raise CellProblem(
            f"tình trạng không hợp lệ ({_shown(raw)}); chọn một trong: {allowed}",
            f"invalid status ({_shown(raw)}); choose one of: {allowed}",
        )
    return status


# --- the identity of a file -----------------------------------------------------------------------------------


@dataclass(frozen=True)
class ReportStamp:
    report_id: int
    reporter_id: int
    version: int


@dataclass(frozen=True)
class Identity:
    kind: str  # "report" | "period"
    plan_id: int
    period_id: int
    reports: tuple[ReportStamp, ...]


def _meta_rows(identity: Identity) -> list[list[str]]:
    rows = [
        ["format", FORMAT],
        ["kind", identity.kind],
        ["plan", str(identity.plan_id)],
        ["period", str(identity.period_id)],
    ]
    rows += [["report", str(s.report_id), str(s.reporter_id), str(s.version)] for s in identity.reports]
    return rows


def _checksum(rows: Sequence[Sequence[str]], secret: str | None = None) -> str:
    canonical = "\n".join("\t".join(row) for row in rows)
    return salted_hmac(_SALT, canonical, secret=secret, algorithm="sha256").hexdigest()


def _identity_from_rows(rows: list[list[str]]) -> Identity | None:
    """The identity if the meta rows are well formed and signed by this site; otherwise None."""
    if not rows or rows[-1][:1] != ["checksum"] or len(rows[-1]) < 2:
        return None
    body, signature = rows[:-1], rows[-1][1]
    # Files signed before a key rotation stay valid while the old key is listed in SECRET_KEY_FALLBACKS.
    keys = [settings.SECRET_KEY, *getattr(settings, "SECRET_KEY_FALLBACKS", [])]
    if not any(constant_time_compare(_checksum(body, key), signature) for key in keys):
        return None
    values: dict[str, str] = {}
    stamps = []
    try:
        for row in body:
            if row[0] == "report":
                stamps.append(ReportStamp(int(row[1]), int(row[2]), int(row[3])))
            else:
                values[row[0]] = row[1]
        if values.get("format") != FORMAT or values.get("kind") not in ("report", "period"):
            return None
        return Identity(values["kind"], int(values["plan"]), int(values["period"]), tuple(stamps))
    except (IndexError, KeyError, ValueError):
        return None


# --- writing --------------------------------------------------------------------------------------------------

_HEADER_FONT = Font(bold=True, color="FFFFFF")
_HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
_LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
_INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
_UNLOCKED = Protection(locked=False)
_WRAP = Alignment(wrap_text=True, vertical="top")


@dataclass
class _ReportData:
    report: Report
    indicators: list[Indicator]
    tasks: list[Task]
    values: dict[tuple[int, str], Value]
    progress: dict[int, Progress]
    spending: dict[tuple[int, str], Decimal]


def _load(reports: Sequence[Report]) -> list[_ReportData]:
    ids = [r.pk for r in reports]
    indicators: dict[int, list[Indicator]] = {pk: [] for pk in ids}
    tasks: dict[int, list[Task]] = {pk: [] for pk in ids}
    from .models import ReportIndicator, ReportTask

    for line in (
        ReportIndicator.objects.filter(report_id__in=ids)
        .select_related("indicator")
        .order_by("indicator__order", "indicator_id")
    ):
        indicators[line.report_id].append(line.indicator)
    for task_line in (
        ReportTask.objects.filter(report_id__in=ids).select_related("task").order_by("task__order", "task_id")
    ):
        tasks[task_line.report_id].append(task_line.task)
    values: dict[int, dict[tuple[int, str], Value]] = {pk: {} for pk in ids}
    for value in Value.objects.filter(report_id__in=ids):
        values[value.report_id][(value.indicator_id, value.sex)] = value
    progress: dict[int, dict[int, Progress]] = {pk: {} for pk in ids}
    for item in Progress.objects.filter(report_id__in=ids):
        progress[item.report_id][item.task_id] = item
    spending: dict[int, dict[tuple[int, str], Decimal]] = {pk: {} for pk in ids}
    for spent in Spending.objects.filter(report_id__in=ids, task__isnull=False):
        spending[spent.report_id][(spent.task_id or 0, spent.source)] = spent.amount
    return [
        _ReportData(r, indicators[r.pk], tasks[r.pk], values[r.pk], progress[r.pk], spending[r.pk]) for r in reports
    ]


def used_fields(indicator: Indicator) -> set[str]:
    """The number fields the form offers for an indicator: numerator and denominator for rates, the value for
    the others, none for a qualitative one. The other columns may only carry what is stored, unchanged."""
    if indicator.measure == Measure.TEXT:
        return set()
    if indicator.measure in FRACTIONS:
        return {"numerator", "denominator"}
    return {"value"}


def row_sexes(indicator: Indicator) -> list[str]:
    """The rows of an indicator, as the form's cells: a qualitative indicator is one answer, not one per sex."""
    return [Sex.TOTAL] if indicator.measure == Measure.TEXT else sexes_for(indicator)


def _indicator_label(indicator: Indicator) -> str:
    label = f"{indicator.number}. {indicator.text}" if indicator.number else indicator.text
    if indicator.unit:
        label += f" ({indicator.unit})"
    if indicator.measure in FRACTIONS:
        label += " — nhập tử số và mẫu số"
    elif indicator.measure == Measure.BOOLEAN:
        label += " — 1 là có, 0 là không"
    elif indicator.measure == Measure.TEXT:
        label += " — định tính: ghi ở cột Ghi chú"
    return label


def _header(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(headers))
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill, cell.alignment = _HEADER_FONT, _HEADER_FILL, _WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def _style_row(ws: Any, row: int, inputs: set[int], count: int) -> None:
    for col in range(1, count + 1):
        cell = ws.cell(row=row, column=col)
        cell.alignment = _WRAP
        if col in inputs:
            cell.protection, cell.fill = _UNLOCKED, _INPUT_FILL
        else:
            cell.fill = _LOCKED_FILL


def _protect(ws: Any) -> None:
    # Without a password: the lock guards against slips, not against a user who wants to reorganise.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def _number_cell(value: Decimal | None) -> Decimal | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else value.normalize()


def _guide(ws: Any, period: Period, data: list[_ReportData], kind: str) -> str:
    with translation.override("vi"):
        plan = period.plan
        ws.column_dimensions["A"].width = 28
        ws.column_dimensions["B"].width = 90
        lines: list[tuple[str, str]] = [
            ("Kế hoạch", plan.title),
            ("Kỳ báo cáo", period.label),
            ("Số liệu từ ngày", f"{period.data_from:%d/%m/%Y} đến {period.data_to:%d/%m/%Y}"),
            ("Hạn nộp", f"{period.due:%d/%m/%Y}"),
        ]
        if kind == "report":
            report = data[0].report
            lines += [
                ("Đơn vị báo cáo", f"{report.reporter.name} ({report.unit.name})"),
                ("Trạng thái", str(report.get_status_display())),
                ("Mã báo cáo", str(report.pk)),
                ("Phiên bản", str(report.version)),
            ]
        else:
            lines.append(("Số báo cáo trong tệp", str(len(data))))
        lines.append(("Tải về lúc", timezone.localtime().strftime("%d/%m/%Y %H:%M")))
        ws.append(["BÁO CÁO KẾT QUẢ THỰC HIỆN CÔNG TÁC BÌNH ĐẲNG GIỚI"])
        ws["A1"].font = Font(bold=True, size=13)
        ws.append([])
        for label, value in lines:
            ws.append([label, value])
            ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        ws.append([])
        ws.append(["Cách điền"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        steps = [
            "Chỉ điền vào các ô nền vàng; các ô nền xám (mã, tên chỉ tiêu, giới tính) được khóa.",
            "Sheet 'Chỉ tiêu': chỉ tiêu tỷ lệ ghi Tử số và Mẫu số (hệ thống tự tính tỷ lệ); chỉ tiêu số lượng "
            "ghi ở cột Giá trị. Số viết kiểu Việt Nam: 1.040 là một nghìn không trăm bốn mươi, 45,5 là bốn "
            "mươi lăm phẩy năm.",
            "Nếu không có số liệu, để trống và ghi lý do ở cột Ghi chú. Số liệu khác xa kỳ trước cần ghi chú.",
            "Sau khi gõ, kiểm tra số hiện trong ô: máy đặt định dạng số kiểu Anh hiểu 1.040 là một phẩy không bốn.",
            "Sheet 'Nhiệm vụ': chọn Tình trạng trong danh sách, ghi kết quả và số đã chi (triệu đồng).",
            "Sheet 'Tóm tắt': tóm tắt kết quả của kỳ báo cáo.",
            "Không dùng công thức, không gộp ô, không thêm sheet. Có thể đổi thứ tự cột: hệ thống đọc theo tên "
            "cột ở dòng đầu.",
            "Tải tệp lên tại trang báo cáo. Nếu báo cáo đã được sửa trên hệ thống sau khi tải tệp này, tệp sẽ bị "
            "từ chối để không ghi đè số liệu mới: hãy tải tệp mới.",
            "Tệp có lỗi thì không có số liệu nào được lưu; danh sách lỗi ghi rõ sheet, dòng và cột.",
        ]
        for step in steps:
            ws.append(["", step])
            ws.cell(row=ws.max_row, column=2).alignment = _WRAP
        ws.append([])
        ws.append(["Các tình trạng nhiệm vụ"])
        ws.cell(row=ws.max_row, column=1).font = Font(bold=True)
        first = ws.max_row + 1
        for label in status_labels():
            ws.append(["", label])
        last = ws.max_row
        _protect(ws)
        return f"'{SHEET_GUIDE}'!$B${first}:$B${last}"


def _workbook(kind: str, period: Period, reports: Sequence[Report]) -> bytes:
    data = _load(reports)
    prefix = PERIOD_PREFIX if kind == "period" else []
    offset = len(prefix)
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    status_range = _guide(guide, period, data, kind)

    with translation.override("vi"):
        sex_labels = {value: str(label) for value, label in Sex.choices}

    # Indicators.
    ws = wb.create_sheet(SHEET_INDICATORS)
    _header(ws, prefix + INDICATOR_HEADERS, [*[12, 24][:offset], 12, 60, 10, 14, 14, 14, 28, 40])
    col = {h: i + 1 for i, h in enumerate(prefix + INDICATOR_HEADERS)}
    number_rows: list[str] = []
    boolean_rows: list[str] = []
    for item in data:
        for indicator in item.indicators:
            for sex in row_sexes(indicator):
                current = item.values.get((indicator.pk, sex))
                cells: list[Any] = [
                    *[item.report.pk, item.report.unit.name][:offset],
                    indicator.pk,
                    _indicator_label(indicator),
                    sex_labels[sex],
                    _number_cell(current.value) if current else None,
                    _number_cell(current.numerator) if current else None,
                    _number_cell(current.denominator) if current else None,
                    current.source if current else "",
                    current.note if current else "",
                ]
                ws.append(cells)
                row = ws.max_row
                inputs = {col[H_SOURCE], col[H_NOTE]} | {col[FIELD_HEADERS[f]] for f in used_fields(indicator)}
                _style_row(ws, row, inputs, len(cells))
                for header in (H_VALUE, H_NUMERATOR, H_DENOMINATOR):
                    if col[header] in inputs:
                        ref = f"{get_column_letter(col[header])}{row}"
                        (
                            boolean_rows if indicator.measure == Measure.BOOLEAN and header == H_VALUE else number_rows
                        ).append(ref)
    _validate(
        ws,
        number_rows,
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Không phải số",
            error="Hãy nhập một số không âm (số thập phân viết với dấu phẩy).",
        ),
    )
    _validate(
        ws,
        boolean_rows,
        DataValidation(
            type="whole",
            operator="between",
            formula1="0",
            formula2="1",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Chỉ nhận 1 hoặc 0",
            error="1 là có, 0 là không.",
        ),
    )
    _protect(ws)

    # Tasks.
    ws = wb.create_sheet(SHEET_TASKS)
    _header(ws, prefix + TASK_HEADERS, [*[12, 24][:offset], 12, 60, 22, 50, 18, 18, 18])
    col = {h: i + 1 for i, h in enumerate(prefix + TASK_HEADERS)}
    status_cells: list[str] = []
    amount_cells: list[str] = []
    with translation.override("vi"):
        status_label = {value: str(label) for value, label in TaskStatus.choices}
    for item in data:
        for task in item.tasks:
            progress = item.progress.get(task.pk)
            cells = [
                *[item.report.pk, item.report.unit.name][:offset],
                task.pk,
                f"{task.number}. {task.text}" if task.number else task.text,
                status_label[progress.status if progress else TaskStatus.NOT_STARTED],
                progress.narrative if progress else "",
                *(_number_cell(item.spending.get((task.pk, source))) for source in SPENDING_COLUMNS.values()),
            ]
            ws.append(cells)
            row = ws.max_row
            inputs = {col[H_STATUS], col[H_NARRATIVE], col[H_CENTRAL], col[H_LOCAL], col[H_OTHER]}
            _style_row(ws, row, inputs, len(cells))
            status_cells.append(f"{get_column_letter(col[H_STATUS])}{row}")
            amount_cells += [f"{get_column_letter(col[h])}{row}" for h in SPENDING_COLUMNS]
    _validate(
        ws,
        status_cells,
        DataValidation(
            type="list",
            formula1=status_range,
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Tình trạng không hợp lệ",
            error="Hãy chọn trong danh sách.",
        ),
    )
    _validate(
        ws,
        amount_cells,
        DataValidation(
            type="decimal",
            operator="greaterThanOrEqual",
            formula1="0",
            allow_blank=True,
            showErrorMessage=True,
            errorTitle="Không phải số",
            error="Hãy nhập số tiền đã chi (triệu đồng), không âm.",
        ),
    )
    _protect(ws)

    # Summary.
    ws = wb.create_sheet(SHEET_SUMMARY)
    _header(ws, prefix + SUMMARY_HEADERS, [*[12, 24][:offset], 120])
    for item in data:
        cells = [*[item.report.pk, item.report.unit.name][:offset], item.report.summary]
        ws.append(cells)
        _style_row(ws, ws.max_row, {offset + 1}, len(cells))
        ws.row_dimensions[ws.max_row].height = 150 if kind == "report" else 60
    _protect(ws)

    # Identity.
    meta = wb.create_sheet(SHEET_META)
    identity = Identity(
        kind,
        period.plan_id,
        period.pk,
        tuple(ReportStamp(item.report.pk, item.report.reporter_id, item.report.version) for item in data),
    )
    rows = _meta_rows(identity)
    for meta_row in [*rows, ["checksum", _checksum(rows)]]:
        meta.append(meta_row)
    meta.sheet_state = "veryHidden"
    # Adding, deleting or renaming sheets is what breaks an import most often; unlocking takes one click.
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _validate(ws: Any, refs: list[str], validation: DataValidation) -> None:
    if not refs:
        return
    for run in _ranges(refs):
        validation.add(run)
    ws.add_data_validation(validation)


def _ranges(refs: list[str]) -> list[str]:
    """Cell references joined into runs per column ("D2 D3 D4" → "D2:D4"), to keep validations small."""
    by_column: dict[str, list[int]] = {}
    for ref in refs:
        letter, row = coordinate_from_string(ref)
        by_column.setdefault(letter, []).append(row)
    runs = []
    for letter, rows in by_column.items():
        rows.sort()
        start = previous = rows[0]
        for row in [*rows[1:], None]:
            if row is not None and row == previous + 1:
                previous = row
                continue
            runs.append(f"{letter}{start}:{letter}{previous}" if previous != start else f"{letter}{start}")
            if row is not None:
                start = previous = row
    return runs


def report_workbook(report: Report) -> bytes:
    """The workbook of one report, pre-filled with its current values."""
    return _workbook("report", report.period, [report])


def period_workbook(period: Period, reports: Iterable[Report]) -> bytes:
    """One workbook for several reports of a period (the lower-level committees), one long table per sheet."""
    chosen = [r for r in reports if r.period_id == period.pk]
    return _workbook("period", period, chosen)


def period_reports(period: Period) -> list[Report]:
    """The reports a period workbook carries: the lower-level committees' (communes of a province)."""
    return list(period.reports.filter(is_committee=True).select_related("unit", "reporter").order_by("unit__name"))


def period_workbook_allowed(user: Any, period: Period) -> bool:
    """Period workbooks are for the plan's editors and its acceptor (the standing agency), and administrators."""
    if plan_can_edit(user, period.plan):
        return True
    agency = user_agency(user)
    acceptor = acceptor_of(period.plan)
    return agency is not None and acceptor is not None and agency.pk == acceptor.pk


# --- reading --------------------------------------------------------------------------------------------------


@dataclass
class _Row:
    number: int
    cells: dict[str, Any]  # header -> raw value


@dataclass
class _Table:
    sheet: str
    headers: dict[str, int]  # header -> column
    rows: list[_Row]


def _is_blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _is_formula(cell: Any) -> bool:
    if getattr(cell, "data_type", None) == "f":
        return True
    value = getattr(cell, "value", None)
    return isinstance(value, str) and value.startswith("=")


def _read_table(
    ws: Any, sheet: str, key: str, expected: list[str], required: list[str], limit: int, result: ImportResult
) -> _Table | None:
    """Stream the rows of a data sheet, stopping at the row limit; None when the sheet is refused."""
    ws.reset_dimensions()  # the stated size may be a lie; read what is there, no padding
    known = {_key(h): h for h in expected}
    headers: dict[str, int] = {}
    header_row = 0
    ignored: dict[int, str] = {}
    rows: list[_Row] = []
    refused = False
    for number, row in enumerate(ws.iter_rows(), start=1):
        result.rows_read += 1
        filled = [cell for cell in row if not _is_blank(getattr(cell, "value", None))]
        if number > limit and (filled or number > 2 * limit):
            result.error(
                sheet,
                number,
                None,
                f"sheet có quá {format_vn_number(limit)} dòng; tệp bị từ chối, phần còn lại không được đọc.",
                f"the sheet has more than {limit:,} rows; the file is refused and the rest was not read.",
            )
            return None
        for cell in filled:
            if _is_formula(cell):
                letter = get_column_letter(cell.column)
                result.error(
                    sheet,
                    number,
                    headers_by_col(headers).get(cell.column, letter),
                    f"ô {letter}{number} có công thức ({_shown(cell.value)}); chỉ nhập giá trị.",
                    f"cell {letter}{number} holds a formula ({_shown(cell.value)}); enter values only.",
                )
                refused = True
        if not header_row:
            if not filled:
                continue
            texts = {cell.column: text_of(cell.value) for cell in filled}
            # The header row is the one naming the row's key ("Mã chỉ tiêu"), not a title above it ("Chỉ tiêu").
            if not any(_key(t) == _key(key) for t in texts.values()):
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            header_row = number
            for column, text in texts.items():
                header = known.get(_key(text))
                if header is None:
                    ignored[column] = text
                    result.warn(
                        sheet, number, text, f"cột lạ '{text}' bị bỏ qua.", f"unknown column '{text}' is ignored."
                    )
                elif header in headers:
                    result.error(
                        sheet, number, header, f"cột '{header}' xuất hiện hai lần.", f"column '{header}' appears twice."
                    )
                    refused = True
                else:
                    headers[header] = column
            continue
        if not filled:
            continue
        stray = [cell for cell in filled if cell.column not in headers.values() and cell.column not in ignored]
        for cell in stray:
            ignored[cell.column] = get_column_letter(cell.column)
            result.warn(
                sheet,
                number,
                get_column_letter(cell.column),
                f"cột {get_column_letter(cell.column)} không có tên ở dòng tiêu đề; nội dung bị bỏ qua.",
                f"column {get_column_letter(cell.column)} has no header; its content is ignored.",
            )
        by_col = {cell.column: cell.value for cell in filled}
        if any(c in by_col for c in headers.values()):  # content only under ignored columns was warned about
            rows.append(_Row(number, {h: by_col.get(c) for h, c in headers.items()}))
    if not header_row:
        result.error(
            sheet,
            None,
            None,
            f"không tìm thấy dòng tiêu đề (dòng có cột '{key}' trong {HEADER_SEARCH_ROWS} dòng đầu).",
            f"no header row found (a row with a '{key}' column among the first {HEADER_SEARCH_ROWS}).",
        )
        return None
    for header in required:
        if header not in headers:
            result.error(sheet, header_row, header, f"thiếu cột '{header}'.", f"column '{header}' is missing.")
            refused = True
    return None if refused else _Table(sheet, headers, rows)


def headers_by_col(headers: dict[str, int]) -> dict[int, str]:
    return {c: h for h, c in headers.items()}


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Za-z0-9:$]+)\"")


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The merged ranges of a sheet, from its XML (read-only worksheets do not expose them)."""
    found: list[str] = []
    tail = b""
    with archive.open(path.lstrip("/")) as source:
        while chunk := source.read(1 << 20):
            buffer = tail + chunk
            last_end = 0
            for match in _MERGE.finditer(buffer):
                found.append(match.group(1).decode("ascii"))
                last_end = match.end()
            tail = buffer[max(last_end, len(buffer) - 512) :]
    return found


@dataclass
class _IndicatorRow:
    row: int
    report_id: int
    entry: Entry


@dataclass
class _TaskRow:
    row: int
    report_id: int
    task_id: int
    status: str | None
    narrative: str
    amounts: dict[str, Decimal | None]


@dataclass
class _Parsed:
    indicators: list[_IndicatorRow] = field(default_factory=list)
    tasks: list[_TaskRow] = field(default_factory=list)
    summaries: dict[int, tuple[int, str]] = field(default_factory=dict)  # report -> (row, text)


@dataclass
class _Target:
    report: Report
    stamp: ReportStamp
    indicators: dict[int, Indicator]
    tasks: set[int]
    values: dict[tuple[int, str], Value] = field(default_factory=dict)
    progress: set[int] = field(default_factory=set)


def _targets(identity: Identity, user: Any, result: ImportResult) -> dict[int, _Target]:
    stamps = {s.report_id: s for s in identity.reports}
    reports = {
        r.pk: r
        for r in Report.objects.select_related("period__plan", "unit", "reporter").filter(
            pk__in=stamps, period_id=identity.period_id, period__plan_id=identity.plan_id
        )
    }
    targets: dict[int, _Target] = {}
    from .models import ReportIndicator, ReportTask

    lines: dict[int, dict[int, Indicator]] = {pk: {} for pk in reports}
    for line in ReportIndicator.objects.filter(report_id__in=reports).select_related("indicator"):
        lines[line.report_id][line.indicator_id] = line.indicator
    tasks: dict[int, set[int]] = {pk: set() for pk in reports}
    for task_line in ReportTask.objects.filter(report_id__in=reports):
        tasks[task_line.report_id].add(task_line.task_id)
    values: dict[int, dict[tuple[int, str], Value]] = {pk: {} for pk in reports}
    for value in Value.objects.filter(report_id__in=reports):
        values[value.report_id][(value.indicator_id, value.sex)] = value
    progress: dict[int, set[int]] = {pk: set() for pk in reports}
    for report_id, task_id in Progress.objects.filter(report_id__in=reports).values_list("report_id", "task_id"):
        progress[report_id].add(task_id)
    for pk, stamp in stamps.items():
        report = reports.get(pk)
        if report is None or report.reporter_id != stamp.reporter_id:
            result.error(
                None,
                None,
                None,
                f"Báo cáo số {pk} của tệp không còn trong hệ thống.",
                f"Report {pk} of the file no longer exists.",
            )
            continue
        targets[pk] = _Target(report, stamp, lines[pk], tasks[pk], values[pk], progress[pk])
    return targets


def _check_identity(identity: Identity, report: Report | None, period: Period | None, result: ImportResult) -> bool:
    if report is not None:
        if identity.kind != "report":
            result.error(
                None,
                None,
                None,
                "Đây là tệp của cả kỳ báo cáo (nhiều đơn vị); hãy tải lên ở trang kỳ báo cáo.",
                "This is a period workbook (several reporters); upload it on the period page.",
            )
            return False
        stamp = identity.reports[0] if identity.reports else None
        if stamp is None or stamp.report_id != report.pk or identity.period_id != report.period_id:
            result.error(
                None,
                None,
                None,
                f"Tệp này là của báo cáo khác (báo cáo số {stamp.report_id if stamp else '?'}), "
                f"không phải báo cáo số {report.pk}. Hãy tải tệp của đúng báo cáo.",
                f"This file belongs to another report ({stamp.report_id if stamp else '?'}), not report {report.pk}.",
            )
            return False
        if stamp.reporter_id != report.reporter_id:
            result.error(
                None, None, None, "Tệp này là của đơn vị báo cáo khác.", "This file belongs to another reporter."
            )
            return False
    if period is not None:
        if identity.kind != "period":
            result.error(
                None,
                None,
                None,
                "Đây là tệp của một báo cáo; hãy tải lên ở trang của báo cáo đó.",
                "This is the workbook of one report; upload it on that report's page.",
            )
            return False
        if identity.period_id != period.pk or identity.plan_id != period.plan_id:
            result.error(
                None,
                None,
                None,
                f"Tệp này là của kỳ báo cáo khác (kỳ số {identity.period_id}), không phải kỳ '{period.label}'.",
                f"This file belongs to another period ({identity.period_id}), not '{period.label}'.",
            )
            return False
    return True


def _read_meta(wb: Any) -> Identity | None:
    if SHEET_META not in wb.sheetnames:
        return None
    ws = wb[SHEET_META]
    ws.reset_dimensions()
    rows: list[list[str]] = []
    for number, row in enumerate(ws.iter_rows(values_only=True), start=1):
        if number > 10_000:
            return None
        cells = [text_of(v) for v in row]
        while cells and not cells[-1]:
            cells.pop()
        if cells:
            rows.append(cells)
    return _identity_from_rows(rows)


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
        unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        result.error(None, None, None, "Không phải tệp Excel (.xlsx).", "Not an Excel (.xlsx) file.")
        return result
    if unpacked > MAX_UNCOMPRESSED:
        result.error(
            None,
            None,
            None,
            "Tệp Excel quá lớn khi giải nén (trên 50 MB).",
            "The Excel file unpacks to more than 50 MB.",
        )
        return result
    try:
        wb = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=False, keep_links=False)
    except Exception:  # openpyxl raises many kinds on a damaged file; none of them is ours to pass on
        result.error(
            None,
            None,
            None,
            "Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx).",
            "The Excel file cannot be read (damaged, or not .xlsx).",
        )
        return result
    try:
        parsed = _read_workbook(wb, archive, user=user, report=report, period=period, result=result)
    finally:
        wb.close()
    if parsed is None or not result.ok:
        return result
    identity, targets, content = parsed
    _apply(identity, targets, content, user=user, result=result)
    return result


def _read_workbook(
    wb: Any,
    archive: zipfile.ZipFile,
    *,
    user: Any,
    report: Report | None,
    period: Period | None,
    result: ImportResult,
) -> tuple[Identity, dict[int, _Target], _Parsed] | None:
    identity = _read_meta(wb)
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
    if not _check_identity(identity, report, period, result):
        return None
    targets = _targets(identity, user, result)
    if not result.ok:
        return None
    if identity.kind == "report":
        target = next(iter(targets.values()))
        try:
            report_assert_editable(target.report, user)
        except ReportingError as exc:
            result.error(None, None, None, *rule_error(exc))
            return None
        if target.report.version != target.stamp.version:
            _stale(result, target)
            return None

    names = list(wb.sheetnames)
    data_sheets = [SHEET_INDICATORS, SHEET_TASKS, SHEET_SUMMARY]
    for name in names:
        if name not in (*data_sheets, SHEET_GUIDE, SHEET_META):
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
    expected_rows = sum(len(t.tasks) + sum(len(row_sexes(i)) for i in t.indicators.values()) for t in targets.values())
    limit = max(MAX_ROWS, expected_rows + 100)
    tables: dict[str, _Table] = {}
    specs = [
        (SHEET_INDICATORS, H_INDICATOR_ID, prefix + INDICATOR_HEADERS, required_prefix + INDICATOR_REQUIRED),
        (SHEET_TASKS, H_TASK_ID, prefix + TASK_HEADERS, required_prefix + TASK_REQUIRED),
        (SHEET_SUMMARY, H_SUMMARY, prefix + SUMMARY_HEADERS, required_prefix + SUMMARY_HEADERS),
    ]
    for name, key, expected, required in specs:
        table = _read_table(wb[name], name, key, expected, required, limit, result)
        if table is None:
            return None
        tables[name] = table
        merged = _merged_ranges(archive, wb[name]._worksheet_path)
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
    content = _parse(identity, targets, tables, result)
    return identity, targets, content


def _stale(result: ImportResult, target: _Target) -> None:
    report, stamp = target.report, target.stamp
    result.error(
        None,
        None,
        None,
        f"Báo cáo số {report.pk} ({report.unit.name}) đã được sửa trên hệ thống sau khi tải tệp này (phiên bản "
        f"trong tệp {stamp.version}, hiện tại {report.version}). Để không ghi đè số liệu mới, tệp bị từ chối: "
        "hãy tải tệp mới, nhập lại và tải lên.",
        f"Report {report.pk} ({report.unit.name}) changed after this file was downloaded (file version "
        f"{stamp.version}, now {report.version}); download a new file.",
    )


def _report_of(
    row: _Row, sheet: str, identity: Identity, targets: dict[int, _Target], result: ImportResult
) -> int | None:
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
        if indicator.measure in FRACTIONS:
            raise CellProblem(
                "chỉ tiêu tỷ lệ: ghi Tử số và Mẫu số, hệ thống tự tính tỷ lệ.",
                "a rate: enter the numerator and the denominator; the rate is computed.",
            )
        raise CellProblem(
            "chỉ tiêu này không tính theo tỷ lệ; ghi số ở cột Giá trị.",
            "this indicator is not a rate; enter the figure in the value column.",
        )
    return kept


def _spread_notes(rows: list[_IndicatorRow]) -> None:
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


def _parse(identity: Identity, targets: dict[int, _Target], tables: dict[str, _Table], result: ImportResult) -> _Parsed:
    parsed = _Parsed()
    seen: dict[tuple[int, int, str], int] = {}
    sheet = SHEET_INDICATORS
    for row in tables[sheet].rows:
        report_id = _report_of(row, sheet, identity, targets, result)
        if report_id is None:
            continue
        target = targets[report_id]
        try:
            indicator_id = id_of(row.cells[H_INDICATOR_ID])
        except CellProblem as problem:
            result.error(sheet, row.number, H_INDICATOR_ID, problem.vi, problem.en)
            continue
        if indicator_id is None:
            result.error(sheet, row.number, H_INDICATOR_ID, "thiếu mã chỉ tiêu.", "the indicator id is missing.")
            continue
        indicator = target.indicators.get(indicator_id)
        if indicator is None:
            result.error(
                sheet,
                row.number,
                H_INDICATOR_ID,
                f"chỉ tiêu mã {indicator_id} không thuộc báo cáo này.",
                f"indicator {indicator_id} is not part of this report.",
            )
            continue
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
                setattr(entry, attr, text_of(row.cells[header], length))
            except CellProblem as problem:
                result.error(sheet, row.number, header, problem.vi, problem.en)
                ok = False
        if ok:
            parsed.indicators.append(_IndicatorRow(row.number, report_id, entry))
    _spread_notes(parsed.indicators)

    sheet = SHEET_TASKS
    seen_tasks: dict[tuple[int, int], int] = {}
    for row in tables[sheet].rows:
        report_id = _report_of(row, sheet, identity, targets, result)
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
            narrative = text_of(row.cells[H_NARRATIVE])
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
            parsed.tasks.append(_TaskRow(row.number, report_id, task_id, status, narrative, amounts))

    sheet = SHEET_SUMMARY
    for row in tables[sheet].rows:
        report_id = _report_of(row, sheet, identity, targets, result)
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
        parsed.summaries[report_id] = (row.number, text_of(row.cells[H_SUMMARY]))
    return parsed


# --- applying -------------------------------------------------------------------------------------------------


@dataclass
class ReportChange:
    """What a file asks of one report, with where each entry came from for error messages."""

    report: Report
    version: int | None
    entries: list[Entry]
    progress: list[ProgressInput]
    spending: list[SpendingInput]
    summary: str | None
    # (indicator, sex) -> (sheet, row); "task:<id>" -> (sheet, row)
    places: dict[Any, tuple[str | None, int]]
    columns: dict[str, str] = field(default_factory=lambda: dict(FIELD_HEADERS))
    # Indicators entered as numerator and denominator: a rate's problems point at the numerator.
    fractions: set[int] = field(default_factory=set)


def _changed(change: ReportChange) -> bool:
    """Whether saving would change anything: untouched reports of a period file are left alone."""
    report = change.report
    existing = {(v.indicator_id, v.sex): v for v in Value.objects.filter(report=report)}
    for entry in change.entries:
        current = existing.get((entry.indicator_id, entry.sex))
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
    """Where in the file a checks issue points: the entry's row and the field's column."""
    parts = issue.where.split(":")
    if parts[0] == "indicator" and len(parts) >= 3:
        place = change.places.get((int(parts[1]), parts[2]))
        name = parts[3] if len(parts) > 3 else ""
        if name == "value" and int(parts[1]) in change.fractions:
            name = "numerator"
        column = change.columns.get(name)
        if place is not None:
            return place[0], place[1], column
        return default_sheet, None, column
    if parts[0] in ("task", "spending") and len(parts) >= 2 and parts[1].isdigit():
        place = change.places.get(f"task:{parts[1]}")
        if place is not None:
            return place[0], place[1], None
    return default_sheet, None, None


def _issue_text(change: ReportChange, issue: Issue, several: bool, located: bool) -> tuple[str, str]:
    vi, en = issue.message, issue_english(issue.message)
    if not located and issue.where.startswith("indicator:"):
        parts = issue.where.split(":")
        vi = f"chỉ tiêu mã {parts[1]} ({parts[2] if len(parts) > 2 else ''}): {vi}"
        en = f"indicator {parts[1]} ({parts[2] if len(parts) > 2 else ''}): {en}"
    if several:
        vi = f"báo cáo số {change.report.pk}: {vi}"
        en = f"report {change.report.pk}: {en}"
    return vi, en


def check_changes(changes: list[ReportChange], result: ImportResult, sheet: str | None, several: bool) -> None:
    """The form's checks on what each report will hold: errors refuse the file, warnings are listed."""
    for change in changes:
        final = {(e.indicator_id, e.sex): e for e in _current_entries(change.report)}
        final.update({(e.indicator_id, e.sex): e for e in change.entries})
        for issue in check_report_entries(change.report, list(final.values())):
            where_sheet, row, column = issue_place(change, issue, sheet)
            vi, en = _issue_text(change, issue, several, row is not None)
            (result.error if issue.level == "error" else result.warn)(where_sheet, row, column, vi, en)


def _current_entries(report: Report) -> list[Entry]:
    from .services import report_entries

    return report_entries(report)


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
                        where_sheet, row, column = issue_place(change, issue, None)
                        vi, en = _issue_text(change, issue, several, row is not None)
                        result.error(where_sheet, row, column, vi, en)
                except ReportingError as exc:
                    result.error(None, None, None, *rule_error(exc, change.report if several else None))
            if not result.ok:
                raise _Rollback
    except _Rollback:
        return
    result.saved = saved


def _apply(
    identity: Identity, targets: dict[int, _Target], content: _Parsed, *, user: Any, result: ImportResult
) -> None:
    several = identity.kind == "period"
    changes: dict[int, ReportChange] = {}
    for report_id, target in targets.items():
        fractions = {pk for pk, i in target.indicators.items() if i.measure in FRACTIONS}
        changes[report_id] = ReportChange(
            target.report, target.stamp.version, [], [], [], None, {}, fractions=fractions
        )
    missing: dict[int, set[tuple[int, str]]] = {
        pk: {(i.pk, sex) for i in t.indicators.values() for sex in row_sexes(i)} for pk, t in targets.items()
    }
    for item in content.indicators:
        change = changes[item.report_id]
        change.entries.append(item.entry)
        change.places[(item.entry.indicator_id, item.entry.sex)] = (SHEET_INDICATORS, item.row)
        missing[item.report_id].discard((item.entry.indicator_id, item.entry.sex))
    for report_id, keys in missing.items():
        for indicator_id, sex in sorted(keys):
            prefix_vi = f"báo cáo số {report_id}: " if several else ""
            prefix_en = f"report {report_id}: " if several else ""
            result.warn(
                SHEET_INDICATORS,
                None,
                None,
                f"{prefix_vi}thiếu dòng của chỉ tiêu mã {indicator_id} ({sex}); số liệu hiện có được giữ nguyên.",
                f"{prefix_en}no row for indicator {indicator_id} ({sex}); its current figures are kept.",
            )
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
    for change in active:
        if several:
            try:
                report_assert_editable(change.report, user)
            except ReportingError as exc:
                result.error(None, None, None, *rule_error(exc, change.report))
                continue
            if change.report.version != change.version:
                _stale(result, targets[change.report.pk])
    if not result.ok:
        return
    check_changes(active, result, SHEET_INDICATORS, several)
    if not result.ok:
        return
    apply_changes(ordered, user=user, result=result, several=several)


def iter_errors(result: ImportResult, *, english: bool = False) -> Iterator[str]:
    for error in result.errors:
        yield error.english() if english else str(error)
