"""The "Phân tổ" sheet of a workbook (issue 16): the parts of each indicator reported by age group, ethnicity or
area, as the report page's grid. One row per combination (its categories in words, one column each), one column
per sex cell as the total's (Tổng, Nữ, Nam: a value; or their numerator and denominator for a rate), pre-filled
with what is saved; the cells the indicator does not use are grey and locked.

Why a sheet of its own rather than rows under the total on "Chỉ tiêu": that sheet is one long table that may be
sorted and filtered (its protection allows it) and whose columns are found by their header; a grid row under a
total would take its meaning from its neighbours and be lost by a sort. Here each row names its indicator and
its groups, so it can be moved, sorted or filtered too."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from openpyxl.utils import get_column_letter

from binhdang.plans.categories import CATEGORY_ORDER, categories_of, parse_combo
from binhdang.plans.models import Indicator, Measure

from ..entries import sexes_for
from . import style
from .combo_cells import member_words
from .layout import (
    CATEGORY_HEADERS,
    GRID_FRACTION_HEADERS,
    GRID_SEXES,
    GRID_VALUE_HEADERS,
    H_INDICATOR,
    H_INDICATOR_ID,
    H_REPORT,
    H_UNIT,
    SHEET_GRID,
    grid_combos,
    grid_header,
    used_fields,
)

_WIDTHS = {H_REPORT: 12, H_UNIT: 24, H_INDICATOR_ID: 12, H_INDICATOR: 48}


def grid_headers(indicators: Sequence[Indicator]) -> list[str]:
    """The sheet's columns for these indicators: the categories some of them use, the value columns when one
    is a count, the numerator and denominator columns when one is a rate."""
    used = set()
    for indicator in indicators:
        used |= set(categories_of(indicator))
    headers = [H_INDICATOR_ID, H_INDICATOR, *(CATEGORY_HEADERS[c] for c in CATEGORY_ORDER if c in used)]
    if any(not i.is_fraction for i in indicators):
        headers += GRID_VALUE_HEADERS
    if any(i.is_fraction for i in indicators):
        headers += GRID_FRACTION_HEADERS
    return headers


def write_grid(
    wb: Any, data: Sequence[Any], lead: Sequence[str], lead_cells: Callable[[Any], list[Any]], labels: dict[int, str]
) -> bool:
    """Add the "Phân tổ" sheet for the reports' indicators that have parts; False (no sheet) when none has.

    ``data`` holds each report's ``report``, ``indicators`` and saved ``parts`` ((indicator, sex, combo) →
    Value); ``lead`` the period workbook's columns in front (Mã báo cáo, Đơn vị), ``lead_cells`` their cells for
    one report; ``labels`` each indicator's label as the "Chỉ tiêu" sheet writes it."""
    with_parts = [i for item in data for i in item.indicators if grid_combos(i)]
    if not with_parts:
        return False
    ws = wb.create_sheet(SHEET_GRID)
    headers = [*lead, *grid_headers(with_parts)]
    col = {h: n for n, h in enumerate(headers, start=1)}
    widths = [_WIDTHS.get(h, 16 if h in CATEGORY_HEADERS.values() else 12) for h in headers]
    style.header(ws, headers, widths)
    number_refs: list[str] = []
    boolean_refs: list[str] = []
    for item in data:
        for indicator in item.indicators:
            sexes = sexes_for(indicator)
            fields = used_fields(indicator)
            for combo in grid_combos(indicator):
                members = parse_combo(combo)
                cells: dict[str, Any] = {
                    H_INDICATOR_ID: indicator.pk,
                    H_INDICATOR: labels[indicator.pk],
                    **{CATEGORY_HEADERS[c]: member_words(c, m) for c, m in members.items()},
                }
                inputs: set[int] = set()
                for sex in GRID_SEXES:
                    saved = item.parts.get((indicator.pk, sex, combo))
                    for field in fields:
                        header = grid_header(sex, field)
                        if sex in sexes:
                            inputs.add(col[header])
                            cells[header] = style.number_cell(getattr(saved, field)) if saved else None
                row_values = [*lead_cells(item), *(cells.get(h) for h in headers[len(lead) :])]
                ws.append(row_values)
                row = ws.max_row
                style.style_row(ws, row, inputs, len(headers))
                refs = [f"{get_column_letter(c)}{row}" for c in sorted(inputs)]
                (boolean_refs if indicator.measure == Measure.BOOLEAN else number_refs).extend(refs)
    style.validate(ws, number_refs, style.non_negative("Hãy nhập một số không âm (số thập phân viết với dấu phẩy)."))
    style.validate(ws, boolean_refs, style.yes_no())
    style.protect(ws)
    return True
