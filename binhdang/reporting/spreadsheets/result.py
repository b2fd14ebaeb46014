"""What an import reports: every problem located by sheet, row and column, in Vietnamese for the web pages
and English for the command line; the warnings; and the reports saved or left unchanged."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field

from ..errors import (
    Issue,
    ReportingError,
)
from ..models import Report
from .layout import MAX_ERRORS


@dataclass(frozen=True)
class SheetError:
    """One problem of an uploaded file, where it is (sheet, row, column header) and what it is.

    ``message`` is Vietnamese (the web pages), ``message_en`` English (the command line). A CSV file has no
    sheet: its row is the line number and its column the CSV header.
    """

    sheet: str | None
    row: int | None
    column: str | None
    message: str
    message_en: str = ""

    def location(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"Sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"dòng {self.row}")
        if self.column is not None:
            parts.append(f"cột {self.column}")
        return ", ".join(parts)

    def location_en(self) -> str:
        parts = []
        if self.sheet is not None:
            parts.append(f"sheet '{self.sheet}'")
        if self.row is not None:
            parts.append(f"{'row' if self.sheet is not None else 'line'} {self.row}")
        if self.column is not None:
            parts.append(f"column {self.column}")
        return ", ".join(parts)

    def __str__(self) -> str:
        where = self.location()
        return f"{where}: {self.message}" if where else self.message

    def english(self) -> str:
        where = self.location_en()
        text = self.message_en or self.message
        return f"{where}: {text}" if where else text


@dataclass
class ImportResult:
    errors: list[SheetError] = field(default_factory=list)
    warnings: list[SheetError] = field(default_factory=list)
    saved: list[Report] = field(default_factory=list)
    unchanged: list[Report] = field(default_factory=list)
    # Data rows looked at, all sheets together: how far the reader went before it stopped.
    rows_read: int = 0

    @property
    def ok(self) -> bool:
        return not self.errors

    def error(self, sheet: str | None, row: int | None, column: str | None, vi: str, en: str) -> None:
        if len(self.errors) < MAX_ERRORS:
            self.errors.append(SheetError(sheet, row, column, vi, en))
        elif len(self.errors) == MAX_ERRORS:
            self.errors.append(
                SheetError(
                    None,
                    None,
                    None,
                    "Còn nhiều lỗi khác; hãy sửa các lỗi trên rồi tải lên lại.",
                    "More errors follow; fix the ones above and upload again.",
                )
            )

    def warn(self, sheet: str | None, row: int | None, column: str | None, vi: str, en: str) -> None:
        if len(self.warnings) < MAX_ERRORS:
            self.warnings.append(SheetError(sheet, row, column, vi, en))


def iter_errors(result: ImportResult, *, english: bool = False) -> Iterator[str]:
    for error in result.errors:
        yield error.english() if english else str(error)


_RULE_EN: dict[str, str] = {
    "period_closed": "The reporting period is closed; no data is accepted.",
    "report_already_accepted": "The report has been accepted; its figures are locked.",
    "report_not_editable": "The report has been submitted and awaits review; it cannot be changed.",
    "not_allowed": "You may not change this report.",
    "wrong_state": "The report is not in a state that allows this.",
    "stale_report": "The report was changed by someone else; download the file again.",
}

# The checks' sentences are in the reader's language; the command line says each in English, by its code.
_ISSUE_EN: dict[str, str] = {
    "negative": "must not be negative.",
    "denominator_missing": "the denominator is missing.",
    "denominator_zero": "the denominator is 0, so no rate can be computed.",
    "numerator_over_denominator": "the numerator is larger than the denominator.",
    "over_100": "a percentage cannot exceed 100.",
    "boolean_only": "only 1 (yes) or 0 (no) is accepted.",
    "sex_over_total": "larger than the total.",
    "sexes_sum": "female plus male ({sum}) does not equal the total ({total}).",
    "sexes_missing": "the female and male figures are missing: this indicator is reported by sex.",
    "far_from_previous": "far from the previous period ({previous}); add a note explaining why.",
    "outlier": "far from the unit's figures in earlier periods; please check it again.",
    "missing_figure": "no figure; if there is none, add a note saying why.",
    "combo_undeclared": "the cell '{cell}' is not one of this indicator's disaggregations.",
    "part_over_total": "{cell}: larger than the total ({total}).",
    "parts_sum": "{sex}: the groups add up to {sum}, not the total ({total}).",
    "parts_over_total": "{sex}: the groups entered add up to {sum}, more than the total ({total}).",
}


def issue_english(issue: Issue) -> str:
    """The issue in English for the command line, by its code; an issue without one is shown as written."""
    english = _ISSUE_EN.get(issue.code)
    return english.format(**issue.params) if english is not None else issue.message


def rule_error(exc: ReportingError, report: Report | None = None) -> tuple[str, str]:
    """A named rule violation as (Vietnamese, English) text, naming the report in a multi-report file."""
    vi, en = str(exc.message), _RULE_EN.get(exc.code, "The report cannot be changed.")
    if report is not None:
        vi = f"Báo cáo số {report.pk} ({report.unit.name}): {vi}"
        en = f"Report {report.pk} ({report.unit.name}): {en}"
    return vi, en
