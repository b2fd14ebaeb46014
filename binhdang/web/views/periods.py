"""A plan's reporting periods, a period's page, the completeness table (reporters × periods, also as CSV) and
the compiled figures of a period (for the plan's overseers).

Who sees which rows: the overseers every row, anyone else the rows of the reports it may open; the counts stay
whole (docs/permissions.md, "Overseers and peers").
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binhdang.lib.numbers import format_vn_number
from binhdang.lib.safe_cells import CsvWriter
from binhdang.places.models import Agency
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit
from binhdang.reporting import completeness, selectors, services
from binhdang.reporting.compilation import CompiledIndicator, compile_period
from binhdang.reporting.completeness import PeriodCompleteness
from binhdang.reporting.errors import NotAllowed
from binhdang.reporting.forms import SPENDING_SOURCES
from binhdang.reporting.models import Period, Report, ReportStatus, Sex
from binhdang.reporting.reminders import reachable_reporters, reminded_today
from binhdang.web.lookup import visible_period, visible_plan


def _state_label(state: str) -> str:
    # Translated at request time, in the interface language.
    return {
        "on_time": _("Đúng hạn"),
        "late": _("Nộp muộn"),
        "missing": _("Chưa nộp, quá hạn"),
        "pending": _("Chưa nộp, còn hạn"),
    }.get(state, state)


@login_required
def plan_periods(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    periods = (
        Period.objects.filter(plan=plan)
        .annotate(
            n_reports=Count("reports"),
            n_submitted=Count("reports", filter=Q(reports__status=ReportStatus.SUBMITTED)),
            n_accepted=Count("reports", filter=Q(reports__status=ReportStatus.ACCEPTED)),
            n_late=Count(
                "reports",
                filter=Q(reports__late=True, reports__status__in=[ReportStatus.SUBMITTED, ReportStatus.ACCEPTED]),
            ),
        )
        .order_by("due", "kind")
    )
    return render(
        request,
        "reporting/plan_periods.html",
        {
            "plan": plan,
            "periods": list(periods),
            "can_edit": plan_can_edit(request.user, plan),
            "can_oversee": selectors.can_see_compiled(request.user, plan),
            "rules": list(plan.reporting_rules.all()),
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def periods_generate(request: HttpRequest, pk: int) -> HttpResponse:
    plan = visible_plan(request, pk)
    try:
        done = services.reporting_cycle_set_up(plan=plan, user=request.user)
    except NotAllowed:
        raise PermissionDenied(_("Chỉ đơn vị ban hành kế hoạch mới tạo được kỳ báo cáo.")) from None
    periods, created = done.periods, done.new_reports
    if not periods:
        messages.warning(request, _("Kế hoạch chưa có chế độ báo cáo nên không tạo được kỳ báo cáo nào."))
    else:
        messages.success(
            request,
            _("Đã có %(periods)s kỳ báo cáo; tạo thêm %(reports)s báo cáo cho các đơn vị.")
            % {"periods": len(periods), "reports": created},
        )
    return redirect("plan-periods", pk=plan.pk)


@dataclass
class ReporterRow:
    """One reporter across the plan's periods, for the completeness table."""

    reporter: Agency
    unit_name: str
    cells: list[tuple[Report | None, str]] = field(default_factory=list)


@login_required
def period_detail(request: HttpRequest, pk: int) -> HttpResponse:
    period = visible_period(request, pk)
    today = timezone.localdate()
    visible = set(selectors.reports_visible_to(request.user).filter(period=period).values_list("pk", flat=True))
    counted = _scoped(request.user, period.plan, [completeness.period_completeness(period, today)])[0]
    rows = [(report, state, _state_label(state), report.pk in visible) for report, state in counted.rows]
    return render(
        request,
        "reporting/period_detail.html",
        {
            "period": period,
            "plan": period.plan,
            "rate": counted.rate,
            "rows": rows,
            "not_reported": [r for r in rows if r[1] in ("missing", "pending")],
            "can_oversee": selectors.can_see_compiled(request.user, period.plan),
            # "Nhắc nộp" (issue 14): the acceptor reminds a reporter that has not sent, once a day.
            "can_remind": not period.closed and bool(rows) and selectors.report_can_decide(request.user, rows[0][0]),
            "reminded": reminded_today([r[0].pk for r in rows], today),
            "reachable": reachable_reporters(r[0].reporter_id for r in rows),
            "today": today,
        },
    )


def _scoped(user: Any, plan: Plan, periods: list[PeriodCompleteness]) -> list[PeriodCompleteness]:
    """Each period's rows cut to those the user may see (its own, unless it oversees the plan): who sent what
    when is the overseers' business. The counts stay whole; they name nobody."""
    keep = {r.pk for r in selectors.report_rows_visible(user, plan, [r for item in periods for r, _s in item.rows])}
    for item in periods:
        item.rows = [(r, s) for r, s in item.rows if r.pk in keep]
    return periods


def _percent(value: float | None) -> str:
    return "" if value is None else format_vn_number(value, 1) + "%"


@login_required
def plan_completeness(request: HttpRequest, pk: int) -> HttpResponse:
    """Reporters × periods, like DHIS2's reporting-rate summary; `?format=csv` for a spreadsheet."""
    plan = visible_plan(request, pk)
    today = timezone.localdate()
    periods = _scoped(request.user, plan, completeness.plan_completeness(plan, today))
    if request.GET.get("format") == "csv":
        return _completeness_csv(plan, periods)
    reporters: dict[int, ReporterRow] = {}
    index = {item.period.pk: n for n, item in enumerate(periods)}
    for item in periods:
        for report, _state in item.rows:
            reporters.setdefault(report.reporter_id, ReporterRow(report.reporter, report.unit.name))
    for row in reporters.values():
        row.cells = [(None, "")] * len(periods)
    for item in periods:
        for report, state in item.rows:
            reporters[report.reporter_id].cells[index[item.period.pk]] = (report, state)
    visible = set(selectors.reports_visible_to(request.user).filter(period__plan=plan).values_list("pk", flat=True))
    table = sorted(reporters.values(), key=lambda r: (r.unit_name, r.reporter.name))
    return render(
        request,
        "reporting/plan_completeness.html",
        {
            "plan": plan,
            "periods": periods,
            "rates": [
                (item, _percent(item.rate.percent_submitted), _percent(item.rate.percent_on_time)) for item in periods
            ],
            "table": [
                (
                    row,
                    [
                        (report, state, _state_label(state), report is not None and report.pk in visible)
                        for report, state in row.cells
                    ],
                )
                for row in table
            ],
            "legend": [(state, _state_label(state)) for state in ("on_time", "late", "pending", "missing")],
            "today": today,
        },
    )


def _completeness_csv(plan: Plan, periods: list[PeriodCompleteness]) -> HttpResponse:
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="tinh-hinh-bao-cao-{plan.pk}.csv"'
    response.write("\ufeff")  # Excel reads UTF-8 only with the byte-order mark
    writer = CsvWriter(response)
    writer.writerow(
        [
            _("Kỳ báo cáo"),
            _("Hạn nộp"),
            _("Đơn vị báo cáo"),
            _("Địa bàn"),
            _("Trạng thái báo cáo"),
            _("Tình hình nộp"),
            _("Gửi lúc"),
        ]
    )
    for item in periods:
        for report, state in item.rows:
            sent = timezone.localtime(report.submitted_at).strftime("%d/%m/%Y %H:%M") if report.submitted_at else ""
            writer.writerow(
                [
                    item.period.label,
                    item.period.due.strftime("%d/%m/%Y"),
                    report.reporter.name,
                    report.unit.name,
                    report.get_status_display(),
                    _state_label(state),
                    sent,
                ]
            )
    return response


def _figure(value: Decimal | None) -> str:
    """A compiled figure to two decimals at most, the Vietnamese way: 45, 33,33, 12,5."""
    if value is None:
        return ""
    return format_vn_number(value.quantize(Decimal("0.01"), rounding=ROUND_HALF_UP))


@dataclass
class CompiledCell:
    sex: str
    applies: bool
    shown: bool = False
    fraction: bool = False
    figure: str = ""
    numerator: str = ""
    denominator: str = ""
    not_rollable: int = 0


def _compiled_cells(item: CompiledIndicator) -> list[CompiledCell]:
    fraction = item.indicator.is_fraction
    cells = []
    for sex in (Sex.TOTAL, Sex.FEMALE, Sex.MALE):
        cell = item.cells.get(sex)
        if cell is None or sex not in item.sexes:
            cells.append(CompiledCell(sex, applies=False))
            continue
        cells.append(
            CompiledCell(
                sex,
                applies=True,
                shown=cell.figure is not None,
                fraction=fraction,
                figure=_figure(cell.figure),
                numerator=_figure(cell.numerator),
                denominator=_figure(cell.denominator),
                not_rollable=cell.not_rollable,
            )
        )
    return cells


@login_required
def period_compiled(request: HttpRequest, pk: int) -> HttpResponse:
    period = visible_period(request, pk)
    if not selectors.can_see_compiled(request.user, period.plan):
        raise PermissionDenied(_("Chỉ cơ quan thường trực và đơn vị ban hành kế hoạch mới xem được báo cáo tổng hợp."))
    compiled = compile_period(period)
    spending = []
    labels = {source.value: str(source.label) for source in SPENDING_SOURCES}
    for key in [*labels, *(k for k in compiled.spending if k not in labels)]:
        amounts = compiled.spending.get(key)
        if amounts is None:
            continue
        planned, spent = amounts["planned"], amounts["spent"]
        percent = _percent(float(spent / planned * 100)) if planned else ""
        spending.append((labels.get(key, key), planned, spent, percent))
    return render(
        request,
        "reporting/period_compiled.html",
        {
            "period": period,
            "plan": period.plan,
            "compiled": compiled,
            "indicators": [{"item": item, "cells": _compiled_cells(item)} for item in compiled.indicators],
            "spending": spending,
        },
    )
