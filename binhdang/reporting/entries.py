"""A report's entries and what is wrong with them: the reads behind the form, the imports and submission.

Plain reads, no writes: ``services`` (saving and sending) and the pages ask here which cells an indicator has,
the unit's earlier figures, and the checks' verdict on a set of entries (reporting/checks.py holds the rules).
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.utils.translation import gettext

from binhdang.plans.categories import combos_for, combos_tile
from binhdang.plans.models import Indicator, Measure

from .checks import Entry, IndicatorMeta, check_combo_declared, check_combos, check_entry, check_sexes, computed
from .errors import FLAG, Issue
from .models import Report, ReportStatus, Sex, Value
from .outliers import outlier, outlier_message
from .selectors import accepted_history


def sexes_for(indicator: Indicator) -> list[str]:
    """The cells an indicator asks for: total, and female and male when it is disaggregated by sex."""
    if "sex" in (indicator.disaggregations or []):
        return [Sex.TOTAL, Sex.FEMALE, Sex.MALE]
    return [Sex.TOTAL]


def indicator_meta(indicator: Indicator) -> IndicatorMeta:
    scale = indicator.scale
    return IndicatorMeta(
        indicator.pk,
        indicator.measure,
        scale,
        by_sex="sex" in (indicator.disaggregations or []),
        combos=tuple(combos_for(indicator)),
        combos_tile=combos_tile(indicator),
    )


def previous_figures(report: Report, indicator_ids: Iterable[int]) -> dict[tuple[int, str], Decimal]:
    """The latest accepted figure of the same unit in an earlier period, per (indicator, sex)."""
    earlier = (
        Value.objects.filter(
            report__unit=report.unit,
            report__status=ReportStatus.ACCEPTED,
            indicator_id__in=list(indicator_ids),
            report__period__due__lt=report.period.due,
            combo="",  # beside the totals only
        )
        .select_related("indicator", "report__period")
        .order_by("report__period__due")
    )
    figures: dict[tuple[int, str], Decimal] = {}
    for value in earlier:
        figure = computed(indicator_meta(value.indicator), entry_of(value))
        if figure is not None:
            figures[(value.indicator_id, value.sex)] = figure
    return figures


def entry_of(value: Value) -> Entry:
    return Entry(
        value.indicator_id,
        value.sex,
        value.value,
        value.numerator,
        value.denominator,
        value.source,
        value.note,
        value.combo,
    )


def check_report_entries(report: Report, entries: list[Entry]) -> list[Issue]:
    indicators = {i.pk: i for i in Indicator.objects.filter(pk__in={e.indicator_id for e in entries})}
    previous = previous_figures(report, indicators)
    history = accepted_history(report, indicators)
    metas = {pk: indicator_meta(indicator) for pk, indicator in indicators.items()}
    issues: list[Issue] = []
    # indicator -> (sex, combo) -> entry: female and male against the total within each combination, and each
    # sex's parts against its total (issue 16).
    by_indicator: dict[int, dict[tuple[str, str], Entry]] = {}
    for entry in entries:
        meta = metas.get(entry.indicator_id)
        if meta is None:
            issues.append(Issue("error", f"indicator:{entry.indicator_id}", "unknown indicator"))
            continue
        if entry.is_empty:
            continue
        declared = check_combo_declared(meta, entry)
        if declared:
            issues += declared
            continue
        # The earlier figures and the history are the totals' (combo ""): a part is not compared with a total.
        key = (entry.indicator_id, entry.sex)
        found = check_entry(meta, entry, previous.get(key) if not entry.combo else None)
        issues += found
        if not entry.combo and not any(issue.level == "error" for issue in found):
            issues += _outlier_flag(meta, entry, history.get(key, []))
        by_indicator.setdefault(entry.indicator_id, {})[(entry.sex, entry.combo)] = entry
    for indicator_id, cells in by_indicator.items():
        meta = metas[indicator_id]
        for combo in sorted({c for _sex, c in cells}):
            issues += check_sexes(meta, {sex: e for (sex, c), e in cells.items() if c == combo})
        issues += check_combos(meta, cells)
    return issues


def _outlier_flag(meta: IndicatorMeta, entry: Entry, history: list[Entry]) -> list[Issue]:
    """A figure far from the unit's own past figures, flagged for a second look (reporting/outliers.py). Not on
    a figure that carries a note (the note is the reporter's answer to that second look), nor on one already
    refused by an error (one message per mistake), nor on yes/no answers."""
    if entry.note or meta.measure in (Measure.BOOLEAN, Measure.TEXT):
        return []
    figure = computed(meta, entry)
    if figure is None:
        return []
    past = [f for f in (computed(meta, e) for e in history) if f is not None]
    found = outlier(figure, past)
    if found is None:
        return []
    field = "numerator" if meta.uses_fraction else "value"
    where = f"indicator:{entry.indicator_id}:{entry.sex}:{field}"
    return [Issue(FLAG, where, outlier_message(meta.measure, found), code="outlier")]


def report_entries(report: Report) -> list[Entry]:
    return [entry_of(v) for v in Value.objects.filter(report=report)]


def report_problems(report: Report, *, flags: bool = False) -> list[Issue]:
    """What stops submission: value errors, warnings without a note, indicators left empty without a note. Flags
    ask for a second look and stop nothing: only with ``flags`` (the page shows them beside the fields)."""
    entries = report_entries(report)
    issues = [issue for issue in check_report_entries(report, entries) if flags or issue.level != FLAG]
    filled = {e.indicator_id for e in entries if not e.is_empty or e.note}
    for line in report.indicator_lines.select_related("indicator"):
        if line.indicator_id not in filled and line.indicator.measure != Measure.TEXT:
            issues.append(
                Issue(
                    "error",
                    f"indicator:{line.indicator_id}:total:value",
                    gettext("Chưa có số liệu; nếu không có, hãy ghi chú lý do."),
                    code="missing_figure",
                )
            )
    return issues
