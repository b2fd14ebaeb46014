"""Reading one data sheet of an uploaded workbook as a table, streamed and stopped early: the header row found
by its key column (so moved columns work), unknown, duplicate and missing columns, formulas and the row limit;
and the merged ranges of a sheet, read from its XML."""

from __future__ import annotations

import re
import zipfile
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from openpyxl.utils import get_column_letter

from binhdang.lib.numbers import format_vn_number

from .cells import fold, is_blank, shown, text_of
from .layout import HEADER_SEARCH_ROWS
from .result import ImportResult


@dataclass
class Row:
    number: int
    cells: dict[str, Any]  # header -> raw value


@dataclass
class Table:
    sheet: str
    headers: dict[str, int]  # header -> column
    rows: list[Row]


def _is_formula(cell: Any) -> bool:
    # By type only: text that starts with "=" is text (the export writes such notes as text cells, and a user
    # types them with a leading apostrophe); openpyxl's reader types a real formula "f".
    return getattr(cell, "data_type", None) == "f"


def headers_by_col(headers: dict[str, int]) -> dict[int, str]:
    return {c: h for h, c in headers.items()}


class DamagedSheet(Exception):
    """A sheet that cannot be read: openpyxl reads a read-only sheet lazily, so damage surfaces while streaming."""


def stream_rows(ws: Any, **kwargs: Any) -> Iterator[Any]:
    """The rows of a read-only sheet; any failure of openpyxl's reader on a damaged sheet as ``DamagedSheet``."""
    rows = ws.iter_rows(**kwargs)
    while True:
        try:
            row = next(rows)
        except StopIteration:
            return
        except Exception as exc:  # openpyxl raises many kinds on damaged XML (ParseError, TypeError, ValueError...)
            raise DamagedSheet(f"{type(exc).__name__}: {exc}") from exc
        yield row


def read_table(
    ws: Any, sheet: str, key: str, expected: list[str], required: list[str], limit: int, result: ImportResult
) -> Table | None:
    """Stream the rows of a data sheet, stopping at the row limit; None when the sheet is refused."""
    ws.reset_dimensions()  # the stated size may be a lie; read what is there, no padding
    known = {fold(h): h for h in expected}
    headers: dict[str, int] = {}
    header_row = 0
    ignored: dict[int, str] = {}
    rows: list[Row] = []
    refused = False
    for number, row in enumerate(stream_rows(ws), start=1):
        result.rows_read += 1
        filled = [cell for cell in row if not is_blank(getattr(cell, "value", None))]
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
                    f"ô {letter}{number} có công thức ({shown(cell.value)}); chỉ nhập giá trị.",
                    f"cell {letter}{number} holds a formula ({shown(cell.value)}); enter values only.",
                )
                refused = True
        if not header_row:
            if not filled:
                continue
            texts = {cell.column: text_of(cell.value) for cell in filled}
            # The header row is the one naming the row's key ("Mã chỉ tiêu"), not a title above it ("Chỉ tiêu").
            if not any(fold(t) == fold(key) for t in texts.values()):
                if number >= HEADER_SEARCH_ROWS:
                    break
                continue
            header_row = number
            for column, text in texts.items():
                header = known.get(fold(text))
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
            rows.append(Row(number, {h: by_col.get(c) for h, c in headers.items()}))
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
    return None if refused else Table(sheet, headers, rows)


_MERGE = re.compile(rb"<(?:\w+:)?mergeCell\b[^>]*\bref=\"([A-Za-z0-9:$]+)\"")


def merged_ranges(archive: zipfile.ZipFile, path: str) -> list[str]:
    """The merged ranges of a sheet, from its XML (read-only worksheets do not expose them)."""
    found: list[str] = []
    tail = b""
    try:
        with archive.open(path.lstrip("/")) as source:
            while chunk := source.read(1 << 20):
                buffer = tail + chunk
                last_end = 0
                for match in _MERGE.finditer(buffer):
                    found.append(match.group(1).decode("ascii"))
                    last_end = match.end()
                tail = buffer[max(last_end, len(buffer) - 512) :]
    except (zipfile.BadZipFile, zlib.error, EOFError, KeyError, OSError) as exc:
        raise DamagedSheet(f"{type(exc).__name__}: {exc}") from exc
    return found
