"""The reports an uploaded file names, as they stand now: their indicators, tasks and stored figures, and
whether each may still be written (its state, the user's rights, and no change since the download)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from binhdang.plans.models import Indicator

from ..errors import ReportingError
from ..models import Progress, Report, ReportIndicator, ReportTask, Value
from ..services import report_assert_editable
from .meta import Identity, ReportStamp
from .result import ImportResult, rule_error


@dataclass
class Target:
    report: Report
    stamp: ReportStamp
    indicators: dict[int, Indicator]
    tasks: set[int]
    values: dict[tuple[int, str], Value] = field(default_factory=dict)
    progress: set[int] = field(default_factory=set)
    # The saved parts (issue 16): (indicator, sex, combo) → value, for the "Phân tổ" sheet.
    parts: dict[tuple[int, str, str], Value] = field(default_factory=dict)


def load_targets(identity: Identity, user: Any, result: ImportResult) -> dict[int, Target]:
    stamps = {s.report_id: s for s in identity.reports}
    reports = {
        r.pk: r
        for r in Report.objects.select_related("period__plan", "unit", "reporter").filter(
            pk__in=stamps, period_id=identity.period_id, period__plan_id=identity.plan_id
        )
    }
    targets: dict[int, Target] = {}
    lines: dict[int, dict[int, Indicator]] = {pk: {} for pk in reports}
    for line in ReportIndicator.objects.filter(report_id__in=reports).select_related("indicator"):
        lines[line.report_id][line.indicator_id] = line.indicator
    tasks: dict[int, set[int]] = {pk: set() for pk in reports}
    for task_line in ReportTask.objects.filter(report_id__in=reports):
        tasks[task_line.report_id].add(task_line.task_id)
    values: dict[int, dict[tuple[int, str], Value]] = {pk: {} for pk in reports}
    parts: dict[int, dict[tuple[int, str, str], Value]] = {pk: {} for pk in reports}
    for value in Value.objects.filter(report_id__in=reports):
        if value.combo:  # a part: the "Phân tổ" sheet's
            parts[value.report_id][(value.indicator_id, value.sex, value.combo)] = value
        else:  # a total: the "Chỉ tiêu" sheet's
            values[value.report_id][(value.indicator_id, value.sex)] = value
    progress: dict[int, set[int]] = {pk: set() for pk in reports}
    for report_id, task_id in Progress.objects.filter(report_id__in=reports).values_list("report_id", "task_id"):
        progress[report_id].add(task_id)
    for pk, stamp in stamps.items():
        report = reports.get(pk)
        if report is None or report.reporter_id != stamp.reporter_id:
            result.error(
                None,
                None,
                None,
                f"Báo cáo số {pk} của tệp không còn trong hệ thống.",
                f"Report {pk} of the file no longer exists.",
            )
            continue
        targets[pk] = Target(report, stamp, lines[pk], tasks[pk], values[pk], progress[pk], parts[pk])
    return targets


def _stale(result: ImportResult, target: Target) -> None:
    report, stamp = target.report, target.stamp
    result.error(
        None,
        None,
        None,
        f"Báo cáo số {report.pk} ({report.unit.name}) đã được sửa trên hệ thống sau khi tải tệp này (phiên bản "
        f"trong tệp {stamp.version}, hiện tại {report.version}). Để không ghi đè số liệu mới, tệp bị từ chối: "
        "hãy tải tệp mới, nhập lại và tải lên.",
        f"Report {report.pk} ({report.unit.name}) changed after this file was downloaded (file version "
        f"{stamp.version}, now {report.version}); download a new file.",
    )


def target_writable(target: Target, user: Any, result: ImportResult, *, several: bool) -> bool:
    """Whether the user may write the report and it is still the version downloaded; if not, says why.

    In a file of several reports (``several``) the message names the report.
    """
    try:
        report_assert_editable(target.report, user)
    except ReportingError as exc:
        result.error(None, None, None, *rule_error(exc, target.report if several else None))
        return False
    if target.report.version != target.stamp.version:
        _stale(result, target)
        return False
    return True
