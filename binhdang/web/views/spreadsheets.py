"""The Excel round trip and the CSV import on the web: download a pre-filled workbook, upload it back.

Thin by design: binhdang.reporting.spreadsheets builds and reads the files and writes through the reporting
services; this module finds the report or period the user may see (404 otherwise), checks that the user may
change it (403 otherwise) and shows the result. A refused file is listed error by error, by sheet, row and
column; nothing of it is saved.
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods

from binhdang.jobs.models import JobState
from binhdang.reporting.csv_import import csv_import
from binhdang.reporting.jobs import period_import_enqueue
from binhdang.reporting.models import Period, Report
from binhdang.reporting.selectors import report_can_edit
from binhdang.reporting.spreadsheets import (
    MAX_BYTES,
    ImportResult,
    period_reports,
    period_workbook,
    period_workbook_allowed,
    report_workbook,
    workbook_import,
)
from binhdang.web.lookup import visible_period, visible_report

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class UploadForm(forms.Form):
    error_css_class = "loi"

    file = forms.FileField(
        label=gettext_lazy("Tệp"),
        error_messages={"required": gettext_lazy("Cần chọn một tệp."), "empty": gettext_lazy("Tệp rỗng.")},
    )

    def clean_file(self) -> UploadedFile:
        upload: UploadedFile = self.cleaned_data["file"]
        if (upload.size or 0) > MAX_BYTES:
            raise ValidationError(_("Tệp lớn hơn 5 MB."), code="too_large")
        upload.seek(0)
        raw = upload.read(MAX_BYTES + 1)
        if len(raw) > MAX_BYTES:
            raise ValidationError(_("Tệp lớn hơn 5 MB."), code="too_large")
        self.cleaned_data["data"] = raw
        return upload


def _editable_report(request: HttpRequest, pk: int) -> Report:
    report = visible_report(request, pk)
    if not report_can_edit(request.user, report):
        raise PermissionDenied(_("Bạn không được sửa báo cáo này."))
    return report


def _managed_period(request: HttpRequest, pk: int) -> Period:
    period = visible_period(request, pk)
    if not period_workbook_allowed(request.user, period):
        raise PermissionDenied(_("Chỉ cơ quan lập kế hoạch và cơ quan thường trực mới dùng tệp của cả kỳ."))
    return period


def _attachment(data: bytes, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(data, content_type=content_type)
    response["Content-Disposition"] = content_disposition_header(as_attachment=True, filename=filename)
    response["Cache-Control"] = "no-store"
    return response


def _filename(*parts: str) -> str:
    """A readable Vietnamese file name; Content-Disposition carries it RFC 5987-encoded (filename*=utf-8'')."""
    name = " - ".join(p.replace("/", "-").replace("\\", "-").strip() for p in parts if p.strip())
    return f"{name[:150]}.xlsx"


@login_required
@require_GET
def report_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    report = visible_report(request, pk)
    name = _filename(_("Báo cáo"), report.unit.name, report.period.label)
    return _attachment(report_workbook(report), name, XLSX)


@login_required
@require_GET
def period_xlsx(request: HttpRequest, pk: int) -> HttpResponse:
    period = _managed_period(request, pk)
    reports = period_reports(period)
    name = _filename(_("Báo cáo các xã"), period.plan.unit.name, period.label)
    return _attachment(period_workbook(period, reports), name, XLSX)


def _upload_page(
    request: HttpRequest,
    *,
    heading: str,
    help_text: str,
    accept: str,
    back: str,
    run: Any,
    done: str,
    context: dict[str, Any],
) -> HttpResponse:
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result: ImportResult | None = None
    if request.method == "POST" and form.is_valid():
        result = run(form.cleaned_data["data"])
        if result.ok:
            if result.saved:
                messages.success(
                    request,
                    _("Đã nhập số liệu từ tệp %(name)s: %(n)s báo cáo được cập nhật.")
                    % {"name": form.cleaned_data["file"].name, "n": len(result.saved)},
                )
            else:
                messages.info(request, _("Tệp không có gì khác với số liệu hiện có; không có thay đổi nào."))
            for warning in result.warnings[:10]:
                messages.warning(request, str(warning))
            if len(result.warnings) > 10:
                messages.warning(request, _("Và %(n)s lưu ý khác.") % {"n": len(result.warnings) - 10})
            return redirect(done)
    form.fields["file"].widget.attrs["accept"] = accept
    return render(
        request,
        "reporting/spreadsheet_upload.html",
        {
            **context,
            "form": form,
            "result": result,
            "heading": heading,
            "help_text": help_text,
            "back": back,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_xlsx_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    return _upload_page(
        request,
        heading=_("Tải lên tệp Excel của báo cáo"),
        help_text=_(
            "Tệp Excel (.xlsx) đã tải về từ báo cáo này, tối đa 5 MB. Tệp có lỗi thì không có số liệu nào được lưu."
        ),
        accept=".xlsx," + XLSX,
        back=report_url(report),
        run=lambda data: workbook_import(user=request.user, data=data, report=report),
        done=report_url(report),
        context={"report": report, "download": _download_url("report-xlsx", report.pk)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def report_csv_upload(request: HttpRequest, pk: int) -> HttpResponse:
    report = _editable_report(request, pk)
    return _upload_page(
        request,
        heading=_("Tải lên tệp CSV số liệu chỉ tiêu"),
        help_text=_(
            "Tệp CSV (UTF-8, dấu phẩy) với các cột report_id, indicator_id, sex, value, numerator, denominator, "
            "source, note; số viết kiểu máy (45.5). Tối đa 5 MB."
        ),
        accept=".csv,text/csv",
        back=report_url(report),
        run=lambda data: csv_import(user=request.user, data=data, report=report),
        done=report_url(report),
        context={"report": report},
    )


@login_required
@require_http_methods(["GET", "POST"])
def period_xlsx_upload(request: HttpRequest, pk: int) -> HttpResponse:
    """A period's workbook holds every commune: it is imported as a background job whose page shows progress."""
    period = _managed_period(request, pk)
    form = UploadForm(request.POST if request.method == "POST" else None, request.FILES or None)
    result: dict[str, Any] | None = None
    if request.method == "POST" and form.is_valid():
        job = period_import_enqueue(
            user=request.user,
            period=period,
            data=form.cleaned_data["data"],
            filename=form.cleaned_data["file"].name or "",
            back=_period_url(period),
        )
        job.refresh_from_db(fields=["state", "result"])
        if job.state != JobState.SUCCEEDED:
            return redirect("job-status", pk=job.pk)
        # Already done (a repeated upload, or jobs run at once as in the tests): answer as the form always did.
        result = job.result or {}
        if result.get("ok"):
            if result.get("saved"):
                messages.success(request, result["message"])
            else:
                messages.info(request, result["message"])
            for warning in result.get("warnings", [])[:10]:
                messages.warning(request, warning)
            if len(result.get("warnings", [])) > 10:
                messages.warning(request, _("Và %(n)s lưu ý khác.") % {"n": len(result["warnings"]) - 10})
            return redirect(_period_url(period))
    form.fields["file"].widget.attrs["accept"] = ".xlsx," + XLSX
    return render(
        request,
        "reporting/spreadsheet_upload.html",
        {
            "period": period,
            "download": _download_url("period-xlsx", period.pk),
            "form": form,
            "result": result,
            "heading": _("Tải lên tệp Excel của cả kỳ báo cáo"),
            "help_text": _(
                "Tệp Excel (.xlsx) đã tải về từ kỳ báo cáo này, tối đa 5 MB. Các báo cáo trong tệp được lưu cùng "
                "nhau: một lỗi thì không báo cáo nào được lưu."
            ),
            "back": _period_url(period),
        },
    )


def report_url(report: Report) -> str:
    return reverse("report-detail", args=[report.pk])


def _period_url(period: Period) -> str:
    return reverse("period-detail", args=[period.pk])


def _download_url(name: str, pk: int) -> str:
    return reverse(name, args=[pk])
