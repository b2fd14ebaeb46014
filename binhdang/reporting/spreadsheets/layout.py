"""The shape of the workbook: its format name, size limits, sheet names and column headers, and which rows
and number columns each indicator gets. Writing and reading both follow it."""

from __future__ import annotations

from binhdang.lib.ziplimits import MB, ZipLimits
from binhdang.plans.categories import AGE, AREA, ETHNICITY, combos_for
from binhdang.plans.models import FundingSource, Indicator, Measure

from ..entries import sexes_for
from ..models import Sex

FORMAT = "binhdang.report-xlsx/1"
MAX_BYTES = 5 * 1024 * 1024
MAX_UNCOMPRESSED = 50 * 1024 * 1024
# Checked on the zip directory before openpyxl reads a byte (binhdang/lib/ziplimits.py). Sheets are streamed
# in read-only mode and may be large; the shared strings and every other part (styles, workbook, relations)
# are parsed whole, so they get small caps. A real workbook's parts compress 5-30 times; 100 is a bomb.
XLSX_LIMITS = ZipLimits(
    total=MAX_UNCOMPRESSED,
    part=5 * MB,
    ratio=100,
    parts={"xl/worksheets/sheet*.xml": MAX_UNCOMPRESSED, "xl/sharedStrings.xml": 20 * MB},
)
MAX_ROWS = 5000
MAX_ERRORS = 200
HEADER_SEARCH_ROWS = 10

SHEET_GUIDE = "Hướng dẫn"
SHEET_INDICATORS = "Chỉ tiêu"
SHEET_TASKS = "Nhiệm vụ"
SHEET_SUMMARY = "Tóm tắt"
SHEET_META = "_meta"
# The parts of indicators reported by age group, ethnicity or area (issue 16): written only when a file has such
# an indicator, so every other workbook is what it was; optional on import (files downloaded before it).
SHEET_GRID = "Phân tổ"

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
H_AGE = "Nhóm tuổi"
H_ETHNICITY = "Dân tộc"
H_AREA = "Khu vực"

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
CATEGORY_HEADERS = {AGE: H_AGE, ETHNICITY: H_ETHNICITY, AREA: H_AREA}
_SEX_WORDS = {Sex.TOTAL: "Tổng", Sex.FEMALE: "Nữ", Sex.MALE: "Nam"}
_FIELD_WORDS = {"numerator": "tử số", "denominator": "mẫu số"}


def grid_header(sex: str, field: str) -> str:
    """The "Phân tổ" sheet's column of one sex cell: "Nữ" for a count, "Nữ: tử số" for a rate's numerator."""
    word = _SEX_WORDS[Sex(sex)]
    return word if field == "value" else f"{word}: {_FIELD_WORDS[field]}"


GRID_SEXES = (Sex.TOTAL, Sex.FEMALE, Sex.MALE)
GRID_VALUE_HEADERS = [grid_header(sex, "value") for sex in GRID_SEXES]
GRID_FRACTION_HEADERS = [grid_header(sex, f) for sex in GRID_SEXES for f in ("numerator", "denominator")]
GRID_HEADERS = [
    H_INDICATOR_ID,
    H_INDICATOR,
    *CATEGORY_HEADERS.values(),
    *GRID_VALUE_HEADERS,
    *GRID_FRACTION_HEADERS,
]
GRID_REQUIRED = [H_INDICATOR_ID]
# Value and Spending column sizes: (decimal places, digits before the point).
VALUE_DIGITS = (4, 16)
AMOUNT_DIGITS = (3, 13)
SOURCE_MAX = 255


def used_fields(indicator: Indicator) -> set[str]:
    """The number fields the form offers for an indicator: numerator and denominator for rates, the value for
    the others, none for a qualitative one. The other columns may only carry what is stored, unchanged."""
    if indicator.measure == Measure.TEXT:
        return set()
    if indicator.is_fraction:
        return {"numerator", "denominator"}
    return {"value"}


def row_sexes(indicator: Indicator) -> list[str]:
    """The rows of an indicator, as the form's cells: a qualitative indicator is one answer, not one per sex."""
    return [Sex.TOTAL] if indicator.measure == Measure.TEXT else sexes_for(indicator)


def grid_combos(indicator: Indicator) -> list[str]:
    """The rows an indicator has on the "Phân tổ" sheet: its combinations but the total (which is on "Chỉ tiêu");
    none for an indicator without categories or a qualitative one (its answer is words, not parts)."""
    if indicator.measure == Measure.TEXT:
        return []
    return [combo for combo in combos_for(indicator) if combo]
