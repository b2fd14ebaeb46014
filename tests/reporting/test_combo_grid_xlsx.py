"""The workbook's "Phân tổ" sheet (issue 16): an indicator reported by age group and ethnicity gets a small grid
(one row per group, one column per sex cell), filled offline as a commune officer would, read back into the
parts of the report all or nothing, every bad cell refused by its name ("ô E14") with the database unchanged."""

from __future__ import annotations

import io
from decimal import Decimal
from types import SimpleNamespace
from typing import Any

import openpyxl
import pytest
from openpyxl.utils import get_column_letter

from binhdang.plans.categories import combo_key
from binhdang.plans.models import Indicator
from binhdang.reporting import spreadsheets
from binhdang.reporting.checks import Entry
from binhdang.reporting.models import Report, Value
from binhdang.reporting.services import periods_generate, report_save, reports_generate
from binhdang.reporting.spreadsheets import SHEET_INDICATORS, period_workbook, report_workbook, workbook_import
from tests.reporting.test_spreadsheets import snapshot

pytestmark = pytest.mark.django_db
D = Decimal
GRID = "Phân tổ"
AGES = ["0-14", "15+"]  # they tile every age: the parts must add up to the total
AGE_WORDS = {"0-14": "dưới 15 tuổi", "15+": "15 tuổi trở lên"}
ETH_WORDS = {"kinh": "dân tộc Kinh", "dtts": "dân tộc thiểu số"}


@pytest.fixture
def w(cycle: SimpleNamespace) -> SimpleNamespace:
    return by_group(cycle)


def by_group(cycle: SimpleNamespace) -> SimpleNamespace:
    """I1 (a percentage) by sex × age group × ethnicity, I2 (a count) by ethnicity only; the two communes'
    half-year reports."""
    Indicator.objects.filter(pk=cycle.i1.pk).update(disaggregations=["sex", "age", "ethnicity"], age_groups=AGES)
    Indicator.objects.filter(pk=cycle.i2.pk).update(disaggregations=["ethnicity"])
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    by_agency = {r.reporter_id: r for r in reports_generate(period=period)}
    return SimpleNamespace(**vars(cycle), period=period, a=by_agency[cycle.a_office.pk], b=by_agency[cycle.b_office.pk])


def _open(data: bytes) -> Any:
    return openpyxl.load_workbook(io.BytesIO(data))


def _bytes(wb: Any) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def _cols(ws: Any) -> dict[str, int]:
    return {cell.value: cell.column for cell in ws[1] if cell.value}


def _grid_row(ws: Any, indicator: int, eth: str, age: str | None = None, report: int | None = None) -> int:
    cols = _cols(ws)
    for row in range(2, ws.max_row + 1):
        if (
            ws.cell(row, cols["Mã chỉ tiêu"]).value == indicator
            and ws.cell(row, cols["Dân tộc"]).value == ETH_WORDS[eth]
            and (age is None or ws.cell(row, cols["Nhóm tuổi"]).value == AGE_WORDS[age])
            and (report is None or ws.cell(row, cols["Mã báo cáo"]).value == report)
        ):
            return row
    raise AssertionError(f"no grid row {indicator} {age} {eth}")


def _total_row(ws: Any, indicator: int, sex: str, report: int | None = None) -> int:
    cols = _cols(ws)
    for row in range(2, ws.max_row + 1):
        if (
            ws.cell(row, cols["Mã chỉ tiêu"]).value == indicator
            and ws.cell(row, cols["Giới tính"]).value == sex
            and (report is None or ws.cell(row, cols["Mã báo cáo"]).value == report)
        ):
            return row
    raise AssertionError(f"no row {indicator} {sex}")


def _cell(ws: Any, row: int, header: str) -> str:
    return f"{get_column_letter(_cols(ws)[header])}{row}"


# What the officer enters: I1's totals and its parts per sex as (numerator, denominator), I2's total and parts.
I1_TOTALS = {"Tổng": (90, 200), "Nữ": (45, 100), "Nam": (45, 100)}
I1_PARTS = {
    # (age, ethnicity): {sex column: (numerator, denominator)}; each sex's parts add up to its total above.
    ("0-14", "kinh"): {"Tổng": (10, 20), "Nữ": (5, 10), "Nam": (5, 10)},
    ("0-14", "dtts"): {"Tổng": (20, 40), "Nữ": (10, 20), "Nam": (10, 20)},
    ("15+", "kinh"): {"Tổng": (25, 60), "Nữ": (12, 30), "Nam": (13, 30)},
    ("15+", "dtts"): {"Tổng": (35, 80), "Nữ": (18, 40), "Nam": (17, 40)},
}
I2_TOTAL = 10
I2_PARTS = {"kinh": 6, "dtts": "4"}  # a number typed as text is read the Vietnamese way
SEX_OF = {"Tổng": "total", "Nữ": "female", "Nam": "male"}


def fill(wb: Any, w: Any, report: int | None = None) -> None:
    ws = wb[SHEET_INDICATORS]
    cols = _cols(ws)
    for sex, (num, den) in I1_TOTALS.items():
        row = _total_row(ws, w.i1.pk, sex, report)
        ws.cell(row, cols["Tử số"]).value, ws.cell(row, cols["Mẫu số"]).value = num, den
    ws.cell(_total_row(ws, w.i2.pk, "Tổng", report), cols["Giá trị"]).value = I2_TOTAL
    grid = wb[GRID]
    gcols = _cols(grid)
    for (age, eth), cells in I1_PARTS.items():
        row = _grid_row(grid, w.i1.pk, eth, age, report)
        for sex, (num, den) in cells.items():
            grid.cell(row, gcols[f"{sex}: tử số"]).value = num
            grid.cell(row, gcols[f"{sex}: mẫu số"]).value = den
    for eth, value in I2_PARTS.items():
        grid.cell(_grid_row(grid, w.i2.pk, eth, None, report), gcols["Tổng"]).value = value


def expected(w: Any) -> dict[tuple[int, str, str], tuple[Any, Any, Any]]:
    """The stored figures the officer's entries above must give: (indicator, sex, combo) → (value, num, den)."""
    out: dict[tuple[int, str, str], tuple[Any, Any, Any]] = {}
    for sex, (num, den) in I1_TOTALS.items():
        out[(w.i1.pk, SEX_OF[sex], "")] = (None, D(num), D(den))
    for (age, eth), cells in I1_PARTS.items():
        for sex, (num, den) in cells.items():
            out[(w.i1.pk, SEX_OF[sex], combo_key({"age": age, "ethnicity": eth}))] = (None, D(num), D(den))
    out[(w.i2.pk, "total", "")] = (D(I2_TOTAL), None, None)
    for eth, value in I2_PARTS.items():
        out[(w.i2.pk, "total", combo_key({"ethnicity": eth}))] = (D(value), None, None)
    return out


def stored(report: Report) -> dict[tuple[int, str, str], tuple[Any, Any, Any]]:
    return {
        (v.indicator_id, v.sex, v.combo): (v.value, v.numerator, v.denominator)
        for v in Value.objects.filter(report=report)
    }


def refused(w: Any, wb: Any, report: Report | None = None) -> list[Any]:
    """Import a file that must be refused; nothing may change. Returns the errors."""
    before = snapshot()
    result = workbook_import(user=w.commune_user, data=_bytes(wb), report=report or w.a)
    assert not result.ok and not result.saved
    assert snapshot() == before
    return result.errors


# The layout -----------------------------------------------------------------------------------------------------


def test_the_grid_has_a_row_per_group_and_a_column_per_sex_cell(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    assert wb.sheetnames == ["Hướng dẫn", "Chỉ tiêu", GRID, "Nhiệm vụ", "Tóm tắt", "_meta"]
    ws = wb[GRID]
    # No indicator is reported by area, so there is no area column; I2 is a count, I1 a rate: both kinds.
    assert [c.value for c in ws[1]] == [
        "Mã chỉ tiêu",
        "Chỉ tiêu",
        "Nhóm tuổi",
        "Dân tộc",
        "Tổng",
        "Nữ",
        "Nam",
        "Tổng: tử số",
        "Tổng: mẫu số",
        "Nữ: tử số",
        "Nữ: mẫu số",
        "Nam: tử số",
        "Nam: mẫu số",
    ]
    cols = _cols(ws)
    rows = [(ws.cell(r, 1).value, ws.cell(r, 3).value, ws.cell(r, 4).value) for r in range(2, ws.max_row + 1)]
    assert rows == [
        *((w.i1.pk, AGE_WORDS[age], ETH_WORDS[eth]) for age in AGES for eth in ("kinh", "dtts")),
        (w.i2.pk, None, ETH_WORDS["kinh"]),
        (w.i2.pk, None, ETH_WORDS["dtts"]),
    ]
    # A rate's numerator and denominator cells are open for each sex; its count columns are locked.
    i1 = _grid_row(ws, w.i1.pk, "dtts", "15+")
    assert not ws.cell(i1, cols["Nữ: tử số"]).protection.locked
    assert ws.cell(i1, cols["Nữ"]).protection.locked and ws.cell(i1, cols["Nhóm tuổi"]).protection.locked
    # I2 is not reported by sex: only its Tổng cell is open.
    i2 = _grid_row(ws, w.i2.pk, "kinh")
    assert not ws.cell(i2, cols["Tổng"]).protection.locked
    assert ws.cell(i2, cols["Nữ"]).protection.locked and ws.cell(i2, cols["Tổng: tử số"]).protection.locked
    # The total's row tells the officer where the groups go.
    label = wb[SHEET_INDICATORS].cell(_total_row(wb[SHEET_INDICATORS], w.i2.pk, "Tổng"), 2).value
    assert label.endswith("— số theo nhóm: sheet 'Phân tổ'")


def test_a_workbook_without_groups_has_no_grid_sheet(cycle: Any) -> None:
    period = next(p for p in periods_generate(plan=cycle.plan) if p.kind == "semiannual")
    report = reports_generate(period=period)[0]
    assert GRID not in _open(report_workbook(report)).sheetnames


# Filling it -----------------------------------------------------------------------------------------------------


def test_an_officer_fills_the_grid_and_the_parts_are_stored(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    result = workbook_import(user=w.commune_user, data=_bytes(wb), report=w.a)
    assert result.ok, [str(e) for e in result.errors]
    assert [r.pk for r in result.saved] == [w.a.pk]
    assert stored(w.a) == expected(w)


def test_round_trip_the_download_carries_the_parts_and_an_untouched_file_changes_nothing(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    assert workbook_import(user=w.commune_user, data=_bytes(wb), report=w.a).ok
    w.a.refresh_from_db()
    again = report_workbook(w.a)
    grid = _open(again)[GRID]
    cols = _cols(grid)
    row = _grid_row(grid, w.i1.pk, "dtts", "15+")
    assert (grid.cell(row, cols["Nam: tử số"]).value, grid.cell(row, cols["Nam: mẫu số"]).value) == (17, 40)
    assert grid.cell(_grid_row(grid, w.i2.pk, "dtts"), cols["Tổng"]).value == 4
    before = snapshot()
    result = workbook_import(user=w.commune_user, data=again, report=w.a)
    assert result.ok and result.unchanged == [w.a] and not result.saved
    assert snapshot() == before
    assert stored(w.a) == expected(w)


def test_parts_entered_on_the_page_survive_a_file_that_changes_only_a_total(w: Any) -> None:
    parts = [
        Entry(w.i2.pk, "total", value=D(7)),
        Entry(w.i2.pk, "total", value=D(3), combo="ethnicity=kinh", source="Công an xã"),
        Entry(w.i2.pk, "total", value=D(4), combo="ethnicity=dtts", source="Công an xã"),
    ]
    a = report_save(report=w.a, user=w.commune_user, version=w.a.version, entries=parts)
    wb = _open(report_workbook(a))
    ws = wb[SHEET_INDICATORS]
    ws.cell(_total_row(ws, w.i1.pk, "Tổng"), _cols(ws)["Tử số"]).value = 5
    ws.cell(_total_row(ws, w.i1.pk, "Tổng"), _cols(ws)["Mẫu số"]).value = 10
    result = workbook_import(user=w.commune_user, data=_bytes(wb), report=a)
    assert result.ok, [str(e) for e in result.errors]
    kept = {v.combo: (v.value, v.source) for v in Value.objects.filter(report=a, indicator=w.i2)}
    assert kept == {"": (D(7), ""), "ethnicity=kinh": (D(3), "Công an xã"), "ethnicity=dtts": (D(4), "Công an xã")}


def test_a_file_from_before_the_grid_still_imports_and_keeps_the_parts(w: Any) -> None:
    a = report_save(
        report=w.a,
        user=w.commune_user,
        version=w.a.version,
        entries=[Entry(w.i2.pk, "total", value=D(9)), Entry(w.i2.pk, "total", value=D(2), combo="ethnicity=dtts")],
    )
    wb = _open(report_workbook(a))
    del wb[GRID]  # the shape of a file downloaded before the sheet existed
    ws = wb[SHEET_INDICATORS]
    ws.cell(_total_row(ws, w.i2.pk, "Tổng"), _cols(ws)["Giá trị"]).value = 11
    result = workbook_import(user=w.commune_user, data=_bytes(wb), report=a)
    assert result.ok, [str(e) for e in result.errors]
    assert dict(Value.objects.filter(report=a, indicator=w.i2).values_list("combo", "value")) == {
        "": D(11),
        "ethnicity=dtts": D(2),
    }
    assert any("the figures by group (age, ethnicity, area) are kept" in x.english() for x in result.warnings)


def test_a_period_workbook_carries_each_communes_grid(w: Any) -> None:
    reports = spreadsheets.period_reports(w.period)
    wb = _open(period_workbook(w.period, reports))
    assert [c.value for c in wb[GRID][1]][:3] == ["Mã báo cáo", "Đơn vị", "Mã chỉ tiêu"]
    fill(wb, w, report=w.a.pk)
    fill(wb, w, report=w.b.pk)
    grid = wb[GRID]
    # Commune B has more ethnic-minority cases: 1 Kinh, 9 minorities, of its 10.
    grid.cell(_grid_row(grid, w.i2.pk, "kinh", None, w.b.pk), _cols(grid)["Tổng"]).value = 1
    grid.cell(_grid_row(grid, w.i2.pk, "dtts", None, w.b.pk), _cols(grid)["Tổng"]).value = 9
    result = workbook_import(user=w.admin, data=_bytes(wb), period=w.period)
    assert result.ok, [str(e) for e in result.errors]
    assert stored(w.a) == expected(w)
    want_b = expected(w) | {
        (w.i2.pk, "total", "ethnicity=kinh"): (D(1), None, None),
        (w.i2.pk, "total", "ethnicity=dtts"): (D(9), None, None),
    }
    assert stored(w.b) == want_b


# Refused, each at its cell, nothing written ---------------------------------------------------------------------


def test_parts_that_do_not_add_up_to_the_total_are_refused_at_the_totals_cell(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    grid = wb[GRID]
    grid.cell(_grid_row(grid, w.i1.pk, "dtts", "15+"), _cols(grid)["Nữ: tử số"]).value = 19  # 5+10+12+19 = 46
    errors = refused(w, wb)
    ws = wb[SHEET_INDICATORS]
    row = _total_row(ws, w.i1.pk, "Nữ")
    cell = _cell(ws, row, "Tử số")
    assert f"Sheet 'Chỉ tiêu', dòng {row}, cột Tử số: ô {cell}: Nữ: cộng các nhóm (46) không bằng số tổng (45)." in [
        str(e) for e in errors
    ]
    assert (
        f"sheet 'Chỉ tiêu', row {row}, column Tử số: cell {cell}: Nữ: the groups add up to 46, not the total (45)."
        in [e.english() for e in errors]
    )


def test_a_part_over_its_total_is_refused_at_the_grid_cell(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    grid = wb[GRID]
    row = _grid_row(grid, w.i2.pk, "kinh")
    grid.cell(row, _cols(grid)["Tổng"]).value = 12  # over the total of 10
    errors = [str(e) for e in refused(w, wb)]
    cell = _cell(grid, row, "Tổng")
    assert f"Sheet 'Phân tổ', dòng {row}, cột Tổng: ô {cell}: dân tộc Kinh: lớn hơn số tổng (10)." in errors


@pytest.mark.parametrize(
    ("header", "typed", "english"),
    [
        ("Dân tộc", "99", "unknown ethnicity ('99'); write kinh, dtts or an ethnic group code 01–54"),
        ("Nhóm tuổi", "15-24", "this indicator has no age group 15-24; it has: 0-14, 15+"),
        ("Nhóm tuổi", "mười lăm", "invalid age group ('mười lăm'); write e.g. 15-24 or 60+"),
        ("Nhóm tuổi", None, "the age group is missing: this indicator is reported by age group × ethnicity"),
        ("Nữ", 3, "a rate: enter the numerator and the denominator; the rate is computed."),
    ],
)
def test_a_bad_group_or_number_cell_of_a_rate_is_refused_by_its_name(
    w: Any, header: str, typed: Any, english: str
) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    grid = wb[GRID]
    row = _grid_row(grid, w.i1.pk, "dtts", "15+")
    grid.cell(row, _cols(grid)[header]).value = typed
    errors = refused(w, wb)
    assert len(errors) == 1, [e.english() for e in errors]
    assert (
        errors[0]
        .english()
        .startswith(f"sheet 'Phân tổ', row {row}, column {header}: cell {_cell(grid, row, header)}: {english}")
    )
    assert errors[0].message.startswith(f"ô {_cell(grid, row, header)}: ")  # the page's Vietnamese names it too


def test_a_group_the_indicator_is_not_broken_down_by_and_a_sex_it_has_not_are_refused(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    grid = wb[GRID]
    cols = _cols(grid)
    kinh = _grid_row(grid, w.i2.pk, "kinh")
    dtts = _grid_row(grid, w.i2.pk, "dtts")
    grid.cell(kinh, cols["Nhóm tuổi"]).value = "15+"  # I2 is reported by ethnicity only
    grid.cell(dtts, cols["Nữ"]).value = 2  # and not by sex
    errors = [e.english() for e in refused(w, wb)]
    assert errors == [
        f"sheet 'Phân tổ', row {kinh}, column Nhóm tuổi: cell {_cell(grid, kinh, 'Nhóm tuổi')}: this indicator is "
        "not broken down by age group; leave this cell empty",
        f"sheet 'Phân tổ', row {dtts}, column Nữ: cell {_cell(grid, dtts, 'Nữ')}: this indicator is not broken "
        "down by sex: use the Tổng column only.",
    ]


def test_a_repeated_group_row_is_refused(w: Any) -> None:
    wb = _open(report_workbook(w.a))
    fill(wb, w)
    grid = wb[GRID]
    cols = _cols(grid)
    kinh, dtts = _grid_row(grid, w.i2.pk, "kinh"), _grid_row(grid, w.i2.pk, "dtts")
    grid.cell(dtts, cols["Dân tộc"]).value = "01"  # group 01 is Kinh: the same cell as the row above
    errors = [e.english() for e in refused(w, wb)]
    assert (
        f"sheet 'Phân tổ', row {dtts}, column Mã chỉ tiêu: cell {_cell(grid, dtts, 'Mã chỉ tiêu')}: duplicates "
        f"row {kinh} (same indicator and group)." in errors
    )
