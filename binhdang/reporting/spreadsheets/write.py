"""Building workbooks: one report's, or one for all lower-level committees of a period, pre-filled with the
current figures, the identity cells locked and the input cells unlocked, with drop-down lists and number
validations, and the signed identity sheet (meta.py)."""

from __future__ import annotations

import io
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

import openpyxl
from django.utils import timezone, translation
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter
from openpyxl.workbook.protection import WorkbookProtection
from openpyxl.worksheet.datavalidation import DataValidation

from binhdang.lib.safe_cells import xlsx_text_sheet
from binhdang.places.selectors import user_agency
from binhdang.plans.models import Indicator, Measure, Task
from binhdang.plans.numbering import plan_indicator_labels, plan_task_labels
from binhdang.plans.selectors import plan_can_edit

from ..models import Period, Progress, Report, ReportIndicator, ReportTask, Sex, Spending, TaskStatus, Value
from ..selectors import acceptor_of
from . import style
from .cells import status_labels, vi_labels
from .grid_write import write_grid
from .layout import (
    FIELD_HEADERS,
    H_CENTRAL,
    H_DENOMINATOR,
    H_LOCAL,
    H_NARRATIVE,
    H_NOTE,
    H_NUMERATOR,
    H_OTHER,
    H_SOURCE,
    H_STATUS,
    H_VALUE,
    INDICATOR_HEADERS,
    PERIOD_PREFIX,
    SHEET_GRID,
    SHEET_GUIDE,
    SHEET_INDICATORS,
    SHEET_SUMMARY,
    SHEET_TASKS,
    SPENDING_COLUMNS,
    SUMMARY_HEADERS,
    TASK_HEADERS,
    grid_combos,
    row_sexes,
    used_fields,
)
from .meta import Identity, ReportStamp, write_identity


@dataclass
class _ReportData:
    report: Report
    indicators: list[Indicator]
    tasks: list[Task]
    values: dict[tuple[int, str], Value]
    progress: dict[int, Progress]
    spending: dict[tuple[int, str], Decimal]
    # The parts of indicators reported by age group, ethnicity or area: (indicator, sex, combo) → value (issue 16).
    parts: dict[tuple[int, str, str], Value]


def _load(reports: Sequence[Report]) -> list[_ReportData]:
    ids = [r.pk for r in reports]
    indicators: dict[int, list[Indicator]] = {pk: [] for pk in ids}
    tasks: dict[int, list[Task]] = {pk: [] for pk in ids}
    for line in (
        ReportIndicator.objects.filter(report_id__in=ids)
        .select_related("indicator__catalogue", "indicator__objective")
        .order_by("indicator__order", "indicator_id")
    ):
        indicators[line.report_id].append(line.indicator)
    for task_line in (
        ReportTask.objects.filter(report_id__in=ids).select_related("task").order_by("task__order", "task_id")
    ):
        tasks[task_line.report_id].append(task_line.task)
    values: dict[int, dict[tuple[int, str], Value]] = {pk: {} for pk in ids}
    parts: dict[int, dict[tuple[int, str, str], Value]] = {pk: {} for pk in ids}
    for value in Value.objects.filter(report_id__in=ids):
        if value.combo:  # the parts go on the "Phân tổ" sheet, the totals on "Chỉ tiêu"
            parts[value.report_id][(value.indicator_id, value.sex, value.combo)] = value
        else:
            values[value.report_id][(value.indicator_id, value.sex)] = value
    progress: dict[int, dict[int, Progress]] = {pk: {} for pk in ids}
    for item in Progress.objects.filter(report_id__in=ids):
        progress[item.report_id][item.task_id] = item
    spending: dict[int, dict[tuple[int, str], Decimal]] = {pk: {} for pk in ids}
    for spent in Spending.objects.filter(report_id__in=ids, task__isnull=False):
        spending[spent.report_id][(spent.task_id or 0, spent.source)] = spent.amount
    return [
        _ReportData(r, indicators[r.pk], tasks[r.pk], values[r.pk], progress[r.pk], spending[r.pk], parts[r.pk])
        for r in reports
    ]


def _indicator_label(indicator: Indicator, number: str) -> str:
    # The same label as the report form's (plans.numbering), so a person finds each row in both.
    label = f"{number}. {indicator.text}" if number else indicator.text
    if indicator.unit:
        label += f" ({indicator.unit})"
    if indicator.is_fraction:
        label += " — nhập tử số và mẫu số"
    elif indicator.measure == Measure.BOOLEAN:
        label += " — 1 là có, 0 là không"
    elif indicator.measure == Measure.TEXT:
        label += " — định tính: ghi ở cột Ghi chú"
    return label


def _lead(item: _ReportData, offset: int) -> list[Any]:
    """The cells in front of a row: Mã báo cáo and Đơn vị in a period workbook, none in a report's."""
    return [item.report.pk, item.report.unit.name][:offset]


def _append_bold(ws: Any, cells: list[str]) -> None:
    ws.append(cells)
    ws.cell(row=ws.max_row, column=1).font = Font(bold=True)


def _guide(ws: Any, period: Period, data: list[_ReportData], kind: str) -> str:
    """Fill the instructions sheet; returns the range of the task statuses listed on it, for the drop-down."""
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
            _append_bold(ws, [label, value])
        ws.append([])
        _append_bold(ws, ["Cách điền"])
        steps = [
            "Chỉ điền vào các ô nền vàng; các ô nền xám (mã, tên chỉ tiêu, giới tính) được khóa.",
            "Sheet 'Chỉ tiêu': chỉ tiêu tỷ lệ ghi Tử số và Mẫu số (hệ thống tự tính tỷ lệ); chỉ tiêu số lượng "
            "ghi ở cột Giá trị. Số viết kiểu Việt Nam: 1.040 là một nghìn không trăm bốn mươi, 45,5 là bốn "
            "mươi lăm phẩy năm.",
            "Nếu không có số liệu, để trống và ghi lý do ở cột Ghi chú. Số liệu khác xa kỳ trước cần ghi chú.",
            "Sau khi gõ, kiểm tra số hiện trong ô: máy đặt định dạng số kiểu Anh hiểu 1.040 là một phẩy không bốn.",
            *(
                [
                    f"Sheet '{SHEET_GRID}': số của từng nhóm (nhóm tuổi, dân tộc, khu vực) của các chỉ tiêu báo cáo "
                    "theo nhóm, mỗi dòng một nhóm, mỗi cột một giới tính; số tổng ghi ở sheet 'Chỉ tiêu'. Khi các "
                    "nhóm phủ hết số tổng, cộng các nhóm phải bằng số tổng; không nhóm nào được lớn hơn số tổng."
                ]
                if any(grid_combos(i) for item in data for i in item.indicators)
                else []
            ),
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
            ws.cell(row=ws.max_row, column=2).alignment = style.WRAP
        ws.append([])
        _append_bold(ws, ["Các tình trạng nhiệm vụ"])
        first = ws.max_row + 1
        for label in status_labels():
            ws.append(["", label])
        last = ws.max_row
        style.protect(ws)
        return f"'{SHEET_GUIDE}'!$B${first}:$B${last}"


def _workbook(kind: str, period: Period, reports: Sequence[Report]) -> bytes:
    data = _load(reports)
    prefix = PERIOD_PREFIX if kind == "period" else []
    offset = len(prefix)
    wb = openpyxl.Workbook()
    guide = wb.active
    guide.title = SHEET_GUIDE
    status_range = _guide(guide, period, data, kind)

    sex_labels = vi_labels(Sex)
    numbers = plan_indicator_labels([period.plan_id])
    task_labels = plan_task_labels([period.plan_id])

    # Indicators.
    ws = wb.create_sheet(SHEET_INDICATORS)
    style.header(ws, prefix + INDICATOR_HEADERS, [*[12, 24][:offset], 12, 60, 10, 14, 14, 14, 28, 40])
    col = {h: i + 1 for i, h in enumerate(prefix + INDICATOR_HEADERS)}
    number_rows: list[str] = []
    boolean_rows: list[str] = []
    for item in data:
        for indicator in item.indicators:
            for sex in row_sexes(indicator):
                current = item.values.get((indicator.pk, sex))
                cells: list[Any] = [
                    *_lead(item, offset),
                    indicator.pk,
                    _indicator_label(indicator, numbers[indicator.pk])
                    + (f" — số theo nhóm: sheet '{SHEET_GRID}'" if grid_combos(indicator) else ""),
                    sex_labels[sex],
                    style.number_cell(current.value) if current else None,
                    style.number_cell(current.numerator) if current else None,
                    style.number_cell(current.denominator) if current else None,
                    current.source if current else "",
                    current.note if current else "",
                ]
                ws.append(cells)
                row = ws.max_row
                inputs = {col[H_SOURCE], col[H_NOTE]} | {col[FIELD_HEADERS[f]] for f in used_fields(indicator)}
                style.style_row(ws, row, inputs, len(cells))
                for header in (H_VALUE, H_NUMERATOR, H_DENOMINATOR):
                    if col[header] in inputs:
                        ref = f"{get_column_letter(col[header])}{row}"
                        (
                            boolean_rows if indicator.measure == Measure.BOOLEAN and header == H_VALUE else number_rows
                        ).append(ref)
    style.validate(ws, number_rows, style.non_negative("Hãy nhập một số không âm (số thập phân viết với dấu phẩy)."))
    style.validate(ws, boolean_rows, style.yes_no())
    style.protect(ws)
    labels = {i.pk: _indicator_label(i, numbers[i.pk]) for item in data for i in item.indicators}
    write_grid(wb, data, prefix, lambda item: _lead(item, offset), labels)

    # Tasks.
    ws = wb.create_sheet(SHEET_TASKS)
    style.header(ws, prefix + TASK_HEADERS, [*[12, 24][:offset], 12, 60, 22, 50, 18, 18, 18])
    col = {h: i + 1 for i, h in enumerate(prefix + TASK_HEADERS)}
    status_cells: list[str] = []
    amount_cells: list[str] = []
    status_label = vi_labels(TaskStatus)
    for item in data:
        for task in item.tasks:
            progress = item.progress.get(task.pk)
            cells = [
                *_lead(item, offset),
                task.pk,
                f"{task_labels[task.pk]}. {task.text}" if task_labels[task.pk] else task.text,
                status_label[progress.status if progress else TaskStatus.NOT_STARTED],
                progress.narrative if progress else "",
                *(style.number_cell(item.spending.get((task.pk, source))) for source in SPENDING_COLUMNS.values()),
            ]
            ws.append(cells)
            row = ws.max_row
            inputs = {col[H_STATUS], col[H_NARRATIVE], col[H_CENTRAL], col[H_LOCAL], col[H_OTHER]}
            style.style_row(ws, row, inputs, len(cells))
            status_cells.append(f"{get_column_letter(col[H_STATUS])}{row}")
            amount_cells += [f"{get_column_letter(col[h])}{row}" for h in SPENDING_COLUMNS]
    style.validate(
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
    style.validate(ws, amount_cells, style.non_negative("Hãy nhập số tiền đã chi (triệu đồng), không âm."))
    style.protect(ws)

    # Summary.
    ws = wb.create_sheet(SHEET_SUMMARY)
    style.header(ws, prefix + SUMMARY_HEADERS, [*[12, 24][:offset], 120])
    for item in data:
        cells = [*_lead(item, offset), item.report.summary]
        ws.append(cells)
        style.style_row(ws, ws.max_row, {offset + 1}, len(cells))
        ws.row_dimensions[ws.max_row].height = 150 if kind == "report" else 60
    style.protect(ws)

    # Identity.
    identity = Identity(
        kind,
        period.plan_id,
        period.pk,
        tuple(ReportStamp(item.report.pk, item.report.reporter_id, item.report.version) for item in data),
    )
    write_identity(wb, identity)
    # A note "=HYPERLINK(...)" would be a live formula in the office that opens the file (OWASP CSV injection).
    for sheet in wb.worksheets:
        xlsx_text_sheet(sheet)
    # Adding, deleting or renaming sheets is what breaks an import most often; unlocking takes one click.
    wb.security = WorkbookProtection(lockStructure=True)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


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
