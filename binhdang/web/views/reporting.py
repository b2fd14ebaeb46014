"""The reporting cycle: reports to fill and to decide, data entry, periods, completeness, compilation, notices.

Thin by design: `binhdang.reporting.forms` parses what was typed, the services in
`binhdang.reporting.services` write (each one transaction), and their named errors become messages here. A
report the user may not see (`selectors.reports_visible_to`) is a 404, exactly as if it did not exist; a
visible report the user may not change or decide is a 403.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from binhdang.lib.http import not_found
from binhdang.lib.numbers import format_vn_number
from binhdang.lib.safe_cells import CsvWriter
from binhdang.places.models import Agency
from binhdang.plans.models import Plan
from binhdang.plans.selectors import plan_can_edit, plan_ids_visible_to
from binhdang.reporting import completeness, selectors, services
from binhdang.reporting.compilation import CompiledIndicator, compile_period
from binhdang.reporting.completeness import PeriodCompleteness
from binhdang.reporting.errors import (
    InvalidValues,
    Issue,
    NotAllowed,
    ReportingError,
    StaleReport,
)
from binhdang.reporting.forms import (
    FRACTION_MEASURES,
    SPENDING_SOURCES,
    ReopenForm,
    ReportEntryForm,
    ReportFilterForm,
    ReturnForm,
    audit_rows,
)
from binhdang.reporting.models import Notice, Period, Report, ReportStatus, Sex, TaskStatus
from binhdang.reporting.notices import notices_mark_read
from binhdang.reporting.reminders import reachable_reporters, reminded_today
from binhdang.reporting.status import with_last_status_action
from binhdang.reporting.upward import report_fill_from_compilation, upward_source
from binhdang.web.lookup import visible_period, visible_plan, visible_report


def _state_label(state: str) -> str:
    # Translated at request time, in the interface language.
    return {
        "on_time": _("Đúng hạn"),
        "late": _("Nộp muộn"),
        "missing": _("Chưa nộp, quá hạn"),
        "pending": _("Chưa nộp, còn hạn"),
    }.get(state, state)


# --- helpers -------------------------------------------------------------------------------------------------


def _version(request: HttpRequest) -> int | None:
    """The version the form was rendered with; None when absent or unreadable (the caller refuses)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def _no_version() -> HttpResponse:
    """Optimistic locking is required: a save, submission or decision without the version the page showed is
    refused, never applied over whatever changed since (issue 13, finding 7)."""
    return HttpResponseBadRequest(_("Biểu mẫu thiếu phiên bản báo cáo nên chưa thực hiện; hãy tải lại trang."))


def _issue_lines(issues: Iterable[Issue], limit: int = 8) -> str:
    items = list(issues)
    text = " ".join(issue.message for issue in items[:limit])
    if len(items) > limit:
        text += " " + _("(và %(count)s lỗi khác)") % {"count": len(items) - limit}
    return text


def _error_message(exc: ReportingError) -> str:
    if isinstance(exc, StaleReport):
        return _(
            "Không lưu: người khác đã lưu báo cáo này trước bạn, nên không có số liệu nào trong biểu mẫu của bạn "
            "được lưu. Các số bạn vừa nhập vẫn hiện bên dưới để bạn chép lại; hãy tải lại báo cáo để xem số liệu "
            "mới nhất rồi nhập lại."
        )
    if isinstance(exc, InvalidValues):
        return f"{exc.message} {_issue_lines(exc.issues)}"
    return str(exc.message)


# --- reports -------------------------------------------------------------------------------------------------


@login_required
def report_list(request: HttpRequest) -> HttpResponse:
    """My agency's reports by due date, and the reports waiting for my decision if I accept any."""
    visible = selectors.reports_visible_to(request.user)
    # The periods of the reports the user sees: a commune's own report may belong to a plan it cannot open.
    periods = Period.objects.filter(reports__in=visible).select_related("plan").distinct().order_by("-due")
    form = ReportFilterForm(request.GET or None, periods=periods)
    own = with_last_status_action(
        selectors.user_reports(request.user).select_related("period__plan", "unit", "reporter")
    )
    waiting = visible.filter(status=ReportStatus.SUBMITTED).order_by("-submitted_at", "-pk")  # newest first
    if form.is_valid():
        if form.cleaned_data["period"] is not None:
            own = own.filter(period=form.cleaned_data["period"])
            waiting = waiting.filter(period=form.cleaned_data["period"])
        if form.cleaned_data["status"]:
            own = own.filter(status=form.cleaned_data["status"])
            waiting = waiting.filter(status=form.cleaned_data["status"])
    decides: dict[int, bool] = {}
    to_decide = []
    for report in waiting:
        if report.period.plan_id not in decides:
            decides[report.period.plan_id] = selectors.report_can_decide(request.user, report)
        if decides[report.period.plan_id]:
            to_decide.append(report)
    today = timezone.localdate()
    return render(
        request,
        "reporting/report_list.html",
        {"form": form, "own": list(own), "to_decide": to_decide, "today": today},
    )


def _detail_context(request: HttpRequest, report: Report, form: ReportEntryForm) -> dict[str, Any]:
    can_edit = (
        selectors.report_can_edit(request.user, report)
        and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED)
        and not report.period.closed
    )
    can_decide = selectors.report_can_decide(request.user, report)
    can_submit = can_edit and selectors.report_can_submit(request.user, report)
    return {
        "upward_source": upward_source(report) if can_edit and report.is_committee else None,
        "can_submit": can_submit,
        "report": report,
        "period": report.period,
        "plan": report.period.plan,
        "form": form,
        "editable": can_edit,
        "can_decide": can_decide,
        "can_oversee": can_decide or selectors.can_see_compiled(request.user, report.period.plan),
        "plan_visible": _plan_visible(request.user, report.period.plan_id),
        "return_form": ReturnForm(),
        "reopen_form": ReopenForm(),
        "task_statuses": TaskStatus.choices,
        "audit": audit_rows(report),
        "today": timezone.localdate(),
        "sources": SPENDING_SOURCES,
        "js_messages": _entry_messages(),
    }


def _plan_visible(user: Any, plan_id: int) -> bool:
    ids = plan_ids_visible_to(user)
    return ids is None or plan_id in ids


def _entry_messages() -> dict[str, str]:
    """The words entry.js shows, in the interface language (the script itself holds no text)."""
    return {
        "nan": _("Không phải số. Viết như 1.040 hoặc 45,5."),
        "negative": _("Không được là số âm."),
        "no_denominator": _("Thiếu mẫu số."),
        "zero_denominator": _("Mẫu số bằng 0 nên không tính được tỷ lệ."),
        "part_over_whole": _("Tử số lớn hơn mẫu số (bộ phận lớn hơn tổng thể)."),
        "over_100": _("Tỷ lệ phần trăm không được vượt quá 100."),
        "over_total": _("Lớn hơn số tổng."),
        "sum": _("Nữ cộng nam ({sum}) không bằng tổng ({total})."),
    }


def _render_detail(request: HttpRequest, report: Report, form: ReportEntryForm, status: int = 200) -> HttpResponse:
    return render(request, "reporting/report_detail.html", _detail_context(request, report, form), status=status)


def _entry_form(report: Report, data: Any = None) -> ReportEntryForm:
    form = ReportEntryForm(report, data)
    # An untouched draft (never saved) is not marked red before anyone typed anything (issue 14).
    if data is None and report.status in (ReportStatus.DRAFT, ReportStatus.RETURNED) and report.version > 1:
        # Flags too (a figure far from the unit's history): they block nothing but ask for a second look.
        form.attach(services.report_problems(report, flags=True))
    form.flag_tasks()
    return form


def _save_posted(request: HttpRequest, report: Report) -> tuple[Report | None, HttpResponse | None]:
    """Save the posted entry form. (saved report, None), or (None, the re-rendered page keeping what was typed)."""
    # Permission before the form: someone who may only read the report gets 403, not a form error.
    if not selectors.report_can_edit(request.user, report):
        raise PermissionDenied(_("Bạn chỉ được xem báo cáo này."))
    version = _version(request)
    if version is None:
        return None, _no_version()
    form = ReportEntryForm(report, request.POST)
    form.flag_tasks()
    if not form.is_valid():
        messages.error(request, _("Chưa lưu: có ô không đọc được là số. Hãy sửa các ô được đánh dấu."))
        # The other figures' checks (a percentage over 100, female over total) stay on the page (issue 14).
        form.attach(services.check_report_entries(report, form.entries()))
        return None, _render_detail(request, report, form, status=400)
    try:
        saved = services.report_save(
            report=report,
            user=request.user,
            version=version,
            entries=form.entries(),
            progress=form.progress(),
            spending=form.spending(),
            summary=form.summary_text(),
        )
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except StaleReport as exc:
        messages.error(request, _error_message(exc))
        # The hidden version stays the one the user saw, so pressing save again is refused again.
        return None, _render_detail(request, report, form, status=409)
    except ReportingError as exc:
        messages.error(request, _error_message(exc))
        if isinstance(exc, InvalidValues):
            form.attach(exc.issues)
        return None, _render_detail(request, report, form, status=400)
    return saved, None


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    if request.method == "POST":
        _saved, response = _save_posted(request, report)
        if response is not None:
            return response
        messages.success(request, _("Đã lưu nháp."))
        return redirect("report-detail", pk=pk)
    return _render_detail(request, report, _entry_form(report))


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the report for review. From the entry form, what was typed is saved first (one click: save and send)."""
    report = visible_report(request, pk)
    if not selectors.report_can_submit(request.user, report):
        raise PermissionDenied(_("Bạn không được gửi báo cáo của đơn vị khác."))
    version = _version(request)
    if version is None:
        return _no_version()
    if request.POST.get("entry_form"):
        saved, response = _save_posted(request, report)
        if response is not None:
            return response
        assert saved is not None
        report, version = saved, saved.version
    try:
        report = services.report_submit(report=report, user=request.user, version=version)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except InvalidValues:
        # The count is the page's: the summary at its top lists (and counts) each marked field.
        text = _("Chưa gửi được: còn lỗi, hoặc cảnh báo chưa có ghi chú; xem danh sách ở đầu trang.")
        if request.POST.get("entry_form"):
            text = _("Đã lưu nháp.") + " " + text
        messages.error(request, text)
        return redirect("report-detail", pk=pk)
    except ReportingError as exc:
        messages.error(request, _error_message(exc))
        return redirect("report-detail", pk=pk)
    if report.late:
        messages.warning(
            request,
            _("Đã gửi báo cáo. Báo cáo được ghi là nộp muộn (hạn nộp %(due)s).")
            % {"due": report.period.due.strftime("%d/%m/%Y")},
        )
    else:
        messages.success(request, _("Đã gửi báo cáo, đang chờ cơ quan thường trực xem xét."))
    return redirect("report-detail", pk=pk)


@login_required
@require_POST
def report_fill_upward(request: HttpRequest, pk: int) -> HttpResponse:
    """A lower committee fills its report to the level above from the compilation of its own plan's period."""
    report = visible_report(request, pk)
    if not selectors.report_can_edit(request.user, report):
        raise PermissionDenied
    version = _version(request)
    try:
        # The service refuses a report it does not fill (NotAllowed) before it looks at the version.
        filled = report_fill_from_compilation(report=report, user=request.user, version=version)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except StaleReport:
        if version is None:
            return _no_version()
        raise
    except ReportingError as exc:
        messages.error(request, _error_message(exc))
        return redirect("report-detail", pk=pk)
    if filled.source is None:
        messages.warning(request, _("Địa bàn chưa có kỳ báo cáo tương ứng trong kế hoạch của mình để tổng hợp."))
    else:
        messages.success(
            request,
            _(
                "Đã lấy số liệu của %(n)s chỉ tiêu từ %(period)s; %(missing)s chỉ tiêu chưa có số liệu tổng hợp. "
                "Hãy kiểm tra rồi gửi."
            )
            % {"n": len(filled.filled), "period": filled.source.label, "missing": len(filled.unmatched)},
        )
    return redirect("report-detail", pk=pk)


def _decide(request: HttpRequest, pk: int, action: str) -> HttpResponse:
    report = visible_report(request, pk)
    if not selectors.report_can_decide(request.user, report):
        raise PermissionDenied(_("Chỉ cơ quan thường trực cấp trên mới duyệt được báo cáo này."))
    version = _version(request)
    if version is None:
        return _no_version()
    try:
        if action == "return":
            form = ReturnForm(request.POST)
            if not form.is_valid():
                messages.error(request, " ".join(str(e) for e in form.errors["comment"]))
                return redirect("report-detail", pk=pk)
            report = services.report_return(
                report=report, user=request.user, comment=form.cleaned_data["comment"].strip(), version=version
            )
            messages.success(request, _("Đã trả lại báo cáo cho đơn vị, kèm ý kiến."))
        elif action == "accept":
            report = services.report_accept(report=report, user=request.user, version=version)
            messages.success(request, _("Đã chấp nhận báo cáo; số liệu đã khóa."))
        else:
            reopen = ReopenForm(request.POST)
            if not reopen.is_valid():
                messages.error(request, " ".join(str(e) for e in reopen.errors["reason"]))
                return redirect("report-detail", pk=pk)
            report = services.report_reopen(
                report=report, user=request.user, reason=reopen.cleaned_data["reason"].strip(), version=version
            )
            messages.success(request, _("Đã mở lại báo cáo; đơn vị có thể sửa và gửi lại."))
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except StaleReport:
        messages.error(
            request,
            _(
                "Báo cáo vừa được thay đổi sau khi anh/chị mở trang; chưa thực hiện. "
                "Hãy xem lại số liệu mới rồi quyết định."
            ),
        )
    except ReportingError as exc:
        messages.error(request, _error_message(exc))
    return redirect("report-detail", pk=pk)


@login_required
@require_POST
def report_return(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "return")


@login_required
@require_POST
def report_accept(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "accept")


@login_required
@require_POST
def report_reopen(request: HttpRequest, pk: int) -> HttpResponse:
    return _decide(request, pk, "reopen")


# --- periods and completeness ----------------------------------------------------------------------------


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
    fraction = item.indicator.measure in FRACTION_MEASURES
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


# --- notices ----------------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def notice_list(request: HttpRequest) -> HttpResponse:
    notices = Notice.objects.filter(user_id=int(request.user.pk or 0))
    if request.method == "POST":
        notice_id = request.POST.get("notice", "")
        if notice_id.isdigit():
            try:
                notice = notices_mark_read(user=request.user, notice_id=int(notice_id))
            except Notice.DoesNotExist:
                raise not_found("notice") from None
            if notice and request.POST.get("open") and url_has_allowed_host_and_scheme(notice.url, allowed_hosts=None):
                return redirect(notice.url)
        else:
            notices_mark_read(user=request.user)
            messages.success(request, _("Đã đánh dấu mọi thông báo là đã đọc."))
        return redirect("notice-list")
    return render(
        request,
        "reporting/notice_list.html",
        {"notices": list(notices[:200]), "unread": notices.filter(read_at__isnull=True).count()},
    )
