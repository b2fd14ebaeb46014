"""A report: the list of reports to fill and to decide, its page and data entry (saving a draft).

Thin by design: `binhdang.reporting.forms` parses what was typed, the services in
`binhdang.reporting.services` write (each one transaction), and their named errors become messages here. A
report the user may not see (`selectors.reports_visible_to`) is a 404, exactly as if it did not exist; a
visible report the user may not change or decide is a 403. The workflow (send, return, accept, re-open) is in
report_workflow.py, periods and completeness in periods.py, notices in notices.py.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from binhdang.plans.selectors import plan_ids_visible_to
from binhdang.reporting import selectors, services
from binhdang.reporting.audit_trail import audit_rows
from binhdang.reporting.errors import InvalidValues, Issue, NotAllowed, ReportingError, StaleReport
from binhdang.reporting.forms import (
    SPENDING_SOURCES,
    ReopenForm,
    ReportEntryForm,
    ReportFilterForm,
    ReturnForm,
)
from binhdang.reporting.models import Period, Report, ReportStatus, TaskStatus
from binhdang.reporting.status import with_last_status_action
from binhdang.reporting.upward import upward_source
from binhdang.web.lookup import visible_report


def posted_version(request: HttpRequest) -> int | None:
    """The version the form was rendered with; None when absent or unreadable (the caller refuses)."""
    try:
        return int(request.POST.get("version", ""))
    except ValueError:
        return None


def no_version() -> HttpResponse:
    """Optimistic locking is required: a save, submission or decision without the version the page showed is
    refused, never applied over whatever changed since (issue 13, finding 7)."""
    return HttpResponseBadRequest(_("Biểu mẫu thiếu phiên bản báo cáo nên chưa thực hiện; hãy tải lại trang."))


def _issue_lines(issues: Iterable[Issue], limit: int = 8) -> str:
    items = list(issues)
    text = " ".join(issue.message for issue in items[:limit])
    if len(items) > limit:
        text += " " + _("(và %(count)s lỗi khác)") % {"count": len(items) - limit}
    return text


def error_message(exc: ReportingError) -> str:
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
        "parts_sum": _("{sex}: cộng các nhóm ({sum}) không bằng số tổng ({total})."),
        "parts_over": _("{sex}: cộng các nhóm đã nhập ({sum}) lớn hơn số tổng ({total})."),
        "parts_derived": _("{sex}: số tổng sẽ được tính từ các nhóm khi lưu: {sum}."),
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


def save_posted(request: HttpRequest, report: Report) -> tuple[Report | None, HttpResponse | None]:
    """Save the posted entry form. (saved report, None), or (None, the re-rendered page keeping what was typed)."""
    # Permission before the form: someone who may only read the report gets 403, not a form error.
    if not selectors.report_can_edit(request.user, report):
        raise PermissionDenied(_("Bạn chỉ được xem báo cáo này."))
    version = posted_version(request)
    if version is None:
        return None, no_version()
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
        messages.error(request, error_message(exc))
        # The hidden version stays the one the user saw, so pressing save again is refused again.
        return None, _render_detail(request, report, form, status=409)
    except ReportingError as exc:
        messages.error(request, error_message(exc))
        if isinstance(exc, InvalidValues):
            form.attach(exc.issues)
        return None, _render_detail(request, report, form, status=400)
    return saved, None


@login_required
@require_http_methods(["GET", "POST"])
def report_detail(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    if request.method == "POST":
        _saved, response = save_posted(request, report)
        if response is not None:
            return response
        messages.success(request, _("Đã lưu nháp."))
        return redirect("report-detail", pk=pk)
    return _render_detail(request, report, _entry_form(report))
