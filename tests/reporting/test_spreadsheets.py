"""The Excel round trip: download, fill with openpyxl, upload; every broken file refused with its errors listed
by sheet, row and column, and the database exactly as it was."""

from __future__ import annotations

import io
import zipfile
from decimal import Decimal
from typing import Any

import openpyxl
import pytest
from dbsnapshot import tables

from binhdang.reporting import spreadsheets
from binhdang.reporting.checks import Entry
from binhdang.reporting.forms import ReportEntryForm
from binhdang.reporting.models import AuditEvent, Progress, Report, Spending, Value
from binhdang.reporting.services import (
    period_close,
    periods_generate,
    report_accept,
    report_save,
    report_submit,
    reports_generate,
)
from binhdang.reporting.spreadsheets import (
    MAX_ROWS,
    SHEET_INDICATORS,
    SHEET_META,
    SHEET_SUMMARY,
    SHEET_TASKS,
    period_workbook,
    report_workbook,
    workbook_import,
)

D = Decimal


def _setup(cycle: Any) -> tuple[Any, Report, Report]:
    periods = periods_generate(plan=cycle.plan)
    period = next(p for p in periods if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    return period, by_agency[cycle.a_office.pk], by_agency[cycle.b_office.pk]


def snapshot() -> dict[str, list[dict[str, Any]]]:
    """Every row the import could touch, to prove that a refused file changed nothing."""
    return tables(Value, Progress, Spending, AuditEvent, Report)


def _open(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _bytes(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _columns(ws: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _row(ws: Any, key_header: str, key: Any, sex: str | None = None) -> int:
    cols = _columns(ws)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols[key_header]).value == key and (
            sex is None or ws.cell(row, cols["Giới tính"]).value == sex
        ):
            return row
    raise AssertionError(f"no row {key} {sex}")


def _set(ws: Any, key_header: str, key: Any, sex: str | None, header: str, value: Any) -> int:
    row = _row(ws, key_header, key, sex)
    ws.cell(row, _columns(ws)[header]).value = value
    return row


def fill(wb: Any, cycle: Any) -> None:
    """The figures a commune enters offline: numbers, Vietnamese numbers typed as text, a task and spending."""
    ws = wb[SHEET_INDICATORS]
    i1 = cycle.i1.pk
    _set(ws, "Mã chỉ tiêu", i1, "Tổng", "Tử số", 90)
    _set(ws, "Mã chỉ tiêu", i1, "Tổng", "Mẫu số", "200")
    _set(ws, "Mã chỉ tiêu", i1, "Nữ", "Tử số", "45,5")
    _set(ws, "Mã chỉ tiêu", i1, "Nữ", "Mẫu số", 100)
    _set(ws, "Mã chỉ tiêu", i1, "Nam", "Tử số", 44.5)
    _set(ws, "Mã chỉ tiêu", i1, "Nam", "Mẫu số", 100.0)
    _set(ws, "Mã chỉ tiêu", i1, "Tổng", "Nguồn số liệu", "Điều tra lao động")
    _set(ws, "Mã chỉ tiêu", cycle.i2.pk, "Tổng", "Giá trị", "1.040")
    _set(ws, "Mã chỉ tiêu", cycle.i2.pk, "Tổng", "Ghi chú", "Theo Công an xã")
    ws = wb[SHEET_TASKS]
    _set(ws, "Mã nhiệm vụ", cycle.t2.pk, None, "Tình trạng", "Đang triển khai")
    _set(ws, "Mã nhiệm vụ", cycle.t2.pk, None, "Kết quả thực hiện", "Đã họp 2 lần")
    _set(ws, "Mã nhiệm vụ", cycle.t2.pk, None, "Chi NS địa phương (triệu đồng)", 12.5)
    wb[SHEET_SUMMARY]["A2"] = "Cơ bản hoàn thành"


def form_data(cycle: Any, report: Report) -> dict[str, str]:
    """What a person types into the report page for the same figures."""
    i1, i2, t2 = cycle.i1.pk, cycle.i2.pk, cycle.t2.pk
    return {
        "version": str(report.version),
        f"i{i1}-total-numerator": "90",
        f"i{i1}-total-denominator": "200",
        f"i{i1}-female-numerator": "45,5",
        f"i{i1}-female-denominator": "100",
        f"i{i1}-male-numerator": "44,5",
        f"i{i1}-male-denominator": "100",
        f"i{i1}-source": "Điều tra lao động",
        f"i{i1}-note": "",
        f"i{i2}-total-value": "1.040",
        f"i{i2}-source": "",
        f"i{i2}-note": "Theo Công an xã",
        f"t{t2}-status": "in_progress",
        f"t{t2}-narrative": "Đã họp 2 lần",
        f"t{t2}-central": "",
        f"t{t2}-local": "12,5",
        f"t{t2}-other": "",
        "summary": "Cơ bản hoàn thành",
    }


def same_through_the_form(report: Report, user: Any, cycle: Any) -> Report:
    """The same figures entered through the report page's form and the service it calls."""
    form = ReportEntryForm(report, form_data(cycle, report))
    assert form.is_valid()
    return report_save(
        report=report,
        user=user,
        version=report.version,
        entries=form.entries(),
        progress=form.progress(),
        spending=form.spending(),
        summary=form.summary_text(),
    )


def _values(report: Report) -> list[tuple[Any, ...]]:
    return sorted(
        Value.objects.filter(report=report).values_list(
            "indicator_id", "sex", "value", "numerator", "denominator", "source", "note"
        )
    )


def _refused(cycle: Any, target: Report, data: bytes, *, user: Any = None, **where: Any) -> list[str]:
    """Import a file that must be refused; the database must be exactly as before. Returns the error lines."""
    before = snapshot()
    result = workbook_import(user=user or cycle.commune_user, data=data, **(where or {"report": target}))
    assert not result.ok
    assert not result.saved
    assert snapshot() == before
    return [str(e) for e in result.errors]


# --- the round trip -----------------------------------------------------------------------------------------


def test_round_trip_gives_the_same_values_as_the_form(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    result = workbook_import(user=cycle.commune_user, data=_bytes(wb), report=a)
    assert result.ok, result.errors
    assert [r.pk for r in result.saved] == [a.pk]
    same_through_the_form(b, cycle.other_commune_user, cycle)
    a.refresh_from_db()
    b.refresh_from_db()
    assert _values(a) == _values(b)
    assert list(Progress.objects.filter(report=a).values_list("task_id", "status", "narrative")) == list(
        Progress.objects.filter(report=b).values_list("task_id", "status", "narrative")
    )
    assert list(Spending.objects.filter(report=a).values_list("task_id", "source", "amount")) == [
        (cycle.t2.pk, "local", D("12.5"))
    ]
    assert a.summary == b.summary == "Cơ bản hoàn thành"
    # The audit trail is the service's: who changed which cell from what to what.
    female = AuditEvent.objects.get(report=a, field=f"indicator:{cycle.i1.pk}:female:numerator")
    assert (female.user, female.old, female.new) == (cycle.commune_user, "", "45.5")
    # And the downloaded file now carries the saved figures.
    again = _open(report_workbook(a))
    ws = again[SHEET_INDICATORS]
    assert ws.cell(_row(ws, "Mã chỉ tiêu", cycle.i2.pk, "Tổng"), _columns(ws)["Giá trị"]).value == 1040


def test_an_untouched_download_changes_nothing(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    a = same_through_the_form(a, cycle.commune_user, cycle)
    before = snapshot()
    result = workbook_import(user=cycle.commune_user, data=report_workbook(a), report=a)
    assert result.ok and result.unchanged == [a] and not result.saved
    assert snapshot() == before


def test_the_workbook_has_locked_identity_and_a_hidden_signed_identity(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ tiêu", "Nhiệm vụ", "Tóm tắt", "_meta"]
    assert wb[SHEET_META].sheet_state == "veryHidden"
    ws = wb[SHEET_INDICATORS]
    assert [c.value for c in ws[1]] == [
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Giới tính",
        "Giá trị",
        "Tử số",
        "Mẫu số",
        "Nguồn số liệu",
        "Ghi chú",
    ]
    assert ws.protection.sheet
    row = _row(ws, "Mã chỉ tiêu", cycle.i1.pk, "Nữ")
    assert ws.cell(row, 1).protection.locked and not ws.cell(row, 5).protection.locked
    assert [c.value for c in wb[SHEET_TASKS][1]][:3] == ["Mã nhiệm vụ", "Nhiệm vụ", "Tình trạng"]
    status = next(dv for dv in wb[SHEET_TASKS].data_validations.dataValidation if dv.type == "list")
    assert "Hướng dẫn" in status.formula1


def test_moved_columns_still_import(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    for name in (SHEET_INDICATORS, SHEET_TASKS):
        ws = wb[name]
        rows = [[c.value for c in row] for row in ws.iter_rows()]
        reordered = [list(reversed(r)) for r in rows]
        for r, values in enumerate(reordered, start=1):
            for c, value in enumerate(values, start=1):
                ws.cell(r, c).value = value
    result = workbook_import(user=cycle.commune_user, data=_bytes(wb), report=a)
    assert result.ok, result.errors
    same_through_the_form(b, cycle.other_commune_user, cycle)
    assert _values(a) == _values(b)


def test_a_title_row_above_the_header_is_fine(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    ws = wb[SHEET_INDICATORS]
    ws.insert_rows(1, 2)
    ws["A1"] = "Chỉ tiêu"  # a title that is also a header name: the header row is the one with "Mã chỉ tiêu"
    result = workbook_import(user=cycle.commune_user, data=_bytes(wb), report=a)
    assert result.ok, result.errors
    same_through_the_form(b, cycle.other_commune_user, cycle)
    assert _values(a) == _values(b)


def test_a_missing_column_is_named(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    ws = wb[SHEET_INDICATORS]
    ws.cell(1, _columns(ws)["Tử số"]).value = "Tu so?"
    errors = _refused(cycle, a, _bytes(wb))
    assert "Sheet 'Chỉ tiêu', dòng 1, cột Tử số: thiếu cột 'Tử số'." in errors


# --- broken files -------------------------------------------------------------------------------------------


def test_text_in_a_number_cell_is_refused_with_its_place(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    row = _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i1.pk, "Nữ", "Tử số", "abc")
    _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i1.pk, "Nam", "Mẫu số", "45.5")
    errors = _refused(cycle, a, _bytes(wb))
    assert f"Sheet 'Chỉ tiêu', dòng {row}, cột Tử số: không phải số ('abc')" in errors
    assert any("cột Mẫu số: không phải số ('45.5'); viết số thập phân với dấu phẩy" in e for e in errors)


def test_merged_cells_are_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    wb[SHEET_INDICATORS].merge_cells("G2:H2")
    errors = _refused(cycle, a, _bytes(wb))
    assert errors == ["Sheet 'Chỉ tiêu', cột G2:H2: có ô gộp G2:H2; hãy bỏ gộp ô (Merge & Center) rồi tải lên lại."]


def test_a_formula_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    row = _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i1.pk, "Tổng", "Tử số", "=E3+E4")
    errors = _refused(cycle, a, _bytes(wb))
    assert errors == [f"Sheet 'Chỉ tiêu', dòng {row}, cột Tử số: ô E{row} có công thức ('=E3+E4'); chỉ nhập giá trị."]


def test_an_extra_sheet_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    wb.create_sheet("Nháp")["A1"] = 5
    errors = _refused(cycle, a, _bytes(wb))
    assert len(errors) == 1 and errors[0].startswith("Sheet 'Nháp': sheet lạ 'Nháp'")


def test_a_file_of_another_report_is_refused(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    wb = _open(report_workbook(b))
    fill(wb, cycle)
    errors = _refused(cycle, a, _bytes(wb), user=cycle.admin)
    assert errors == [
        f"Tệp này là của báo cáo khác (báo cáo số {b.pk}), không phải báo cáo số {a.pk}. Hãy tải tệp của đúng báo cáo."
    ]


def test_a_file_of_another_reporter_is_refused_for_its_user(cycle: Any) -> None:
    _period, _a, b = _setup(cycle)
    wb = _open(report_workbook(b))
    fill(wb, cycle)
    # Without a target the file says which report it is for; the user still has to be its reporter.
    errors = _refused(cycle, b, _bytes(wb), user=cycle.commune_user, report=None)
    assert errors == ["Bạn không có quyền thực hiện thao tác này với báo cáo."]


def test_an_edited_identity_is_refused(cycle: Any) -> None:
    _period, a, b = _setup(cycle)
    wb = _open(report_workbook(a))
    meta = wb[SHEET_META]
    for row in meta.iter_rows():
        if row[0].value == "report":
            row[1].value = str(b.pk)
    errors = _refused(cycle, b, _bytes(wb), user=cycle.admin)
    assert errors[0].startswith("Không phải tệp mẫu của Bình Đẳng, hoặc phần nhận dạng ẩn của tệp đã bị sửa.")


def test_not_an_excel_file(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    assert _refused(cycle, a, b"report_id,indicator_id\n1,2\n") == ["Không phải tệp Excel (.xlsx)."]


@pytest.mark.parametrize("damage", ["truncated", "mismatched tag", "text in a number cell"])
def test_a_damaged_sheet_is_refused_not_a_crash(cycle: Any, damage: str) -> None:
    """Found by tests/security/test_fuzz_importers.py: openpyxl reads a read-only sheet lazily, so a sheet whose XML
    is damaged escaped as ParseError, TypeError or ValueError from the middle of the import."""
    _period, a, _b = _setup(cycle)
    source = zipfile.ZipFile(io.BytesIO(report_workbook(a)))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename.startswith("xl/worksheets/sheet"):
                at = content.index(b"</row>")
                if damage == "truncated":
                    content = content[:at]
                elif damage == "mismatched tag":
                    content = content[:at] + b"</c>" + content[at:]
                else:
                    content = content[:at] + b'<c r="Z1" t="n"><v>x</v></c>' + content[at:]
            target.writestr(info.filename, content)
    errors = _refused(cycle, a, out.getvalue())
    assert errors == ["Không đọc được tệp Excel (tệp hỏng hoặc không phải .xlsx)."]


def test_a_closed_period_is_refused(cycle: Any) -> None:
    period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    period_close(period=period, user=cycle.province_user)
    assert _refused(cycle, a, _bytes(wb)) == ["Kỳ báo cáo đã khóa, không nhận số liệu."]


def test_an_accepted_report_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    a = same_through_the_form(a, cycle.commune_user, cycle)
    a = report_accept(
        report=(sent := report_submit(report=a, user=cycle.commune_user, version=a.version)),
        user=cycle.province_user,
        version=sent.version,
    )
    wb = _open(report_workbook(a))
    _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i2.pk, "Tổng", "Giá trị", 7)
    assert _refused(cycle, a, _bytes(wb)) == ["Báo cáo đã được chấp nhận; số liệu đã khóa."]


def test_a_report_changed_since_the_download_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    report_save(report=a, user=cycle.commune_user, version=a.version, entries=[Entry(cycle.i2.pk, "total", value=D(3))])
    errors = _refused(cycle, a, _bytes(wb))
    assert len(errors) == 1
    assert "đã được sửa trên hệ thống sau khi tải tệp này (phiên bản trong tệp 1, hiện tại 2)" in errors[0]


def test_a_value_failing_the_form_checks_is_refused_at_its_cell(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    fill(wb, cycle)
    row = _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i1.pk, "Tổng", "Tử số", 95)  # 45,5 + 44,5 != 95
    neg = _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i2.pk, "Tổng", "Giá trị", -3)
    spent = _set(wb[SHEET_TASKS], "Mã nhiệm vụ", cycle.t2.pk, None, "Chi NS trung ương (triệu đồng)", "1,2345")
    errors = _refused(cycle, a, _bytes(wb))
    assert errors == [
        f"Sheet 'Nhiệm vụ', dòng {spent}, cột Chi NS trung ương (triệu đồng): quá 3 chữ số sau dấu phẩy ('1,2345')"
    ]
    _set(wb[SHEET_TASKS], "Mã nhiệm vụ", cycle.t2.pk, None, "Chi NS trung ương (triệu đồng)", None)
    errors = _refused(cycle, a, _bytes(wb))
    assert f"Sheet 'Chỉ tiêu', dòng {row}, cột Tử số: Nữ cộng nam (90) không bằng tổng (95)." in errors
    assert f"Sheet 'Chỉ tiêu', dòng {neg}, cột Giá trị: Không được là số âm." in errors


def test_a_number_in_a_cell_the_indicator_does_not_use_is_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    row = _set(wb[SHEET_INDICATORS], "Mã chỉ tiêu", cycle.i2.pk, "Tổng", "Tử số", 3)
    assert _refused(cycle, a, _bytes(wb)) == [
        f"Sheet 'Chỉ tiêu', dòng {row}, cột Tử số: chỉ tiêu này không tính theo tỷ lệ; ghi số ở cột Giá trị."
    ]


def test_a_row_of_another_indicator_and_a_duplicate_are_refused(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    wb = _open(report_workbook(a))
    ws = wb[SHEET_INDICATORS]
    last = ws.max_row
    ws.append([999999, "Chỉ tiêu lạ", "Tổng", 1])
    ws.append([cycle.i2.pk, "", "Tổng", 1])
    errors = _refused(cycle, a, _bytes(wb))
    assert errors == [
        f"Sheet 'Chỉ tiêu', dòng {last + 1}, cột Mã chỉ tiêu: chỉ tiêu mã 999999 không thuộc báo cáo này.",
        f"Sheet 'Chỉ tiêu', dòng {last + 2}, cột Mã chỉ tiêu: trùng với dòng "
        f"{_row(ws, 'Mã chỉ tiêu', cycle.i2.pk, 'Tổng')} (cùng chỉ tiêu, cùng giới tính).",
    ]


def test_a_hundred_thousand_junk_rows_stop_at_the_row_limit(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    template = _open(report_workbook(a))
    wb = openpyxl.Workbook(write_only=True)
    for name in template.sheetnames:
        ws = wb.create_sheet(name)
        for row in template[name].iter_rows(values_only=True):
            ws.append(list(row))
        if name == SHEET_INDICATORS:
            for n in range(100_000):
                ws.append([f"rác {n}", n, "x" * 20, n * 1.5])
    out = io.BytesIO()
    wb.save(out)
    before = snapshot()
    result = workbook_import(user=cycle.commune_user, data=out.getvalue(), report=a)
    assert [str(e) for e in result.errors] == [
        f"Sheet 'Chỉ tiêu', dòng {MAX_ROWS + 1}: sheet có quá 5.000 dòng; tệp bị từ chối, phần còn lại không được đọc."
    ]
    # It stopped at the limit instead of reading, and listing errors for, all hundred thousand rows.
    assert result.rows_read == MAX_ROWS + 1
    assert snapshot() == before


def test_a_file_over_the_size_limit_is_refused_before_it_is_opened(cycle: Any) -> None:
    _period, a, _b = _setup(cycle)
    assert _refused(cycle, a, b"PK" + b"\0" * spreadsheets.MAX_BYTES) == ["Tệp lớn hơn 5 MB."]


# --- a period workbook: all communes at once ----------------------------------------------------------------


def test_a_period_workbook_saves_all_communes_in_one_go(cycle: Any) -> None:
    period, a, b = _setup(cycle)
    reports = spreadsheets.period_reports(period)
    assert {r.pk for r in reports} == {a.pk, b.pk}
    wb = _open(period_workbook(period, reports))
    ws = wb[SHEET_INDICATORS]
    assert [c.value for c in ws[1]][:3] == ["Mã báo cáo", "Đơn vị", "Mã chỉ tiêu"]
    cols = _columns(ws)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 10 if ws.cell(row, cols["Mã báo cáo"]).value == a.pk else 20
    result = workbook_import(user=cycle.admin, data=_bytes(wb), period=period)
    assert result.ok, result.errors
    assert {r.pk for r in result.saved} == {a.pk, b.pk}
    assert dict(Value.objects.filter(indicator=cycle.i2).values_list("report_id", "value")) == {a.pk: 10, b.pk: 20}


def test_a_period_workbook_is_all_or_nothing(cycle: Any) -> None:
    period, a, b = _setup(cycle)
    b = same_through_the_form(b, cycle.other_commune_user, cycle)
    b = report_accept(
        report=(sent := report_submit(report=b, user=cycle.other_commune_user, version=b.version)),
        user=cycle.province_user,
        version=sent.version,
    )
    wb = _open(period_workbook(period, spreadsheets.period_reports(period)))
    ws = wb[SHEET_INDICATORS]
    cols = _columns(ws)
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 10 if ws.cell(row, cols["Mã báo cáo"]).value == a.pk else 20
    data = _bytes(wb)
    errors = _refused(cycle, a, data, user=cycle.admin, period=period)
    unit = b.unit.name
    assert errors == [f"Báo cáo số {b.pk} ({unit}): Báo cáo đã được chấp nhận; số liệu đã khóa."]
    # An accepted report left untouched does not stand in the way of the others.
    for row in range(2, ws.max_row + 1):
        if ws.cell(row, cols["Mã báo cáo"]).value == b.pk and ws.cell(row, cols["Mã chỉ tiêu"]).value == cycle.i2.pk:
            ws.cell(row, cols["Giá trị"]).value = 1040
    result = workbook_import(user=cycle.admin, data=_bytes(wb), period=period)
    assert result.ok, result.errors
    assert [r.pk for r in result.saved] == [a.pk] and [r.pk for r in result.unchanged] == [b.pk]


def test_a_report_workbook_is_not_a_period_workbook(cycle: Any) -> None:
    period, a, _b = _setup(cycle)
    errors = _refused(cycle, a, report_workbook(a), user=cycle.admin, period=period)
    assert errors == ["Đây là tệp của một báo cáo; hãy tải lên ở trang của báo cáo đó."]


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        (None, None),
        ("", None),
        (" 1.040 ", D(1040)),
        ("45,5", D("45.5")),
        (12.3, D("12.3")),
        (0.1 + 0.2, D("0.3")),
        (7, D(7)),
        (100.0, D(100)),
        ("50%", D(50)),
    ],
)
def test_numbers_excel_and_people_write(raw: Any, expected: Decimal | None) -> None:
    assert spreadsheets.number_of(raw) == expected


@pytest.mark.parametrize("raw", ["abc", "1.5", True, 1e30, "1,23456", float("nan")])
def test_what_is_not_a_number(raw: Any) -> None:
    with pytest.raises(spreadsheets.CellProblem):
        spreadsheets.number_of(raw)
