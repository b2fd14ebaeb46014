"""A report's workflow: send it (saving what was typed first), fill it from the compilation below, and the
acceptor's return, accept and re-open. Each step is one service in `binhdang.reporting.services`; a visible
report the user may not move is a 403.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from binhdang.reporting import selectors, services
from binhdang.reporting.errors import InvalidValues, NotAllowed, ReportingError, StaleReport
from binhdang.reporting.forms import ReopenForm, ReturnForm
from binhdang.reporting.upward import report_fill_from_compilation
from binhdang.web.lookup import visible_report
from binhdang.web.views.reports import error_message, no_version, posted_version, save_posted


@login_required
@require_POST
def report_submit(request: HttpRequest, pk: int) -> HttpResponse:
    """Send the report for review. From the entry form, what was typed is saved first (one click: save and send)."""
    report = visible_report(request, pk)
    if not selectors.report_can_submit(request.user, report):
        raise PermissionDenied(_("Bạn không được gửi báo cáo của đơn vị khác."))
    version = posted_version(request)
    if version is None:
        return no_version()
    if request.POST.get("entry_form"):
        saved, response = save_posted(request, report)
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
        messages.error(request, error_message(exc))
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
    version = posted_version(request)
    try:
        # The service refuses a report it does not fill (NotAllowed) before it looks at the version.
        filled = report_fill_from_compilation(report=report, user=request.user, version=version)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except StaleReport:
        if version is None:
            return no_version()
        raise
    except ReportingError as exc:
        messages.error(request, error_message(exc))
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
    version = posted_version(request)
    if version is None:
        return no_version()
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
        messages.error(request, error_message(exc))
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
