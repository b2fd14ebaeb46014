"""The look of a written workbook, shared by its sheets: the header row, locked (grey) and input (yellow) cells,
sheet protection, number cells and their validations."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from typing import Any

from openpyxl.styles import Alignment, Font, PatternFill, Protection
from openpyxl.utils import get_column_letter
from openpyxl.utils.cell import coordinate_from_string
from openpyxl.worksheet.datavalidation import DataValidation

HEADER_FONT = Font(bold=True, color="FFFFFF")
HEADER_FILL = PatternFill("solid", fgColor="1F5F8B")
LOCKED_FILL = PatternFill("solid", fgColor="EDEDED")
INPUT_FILL = PatternFill("solid", fgColor="FFFDE7")
UNLOCKED = Protection(locked=False)
WRAP = Alignment(wrap_text=True, vertical="top")


def header(ws: Any, headers: Sequence[str], widths: Sequence[int]) -> None:
    ws.append(list(headers))
    for col, width in enumerate(widths, start=1):
        cell = ws.cell(row=1, column=col)
        cell.font, cell.fill, cell.alignment = HEADER_FONT, HEADER_FILL, WRAP
        ws.column_dimensions[get_column_letter(col)].width = width
    ws.freeze_panes = "A2"


def style_row(ws: Any, row: int, inputs: set[int], count: int) -> None:
    for col in range(1, count + 1):
        cell = ws.cell(row=row, column=col)
        cell.alignment = WRAP
        if col in inputs:
            cell.protection, cell.fill = UNLOCKED, INPUT_FILL
        else:
            cell.fill = LOCKED_FILL


def protect(ws: Any) -> None:
    # Without a password: the lock guards against slips, not against a user who wants to reorganise.
    ws.protection.sheet = True
    ws.protection.formatColumns = False
    ws.protection.formatRows = False
    ws.protection.autoFilter = False
    ws.protection.sort = False


def number_cell(value: Decimal | None) -> Decimal | int | None:
    if value is None:
        return None
    return int(value) if value == value.to_integral() else value.normalize()


def non_negative(error: str) -> DataValidation:
    return DataValidation(
        type="decimal",
        operator="greaterThanOrEqual",
        formula1="0",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Không phải số",
        error=error,
    )


def yes_no() -> DataValidation:
    return DataValidation(
        type="whole",
        operator="between",
        formula1="0",
        formula2="1",
        allow_blank=True,
        showErrorMessage=True,
        errorTitle="Chỉ nhận 1 hoặc 0",
        error="1 là có, 0 là không.",
    )


def validate(ws: Any, refs: list[str], validation: DataValidation) -> None:
    if not refs:
        return
    for run in ranges(refs):
        validation.add(run)
    ws.add_data_validation(validation)


def ranges(refs: list[str]) -> list[str]:
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
