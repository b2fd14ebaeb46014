"""The CSV import for machine clients and the `report_import` command: all or nothing, errors by line and column
(English on the command line), the same rules and audit trail as the form."""

from __future__ import annotations

import io
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from django.core.management import CommandError, call_command
from reporting.test_spreadsheets import _bytes, _setup, fill, same_through_the_form, snapshot

from binhdang.reporting.checks import Entry
from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.models import AuditEvent, Report, Value
from binhdang.reporting.services import period_close, report_accept, report_save, report_submit
from binhdang.reporting.spreadsheets import report_workbook

D = Decimal
HEADER = "report_id,indicator_id,sex,value,numerator,denominator,source,note\n"


def _csv(report: Report, cycle: Any) -> bytes:
    i1, i2 = cycle.i1.pk, cycle.i2.pk
    return (
        HEADER
        + f"{report.pk},{i1},total,,90,200,Điều tra lao động,\n"
        + f"{report.pk},{i1},female,,45.5,100,Điều tra lao động,\n"
        + f"{report.pk},{i1},male,,44.5,100,Điều tra lao động,\n"
        + f'{report.pk},{i2},total,1040,,,,"Theo Công an xã"\n'
    ).encode()


def _values(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        Value.objects.filter(report=report).values_list(
            "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"
        )
    )


def _refused(user: Any, data: bytes, **kwargs: Any) -> list[str]:
    before = snapshot()
    result = csv_import(user=user, data=data, **kwargs)
    assert not result.ok and not result.saved
    assert snapshot() == before
    return [e.english() for e in result.errors]


def test_csv_gives_the_same_values_as_the_form(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    result = csv_import(user=cycle.commune_user, data=b"\xef\xbb\xbf" + _csv(a, cycle), report=a)
    assert result.ok, result.errors
    same_through_the_form(b, cycle.other_commune_user, cycle)
    assert _values(a) == _values(b)
    assert AuditEvent.objects.filter(report=a, user=cycle.commune_user, action="value").count() == 11


def test_csv_changes_only_the_cells_it_lists(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    a = same_through_the_form(a, cycle.commune_user, cycle)
    data = (HEADER + f"{a.pk},{cycle.i2.pk},,7,,,,\n").encode()
    assert csv_import(user=cycle.commune_user, data=data).ok
    assert Value.objects.get(report=a, indicator=cycle.i2).value == 7
    assert Value.objects.get(report=a, indicator=cycle.i1, sex="female").numerator == D("45.5")


def test_csv_errors_name_the_line_and_column(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    data = (
        HEADER
        + f"{a.pk},{cycle.i1.pk},female,,abc,100,,\n"
        + f"{a.pk},{cycle.i2.pk},female,3,,,,\n"
        + f"{a.pk},999999,total,3,,,,\n"
        + f"{b.pk},{cycle.i2.pk},total,3,,,,\n"
        + "x,1\n"
    ).encode()
    assert _refused(cycle.commune_user, data) == [
        "line 2, column numerator: not a number ('abc'); write plain numbers: 1040, 45.5",
        "line 3, column sex: this indicator is not disaggregated by sex; only total.",
        "line 4, column indicator_id: indicator 999999 is not part of this report.",
        f"line 5, column report_id: no report {b.pk}.",  # another commune's report is not even visible to it
        "line 6: 2 fields, the header has 8.",
    ]


def test_csv_checks_are_the_forms(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    data = (HEADER + f"{a.pk},{cycle.i1.pk},total,,120,100,,\n").encode()
    # One message for one mistake: the numerator over its denominator is why the percentage is over 100.
    assert _refused(cycle.commune_user, data) == [
        "line 2, column numerator: the numerator is larger than the denominator.",
    ]


def test_csv_header_must_be_the_documented_one(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    data = f"report_id,indicator_id,gender,value\n{a.pk},{cycle.i2.pk},total,1\n".encode()
    assert _refused(cycle.commune_user, data) == [
        "line 1, column gender: unknown column 'gender'.",
        "line 1, column sex: column 'sex' is missing.",
        "line 1, column numerator: column 'numerator' is missing.",
        "line 1, column denominator: column 'denominator' is missing.",
        "line 1, column source: column 'source' is missing.",
        "line 1, column note: column 'note' is missing.",
    ]


def test_csv_for_another_report_than_the_page(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    errors = _refused(cycle.admin, _csv(b, cycle), report=a)
    assert errors[0] == f"line 2, column report_id: this line is for report {b.pk}, not {a.pk}."


def test_csv_closed_period_and_accepted_report(cycle: Any) -> None:
    period, a, b = _setup(cycle)
    b = same_through_the_form(b, cycle.other_commune_user, cycle)
    b = report_accept(
        report=(sent := report_submit(report=b, user=cycle.other_commune_user, version=b.version)),
        user=cycle.province_user,
        version=sent.version,
    )
    data = _csv(a, cycle) + f"{b.pk},{cycle.i2.pk},total,5,,,,\n".encode()
    assert _refused(cycle.admin, data) == [
        f"Report {b.pk} ({b.unit.name}): The report has been accepted; its figures are locked."
    ]
    period_close(period=period, user=cycle.province_user)
    assert _refused(cycle.commune_user, _csv(a, cycle)) == [
        f"Report {a.pk} ({a.unit.name}): The reporting period is closed; no data is accepted."
    ]


def test_csv_not_utf8(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    data = HEADER.encode() + f"{a.pk},{cycle.i2.pk},total,1,,,Ngu".encode() + b"\xf4n,\n"  # Latin-1 "ô"
    where = data.index(b"\xf4")
    assert _refused(cycle.commune_user, data) == [f"The file is not UTF-8 (byte {where})."]


# --- the command ---------------------------------------------------------------------------------------------


def test_command_imports_csv_and_xlsx(cycle: Any, tmp_path: Path) -> None:
    _period, a, _b = _setup(cycle)
    path = tmp_path / "values.csv"
    path.write_bytes(_csv(a, cycle))
    out = io.StringIO()
    call_command("report_import", str(path), user="xa_a", stdout=out)
    assert "values.csv: 1 report(s) updated, 0 unchanged" in out.getvalue()
    a.refresh_from_db()
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(a)))
    fill(wb, cycle)
    book = tmp_path / "bao-cao.xlsx"
    book.write_bytes(_bytes(wb))
    out = io.StringIO()
    call_command("report_import", str(book), user="xa_a", report=a.pk, stdout=out)
    assert "bao-cao.xlsx: 1 report(s) updated" in out.getvalue()
    assert Value.objects.get(report=a, indicator=cycle.i2).value == 1040


def test_command_lists_errors_in_english_and_saves_nothing(cycle: Any, tmp_path: Path) -> None:
    _period, a, _b = _setup(cycle)
    wb = openpyxl.load_workbook(io.BytesIO(report_workbook(a)))
    fill(wb, cycle)
    wb["Chỉ tiêu"]["E2"] = "abc"
    book = tmp_path / "bao-cao.xlsx"
    book.write_bytes(_bytes(wb))
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("report_import", str(book), user="xa_a", stderr=err)
    assert "error: sheet 'Chỉ tiêu', row 2, column Tử số: not a number ('abc')" in err.getvalue()
    report_save(report=a, user=cycle.commune_user, version=a.version, entries=[Entry(cycle.i2.pk, "total", value=D(1))])
    before = snapshot()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 error"):
        call_command("report_import", str(book), user="xa_a", stderr=err)
    assert "error: Report" in err.getvalue() and "changed after this file was downloaded" in err.getvalue()
    assert snapshot() == before


@pytest.mark.parametrize("note", ["a\x00b", "\x1b[31m", "x\x0by"])
def test_control_characters_in_a_note_are_refused(cycle: Any, note: str) -> None:
    """Found by tests/security/test_fuzz_importers.py: they were saved, and the report's workbook could then not be
    written (openpyxl refuses them) and PostgreSQL refuses NUL."""
    _period, a, _b = _setup(cycle)
    data = (HEADER + f"{a.pk},{cycle.i2.pk},total,5,,,,{note}\n").encode()
    errors = _refused(cycle.commune_user, data, report=a)
    assert errors == ["line 2, column note: contains a control character"]
    report_workbook(a)
